/**
 * Issue #14 classes 2, 12 and 13: SQL that runs once (migrations, rollbacks, seeds, scripts) and SQL
 * in tests, fixtures and examples is not a hot query. The query rules stay quiet there; the same
 * statements in runtime code are still found, and DDL in migrations still builds the schema.
 */
import { ruleTests } from '../../../helpers/rule-tester.js';

const SCHEMA = `CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL, plan text NOT NULL, notes text);
CREATE INDEX accounts_email_idx ON accounts (email);
`;
// A backfill, a data fix and a rollback each read by an unindexed column, with SELECT *.
const BACKFILL = "UPDATE accounts SET notes = '' WHERE plan = 'legacy';\nSELECT * FROM accounts WHERE lower(email) = 'a@b.c';\n";
const TS_BACKFILL = "export async function up(db) {\n  const rows = await db.query(\"SELECT * FROM accounts\");\n  await db.query(\"UPDATE accounts SET notes = '' WHERE plan = 'legacy'\");\n}\n";
const RUNTIME_TS = "export const byPlan = (db, p) => db.query(\"SELECT * FROM accounts WHERE plan = $1\", [p]);\nexport const all = (db) => db.query(\"SELECT id, email FROM accounts\");\n";

const oneOff: Record<string, Record<string, string>> = {
  'a migration backfill (folder-per-migration up.sql)': { 'migrations/2024-01-01-000000_init/up.sql': SCHEMA, 'migrations/2024-02-01-000000_backfill/up.sql': BACKFILL },
  'a rollback (down.sql)': { 'migrations/001_init.sql': SCHEMA, 'migrations/2024-02-01-000000_backfill/down.sql': BACKFILL },
  'a golang-migrate .down.sql': { 'schema.sql': SCHEMA, 'db/002_fix.down.sql': BACKFILL },
  'a Prisma data migration': { 'prisma/migrations/20240101000000_init/migration.sql': SCHEMA, 'prisma/migrations/20240201000000_fix/migration.sql': BACKFILL },
  'a seed file': { 'schema.sql': SCHEMA, 'db/seed.sql': BACKFILL },
  'a maintenance script': { 'schema.sql': SCHEMA, 'scripts/cleanup.sql': BACKFILL },
  'a knex/Sequelize migration in JavaScript': { 'schema.sql': SCHEMA, 'server/migrations/20240101-fix-plans.js': TS_BACKFILL },
  'a seeder in TypeScript': { 'schema.sql': SCHEMA, 'src/db/seeders/accounts.ts': TS_BACKFILL },
  'an integration test': { 'schema.sql': SCHEMA, 'src/accounts/accounts.integration.test.ts': RUNTIME_TS },
  'an e2e folder': { 'schema.sql': SCHEMA, 'e2e/helpers/db.ts': RUNTIME_TS },
  'test fixtures': { 'schema.sql': SCHEMA, 'test/fixtures/queries.sql': BACKFILL },
  'an example app': { 'schema.sql': SCHEMA, 'examples/basic/index.ts': RUNTIME_TS },
};

for (const rule of ['missing-index', 'unbounded-select', 'select-star', 'non-sargable-predicate']) {
  ruleTests(rule, {
    valid: Object.entries(oneOff).map(([name, files]) => ({ name: `one-off / test code: ${name}`, files })),
    invalid: [],
  });
}

// The same SQL in runtime code is still judged, and settings can say a folder is runtime code.
ruleTests('missing-index', {
  valid: [],
  invalid: [
    {
      name: 'runtime code next to a migrations folder is still judged (the migration DDL builds the schema)',
      files: { 'migrations/001_init.sql': SCHEMA, 'src/accounts.ts': RUNTIME_TS },
      errors: [{ file: 'src/accounts.ts', line: 1, column: 73, message: /No index on accounts\(plan\)/ }],
    },
    {
      name: 'paths.runtime overrides the conventions (a "scripts" folder that is the app)',
      files: { 'schema.sql': SCHEMA, 'scripts/server/queries.sql': 'SELECT id FROM accounts WHERE plan = $1;' },
      config: (c) => { c.paths.runtime = ['scripts/server/**']; },
      errors: [{ file: 'scripts/server/queries.sql', line: 1, column: 31 }],
    },
  ],
});
ruleTests('select-star', {
  valid: [],
  invalid: [{ name: 'runtime code keeps its SELECT * warning', files: { 'schema.sql': SCHEMA, 'src/accounts.ts': RUNTIME_TS }, errors: [{ file: 'src/accounts.ts', line: 1, column: 51, severity: 'warning' }] }],
});
ruleTests('unbounded-select', {
  valid: [],
  invalid: [{ name: 'runtime code keeps its unbounded-select warning', files: { 'schema.sql': SCHEMA, 'src/accounts.ts': RUNTIME_TS }, errors: [{ file: 'src/accounts.ts', line: 2, column: 60 }] }],
});
ruleTests('non-sargable-predicate', {
  valid: [],
  invalid: [{ name: 'runtime .sql query keeps its non-sargable warning', files: { 'schema.sql': SCHEMA, 'queries/accounts.sql': "SELECT id FROM accounts WHERE lower(email) = 'a@b.c';" }, errors: [{ file: 'queries/accounts.sql', line: 1, column: 31 }] }],
});
