import { ruleTests } from '../../../helpers/rule-tester.js';

const SCHEMA = 'CREATE TABLE products (id int PRIMARY KEY, title text);\nCREATE TABLE countries (code text PRIMARY KEY);\n';

ruleTests('unbounded-select', {
  valid: [
    { name: '.sql files are not application code', files: { 's.sql': SCHEMA, 'q.sql': 'SELECT id FROM products;' } },
    { name: 'LIMIT', files: { 's.sql': SCHEMA, 'a.ts': 'db.query("SELECT id FROM products LIMIT 20");' } },
    { name: 'WHERE', files: { 's.sql': SCHEMA, 'a.ts': 'db.query("SELECT id FROM products WHERE id = $1", [1]);' } },
    { name: 'aggregate only', files: { 's.sql': SCHEMA, 'a.ts': 'db.query("SELECT count(*) FROM products");' } },
    { name: 'small table listed in config', files: { 's.sql': SCHEMA, 'a.ts': 'db.query("SELECT code FROM countries");' }, config: (c) => { c.sql.smallTables = ['countries']; } },
    { name: 'unknown table', files: { 'a.ts': 'db.query("SELECT id FROM somewhere");' } },
    // Ungrouped aggregates return one row, whatever wraps them (issue #14 class 2).
    {
      name: 'ungrouped aggregates wrapped in coalesce, casts, arithmetic, FILTER (PostgreSQL)',
      files: { 's.sql': SCHEMA, 'a.ts': 'db.query("SELECT coalesce(count(*), 0) AS n FROM products");\ndb.query("SELECT max(id)::text, count(*) FILTER (WHERE title IS NULL), 1 + sum(id) FROM products");' },
    },
    { name: 'ungrouped aggregates wrapped in coalesce and CAST (MySQL)', files: { 's.sql': SCHEMA, 'a.ts': '// dialect: mysql\ndb.query("SELECT COALESCE(COUNT(*), 0), CAST(MAX(id) AS CHAR) FROM products");' } },
    { name: 'primary key = value returns at most one row', files: { 's.sql': SCHEMA, 'a.ts': 'db.query("SELECT id, title FROM products WHERE id = $1", [id]);' } },
    { name: 'EXISTS, INSERT … SELECT and a CTE read through its reference', files: { 's.sql': SCHEMA, 'a.ts': 'db.query("SELECT EXISTS (SELECT 1 FROM products)");\ndb.query("INSERT INTO countries (code) SELECT title FROM products");\ndb.query("WITH p AS (SELECT id FROM products WHERE id > $1) SELECT id FROM p");' } },
  ],
  invalid: [
    {
      name: 'a window aggregate keeps every row',
      files: { 's.sql': SCHEMA, 'a.ts': 'db.query("SELECT id, count(*) OVER () FROM products");' },
      errors: [{ file: 'a.ts', line: 1, column: 44 }],
    },
    {
      name: 'whole-table read in TS, fix adds a LIMIT',
      files: { 's.sql': SCHEMA, 'a.ts': 'const rows = await db.query("SELECT id, title FROM products");' },
      errors: [{ file: 'a.ts', line: 1, column: 52, endColumn: 60, message: /every row of products/, fixOutput: { 'a.ts': 'const rows = await db.query("SELECT id, title FROM products LIMIT 100");' } }],
    },
    {
      name: 'tagged template with ORDER BY but no LIMIT',
      files: { 's.sql': SCHEMA, 'a.ts': 'const rows = await sql`\n  SELECT id FROM products ORDER BY title\n`;' },
      errors: [{ file: 'a.ts', line: 2, column: 18, fixOutput: { 'a.ts': 'const rows = await sql`\n  SELECT id FROM products ORDER BY title LIMIT 100\n`;' } }],
    },
  ],
});

// A table whose rows do not accumulate with use (no creation time, no owner / parent column) is a lookup table: info.
const IDP = 'CREATE TABLE idp (id serial PRIMARY KEY, uid text NOT NULL UNIQUE, name text NOT NULL, config jsonb);\nCREATE TABLE posts (id serial PRIMARY KEY, "authorId" int, body text);\nCREATE TABLE events (id serial PRIMARY KEY, name text, created_at timestamptz);\nCREATE TABLE app_migrations (id serial PRIMARY KEY, name text UNIQUE, created_at timestamptz);\n';
ruleTests('unbounded-select', {
  valid: [],
  invalid: [
    {
      name: 'GROUP BY a position (GROUP BY 1) is a grouping like any other: not judged',
      files: { 's.sql': IDP, 'src/a.go': 'package a\nfunc f() {\n\trows, _ := db.Query("SELECT name, count(0) FROM events GROUP BY 1")\n\trows, _ = db.Query("SELECT id FROM events")\n}\n' },
      errors: [{ file: 'src/a.go', line: 4, column: 37, severity: 'warning' }],
    },
    {
      name: 'lookup / settings table and migration bookkeeping table: info with the reason; tables with an owner column or a creation time: warning',
      files: { 's.sql': IDP, 'src/a.go': 'package a\nfunc f() {\n\trows, _ := db.QueryContext(ctx, "SELECT id, name, config FROM idp")\n\trows, _ = db.Query(`SELECT id, body FROM posts`)\n\trows, _ = db.Query("SELECT id FROM events")\n\trows, _ = db.Query("SELECT name FROM app_migrations")\n}\n' },
      errors: [
        { file: 'src/a.go', line: 3, column: 64, severity: 'info', message: /looks like a lookup or settings table/ },
        { file: 'src/a.go', line: 4, column: 43, severity: 'warning' },
        { file: 'src/a.go', line: 5, column: 37, severity: 'warning' },
        { file: 'src/a.go', line: 6, column: 39, severity: 'info', message: /app_migrations looks like a lookup or settings table \(a migration bookkeeping table: one row per migration the code defines\)/ },
      ],
    },
  ],
});
