/**
 * Inline import cost: for each package import of a JS/TS file, the minified and gzip size of what
 * that import pulls into a browser bundle, measured by bundling a virtual entry with esbuild in a
 * child process (src/analyzers/bundle/importcost/worker.ts). Results are cached by package name + version + the
 * import's shape, concurrent requests for the same import share one build, callers can cancel
 * (AbortSignal) and receive results as they arrive (onResult), and a hung worker is killed after a
 * timeout. The caller debounces edits; this module never touches the editor.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { findImports, isBareSpecifier, packageName, type ImportRef } from '../imports.js';
import { LineIndex } from '../../../kernel/text.js';
import { entryCode } from './entry.js';
import { PackageResolver } from './resolve.js';
import type { BuildJob, BuildResult, ParentMessage, WorkerMessage } from './protocol.js';

export interface ImportCost {
  /** 0-based line where the import statement ends (where the decoration goes). */
  line: number;
  specifier: string;
  /** Package name and the version installed for this file. */
  name: string;
  version?: string;
  /** Minified bytes (JS + CSS); undefined with `error`. */
  size?: number;
  gzip?: number;
  error?: string;
  cached: boolean;
}

export interface ImportCostOptions {
  /** The worker script (dist/importcost-worker.js, or src/analyzers/bundle/importcost/worker.ts with execArgv ['--import', 'tsx']). */
  workerPath: string;
  execArgv?: string[];
  /** Path to the esbuild package to load in the worker (default: the worker's own lookup). */
  esbuildPath?: string;
  /** A build taking longer than this kills the worker and fails its imports (default 30 s). */
  timeoutMs?: number;
  /** The worker exits after this long without work (default 60 s). */
  idleMs?: number;
  maxCacheEntries?: number;
  /** Always external when imported by another package (as the Import Cost extension does). */
  defaultExternals?: string[];
}

export interface ComputeOptions {
  signal?: AbortSignal;
  onResult?: (cost: ImportCost) => void;
  /** 'ts' disables JSX tokenizing (`<T>` type arguments). Default from the file extension. */
  jsx?: boolean;
}

/**
 * One build shared by every caller that asked for the same key while it runs. It exists (and counts
 * its waiters) from the first request on, also while the worker is still starting, so a caller that
 * cancels can only drop the build when nobody else waits for it.
 */
interface Job {
  promise: Promise<BuildResult>;
  resolve: (r: BuildResult) => void;
  reject: (e: Error) => void;
  waiters: number;
  settled: boolean;
  /** Sent to the worker (then it is in `pending` and has a timeout). */
  posted: boolean;
  timer?: NodeJS.Timeout;
}

export class AbortError extends Error {
  constructor() {
    super('Import cost computation cancelled');
    this.name = 'AbortError';
  }
}

export class ImportCostService {
  private worker?: ChildProcess;
  private ready?: Promise<void>;
  /** Jobs sent to the worker, by key. */
  private readonly pending = new Map<string, Job>();
  /** Every job not settled yet (starting or sent), by key. */
  private readonly inflight = new Map<string, Job>();
  private readonly cache = new Map<string, BuildResult>();
  private readonly resolver = new PackageResolver();
  private idleTimer?: NodeJS.Timeout;
  private disposed = false;
  /** esbuild version the worker loaded (after the first computation). */
  esbuildVersion?: string;
  /** Why the last worker could not start (esbuild missing or unusable); cleared when one starts. */
  unavailable?: string;

  constructor(private readonly opts: ImportCostOptions) {}

  /** Sizes of the package imports of `text` (the file at `fileName`); results in source order. */
  async compute(fileName: string, text: string, copts: ComputeOptions = {}): Promise<ImportCost[]> {
    const { signal } = copts;
    if (signal?.aborted) throw new AbortError();
    const jsx = copts.jsx ?? !/\.(m|c)?ts$/i.test(fileName);
    const refs = findImports(text, { jsx }).filter((r) => isBareSpecifier(r.specifier) && !r.typeOnly);
    if (!refs.length) return [];
    const lines = new LineIndex(text);
    const dir = path.dirname(fileName);
    const tasks = refs.map(async (ref): Promise<ImportCost> => {
      const name = packageName(ref.specifier);
      const line = lines.positionAt(ref.span.end).line;
      const pkg = await this.resolver.resolve(dir, name);
      if (!pkg) return this.emit(copts, { line, specifier: ref.specifier, name, error: `${name} is not installed (no node_modules/${name} above ${path.basename(dir) || dir})`, cached: false });
      const job = this.job(ref, dir, pkg.version, pkg.peerDependencies, name, !pkg.esm);
      const hit = this.cache.get(job.key);
      if (hit) return this.emit(copts, this.toCost(ref, line, name, pkg.version, hit, true));
      const r = await this.build(job, signal);
      return this.emit(copts, this.toCost(ref, line, name, pkg.version, r, false));
    });
    const settled = await Promise.allSettled(tasks);
    if (signal?.aborted) throw new AbortError();
    return settled.map((s, i) => (s.status === 'fulfilled' ? s.value : { line: lines.positionAt(refs[i].span.end).line, specifier: refs[i].specifier, name: packageName(refs[i].specifier), error: (s.reason as Error).message, cached: false }));
  }

