/**
 * A lossless line/section model over markdown text, for editing a few regions of a file the user
 * owns without reformatting anything else.
 *
 * - Offsets index the original string exactly; a leading BOM is never part of a line's content and
 *   is never touched by the edit helpers.
 * - Line endings are kept per line (`\n` or `\r\n`); inserted text uses the file's dominant ending.
 * - ATX headings only (`# … ######`, up to 3 spaces of indentation, optional closing `#`s).
 *   Setext headings (underlined with `===` / `---`) are not recognised.
 * - Headings and markers inside fenced code blocks (``` or ~~~) are ignored. An opening fence that
 *   is never closed is treated as plain text (not as a code block running to the end of the file),
 *   so a forgotten fence cannot hide the rest of the file's structure.
 *
 * Pure: no I/O, no `vscode`.
 */
import { runStartBefore } from '../linear.js';

export type Eol = '\n' | '\r\n';

export interface MdLine {
  index: number;
  /** Offset of the first content character (after the BOM on line 0). */
  start: number;
  /** Offset just past the content, before the line ending. */
  end: number;
  /** Offset just past the line ending (the next line's start, or the text length). */
  next: number;
  /** Content without the line ending (and without the BOM). */
  text: string;
  eol: '' | Eol;
  /** Part of a fenced code block: the opening or closing fence line, or a line inside it. */
  fence: 'open' | 'close' | 'inside' | null;
  /** ATX heading level (1-6) when this line is a heading outside code fences. */
  headingLevel?: number;
  /** Heading text without the `#`s, closing sequence and surrounding spaces. */
  headingText?: string;
}

export interface MdDoc {
  text: string;
  bom: boolean;
  /** The dominant line ending (LF when the file has none). */
  eol: Eol;
  trailingNewline: boolean;
  lines: MdLine[];
  /** Indexes of heading lines, in order. */
  headings: number[];
}

export interface MdSection {
  /** The heading text as written (trimmed, closing `#`s removed). */
  title: string;
  level: number;
  headingLine: number;
  /** Offset of the heading line's first character. */
  start: number;
  /** Offset of the first body character (just past the heading line's ending). */
  bodyStart: number;
  /** Offset of the next heading of the same or a higher level (or the text length). */
  end: number;
  bodyStartLine: number;
  /** Index of the first line after the section (exclusive; `lines.length` at EOF). */
  endLine: number;
}

// (The run ends at the last fence character: the regex would give none back to `.*` anyway.)
const FENCE_OPEN = /^ {0,3}(`{3,}(?!`)|~{3,}(?!~))(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)(.*)$/;

export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** Heading text for comparison: case-insensitive, whitespace-collapsed, `&`/`and`/`&amp;` alike, emphasis and trailing `:` ignored. */
export function normalizeTitle(s: string): string {
  return s
    .normalize('NFC')
    .replace(/&amp;/gi, '&')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    // (Spaces are single ' ' from here on: ` ?` is the `\s*` it was.)
    .replace(/ ?:$/, '')
    .toLowerCase()
    .replace(/(^|\s)and(?=\s|$)/g, '$1&')
    .replace(/ ?& ?/g, ' & ');
}

const isBlank = (c: number): boolean => c === 32 || c === 9;

/** `t.replace(/[ \t]+#+[ \t]*$/, '')`, read back from the end. */
function withoutClosingHashes(t: string): string {
  const e = runStartBefore(t, t.length, isBlank);
  const h = runStartBefore(t, e, (c) => c === 35);
  const s = runStartBefore(t, h, isBlank);
  return h < e && s < h ? t.slice(0, s) : t;
}

