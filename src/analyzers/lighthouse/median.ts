/** Several runs of one page: the representative (median) run and per-metric medians. */
import type { Lhr, MetricSummary } from './types.js';

export const METRICS: readonly { id: string; acronym: string; label: string; unit: 'ms' | 'unitless' }[] = [
  { id: 'first-contentful-paint', acronym: 'FCP', label: 'First Contentful Paint', unit: 'ms' },
  { id: 'largest-contentful-paint', acronym: 'LCP', label: 'Largest Contentful Paint', unit: 'ms' },
  { id: 'speed-index', acronym: 'SI', label: 'Speed Index', unit: 'ms' },
  { id: 'total-blocking-time', acronym: 'TBT', label: 'Total Blocking Time', unit: 'ms' },
  { id: 'cumulative-layout-shift', acronym: 'CLS', label: 'Cumulative Layout Shift', unit: 'unitless' },
  { id: 'interactive', acronym: 'TTI', label: 'Time to Interactive', unit: 'ms' },
];

/** The median of the finite numbers (mean of the middle two for an even count); null when none. */
export function median(values: readonly number[]): number | null {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function numericValue(lhr: Lhr, auditId: string): number {
  const v = lhr.audits[auditId]?.numericValue;
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}

/**
 * The index of the run closest to the median FCP and the median TTI (squared distance; ties →
 * the smaller TTI), as Lighthouse's own `computeMedianRun` picks it. Runs without both values are
 * skipped; when no run has them, the first run. Throws on an empty list.
 */
export function medianRunIndex(runs: readonly Lhr[]): number {
  if (!runs.length) throw new Error('no Lighthouse runs');
  const valid = runs.map((r, i) => ({ i, fcp: numericValue(r, 'first-contentful-paint'), tti: numericValue(r, 'interactive') })).filter((r) => Number.isFinite(r.fcp) && Number.isFinite(r.tti));
  if (!valid.length) return 0;
  const mFcp = median(valid.map((r) => r.fcp)) ?? 0;
  const mTti = median(valid.map((r) => r.tti)) ?? 0;
  const dist = (r: { fcp: number; tti: number }): number => (mFcp - r.fcp) ** 2 + (mTti - r.tti) ** 2;
  return [...valid].sort((a, b) => dist(a) - dist(b) || a.tti - b.tti || a.i - b.i)[0].i;
}

/** FCP, LCP, SI, TBT, CLS and TTI over the runs; `score` is the median run's audit score. */
export function summarizeMetrics(runs: readonly Lhr[], medianRun: number): MetricSummary[] {
  return METRICS.map((m) => {
    const values = runs.map((r) => numericValue(r, m.id));
    const finite = values.filter((v) => Number.isFinite(v));
    const score = runs[medianRun]?.audits[m.id]?.score;
    return {
      ...m,
      values,
      median: median(values),
      min: finite.length ? Math.min(...finite) : null,
      max: finite.length ? Math.max(...finite) : null,
      score: typeof score === 'number' ? score : null,
    };
  });
}
