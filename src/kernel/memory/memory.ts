/**
 * Workspace memory (`.superagent/memory/*.md`, see shared/memory-protocol.md): read what the team
 * already records, and update only the extension's own regions.
 *
 * What the extension owns:
 * - blocks delimited by `<!-- perf-auditor:begin -->` / `<!-- perf-auditor:end -->` lines (outside
 *   code fences, within one heading's own text) inside the sub-sections it writes to;
 * - in insights.md, the last `Last updated: …` line of `## Infrastructure & Performance` (only the
 *   date part is rewritten; one is added at the end of the section when there is none).
 * Everything else (other sections, user bullets around our blocks, order, blank lines, line
 * endings, BOM, trailing newline) is kept byte for byte. Missing sections / sub-sections are added
 * (a section at the end of the file after one blank line, a sub-section at the end of its section).
 * A begin marker without an end (or an end without a begin) is not a block: it is left alone and a
 * fresh block is added. Every update is idempotent.
 *
 * Pure: no I/O, no `vscode`; never throws on user content.
 */
import type { ChecklistItemId, Severity } from '../model.js';
import { CHECKLIST, type ItemStatus } from '../checklist.js';
import {
  appendLines,
  findSection,
  insertLinesAfter,
  lastContentLine,
  ownBodyEndLine,
  parseMarkdown,
  replaceLines,
  spliceText,
  subSections,
  type MdDoc,
  type MdSection,
} from './markdown.js';
import { hasLineTerminator, isSpaceCode, runStartBefore } from '../linear.js';

export const MARKER_BEGIN = '<!-- perf-auditor:begin -->';
export const MARKER_END = '<!-- perf-auditor:end -->';
const BEGIN_RE = /^[ \t]*<!--[ \t]*perf-auditor:begin\b[^>]*-->[ \t]*$/i;
const END_RE = /^[ \t]*<!--[ \t]*perf-auditor:end\b[^>]*-->[ \t]*$/i;

export const MEMORY_FILES = {
  insights: 'insights.md',
  architecture: 'technical-architecture.md',
  performanceData: 'performance-data.md',
  workflows: 'workflows.md',
} as const;

export const INSIGHTS_SECTION = 'Infrastructure & Performance';
export const INSIGHTS_SUBSECTIONS = [
  'System Architecture',
  'Performance Optimization',
  'Capacity Planning & Scaling',
  'Reliability & Monitoring',
  'Security & Compliance',
  'Infrastructure Automation',
  'Cost Management',
  'Performance Benchmarks',
  'Disaster Recovery',
] as const;
export type InsightsSubsection = (typeof INSIGHTS_SUBSECTIONS)[number];

export const PERF_DATA_SECTION = 'Infrastructure Performance Data';
export const PERF_DATA_SUBSECTIONS = ['System Performance', 'Reliability Metrics', 'Cost Metrics'] as const;
export const ARCHITECTURE_SECTION = 'Infrastructure Systems';
export const WORKFLOWS_SECTION = 'Infrastructure Procedures';

/** Rows kept in the audit history table (oldest dropped first). */
export const DEFAULT_MAX_HISTORY_ROWS = 200;

// ---------------------------------------------------------------------------------------------
// Inputs

/** The part of a WorkspaceAudit the memory layer needs (a WorkspaceAudit is assignable to it). */
export interface AuditLike {
  score: number;
  checklist: ReadonlyArray<{
    item: { id: string; title: string; group?: string };
    status: ItemStatus;
    reason?: string;
    findings: ReadonlyArray<{ severity?: Severity }>;
    manual?: boolean;
  }>;
  findings?: ReadonlyArray<{ severity: Severity }>;
}

export interface PerfDataEntry {
  date: string;
  score: number;
  /** Free text kept in the Notes column (e.g. "dialect postgresql, 3 rules off"). */
  settings?: string;
  items: ReadonlyArray<{ id: string; status: ItemStatus; findings: number }>;
  totals: { findings: number; errors?: number; warnings?: number };
}

export interface HistoryEntry {
  date: string;
  score: number | null;
  findings: number | null;
  pass: number | null;
  fail: number | null;
  unknown: number | null;
  notApplicable: number | null;
  /** Failing checklist items and their finding counts. */
  failing: { id: string; findings: number }[];
  notes: string;
  /** The table row as written. */
  raw: string;
}

// ---------------------------------------------------------------------------------------------
// Small text helpers

