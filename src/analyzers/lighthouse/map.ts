/**
 * One or more LHRs of a page → the report: median run, metrics against budgets, findings per
 * mapped audit, checklist items, opportunities and warnings. Pure.
 *
 * Findings are placed on the URL they are about (a resource's URL, or the page for server- and
 * page-level problems); `locateFindings` (locate.ts) moves them onto workspace files when the
 * workspace holds the responsible config, image or bundle.
 */
import type { ChecklistItemId, Finding, Severity } from '../../kernel/model.js';
import { SEVERITY_ORDER, range } from '../../kernel/model.js';
import { CHECKLIST, type ItemStatus } from '../../kernel/checklist.js';
import type { PerfAuditSettings, RuleLevel } from '../../kernel/settings.js';
import type { BudgetCheck, LighthouseItemResult, LighthousePreset, LighthouseReport, Lhr, LhrAudit, Opportunity } from './types.js';
import { formatBytes, formatMs, isFailing, isJudged, pageUrl, savingsBytes, savingsMs, tableItems } from './lhr.js';
import { medianRunIndex, summarizeMetrics } from './median.js';
import { LIGHTHOUSE_AUDIT_RULES, LIGHTHOUSE_BUDGET_RULES, LIGHTHOUSE_ITEMS, isShadowedInsight, ruleApplies, ruleFails, type LighthouseAuditRule, type LighthouseTarget } from './rules.js';

/** Resource findings per audit (the rest is summarised in the report). */
export const MAX_FINDINGS_PER_AUDIT = 20;

/** Lighthouse warnings after which a run's passes are not to be trusted. */
const UNRELIABLE = /did not finish|too slowly|timed out|time limit|may be incomplete|page loaded too slowly|never|interrupted|did not load/i;

export interface BuildOptions {
  preset: LighthousePreset;
  budgets: Pick<PerfAuditSettings['budgets'], 'pageLoadMs' | 'timeToInteractiveMs'>;
  /** Rule levels from `.perfauditrc.json` ("off" drops a rule). */
  rules?: Record<string, RuleLevel>;
  /** The URL asked for (defaults to the LHR's requestedUrl). */
  url?: string;
}

/** What a Lighthouse finding carries in `data` (stable: no measured numbers). */
export interface LighthouseFindingData {
  source: 'lighthouse';
  audit: string;
  page: string;
  preset: LighthousePreset;
  target: LighthouseTarget;
  /** The resource the finding is about (resource rules) or the resources (server rules). */
  urls: string[];
  /** Set by locateFindings when the finding was moved onto a workspace file. */
  located: boolean;
  [key: string]: unknown;
}

export function lighthouseData(f: Finding): LighthouseFindingData | undefined {
  const d = f.data;
  return d?.source === 'lighthouse' && typeof d.audit === 'string' ? (d as LighthouseFindingData) : undefined;
}

function severityOf(ruleId: string, def: Severity, rules: Record<string, RuleLevel> | undefined): Severity | undefined {
  const level = rules?.[ruleId];
  if (level === 'off') return undefined;
  return level ?? def;
}

function auditFindings(rule: LighthouseAuditRule, a: LhrAudit, page: string, preset: LighthousePreset, severity: Severity): Finding[] {
  const base = (file: string, message: string, urls: string[]): Finding => ({
    ruleId: rule.meta.id,
    severity,
    message,
    file,
    range: range(0, 0, 0, 0),
    checklistItem: rule.meta.checklistItem,
    fixes: [],
    related: [],
    data: { source: 'lighthouse', audit: rule.audit, page, preset, target: rule.target, urls, located: false } satisfies LighthouseFindingData,
  });
  const rowsOf = rule.rows ?? ((x: LhrAudit) => tableItems(x).filter((r) => typeof r.url === 'string' && r.url !== ''));
  if (rule.target === 'resource') {
    const rows = rowsOf(a);
    // A failing audit with no rows (should not happen) still counts once, on the page.
    if (!rows.length) return [base(page, rule.message(a, page), [])];
    return rows.slice(0, MAX_FINDINGS_PER_AUDIT).map((r) => base(String(r.url), rule.message(a, page, r), [String(r.url)]));
  }
  const urls = rowsOf(a).map((r) => String(r.url));
  return [base(page, rule.message(a, page), urls)];
}

function budgetChecks(median: Map<string, number | null>, budgets: BuildOptions['budgets']): BudgetCheck[] {
  return LIGHTHOUSE_BUDGET_RULES.map((b) => {
    const valueMs = median.get(b.audit) ?? null;
    const budgetMs = budgets[b.budgetKey];
    return { id: b.budget, title: b.title, metric: b.audit, budgetKey: b.budgetKey, budgetMs, valueMs, status: valueMs === null ? 'unknown' : valueMs > budgetMs ? 'fail' : 'pass' };
  });
}

