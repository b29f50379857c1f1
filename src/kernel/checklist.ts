/** The performance checklist (ids are stable; see shared/checklist.md) and item status from findings. */
import type { ChecklistItemId, Finding } from './model.js';
import { SEVERITY_ORDER } from './model.js';
import type { ChecklistOverride } from './settings.js';

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

/**
 * A measured budget (page load < 3 s, time to interactive < 5 s) shown as a row of its own in a
 * checklist group. Budgets are not checklist items (shared/checklist.md has no item for them): they
 * neither take part in the score nor carry a hand mark, but their verdict and findings are shown.
 */
export interface BudgetRow {
  id: string;
  group: ChecklistGroup;
  title: string;
  status: ItemStatus;
  reason: string;
  findings: Finding[];
}

/** What an external audit (Lighthouse, the bundle analysis) says about checklist items. */
export interface ExternalItemEvidence {
  source: string;
  items: { id: string; status: ItemStatus; reason: string }[];
  /** Findings joining the items they map to (budget rows' findings excluded: see `budgets`). */
  findings: Finding[];
  /** When it was measured, in local time (e.g. "2026-11-25 14:05"). */
  date?: string;
  /** What was measured (e.g. the page URL) and how (e.g. the Lighthouse preset), to run it again. */
  target?: string;
  preset?: string;
  /** Budget verdicts, shown as rows of their own (their findings belong to them, not to an item). */
  budgets?: BudgetRow[];
}

/**
 * Merges an external audit into the workspace checklist: a failure it measured fails the item (its
 * findings join the item's), a pass settles an item the workspace could not judge, and marks made by
 * hand always win. An item never passes while carrying a failing (warning or error) finding: a pass
 * that comes with such findings fails the item instead.
 */
export function mergeEvidence(results: ItemResult[], ev: ExternalItemEvidence): ItemResult[] {
  const ofBudgets = new Set((ev.budgets ?? []).flatMap((b) => b.findings));
  return results.map((r) => {
    const e = ev.items.find((x) => x.id === r.item.id);
    if (!e || r.manual) return r;
    const extra = ev.findings.filter((f) => f.checklistItem === r.item.id && !ofBudgets.has(f));
    const serious = extra.filter((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER.warning);
    if (e.status === 'fail' || (e.status === 'pass' && serious.length)) {
      const why = e.status === 'fail' ? e.reason : `${serious.length} problem${serious.length === 1 ? '' : 's'} found (${e.reason})`;
      return { ...r, status: 'fail', reason: r.status === 'fail' ? `${r.reason}; ${ev.source}: ${why}` : `${ev.source}: ${why}`, findings: [...r.findings, ...extra] };
    }
    if (e.status === 'pass' && r.status === 'unknown') return { ...r, status: 'pass', reason: `${ev.source}: ${e.reason}`, findings: [...r.findings, ...extra] };
    return r;
  });
}

/** Budget rows of the evidence, by group (a later source's row with the same id replaces an earlier one). */
export function budgetRows(evidence: Iterable<ExternalItemEvidence>): BudgetRow[] {
  const byId = new Map<string, BudgetRow>();
  for (const ev of evidence) for (const b of ev.budgets ?? []) byId.set(b.id, { ...b, reason: b.reason.startsWith(ev.source) ? b.reason : `${ev.source}: ${b.reason}` });
  return [...byId.values()];
}

/** The evidence sources that decided (or contributed to) an item's state, for "re-run" and "clear". */
export function evidenceFor(result: ItemResult, evidence: ReadonlyMap<string, ExternalItemEvidence>): { key: string; evidence: ExternalItemEvidence }[] {
  if (result.manual) return [];
  const out: { key: string; evidence: ExternalItemEvidence }[] = [];
  for (const [key, ev] of evidence) {
    const e = ev.items.find((x) => x.id === result.item.id);
    if (e && (e.status === 'fail' || result.reason.includes(ev.source))) out.push({ key, evidence: ev });
  }
  return out;
}

/** The evidence without what it says about one item (its verdict and its findings). */
export function withoutItem(ev: ExternalItemEvidence, id: string): ExternalItemEvidence {
  return { ...ev, items: ev.items.filter((x) => x.id !== id), findings: ev.findings.filter((f) => f.checklistItem !== id), ...(ev.budgets ? { budgets: ev.budgets.filter((b) => b.id !== id) } : {}) };
}
