/**
 * Lighthouse history in the workspace memory: `.superagent/memory/performance-data.md`,
 * `## Infrastructure Performance Data` → `### System Performance` → `#### Lighthouse`, one table
 * row per Lighthouse report (newest last) inside our marker block, so trends per URL and preset can
 * be compared. Kept apart from the workspace-audit history table (which `appendPerformanceData`
 * writes into the sub-section's own text, one row per date): a Lighthouse score is a different
 * measure and several runs a day are worth keeping.
 *
 * Built on the memory module's exported markdown helpers; everything outside our block (other
 * sections, user text, line endings, BOM) is kept byte for byte. Pure, never throws on user text.
 */
import {
  MARKER_BEGIN,
  MARKER_END,
  PERF_DATA_SECTION,
  PERF_DATA_SUBSECTIONS,
  appendLines,
  blockTableRows,
  escapeTableCell,
  findMarkerBlocks,
  findSection,
  insertLinesAfter,
  keepNewestRows,
  lastContentLine,
  ownBodyEndLine,
  parseMarkdown,
  replaceLines,
  splitTableRow,
  tableNumber,
  tableRow,
  type MdDoc,
  type MdSection,
} from '../../kernel/memory/index.js';
import type { LighthouseReport } from './types.js';
import { formatMs } from './lhr.js';

export const LIGHTHOUSE_SUBSECTION = 'Lighthouse';
const SYSTEM_PERFORMANCE = PERF_DATA_SUBSECTIONS[0];
export const DEFAULT_MAX_LIGHTHOUSE_ROWS = 200;

/** The first header cell is not "Date", so the audit-history reader never mistakes this table for its own. */
const HEADER = ['Run', 'URL', 'Preset', 'Runs', 'Score', 'FCP', 'LCP', 'TBT', 'CLS', 'TTI', 'Budgets', 'Failing items', 'Notes'];
const SEPARATOR = ['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---', '---'];

export interface LighthouseHistoryEntry {
  /** Local date and time of the run, e.g. "2026-11-25 14:05". */
  date: string;
  url: string;
  preset: string;
  runs: number | null;
  score: number | null;
  /** Median metric values in ms (CLS unitless); null when not recorded. */
  fcp: number | null;
  lcp: number | null;
  tbt: number | null;
  cls: number | null;
  tti: number | null;
  budgets: string;
  failing: string[];
  notes: string;
}

const cell = (s: unknown): string => escapeTableCell(s) || '-';

/** The table's header and separator rows. */
const isHeaderOrSeparator = (c: string[]): boolean => c.every((x) => /^:?-+:?$/.test(x)) || c[0]?.toLowerCase() === 'run';

/** The history entry of a report. `date` is the caller's local "YYYY-MM-DD HH:MM". */
export function lighthouseEntry(report: LighthouseReport, date: string, notes?: string): LighthouseHistoryEntry {
  const m = (id: string): number | null => report.metrics.find((x) => x.id === id)?.median ?? null;
  return {
    date,
    url: report.url,
    preset: report.preset,
    runs: report.runs,
    score: report.score,
    fcp: m('first-contentful-paint'),
    lcp: m('largest-contentful-paint'),
    tbt: m('total-blocking-time'),
    cls: m('cumulative-layout-shift'),
    tti: m('interactive'),
    budgets: report.budgets.map((b) => `${b.id === 'page-load' ? 'load' : 'TTI'} ${b.status === 'fail' ? '✗' : b.status === 'pass' ? '✓' : '?'} ${formatMs(b.budgetMs)}`).join(', '),
    failing: report.checklist.filter((c) => c.status === 'fail' && !['page-load', 'time-to-interactive'].includes(c.id)).map((c) => c.id),
    notes: notes ?? [`Lighthouse ${report.lighthouseVersion}`, report.throttlingMethod ? `${report.throttlingMethod} throttling` : '', report.warnings.length ? `${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}` : '', report.reliable ? '' : 'page did not finish loading'].filter(Boolean).join(', '),
  };
}

