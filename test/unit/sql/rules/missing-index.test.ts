import { ruleTests, type InvalidCase, type ValidCase } from '../../../helpers/rule-tester.js';

const SCHEMA = `CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text
);
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    status text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE INDEX users_lower_email_idx ON users (lower(email));
CREATE INDEX orders_open_idx ON orders (created_at) WHERE status = 'open';
`;
const PART = "CREATE TABLE t (id int PRIMARY KEY, c int, status text, deleted_at timestamp, active boolean, archived boolean, kind text);\nCREATE INDEX t_open ON t (c) WHERE status = 'open';\nCREATE INDEX t_live ON t (kind) WHERE deleted_at IS NULL;\nCREATE INDEX t_na ON t (status) WHERE NOT archived AND kind IS NOT NULL;\nCREATE INDEX t_act ON t (deleted_at) WHERE active;\n";
const ws = (q: string, extra: Record<string, string> = {}): Record<string, string> => ({ 'db/migrations/001_init.sql': SCHEMA, 'q.sql': q, ...extra });

/** A table with a two-column index, to check that only the leading column serves a branch. */
const AB = 'CREATE TABLE ab (id int PRIMARY KEY, a int, b int, c int);\nCREATE INDEX ab_a_b_idx ON ab (a, b);\n';
const newIndex = (name: string, on: string, reason: string): Record<string, string> => ({
  [`db/migrations/002_${name}.sql`]: `-- Serves queries that filter ${reason} in an OR (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY ${name} ON ${on};\n`,
});

/** OR predicates: a table restricted by an OR needs a usable index for every branch. */
const OR_VALID: ValidCase[] = [
  { name: 'OR: every branch served (primary key, indexed foreign key)', files: ws('SELECT id FROM orders WHERE user_id = $1 OR id = $2;\nSELECT id FROM orders WHERE user_id = 1 OR user_id = 2 OR id IN (3, 4);') },
  { name: 'OR: an AND-ed indexed predicate outside the OR is enough', files: ws("SELECT id FROM orders WHERE user_id = $1 AND (status = 'a' OR created_at < now());") },
  { name: 'OR: a branch that does not restrict the table (optional filter)', files: ws('SELECT id FROM orders WHERE status = $1 OR $1 IS NULL;') },
  { name: 'OR across two tables restricts neither', files: ws("SELECT o.id FROM orders o, users u WHERE o.status = 'x' OR u.name = 'y';") },
  { name: 'OR: expression index and primary key', files: ws('SELECT id FROM users WHERE lower(email) = $1 OR id = 5;') },
  { name: 'OR: nested OR inside a served branch', files: ws("SELECT id FROM orders WHERE user_id = 1 OR (id > 5 AND (status = 'a' OR status = 'b'));\nSELECT id FROM orders WHERE id = 1 OR (status = 'x' AND (user_id = 1 OR id = 2));") },
  { name: 'OR: a branch with no indexable predicate leaves nothing to index', files: ws("SELECT id FROM orders WHERE status = 'a' OR status <> 'b';\nSELECT id FROM users WHERE name = 'a' OR name LIKE '%b';") },
  { name: 'OR: the leading column of a two-column index serves its branch', files: { 'schema.sql': AB, 'q.sql': 'SELECT id FROM ab WHERE a = 1 OR id = 2;\nSELECT id FROM ab WHERE (a = 1 AND b = 2) OR (c = 3 AND id = 4);' } },
  {
    name: 'OR: partial indexes usable when the branch (or the AND-ed rest) implies their predicate',
    files: { 'schema.sql': PART, 'q.sql': "SELECT id FROM t WHERE status = 'open' AND (c = 1 OR c = 2);\nSELECT id FROM t WHERE (status = 'open' AND c = 1) OR (kind = 'a' AND deleted_at IS NULL);" },
  },
  { name: 'OR: SQLite and MySQL, every branch served', files: { 'schema.sql': '-- dialect: sqlite\n' + AB, 'q.sql': '-- dialect: sqlite\nSELECT id FROM ab WHERE a = 1 OR id IN (2, 3);', 'm.sql': '-- dialect: mysql\nSELECT id FROM ab WHERE a = 1 OR (id = 2 AND c = 3);' } },
];

