/**
 * Audits run in a worker thread with a watchdog: the engine names each file before it works on it
 * (AuditEngine.onFile → a shared heartbeat), and a file whose analysis runs past its time budget gets
 * the worker terminated, becomes a `file-skipped` info ("its analysis ran over the N s budget"), and
 * the audit starts again without it. The extension host never runs an audit itself, and no hostile
 * file can hang the CLI.
 *
 * The host keeps the workspace's files (a mirror: what the worker holds), so a restarted worker gets
 * them all again; between audits only the changes are sent.
 */
import { Worker } from 'node:worker_threads';
import type { Finding, ChecklistItemId } from './model.js';
import type { WorkspaceView } from './contracts.js';
import type { PerfAuditSettings } from './settings.js';
import { defaultSettings } from './settings.js';
import type { WorkspaceAudit } from './audit.js';
import type { CancellationToken } from './cancel.js';

/** Heartbeat layout (Int32Array over a SharedArrayBuffer): sequence, busy flag, path length, path chars. */
export const HEARTBEAT = { seq: 0, busy: 1, length: 2, chars: 3, maxChars: 1024 } as const;

export function heartbeatBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (HEARTBEAT.chars + HEARTBEAT.maxChars));
}

/** Worker side: the engine is about to work on `path`. */
export function beat(hb: Int32Array, path: string): void {
  const n = Math.min(path.length, HEARTBEAT.maxChars);
  for (let i = 0; i < n; i++) hb[HEARTBEAT.chars + i] = path.charCodeAt(i);
  Atomics.store(hb, HEARTBEAT.length, n);
  Atomics.add(hb, HEARTBEAT.seq, 1);
}

function currentPath(hb: Int32Array): string {
  const n = Atomics.load(hb, HEARTBEAT.length);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(hb[HEARTBEAT.chars + i]);
  return s;
}

/** Messages host → worker. */
export type ToWorker =
  | { type: 'sync'; settings?: PerfAuditSettings; set: [string, string][]; oversized: [string, number][]; unreadable: [string, string][]; removed: string[]; listing?: string[] | null }
  | { type: 'audit'; id: number; extra?: { findings: Finding[]; coverage: [ChecklistItemId, string][] } }
  | { type: 'cancel'; id: number };

/** Messages worker → host. */
export type FromWorker =
  | { type: 'audit'; id: number; audit: WorkspaceAudit }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string };

