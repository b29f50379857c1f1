import { ruleTests } from '../../../helpers/rule-tester.js';

const SCHEMA = 'CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, name text, created_at timestamp, seen_at timestamptz);\nCREATE INDEX users_seen_idx ON users (seen_at);\nCREATE INDEX users_created_idx ON users (created_at);\nCREATE INDEX users_lower_email_idx ON users (lower(email));\n';
const ws = (q: string): Record<string, string> => ({ 'schema.sql': SCHEMA, 'q.sql': q });

ruleTests('non-sargable-predicate', {
  valid: [
    { name: 'bare indexed column', files: ws("SELECT id FROM users WHERE email = 'a';") },
    { name: 'function matched by an expression index', files: ws("SELECT id FROM users WHERE lower(email) = 'a';") },
    { name: 'function on a column with no index at all (nothing lost; missing-index decides)', files: ws("SELECT id FROM users WHERE upper(name) = 'A';") },
    { name: 'anchored LIKE', files: ws("SELECT id FROM users WHERE name LIKE 'abc%';") },
    { name: 'function on the constant side', files: ws('SELECT id FROM users WHERE created_at > now() - interval \'1 day\';') },
    { name: 'unknown table', files: ws("SELECT id FROM x WHERE lower(a) = 'b';") },
    { name: 'trigram GIN index serves leading wildcards', files: { 'schema.sql': SCHEMA + 'CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);', 'q.sql': "SELECT id FROM users WHERE name LIKE '%x%';" } },
  ],
  invalid: [
    {
      name: "MySQL: lower(col) = … gets the advice to compare the bare column (its collation ignores case), no functional index",
      files: { 'db/schema.sql': '-- dialect: mysql\nCREATE TABLE `users` (`id` int NOT NULL, `email` varchar(255) NOT NULL, PRIMARY KEY (`id`), UNIQUE KEY `users_email` (`email`)) ENGINE=InnoDB;', 'src/users.ts': "await pool.query(`SELECT id FROM users WHERE lower(email) = ?`, [email]);\n" },
      errors: [{ file: 'src/users.ts', line: 1, column: 46, noFix: true, message: /compare the bare column \(email = …\)/ }],
    },
    {
      name: 'function on an indexed column, with an expression-index fix',
      files: ws("SELECT id FROM users\nWHERE date_trunc('day', created_at) = $1;"),
      errors: [{
        line: 2, column: 7, endColumn: 36, message: /users\.created_at is indexed, but the function date_trunc\('day', created_at\)/,
        fixTitle: /Create expression index/,
        fixOutput: { 'schema.sql': SCHEMA.trimEnd() + "\n\nCREATE INDEX users_date_trunc_day_created_at_idx ON users (date_trunc('day', created_at));\n" },
      }],
    },
    {
      name: 'extract(... from ...) on an indexed column: the expression index is written in SQL syntax',
      files: ws('SELECT id FROM users WHERE extract(year from created_at) = 2024;'),
      errors: [{
        line: 1, column: 28, endColumn: 57, message: /the function extract\(year from created_at\)/,
        fixOutput: { 'schema.sql': SCHEMA.trimEnd() + '\n\nCREATE INDEX users_extract_year_from_created_at_idx ON users (extract(year from created_at));\n' },
      }],
    },
    {
      name: 'timestamptz expressions cannot be indexed: advise a range, no fix',
      files: ws("SELECT id FROM users WHERE seen_at::date = $1;"),
      errors: [{ line: 1, column: 28, endColumn: 41, message: /timestamptz expression cannot be indexed.*seen_at >= \$1 AND seen_at < \$1 \+ interval '1 day'/, noFix: true }],
    },
    {
      name: 'ILIKE on an indexed column',
      files: ws("SELECT id FROM users WHERE email ILIKE 'ann%';"),
      errors: [{ line: 1, column: 28, endColumn: 46, data: { reason: 'case-insensitive' }, noFix: true }],
    },
    {
      name: 'lower() on a column indexed without the expression',
      files: ws("SELECT id FROM users WHERE upper(email) = 'A';"),
      errors: [{ line: 1, column: 28, endColumn: 40, data: { reason: 'function', expression: 'upper(email)' } }],
    },
    {
      name: 'cast and arithmetic',
      files: ws("SELECT id FROM users WHERE created_at::date = '2024-01-01';\nSELECT id FROM users WHERE id + 1 = 10;"),
      errors: [{ line: 1, column: 28, data: { reason: 'cast', expression: 'created_at::date' }, fixOutput: { 'schema.sql': SCHEMA.trimEnd() + '\n\nCREATE INDEX users_created_at_date_idx ON users ((created_at::date));\n' } }, { line: 2, column: 28, endColumn: 34, data: { reason: 'arithmetic' }, noFix: true }],
    },
    {
      name: 'leading wildcard LIKE / ILIKE reported on the pattern',
      files: ws("SELECT id FROM users WHERE name LIKE '%smith';\nSELECT id FROM users WHERE email ILIKE '_a%';"),
      errors: [{ line: 1, column: 38, endColumn: 46, data: { reason: 'leading-wildcard' } }, { line: 2, column: 40, endColumn: 45 }],
    },
    {
      name: 'in application code',
      files: { 'schema.sql': SCHEMA, 'src/a.ts': 'db.query("SELECT id FROM users WHERE upper(email) = $1", [e]);' },
      errors: [{ file: 'src/a.ts', line: 1, column: 38, endColumn: 50 }],
    },
  ],
});

