/**
 * The audit as a Markdown report (exported from the report panel, committed next to the code):
 * score, severity counts, the checklist per group, findings per checklist item and the trend.
 * Pure and deterministic: same audit + options → same bytes (no clock, no locale-dependent sorting).
 */
import type { WorkspaceAudit } from '../audit.js';
import { CHECKLIST, type BudgetRow, type ChecklistGroup, type ItemResult, type ItemStatus } from '../checklist.js';
import type { Finding, Severity } from '../model.js';
import { ruleDocsFileUrl } from '../docs.js';

/** One past audit, as recorded in the workspace memory (performance-data.md). */
export interface HistoryEntry {
  /** ISO date (YYYY-MM-DD or a full timestamp); entries are ordered by it. */
  date: string;
  /** Checklist score, 0–100. */
  score: number;
  /** Number of findings. */
  findings: number;
  /** Ids of the failing checklist items. */
  failing: string[];
}

export interface MarkdownReportOptions {
  title?: string;
  /** When the audit ran, as shown in the report (the renderer never reads the clock). */
  date: string;
  history?: HistoryEntry[];
  /** Findings new / fixed since the recorded baseline. */
  baseline?: { new: number; fixed: number };
  /** Measured budgets (page load, time to interactive), listed after their group's items. */
  budgets?: readonly BudgetRow[];
}

export const DEFAULT_TITLE = 'Perf Auditor Report';
export const GROUPS: readonly ChecklistGroup[] = ['Frontend', 'Backend', 'Database', 'Operations'];
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
export const STATUS_TEXT: Record<ItemStatus, string> = { pass: 'PASS', fail: 'FAIL', unknown: 'unknown', 'not-applicable': 'n/a' };

// ---------------------------------------------------------------------------------------------
// Shared by the Markdown and HTML renderers.

/** A group's budget rows, in a stable order (budgets are not checklist items and take no part in the score). */
export function budgetsOf(budgets: readonly BudgetRow[] | undefined, group: ChecklistGroup): BudgetRow[] {
  return (budgets ?? []).filter((b) => b.group === group).sort((a, b) => cmp(a.id, b.id));
}

/** Code-point order (String#localeCompare depends on the ICU locale, so it is not deterministic). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindingsStable(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message) ||
    cmp(a.severity, b.severity)
  );
}

const GROUP_INDEX = new Map(GROUPS.map((g, i) => [g, i]));
const ITEM_INDEX = new Map<string, number>(CHECKLIST.map((c, i) => [c.id, i]));

/** Checklist results in group order (Frontend, Backend, Database, Operations), then checklist order. */
export function sortedChecklist(results: readonly ItemResult[]): ItemResult[] {
  const key = (r: ItemResult): [number, number] => [GROUP_INDEX.get(r.item.group) ?? GROUPS.length, ITEM_INDEX.get(r.item.id) ?? CHECKLIST.length];
  return [...results].sort((a, b) => {
    const [ga, ia] = key(a);
    const [gb, ib] = key(b);
    return ga - gb || ia - ib || cmp(a.item.id, b.item.id);
  });
}

export interface FindingGroup {
  id: string;
  title: string;
  findings: Finding[];
}

/** Findings per checklist item (checklist order; unknown items last, by id), each list sorted. */
export function groupFindings(audit: WorkspaceAudit): FindingGroup[] {
  const titles = new Map<string, string>(CHECKLIST.map((c) => [c.id, c.title]));
  for (const r of audit.checklist) titles.set(r.item.id, r.item.title);
  const byItem = new Map<string, Finding[]>();
  for (const f of audit.findings) byItem.set(f.checklistItem, [...(byItem.get(f.checklistItem) ?? []), f]);
  const order = (id: string): number => ITEM_INDEX.get(id) ?? CHECKLIST.length;
  return [...byItem.keys()]
    .sort((a, b) => order(a) - order(b) || cmp(a, b))
    .map((id) => ({ id, title: titles.get(id) ?? id, findings: [...(byItem.get(id) ?? [])].sort(compareFindingsStable) }));
}

export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) if (f.severity in counts) counts[f.severity]++;
  return counts;
}

export function statusCounts(results: readonly ItemResult[]): Record<ItemStatus, number> {
  const counts: Record<ItemStatus, number> = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 };
  for (const r of results) if (r.status in counts) counts[r.status]++;
  return counts;
}

/** Valid entries only (finite numbers, a date), ordered by date; ties keep their input order. */
export function normalizeHistory(history: readonly HistoryEntry[] | undefined): HistoryEntry[] {
  if (!Array.isArray(history)) return [];
  return history
    .filter((h) => h && typeof h.date === 'string' && h.date !== '' && Number.isFinite(h.score) && Number.isFinite(h.findings))
    .map((h) => ({
      date: h.date,
      score: Math.min(100, Math.max(0, h.score)),
      findings: Math.max(0, h.findings),
      failing: Array.isArray(h.failing) ? [...new Set((h.failing as unknown[]).filter((x): x is string => typeof x === 'string'))].sort(cmp) : [],
    }))
    .sort((a, b) => cmp(a.date, b.date));
}