const OR_INVALID: InvalidCase[] = [
  {
    name: 'OR: the same unindexed column in every branch is one finding, with its fix',
    files: ws("SELECT id FROM users WHERE name = 'a' OR name = 'b';"),
    errors: [{
      line: 1, column: 28, endColumn: 32, message: /^No index on users\(name\): 2 branches of an OR in this query filter users by name, .*Add an index on users \(name\)\.$/,
      data: { table: 'users', column: 'name', columns: ['name'], clause: 'where', or: true },
      fixOutput: newIndex('users_name_idx', 'users (name)', 'users by name'),
    }],
  },
  {
    name: 'OR: one branch served, the other not: the finding is on the unserved branch',
    files: ws('SELECT id FROM orders WHERE user_id = $1 OR status = $2;'),
    errors: [{ line: 1, column: 45, endColumn: 51, message: /^No index on orders\(status\): one branch of an OR/, data: { column: 'status', columns: ['status'] }, fixOutput: newIndex('orders_status_idx', 'orders (status)', 'orders by status') }],
  },
  {
    name: 'OR: no branch served: one finding per branch, each with its own index',
    files: ws("SELECT id FROM orders WHERE status = 'a' OR created_at < now();"),
    errors: [
      { line: 1, column: 29, endColumn: 35, data: { column: 'status', columns: ['status'] }, fixOutput: newIndex('orders_status_idx', 'orders (status)', 'orders by status') },
      { line: 1, column: 45, endColumn: 55, data: { column: 'created_at', columns: ['created_at'] }, fixOutput: newIndex('orders_created_at_idx', 'orders (created_at)', 'orders by created_at') },
    ],
  },
  {
    name: 'OR: a branch of several predicates is judged like an AND; the message names its columns',
    files: ws("SELECT id FROM orders WHERE user_id = 1 OR (status = 'x' AND created_at > $1);"),
    errors: [{
      line: 1, column: 45, message: /^No index on orders\(status, created_at\): one branch of an OR in this query filters orders by status and created_at/,
      data: { column: 'status', columns: ['status', 'created_at'] },
      fixOutput: newIndex('orders_status_created_at_idx', 'orders (status, created_at)', 'orders by status, created_at'),
    }],
  },
  {
    name: 'OR: the second column of a two-column index does not serve a branch',
    files: { 'schema.sql': AB, 'q.sql': 'SELECT id FROM ab WHERE a = 1 OR b = 2;' },
    errors: [{ line: 1, column: 34, endColumn: 35, data: { table: 'ab', column: 'b', columns: ['b'] }, fixOutput: { 'schema.sql': `${AB}\nCREATE INDEX ab_b_idx ON ab (b);\n` } }],
  },
  {
    name: 'OR: partial indexes whose predicate the branch does not imply',
    files: { 'schema.sql': PART, 'q.sql': "SELECT id FROM t WHERE c = 1 OR (kind = 'a' AND deleted_at IS NOT NULL);" },
    errors: [{ line: 1, column: 24, data: { column: 'c' } }, { line: 1, column: 34, data: { column: 'kind', columns: ['kind', 'deleted_at'] } }],
  },
  {
    name: 'OR: an OR nested in a branch is part of the same OR; an unserved nested OR leaves its branch unserved',
    files: ws("SELECT id FROM orders WHERE status = 'x' OR (user_id = 1 OR id = 2);\nSELECT id FROM orders WHERE user_id = 1 OR (id > 5 AND created_at IS NULL) OR (status = 'a' AND (id = 1 OR status = 'b'));"),
    errors: [{ line: 1, column: 29, data: { column: 'status' } }, { line: 2, column: 80, data: { column: 'status', columns: ['status'] } }],
  },
  {
    name: 'OR: nested OR in a branch with nothing else',
    files: ws("SELECT id FROM orders WHERE user_id = 1 OR (status = 'a' AND (id = 1 OR name_x = 2));\nSELECT id FROM orders WHERE id = 1 OR (created_at < now() OR status = 'b');"),
    errors: [{ line: 1, column: 45, data: { column: 'status' } }, { line: 2, column: 40, data: { column: 'created_at' } }, { line: 2, column: 62, data: { column: 'status' } }],
  },
  {
    name: 'OR: a function branch without an expression index',
    files: ws("SELECT id FROM users WHERE id = 1 OR upper(name) = 'X';"),
    errors: [{ line: 1, column: 38, endColumn: 49, message: /^No index on users\(upper\(name\)\)/, data: { columns: ['upper(name)'] } }],
  },
  {
    name: 'OR: AND-ed unindexed predicate outside the OR is reported first, as before',
    files: ws("SELECT id FROM orders WHERE status = 'x' AND (user_id = 1 OR created_at > $1);"),
    errors: [{ line: 1, column: 29, data: { column: 'status', columns: ['status'] } }],
  },
  {
    name: 'OR in TypeScript: range in the host file',
    files: { 'db/migrations/001_init.sql': SCHEMA, 'src/repo.ts': "export const q = () => pool.query(\n  'SELECT id FROM orders WHERE user_id = $1 OR status = $2',\n);\n" },
    errors: [{ file: 'src/repo.ts', line: 2, column: 48, endColumn: 54, data: { table: 'orders', column: 'status', or: true } }],
  },
  {
    name: "knex-style ? placeholders in a PostgreSQL project: ranges in the host file",
    files: {
      'db/schema.sql': 'CREATE TABLE t (id int PRIMARY KEY, c int, d int, x int);\nCREATE INDEX t_x_idx ON t (x);\n',
      'src/repo.ts': "export const a = () => knex.raw('SELECT id FROM t WHERE c = ? AND d = ?', [1, 2]);\nexport const b = () => knex.raw('SELECT id FROM t WHERE x IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) OR d = ?', ids);\n",
    },
    errors: [
      { file: 'src/repo.ts', line: 1, column: 57, endColumn: 58, data: { table: 't', column: 'c', columns: ['c', 'd'] }, fixOutput: { 'db/schema.sql': 'CREATE TABLE t (id int PRIMARY KEY, c int, d int, x int);\nCREATE INDEX t_x_idx ON t (x);\n\nCREATE INDEX t_c_d_idx ON t (c, d);\n' } },
      { file: 'src/repo.ts', line: 2, column: 99, endColumn: 100, data: { table: 't', column: 'd', or: true } },
    ],
  },
  {
    name: 'OR: SQLite and MySQL',
    files: {
      'schema.sql': '-- dialect: sqlite\n' + AB,
      'q.sql': "-- dialect: sqlite\nSELECT id FROM ab WHERE a = 1 OR b = 2;\nSELECT id FROM ab WHERE c IN (1, 2) OR c = 3;",
      'm.sql': '-- dialect: mysql\nSELECT id FROM ab WHERE id = 1 OR (b = 2 AND c > 3);',
    },
    errors: [
      { file: 'm.sql', line: 2, column: 36, data: { column: 'b', columns: ['b', 'c'] } },
      { line: 2, column: 34, data: { column: 'b' } },
      { line: 3, column: 25, message: /2 branches of an OR/, data: { column: 'c', columns: ['c'] } },
    ],
  },
];