// Issue #14 class 2: a leading-wildcard LIKE never gets a B-tree suggestion; what serves it depends on the database.
const MIG = { 'db/migrations/001_init.sql': SCHEMA };
const TRGM = (file: string, reason: string): Record<string, string> => ({
  [file]: `-- ${reason}\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY users_name_gin_trgm_ops_idx ON users USING gin (name gin_trgm_ops);\n`,
});
ruleTests('non-sargable-predicate', {
  valid: [
    { name: 'a pattern from a parameter alone says nothing', files: ws('SELECT id FROM users WHERE name LIKE $1;') },
  ],
  invalid: [
    {
      name: "PostgreSQL: '%…%' → a pg_trgm GIN index, in a new migration",
      files: { ...MIG, 'src/search.ts': "db.query(\"SELECT id FROM users WHERE name ILIKE '%' || $1 || '%'\", [q]);" },
      errors: [{
        file: 'src/search.ts', line: 1, column: 49, severity: 'warning', message: /starts with a wildcard: no B-tree index can serve it, so every row of users is read\. .*gin_trgm_ops/,
        fixOutput: TRGM('db/migrations/002_users_name_gin_trgm_ops_idx.sql', "Trigram index for LIKE '%…' on users.name (src/search.ts)."),
      }],
    },
    {
      name: 'MySQL: info, FULLTEXT advice, no index fix',
      files: { 'schema.sql': '-- dialect: mysql\nCREATE TABLE users (id int PRIMARY KEY, name varchar(100), KEY users_name (name));', 'q.sql': "-- dialect: mysql\nSELECT id FROM users WHERE name LIKE CONCAT('%', ?, '%');" },
      errors: [{ file: 'q.sql', line: 2, column: 45, severity: 'info', message: /FULLTEXT index with MATCH … AGAINST/, noFix: true }],
    },
    {
      name: 'SQLite: info, FTS5 advice, no index fix',
      files: { 'schema.sql': 'CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT, name text);', 'q.sql': "-- dialect: sqlite\nSELECT id FROM users WHERE name LIKE '%' || ? || '%';" },
      errors: [{ file: 'q.sql', line: 2, column: 38, severity: 'info', message: /FTS5/, noFix: true }],
    },
    {
      name: 'another indexed predicate finds the rows: the pattern only filters them (info, no fix)',
      files: ws("SELECT id FROM users WHERE id = $1 AND name LIKE '%x%';\nSELECT id FROM users WHERE email = $1 AND upper(email) = 'A';"),
      errors: [
        { line: 1, column: 50, severity: 'info', message: /reaches users through the index on users\(id\), so this predicate only filters/, noFix: true },
        { line: 2, column: 43, severity: 'info', message: /through the index on users\(email\)/ },
      ],
    },
  ],
});
