/**
 * Tokenizer of the MySQL / SQLite adapter (see nodesqlparser.ts) and helpers on its token stream: token
 * tests, token ranges, the normalized text of an expression and the column names it mentions. Every span
 * the adapter reports comes from these tokens.
 */
import type { Span } from '../types.js';
import { quoteEnd } from '../split.js';

export type Flavor = 'mysql' | 'sqlite';

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

type TokKind = 'word' | 'ident' | 'string' | 'number' | 'param' | 'op' | 'punct';

export interface Token {
  kind: TokKind;
  start: number;
  end: number;
  /** word: lower-case text; ident: unquoted lower-case name; string: unescaped content; others: raw text. */
  value: string;
  /** Paren depth; a `(` / `)` has the depth outside of it. */
  depth: number;
  /** For `(` and `)`: index of the matching paren (or -1 when unbalanced). */
  match: number;
  /** A SQLite `"..."` token that reads as a string literal in its context (see `markDqStrings`). */
  dqString?: boolean;
  /** ident: the unquoted name with its case, when that differs from `value`. */
  raw?: string;
}

const OPS3 = ['<=>', '->>'];
const OPS2 = ['<>', '!=', '<=', '>=', '||', '&&', '::', ':=', '->', '<<', '>>', '=='];

function isIdentStart(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0x80;
}
function isIdentPart(c: string): boolean {
  const code = c.charCodeAt(0);
  return isIdentStart(c) || (code >= 48 && code <= 57) || code === 36;
}

/** A run of white space (as `\s`), matched at `lastIndex`: one regex call per run instead of one per character. */
const SPACE_RUN = /\s+/y;

export function tokenize(text: string, flavor: Flavor): Token[] {
  const toks: Token[] = [];
  const n = text.length;
  const stack: number[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: TokKind, start: number, end: number, value: string): void => {
    toks.push({ kind, start, end, value, depth, match: -1 });
  };
  const pushIdent = (start: number, end: number, name: string): void => {
    push('ident', start, end, name.toLowerCase());
    if (name !== name.toLowerCase()) toks[toks.length - 1].raw = name;
  };
  /** End of the quoted token opened at i (unterminated: end of text). */
  const quoted = (close: string, backslash: boolean): number => {
    const k = quoteEnd(text, i + 1, close, backslash);
    return k < n ? k + 1 : n;
  };
  const unquote = (raw: string, close: string, backslash: boolean): string => {
    let body = raw.slice(1, raw.endsWith(close) && raw.length > 1 ? -1 : undefined);
    if (close !== ']') body = body.split(close + close).join(close);
    if (backslash) body = body.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' })[c] ?? c);
    return body;
  };
  while (i < n) {
    SPACE_RUN.lastIndex = i;
    if (SPACE_RUN.test(text)) {
      i = SPACE_RUN.lastIndex;
      continue;
    }
    const c = text[i];
    if (c === '-' && text[i + 1] === '-' && (flavor === 'sqlite' || i + 2 >= n || /\s/.test(text[i + 2]))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '#' && flavor === 'mysql') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'") {
      const j = quoted("'", flavor === 'mysql');
      push('string', i, j, unquote(text.slice(i, j), "'", flavor === 'mysql'));
      i = j;
      continue;
    }
    if (c === '"') {
      const j = quoted('"', flavor === 'mysql');
      if (flavor === 'mysql') push('string', i, j, unquote(text.slice(i, j), '"', true));
      else pushIdent(i, j, unquote(text.slice(i, j), '"', false));
      i = j;
      continue;
    }
    if (c === '`' || (c === '[' && flavor === 'sqlite')) {
      const close = c === '[' ? ']' : '`';
      const j = quoted(close, false);
      pushIdent(i, j, unquote(text.slice(i, j), close, false));
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? '') && !isIdentPart(text[i - 1] ?? ' '))) {
      const m = /^(?:0x[0-9a-f]+|0b[01]+|[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?|[0-9]+\.(?:e[+-]?[0-9]+)?)/i.exec(text.slice(i, i + 128));
      let j = i + (m ? m[0].length : 1);
      // `1abc` is an identifier in MySQL (identifiers may start with digits)
      if (flavor === 'mysql' && j < n && isIdentPart(text[j]) && !/[eE]/.test(text[j])) {
        while (j < n && isIdentPart(text[j])) j++;
        push('word', i, j, text.slice(i, j).toLowerCase());
      } else push('number', i, j, text.slice(i, j));
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text[j])) j++;
      const word = text.slice(i, j);
      // X'..', B'..', N'..' literals and MySQL charset introducers (_utf8'..') stay one string token
      if (text[j] === "'" && /^(?:x|b|n|_[a-z0-9]+)$/i.test(word)) {
        const save = i;
        i = j;
        const k = quoted("'", flavor === 'mysql');
        push('string', save, k, unquote(text.slice(j, k), "'", flavor === 'mysql'));
        i = k;
        continue;
      }
      push('word', i, j, word.toLowerCase());
      i = j;
      continue;
    }
    if (c === '?') {
      let j = i + 1;
      while (j < n && /[0-9]/.test(text[j])) j++;
      push('param', i, j, text.slice(i, j));
      i = j;
      continue;
    }
    if ((c === ':' || c === '@' || c === '$') && i + 1 < n && (isIdentStart(text[i + 1]) || /[0-9]/.test(text[i + 1]) || (c === '@' && text[i + 1] === '@'))) {
      if (!(c === ':' && text[i + 1] === ':')) {
        let j = i + 1;
        if (c === '@' && text[j] === '@') j++;
        while (j < n && (isIdentPart(text[j]) || (c === '@' && text[j] === '.'))) j++;
        push('param', i, j, text.slice(i, j));
        i = j;
        continue;
      }
    }
    if (c === '(') {
      push('punct', i, i + 1, '(');
      stack.push(toks.length - 1);
      depth++;
      i++;
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      push('punct', i, i + 1, ')');
      const open = stack.pop();
      if (open !== undefined) {
        toks[open].match = toks.length - 1;
        toks[toks.length - 1].match = open;
      }
      i++;
      continue;
    }
    if (c === ',' || c === '.' || c === ';') {
      push('punct', i, i + 1, c);
      i++;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const op = OPS3.includes(three) ? three : OPS2.includes(two) ? two : c;
    push('op', i, i + op.length, op);
    i += op.length;
  }
  if (flavor === 'sqlite') markDqStrings(text, toks);
  return toks;
}

