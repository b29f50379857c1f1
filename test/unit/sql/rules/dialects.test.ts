/**
 * The same rules over MySQL and SQLite schemas and queries (parsed by node-sql-parser), with
 * exact ranges and fix output, so that every rule is exercised in every dialect.
 */
import { ruleTests } from '../../../helpers/rule-tester.js';

const MYSQL_SCHEMA = [
  '-- dialect: mysql',
  'CREATE TABLE `users` (',
  '  `id` INT NOT NULL AUTO_INCREMENT,',
  '  `email` VARCHAR(255) NOT NULL,',
  '  `name` VARCHAR(255),',
  '  `created_at` DATETIME NOT NULL,',
  '  PRIMARY KEY (`id`),',
  '  UNIQUE KEY `users_email` (`email`),',
  '  KEY `users_created` (`created_at`)',
  ') ENGINE=InnoDB;',
  'CREATE TABLE `logs` (`id` INT PRIMARY KEY, `msg` TEXT);',
  '',
].join('\n');

const SQLITE_SCHEMA = [
  '-- dialect: sqlite',
  'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT, created_at TEXT);',
  'CREATE INDEX users_created ON users (created_at);',
  'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), title TEXT);',
  'CREATE TABLE tags (name TEXT);',
  '',
].join('\n');

const my = (q: string): Record<string, string> => ({ 'schema.sql': MYSQL_SCHEMA, 'q.sql': `-- dialect: mysql\n${q}` });
const lite = (q: string): Record<string, string> => ({ 'schema.sql': SQLITE_SCHEMA, 'q.sql': `-- dialect: sqlite\n${q}` });

ruleTests('missing-index', {
  valid: [
    { name: 'MySQL: KEY serves the range', files: my('SELECT id FROM users WHERE created_at > NOW() - INTERVAL 1 DAY;') },
    { name: 'MySQL: UNIQUE KEY', files: my("SELECT id FROM `users` WHERE `email` = 'a';") },
    { name: 'SQLite: INTEGER PRIMARY KEY', files: lite('SELECT title FROM posts WHERE id = ?1;') },
  ],
  invalid: [
    {
      name: 'MySQL: backticked column, fix appended after the last index of the table',
      files: my("SELECT `id` FROM `users` WHERE `name` = 'x';"),
      errors: [{ line: 2, column: 32, endColumn: 38, fixOutput: { 'schema.sql': MYSQL_SCHEMA.replace(') ENGINE=InnoDB;', ') ENGINE=InnoDB;\n\nCREATE INDEX users_name_idx ON users (name);') } }],
    },
    {
      name: 'SQLite: join probed from a filtered table',
      files: lite("SELECT p.title FROM users u JOIN posts p ON p.user_id = u.id WHERE u.email = 'a';"),
      errors: [{ line: 2, column: 47, endColumn: 54, data: { table: 'posts', column: 'user_id', clause: 'join' } }],
    },
  ],
});

ruleTests('unindexed-foreign-key', {
  valid: [{ name: 'MySQL: InnoDB indexes FKs itself', files: { 's.sql': '-- dialect: mysql\nCREATE TABLE a (id INT PRIMARY KEY, b_id INT, CONSTRAINT fk FOREIGN KEY (b_id) REFERENCES b (id)) ENGINE=InnoDB;' } }],
  invalid: [
    {
      name: 'SQLite: REFERENCES without an index',
      files: { 'schema.sql': SQLITE_SCHEMA },
      errors: [{ file: 'schema.sql', line: 4, column: 61, endColumn: 82, fixOutput: { 'schema.sql': SQLITE_SCHEMA.replace('title TEXT);', 'title TEXT);\n\nCREATE INDEX posts_user_id_idx ON posts (user_id);') } }],
    },
  ],
});

ruleTests('non-sargable-predicate', {
  valid: [{ name: 'SQLite: anchored LIKE', files: lite("SELECT id FROM users WHERE name LIKE 'a%';") }],
  invalid: [
    { name: 'MySQL: DATE() on an indexed column', files: my("SELECT id FROM users WHERE DATE(created_at) = '2024-01-01';"), errors: [{ line: 2, column: 28, endColumn: 44, data: { reason: 'function', expression: 'date(created_at)' } }] },
    { name: 'SQLite: leading wildcard', files: lite("SELECT id FROM users WHERE email LIKE '%@x.org';"), errors: [{ line: 2, column: 39, endColumn: 48, data: { reason: 'leading-wildcard' } }] },
  ],
});

ruleTests('select-star', {
  valid: [{ name: 'SQLite count(*)', files: lite('SELECT count(*) FROM users;') }],
  invalid: [
    { name: 'SQLite: expands the columns', files: lite('SELECT * FROM users WHERE id = 1;'), errors: [{ line: 2, column: 8, endColumn: 9, fixOutput: { 'q.sql': '-- dialect: sqlite\nSELECT id, email, name, created_at FROM users WHERE id = 1;' } }] },
  ],
});

ruleTests('unbounded-select', {
  valid: [{ name: 'MySQL LIMIT', files: { 'schema.sql': MYSQL_SCHEMA, 'a.ts': '// dialect: mysql\nawait conn.query("SELECT `id` FROM `logs` LIMIT 10");' } }],
  invalid: [
    {
      name: 'MySQL: whole table from application code',
      files: { 'schema.sql': MYSQL_SCHEMA, 'a.ts': '// dialect: mysql\nawait conn.query("SELECT `id`, `msg` FROM `logs`");' },
      errors: [{ file: 'a.ts', line: 2, column: 43, endColumn: 49, fixOutput: { 'a.ts': '// dialect: mysql\nawait conn.query("SELECT `id`, `msg` FROM `logs` LIMIT 100");' } }],
    },
    {
      name: 'SQLite (better-sqlite3 prepare().all())',
      files: { 'schema.sql': SQLITE_SCHEMA, 'a.ts': '// dialect: sqlite\nconst rows = db.prepare("SELECT id, title FROM posts").all();' },
      errors: [{ file: 'a.ts', line: 2, column: 48, endColumn: 53 }],
    },
  ],
});

ruleTests('missing-primary-key', {
  valid: [{ name: 'MySQL', files: { 'schema.sql': MYSQL_SCHEMA } }],
  invalid: [{ name: 'SQLite', files: { 'schema.sql': SQLITE_SCHEMA }, errors: [{ file: 'schema.sql', line: 5, column: 14, endColumn: 18 }] }],
});

ruleTests('sql-parse-error', {
  valid: [{ name: 'SQLite ?1 parameters and [brackets]', files: lite('SELECT [id] FROM users WHERE email = ?1;') }],
  invalid: [
    { name: 'MySQL: broken statement between good ones', files: my('SELECT 1;\nSELECT FROM WHERE;\nSELECT 2;'), errors: [{ line: 3, column: 13, severity: 'info', message: /Could not parse this mysql statement/ }] },
  ],
});

ruleTests('non-sargable-predicate', {
  valid: [],
  invalid: [
    {
      name: 'MySQL functional key parts get their own parentheses',
      files: { 'schema.sql': '-- dialect: mysql\nCREATE TABLE u (id INT PRIMARY KEY, created DATETIME, KEY u_created (created));', 'q.sql': "-- dialect: mysql\nSELECT id FROM u WHERE DATE(created) = '2024-01-01';" },
      errors: [{ line: 2, column: 24, fixOutput: { 'schema.sql': '-- dialect: mysql\nCREATE TABLE u (id INT PRIMARY KEY, created DATETIME, KEY u_created (created));\n\nCREATE INDEX u_date_created_idx ON u ((date(created)));' } }],
    },
  ],
});
