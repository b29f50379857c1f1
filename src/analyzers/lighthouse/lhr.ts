/** Reading LHRs: validation, trimming, and the pass/fail reading of one audit. */
import type { Lhr, LhrAudit, LhrTableItem } from './types.js';

/** Audits whose score is below this fail (Lighthouse shows ≥ 0.9 as passed). */
export const PASS_SCORE = 0.9;
/** Table rows kept per audit after trimming. */
export const MAX_ITEMS = 25;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the shape this module relies on; throws an Error naming what is missing. */
export function parseLhr(raw: unknown): Lhr {
  if (!isObj(raw)) throw new Error('not a Lighthouse result (expected an object)');
  if (typeof raw.lighthouseVersion !== 'string') throw new Error('not a Lighthouse result (no lighthouseVersion)');
  if (!isObj(raw.audits)) throw new Error('not a Lighthouse result (no audits)');
  const audits: Record<string, LhrAudit> = {};
  for (const [id, a] of Object.entries(raw.audits)) {
    if (!isObj(a)) continue;
    audits[id] = {
      ...(a as Partial<LhrAudit>),
      id: typeof a.id === 'string' ? a.id : id,
      title: typeof a.title === 'string' ? a.title : id,
      score: typeof a.score === 'number' ? a.score : null,
      scoreDisplayMode: typeof a.scoreDisplayMode === 'string' ? a.scoreDisplayMode : 'informative',
    };
  }
  const rte = isObj(raw.runtimeError) && typeof raw.runtimeError.code === 'string' ? { code: raw.runtimeError.code, message: typeof raw.runtimeError.message === 'string' ? raw.runtimeError.message : raw.runtimeError.code } : undefined;
  const cats = isObj(raw.categories) ? raw.categories : {};
  const perf = isObj(cats.performance) ? cats.performance : undefined;
  return {
    ...(raw as Partial<Lhr>),
    lighthouseVersion: raw.lighthouseVersion,
    fetchTime: typeof raw.fetchTime === 'string' ? raw.fetchTime : new Date(0).toISOString(),
    runWarnings: Array.isArray(raw.runWarnings) ? raw.runWarnings.filter((w): w is string => typeof w === 'string') : [],
    ...(rte ? { runtimeError: rte } : { runtimeError: undefined }),
    configSettings: isObj(raw.configSettings) ? (raw.configSettings) : {},
    categories: perf
      ? { performance: { score: typeof perf.score === 'number' ? perf.score : null, auditRefs: Array.isArray(perf.auditRefs) ? (perf.auditRefs as { id: string }[]).filter((r) => isObj(r) && typeof r.id === 'string') : [] } }
      : {},
    audits,
  };
}

function trimItem(it: LhrTableItem): LhrTableItem {
  const out: LhrTableItem = {};
  for (const [k, v] of Object.entries(it)) {
    if (k === 'node' && isObj(v)) {
      const n: NonNullable<LhrTableItem['node']> = {};
      if (typeof v.snippet === 'string') n.snippet = v.snippet.slice(0, 300);
      if (typeof v.selector === 'string') n.selector = v.selector.slice(0, 200);
      if (typeof v.nodeLabel === 'string') n.nodeLabel = v.nodeLabel.slice(0, 200);
      out.node = n;
    } else if (k === 'subItems' && isObj(v) && Array.isArray(v.items)) {
      out.subItems = { items: (v.items as unknown[]).filter(isObj).slice(0, 5).map((s) => ({ ...(typeof s.reason === 'string' ? { reason: s.reason } : {}), ...(typeof s.wastedBytes === 'number' ? { wastedBytes: s.wastedBytes } : {}) })) };
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[k] = typeof v === 'string' ? v.slice(0, 2000) : v;
    }
  }
  return out;
}

/**
 * A smaller LHR with what reports, mapping and fixtures need: the performance category's audits
 * (plus the mapped ones), table rows capped at MAX_ITEMS with nodes reduced to snippet/selector/label,
 * no screenshots, debug data or stack traces.
 */
