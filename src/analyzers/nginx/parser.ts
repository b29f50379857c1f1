/**
 * A tokenizer and parser for nginx configuration files, following nginx's own reader
 * (ngx_conf_read_token): words end at whitespace, `;` or `{` (`${var}` keeps its brace), `#`
 * starts a comment only where a word could start, quoted strings unescape `\"` `\'` `\\` `\t` `\r`
 * `\n`, and `*_by_lua_block { … }` bodies are Lua, read opaquely. Never throws; linear in the text.
 *
 * Errors (unbalanced braces, a directive not terminated by `;`, an unterminated string) are
 * reported with spans, and parsing goes on so that the rest of the file is still read: a `}` closes
 * a directive missing its `;`, an unterminated string ends at its line, and a missing `;` between
 * two lines (`gzip on⏎gzip_types …;`) is repaired when the first directive's argument count shows it.
 */
import type { NginxArg, NginxDiagnostic, NginxDirective, ParsedNginx, Span } from './model.js';
import { BLOCK_DIRECTIVES, isKnownDirective, maxArgs } from './directives.js';

/** At most this many syntax errors are kept per file. */
export const MAX_ERRORS = 50;
/** Blocks nested deeper than this are read (to keep braces balanced) but not kept. */
export const MAX_DEPTH = 64;

type Token =
  | { t: 'word'; arg: NginxArg }
  | { t: ';' | '{' | '}'; at: number }
  | { t: 'eof'; at: number };

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', t: '\t', r: '\r', n: '\n' };

