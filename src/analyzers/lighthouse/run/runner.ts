/**
 * Runs Lighthouse in a forked child process (worker.mjs: Lighthouse is ESM-only and cannot be
 * bundled), one process and one fresh Chromium per run, with a hard timeout per run.
 *
 * Whatever ends a run (result, Lighthouse error, timeout, cancellation, the worker crashing), the
 * parent makes sure Chromium's whole process group is killed and its profile directory
 * (`<tmp>/lighthouse.XXXXXX`, created here) is removed before the run settles. `lhr.runtimeError`
 * (page could not be loaded…) becomes a RUNTIME_ERROR; `runWarnings` are kept in the LHRs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Lhr, LighthousePreset, LighthouseRunSettings } from '../types.js';
import { parseLhr, trimLhr } from '../lhr.js';
import { LIGHTHOUSE_AUDIT_RULES } from '../rules.js';
import { findChrome, type ChromeSource } from './chrome.js';
import { stopChromeAndRemoveProfile } from './processes.js';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_RUNS = 10;
/** How long a TCP connection to the page's host may take in the reachability check. */
export const PROBE_TIMEOUT_MS = 5_000;

export type LighthouseErrorCode =
  | 'INVALID_URL'
  | 'UNREACHABLE'
  | 'CHROME_NOT_FOUND'
  | 'CHROME_LAUNCH_FAILED'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'RUNTIME_ERROR'
  | 'LIGHTHOUSE_FAILED'
  | 'WORKER_FAILED';

export class LighthouseRunError extends Error {
  constructor(
    readonly code: LighthouseErrorCode,
    message: string,
    /** Lighthouse's own error code (e.g. ERRORED_DOCUMENT_REQUEST), when it gave one. */
    readonly lighthouseCode?: string,
    /** The LHR that carried a runtimeError. */
    readonly lhr?: Lhr,
  ) {
    super(message);
    this.name = 'LighthouseRunError';
  }
}

export interface LighthouseProgress {
  /** 1-based. */
  run: number;
  runs: number;
  phase: 'checking' | 'launching' | 'auditing' | 'done';
  message: string;
}

export interface LighthouseRunOptions {
  url: string;
  preset?: LighthousePreset;
  runs?: number;
  /** Hard limit per run. */
  timeoutMs?: number;
  /** perfAuditor.lighthouse.chromePath / --chrome-path. */
  chromePath?: string;
  /** Name of that setting in messages. */
  chromePathSetting?: string;
  /** Added to the default Chromium flags (e.g. --host-resolver-rules in tests). */
  chromeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (p: LighthouseProgress) => void;
  /** Check that the host accepts TCP connections before starting Chromium (default true). */
  probe?: boolean;
  workerPath?: string;
  /** Directory for the per-run Chromium profiles (default: the OS temp dir). */
  profileParent?: string;
}

export interface LighthouseRunResult {
  /** Trimmed LHRs, in run order. */
  lhrs: Lhr[];
  durationsMs: number[];
  chrome: { path: string; source: ChromeSource };
  settings: LighthouseRunSettings;
}

/** Parses and checks the URL: http(s) only. */
export function validateUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new LighthouseRunError('INVALID_URL', `"${raw}" is not a URL; give a full address such as http://localhost:3000`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new LighthouseRunError('INVALID_URL', `Lighthouse audits http and https pages only, not ${u.protocol} (${raw})`);
  return u;
}

/**
 * Resolves when the page's host accepts a TCP connection; rejects with UNREACHABLE otherwise, and
 * with CANCELLED as soon as `signal` aborts (the socket is destroyed).
 */
export async function probeUrl(url: URL, timeoutMs = PROBE_TIMEOUT_MS, signal?: AbortSignal): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (signal?.aborted) throw new LighthouseRunError('CANCELLED', 'Lighthouse run cancelled');
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const onAbort = (): void => done(new LighthouseRunError('CANCELLED', 'Lighthouse run cancelled'));
    const done = (err?: LighthouseRunError): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new LighthouseRunError('UNREACHABLE', `Could not connect to ${host}:${port} within ${Math.round(timeoutMs / 1000)} s. Is the server running and the address right (${url.origin})?`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'ECONNREFUSED' ? `nothing is listening on ${host}:${port} (connection refused). Start the server, or check the port`
          : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? `the host name ${host} could not be resolved`
            : e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' ? `${host} cannot be reached from this machine (${e.code})`
              : `${e.code ?? e.message}`;
      done(new LighthouseRunError('UNREACHABLE', `Cannot reach ${url.origin}: ${why}.`));
    });
  });
}