/**
 * SQLite reads `"x"` as an identifier when such a column exists and as a string otherwise. Without the
 * schema we guess from the context: after a comparison operator / LIKE, or as a member of an IN list,
 * it is a string (`WHERE status = "active"`); anywhere else an identifier.
 */
function markDqStrings(text: string, toks: Token[]): void {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'ident' || text[t.start] !== '"') continue;
    if (toks[i - 1]?.value === '.' || toks[i + 1]?.value === '.' || toks[i + 1]?.value === '(') continue;
    const prev = toks[i - 1];
    if (!prev) continue;
    if (prev.kind === 'op' && ['=', '==', '<>', '!=', '<', '>', '<=', '>='].includes(prev.value)) t.dqString = true;
    else if (prev.kind === 'word' && ['like', 'glob', 'match', 'regexp', 'escape'].includes(prev.value)) t.dqString = true;
    else if (prev.kind === 'punct' && (prev.value === '(' || prev.value === ',')) {
      // member of an IN (...) list
      let j = i - 1;
      while (j >= 0 && !(toks[j].value === '(' && toks[j].kind === 'punct' && toks[j].depth === t.depth - 1)) j--;
      if (j > 0 && toks[j - 1].kind === 'word' && toks[j - 1].value === 'in') t.dqString = true;
    }
  }
}

export const isWord = (t: Token | undefined, ...words: string[]): boolean => !!t && t.kind === 'word' && (words.length === 0 || words.includes(t.value));
export const isPunct = (t: Token | undefined, p: string): boolean => !!t && t.kind === 'punct' && t.value === p;
export const isName = (t: Token | undefined): boolean => !!t && (t.kind === 'word' || t.kind === 'ident');

// ---------------------------------------------------------------------------------------------
// Expression text normalization (tokens → `lower(email)`)
// ---------------------------------------------------------------------------------------------

const BINARY_OPS = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=', '<=>', '+', '-', '*', '/', '%', '||', '&&', '&', '|', '^', '<<', '>>', '->', '->>']);

