/**
 * The audit worker (dist/audit-worker.js): an engine with every registered analyzer, fed by
 * kernel/watchdog.ts's AuditWorkerHost. It names each file before working on it in the shared
 * heartbeat, so the host can stop a file that runs over its time budget.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { auditEngine } from '../kernel/audit.js';
import { CancelledError } from '../kernel/cancel.js';
import { HEARTBEAT, beat, type FromWorker, type ToWorker } from '../kernel/watchdog.js';
import { createAuditEngine } from './index.js';

const port = parentPort;
if (port) {
  const hb = new Int32Array((workerData as { heartbeat: SharedArrayBuffer }).heartbeat);
  const engine = createAuditEngine();
  // Busy from the first file on: loading the parsers (WASM) is not a file's analysis.
  engine.onFile = (path) => {
    beat(hb, path);
    Atomics.store(hb, HEARTBEAT.busy, 1);
  };
  const cancelled = new Set<number>();
  const send = (m: FromWorker): void => port.postMessage(m);
  port.on('message', (m: ToWorker) => {
    if (m.type === 'sync') {
      if (m.settings) engine.setSettings(m.settings);
      for (const p of m.removed) engine.removeFile(p);
      for (const [p, text] of m.set) engine.setFile(p, text);
      for (const [p, bytes] of m.oversized) engine.setOversized(p, bytes);
      for (const [p, why] of m.unreadable) engine.setUnreadable(p, why);
      if (m.listing !== undefined) engine.setListing(m.listing ?? undefined);
    } else if (m.type === 'cancel') {
      cancelled.add(m.id);
    } else if (m.type === 'audit') {
      const token = { get isCancellationRequested() { return cancelled.has(m.id); } };
      auditEngine(engine, token, m.extra ? { findings: m.extra.findings, coverage: new Map(m.extra.coverage) } : undefined).then(
        (audit) => send({ type: 'audit', id: m.id, audit }),
        (e: unknown) => send(e instanceof CancelledError ? { type: 'cancelled', id: m.id } : { type: 'error', id: m.id, message: (e as Error).stack ?? String(e) }),
      ).finally(() => {
        Atomics.store(hb, HEARTBEAT.busy, 0);
        cancelled.delete(m.id);
      });
    }
  });
}