/** The worker next to the bundle (dist/lighthouse-worker.mjs) or beside this source file. */
export function defaultWorkerPath(): string {
  const candidates = [path.join(__dirname, 'lighthouse-worker.mjs'), path.join(__dirname, 'worker.mjs'), path.join(__dirname, '..', 'src', 'analyzers', 'lighthouse', 'run', 'worker.mjs')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

export function defaultChromeFlags(): string[] {
  const flags = ['--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'];
  // Chromium refuses to start as root with its sandbox (containers, CI).
  if (process.platform === 'linux' && process.getuid?.() === 0) flags.push('--no-sandbox');
  return flags;
}

interface WorkerMessage {
  type: string;
  pid?: number;
  phase?: string;
  message?: string;
  code?: string;
  lighthouseCode?: string;
  lhr?: unknown;
}

/** Audits the mapped rules read even outside the performance category's auditRefs. */
const KEEP_AUDITS = LIGHTHOUSE_AUDIT_RULES.map((r) => r.audit);

async function runOnce(o: {
  url: string;
  preset: LighthousePreset;
  chromePath: string;
  chromeFlags: string[];
  timeoutMs: number;
  workerPath: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  profileParent: string;
  progress: (phase: LighthouseProgress['phase'], message: string) => void;
}): Promise<Lhr> {
  if (o.signal?.aborted) throw new LighthouseRunError('CANCELLED', 'Lighthouse run cancelled');
  const profile = mkdtempSync(path.join(o.profileParent, 'lighthouse.'));
  let child: ChildProcess;
  try {
    child = fork(o.workerPath, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
      // VS Code's extension host runs on Electron: make the child a plain node process.
      env: { ...o.env, ELECTRON_RUN_AS_NODE: '1' },
    });
  } catch (e) {
    await stopChromeAndRemoveProfile(undefined, profile);
    throw new LighthouseRunError('WORKER_FAILED', `Could not start the Lighthouse process: ${(e as Error).message}`);
  }
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });

  return new Promise<Lhr>((resolve, reject) => {
    let settled = false;
    let chromePid: number | undefined;
    const workerExited = new Promise<void>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) r();
      else child.once('exit', () => r());
    });

    const settle = async (err: LighthouseRunError | undefined, lhr?: Lhr): Promise<void> => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) {
        // Stop the worker first, so that it cannot start anything new.
        child.kill('SIGKILL');
      } else {
        // The worker stops Chromium and exits on its own after sending the result; give it a moment.
        await Promise.race([workerExited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await Promise.race([workerExited, new Promise((r) => setTimeout(r, 2000))]);
      const left = await stopChromeAndRemoveProfile(chromePid, profile);
      if (left.length) stderr += `\nChromium processes still running after cleanup: ${left.join(', ')}`;
      if (err) reject(err);
      else resolve(lhr!);
    };
    const fail = (e: LighthouseRunError): void => void settle(e);
    const onAbort = (): void => fail(new LighthouseRunError('CANCELLED', 'Lighthouse run cancelled; Chromium was stopped.'));
    const timer = setTimeout(
      () =>
        fail(new LighthouseRunError('TIMEOUT', `Lighthouse did not finish within ${Math.round(o.timeoutMs / 1000)} s for ${o.url}. The page may never finish loading (a response that never ends, a long-poll, an endless redirect). Chromium was stopped and its profile removed.`)),
      o.timeoutMs,
    );
    o.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('message', (raw: unknown) => {
      const m = raw as WorkerMessage;
      if (settled || !m || typeof m.type !== 'string') return;
      if (m.type === 'ready') {
        child.send({ type: 'run', url: o.url, preset: o.preset, chromePath: o.chromePath, chromeFlags: o.chromeFlags, userDataDir: profile, selfTimeoutMs: o.timeoutMs + 10_000 });
      } else if (m.type === 'chrome') {
        chromePid = typeof m.pid === 'number' ? m.pid : undefined;
      } else if (m.type === 'progress') {
        o.progress(m.phase === 'launching' ? 'launching' : 'auditing', m.message ?? '');
      } else if (m.type === 'result') {
        let lhr: Lhr;
        try {
          lhr = trimLhr(parseLhr(m.lhr), KEEP_AUDITS);
        } catch (e) {
          fail(new LighthouseRunError('LIGHTHOUSE_FAILED', `Lighthouse returned an unreadable result: ${(e as Error).message}`));
          return;
        }
        if (lhr.runtimeError) {
          fail(new LighthouseRunError('RUNTIME_ERROR', `Lighthouse could not audit ${o.url}: ${lhr.runtimeError.message} (${lhr.runtimeError.code})`, lhr.runtimeError.code, lhr));
          return;
        }
        void settle(undefined, lhr);
      } else if (m.type === 'error') {
        const code = m.code === 'CHROME_LAUNCH_FAILED' ? 'CHROME_LAUNCH_FAILED' : m.code === 'IMPORT_FAILED' ? 'WORKER_FAILED' : 'LIGHTHOUSE_FAILED';
        const prefix = code === 'CHROME_LAUNCH_FAILED' ? `Chromium (${o.chromePath}) did not start: ` : code === 'WORKER_FAILED' ? '' : `Lighthouse failed on ${o.url}: `;
        fail(new LighthouseRunError(code, `${prefix}${m.message ?? 'unknown error'}${m.lighthouseCode ? ` (${m.lighthouseCode})` : ''}`, m.lighthouseCode));
      }
    });
    child.on('error', (e) => fail(new LighthouseRunError('WORKER_FAILED', `The Lighthouse process failed: ${e.message}`)));
    child.on('exit', (code, signal) => {
      if (settled) return;
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      fail(new LighthouseRunError('WORKER_FAILED', `The Lighthouse process exited unexpectedly (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`));
    });
  });
}

