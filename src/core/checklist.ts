/** The performance checklist (ids are stable; see shared/checklist.md) and item status from findings. */
import type { ChecklistItemId, Finding } from './model.js';
import { SEVERITY_ORDER } from './model.js';
import type { ChecklistOverride } from './config.js';

export type ChecklistGroup = 'Frontend' | 'Backend' | 'Database' | 'Operations';
export type ItemStatus = 'pass' | 'fail' | 'unknown' | 'not-applicable';

export interface ChecklistItem {
  id: ChecklistItemId;
  group: ChecklistGroup;
  title: string;
}

export const CHECKLIST: readonly ChecklistItem[] = [
  { id: 'compression', group: 'Frontend', title: 'Compression (gzip/brotli) enabled' },
  { id: 'lazy-loading', group: 'Frontend', title: 'Lazy loading' },
  { id: 'image-formats', group: 'Frontend', title: 'Optimized images (WebP/AVIF, sizing)' },
  { id: 'bundle-size', group: 'Frontend', title: 'JS bundles minimized and within budget' },
  { id: 'cdn', group: 'Frontend', title: 'Static assets via CDN' },
  { id: 'browser-caching', group: 'Frontend', title: 'Long-lived Cache-Control for hashed assets' },
  { id: 'response-caching', group: 'Backend', title: 'API response caching' },
  { id: 'query-optimization', group: 'Backend', title: 'Optimized database queries' },
  { id: 'connection-pooling', group: 'Backend', title: 'Connection pooling' },
  { id: 'read-replicas', group: 'Backend', title: 'Read replicas' },
  { id: 'query-result-caching', group: 'Backend', title: 'Query result caching' },
  { id: 'slow-endpoints', group: 'Backend', title: 'Endpoints profiled (p95 < 200 ms)' },
  { id: 'indexes', group: 'Database', title: 'Appropriate indexes' },
  { id: 'schema', group: 'Database', title: 'Optimized table schemas' },
  { id: 'maintenance-windows', group: 'Database', title: 'Maintenance windows' },
  { id: 'slow-query-log', group: 'Database', title: 'Slow query logs monitored' },
  { id: 'partitioning', group: 'Database', title: 'Partitioning' },
  { id: 'vacuum-analyze', group: 'Database', title: 'Regular VACUUM / ANALYZE' },
  { id: 'health-checks', group: 'Operations', title: 'Health checks' },
  { id: 'autoscaling', group: 'Operations', title: 'Autoscaling (CPU > 70% for 5 min, memory > 85%)' },
  { id: 'monitoring-alerts', group: 'Operations', title: 'Monitoring and alerts' },
  { id: 'backups', group: 'Operations', title: 'Tested backup and recovery' },
  { id: 'tls-encryption', group: 'Operations', title: 'TLS encryption' },
  { id: 'rate-limiting', group: 'Operations', title: 'Rate limiting' },
];

export interface ItemResult {
  item: ChecklistItem;
  status: ItemStatus;
  reason: string;
  findings: Finding[];
  /** Set by hand (config "checklist"), not derived from findings. */
  manual?: boolean;
}

/**
 * Status per item: fail when a warning/error finding maps to it; pass when an analyzer that
 * covers it ran over relevant input and found nothing at warning level; unknown otherwise.
 * `covered` lists the items whose analyzers had input (e.g. SQL schema present → indexes, schema).
 */
export function checklistStatus(findings: Finding[], covered: Map<ChecklistItemId, string>, overrides: Partial<Record<ChecklistItemId, ChecklistOverride>> = {}): ItemResult[] {
  return CHECKLIST.map((item) => {
    const fs = findings.filter((f) => f.checklistItem === item.id);
    const manual = overrides[item.id];
    if (manual) {
      const what = manual.status === 'pass' ? 'marked done' : 'marked not applicable';
      const extra = fs.length ? ` (${fs.length} finding${fs.length === 1 ? '' : 's'} still reported)` : '';
      return { item, status: manual.status, reason: `${what}${manual.date ? ` on ${manual.date.slice(0, 10)}` : ''}${manual.reason ? `: ${manual.reason}` : ''}${extra}`, findings: fs, manual: true };
    }
    const serious = fs.filter((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER.warning);
    const notes = fs.length - serious.length;
    if (serious.length) return { item, status: 'fail', reason: `${serious.length} problem${serious.length === 1 ? '' : 's'} found${notes ? ` (+${notes} note${notes === 1 ? '' : 's'})` : ''}`, findings: fs };
    const why = covered.get(item.id);
    if (why) return { item, status: 'pass', reason: `${why}; no problems found${fs.length ? ` (${fs.length} note${fs.length === 1 ? '' : 's'})` : ''}`, findings: fs };
    return { item, status: 'unknown', reason: 'no evidence in this workspace yet', findings: fs };
  });
}

export function score(results: ItemResult[]): number {
  const judged = results.filter((r) => r.status === 'pass' || r.status === 'fail');
  if (!judged.length) return 0;
  return Math.round((100 * judged.filter((r) => r.status === 'pass').length) / judged.length);
}

/** What an external audit (Lighthouse) says about checklist items. */
export interface ExternalItemEvidence {
  source: string;
  items: { id: string; status: ItemStatus; reason: string }[];
  findings: Finding[];
}

/**
 * Merges an external audit into the workspace checklist: a failure it measured fails the item (its
 * findings join the item's), a pass settles an item the workspace could not judge, and marks made by
 * hand always win.
 */
export function mergeEvidence(results: ItemResult[], ev: ExternalItemEvidence): ItemResult[] {
  return results.map((r) => {
    const e = ev.items.find((x) => x.id === r.item.id);
    if (!e || r.manual) return r;
    const extra = ev.findings.filter((f) => f.checklistItem === r.item.id);
    if (e.status === 'fail') {
      return { ...r, status: 'fail', reason: r.status === 'fail' ? `${r.reason}; ${ev.source}: ${e.reason}` : `${ev.source}: ${e.reason}`, findings: [...r.findings, ...extra] };
    }
    if (e.status === 'pass' && r.status === 'unknown') return { ...r, status: 'pass', reason: `${ev.source}: ${e.reason}`, findings: [...r.findings, ...extra] };
    return r;
  });
}
