/**
 * Lighthouse results in the core: LHR reading, median of runs, budgets, mapping onto the checklist
 * (rules `lighthouse-<audit>`), locating the responsible workspace files, memory history and the
 * report formats. Pure: the runner (child process, Chromium) lives in run/.
 */
export * from './types.js';
export { parseLhr, trimLhr, isFailing, isJudged, formatBytes, formatMs, pageUrl, PASS_SCORE } from './lhr.js';
export { median, medianRunIndex, summarizeMetrics, METRICS } from './median.js';
export { LIGHTHOUSE_AUDIT_RULES, LIGHTHOUSE_BUDGET_RULES, LIGHTHOUSE_RULE_METAS, LIGHTHOUSE_ITEMS, BUDGET_CHECKLIST_ITEM, type LighthouseAuditRule, type LighthouseBudgetRule } from './rules.js';
export { buildLighthouseReport, lighthouseData, MAX_FINDINGS_PER_AUDIT, type BuildOptions, type LighthouseFindingData } from './map.js';
export { locateFindings, matchResource, unhashedName, type WorkspaceFiles } from './locate.js';
export { appendLighthouseRun, parseLighthouseHistory, lighthouseEntry, lighthouseHistoryRow, LIGHTHOUSE_SUBSECTION, type LighthouseHistoryEntry } from './memory.js';
export { formatLighthouseText, lighthouseJson, lighthouseSarif } from './format.js';
export { renderLighthouseHtml, renderLighthousePlaceholder, type LighthouseHtmlOptions } from './html.js';
export { lighthouseEvidence, lighthouseSource, isBudgetId } from './evidence.js';