export function trimLhr(lhr: Lhr, keep: Iterable<string> = []): Lhr {
  const ids = new Set<string>([...(lhr.categories.performance?.auditRefs ?? []).map((r) => r.id), ...keep]);
  const audits: Record<string, LhrAudit> = {};
  for (const id of ids) {
    const a = lhr.audits[id];
    if (!a) continue;
    const t: LhrAudit = { id: a.id, title: a.title, score: a.score, scoreDisplayMode: a.scoreDisplayMode };
    if (typeof a.description === 'string') t.description = a.description.slice(0, 1000);
    if (typeof a.numericValue === 'number') t.numericValue = a.numericValue;
    if (typeof a.numericUnit === 'string') t.numericUnit = a.numericUnit;
    if (typeof a.displayValue === 'string') t.displayValue = a.displayValue;
    if (typeof a.errorMessage === 'string') t.errorMessage = a.errorMessage;
    if (Array.isArray(a.warnings) && a.warnings.length) t.warnings = a.warnings.filter((w) => typeof w === 'string');
    if (isObj(a.metricSavings)) t.metricSavings = a.metricSavings;
    const d = a.details;
    if (isObj(d)) {
      const td: NonNullable<LhrAudit['details']> = {};
      if (typeof d.type === 'string') td.type = d.type;
      if (typeof d.overallSavingsMs === 'number') td.overallSavingsMs = d.overallSavingsMs;
      if (typeof d.overallSavingsBytes === 'number') td.overallSavingsBytes = d.overallSavingsBytes;
      if (isObj(d.summary)) td.summary = d.summary;
      if (Array.isArray(d.items)) td.items = (d.items as unknown[]).filter(isObj).slice(0, MAX_ITEMS).map((i) => trimItem(i as LhrTableItem));
      else if (isObj(d.items)) {
        // 13.x checklist details: {name: {label, value}}.
        const items: Record<string, { label?: string; value?: unknown }> = {};
        for (const [k, v] of Object.entries(d.items)) if (isObj(v)) items[k] = { ...(typeof v.label === 'string' ? { label: v.label } : {}), value: v.value };
        td.items = items;
      }
      t.details = td;
    }
    audits[id] = t;
  }
  const out: Lhr = {
    lighthouseVersion: lhr.lighthouseVersion,
    fetchTime: lhr.fetchTime,
    runWarnings: [...lhr.runWarnings],
    configSettings: pick(lhr.configSettings, ['formFactor', 'throttlingMethod', 'throttling', 'screenEmulation', 'onlyCategories', 'channel']),
    categories: lhr.categories.performance ? { performance: { score: lhr.categories.performance.score, auditRefs: (lhr.categories.performance.auditRefs ?? []).map((r) => ({ id: r.id, ...(typeof r.weight === 'number' ? { weight: r.weight } : {}), ...(typeof r.group === 'string' ? { group: r.group } : {}), ...(typeof r.acronym === 'string' ? { acronym: r.acronym } : {}) })) } } : {},
    audits,
  };
  for (const k of ['requestedUrl', 'mainDocumentUrl', 'finalDisplayedUrl', 'finalUrl', 'userAgent'] as const) if (typeof lhr[k] === 'string') out[k] = lhr[k];
  if (lhr.environment) out.environment = pick(lhr.environment, ['hostUserAgent', 'benchmarkIndex']);
  if (lhr.runtimeError) out.runtimeError = { code: lhr.runtimeError.code, message: lhr.runtimeError.message };
  return out;
}

function pick<T extends Record<string, unknown>>(o: T, keys: string[]): T {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}

/** The audit ran and judged the page (not an error, not "not applicable", not manual). */
export function isJudged(a: LhrAudit | undefined): a is LhrAudit {
  if (!a) return false;
  return ['numeric', 'binary', 'metricSavings'].includes(a.scoreDisplayMode) && typeof a.score === 'number';
}

export function isFailing(a: LhrAudit | undefined): boolean {
  return isJudged(a) && (a.score ?? 1) < PASS_SCORE;
}

/** The rows of a table/opportunity audit (empty for other detail types). */
export function tableItems(a: LhrAudit | undefined): LhrTableItem[] {
  const items = a?.details?.items;
  return Array.isArray(items) ? items : [];
}

/** A 13.x checklist detail's named check (e.g. document-latency-insight → usesCompression). */
export function checklistValue(a: LhrAudit | undefined, name: string): { label?: string; value?: unknown } | undefined {
  const items = a?.details?.items;
  if (!items || Array.isArray(items)) return undefined;
  return items[name];
}

export function savingsBytes(a: LhrAudit): number | undefined {
  const d = a.details;
  if (typeof d?.overallSavingsBytes === 'number') return d.overallSavingsBytes;
  if (typeof d?.summary?.wastedBytes === 'number') return d.summary.wastedBytes;
  const rows = tableItems(a).filter((i) => typeof i.wastedBytes === 'number');
  return rows.length ? rows.reduce((s, i) => s + (i.wastedBytes ?? 0), 0) : undefined;
}

export function savingsMs(a: LhrAudit): number | undefined {
  if (typeof a.details?.overallSavingsMs === 'number') return a.details.overallSavingsMs;
  const ms = a.metricSavings ? Object.values(a.metricSavings).filter((v) => typeof v === 'number') : [];
  return ms.length ? Math.max(...ms) : undefined;
}

/** The page the run audited (final URL after redirects when known). */
export function pageUrl(lhr: Lhr): string {
  return lhr.finalDisplayedUrl ?? lhr.finalUrl ?? lhr.mainDocumentUrl ?? lhr.requestedUrl ?? '';
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatMs(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  if (n < 1000) return `${Math.round(n)} ms`;
  return `${(n / 1000).toFixed(1)} s`;
}

/** A URL shortened for messages: path and query of same-origin URLs, else the whole URL (capped). */
export function shortUrl(url: string, page?: string): string {
  try {
    const u = new URL(url);
    const p = page ? new URL(page) : undefined;
    const s = p && p.origin === u.origin ? `${u.pathname}${u.search}` : url;
    return s.length > 80 ? `${s.slice(0, 77)}…` : s;
  } catch {
    return url.length > 80 ? `${url.slice(0, 77)}…` : url;
  }
}
