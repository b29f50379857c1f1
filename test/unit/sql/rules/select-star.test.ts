import { ruleTests } from '../../../helpers/rule-tester.js';

const SCHEMA = 'CREATE TABLE users (id int PRIMARY KEY, email text, name text);\n';

ruleTests('select-star', {
  valid: [
    { name: 'explicit columns', files: { 's.sql': SCHEMA, 'q.sql': 'SELECT id, email FROM users;' } },
    { name: 'count(*)', files: { 'q.sql': 'SELECT count(*) FROM users;' } },
    { name: 'EXISTS (SELECT * ...) inner levels are not reported', files: { 'q.sql': 'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id);' } },
    { name: 'suppressed in TS', files: { 'a.ts': '// perf-audit-disable-next-line select-star\nawait db.query("SELECT * FROM users");' } },
  ],
  invalid: [
    {
      name: 'Go: rows mapped into structs (xorm SQL(…).Find, sqlx Select/Get) are info; a plain Query stays a warning',
      files: { 's.sql': SCHEMA, 'store/users.go': 'package store\n\nfunc A(s *xorm.Session) {\n\ts.SQL(`SELECT * FROM users WHERE id = ?`, id).Find(&users)\n}\n\nfunc B(db *sqlx.DB) {\n\tdb.Select(&users, "SELECT * FROM users WHERE email = ?", e)\n}\n\nfunc C(db *sql.DB) {\n\tdb.Query("SELECT * FROM users WHERE name = ?", n)\n}\n\nfunc D(s *xorm.Session) {\n\ts.SQL(`SELECT * FROM users`).Rows()\n}\n' },
      errors: [
        { file: 'store/users.go', line: 4, column: 16, severity: 'info', message: /maps each row into a struct by column name/, data: { tables: ['users'], mapsToStructs: true } },
        { file: 'store/users.go', line: 8, column: 28, severity: 'info', data: { tables: ['users'], mapsToStructs: true } },
        { file: 'store/users.go', line: 12, column: 19, severity: 'warning' },
        { file: 'store/users.go', line: 16, column: 16, severity: 'warning' },
      ],
    },
    {
      name: 'in a .sql file: info, fix expands the columns',
      files: { 's.sql': SCHEMA, 'q.sql': 'SELECT * FROM users WHERE id = 1;' },
      errors: [{ line: 1, column: 8, endColumn: 9, severity: 'info', fixOutput: { 'q.sql': 'SELECT id, email, name FROM users WHERE id = 1;' } }],
    },
    {
      name: 'alias.* in application code: warning, expands with the qualifier',
      files: { 's.sql': SCHEMA, 'src/a.ts': 'const r = await pool.query(`SELECT u.* FROM users u WHERE u.id = ${id}`);' },
      errors: [{ file: 'src/a.ts', line: 1, column: 38, endColumn: 39, severity: 'warning', fixOutput: { 'src/a.ts': 'const r = await pool.query(`SELECT u.id, u.email, u.name FROM users u WHERE u.id = ${id}`);' } }],
    },
    {
      name: 't.* in a join in application code (whole rows for model objects): info naming only that table',
      files: { 's.sql': SCHEMA, 'src/a.ts': 'const r = await sequelize.query(`SELECT DISTINCT u.*, o.id AS "order.id" FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = :id`);' },
      errors: [{ file: 'src/a.ts', line: 1, column: 52, endColumn: 53, severity: 'info', noFix: true, message: /^u\.\* reads every column of users: fine when the code builds whole users objects/ }],
    },
    {
      name: 'star of one table in a join is not expanded',
      files: { 's.sql': SCHEMA, 'q.sql': 'SELECT u.* FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = 1;' },
      errors: [{ line: 1, column: 10, noFix: true }],
    },
    {
      name: 'aliased star expands with the alias',
      files: { 's.sql': SCHEMA, 'q.sql': 'SELECT * FROM users u;' },
      errors: [{ line: 1, column: 8, fixOutput: { 'q.sql': 'SELECT u.id, u.email, u.name FROM users u;' } }],
    },
    {
      name: 'MySQL backticks',
      files: { 'q.sql': '-- dialect: mysql\nSELECT * FROM `users` WHERE `id` = 1;' },
      errors: [{ line: 2, column: 8, endColumn: 9 }],
    },
  ],
});

ruleTests('select-star', {
  valid: [],
  invalid: [
    { name: 'UNION: the first arm is the outer select (PostgreSQL like MySQL)', files: { 'q.sql': 'SELECT * FROM a UNION ALL SELECT id FROM b;' }, errors: [{ line: 1, column: 8 }] },
    { name: 'UNION in MySQL', files: { 'q.sql': '-- dialect: mysql\nSELECT * FROM a UNION ALL SELECT id FROM b;' }, errors: [{ line: 2, column: 8 }] },
  ],
});