function unescape(s: string): string {
  return s.includes('\\') ? s.replace(/\\(["'\\trn])/g, (_, c: string) => ESCAPES[c]) : s;
}

function isSpace(c: number): boolean {
  // space, tab, LF, CR, and a byte-order mark at the start of a file.
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}

class Lexer {
  pos = 0;
  /** Set when the last word was an unterminated string (ended at its line). */
  unterminated = false;
  constructor(private readonly text: string, private readonly error: (message: string, span: Span) => void) {}

  next(): Token {
    const text = this.text;
    const len = text.length;
    for (;;) {
      while (this.pos < len && isSpace(text.charCodeAt(this.pos))) this.pos++;
      if (this.pos >= len) return { t: 'eof', at: len };
      const c = text[this.pos];
      if (c === '#') {
        const nl = text.indexOf('\n', this.pos);
        this.pos = nl < 0 ? len : nl + 1;
        continue;
      }
      if (c === ';' || c === '{' || c === '}') return { t: c, at: this.pos++ };
      if (c === '"' || c === "'") return this.quoted(c);
      return this.word();
    }
  }

  private quoted(q: '"' | "'"): Token {
    const text = this.text;
    const start = this.pos;
    let j = start + 1;
    while (j < text.length) {
      const ch = text[j];
      if (ch === '\\') j += 2;
      else if (ch === q) break;
      else j++;
    }
    if (j >= text.length) {
      // Unterminated: the string ends at the end of its line, and reading goes on from there.
      let eol = text.indexOf('\n', start);
      if (eol < 0) eol = text.length;
      this.error(`Unterminated ${q === '"' ? 'double' : 'single'}-quoted string: the closing ${q} is missing.`, { start, end: eol });
      this.pos = eol;
      this.unterminated = true;
      const raw = text.slice(start, eol);
      return { t: 'word', arg: { value: unescape(raw.slice(1)), raw, span: { start, end: eol }, quote: q } };
    }
    const end = j + 1;
    this.pos = end;
    if (end < text.length) {
      const n = text.charCodeAt(end);
      const ch = text[end];
      if (!isSpace(n) && ch !== ';' && ch !== '{' && ch !== ')') this.error(`Unexpected "${ch}" right after a quoted string: nginx expects a space, ";" or "{" there.`, { start: end, end: end + 1 });
    }
    const raw = text.slice(start, end);
    return { t: 'word', arg: { value: unescape(raw.slice(1, -1)), raw, span: { start, end }, quote: q } };
  }

  private word(): Token {
    const text = this.text;
    const start = this.pos;
    let j = start;
    let variable = false;
    while (j < text.length) {
      const code = text.charCodeAt(j);
      if (isSpace(code) || code === 59 /* ; */) break;
      if (code === 123 /* { */) {
        if (!variable) break;
        variable = false;
        j++;
        continue;
      }
      variable = code === 36; /* $ */
      j += code === 92 /* \ */ && j + 1 < text.length ? 2 : 1;
    }
    this.pos = j;
    const raw = text.slice(start, j);
    return { t: 'word', arg: { value: unescape(raw), raw, span: { start, end: j } } };
  }
}

/** Finds the `}` closing a Lua block body that starts at `from` (after its `{`); -1 when there is none. */
export function scanLuaBlock(text: string, from: number): number {
  const longOpen = /\[(=*)\[/y;
  let depth = 1;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      longOpen.lastIndex = i + 2;
      const m = longOpen.exec(text);
      if (m) {
        const close = text.indexOf(`]${m[1]}]`, longOpen.lastIndex);
        i = close < 0 ? text.length : close + m[1].length + 2;
      } else {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl + 1;
      }
      continue;
    }
    if (c === '[') {
      longOpen.lastIndex = i;
      const m = longOpen.exec(text);
      if (m) {
        const close = text.indexOf(`]${m[1]}]`, longOpen.lastIndex);
        i = close < 0 ? text.length : close + m[1].length + 2;
        continue;
      }
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
    i++;
  }
  return -1;
}

interface Frame {
  dir?: NginxDirective;
  children: NginxDirective[];
  /** Beyond MAX_DEPTH or a block with no name: read for balance, not kept. */
  dropped: boolean;
}

function lineIndent(text: string, offset: number): number {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n') s--;
  let n = 0;
  while (s + n < text.length && (text[s + n] === ' ' || text[s + n] === '\t')) n++;
  return n;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Parses one file. `file` is recorded on every directive and error. */
export function parseNginx(text: string, file: string): ParsedNginx {
  const errors: NginxDiagnostic[] = [];
  let omitted = 0;
  const error = (message: string, span: Span): void => {
    if (errors.length >= MAX_ERRORS) omitted++;
    else errors.push({ kind: 'syntax', message, file, span, severity: 'error' });
  };
  const lexer = new Lexer(text, error);
  const root: Frame = { children: [], dropped: false };
  const stack: Frame[] = [root];
  let words: NginxArg[] = [];
  let depthReported = false;

  const top = (): Frame => stack[stack.length - 1];
  const make = (ws: NginxArg[], end: number): NginxDirective => ({
    name: ws[0].value, nameSpan: ws[0].span, args: ws.slice(1), span: { start: ws[0].span.start, end }, file,
  });
  const add = (d: NginxDirective): void => {
    const f = top();
    if (!f.dropped) f.children.push(d);
  };
  /**
   * Splits words that run over a missing `;`: while the first directive takes fewer arguments than
   * it was given and a later line starts with a known directive, that line starts a new directive.
   */
  const split = (ws: NginxArg[], block: boolean): NginxArg[][] => {
    const groups: NginxArg[][] = [];
    let cur = ws;
    const startsLine = (i: number): boolean => !cur[i].quote && text.slice(cur[i - 1].span.end, cur[i].span.start).includes('\n');
    for (;;) {
      const max = maxArgs(cur[0].value);
      let k = -1;
      if (max !== undefined && cur.length - 1 > max) {
        for (let i = Math.min(max + 1, cur.length - 1); i >= 1; i--) {
          if (startsLine(i) && isKnownDirective(cur[i].value)) {
            k = i;
            break;
          }
        }
      } else if (block && isKnownDirective(cur[0].value) && !BLOCK_DIRECTIVES.has(cur[0].value)) {
        // `listen 80⏎ location / {`: a simple directive cannot open a block; the block starts at the last line that starts with a block directive.
        for (let i = cur.length - 1; i >= 1; i--) {
          if (startsLine(i) && BLOCK_DIRECTIVES.has(cur[i].value)) {
            k = i;
            break;
          }
        }
      }
      if (k < 0) break;
      const first = cur.slice(0, k);
      error(`Missing ";" at the end of the "${first[0].value}" directive: the next line's "${cur[k].value}" was read as one of its arguments.`, first[first.length - 1].span);
      groups.push(first);
      cur = cur.slice(k);
    }
    groups.push(cur);
    return groups;
  };
  const flush = (terminated: number | undefined, block = false): NginxArg[] => {
    const groups = split(words, block);
    words = [];
    for (const g of groups.slice(0, -1)) add(make(g, g[g.length - 1].span.end));
    const last = groups[groups.length - 1];
    if (terminated !== undefined) {
      const d = make(last, terminated + 1);
      d.semi = terminated;
      add(d);
    }
    return last;
  };

  for (;;) {
    const tok = lexer.next();
    if (tok.t === 'word') {
      words.push(tok.arg);
      if (lexer.unterminated) {
        // Already reported: the directive ends with the string's line.
        lexer.unterminated = false;
        const rest = flush(undefined);
        add(make(rest, rest[rest.length - 1].span.end));
      }
      continue;
    }
    if (tok.t === ';') {
      if (!words.length) error('Unexpected ";": there is no directive before it.', { start: tok.at, end: tok.at + 1 });
      else flush(tok.at);
      continue;
    }
    if (tok.t === '{') {
      if (!words.length) {
        error('Unexpected "{": a block needs a directive name before it.', { start: tok.at, end: tok.at + 1 });
        stack.push({ children: [], dropped: true });
        continue;
      }
      const last = flush(undefined, true);
      const d = make(last, tok.at + 1);
      d.open = tok.at;
      d.block = [];
      if (/_by_lua_block$/.test(d.name)) {
        const close = scanLuaBlock(text, tok.at + 1);
        if (close < 0) {
          error(`The Lua block of "${d.name}" is never closed.`, d.nameSpan);
          d.opaque = { start: tok.at + 1, end: text.length };
          d.span.end = text.length;
          lexer.pos = text.length;
        } else {
          d.opaque = { start: tok.at + 1, end: close };
          d.close = close;
          d.span.end = close + 1;
          lexer.pos = close + 1;
        }
        add(d);
        continue;
      }
      add(d);
      const tooDeep = stack.length > MAX_DEPTH;
      if (tooDeep && !depthReported) {
        depthReported = true;
        errors.push({ kind: 'depth-limit', message: `Blocks are nested more than ${MAX_DEPTH} levels deep here; the deeper levels are not analysed.`, file, span: d.nameSpan, severity: 'warning' });
      }
      stack.push({ dir: d, children: d.block, dropped: top().dropped || tooDeep });
      continue;
    }
    if (tok.t === '}') {
      if (words.length) {
        const last = words[words.length - 1];
        error(`The "${words[0].value}" directive is not terminated by ";".`, { start: words[0].span.start, end: last.span.end });
        const rest = flush(undefined);
        add(make(rest, rest[rest.length - 1].span.end));
      }
      if (stack.length === 1) {
        error('Unexpected "}": there is no open block for it to close.', { start: tok.at, end: tok.at + 1 });
        continue;
      }
      const f = stack.pop()!;
      if (f.dir) {
        f.dir.close = tok.at;
        f.dir.span.end = tok.at + 1;
      }
      continue;
    }
    // End of file.
    if (words.length) {
      const last = words[words.length - 1];
      error(`The "${words[0].value}" directive is not terminated by ";" (the file ends).`, { start: words[0].span.start, end: last.span.end });
      const rest = flush(undefined);
      add(make(rest, rest[rest.length - 1].span.end));
    }
    if (stack.length > 1) {
      const unclosed = stack.slice(1).map((f) => f.dir).filter((d): d is NginxDirective => !!d);
      for (const d of unclosed) d.span.end = text.length;
      const culprit = findUnclosedCulprit(text, root.children);
      const at = culprit ?? unclosed[unclosed.length - 1];
      if (at) {
        const closer = culprit?.close;
        error(
          culprit && closer !== undefined
            ? `The "${culprit.name}" block is missing its "}": the "}" on line ${lineOf(text, closer)} is indented like an enclosing block, and the file ends with ${unclosed.length} block${unclosed.length === 1 ? '' : 's'} still open.`
            : `Unexpected end of file: the "${at.name}" block opened here is never closed (expecting "}").`,
          at.nameSpan,
        );
      } else error('Unexpected end of file, expecting "}".', { start: text.length, end: text.length });
    }
    break;
  }
  return { file, directives: root.children, errors, omittedErrors: omitted };
}

/**
 * With a `}` missing, each later `}` closes the block one level too deep. In a consistently
 * indented file the block missing its brace is the one whose (borrowed) `}` comes first among
 * those whose `}` is indented less than their own first line.
 */
function findUnclosedCulprit(text: string, top: NginxDirective[]): NginxDirective | undefined {
  // Every block enclosing the culprit is shifted too; the culprit's `}` comes first.
  const stack: NginxDirective[] = [...top];
  let best: NginxDirective | undefined;
  let visited = 0;
  while (stack.length && visited++ < 100_000) {
    const d = stack.pop()!;
    if (!d.block || d.opaque) continue;
    if (d.close !== undefined && (!best || d.close < best.close!)) {
      const lineStart = text.lastIndexOf('\n', d.close - 1) + 1;
      const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, d.close));
      if (onOwnLine && lineIndent(text, d.close) < lineIndent(text, d.nameSpan.start)) best = d;
    }
    for (const c of d.block) stack.push(c);
  }
  return best;
}
