/**
 * What a file is for, judged from its path: code that runs on every request (`runtime`), SQL that
 * runs once (`migration`, `rollback`, `seed`, `script`), or code that never serves users (`test`,
 * `example`). Every analyzer asks this one module, so "test code" means the same thing to the SQL,
 * server and image rules. Settings (`paths.runtime`, `paths.oneOff`, `paths.test`) override it.
 */
import { globMatcher } from './glob.js';

export type CodeRole = 'runtime' | 'migration' | 'rollback' | 'seed' | 'script' | 'test' | 'example';

/** Globs from .perfauditrc.json `paths`: checked before the built-in conventions, runtime first. */
export interface CodeRoleOverrides {
  runtime?: readonly string[];
  oneOff?: readonly string[];
  test?: readonly string[];
}

/** SQL that runs once (or never forward): query rules stay quiet there. */
export function isOneOff(role: CodeRole): boolean {
  return role === 'migration' || role === 'rollback' || role === 'seed' || role === 'script';
}

/** Code that never serves users: tests, fixtures, examples, docs, benchmarks. */
export function isTestLike(role: CodeRole): boolean {
  return role === 'test' || role === 'example';
}

const SEGMENTS_TEST = new Set([
  'test', 'tests', '__tests__', '__mocks__', '__fixtures__', 'spec', 'specs', 'e2e', 'e2e-tests', 'cypress', 'playwright',
  'testdata', 'test-data', 'test_data', 'testing', 'fixtures', 'fixture', 'integration-tests', 'integration_tests',
  'test-utils', 'test_utils', 'testutils', 'mocks', 'stubs',
]);
const SEGMENTS_EXAMPLE = new Set([
  'example', 'examples', 'sample', 'samples', 'demo', 'demos', 'docs', 'doc', 'documentation', 'benchmark', 'benchmarks',
  'bench', 'playground', 'sandbox', 'storybook', '.storybook', 'stories',
]);
const SEGMENTS_ROLLBACK = new Set(['rollback', 'rollbacks', 'down', 'undo']);
const SEGMENTS_MIGRATION = new Set([
  'migration', 'migrations', 'migrate', 'db_migrations', 'schema-migrations', 'schema_migrations', 'versions', 'changelog',
  'changelogs', 'flyway', 'liquibase', 'upgrade', 'upgrades', 'patches', 'alembic', 'evolutions',
]);
const SEGMENTS_SEED = new Set(['seed', 'seeds', 'seeders', 'seeding', 'seed-data', 'seed_data']);
const SEGMENTS_SCRIPT = new Set(['script', 'scripts', 'bin', 'tools', 'hack', 'maintenance', 'backfill', 'backfills', 'oneoff', 'one-off', 'adhoc', 'ad-hoc']);

/** The role the path's conventions give, without settings. Linear in the path's length. */
export function conventionalCodeRole(path: string): CodeRole {
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p && p !== '.');
  const base = (parts.pop() ?? '').toLowerCase();
  const dirs = parts.map((p) => p.toLowerCase());
  // File names first: they are the most specific convention.
  if (/^(?:down|rollback|undo)\.sql$/.test(base) || /[._-](?:down|rollback|undo)\.sql$/.test(base) || /^u\d+(?:[._]\d+)*__/.test(base)) return 'rollback';
  if (/(?:\.|_|-)(?:test|spec|e2e|e2e-spec|cy|stories|story)\.[cm]?[jt]sx?$/.test(base) || /_test\.(?:go|py|rb|rs|exs?)$/.test(base) ||
    /^test_.*\.py$/.test(base) || base === 'conftest.py' || /_spec\.rb$/.test(base)) return 'test';
  // …and compounds: `tests_e2e`, `e2e_tests`, `test-helpers`, `api-tests`.
  if (dirs.some((d) => SEGMENTS_TEST.has(d) || /^(?:tests?|e2e|spec)[-_]|[-_](?:tests?|e2e|spec)$/.test(d))) return 'test';
  if (dirs.some((d) => SEGMENTS_EXAMPLE.has(d))) return 'example';
  if (dirs.some((d) => SEGMENTS_ROLLBACK.has(d))) return 'rollback';
  if (/^(?:seed|seeds|seeder|seed[-_].*|.*[-_.]seeds?)\.(?:sql|[cm]?[jt]s|py|rb)$/.test(base) || dirs.some((d) => SEGMENTS_SEED.has(d))) return 'seed';
  if (/^(?:v\d+(?:[._]\d+)*__|r__).*\.sql$/.test(base) || /\.up\.sql$/.test(base) || base === 'up.sql' || base === 'migration.sql') return 'migration';
  // A source file named for migrations (miniflux's internal/database/migrations.go, migrate.py).
  if (/^(?:migrations?|migrate|schema_migrations?)(?:[._-][\w.-]*)?\.(?:go|py|rb|rs|[cm]?[jt]s)$/.test(base)) return 'migration';
  // drizzle-kit's default output folder (`drizzle/0001_name.sql`).
  if (dirs[dirs.length - 1] === 'drizzle' && base.endsWith('.sql')) return 'migration';
  // `data-migrations`, `data_migrations`, `sql-migrations`: any folder named …-migrations / …_migrations.
  if (dirs.some((d) => SEGMENTS_MIGRATION.has(d) || /[-_]migrations?$/.test(d))) return 'migration';
  if (dirs.some((d) => SEGMENTS_SCRIPT.has(d))) return 'script';
  // Django management commands (`<app>/management/commands/x.py`): run by hand or by cron, not per request.
  const m = dirs.lastIndexOf('commands');
  if (m > 0 && dirs[m - 1] === 'management') return 'script';
  // A job or command named for a one-off data fix (documenso's backport-subscription-claims.handler.ts).
  if (/^(?:backfill|backport|one-?off|data-?fix)(?:[-_.]|$)/.test(base)) return 'script';
  return 'runtime';
}

