/**
 * A real MariaDB for the evidence tests of MySQL-dialect fixes (Debian: apt-get install
 * mariadb-server): mariadb-install-db into a temporary directory, mariadbd on 127.0.0.1 on a free port
 * with its socket in that directory, root without a password (a throwaway instance), run as the
 * `mysql` account when this process is root, stopped by its PID (SIGTERM, a clean shutdown).
 * `--no-defaults` everywhere: the machine's /etc/mysql configuration is never read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { asAccount, freePort, removeDir, run, serverDir, serviceAccount, skipUnlessInstalled, stopByPid, track, waitUntil } from './server-process.js';

function firstExisting(paths: readonly string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}

const SERVER = firstExisting(['/usr/sbin/mariadbd', '/usr/sbin/mysqld']);
const INSTALL_DB = firstExisting(['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db']);
const CLIENT = firstExisting(['/usr/bin/mariadb', '/usr/bin/mysql']);

export const MARIADB_MISSING = 'MariaDB is not installed (Debian: apt-get install mariadb-server); the MySQL-dialect evidence tests need the real server';

/** `skip` for tests that need MariaDB: a message locally when it is missing, never in CI. */
export const MARIADB_SKIP = skipUnlessInstalled(!!(SERVER && INSTALL_DB && CLIENT), MARIADB_MISSING);

/** One row of the classic EXPLAIN output (its columns by name). */
export type ExplainRow = Record<string, string>;

export interface MariaDb {
  port: number;
  version: string;
  /** Runs `sql` (statements one by one, stop at the first error) in `db`; the result rows, tab-separated, with a header line per result. */
  sql(sql: string, db?: string): Promise<string>;
  /** The rows of EXPLAIN `query` in `db` (table, type, possible_keys, key, rows, Extra …). */
  explain(query: string, db?: string): Promise<ExplainRow[]>;
  stop(): Promise<void>;
}

export async function startMariaDb(): Promise<MariaDb> {
  if (!SERVER || !INSTALL_DB || !CLIENT) throw new Error(`${MARIADB_MISSING}${process.env.CI === 'true' ? ' — CI must install it (.ci/run)' : ''}`);
  const account = serviceAccount(['mysql']);
  const dir = serverDir('perf-audit-mariadb-', account);
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const as = asAccount(account);
  let child: ChildProcess | undefined;
  try {
    const init = await run(INSTALL_DB, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'], { ...as, ms: 60_000 });
    if (init.code !== 0) throw new Error(`mariadb-install-db failed (${init.code}):\n${init.stderr}${init.stdout}`);
    const port = await freePort();
    const c = spawn(SERVER, [
      '--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', `--pid-file=${join(dir, 'mysqld.pid')}`,
      '--skip-name-resolve', '--innodb-buffer-pool-size=128M', '--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0', '--log-error=',
    ], { ...as, stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    track(c);
    let log = '';
    c.stderr.on('data', (b: Buffer) => (log += b.toString()));
    const client = (sql: string, db?: string, ms = 120_000): ReturnType<typeof run> =>
      run(CLIENT, ['--no-defaults', '--protocol=TCP', '-h', '127.0.0.1', '-P', String(port), '-u', 'root', '--batch', ...(db ? [db] : [])], { input: sql, ms });
    await waitUntil('mariadbd', async () => (await client('SELECT 1;', undefined, 5000)).code === 0, c, () => log, 30_000);
    const sql = async (text: string, db?: string): Promise<string> => {
      const r = await client(text, db);
      if (r.code !== 0) throw new Error(`mariadb client failed (${r.code})${db ? ` in ${db}` : ''}:\n${r.stderr}\n--- input:\n${text}`);
      return r.stdout;
    };
    const version = (await sql('SELECT VERSION();')).split('\n')[1]?.trim() ?? '';
    const server = c;
    return {
      port,
      version,
      sql,
      explain: async (query, db) => {
        const [head, ...rows] = (await sql(`EXPLAIN ${query.trim().replace(/;$/, '')};`, db)).trimEnd().split('\n').map((l) => l.split('\t'));
        return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
      },
      stop: async () => {
        await stopByPid(server, 'SIGTERM', 20_000);
        removeDir(dir);
      },
    };
  } catch (e) {
    if (child) await stopByPid(child, 'SIGKILL');
    removeDir(dir);
    throw e;
  }
}