function itemTitle(id: ChecklistItemId): string {
  return CHECKLIST.find((c) => c.id === id)?.title ?? id;
}

export function buildLighthouseReport(runs: readonly Lhr[], opts: BuildOptions): LighthouseReport {
  if (!runs.length) throw new Error('no Lighthouse runs to report');
  const medianRun = medianRunIndex(runs);
  const lhr = runs[medianRun];
  const page = pageUrl(lhr) || opts.url || '';
  const url = opts.url ?? lhr.requestedUrl ?? page;
  const metrics = summarizeMetrics(runs, medianRun);
  const medians = new Map(metrics.map((m) => [m.id, m.median]));
  const budgets = budgetChecks(medians, opts.budgets);

  const warnings: string[] = [];
  const addWarning = (w: string): void => {
    if (!warnings.includes(w)) warnings.push(w);
  };
  runs.forEach((r, i) => r.runWarnings.forEach((w) => addWarning(runs.length > 1 ? `Run ${i + 1}: ${w}` : w)));
  const reliable = !runs.some((r) => r.runWarnings.some((w) => UNRELIABLE.test(w)));

  // Findings and the audits each checklist item was judged by.
  const findings: Finding[] = [];
  const judgedBy = new Map<ChecklistItemId, string[]>();
  const erroredFor = new Map<ChecklistItemId, string[]>();
  for (const rule of LIGHTHOUSE_AUDIT_RULES) {
    if (!ruleApplies(rule, lhr.audits)) continue;
    const a = lhr.audits[rule.audit];
    const item = rule.meta.checklistItem;
    if (a.scoreDisplayMode === 'error') {
      erroredFor.set(item, [...(erroredFor.get(item) ?? []), rule.audit]);
      addWarning(`Lighthouse audit ${rule.audit} could not run: ${a.errorMessage ?? 'unknown error'}`);
      continue;
    }
    if (!isJudged(a)) continue;
    const severity = severityOf(rule.meta.id, rule.meta.defaultSeverity, opts.rules);
    if (!severity) continue;
    judgedBy.set(item, [...(judgedBy.get(item) ?? []), rule.audit]);
    if (ruleFails(rule, a)) findings.push(...auditFindings(rule, a, page, opts.preset, severity));
  }
  for (const rule of LIGHTHOUSE_BUDGET_RULES) {
    const check = budgets.find((b) => b.id === rule.budget);
    const severity = severityOf(rule.meta.id, rule.meta.defaultSeverity, opts.rules);
    if (!check || check.status !== 'fail' || !severity) continue;
    const m = metrics.find((x) => x.id === rule.audit);
    const over = runs.length > 1 ? `median of ${runs.length} runs ${formatMs(check.valueMs)} (${m?.values.map((v) => formatMs(v)).join(', ')})` : formatMs(check.valueMs);
    findings.push({
      ruleId: rule.meta.id,
      severity,
      message: `Lighthouse: ${rule.budget === 'page-load' ? 'page load (Largest Contentful Paint)' : 'time to interactive'} ${over} is over the ${formatMs(check.budgetMs)} budget (budgets.${check.budgetKey}, ${opts.preset}).`,
      file: page,
      range: range(0, 0, 0, 0),
      checklistItem: rule.meta.checklistItem,
      fixes: [],
      related: [],
      data: { source: 'lighthouse', audit: rule.audit, page, preset: opts.preset, target: 'page', urls: [], located: false, budget: check.budgetKey } satisfies LighthouseFindingData,
    });
  }

  // Items are judged by their audits only; the budgets (whose findings name bundle-size) are rows of
  // their own below, so a page over budget shows failing budget rows, not a failing bundle-size.
  const checklist: LighthouseItemResult[] = LIGHTHOUSE_ITEMS.map((id) => {
    const fs = findings.filter((f) => f.checklistItem === id && !lighthouseData(f)?.audit.match(/^(largest-contentful-paint|interactive)$/));
    const serious = fs.filter((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER.warning);
    const audits = judgedBy.get(id) ?? [];
    let status: ItemStatus;
    let reason: string;
    if (serious.length) {
      status = 'fail';
      const byAudit = [...new Set(serious.map((f) => lighthouseData(f)?.audit ?? f.ruleId))];
      reason = `Lighthouse: ${byAudit.map((au) => `${au} (${opportunityText(lhr.audits[au])})`).join(', ')}`;
    } else if (!audits.length) {
      status = 'unknown';
      const errored = erroredFor.get(id);
      reason = errored?.length ? `Lighthouse could not run ${errored.join(', ')}` : `no Lighthouse ${lhr.lighthouseVersion} audit for this item`;
    } else if (!reliable) {
      status = 'unknown';
      reason = `Lighthouse passed ${audits.join(', ')}, but warned that the page did not finish loading: not trusted`;
    } else {
      status = 'pass';
      reason = `Lighthouse passed ${audits.join(', ')}${fs.length ? ` (${fs.length} note${fs.length === 1 ? '' : 's'})` : ''}`;
    }
    return { id, title: itemTitle(id), status, reason, audits, findings: fs.length };
  });
  for (const b of budgets) {
    const f = findings.filter((x) => lighthouseData(x)?.audit === b.metric);
    const status: ItemStatus = b.status === 'pass' && !reliable ? 'unknown' : b.status;
    const verb = b.status === 'fail' ? 'over' : 'within';
    checklist.push({
      id: b.id,
      title: `${b.id === 'page-load' ? 'Page load' : 'Time to interactive'} < ${formatMs(b.budgetMs)}`,
      status,
      reason: b.valueMs === null ? `Lighthouse reported no ${b.metric}` : `${b.metric === 'interactive' ? 'TTI' : 'LCP'} ${formatMs(b.valueMs)}${runs.length > 1 ? ` (median of ${runs.length})` : ''}: ${verb} the ${formatMs(b.budgetMs)} budget${status === 'unknown' && b.status === 'pass' ? ', but the page did not finish loading' : ''}`,
      audits: [b.metric],
      findings: f.length,
    });
  }

  const mapped = new Map<string, ChecklistItemId>(LIGHTHOUSE_AUDIT_RULES.map((r) => [r.audit, r.meta.checklistItem]));
  const opportunities: Opportunity[] = [];
  const perfIds = new Set([...(lhr.categories.performance?.auditRefs ?? []).map((r) => r.id), ...mapped.keys()]);
  for (const id of perfIds) {
    const a = lhr.audits[id];
    const rule = LIGHTHOUSE_AUDIT_RULES.find((r) => r.audit === id);
    if (!a || (rule && !ruleApplies(rule, lhr.audits)) || isShadowedInsight(id, lhr.audits)) continue;
    const failing = rule ? isJudged(a) && ruleFails(rule, a) : isFailing(a);
    if (!failing || /^(first-contentful-paint|largest-contentful-paint|speed-index|total-blocking-time|cumulative-layout-shift|interactive|max-potential-fid)$/.test(id)) continue;
    const sb = savingsBytes(a);
    const sm = savingsMs(a);
    opportunities.push({
      audit: id,
      title: a.title,
      ...(a.displayValue ? { displayValue: a.displayValue } : {}),
      score: a.score,
      ...(sb !== undefined ? { savingsBytes: sb } : {}),
      ...(sm !== undefined ? { savingsMs: sm } : {}),
      ...(mapped.has(id) ? { checklistItem: mapped.get(id) } : {}),
      items: tableItems(a).filter((r) => typeof r.url === 'string').slice(0, 10).map((r) => ({ url: String(r.url), ...(typeof r.totalBytes === 'number' ? { totalBytes: r.totalBytes } : {}), ...(typeof r.wastedBytes === 'number' ? { wastedBytes: r.wastedBytes } : {}) })),
    });
  }
  opportunities.sort((x, y) => (y.savingsMs ?? 0) - (x.savingsMs ?? 0) || (y.savingsBytes ?? 0) - (x.savingsBytes ?? 0) || x.audit.localeCompare(y.audit));

  const score100 = (r: Lhr): number | null => {
    const s = r.categories.performance?.score;
    return typeof s === 'number' ? Math.round(s * 100) : null;
  };
  return {
    url,
    finalUrl: page,
    preset: opts.preset,
    lighthouseVersion: lhr.lighthouseVersion,
    fetchTime: lhr.fetchTime,
    ...(lhr.userAgent ? { userAgent: lhr.userAgent } : {}),
    ...(typeof lhr.configSettings.throttlingMethod === 'string' ? { throttlingMethod: lhr.configSettings.throttlingMethod } : {}),
    runs: runs.length,
    medianRun,
    score: score100(lhr),
    scores: runs.map(score100),
    metrics,
    budgets,
    checklist,
    findings,
    opportunities,
    warnings,
    reliable,
  };
}

function opportunityText(a: LhrAudit | undefined): string {
  if (!a) return 'failed';
  const b = savingsBytes(a);
  const ms = savingsMs(a);
  if (a.displayValue) return a.displayValue;
  return [b ? formatBytes(b) : '', ms ? formatMs(ms) : ''].filter(Boolean).join(', ') || 'failed';
}
