/**
 * A real PostgreSQL 15 for the evidence tests (Debian: apt-get install postgresql-15): initdb into a
 * temporary directory, the postmaster on 127.0.0.1 on a free port (no Unix socket, trust
 * authentication, fsync off: the data is thrown away), run as the `postgres` account when this
 * process is root, stopped by its PID (SIGINT, PostgreSQL's fast shutdown). Start one per test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { asAccount, freePort, removeDir, run, serverDir, serviceAccount, skipUnlessInstalled, stopByPid, track, waitUntil } from './server-process.js';

const BIN_DIRS = ['/usr/lib/postgresql/15/bin'];

/** The directory holding initdb, postgres and psql of PostgreSQL 15, or undefined. */
export function postgresBinDir(): string | undefined {
  const env = process.env.PERF_AUDIT_PG_BIN;
  for (const d of env ? [env, ...BIN_DIRS] : BIN_DIRS) if (['initdb', 'postgres', 'psql', 'pg_isready'].every((b) => existsSync(join(d, b)))) return d;
  return undefined;
}

export const POSTGRES_MISSING = 'PostgreSQL 15 is not installed (Debian: apt-get install postgresql-15); the SQL evidence tests need the real server';

/** `skip` for tests that need PostgreSQL: a message locally when it is missing, never in CI. */
export const POSTGRES_SKIP = skipUnlessInstalled(postgresBinDir() !== undefined, POSTGRES_MISSING);

/** One node of an EXPLAIN (FORMAT JSON) plan. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost': number;
  Plans?: PlanNode[];
  [k: string]: unknown;
}

export interface Postgres {
  port: number;
  version: string;
  /** Runs `sql` (psql script: statements one by one, autocommit, stop at the first error) in `db`; the rows as `|`-separated lines. */
  sql(sql: string, db?: string): Promise<string>;
  /** The plan of `query` in `db`, from EXPLAIN (FORMAT JSON), after `setup` (statements that print nothing: SET, PREPARE) in the same session. */
  explain(query: string, db?: string, setup?: string): Promise<PlanNode>;
  /**
   * The plans of the statements a statement runs inside it (foreign-key checks, triggers), caught
   * by auto_explain (log_nested_statements) while `statement` runs in a transaction rolled back after.
   */
  nestedPlans(statement: string, db?: string): Promise<{ query: string; plan: PlanNode }[]>;
  stop(): Promise<void>;
}

/** Every node of a plan, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`${POSTGRES_MISSING}${process.env.CI === 'true' ? ' — CI must install it (.ci/run)' : ''}`);
  const account = serviceAccount(['postgres']);
  const dir = serverDir('perf-audit-pg-', account);
  const data = join(dir, 'data');
  const as = asAccount(account);
  let child: ChildProcess | undefined;
  try {
    const init = await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { ...as, ms: 60_000 });
    if (init.code !== 0) throw new Error(`initdb failed (${init.code}):\n${init.stderr}${init.stdout}`);
    const port = await freePort();
    const c = spawn(join(bin, 'postgres'), [
      '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'shared_buffers=64MB',
      // The tests VACUUM and ANALYZE themselves, so that plans do not vary with an autovacuum worker's timing (synchronous_commit stays on:
      // with it off, hint bits wait for the WAL flush and a VACUUM right after the load leaves the pages not all-visible).
      '-c', 'autovacuum=off',
    ], { ...as, stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    track(c);
    let log = '';
    c.stderr.on('data', (b: Buffer) => (log += b.toString()));
    const ready = (): Promise<boolean> => run(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], { ms: 5000 }).then((r) => r.code === 0);
    await waitUntil('postgres', ready, c, () => log);
    const psql = async (sql: string, db = 'postgres'): Promise<{ out: string; err: string }> => {
      const r = await run(join(bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db], { input: sql, ms: 120_000 });
      if (r.code !== 0) throw new Error(`psql failed (${r.code}) in ${db}:\n${r.stderr}\n--- input:\n${sql}`);
      return { out: r.stdout, err: r.stderr };
    };
    const version = (await psql('SHOW server_version;')).out.trim();
    const server = c;
    return {
      port,
      version,
      sql: async (sql, db) => (await psql(sql, db)).out,
      explain: async (query, db, setup = '') => {
        const out = (await psql(`${setup}\nEXPLAIN (FORMAT JSON) ${query.trim().replace(/;$/, '')};`, db)).out;
        return (JSON.parse(out) as { Plan: PlanNode }[])[0].Plan;
      },
      nestedPlans: async (statement, db) => {
        const { err } = await psql([
          "LOAD 'auto_explain';",
          'SET auto_explain.log_min_duration = 0;',
          'SET auto_explain.log_nested_statements = on;',
          'SET auto_explain.log_format = json;',
          'SET auto_explain.log_level = notice;',
          'SET client_min_messages = notice;',
          'BEGIN;',
          `${statement.trim().replace(/;$/, '')};`,
          'ROLLBACK;',
        ].join('\n'), db);
        // Each plan is a NOTICE "duration: … ms  plan:" followed by its JSON.
        return err.split(/^(?:psql:[^\n]*?)?NOTICE: {2}duration: [\d.]+ ms {2}plan:\n/m).slice(1).map((chunk) => {
          const j = JSON.parse(chunk.slice(0, chunk.lastIndexOf('}') + 1)) as { 'Query Text': string; Plan: PlanNode };
          return { query: j['Query Text'], plan: j.Plan };
        });
      },
      stop: async () => {
        await stopByPid(server, 'SIGINT');
        removeDir(dir);
      },
    };
  } catch (e) {
    if (child) await stopByPid(child, 'SIGKILL');
    removeDir(dir);
    throw e;
  }
}
