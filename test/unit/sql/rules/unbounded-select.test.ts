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
  ],
  invalid: [
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