/** One line of plain text: no line breaks or control characters, trimmed. */
export function sanitizeInline(s: unknown): string {
  return (typeof s === 'string' ? s : typeof s === 'number' ? String(s) : '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `\s`, `*` or `_`: what is trimmed around a date (emphasis markers and spaces). */
const isStarSpace = (c: number): boolean => c === 42 || c === 95 || isSpaceCode(c);

function sanitizeDate(date: unknown): string {
  // .replace(/^[\s*_]+|[\s*_]+$/g, ''), without rescanning a long run of `*` from each of its characters.
  const s = sanitizeInline(date);
  let a = 0;
  while (a < s.length && isStarSpace(s.charCodeAt(a))) a++;
  return s.slice(a, runStartBefore(s, s.length, isStarSpace)) || 'unknown';
}

/** Text for a bold topic: no `**` inside. */
function topicText(s: string): string {
  return sanitizeInline(s).replace(/\*+/g, '') || 'Item';
}

/** Text for a markdown table cell: one line, with `\\` and `|` escaped. */
export function escapeTableCell(s: unknown): string {
  return sanitizeInline(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** The cells of a markdown table row (`\\x` unescaped, each trimmed), or undefined when the line is not one. */
export function splitTableRow(line: string): string[] | undefined {
  const t = line.trim();
  if (!t.startsWith('|')) return undefined;
  const cells: string[] = [];
  let cur = '';
  for (let i = 1; i < t.length; i++) {
    const c = t[i];
    if (c === '\\' && i + 1 < t.length) {
      cur += t[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') cells.push(cur.trim());
  return cells;
}

const isSeparatorRow = (cells: string[]) => cells.length > 0 && cells.every((c) => /^:?-+:?$/.test(c));

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A table cell's number (`-12`, `3.5`), or null when the cell is not one. */
export function tableNumber(s: string | undefined): number | null {
  if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s.trim())) return null;
  return Number(s.trim());
}

function toInt(s: string | undefined): number | null {
  const n = tableNumber(s);
  return n === null ? null : Math.round(n);
}

// ---------------------------------------------------------------------------------------------
// Marker blocks and the owned "Last updated" line

export interface MarkerBlock {
  beginLine: number;
  endLine: number;
}

/**
 * Well-formed marker blocks within lines [from, to): a begin and an end line outside code fences
 * with no heading in between; an end pairs with the latest begin before it. Unpaired markers are
 * not blocks.
 */
export function findMarkerBlocks(doc: MdDoc, from = 0, to = doc.lines.length): MarkerBlock[] {
  const out: MarkerBlock[] = [];
  let pending = -1;
  for (let i = from; i < to; i++) {
    const l = doc.lines[i];
    if (l.fence) continue;
    if (l.headingLevel !== undefined) pending = -1;
    else if (BEGIN_RE.test(l.text)) pending = i;
    else if (END_RE.test(l.text) && pending >= 0) {
      out.push({ beginLine: pending, endLine: i });
      pending = -1;
    }
  }
  return out;
}

/** A markdown table row of already-escaped cells. */
export const tableRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** The table-row lines inside marker block `b` (as written), less those `skip` rejects (header, separator). */
export function blockTableRows(doc: MdDoc, b: MarkerBlock, skip: (cells: string[]) => boolean): string[] {
  const rows: string[] = [];
  for (let i = b.beginLine + 1; i < b.endLine; i++) {
    const cells = splitTableRow(doc.lines[i].text);
    if (!cells || skip(cells)) continue;
    rows.push(doc.lines[i].text);
  }
  return rows;
}

/** The newest (last) `maxRows` rows, at least one; `fallback` when `maxRows` is not a finite number. */
export function keepNewestRows<T>(rows: T[], maxRows: number, fallback: number): T[] {
  const cap = Math.max(1, Math.floor(Number.isFinite(maxRows) ? maxRows : fallback));
  return rows.length > cap ? rows.slice(rows.length - cap) : rows;
}

function linesInBlocks(blocks: MarkerBlock[]): Set<number> {
  const s = new Set<number>();
  for (const b of blocks) for (let i = b.beginLine; i <= b.endLine; i++) s.add(i);
  return s;
}

// `[ \t]*[*_]{0,3}[ \t]*` written so that spaces have one place to go; after the `:`, the runs end
// where the greedy regex ended them, so [1] and [2] split the line as before.
const LAST_UPDATED_RE = /^([ \t]*(?:[*_]{1,3}[ \t]*)?last[ \t]+updated[ \t]*(?:[*_]{1,3}[ \t]*)?:[ \t]*(?![ \t])(?:[*_]{1,3}[ \t]*(?![ \t]))?)(.*)$/i;

/** The owned "Last updated" line of a section: its last such line outside fences and marker blocks. */
function ownedLastUpdated(doc: MdDoc, sec: MdSection): number {
  const inBlocks = linesInBlocks(findMarkerBlocks(doc, sec.bodyStartLine, sec.endLine));
  for (let i = sec.endLine - 1; i >= sec.bodyStartLine; i--) {
    const l = doc.lines[i];
    if (l.fence || l.headingLevel !== undefined || inBlocks.has(i)) continue;
    if (LAST_UPDATED_RE.test(l.text)) return i;
  }
  return -1;
}

function rewriteLastUpdated(line: string, date: string): string {
  const m = LAST_UPDATED_RE.exec(line);
  if (!m) return line;
  const prefix = m[1];
  const suffix = m[2].slice(runStartBefore(m[2], m[2].length, isStarSpace));
  return prefix + (prefix.endsWith(':') ? ' ' : '') + date + suffix;
}

// ---------------------------------------------------------------------------------------------
// Generic region updates

/** If the line after `after` exists and is not blank, a blank line is added after new content. */
function withTrailingBlank(doc: MdDoc, after: number, lines: string[]): string[] {
  const next = doc.lines[after + 1];
  return next && next.text.trim() !== '' ? [...lines, ''] : lines;
}

function skeleton(level: number, title: string, subs: readonly string[]): string[] {
  const out = [`${'#'.repeat(level)} ${title}`];
  for (const s of subs) out.push('', `${'#'.repeat(level + 1)} ${s}`);
  return out;
}

/** Make sure the section exists (appending its skeleton at the end of the file when missing). */
function ensureSection(text: string, title: string, subs: readonly string[], fileTitle: string): string {
  const doc = parseMarkdown(text);
  if (!doc.lines.length) {
    // Empty (or BOM-only) file: a fresh document.
    const lines = [`# ${fileTitle}`, '', ...skeleton(2, title, subs)];
    return text + lines.join('\n') + '\n';
  }
  if (findSection(doc, title, { level: 2 })) return text;
  return appendLines(doc, skeleton(2, title, subs));
}

/**
 * Set the content of our marker block in sub-section `sub` of section `section`: replace the first
 * well-formed block in the sub-section's own text (further ones are removed at the end of the update:
 * see removeDuplicateBlocks), else insert a block after the sub-section's last non-blank line, else
 * add the sub-section at the end of the section.
 */
function upsertBlock(text: string, section: string, sub: string, body: readonly string[]): string {
  const doc = parseMarkdown(text);
  const sec = findSection(doc, section, { level: 2 });
  if (!sec) return text;
  const lu = ownedLastUpdated(doc, sec);
  const skip = new Set(lu >= 0 ? [lu] : []);
  const block = [MARKER_BEGIN, ...body, MARKER_END];
  const s = findSection(doc, sub, { within: sec, level: sec.level + 1, maxLevel: 6 });
  if (!s) {
    const after = lastContentLine(doc, sec.bodyStartLine, sec.endLine, skip) ?? sec.headingLine;
    const heading = `${'#'.repeat(Math.min(sec.level + 1, 6))} ${sub}`;
    return insertLinesAfter(doc, after, withTrailingBlank(doc, after, ['', heading, ...block]));
  }
  const ownEnd = ownBodyEndLine(doc, s);
  const blocks = findMarkerBlocks(doc, s.bodyStartLine, ownEnd);
  if (blocks.length) {
    const first = blocks[0];
    const current = doc.lines.slice(first.beginLine, first.endLine + 1).map((l) => l.text);
    if (current.length === block.length && current.every((l, i) => l === block[i])) return text;
    return replaceLines(doc, first.beginLine, first.endLine, block);
  }
  const after = lastContentLine(doc, s.bodyStartLine, ownEnd, skip) ?? s.headingLine;
  return insertLinesAfter(doc, after, withTrailingBlank(doc, after, block));
}

/**
 * Remove our marker blocks after the first in each of the sub-sections `subs` of `section` (an
 * earlier version or a merge may have left several). Runs last in an update, after everything it
 * inserts, so that a duplicate which ended the file usually no longer does. Later blocks go first,
 * so earlier offsets stay valid. A duplicate is kept:
 *  - when removing it would pair a stray begin marker before it with a stray end after it: those user
 *    lines would become a new block, removed by the next update (user text lost, not idempotent);
 *  - when it ends a file that has no final newline and the line before it ends otherwise than the
 *    file then mostly does (a mixed CRLF/LF file): removing it takes that line's ending, and a later
 *    append would write the usual one in its place.
 */
function removeDuplicateBlocks(text: string, section: string, subs: readonly string[]): string {
  let t = text;
  for (const sub of subs) {
    const doc = parseMarkdown(t);
    const sec = findSection(doc, section, { level: 2 });
    const s = sec && findSection(doc, sub, { within: sec, level: sec.level + 1, maxLevel: 6 });
    if (!s) continue;
    const rest = findMarkerBlocks(doc, s.bodyStartLine, ownBodyEndLine(doc, s)).slice(1);
    for (const b of rest.reverse()) {
      const cur = parseMarkdown(t);
      const removed = replaceLines(cur, b.beginLine, b.endLine, []);
      const after = parseMarkdown(removed);
      const before = b.beginLine > 0 ? cur.lines[b.beginLine - 1] : undefined;
      const endingKept = cur.lines[b.endLine].eol !== '' || !before || before.eol === after.eol;
      if (endingKept && findMarkerBlocks(after).length === findMarkerBlocks(cur).length - 1) t = removed;
    }
  }
  return t;
}

function upsertLastUpdated(text: string, section: string, date: string): string {
  const doc = parseMarkdown(text);
  const sec = findSection(doc, section, { level: 2 });
  if (!sec) return text;
  const lu = ownedLastUpdated(doc, sec);
  if (lu >= 0) {
    const l = doc.lines[lu];
    const next = rewriteLastUpdated(l.text, date);
    return next === l.text ? text : spliceText(text, l.start, l.end, next);
  }
  const after = lastContentLine(doc, sec.bodyStartLine, sec.endLine) ?? sec.headingLine;
  return insertLinesAfter(doc, after, withTrailingBlank(doc, after, ['', `Last updated: ${date}`]));
}

// ---------------------------------------------------------------------------------------------
// insights.md

const IMPACT: Record<string, string> = {
  compression: 'uncompressed text assets inflate transfer size and load time',
  'lazy-loading': 'off-screen images and code load up front and delay first render',
  'image-formats': 'oversized or legacy-format images waste bandwidth',
  'bundle-size': 'large JS bundles delay time to interactive (budget < 5 s)',
  cdn: 'static assets served from the origin add latency far from users',
  'browser-caching': 'repeat visits re-download unchanged assets',
  'response-caching': 'identical API requests recompute their responses',
  'query-optimization': 'inefficient queries add database load and latency (budget < 100 ms)',
  'connection-pooling': 'per-request connection setup limits throughput',
  'read-replicas': 'read traffic competes with writes on the primary',
  'query-result-caching': 'hot queries hit the database every time',
  'slow-endpoints': 'endpoints may exceed the API p95 budget of 200 ms',
  indexes: 'queries scan whole tables as data grows',
  schema: 'table design costs storage and query speed',
  'maintenance-windows': 'maintenance may disrupt peak traffic',
  'slow-query-log': 'slow queries go unnoticed',
  partitioning: 'large tables slow down scans and maintenance',
  'vacuum-analyze': 'table bloat and stale statistics degrade query plans',
  'health-checks': 'failed instances keep receiving traffic',
  autoscaling: 'load spikes are not absorbed by added capacity',
  'monitoring-alerts': 'incidents are noticed late',
  backups: 'data may be unrecoverable after an incident',
  'tls-encryption': 'traffic is exposed in transit',
  'rate-limiting': 'abusive clients can exhaust capacity',
};

const SUBSECTION_FOR_ITEM: Partial<Record<string, InsightsSubsection>> = {
  autoscaling: 'Capacity Planning & Scaling',
  'health-checks': 'Reliability & Monitoring',
  'monitoring-alerts': 'Reliability & Monitoring',
  'tls-encryption': 'Security & Compliance',
  'rate-limiting': 'Security & Compliance',
  backups: 'Disaster Recovery',
};

function subsectionFor(id: string, group: string | undefined): InsightsSubsection {
  const s = SUBSECTION_FOR_ITEM[id];
  if (s) return s;
  const g = group ?? CHECKLIST.find((c) => c.id === id)?.group;
  return g === 'Operations' ? 'Reliability & Monitoring' : 'Performance Optimization';
}

function severityCounts(audit: AuditLike): { findings: number; errors: number; warnings: number } {
  const all = audit.findings ?? audit.checklist.flatMap((r) => r.findings);
  return {
    findings: all.length,
    errors: all.filter((f) => f.severity === 'error').length,
    warnings: all.filter((f) => f.severity === 'warning').length,
  };
}

/** Our bullets per insights sub-section, in sub-section order. */
export function insightsBullets(audit: AuditLike, date: string): Map<InsightsSubsection, string[]> {
  const out = new Map<InsightsSubsection, string[]>();
  const unknown = new Map<InsightsSubsection, string[]>();
  const add = (m: Map<InsightsSubsection, string[]>, s: InsightsSubsection, v: string) => {
    const a = m.get(s);
    if (a) a.push(v);
    else m.set(s, [v]);
  };
  const counts = { pass: 0, fail: 0, unknown: 0, na: 0 };
  for (const r of audit.checklist) {
    const id = String(r.item.id);
    const sub = subsectionFor(id, r.item.group);
    const title = topicText(r.item.title);
    const reason = sanitizeInline(r.reason);
    const n = r.findings.length;
    switch (r.status) {
      case 'fail':
        counts.fail++;
        add(out, sub, `- **${title}**: fail (${plural(n, 'finding')}) - ${IMPACT[id] ?? (reason || 'problems found')}`);
        break;
      case 'pass':
        counts.pass++;
        add(out, sub, `- **${title}**: pass${r.manual ? ' (marked done)' : ''} - ${reason || 'no problems found'}`);
        break;
      case 'not-applicable':
        counts.na++;
        add(out, sub, `- **${title}**: not applicable - ${reason || 'marked not applicable'}`);
        break;
      default:
        counts.unknown++;
        add(unknown, sub, title);
    }
  }
  for (const [sub, titles] of unknown) add(out, sub, `- **Not yet assessed**: unknown - ${titles.join('; ')}`);
  const t = severityCounts(audit);
  const score = Number.isFinite(audit.score) ? Math.round(audit.score) : 0;
  add(
    out,
    'Performance Benchmarks',
    `- **Perf audit score**: ${score}/100 (${sanitizeDate(date)}) - ${counts.pass} pass, ${counts.fail} fail, ${counts.unknown} unknown, ${counts.na} not applicable; ${plural(t.findings, 'finding')} (${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')})`,
  );
  return new Map(INSIGHTS_SUBSECTIONS.filter((s) => out.has(s)).map((s) => [s, out.get(s) ?? []]));
}

/**
 * insights.md with our bullets in `## Infrastructure & Performance` and its `Last updated` date set.
 * `text` undefined (or empty): a new file.
 */
export function updateInsights(text: string | undefined, audit: AuditLike, date: string): string {
  const d = sanitizeDate(date);
  let t = ensureSection(typeof text === 'string' ? text : '', INSIGHTS_SECTION, INSIGHTS_SUBSECTIONS, 'Insights');
  const subs = insightsBullets(audit, d);
  for (const [sub, bullets] of subs) t = upsertBlock(t, INSIGHTS_SECTION, sub, bullets);
  t = upsertLastUpdated(t, INSIGHTS_SECTION, d);
  return removeDuplicateBlocks(t, INSIGHTS_SECTION, [...subs.keys()]);
}

// ---------------------------------------------------------------------------------------------
// performance-data.md

const HISTORY_HEADER = ['Date', 'Score', 'Findings', 'Pass', 'Fail', 'Unknown', 'N/A', 'Failing items (findings)', 'Notes'];
const HISTORY_SEPARATOR = ['---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---'];
const HISTORY_SUBSECTION = 'System Performance';

/** The history entry for an audit. */
export function entryFromAudit(audit: AuditLike, date: string, settings?: string): PerfDataEntry {
  const t = severityCounts(audit);
  return {
    date,
    score: audit.score,
    ...(settings !== undefined ? { settings } : {}),
    items: audit.checklist.map((r) => ({ id: String(r.item.id), status: r.status, findings: r.findings.length })),
    totals: t,
  };
}

export function historyRow(entry: PerfDataEntry): string {
  const count = (s: ItemStatus) => entry.items.filter((i) => i.status === s).length;
  const num = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? String(Math.round(n)) : '-');
  const failing = entry.items
    .filter((i) => i.status === 'fail')
    .map((i) => `${sanitizeInline(i.id).replace(/[\s(),]+/g, '-')} (${num(i.findings)})`)
    .join(', ');
  return tableRow([
    escapeTableCell(sanitizeDate(entry.date)),
    num(entry.score),
    num(entry.totals?.findings),
    String(count('pass')),
    String(count('fail')),
    String(count('unknown')),
    String(count('not-applicable')),
    failing ? escapeTableCell(failing) : '-',
    entry.settings !== undefined && sanitizeInline(entry.settings) ? escapeTableCell(entry.settings) : '-',
  ]);
}

function parseHistoryRow(line: string): HistoryEntry | undefined {
  const cells = splitTableRow(line);
  if (!cells || cells.length < 2 || isSeparatorRow(cells)) return undefined;
  if (cells[0].toLowerCase() === 'date') return undefined;
  const failing: HistoryEntry['failing'] = [];
  const f = cells[7] ?? '';
  if (f && f !== '-') {
    for (const part of f.split(',')) {
      const m = /^\s*([^\s(]+)\s*(?:\((\d+)\)\s*)?$/.exec(part);
      if (m) failing.push({ id: m[1], findings: m[2] ? Number(m[2]) : 0 });
    }
  }
  const notes = cells[8] ?? '';
  return {
    date: cells[0],
    score: toInt(cells[1]),
    findings: toInt(cells[2]),
    pass: toInt(cells[3]),
    fail: toInt(cells[4]),
    unknown: toInt(cells[5]),
    notApplicable: toInt(cells[6]),
    failing,
    notes: notes === '-' ? '' : notes,
    raw: line,
  };
}

function historyBlock(doc: MdDoc): MarkerBlock | undefined {
  const sec = findSection(doc, PERF_DATA_SECTION, { level: 2 });
  if (sec) {
    const sub = findSection(doc, HISTORY_SUBSECTION, { within: sec, level: sec.level + 1, maxLevel: 6 });
    if (sub) {
      const b = findMarkerBlocks(doc, sub.bodyStartLine, ownBodyEndLine(doc, sub))[0];
      if (b) return b;
    }
  }
  // Fallback: any of our blocks holding the history table.
  return findMarkerBlocks(doc).find((b) => {
    const first = doc.lines.slice(b.beginLine + 1, b.endLine).find((l) => l.text.trim() !== '');
    return first !== undefined && splitTableRow(first.text)?.[0]?.toLowerCase() === 'date';
  });
}

/** The audit history written by appendPerformanceData, oldest first (for trend charts). Never throws. */
export function parseHistory(text: string): HistoryEntry[] {
  try {
    const doc = parseMarkdown(typeof text === 'string' ? text : '');
    const b = historyBlock(doc);
    if (!b) return [];
    const out: HistoryEntry[] = [];
    for (let i = b.beginLine + 1; i < b.endLine; i++) {
      const e = parseHistoryRow(doc.lines[i].text);
      if (e) out.push(e);
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * performance-data.md with `entry` added to the history table in `## Infrastructure Performance
 * Data` → `### System Performance` (newest last). An entry with the same date as an existing row
 * replaces that row and becomes the last one (so re-running on the same date, or applying twice,
 * changes nothing more).
 * Rows that are not ours to parse are kept; the oldest rows beyond `maxRows` are dropped.
 */
export function appendPerformanceData(text: string | undefined, entry: PerfDataEntry, maxRows = DEFAULT_MAX_HISTORY_ROWS): string {
  const t = ensureSection(typeof text === 'string' ? text : '', PERF_DATA_SECTION, PERF_DATA_SUBSECTIONS, 'Performance Data');
  const doc = parseMarkdown(t);
  const newRow = historyRow(entry);
  const date = parseHistoryRow(newRow)?.date ?? '';
  const sec = findSection(doc, PERF_DATA_SECTION, { level: 2 });
  const sub = sec && findSection(doc, HISTORY_SUBSECTION, { within: sec, level: sec.level + 1, maxLevel: 6 });
  // The block upsertBlock will replace: the first one in the sub-section's own text.
  const b = sub && findMarkerBlocks(doc, sub.bodyStartLine, ownBodyEndLine(doc, sub))[0];
  let rows = b ? blockTableRows(doc, b, (cells) => isSeparatorRow(cells) || cells[0]?.toLowerCase() === 'date') : [];
  // The row of the same date (the last one) gives way to the new row, which goes last: it is the
  // newest, so the cap below never drops it (a same-date row in the middle, e.g. "unknown" dates).
  const same = rows.map((r) => splitTableRow(r)?.[0]).lastIndexOf(date);
  if (same >= 0) rows.splice(same, 1);
  rows.push(newRow);
  rows = keepNewestRows(rows, maxRows, DEFAULT_MAX_HISTORY_ROWS);
  const updated = upsertBlock(t, PERF_DATA_SECTION, HISTORY_SUBSECTION, [tableRow(HISTORY_HEADER), tableRow(HISTORY_SEPARATOR), ...rows]);
  return removeDuplicateBlocks(updated, PERF_DATA_SECTION, [HISTORY_SUBSECTION]);
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface MemoryBullet {
  /** The line as written. */
  raw: string;
  /** The bullet text after the list marker. */
  text: string;
  /** From `- **Topic**: status - impact` (status/impact may be empty). */
  topic?: string;
  status?: string;
  impact?: string;
  /** Checklist item whose title is the topic, when it is one. */
  itemId?: ChecklistItemId;
  /** Heading of the sub-section holding it ('' for the section's own text). */
  subsection: string;
  /** Zero-based line number. */
  line: number;
  /** Inside one of our marker blocks (written by the extension). */
  ours: boolean;
}

export interface MemoryTable {
  subsection: string;
  line: number;
  header: string[];
  rows: string[][];
  ours: boolean;
}

export interface MemorySectionView {
  /** The file name it came from, when the file was given. */
  file?: string;
  found: boolean;
  heading?: string;
  subsections: string[];
  bullets: MemoryBullet[];
  tables: MemoryTable[];
  /** The date of the section's (last) `Last updated: …` line, when it has one. */
  lastUpdated?: string;
}

export interface MemoryView {
  insights: MemorySectionView & { lastUpdated?: string };
  performanceData: MemorySectionView & { history: HistoryEntry[] };
  architecture: MemorySectionView;
  workflows: MemorySectionView;
  warnings: string[];
}

const BULLET_RE = /^[ \t]*[-*+][ \t]+(?![ \t])(.*)$/;

export function parseBullet(text: string): Pick<MemoryBullet, 'topic' | 'status' | 'impact' | 'itemId'> {
  // /^\*\*(.+?)\*\*[ \t]*:?[ \t]*(.*)$/.exec(text.trim()), read without backtracking.
  const t = text.trim();
  const close = t.indexOf('**', 3);
  if (!t.startsWith('**') || close < 0 || hasLineTerminator(t, 2)) return {};
  const topic = t.slice(2, close).replace(/:\s*$/, '').trim();
  let r = close + 2;
  while (t[r] === ' ' || t[r] === '\t') r++;
  if (t[r] === ':') r++;
  while (t[r] === ' ' || t[r] === '\t') r++;
  const rest = t.slice(r);
  const sep = /(?<!\s)\s+[-\u2013\u2014]\s+/.exec(rest);
  const status = (sep ? rest.slice(0, sep.index) : rest).trim();
  const impact = sep ? rest.slice(sep.index + sep[0].length).trim() : '';
  const item = CHECKLIST.find((c) => c.title.toLowerCase() === topic.toLowerCase() || c.id === topic.toLowerCase());
  return { topic, status, impact, ...(item ? { itemId: item.id } : {}) };
}

function emptyView(file?: string): MemorySectionView {
  return { ...(file !== undefined ? { file } : {}), found: false, subsections: [], bullets: [], tables: [] };
}

function readSection(text: string, title: string, file?: string): MemorySectionView & { doc?: MdDoc; sec?: MdSection } {
  const doc = parseMarkdown(text);
  const sec = findSection(doc, title, { level: 2 });
  if (!sec) return emptyView(file);
  const view: MemorySectionView & { doc?: MdDoc; sec?: MdSection } = { ...emptyView(file), found: true, heading: sec.title, doc, sec };
  const ours = linesInBlocks(findMarkerBlocks(doc, sec.bodyStartLine, sec.endLine));
  const subOf = new Map<number, string>();
  const walk = (s: MdSection) => {
    for (const c of subSections(doc, s)) {
      view.subsections.push(c.title);
      for (let i = c.headingLine; i < c.endLine; i++) subOf.set(i, c.title);
      walk(c);
    }
  };
  walk(sec);
  let table: MemoryTable | undefined;
  for (let i = sec.bodyStartLine; i < sec.endLine; i++) {
    const l = doc.lines[i];
    const cells = l.fence || l.headingLevel !== undefined ? undefined : splitTableRow(l.text);
    if (cells) {
      if (!table) {
        table = { subsection: subOf.get(i) ?? '', line: i, header: cells, rows: [], ours: ours.has(i) };
        view.tables.push(table);
      } else if (!isSeparatorRow(cells)) table.rows.push(cells);
      continue;
    }
    table = undefined;
    if (l.fence || l.headingLevel !== undefined) continue;
    const m = BULLET_RE.exec(l.text);
    if (!m) continue;
    view.bullets.push({ raw: l.text, text: m[1].trim(), ...parseBullet(m[1]), subsection: subOf.get(i) ?? '', line: i, ours: ours.has(i) });
  }
  return view;
}

function strip<T extends MemorySectionView>(v: T & { doc?: MdDoc; sec?: MdSection }): MemorySectionView {
  const { doc: _d, sec: _s, ...rest } = v;
  return rest;
}

const baseName = (name: string) => String(name ?? '').split(/[\\/]/).pop()?.toLowerCase() ?? '';

/** What the team already records in the memory files. Never throws; problems become warnings. */
export function readMemory(files: ReadonlyArray<{ name: string; text: string }>): MemoryView {
  const view: MemoryView = {
    insights: emptyView(),
    performanceData: { ...emptyView(), history: [] },
    architecture: emptyView(),
    workflows: emptyView(),
    warnings: [],
  };
  const byName = new Map<string, { name: string; text: string }>();
  for (const f of Array.isArray(files) ? files : []) {
    if (!f || typeof f.text !== 'string') continue;
    const key = baseName(f.name);
    if (!byName.has(key)) byName.set(key, f);
  }
  const guard = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      view.warnings.push(`${what}: could not be read (${e instanceof Error ? e.message : String(e)})`);
    }
  };
  /** The section with the date of its "Last updated" line. */
  const read = (text: string, title: string, name: string): MemorySectionView => {
    const v = readSection(text, title, name);
    let lastUpdated: string | undefined;
    if (v.doc && v.sec) {
      const lu = ownedLastUpdated(v.doc, v.sec);
      if (lu >= 0) {
        const d = LAST_UPDATED_RE.exec(v.doc.lines[lu].text)?.[2] ?? '';
        lastUpdated = d.slice(0, runStartBefore(d, d.length, isStarSpace));
      }
    }
    return { ...strip(v), ...(lastUpdated !== undefined ? { lastUpdated } : {}) };
  };
  const ins = byName.get(MEMORY_FILES.insights);
  if (ins)
    guard(ins.name, () => {
      view.insights = read(ins.text, INSIGHTS_SECTION, ins.name);
      if (!view.insights.found) view.warnings.push(`${ins.name}: no "## ${INSIGHTS_SECTION}" section`);
    });
  const perf = byName.get(MEMORY_FILES.performanceData);
  if (perf)
    guard(perf.name, () => {
      const v = read(perf.text, PERF_DATA_SECTION, perf.name);
      if (!v.found) view.warnings.push(`${perf.name}: no "## ${PERF_DATA_SECTION}" section`);
      view.performanceData = { ...v, history: parseHistory(perf.text) };
    });
  const arch = byName.get(MEMORY_FILES.architecture);
  if (arch) guard(arch.name, () => (view.architecture = read(arch.text, ARCHITECTURE_SECTION, arch.name)));
  const wf = byName.get(MEMORY_FILES.workflows);
  if (wf) guard(wf.name, () => (view.workflows = read(wf.text, WORKFLOWS_SECTION, wf.name)));
  return view;
}

/** History rows with a score and a finding count, as trend charts take them (failing item ids only). */
export function trendEntries(history: readonly HistoryEntry[]): { date: string; score: number; findings: number; failing: string[] }[] {
  return history
    .filter((h) => h.score !== null && h.findings !== null && h.date !== '')
    .map((h) => ({ date: h.date, score: h.score ?? 0, findings: h.findings ?? 0, failing: h.failing.map((f) => f.id) }));
}