  /** Drops cached sizes (e.g. after `npm install`). */
  clearCache(): void {
    this.cache.clear();
    this.resolver.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.stopWorker(new AbortError());
  }

  private emit(copts: ComputeOptions, c: ImportCost): ImportCost {
    if (!copts.signal?.aborted) copts.onResult?.(c);
    return c;
  }

  private toCost(ref: ImportRef, line: number, name: string, version: string, r: BuildResult, cached: boolean): ImportCost {
    return { line, specifier: ref.specifier, name, version, ...(r.error ? { error: r.error } : { size: r.size, gzip: r.gzip }), cached };
  }

  private job(ref: ImportRef, resolveDir: string, version: string, peers: string[], name: string, cjs: boolean): BuildJob {
    const code = entryCode(ref, { cjs });
    const externals = [...new Set([...peers, ...(this.opts.defaultExternals ?? ['react', 'react-dom'])])].filter((p) => p !== name).sort();
    return { key: `${name}@${version}\u0000${code}\u0000${externals.join(',')}`, code, resolveDir, externals };
  }

  private build(job: BuildJob, signal?: AbortSignal): Promise<BuildResult> {
    let entry = this.inflight.get(job.key);
    if (entry) entry.waiters++;
    else {
      entry = this.start(job);
      this.inflight.set(job.key, entry);
    }
    const shared = entry;
    if (!signal) return shared.promise;
    return new Promise<BuildResult>((resolve, reject) => {
      const onAbort = (): void => {
        // Nobody else waits: drop the job (the worker skips it if it has not started it).
        if (--shared.waiters <= 0 && !shared.settled) {
          if (shared.posted) this.post({ type: 'cancel', keys: [job.key] });
          shared.reject(new AbortError());
        }
        reject(new AbortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      shared.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private start(job: BuildJob): Job {
    let resolve!: (r: BuildResult) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<BuildResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: Job = { promise, resolve: () => undefined, reject: () => undefined, waiters: 1, settled: false, posted: false };
    const settle = (): void => {
      entry.settled = true;
      if (entry.timer) clearTimeout(entry.timer);
      if (this.pending.get(job.key) === entry) this.pending.delete(job.key);
      if (this.inflight.get(job.key) === entry) this.inflight.delete(job.key);
    };
    entry.resolve = (r) => {
      if (entry.settled) return;
      settle();
      if (!r.error) this.remember(job.key, r);
      resolve(r);
    };
    entry.reject = (e) => {
      if (entry.settled) return;
      settle();
      reject(e);
    };
    // Callers that cancel see their own AbortError; the shared promise must not be an unhandled rejection.
    promise.catch(() => undefined);
    this.ensureWorker().then(() => {
      if (entry.settled) return;
      const timeoutMs = this.opts.timeoutMs ?? 30_000;
      entry.timer = setTimeout(() => {
        this.stopWorker(new Error(`bundling took more than ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      entry.posted = true;
      this.pending.set(job.key, entry);
      this.post({ type: 'build', jobs: [job] });
    }, (e: unknown) => entry.reject(e instanceof Error ? e : new Error(String(e))));
    return entry;
  }

  private remember(key: string, r: BuildResult): void {
    this.cache.set(key, r);
    const max = this.opts.maxCacheEntries ?? 2000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
  }

  private post(m: ParentMessage): void {
    this.worker?.send(m);
    this.touch();
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (!this.pending.size) this.stopWorker(new AbortError());
    }, this.opts.idleMs ?? 60_000);
    this.idleTimer.unref();
  }

  private ensureWorker(): Promise<void> {
    if (this.disposed) return Promise.reject(new AbortError());
    if (this.ready) return this.ready;
    this.ready = new Promise<void>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, ...(this.opts.esbuildPath ? { PERF_AUDITOR_ESBUILD: this.opts.esbuildPath } : {}) };
      // The worker opens no network connection: a CA bundle named by NODE_EXTRA_CA_CERTS (common
      // behind corporate proxies) would only be parsed at its start, ~70 ms for a system bundle.
      delete env.NODE_EXTRA_CA_CERTS;
      const child = fork(this.opts.workerPath, [], {
        execArgv: this.opts.execArgv ?? [],
        env,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
      });
      this.worker = child;
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-2000);
      });
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          this.esbuildVersion = m.esbuild;
          this.unavailable = undefined;
          resolve();
        } else if (m.type === 'fatal') {
          this.unavailable = m.error;
          reject(new Error(m.error));
        } else if (m.type === 'result') this.pending.get(m.key)?.resolve(m);
      });
      child.on('exit', (code, sig) => {
        const err = new Error(`the import cost worker exited (${sig ?? code})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`);
        if (this.worker === child) this.stopWorker(err);
        reject(err);
      });
      child.on('error', (e) => reject(e));
    });
    this.ready.catch(() => {
      this.ready = undefined;
    });
    this.touch();
    return this.ready;
  }

  private stopWorker(reason: Error): void {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const p of [...this.pending.values()]) p.reject(reason);
    if (w && w.exitCode === null && w.signalCode === null) w.kill();
  }
}

export { entryCode };