const num = (v: number | null, digits = 0): string => (v === null || !Number.isFinite(v) ? '-' : digits ? v.toFixed(digits) : String(Math.round(v)));

export function lighthouseHistoryRow(e: LighthouseHistoryEntry): string {
  return tableRow([
    cell(e.date),
    cell(e.url),
    cell(e.preset),
    num(e.runs),
    num(e.score),
    num(e.fcp),
    num(e.lcp),
    num(e.tbt),
    num(e.cls, 3),
    num(e.tti),
    cell(e.budgets),
    e.failing.length ? cell(e.failing.join(', ')) : '-',
    cell(e.notes),
  ]);
}

function parseRow(line: string): LighthouseHistoryEntry | undefined {
  const c = splitTableRow(line);
  if (!c || c.length < 5 || isHeaderOrSeparator(c)) return undefined;
  const dash = (s: string | undefined): string => (s === undefined || s === '-' ? '' : s);
  return {
    date: c[0],
    url: dash(c[1]),
    preset: dash(c[2]),
    runs: tableNumber(c[3]),
    score: tableNumber(c[4]),
    fcp: tableNumber(c[5]),
    lcp: tableNumber(c[6]),
    tbt: tableNumber(c[7]),
    cls: tableNumber(c[8]),
    tti: tableNumber(c[9]),
    budgets: dash(c[10]),
    failing: dash(c[11]).split(',').map((s) => s.trim()).filter(Boolean),
    notes: dash(c[12]),
  };
}

interface Located {
  doc: MdDoc;
  /** The Lighthouse sub-section's heading line, own-body end. */
  heading: number;
  ownEnd: number;
}

/**
 * The Lighthouse sub-section: `Lighthouse` one level below `System Performance`; when System
 * Performance is already at level 6 (e.g. under a `##### Infrastructure Performance Data`) there is
 * no deeper level, and the Lighthouse heading is its level-6 sibling that follows it in the section.
 */
function findLighthouse(doc: MdDoc, sec: MdSection, sys: MdSection): MdSection | undefined {
  if (sys.level < 6) return findSection(doc, LIGHTHOUSE_SUBSECTION, { within: sys, level: sys.level + 1, maxLevel: 6 });
  const after: MdSection = { ...sec, headingLine: sys.headingLine, level: 5 };
  return findSection(doc, LIGHTHOUSE_SUBSECTION, { within: after, level: 6, maxLevel: 6 });
}

function locate(doc: MdDoc): Located | undefined {
  const sec = findSection(doc, PERF_DATA_SECTION, { level: 2 });
  if (!sec) return undefined;
  const sys = findSection(doc, SYSTEM_PERFORMANCE, { within: sec, level: sec.level + 1, maxLevel: 6 });
  if (!sys) return undefined;
  const lh = findLighthouse(doc, sec, sys);
  if (!lh) return undefined;
  return { doc, heading: lh.headingLine, ownEnd: ownBodyEndLine(doc, lh) };
}

/** Lighthouse history rows, oldest first. Never throws. */
export function parseLighthouseHistory(text: string | undefined): LighthouseHistoryEntry[] {
  try {
    const l = locate(parseMarkdown(typeof text === 'string' ? text : ''));
    if (!l) return [];
    const b = findMarkerBlocks(l.doc, l.heading + 1, l.ownEnd)[0];
    if (!b) return [];
    const out: LighthouseHistoryEntry[] = [];
    for (let i = b.beginLine + 1; i < b.endLine; i++) {
      const e = parseRow(l.doc.lines[i].text);
      if (e) out.push(e);
    }
    return out;
  } catch {
    return [];
  }
}

/** Whether `text` records `entry` as a row of its Lighthouse table (what a writer checks before reporting success). */
export function hasLighthouseRun(text: string | undefined, entry: LighthouseHistoryEntry): boolean {
  try {
    const l = locate(parseMarkdown(typeof text === 'string' ? text : ''));
    if (!l) return false;
    const b = findMarkerBlocks(l.doc, l.heading + 1, l.ownEnd)[0];
    if (!b) return false;
    const want = lighthouseHistoryRow(entry);
    for (let i = b.beginLine + 1; i < b.endLine; i++) if (l.doc.lines[i].text === want) return true;
    return false;
  } catch {
    return false;
  }
}

