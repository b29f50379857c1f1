import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeRoleClassifier, codeRoleOf, conventionalCodeRole, isBackgroundPath, isOneOff, isTestLike, type CodeRole } from '../../../src/kernel/code-role.js';
import { parseSettings } from '../../../src/analyzers/index.js';

const CASES: [string, CodeRole][] = [
  // Runtime code and schema files.
  ['src/queries/users.ts', 'runtime'],
  ['store/db/sqlite/memo.go', 'runtime'],
  ['internal/storage/entry.go', 'runtime'],
  ['schema.sql', 'runtime'],
  ['db/structure.sql', 'runtime'],
  ['app/models/user.rb', 'runtime'],
  ['contrib/nginx.conf', 'runtime'],
  // Migrations, in the naming of each tool.
  ['migrations/2021-02-03-120000_add_users/up.sql', 'migration'],
  ['prisma/migrations/20230101000000_init/migration.sql', 'migration'],
  ['db/migrations/000001_init.up.sql', 'migration'],
  ['src/main/resources/db/V2__add_index.sql', 'migration'],
  ['store/migration/mysql/0.23/00__reactions.sql', 'migration'],
  ['alembic/versions/abc123_add.py', 'migration'],
  ['db/migrate/20240101_create_users.rb', 'migration'],
  // Rollbacks are never forward schema.
  ['migrations/2021-02-03-120000_add_users/down.sql', 'rollback'],
  ['db/migrations/000001_init.down.sql', 'rollback'],
  ['db/U2__add_index.sql', 'rollback'],
  ['sql/rollback/0003.sql', 'rollback'],
  ['migrations/0004_users_rollback.sql', 'rollback'],
  // Seeds and one-off scripts.
  ['prisma/seed.ts', 'seed'],
  ['db/seeds/users.sql', 'seed'],
  ['scripts/backfill-users.sql', 'script'],
  ['bin/fix_data.py', 'script'],
  ['packages/lib/jobs/definitions/internal/backport-subscription-claims.handler.ts', 'script'],
  ['app/jobs/backfill_user_stats.rb', 'script'],
  ['src/backfilling.ts', 'runtime'],
  ['hc/api/management/commands/sendreports.py', 'script'],
  ['packages/db/drizzle/0051_fuzzy_red_hulk.sql', 'migration'],
  ['src/drizzle/schema.ts', 'runtime'],
  ['app/commands/run.py', 'runtime'],
  // Tests, fixtures and harnesses.
  ['src/users.test.ts', 'test'],
  ['e2e/login.spec.ts', 'test'],
  ['internal/store/store_test.go', 'test'],
  ['hc/api/tests/test_list.py', 'test'],
  ['spec/models/user_spec.rb', 'test'],
  ['bookmarks/tests_e2e/e2e_test_bookmark_page.py', 'test'],
  ['src/api-tests/users.ts', 'test'],
  ['src/latest/users.ts', 'runtime'],
  ['docker/federation/nginx.conf', 'runtime'],
  ['test/fixtures/schema.sql', 'test'],
  ['packages/app/__tests__/a.tsx', 'test'],
  ['testdata/migrations/1.sql', 'test'],
  // Examples and docs.
  ['examples/blog/schema.sql', 'example'],
  ['docs/nginx.conf', 'example'],
];

test('conventional roles: runtime, migration, rollback, seed, script, test, example', () => {
  for (const [path, role] of CASES) assert.equal(conventionalCodeRole(path), role, path);
});

test('one-off and test-like groups', () => {
  assert.deepEqual((['runtime', 'migration', 'rollback', 'seed', 'script', 'test', 'example'] as CodeRole[]).filter(isOneOff), ['migration', 'rollback', 'seed', 'script']);
  assert.deepEqual((['runtime', 'migration', 'rollback', 'seed', 'script', 'test', 'example'] as CodeRole[]).filter(isTestLike), ['test', 'example']);
});

test('settings override the conventions: runtime first, then oneOff, then test', () => {
  const c = codeRoleClassifier({ runtime: ['scripts/server/**'], oneOff: ['jobs/**', 'migrations/**'], test: ['qa/**'] });
  assert.equal(c('scripts/server/app.ts'), 'runtime');
  assert.equal(c('scripts/other.sql'), 'script');
  assert.equal(c('jobs/nightly.sql'), 'script');
  assert.equal(c('migrations/0001_init.sql'), 'migration', 'a one-off path keeps its more precise conventional role');
  assert.equal(c('qa/load.sql'), 'test');
  assert.equal(c('src/app.ts'), 'runtime');
});

test('paths in .perfauditrc.json reach codeRoleOf; bad entries are reported, not thrown', () => {
  const { settings, problems } = parseSettings(JSON.stringify({ paths: { test: ['harness/**'], oneOff: [3], nope: [] } }));
  assert.equal(codeRoleOf(settings, 'harness/nginx.conf'), 'test');
  assert.deepEqual(settings.paths.oneOff, []);
  assert.equal(problems.length, 2, problems.map((p) => p.message).join('\n'));
  assert.match(problems.map((p) => p.message).join('\n'), /unknown "paths" entry "nope"/);
  const bad = parseSettings(JSON.stringify({ paths: ['x'] }));
  assert.match(bad.problems[0].message, /"paths" must be an object/);
});


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

test('isBackgroundPath: queue processors, tasks, jobs and workers; request code is not', () => {
  for (const p of ['server/queues/processors/UserDeletedProcessor.ts', 'server/queues/tasks/CleanupTask.ts', 'packages/lib/jobs/definitions/seal-document.handler.ts', 'app/workers/mailer.ts', 'src/send-email.job.ts', 'hc/api/tasks.py', 'src/ReportTask.ts']) assert.ok(isBackgroundPath(p), p);
  for (const p of ['server/routes/api/documents.ts', 'src/app/tasks/page.tsx'.replace('tasks', 'todo'), 'hc/api/views.py', 'src/taskList.ts']) assert.ok(!isBackgroundPath(p), p);
});