function headingOf(content: string): { level: number; text: string } | undefined {
  const m = ATX.exec(content);
  if (!m) return undefined;
  let t = m[2];
  // Closing sequence: spaces then #s then spaces; a heading of only #s is empty.
  if (/^[ \t]*(?:#+[ \t]*)?$/.test(t)) t = '';
  else t = withoutClosingHashes(t);
  return { level: m[1].length, text: t.trim() };
}

export function parseMarkdown(text: string): MdDoc {
  const bom = text.charCodeAt(0) === 0xfeff;
  const lines: MdLine[] = [];
  let pos = bom ? 1 : 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    let end: number;
    let next: number;
    let eol: MdLine['eol'];
    if (nl === -1) {
      end = next = text.length;
      eol = '';
    } else if (nl > pos && text.charCodeAt(nl - 1) === 13) {
      end = nl - 1;
      next = nl + 1;
      eol = '\r\n';
    } else {
      end = nl;
      next = nl + 1;
      eol = '\n';
    }
    lines.push({ index: lines.length, start: pos, end, next, text: text.slice(pos, end), eol, fence: null });
    pos = next;
  }
  markFences(lines);
  const headings: number[] = [];
  for (const l of lines) {
    if (l.fence) continue;
    const h = headingOf(l.text);
    if (h) {
      l.headingLevel = h.level;
      l.headingText = h.text;
      headings.push(l.index);
    }
  }
  const last = lines[lines.length - 1];
  return { text, bom, eol: detectEol(text), trailingNewline: last !== undefined && last.eol !== '', lines, headings };
}

function markFences(lines: MdLine[]): void {
  // Closing-fence candidates per fence character, in line order, for the look-ahead.
  const closers: Record<string, { line: number; len: number }[]> = { '`': [], '~': [] };
  for (const l of lines) {
    const m = FENCE_CLOSE.exec(l.text);
    if (m) closers[m[1][0]].push({ line: l.index, len: m[1].length });
  }
  const cursor: Record<string, number> = { '`': 0, '~': 0 };
  // Once an opener of (char, length) at some line is known to be unclosed, every later opener of
  // the same char and at least that length is unclosed too.
  const unclosedFrom: Record<string, number> = { '`': Infinity, '~': Infinity };
  let i = 0;
  while (i < lines.length) {
    const m = FENCE_OPEN.exec(lines[i].text);
    const ch = m?.[1][0];
    if (!m || !ch || (ch === '`' && m[2].includes('`')) || m[1].length >= unclosedFrom[ch]) {
      i++;
      continue;
    }
    const len = m[1].length;
    const list = closers[ch];
    while (cursor[ch] < list.length && list[cursor[ch]].line <= i) cursor[ch]++;
    let close = -1;
    for (let k = cursor[ch]; k < list.length; k++) {
      if (list[k].len >= len) {
        close = list[k].line;
        break;
      }
    }
    if (close === -1) {
      unclosedFrom[ch] = Math.min(unclosedFrom[ch], len);
      i++;
      continue;
    }
    lines[i].fence = 'open';
    for (let k = i + 1; k < close; k++) lines[k].fence = 'inside';
    lines[close].fence = 'close';
    i = close + 1;
  }
}

function sectionFromHeading(doc: MdDoc, headingLine: number, limitLine = doc.lines.length): MdSection {
  const h = doc.lines[headingLine];
  const level = h.headingLevel ?? 1;
  let endLine = limitLine;
  for (let k = firstHeadingAfter(doc, headingLine); k < doc.headings.length; k++) {
    const hi = doc.headings[k];
    if (hi >= limitLine) break;
    if ((doc.lines[hi].headingLevel ?? 1) <= level) {
      endLine = hi;
      break;
    }
  }
  return {
    title: h.headingText ?? '',
    level,
    headingLine,
    start: h.start,
    bodyStart: h.next,
    end: endLine < doc.lines.length ? doc.lines[endLine].start : doc.text.length,
    bodyStartLine: headingLine + 1,
    endLine,
  };
}

export interface FindSectionOptions {
  /** Preferred level: a heading at this level wins over one at another level. */
  level?: number;
  /** Deepest level accepted (default 5, so that a sub-level always exists). */
  maxLevel?: number;
  /** Search only the sub-headings (deeper than it) of this section. */
  within?: MdSection;
}

/** The first section whose heading text matches `title` (see normalizeTitle), preferring `level`. */
export function findSection(doc: MdDoc, title: string, opts: FindSectionOptions = {}): MdSection | undefined {
  const want = normalizeTitle(title);
  const maxLevel = opts.maxLevel ?? 5;
  const w = opts.within;
  const candidates = doc.headings.filter((hi) => {
    const l = doc.lines[hi];
    const level = l.headingLevel ?? 1;
    if (level > maxLevel) return false;
    if (w && (hi <= w.headingLine || hi >= w.endLine || level <= w.level)) return false;
    return normalizeTitle(l.headingText ?? '') === want;
  });
  const pick = (opts.level !== undefined ? candidates.find((hi) => doc.lines[hi].headingLevel === opts.level) : undefined) ?? candidates[0];
  if (pick === undefined) return undefined;
  return sectionFromHeading(doc, pick, w ? w.endLine : doc.lines.length);
}

/** The direct sub-sections of a section (headings one or more levels deeper, not nested in another sub-section). */
export function subSections(doc: MdDoc, section: MdSection): MdSection[] {
  const out: MdSection[] = [];
  let k = firstHeadingAfter(doc, section.headingLine);
  while (k < doc.headings.length && doc.headings[k] < section.endLine) {
    const sub = sectionFromHeading(doc, doc.headings[k], section.endLine);
    out.push(sub);
    k = firstHeadingAfter(doc, sub.endLine - 1);
  }
  return out;
}

/** Index in doc.headings of the first heading after `line` (binary search). */
function firstHeadingAfter(doc: MdDoc, line: number): number {
  let lo = 0;
  let hi = doc.headings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (doc.headings[mid] <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** End (exclusive line) of a section's own text: up to its first sub-heading of any level. */
export function ownBodyEndLine(doc: MdDoc, section: MdSection): number {
  const next = doc.headings[firstHeadingAfter(doc, section.headingLine)];
  return next !== undefined && next < section.endLine ? next : section.endLine;
}

/** The last non-blank line in [from, to), skipping `skip`; undefined when there is none. */
export function lastContentLine(doc: MdDoc, from: number, to: number, skip: ReadonlySet<number> = new Set()): number | undefined {
  for (let i = to - 1; i >= from; i--) {
    if (skip.has(i)) continue;
    if (doc.lines[i].text.trim() !== '') return i;
  }
  return undefined;
}

/** Replace [start, end) of the text. */
export function spliceText(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/**
 * Insert whole lines after line `after` (-1: at the start of the file, after any BOM), in the
 * file's line ending. After a last line with no line ending, the new lines are joined with the
 * ending before each of them, so the file still has no trailing newline.
 */
export function insertLinesAfter(doc: MdDoc, after: number, newLines: readonly string[]): string {
  if (!newLines.length) return doc.text;
  const eol = doc.eol;
  if (after < 0) {
    const at = doc.bom ? 1 : 0;
    if (!doc.lines.length) return spliceText(doc.text, at, at, newLines.join(eol));
    return spliceText(doc.text, at, at, newLines.map((l) => l + eol).join(''));
  }
  const line = doc.lines[after];
  if (line.eol === '') return spliceText(doc.text, line.end, line.end, newLines.map((l) => eol + l).join(''));
  return spliceText(doc.text, line.next, line.next, newLines.map((l) => l + eol).join(''));
}

/**
 * Replace lines [from, to] (inclusive) by `newLines`, keeping the last replaced line's ending (so
 * the trailing-newline state is unchanged). With no new lines the lines are removed.
 */
export function replaceLines(doc: MdDoc, from: number, to: number, newLines: readonly string[]): string {
  const a = doc.lines[from];
  const b = doc.lines[to];
  if (newLines.length) return spliceText(doc.text, a.start, b.end, newLines.join(doc.eol));
  if (b.eol !== '' || from === 0) return spliceText(doc.text, a.start, b.next, '');
  // Removing the last lines of a file without a trailing newline: drop the preceding line ending instead.
  return spliceText(doc.text, doc.lines[from - 1].end, b.end, '');
}

/**
 * Append lines at the end of the file, after exactly one blank line when the file does not already
 * end with one. The trailing-newline state is kept (no newline after the new lines if the file had none).
 */
export function appendLines(doc: MdDoc, newLines: readonly string[], blankLineBefore = true): string {
  const last = doc.lines[doc.lines.length - 1];
  if (!last) return doc.text + newLines.join(doc.eol) + (newLines.length ? doc.eol : '');
  const lines = blankLineBefore && last.text.trim() !== '' ? ['', ...newLines] : [...newLines];
  return insertLinesAfter(doc, last.index, lines);
}