ruleTests('missing-index', {
  valid: [
    { name: 'primary key lookup', files: ws('SELECT name FROM users WHERE id = 1;') },
    { name: 'unique column', files: ws('SELECT id FROM users WHERE email = $1;') },
    { name: 'indexed foreign key column', files: ws('SELECT id FROM orders WHERE user_id = $1 ORDER BY id;') },
    { name: 'expression index matches lower(email)', files: ws('SELECT id FROM users WHERE lower(email) = lower($1);') },
    { name: 'one served predicate is enough', files: ws("SELECT id FROM orders WHERE user_id = $1 AND status = 'x';") },
    { name: 'partial index usable when its predicate column is constrained', files: ws("SELECT id FROM orders WHERE status = 'open' AND created_at > now() - interval '1 day';") },
    { name: 'unknown table is not judged', files: ws("SELECT * FROM events WHERE kind = 'x';") },
    { name: 'join probing the indexed side', files: ws("SELECT o.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = 'a@b.c';") },
    { name: 'join with no filter anywhere (hash join reads both sides)', files: ws('SELECT o.id, u.name FROM orders o JOIN users u ON u.name = o.status;') },
    { name: 'leading-wildcard LIKE is left to non-sargable-predicate', files: ws("SELECT id FROM users WHERE name LIKE '%x';") },
    { name: 'ORDER BY ... LIMIT served by an index', files: ws('SELECT id FROM orders WHERE user_id = $1 ORDER BY user_id LIMIT 10;') },
    { name: 'index added in a later migration', files: ws("SELECT id FROM orders WHERE status = 'x';", { 'db/migrations/002_idx.sql': 'CREATE INDEX orders_status_idx ON orders (status);' }) },
    { name: 'suppressed by comment', files: ws("-- perf-audit-disable-next-line missing-index\nSELECT id FROM orders WHERE status = 'x';") },
    { name: 'partial index predicates implied by the query', files: { 'schema.sql': PART, 'q.sql': "SELECT id FROM t WHERE c = 5 AND status = 'open';\nSELECT id FROM t WHERE c = 5 AND status = $1;\nSELECT id FROM t WHERE kind = 'a' AND deleted_at IS NULL;\nSELECT id FROM t WHERE status = 'x' AND archived = false AND kind > 'b';\nSELECT id FROM t WHERE deleted_at > now() AND active = true;" } },
    { name: 'a column the table does not have is not judged', files: ws('SELECT id FROM users WHERE nope = 1;\nSELECT name AS n FROM users ORDER BY n LIMIT 5;') },
    { name: 'SQLite rowid is not a missing index', files: { 'schema.sql': 'CREATE TABLE t (k TEXT);', 'q.sql': '-- dialect: sqlite\nSELECT k FROM t WHERE rowid = 5;' } },
    { name: 'broken SQL does not crash', files: ws('SELECT FROM WHERE ;') },
    { name: 'a function over an indexed column is left to non-sargable-predicate', files: ws("SELECT id FROM orders WHERE user_id + 0 = 5;\nSELECT id FROM users WHERE upper(email) = 'A';") },
    ...OR_VALID,
    { name: 'IN (…) is an equality an index serves', files: ws('SELECT id FROM orders WHERE user_id IN (1, 2, 3);\nSELECT id FROM orders WHERE user_id IN (SELECT id FROM users WHERE email = $1);') },
  ],
  invalid: [
    {
      name: 'application code comparing with a string it writes itself (a key name): info with the reason; a parameter stays a warning',
      files: { 'db/schema.sql': 'CREATE TABLE user_setting (user_id int NOT NULL, key text NOT NULL, value text NOT NULL, UNIQUE (user_id, key));', 'src/settings.ts': "await pool.query(`SELECT user_id, value FROM user_setting WHERE key = 'PERSONAL_ACCESS_TOKENS'`);\nawait pool.query(`SELECT user_id FROM user_setting WHERE value = $1`, [token]);\n" },
      errors: [
        { file: 'src/settings.ts', line: 1, column: 65, severity: 'info', message: /compared with a fixed value written in the code \('PERSONAL_ACCESS_TOKENS'\)/ },
        { file: 'src/settings.ts', line: 2, column: 58, severity: 'warning' },
      ],
    },
    {
      name: 'PostgreSQL: a whole-table GROUP BY of a count gets an index fix; one that sums another column gets the reason and no fix (no index serves it)',
      files: { 'db/schema.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, total_cents bigint NOT NULL);', 'db/queries/orders.sql': 'SELECT tenant_id, count(*) FROM orders GROUP BY tenant_id;\nSELECT tenant_id, sum(total_cents) FROM orders GROUP BY tenant_id;\n' },
      errors: [
        { file: 'db/queries/orders.sql', line: 1, column: 49, severity: 'info', message: /^No index on orders serves GROUP BY tenant_id/ },
        { file: 'db/queries/orders.sql', line: 2, column: 57, severity: 'info', noFix: true, message: /^GROUP BY tenant_id aggregates other columns of every row of orders: no index/ },
      ],
    },
    ...OR_INVALID,
    {
      name: 'IN (…) counts as an equality: it comes before the range column in the suggested keys',
      files: ws("SELECT id FROM events WHERE at > $1 AND kind IN ('x', 'y');", { 'db/migrations/002_events.sql': 'CREATE TABLE events (id int PRIMARY KEY, kind text, at timestamptz);' }),
      errors: [{ line: 1, column: 29, data: { column: 'at', columns: ['kind', 'at'] } }],
    },
    {
      name: 'WHERE on an unindexed column, fix in a new numbered migration',
      files: ws("SELECT id FROM orders\nWHERE status = 'pending'\nORDER BY created_at DESC\nLIMIT 50;"),
      errors: [{
        line: 2, column: 7, endLine: 2, endColumn: 13, severity: 'warning', message: /No index on orders\(status\)/,
        data: { table: 'orders', column: 'status', columns: ['status', 'created_at'] },
        fixOutput: { 'db/migrations/002_orders_status_created_at_idx.sql': '-- Serves queries that filter orders by status (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY orders_status_created_at_idx ON orders (status, created_at);\n' },
      }],
    },
    {
      name: 'equality columns first, then one range column',
      files: ws("SELECT id FROM events WHERE at > $1 AND kind = 'x';", { 'db/migrations/002_events.sql': 'CREATE TABLE events (id int PRIMARY KEY, kind text, at timestamptz);' }),
      errors: [{ line: 1, column: 29, data: { column: 'at', columns: ['kind', 'at'] } }],
    },
    {
      name: 'qualified column through an alias, in a join probed from a filtered table',
      files: ws("SELECT u.id FROM orders o JOIN users u ON u.name = o.status WHERE o.user_id = 1;"),
      errors: [{ line: 1, column: 45, endColumn: 49, data: { table: 'users', column: 'name', clause: 'join' } }],
    },
    {
      name: 'function without a matching expression index',
      files: ws("SELECT id FROM users WHERE upper(name) = 'X';"),
      errors: [{ line: 1, column: 28, endColumn: 39, data: { table: 'users', columns: ['upper(name)'] }, fixOutput: { 'db/migrations/002_users_upper_name_idx.sql': '-- Serves queries that filter users by upper(name) (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY users_upper_name_idx ON users (upper(name));\n' } }],
    },
    {
      name: 'partial index not usable without its predicate column',
      files: ws('SELECT id FROM orders WHERE created_at > $1;'),
      errors: [{ line: 1, column: 29, data: { columns: ['created_at'] } }],
    },
    {
      name: 'UPDATE and DELETE filters',
      files: ws("UPDATE orders SET status = 'x' WHERE status = 'y';\nDELETE FROM users WHERE name = $1;"),
      errors: [{ line: 1, column: 38 }, { line: 2, column: 25 }],
    },
    {
      name: 'subquery and CTE levels are checked',
      files: ws("WITH x AS (SELECT id FROM users WHERE name = 'a') SELECT * FROM x;\nSELECT id FROM orders WHERE user_id IN (SELECT id FROM users WHERE name = 'b');"),
      errors: [{ line: 1, column: 39 }, { line: 2, column: 68 }],
    },
    {
      name: 'ORDER BY with LIMIT and no usable index is info',
      files: ws('SELECT id FROM users ORDER BY name LIMIT 20;'),
      errors: [{ line: 1, column: 31, severity: 'info', data: { clause: 'order-by', columns: ['name'] } }],
    },
    {
      name: 'schema file without migrations: the index goes after CREATE TABLE',
      files: { 'schema.sql': 'CREATE TABLE t (id int PRIMARY KEY, k text);\nCREATE TABLE u (id int PRIMARY KEY);\n', 'q.sql': "SELECT id FROM t WHERE k = 'a';" },
      errors: [{ line: 1, column: 24, fixOutput: { 'schema.sql': 'CREATE TABLE t (id int PRIMARY KEY, k text);\n\nCREATE INDEX t_k_idx ON t (k);\nCREATE TABLE u (id int PRIMARY KEY);\n' } }],
    },
    {
      name: 'SQL in TypeScript with ranges in the host file',
      files: { 'db/migrations/001_init.sql': SCHEMA, 'src/repo.ts': 'export const q = () => pool.query(\n  `SELECT id FROM orders WHERE status = ${s}`,\n);\n' },
      errors: [{ file: 'src/repo.ts', line: 2, column: 32, endColumn: 38, data: { table: 'orders' } }],
    },
    {
      name: 'MySQL: InnoDB indexes foreign keys itself, other columns still need one',
      files: {
        'schema.sql': '-- dialect: mysql\nCREATE TABLE a (id INT PRIMARY KEY, b_id INT, k VARCHAR(10), FOREIGN KEY (b_id) REFERENCES b (id)) ENGINE=InnoDB;',
        'q.sql': "-- dialect: mysql\nSELECT id FROM a WHERE b_id = 1;\nSELECT id FROM a WHERE k = 'x';",
      },
      errors: [{ line: 3, column: 24, fixOutput: { 'schema.sql': '-- dialect: mysql\nCREATE TABLE a (id INT PRIMARY KEY, b_id INT, k VARCHAR(10), FOREIGN KEY (b_id) REFERENCES b (id)) ENGINE=InnoDB;\n\nCREATE INDEX a_k_idx ON a (k);' } }],
    },
    {
      name: 'MySQL: a function of a query parameter (JSON_SEARCH(value, ..., ?)) is no index key; the other filter is judged alone',
      files: {
        'schema.sql': '-- dialect: mysql\nCREATE TABLE user_setting (user_id INT NOT NULL, `key` VARCHAR(256) NOT NULL, value LONGTEXT NOT NULL, UNIQUE KEY (user_id, `key`));',
        'q.sql': "-- dialect: mysql\nSELECT user_id, value FROM user_setting WHERE `key` = 'X' AND JSON_SEARCH(value, 'one', ?, NULL, '$.tokens[*].hash') IS NOT NULL;",
      },
      errors: [{ line: 2, column: 47, message: /^No index on user_setting\(key\): .* Add an index on user_setting \(key\)\.$/, fixOutput: { 'schema.sql': '-- dialect: mysql\nCREATE TABLE user_setting (user_id INT NOT NULL, `key` VARCHAR(256) NOT NULL, value LONGTEXT NOT NULL, UNIQUE KEY (user_id, `key`));\n\nCREATE INDEX user_setting_key_idx ON user_setting (`key`);' } }],
    },
    {
      name: 'SQLite',
      files: { 'schema.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT);', 'q.sql': "-- dialect: sqlite\nSELECT id FROM t WHERE k = 'x';" },
      errors: [{ line: 2, column: 24 }],
    },
    {
      name: 'Prisma @@map/@map: the query uses column names, the fix uses field names',
      files: {
        'prisma/schema.prisma': 'model Post {\n  id       Int @id\n  authorId Int @map("author_id")\n\n  @@map("posts")\n}\n',
        'q.sql': 'SELECT id FROM posts WHERE author_id = $1;',
      },
      errors: [{ line: 1, column: 28, data: { table: 'posts', column: 'author_id' }, fixOutput: { 'prisma/schema.prisma': 'model Post {\n  id       Int @id\n  authorId Int @map("author_id")\n\n  @@map("posts")\n  @@index([authorId])\n}\n' } }],
    },
    {
      name: 'Prisma schema as the source of indexes',
      files: {
        'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Post {\n  id Int @id\n  title String\n  authorId Int\n  @@index([authorId])\n}\n',
        'q.sql': "SELECT id FROM post WHERE authorid = 1;\nSELECT id FROM post WHERE title = 'x';",
      },
      errors: [{ line: 2, column: 27, fixOutput: { 'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Post {\n  id Int @id\n  title String\n  authorId Int\n  @@index([authorId])\n  @@index([title])\n}\n' } }],
    },
    {
      name: 'quoted mixed-case PostgreSQL names (Prisma migrations) keep their spelling in the fix',
      files: {
        'db/migrations/001_init.sql': 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY, "authorId" INTEGER NOT NULL, "Title" text, "user" int);\n',
        'q.sql': 'SELECT id FROM "Post" WHERE "Title" = $1;\nSELECT id FROM "Post" WHERE lower("Title") = $1;\nSELECT id FROM "Post" WHERE "user" = 1;',
      },
      errors: [
        { line: 1, column: 29, endColumn: 36, data: { table: 'post', column: 'title' }, fixOutput: { 'db/migrations/002_post_title_idx.sql': '-- Serves queries that filter post by title (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY post_title_idx ON "Post" ("Title");\n' } },
        { line: 2, column: 29, fixOutput: { 'db/migrations/002_post_lower_title_idx.sql': '-- Serves queries that filter post by lower("Title") (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY post_lower_title_idx ON "Post" (lower("Title"));\n' } },
        { line: 3, column: 29, fixOutput: { 'db/migrations/002_post_user_idx.sql': '-- Serves queries that filter post by user (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY post_user_idx ON "Post" ("user");\n' } },
      ],
    },
    {
      name: 'MySQL backtick-quoted names with spaces and reserved words are quoted in the fix',
      files: {
        'schema.sql': '-- dialect: mysql\nCREATE TABLE `Order Items` (id INT PRIMARY KEY, `Sku Code` VARCHAR(10), `order` INT);',
        'q.sql': "-- dialect: mysql\nSELECT id FROM `Order Items` WHERE `Sku Code` = 'x' AND `order` = 2;",
      },
      errors: [{ line: 2, column: 36, fixOutput: { 'schema.sql': '-- dialect: mysql\nCREATE TABLE `Order Items` (id INT PRIMARY KEY, `Sku Code` VARCHAR(10), `order` INT);\n\nCREATE INDEX order_items_sku_code_order_idx ON `Order Items` (`Sku Code`, `order`);' } }],
    },
    {
      name: 'the index name never reuses an existing index or table name',
      files: {
        'schema.sql': 'CREATE TABLE t (id int PRIMARY KEY, a int, b int);\nCREATE TABLE u (id int PRIMARY KEY, name text);\nCREATE INDEX t_a_idx ON u (name);\nCREATE TABLE t_b_idx (id int PRIMARY KEY);\n',
        'q.sql': 'SELECT id FROM t WHERE a = 1;\nSELECT id FROM t WHERE b = 1;',
      },
      errors: [
        { line: 1, column: 24, fixOutput: { 'schema.sql': 'CREATE TABLE t (id int PRIMARY KEY, a int, b int);\n\nCREATE INDEX t_a_idx_1 ON t (a);\nCREATE TABLE u (id int PRIMARY KEY, name text);\nCREATE INDEX t_a_idx ON u (name);\nCREATE TABLE t_b_idx (id int PRIMARY KEY);\n' } },
        { line: 2, column: 24, fixOutput: { 'schema.sql': 'CREATE TABLE t (id int PRIMARY KEY, a int, b int);\n\nCREATE INDEX t_b_idx_1 ON t (b);\nCREATE TABLE u (id int PRIMARY KEY, name text);\nCREATE INDEX t_a_idx ON u (name);\nCREATE TABLE t_b_idx (id int PRIMARY KEY);\n' } },
      ],
    },
    {
      name: 'SQL-syntax functions (extract, position) are written back as SQL syntax',
      files: ws("SELECT id FROM users WHERE extract(year from created) = 2024;\nSELECT id FROM users WHERE position('x' in name) = 1;", { 'db/migrations/002_created.sql': 'ALTER TABLE users ADD COLUMN created date;' }),
      errors: [
        { line: 1, column: 28, fixOutput: { 'db/migrations/003_users_extract_year_from_created_idx.sql': '-- Serves queries that filter users by extract(year from created) (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY users_extract_year_from_created_idx ON users (extract(year from created));\n' } },
        { line: 2, column: 28, fixOutput: { 'db/migrations/003_users_position_x_in_name_idx.sql': '-- Serves queries that filter users by position(\'x\' in name) (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY users_position_x_in_name_idx ON users (position(\'x\' in name));\n' } },
      ],
    },
    {
      name: 'no fix when the expression cannot be written back as valid SQL',
      files: ws("SELECT id FROM users WHERE lower(CASE WHEN true THEN name END) = 'x';"),
      errors: [{ line: 1, column: 28, noFix: true }],
    },
    {
      name: 'migrations named by number alone (001.sql, 002.sql) get 003.sql, never an append',
      files: { 'migrations/001.sql': 'CREATE TABLE t (id int PRIMARY KEY, k text);\n', 'migrations/002.sql': "UPDATE t SET k = 'x';\n", 'q.sql': "SELECT id FROM t WHERE k = 'a';" },
      errors: [{ line: 1, column: 24, fixOutput: { 'migrations/001.sql': 'CREATE TABLE t (id int PRIMARY KEY, k text);\n', 'migrations/003.sql': '-- Serves queries that filter t by k (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY t_k_idx ON t (k);\n' } }],
    },
    {
      name: 'Flyway versioned migrations (V1__init.sql)',
      files: { 'db/migration/V1__init.sql': 'CREATE TABLE t (id int PRIMARY KEY, k text);\n', 'db/migration/V2__data.sql': "UPDATE t SET k = 'x';\n", 'q.sql': "SELECT id FROM t WHERE k = 'a';" },
      errors: [{ line: 1, column: 24, fixOutput: { 'db/migration/V3__t_k_idx.sql': '-- Serves queries that filter t by k (q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY t_k_idx ON t (k);\n' } }],
    },
    {
      name: 'partial index whose predicate the query contradicts or does not imply',
      files: { 'schema.sql': PART, 'q.sql': "SELECT id FROM t WHERE c = 5 AND status = 'closed';\nSELECT id FROM t WHERE kind = 'a' AND deleted_at IS NOT NULL;\nSELECT id FROM t WHERE status = 'x' AND archived AND kind = 'b';\nSELECT id FROM t WHERE deleted_at > now() AND NOT active;" },
      errors: [{ line: 1, column: 24, data: { column: 'c' } }, { line: 2, column: 24, data: { column: 'kind' } }, { line: 3, column: 24, data: { column: 'status' } }, { line: 4, column: 24, data: { column: 'deleted_at' } }],
    },
    {
      name: 'SQLite partial index predicates are compared too',
      files: { 'schema.sql': '-- dialect: sqlite\n' + PART, 'q.sql': "-- dialect: sqlite\nSELECT id FROM t WHERE c = 5 AND status = 'closed';\nSELECT id FROM t WHERE c = 5 AND status = 'open';" },
      errors: [{ line: 2, column: 24, data: { column: 'c' } }],
    },
  ],
});