/**
 * A classifier for one settings object: overrides first (`runtime`, then `oneOff` → `script`,
 * then `test`), then the conventions. Answers are remembered per path.
 */
export function codeRoleClassifier(overrides: CodeRoleOverrides = {}): (path: string) => CodeRole {
  const runtime = overrides.runtime?.length ? globMatcher([...overrides.runtime]) : undefined;
  const oneOff = overrides.oneOff?.length ? globMatcher([...overrides.oneOff]) : undefined;
  const test = overrides.test?.length ? globMatcher([...overrides.test]) : undefined;
  const known = new Map<string, CodeRole>();
  return (path) => {
    let role = known.get(path);
    if (role) return role;
    if (runtime?.(path)) role = 'runtime';
    else if (oneOff?.(path)) {
      const c = conventionalCodeRole(path);
      role = isOneOff(c) ? c : 'script';
    } else if (test?.(path)) role = 'test';
    else role = conventionalCodeRole(path);
    if (known.size > 100_000) known.clear();
    known.set(path, role);
    return role;
  };
}

const classifiers = new WeakMap<object, (path: string) => CodeRole>();

/** The role of `path` under these settings (a classifier per settings object, remembered). */
export function codeRoleOf(settings: { paths?: CodeRoleOverrides }, path: string): CodeRole {
  let c = classifiers.get(settings);
  if (!c) classifiers.set(settings, (c = codeRoleClassifier(settings.paths)));
  return c(path);
}

const SEGMENTS_BACKGROUND = new Set(['queues', 'queue', 'jobs', 'job', 'workers', 'worker', 'tasks', 'processors', 'cron', 'crons', 'consumers', 'schedulers', 'celery']);

/**
 * Runtime code that runs in the background (queue processors, scheduled tasks, workers), not while a
 * request waits: a per-item query there costs throughput, not a user's latency. By folder
 * (`queues/`, `jobs/`, `tasks/`, `workers/`, `processors/`, `cron/`) or file name (`*Task.ts`,
 * `*Processor.ts`, `*.job.ts`, `tasks.py`).
 */
export function isBackgroundPath(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  const base = parts.pop() ?? '';
  if (parts.some((d) => SEGMENTS_BACKGROUND.has(d.toLowerCase()))) return true;
  return /(?:Task|Job|Worker|Processor|Consumer)\.[cm]?[jt]sx?$/.test(base) || /[._-](?:task|job|worker|processor|consumer)s?\.[cm]?[jt]s$/i.test(base) || /^(?:tasks|jobs|workers|cron)\.py$/.test(base);
}

/**
 * Admin tooling (an `admin/` folder, `admin-router/`, `admin-*.ts`, Django's `admin.py`): pages a few
 * operators use now and then, not what every user's request runs.
 */
export function isAdminPath(path: string): boolean {
  const parts = path.replace(/\\/g, '/').toLowerCase().split('/');
  const base = parts.pop() ?? '';
  return parts.some((d) => d === 'admin' || d === 'backoffice' || d.startsWith('admin-') || d.startsWith('admin_') || d.endsWith('-admin')) || /^admin(?:[-_.]|$)/.test(base);
}