/** Normalized lower-case text of tokens [s, e): qualifiers dropped, `, ` between arguments. */
export function exprText(toks: Token[], s: number, e: number): string {
  let out = '';
  let prev: Token | undefined;
  for (let i = s; i < e; i++) {
    const t = toks[i];
    // drop `qualifier .` in front of a name
    if (isName(t) && isPunct(toks[i + 1], '.') && i + 2 < e && (isName(toks[i + 2]) || toks[i + 2].value === '*')) {
      i++;
      continue;
    }
    let piece: string;
    switch (t.kind) {
      case 'word':
      case 'ident':
        piece = t.dqString ? `'${t.value.replace(/'/g, "''")}'` : t.value;
        break;
      case 'string':
        piece = `'${t.value.replace(/'/g, "''")}'`;
        break;
      default:
        piece = t.value;
    }
    let sep = ' ';
    if (!prev) sep = '';
    else if (isPunct(prev, '(') || isPunct(t, ')') || isPunct(t, ',') || isPunct(t, '.') || isPunct(prev, '.')) sep = '';
    else if (isPunct(t, '(') && (prev.kind === 'word' || prev.kind === 'ident')) sep = '';
    else if (t.kind === 'op' && !BINARY_OPS.has(t.value)) sep = '';
    else if (prev.kind === 'op' && !BINARY_OPS.has(prev.value)) sep = '';
    // unary minus / plus
    if (prev && prev.kind === 'op' && (prev.value === '-' || prev.value === '+')) {
      const before = toks[i - 2];
      if (i - 1 === s || !before || before.kind === 'op' || isPunct(before, '(') || isPunct(before, ',') || isWord(before, 'and', 'or', 'not', 'when', 'then', 'else', 'select')) sep = '';
    }
    out += sep + piece;
    prev = t;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers on token ranges
// ---------------------------------------------------------------------------------------------

export interface Range {
  s: number;
  e: number;
}

/** Strips parens that enclose the whole range. */
export function stripParens(toks: Token[], r: Range): Range {
  let { s, e } = r;
  while (e - s >= 2 && isPunct(toks[s], '(') && toks[s].match === e - 1) {
    s++;
    e--;
  }
  return { s, e };
}

export function spanOf(toks: Token[], r: Range): Span | undefined {
  if (r.e <= r.s) return undefined;
  return { start: toks[r.s].start, end: toks[r.e - 1].end };
}

/** Splits [s, e) at commas of depth `depth`. */
export function splitCommas(toks: Token[], s: number, e: number, depth: number): Range[] {
  const out: Range[] = [];
  let a = s;
  for (let i = s; i < e; i++) {
    const t = toks[i];
    if (t.depth === depth && isPunct(t, ',')) {
      out.push({ s: a, e: i });
      a = i + 1;
    }
  }
  if (e > a) out.push({ s: a, e });
  return out;
}

/** Index of the `)` that closes the `(` at index i, or `fallback` when unbalanced. */
export function closeOf(toks: Token[], i: number, fallback: number): number {
  const m = toks[i]?.match ?? -1;
  return m > i ? m : fallback;
}

// ---------------------------------------------------------------------------------------------
// Columns of an expression (tokens → `email`, `created_at`)
// ---------------------------------------------------------------------------------------------

const EXPR_KEYWORDS = new Set([
  'and', 'or', 'not', 'null', 'is', 'in', 'like', 'glob', 'regexp', 'rlike', 'between', 'true', 'false', 'case', 'when', 'then', 'else', 'end', 'collate',
  'escape', 'exists', 'cast', 'as', 'distinct', 'from', 'interval', 'div', 'mod', 'xor', 'unknown', 'current_timestamp', 'current_date', 'current_time',
  'localtime', 'localtimestamp', 'binary', 'using', 'asc', 'desc', 'select', 'where', 'nocase', 'rtrim', 'day', 'hour', 'minute', 'second', 'month', 'year', 'week', 'quarter',
  'microsecond', 'char', 'signed', 'unsigned', 'integer', 'int', 'text', 'real', 'decimal', 'date', 'datetime', 'time', 'json', 'varchar', 'numeric', 'blob', 'double', 'float',
]);

/** Column names referenced by the expression tokens [s, e) (names not followed by `(` and not keywords). */
export function exprColumns(toks: Token[], s: number, e: number): string[] {
  const out: string[] = [];
  for (let i = s; i < e; i++) {
    const t = toks[i];
    if (!isName(t) || t.dqString) continue;
    if (isPunct(toks[i + 1], '.')) continue; // qualifier
    if (isPunct(toks[i + 1], '(')) continue; // function
    if (t.kind === 'word' && EXPR_KEYWORDS.has(t.value)) continue;
    if (isWord(toks[i - 1], 'as')) continue; // CAST(x AS type)
    if (isWord(toks[i - 1], 'collate')) continue;
    if (!out.includes(t.value)) out.push(t.value);
  }
  return out;
}