// Issue #14 class 2: a pattern that starts with a wildcard never gets a B-tree index suggestion.
ruleTests('missing-index', {
  valid: [
    { name: "leading wildcard LIKE / ILIKE (PostgreSQL), also built at run time", files: ws("SELECT id FROM users WHERE name LIKE '%son';\nSELECT id FROM users WHERE name ILIKE '%' || $1 || '%';") },
    { name: 'leading wildcard LIKE (MySQL, CONCAT)', files: { 'schema.sql': '-- dialect: mysql\nCREATE TABLE users (id int PRIMARY KEY, name varchar(100));', 'q.sql': "-- dialect: mysql\nSELECT id FROM users WHERE name LIKE CONCAT('%', ?, '%');\nSELECT id FROM users WHERE name LIKE '%x';" } },
    { name: 'leading wildcard LIKE (SQLite)', files: { 'schema.sql': '-- dialect: sqlite\nCREATE TABLE users (id integer PRIMARY KEY, name text);', 'q.sql': "-- dialect: sqlite\nSELECT id FROM users WHERE name LIKE '%' || ? || '%';" } },
  ],
  invalid: [],
});

// Issue #14 class 4: PostgreSQL index suggestions right for the database.
const PEOPLE = `CREATE TYPE person_kind AS ENUM ('staff', 'guest');
CREATE TABLE people (id bigserial PRIMARY KEY, name text, code varchar(20), email text, active boolean NOT NULL, kind person_kind NOT NULL, deleted_at timestamptz, team_id bigint);
`;
const pg = (q: string, extra = ''): Record<string, string> => ({ 'db/migrations/001_init.sql': PEOPLE + extra, 'src/q.sql': q });
const created = (name: string, def: string): Record<string, string> => ({
  [`db/migrations/002_${name}.sql`]: `-- Serves queries that filter people by ${def.split(' (')[0]} (src/q.sql).\n-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\nCREATE INDEX CONCURRENTLY ${name} ON people (${def.split(' (')[1]};\n`,
});
ruleTests('missing-index', {
  valid: [
    { name: "prefix LIKE served by a text_pattern_ops index", files: pg("SELECT id FROM people WHERE name LIKE 'ab%';", 'CREATE INDEX people_name_pat ON people (name text_pattern_ops);') },
    { name: 'prefix LIKE served by an index with COLLATE "C"', files: pg("SELECT id FROM people WHERE name LIKE 'ab%';", 'CREATE INDEX people_name_c ON people (name COLLATE "C");') },
    { name: 'prefix LIKE on MySQL: the B-tree serves it', files: { 'schema.sql': '-- dialect: mysql\nCREATE TABLE people (id int PRIMARY KEY, name varchar(50), KEY people_name (name));', 'q.sql': "-- dialect: mysql\nSELECT id FROM people WHERE name LIKE 'ab%';" } },
  ],
  invalid: [
    {
      name: 'prefix LIKE with no index: the fix uses text_pattern_ops (varchar_pattern_ops for varchar)',
      files: pg("SELECT id FROM people WHERE name LIKE 'ab%';\nSELECT id FROM people WHERE code LIKE 'X-%';"),
      errors: [
        { line: 1, column: 29, severity: 'warning', message: /Add an index on people \(name text_pattern_ops\)/, fixOutput: created('people_name_text_pattern_ops_idx', 'name (name text_pattern_ops)') },
        { line: 2, column: 29, severity: 'warning', message: /\(code varchar_pattern_ops\)/ },
      ],
    },
    {
      name: 'prefix LIKE on a column with a plain index: info (only the C collation lets it serve LIKE)',
      files: pg("SELECT id FROM people WHERE name LIKE 'ab%';", 'CREATE INDEX people_name ON people (name);'),
      errors: [{ line: 1, column: 29, severity: 'info', message: /serves LIKE 'prefix%' only if the database collation is C.*\(name text_pattern_ops\)/ }],
    },
    {
      name: 'lower(col) LIKE: an expression index with text_pattern_ops',
      files: pg("SELECT id FROM people WHERE lower(email) LIKE 'ab%';"),
      errors: [{ line: 1, column: 29, severity: 'warning', message: /\(lower\(email\) text_pattern_ops\)/, fixOutput: created('people_lower_email_text_pattern_ops_idx', 'lower(email) (lower(email) text_pattern_ops)') }],
    },
    {
      name: 'low-selectivity filters alone (boolean, IS NULL, enum, small table): info with the reason',
      files: pg("SELECT id FROM people WHERE active = true;\nSELECT id FROM people WHERE deleted_at IS NULL;\nSELECT id FROM people WHERE kind = 'staff';\nSELECT id FROM people WHERE active AND kind = $1;"),
      errors: [
        { line: 1, column: 29, severity: 'info', message: /active is a boolean \(two values\)/ },
        { line: 2, column: 29, severity: 'info', message: /deleted_at IS NULL matches most rows \(it marks the live ones\)/ },
        { line: 3, column: 29, severity: 'info', message: /kind is an enum \(person_kind: a few values\)/ },
        { line: 4, column: 29, severity: 'info', message: /boolean.*and kind is an enum/ },
      ],
    },
    {
      name: 'IS NOT NULL alone keeps every row that has a value: info, with the partial index for a rarely set column',
      files: pg('SELECT count(*) FROM people WHERE team_id IS NOT NULL;'),
      errors: [{ line: 1, column: 35, severity: 'info', message: /team_id IS NOT NULL keeps every row that has a value \(most rows, unless the column is rarely set: then a partial index WHERE team_id IS NOT NULL serves it\)/ }],
    },
    {
      name: 'IS NULL on a column that is not a soft-delete marker (a tree root) may be selective: warning',
      files: pg('SELECT id FROM people WHERE team_id IS NULL;'),
      errors: [{ line: 1, column: 29, severity: 'warning' }],
    },
    {
      name: '`expires IS NULL OR expires > now()` keeps the live rows: info',
      files: { 'schema.sql': 'CREATE TABLE tokens (token text PRIMARY KEY, user_id int, expires timestamp);', 'q.sql': 'SELECT user_id FROM tokens WHERE token LIKE $1 AND (expires IS NULL OR expires > now());' },
      errors: [{ file: 'q.sql', line: 1, column: 53, severity: 'info', message: /keeps the live rows/ }],
    },
    {
      name: 'a small table listed in sql.smallTables: info',
      files: pg('SELECT id FROM people WHERE team_id = $1;'),
      config: (c) => { c.sql.smallTables = ['people']; },
      errors: [{ line: 1, column: 29, severity: 'info', message: /listed as a small table/ }],
    },
    {
      name: 'selective elsewhere: a low-selectivity column next to a selective one stays a warning',
      files: pg('SELECT id FROM people WHERE team_id = $1 AND deleted_at IS NULL;'),
      errors: [{ line: 1, column: 29, severity: 'warning', message: /Add an index on people \(team_id, deleted_at\)/ }],
    },
    {
      name: 'MySQL ENUM and Prisma enum fields: info',
      files: {
        'schema.sql': "-- dialect: mysql\nCREATE TABLE tickets (id int PRIMARY KEY, state ENUM('open','closed') NOT NULL);",
        'q.sql': "-- dialect: mysql\nSELECT id FROM tickets WHERE state = 'open';",
      },
      errors: [{ file: 'q.sql', line: 2, column: 30, severity: 'info', message: /state is an enum/ }],
    },
    {
      name: 'Prisma enum field: info',
      files: {
        'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nenum Role {\n  ADMIN\n  USER\n}\nmodel Member {\n  id Int @id\n  role Role\n}\n',
        'src/members.ts': 'db.query(`SELECT id FROM "Member" WHERE role = $1`, [r]);',
      },
      errors: [{ file: 'src/members.ts', line: 1, column: 41, severity: 'info', message: /role is an enum \(Role: a few values\)/ }],
    },
  ],
});
