/**
 * What the evidence tests need to run a real database server for one test file: a free port on
 * 127.0.0.1, a temporary directory the server's account owns, the account to run it as (PostgreSQL
 * and MariaDB refuse to run as root, and CI runs as root), clients run with their input on stdin,
 * and a stop by PID. Nothing listens anywhere but on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/**
 * The account a server runs as: undefined when this process is not root (the server runs as us);
 * as root, the first of `names` that exists (the Debian packages create `postgres` and `mysql`),
 * else `nobody`.
 */
export function serviceAccount(names: readonly string[]): Account | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':'));
  for (const n of [...names, 'nobody']) {
    const e = passwd.find((f) => f[0] === n && f.length >= 7);
    if (e) return { name: n, uid: Number(e[2]), gid: Number(e[3]), home: e[5] };
  }
  throw new Error(`running as root, and none of the accounts ${[...names, 'nobody'].join(', ')} exists to run the server as`);
}

/** A temporary directory owned by `account` (when given), removed by `removeDir`. */
export function serverDir(prefix: string, account: Account | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (account) chownSync(dir, account.uid, account.gid);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Spawn options that run a child as `account` (or as us), with a clean locale. */
export function asAccount(account: Account | undefined, env: Record<string, string> = {}): { uid?: number; gid?: number; env: NodeJS.ProcessEnv } {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...env };
  return account ? { uid: account.uid, gid: account.gid, env: { ...base, HOME: account.home, USER: account.name } } : { env: { ...process.env, ...base } };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with `input` on stdin; rejects after `ms` (killing it). */
export async function run(cmd: string, args: readonly string[], opts: { input?: string; ms?: number; uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}), ...(opts.env ? { env: opts.env } : {}) });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    c.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      c.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${opts.ms ?? 30_000} ms: ${stderr}`));
    }, opts.ms ?? 30_000);
    c.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    c.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    c.stdin.on('error', () => undefined); // a client that exits early closes its stdin
    c.stdin.end(opts.input ?? '');
  });
}

/** Retries `probe` every 50 ms until it resolves true; fails when `child` exits or after `ms`. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, child: ChildProcess, log: () => string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log()}`);
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} was not ready within ${ms} ms:\n${log()}`);
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Remembers a server child so that it is killed if the test process exits without stopping it. */
export function track(c: ChildProcess): void {
  running.add(c);
  c.once('exit', () => running.delete(c));
}

/** Sends `signal` to the server's PID and waits for it to exit; SIGKILL after `ms`. */
export async function stopByPid(c: ChildProcess, signal: NodeJS.Signals, ms = 10_000): Promise<void> {
  if (c.exitCode === null && c.signalCode === null) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        c.kill('SIGKILL');
      }, ms);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill(signal);
    });
  }
  running.delete(c);
}

/**
 * The `skip` option of a test that needs a server binary: a message when it is missing on a
 * developer's machine; false in CI (CI=true), where .ci/run installs it, so that a missing install
 * step fails the test (the test's setup then throws `missingMessage`) instead of skipping it.
 */
export function skipUnlessInstalled(installed: boolean, missingMessage: string): string | false {
  if (installed) return false;
  return process.env.CI === 'true' ? false : missingMessage;
}