/** A number for display: integers as is, others with at most one decimal. */
export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return '0';
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 1-based line for display. */
export function displayLine(f: Finding): number {
  return f.range.start.line + 1;
}

export interface SummaryLine {
  label: string;
  text: string;
  /** Shown after the text, de-emphasized. */
  detail?: string;
}

/** The report's header facts (no user-derived text: numbers and fixed words only). */
export function summaryLines(audit: WorkspaceAudit, opts: { baseline?: { new: number; fixed: number } }): SummaryLine[] {
  const sev = severityCounts(audit.findings);
  const st = statusCounts(audit.checklist);
  const judged = st.pass + st.fail;
  const lines: SummaryLine[] = [
    { label: 'Score', text: `${fmtNum(audit.score)}/100`, detail: `${st.pass} of ${plural(judged, 'judged item')} passing` },
    { label: 'Findings', text: `${audit.findings.length} (${plural(sev.error, 'error')}, ${plural(sev.warning, 'warning')}, ${sev.info} info, ${plural(sev.hint, 'hint')})` },
    { label: 'Checklist', text: `${st.pass} pass, ${st.fail} fail, ${st.unknown} unknown, ${st['not-applicable']} not applicable` },
  ];
  if (opts.baseline) lines.push({ label: 'Baseline', text: `${fmtNum(opts.baseline.new)} new, ${fmtNum(opts.baseline.fixed)} fixed` });
  const s = audit.stats;
  if (s) lines.push({ label: 'Scanned', text: `${plural(s.files, 'file')}, ${plural(s.counts.statements ?? 0, 'SQL statement')} in ${plural(s.counts.sqlFiles ?? 0, 'SQL file')}` });
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Markdown.

/**
 * Escapes text for inline Markdown (CommonMark + GFM tables): backslash-escapes every character
 * that can start emphasis, code, links, raw HTML, entities, strikethrough, math or a table cell
 * boundary; line breaks and other control characters become spaces (a cell is one line).
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_[\]<>|~&$#!]/g, (c) => `\\${c}`);
}

/** A link destination that cannot break out of `(...)`: spaces, brackets and controls percent-encoded. */
export function markdownUrl(url: string): string {
  // eslint-disable-next-line no-control-regex
  return url.replace(/[\u0000-\u0020()<>\\\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function renderMarkdownReport(audit: WorkspaceAudit, opts: MarkdownReportOptions): string {
  const out: string[] = [];
  out.push(`# ${escapeMarkdown(opts.title ?? DEFAULT_TITLE)}`, '');
  out.push(`- Date: ${escapeMarkdown(opts.date)}`);
  for (const l of summaryLines(audit, opts)) out.push(`- ${l.label}: ${l.label === 'Score' ? `**${l.text}**` : l.text}${l.detail ? ` (${l.detail})` : ''}`);

  out.push('', '## Checklist');
  const checklist = sortedChecklist(audit.checklist);
  for (const group of GROUPS) {
    const items = checklist.filter((r) => r.item.group === group);
    const budgets = budgetsOf(opts.budgets, group);
    if (!items.length && !budgets.length) continue;
    out.push('', `### ${group}`, '', row(['Item', 'Status', 'Reason', 'Findings']), row(['---', '---', '---', '---:']));
    for (const r of items) out.push(row([escapeMarkdown(r.item.title), STATUS_TEXT[r.status] ?? escapeMarkdown(r.status), escapeMarkdown(r.reason), r.findings.length]));
    for (const b of budgets) out.push(row([`${escapeMarkdown(b.title)} (budget)`, STATUS_TEXT[b.status] ?? escapeMarkdown(b.status), escapeMarkdown(b.reason), b.findings.length]));
  }

  out.push('', '## Findings');
  const groups = groupFindings(audit);
  if (!groups.length) out.push('', 'No findings.');
  for (const g of groups) {
    out.push('', `### ${escapeMarkdown(g.title)} (${escapeMarkdown(g.id)})`, '', row(['Location', 'Severity', 'Rule', 'Message']), row(['---', '---', '---', '---']));
    for (const f of g.findings) {
      out.push(row([`${escapeMarkdown(f.file)}:${displayLine(f)}`, escapeMarkdown(f.severity), `[${escapeMarkdown(f.ruleId)}](${markdownUrl(ruleDocsFileUrl(f.ruleId))})`, escapeMarkdown(f.message)]));
    }
  }

  out.push('', '## Trend', '');
  const history = normalizeHistory(opts.history);
  if (!history.length) out.push('No audit history recorded yet.');
  else {
    out.push(row(['Date', 'Score', 'Findings', 'Failing items']), row(['---', '---:', '---:', '---']));
    for (const h of history) out.push(row([escapeMarkdown(h.date), fmtNum(h.score), fmtNum(h.findings), h.failing.length ? h.failing.map(escapeMarkdown).join(', ') : '—']));
  }
  out.push('');
  return out.join('\n');
}