/**
 * Runs Lighthouse `runs` times on the URL (sequentially, a fresh Chromium each time) and returns the
 * LHRs. Throws LighthouseRunError: INVALID_URL, UNREACHABLE, CHROME_NOT_FOUND (message with install
 * advice), CHROME_LAUNCH_FAILED, TIMEOUT, CANCELLED, RUNTIME_ERROR, LIGHTHOUSE_FAILED, WORKER_FAILED.
 */
export async function runLighthouse(opts: LighthouseRunOptions): Promise<LighthouseRunResult> {
  const url = validateUrl(opts.url).href;
  const preset = opts.preset ?? 'desktop';
  if (preset !== 'desktop' && preset !== 'mobile') throw new LighthouseRunError('INVALID_URL', `unknown preset "${String(preset)}" (use desktop or mobile)`);
  const runs = Math.min(MAX_RUNS, Math.max(1, Math.floor(opts.runs ?? 1)));
  const timeoutMs = Math.max(1000, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const env = opts.env ?? process.env;
  const chrome = findChrome({ ...(opts.chromePath !== undefined ? { configured: opts.chromePath } : {}), env, ...(opts.chromePathSetting ? { settingName: opts.chromePathSetting } : {}) });
  if (!chrome.found) throw new LighthouseRunError('CHROME_NOT_FOUND', chrome.message);
  const workerPath = opts.workerPath ?? defaultWorkerPath();
  if (!existsSync(workerPath)) throw new LighthouseRunError('WORKER_FAILED', `The Lighthouse worker script is missing (${workerPath}); reinstall the extension.`);

  const progress = (run: number) => (phase: LighthouseProgress['phase'], message: string): void => opts.onProgress?.({ run, runs, phase, message });
  if (opts.probe !== false) {
    progress(1)('checking', `connecting to ${new URL(url).host}`);
    await probeUrl(new URL(url), PROBE_TIMEOUT_MS, opts.signal);
  }
  const lhrs: Lhr[] = [];
  const durationsMs: number[] = [];
  for (let i = 1; i <= runs; i++) {
    const t0 = Date.now();
    const lhr = await runOnce({
      url,
      preset,
      chromePath: chrome.path,
      chromeFlags: [...defaultChromeFlags(), ...(opts.chromeFlags ?? [])],
      timeoutMs,
      workerPath,
      env,
      ...(opts.signal ? { signal: opts.signal } : {}),
      profileParent: opts.profileParent ?? tmpdir(),
      progress: progress(i),
    });
    lhrs.push(lhr);
    durationsMs.push(Date.now() - t0);
    progress(i)('done', `run ${i} of ${runs} done`);
  }
  return { lhrs, durationsMs, chrome: { path: chrome.path, source: chrome.source }, settings: { url, preset, runs, timeoutMs } };
}