/** Lines to insert after line `after`: a blank line before (unless there is one) and after (unless the next line is blank). */
function padded(doc: MdDoc, after: number, lines: string[]): string[] {
  const before = after >= 0 && doc.lines[after]?.text.trim() !== '' ? [''] : [];
  const next = doc.lines[after + 1];
  const tail = next && next.text.trim() !== '' ? [''] : [];
  return [...before, ...lines, ...tail];
}

/** Make sure `## Infrastructure Performance Data` → `### System Performance` → `#### Lighthouse` exist. */
function ensureHeadings(text: string): string {
  const doc = parseMarkdown(text);
  const skeleton = (): string[] => {
    const lines = [`## ${PERF_DATA_SECTION}`];
    for (const s of PERF_DATA_SUBSECTIONS) {
      lines.push('', `### ${s}`);
      if (s === SYSTEM_PERFORMANCE) lines.push('', `#### ${LIGHTHOUSE_SUBSECTION}`);
    }
    return lines;
  };
  // An empty (or BOM-only) file: a fresh document, as the memory module starts one.
  if (!doc.lines.length) return text + ['# Performance Data', '', ...skeleton()].join('\n') + '\n';
  const sec = findSection(doc, PERF_DATA_SECTION, { level: 2 });
  if (!sec) return appendLines(doc, skeleton());
  const sys = findSection(doc, SYSTEM_PERFORMANCE, { within: sec, level: sec.level + 1, maxLevel: 6 });
  if (!sys) {
    const after = lastContentLine(doc, sec.bodyStartLine, sec.endLine) ?? sec.headingLine;
    const level = Math.min(sec.level + 1, 6);
    return insertLinesAfter(doc, after, padded(doc, after, [`${'#'.repeat(level)} ${SYSTEM_PERFORMANCE}`, '', `${'#'.repeat(Math.min(level + 1, 6))} ${LIGHTHOUSE_SUBSECTION}`]));
  }
  if (findLighthouse(doc, sec, sys)) return text;
  const after = lastContentLine(doc, sys.bodyStartLine, sys.endLine) ?? sys.headingLine;
  return insertLinesAfter(doc, after, padded(doc, after, [`${'#'.repeat(Math.min(sys.level + 1, 6))} ${LIGHTHOUSE_SUBSECTION}`]));
}

/**
 * performance-data.md with `entry` added as the newest row of the Lighthouse table. Rows are never
 * replaced (several runs a day are distinct data points), except that an identical row is not
 * added twice; the oldest rows beyond `maxRows` are dropped.
 */
export function appendLighthouseRun(text: string | undefined, entry: LighthouseHistoryEntry, maxRows = DEFAULT_MAX_LIGHTHOUSE_ROWS): string {
  const original = typeof text === 'string' ? text : '';
  const t = ensureHeadings(original);
  const l = locate(parseMarkdown(t));
  // Unreachable by construction (ensureHeadings makes the sub-section locate finds); never leave half an update.
  if (!l) return original;
  const { doc } = l;
  const newRow = lighthouseHistoryRow(entry);
  const b = findMarkerBlocks(doc, l.heading + 1, l.ownEnd)[0];
  const rows = b ? blockTableRows(doc, b, isHeaderOrSeparator) : [];
  if (rows[rows.length - 1] !== newRow) rows.push(newRow);
  const block = [MARKER_BEGIN, tableRow(HEADER), tableRow(SEPARATOR), ...keepNewestRows(rows, maxRows, DEFAULT_MAX_LIGHTHOUSE_ROWS), MARKER_END];
  if (b) return replaceLines(doc, b.beginLine, b.endLine, block);
  const after = lastContentLine(doc, l.heading + 1, l.ownEnd) ?? l.heading;
  return insertLinesAfter(doc, after, padded(doc, after, block));
}