function formatBudget(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`;
}

/** The default time one file's analysis may take before it is skipped. */
export const DEFAULT_FILE_BUDGET_MS = 5000;

export interface AuditWorkerOptions {
  /** The worker script (dist/audit-worker.js), or with `eval` the code that loads it (TypeScript sources under tsx). */
  script: string;
  eval?: boolean;
  budgetMs?: number;
  /** Restarts in one audit before it gives up (a workspace of slow files). */
  maxRestarts?: number;
}

type Entry = { kind: 'text'; text: string } | { kind: 'oversized'; bytes: number } | { kind: 'unreadable'; why: string };

export class AuditWorkerHost implements WorkspaceView {
  private worker?: Worker;
  private hb?: Int32Array;
  private readonly files = new Map<string, Entry>();
  private settings: PerfAuditSettings = defaultSettings();
  /** Changes the worker has not seen yet (all files after a restart). */
  private pending: { settings?: PerfAuditSettings; set: Map<string, Entry>; removed: Set<string>; listing?: boolean } = { set: new Map(), removed: new Set() };
  private fileListing?: readonly string[];
  /** Files the watchdog stopped, with why: kept out of later audits until their content changes. */
  private readonly timedOut = new Map<string, string>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: AuditWorkerOptions) {}

  get budgetMs(): number {
    return this.opts.budgetMs ?? DEFAULT_FILE_BUDGET_MS;
  }

  setSettings(settings: PerfAuditSettings): void {
    this.settings = settings;
    this.pending.settings = settings;
  }

  getSettings(): PerfAuditSettings {
    return this.settings;
  }

  /** Adds or replaces a file; false when the text is unchanged. */
  setFile(path: string, text: string): boolean {
    const cur = this.files.get(path);
    if (cur?.kind === 'text' && cur.text === text) return false;
    this.put(path, { kind: 'text', text });
    this.timedOut.delete(path);
    return true;
  }

  /** Every file of the workspace, read or not (WorkspaceView.listing); undefined when not known. */
  setListing(paths: readonly string[] | undefined): void {
    this.fileListing = paths ? [...paths] : undefined;
    this.pending.listing = true;
  }

  listing(): readonly string[] | undefined {
    return this.fileListing;
  }

  setOversized(path: string, bytes: number): void {
    this.put(path, { kind: 'oversized', bytes });
  }

  setUnreadable(path: string, why: string): void {
    this.put(path, { kind: 'unreadable', why });
  }

  removeFile(path: string): void {
    if (!this.files.delete(path)) return;
    this.timedOut.delete(path);
    this.pending.set.delete(path);
    this.pending.removed.add(path);
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  textOf(path: string): string | undefined {
    const e = this.files.get(path);
    return e?.kind === 'text' ? e.text : undefined;
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  private put(path: string, e: Entry): void {
    this.files.set(path, e);
    this.pending.removed.delete(path);
    this.pending.set.set(path, e);
  }

  /** Runs an audit in the worker (audits queue one after the other). Undefined when cancelled. */
  audit(opts: { token?: CancellationToken; extra?: { findings: Finding[]; coverage: Map<ChecklistItemId, string> } } = {}): Promise<WorkspaceAudit | undefined> {
    const run = this.queue.then(() => this.auditNow(opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async auditNow(opts: { token?: CancellationToken; extra?: { findings: Finding[]; coverage: Map<ChecklistItemId, string> } }): Promise<WorkspaceAudit | undefined> {
    const extra = opts.extra ? { findings: opts.extra.findings, coverage: [...opts.extra.coverage] } : undefined;
    for (let restarts = 0; ; restarts++) {
      if (opts.token?.isCancellationRequested) return undefined;
      const r = await this.attempt(extra, opts.token);
      if (r.kind === 'done') return r.audit;
      if (r.kind === 'cancelled') return undefined;
      // A file ran over its budget: the worker is gone; the next one gets every file again, that one as skipped.
      this.timedOut.set(r.path, `its analysis ran over the ${formatBudget(this.budgetMs)} time budget (a file this slow to read is probably hostile or generated)`);
      // Each restart leaves one more file out, so this ends; a cap only guards against a worker that
      // never names a file.
      if (restarts >= (this.opts.maxRestarts ?? 1000)) throw new Error(`the audit was stopped: ${restarts + 1} files ran over the ${formatBudget(this.budgetMs)} budget`);
    }
  }

  /** Starts the worker now (its modules load while the caller reads the workspace). */
  warmUp(): void {
    this.start();
  }

  private start(): { worker: Worker; hb: Int32Array } {
    if (this.worker && this.hb) return { worker: this.worker, hb: this.hb };
    const sab = heartbeatBuffer();
    const hb = new Int32Array(sab);
    const worker = new Worker(this.opts.script, { workerData: { heartbeat: sab }, eval: this.opts.eval ?? false, stdout: false, stderr: false });
    worker.unref();
    this.worker = worker;
    this.hb = hb;
    // A new worker knows nothing: everything is pending.
    this.pending = { settings: this.settings, set: new Map(this.files), removed: new Set(), listing: this.fileListing !== undefined };
    worker.on('error', () => this.stop());
    return { worker, hb };
  }

  private stop(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.hb = undefined;
  }

  private sync(worker: Worker): void {
    const set: [string, string][] = [];
    const oversized: [string, number][] = [];
    const unreadable: [string, string][] = [];
    for (const [p, e] of this.pending.set) {
      const why = this.timedOut.get(p);
      if (why) unreadable.push([p, why]);
      else if (e.kind === 'text') set.push([p, e.text]);
      else if (e.kind === 'oversized') oversized.push([p, e.bytes]);
      else unreadable.push([p, e.why]);
    }
    // Files stopped by the watchdog since the last sync (their entry did not change).
    for (const [p, why] of this.timedOut) if (!this.pending.set.has(p) && this.files.has(p)) unreadable.push([p, why]);
    const msg: ToWorker = { type: 'sync', ...(this.pending.settings ? { settings: this.pending.settings } : {}), set, oversized, unreadable, removed: [...this.pending.removed], ...(this.pending.listing ? { listing: this.fileListing ? [...this.fileListing] : null } : {}) };
    worker.postMessage(msg);
    this.pending = { set: new Map(), removed: new Set() };
  }

  private attempt(extra: { findings: Finding[]; coverage: [ChecklistItemId, string][] } | undefined, token?: CancellationToken): Promise<{ kind: 'done'; audit: WorkspaceAudit } | { kind: 'cancelled' } | { kind: 'stalled'; path: string }> {
    const { worker, hb } = this.start();
    this.sync(worker);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let lastSeq = Atomics.load(hb, HEARTBEAT.seq);
      let lastChange = Date.now();
      let cancelSent = false;
      const timer = setInterval(() => {
        if (token?.isCancellationRequested && !cancelSent) {
          cancelSent = true;
          worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
        }
        const seq = Atomics.load(hb, HEARTBEAT.seq);
        if (seq !== lastSeq) {
          lastSeq = seq;
          lastChange = Date.now();
        } else if (Atomics.load(hb, HEARTBEAT.busy) === 1 && Date.now() - lastChange > this.budgetMs) {
          const path = currentPath(hb);
          finish();
          this.stop();
          resolve({ kind: 'stalled', path });
        }
      }, Math.min(250, Math.max(20, this.budgetMs / 10)));
      const onMessage = (m: FromWorker): void => {
        if (m.id !== id) return;
        finish();
        if (m.type === 'audit') resolve({ kind: 'done', audit: m.audit });
        else if (m.type === 'cancelled') resolve({ kind: 'cancelled' });
        else reject(new Error(m.message));
      };
      const onError = (e: Error): void => {
        finish();
        this.stop();
        reject(e);
      };
      const onExit = (code: number): void => {
        finish();
        this.worker = undefined;
        this.hb = undefined;
        reject(new Error(`the audit worker stopped (exit code ${code})`));
      };
      const finish = (): void => {
        clearInterval(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'audit', id, ...(extra ? { extra } : {}) } satisfies ToWorker);
    });
  }

  dispose(): void {
    this.stop();
  }
}
