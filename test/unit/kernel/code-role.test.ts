import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conventionalCodeRole } from '../../../src/kernel/code-role.js';

// Folders named …-migrations / …_migrations hold one-off SQL too (umami's db/postgresql/data-migrations).
const cases: [string, string][] = [
  ['db/postgresql/data-migrations/convert-columns.sql', 'migration'],
  ['db/data_migrations/0001_fix.sql', 'migration'],
  ['sql-migrations/001.sql', 'migration'],
  ['src/migrationsHelper.ts', 'runtime'],
  ['src/migrations-ui/page.ts', 'runtime'],
];
for (const [path, role] of cases) {
  test(`code role of ${path} is ${role}`, () => assert.equal(conventionalCodeRole(path), role));
}

// Source files named for migrations hold one-off SQL wherever they sit.
for (const [path, role] of [
  ['internal/database/migrations.go', 'migration'],
  ['app/db/migrate.py', 'migration'],
  ['src/migration_v2.ts', 'migration'],
  ['src/migrationStatus.tsx', 'runtime'],
] as const) {
  test(`code role of ${path} is ${role}`, () => assert.equal(conventionalCodeRole(path), role));
}
