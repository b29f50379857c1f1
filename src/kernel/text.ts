import type { Position, Range } from './model.js';

/** Maps UTF-16 offsets to line/character positions and back for one text. */
export class LineIndex {
  private lineStarts?: number[];
  /** Line starts are found on first use: most files of an audit never have a position asked of them. */
  constructor(readonly text: string) {}

  private get starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const text = this.text;
    if (!/\r(?!\n)/.test(text)) {
      // No lone CR: every line ends with LF (or CRLF). indexOf finds them far faster than a
      // character loop in code not yet optimised.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    return (this.lineStarts = starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)];
    const end = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), end);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return this.text.slice(start, end);
  }

  /** The end-of-line sequence the text mostly uses. */
  eol(): string {
    const crlf = (this.text.match(/\r\n/g) ?? []).length;
    const lf = (this.text.match(/\n/g) ?? []).length - crlf;
    return crlf > lf ? '\r\n' : '\n';
  }
}

/** Converts a UTF-8 byte offset in `text` to a UTF-16 offset. Use a Utf8Offsets for many lookups. */
export class Utf8Offsets {
  private readonly ascii: boolean;
  private map?: Int32Array;
  constructor(private readonly text: string) {
    // eslint-disable-next-line no-control-regex
    this.ascii = !/[^\x00-\x7f]/.test(text);
  }
  toUtf16(byteOffset: number): number {
    if (this.ascii) return Math.min(byteOffset, this.text.length);
    if (!this.map) this.map = this.build();
    const i = Math.max(0, Math.min(byteOffset, this.map.length - 1));
    return this.map[i];
  }
  private build(): Int32Array {
    const bytes = Buffer.byteLength(this.text, 'utf8');
    const map = new Int32Array(bytes + 1);
    let b = 0;
    for (let i = 0; i < this.text.length; i++) {
      const cp = this.text.codePointAt(i)!;
      const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      for (let k = 0; k < n; k++) map[b + k] = i;
      b += n;
      if (cp >= 0x10000) i++;
    }
    map[bytes] = this.text.length;
    return map;
  }
}

export function isProbablyBinary(text: string): boolean {
  // A NUL in the first 8,000 characters (as git decides). includes() on a slice is native and does
  // not copy; a character loop costs more in code the JIT has not optimised yet (every file of a
  // first audit goes through here).
  return (text.length > 8000 ? text.slice(0, 8000) : text).includes('\u0000');
}

export function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/**
 * The lines of `text` (split at `\n`, a `\r` before it left out of the line), each with the offsets
 * of its first character and of its end (before any `\r`). A final newline is followed by one empty line.
 */
export function* linesWithOffsets(text: string): Generator<{ line: string; start: number; end: number }> {
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const lineEnd = end > pos && text[end - 1] === '\r' ? end - 1 : end;
    yield { line: text.slice(pos, lineEnd), start: pos, end: lineEnd };
    pos = end + 1;
  }
}

/** The last part of a `/`-separated path (the whole path when it has no `/`). */
export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The offset of the first bracket that nests deeper than `limit`, outside strings and `//` / `/* *\/`
 * comments, or -1 (a linear scan, for refusing hostile input before a recursive parser sees it).
 * `quotes` are the string delimiters (a backslash escapes); with `stringEndsAtNewline` a string also
 * ends at a line break (JSON); `parens` counts `(` as well as `[` and `{` (code).
 */
export function nestingOverAt(text: string, limit: number, opts: { quotes: string; stringEndsAtNewline: boolean; parens: boolean }): number {
  // At most three delimiters, compared as char codes (this runs over every character of large files).
  const [q1, q2, q3] = [...opts.quotes].map((ch) => ch.charCodeAt(0));
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === q1 || c === q2 || c === q3) {
      // to the closing quote (a JS template's ${…} is skipped with it: an approximation)
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === c || (d === 10 && opts.stringEndsAtNewline)) break;
      }
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const n = text.indexOf('\n', i);
      i = n < 0 ? text.length : n;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const n = text.indexOf('*/', i + 2);
      i = n < 0 ? text.length : n + 1;
    } else if (c === 123 || c === 91 || (c === 40 && opts.parens)) {
      if (++depth > limit) return i;
    } else if (c === 125 || c === 93 || (c === 41 && opts.parens)) depth = Math.max(0, depth - 1);
  }
  return -1;
}
