/**
 * A small Python tokenizer and expression reader, enough for settings modules and engine
 * construction calls: names, numbers, strings (prefixes, triple quotes, escapes), operators and
 * brackets, comments skipped, logical lines joined inside brackets and after a backslash.
 *
 * Limits (documented in docs/rules/pool-django-conn-max-age.md): only literal expressions, names,
 * attribute access, calls and subscripts are understood; anything else is read as "other". Values
 * computed at run time (environment lookups, conditionals) are treated as unknown, never guessed.
 */
import type { Span } from '../../kernel/model.js';

export type TokenType = 'name' | 'number' | 'string' | 'op' | 'newline';

export interface Token {
  type: TokenType;
  value: string;
  start: number;
  end: number;
  /** Bracket depth before the token. */
  depth: number;
  /** The token starts its physical line (after indentation). */
  lineStart: boolean;
  /** Column of the token in its line. */
  col: number;
}

const MAX_TOKENS = 500_000;

/** Tokenizes Python source. Never throws; unterminated strings end at the end of the text. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let i = 0;
  let lineStart = true;
  let lineBegin = 0;
  const n = text.length;
  while (i < n && out.length < MAX_TOKENS) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      if (depth === 0 && out.length && out[out.length - 1].type !== 'newline') out.push({ type: 'newline', value: '\n', start: i, end: i + 1, depth, lineStart: false, col: i - lineBegin });
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      lineStart = true;
      lineBegin = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      i += text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 2;
      lineBegin = i;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    const start = i;
    const tok = (type: TokenType, end: number): void => {
      out.push({ type, value: text.slice(start, end), start, end, depth, lineStart, col: start - lineBegin });
      lineStart = false;
      i = end;
    };
    // strings with optional prefixes
    const pm = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(['"])/.exec(text.slice(i, i + 4));
    if (pm) {
      const q = pm[1];
      let j = i + pm[0].length;
      const triple = text.startsWith(q + q, j);
      const raw = /[rR]/.test(pm[0]);
      if (triple) {
        j += 2;
        const close = q.repeat(3);
        while (j < n && !text.startsWith(close, j)) j += text[j] === '\\' && !raw ? 2 : 1;
        j = Math.min(n, j + 3);
      } else {
        while (j < n && text[j] !== q && text[j] !== '\n' && text[j] !== '\r') j += text[j] === '\\' ? 2 : 1;
        if (text[j] === q) j++;
      }
      tok('string', Math.min(j, n));
      continue;
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w\u0080-\uffff]/.test(text[j])) j++;
      tok('name', j);
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?[jJ]?)/.exec(text.slice(i, i + 64));
      tok('number', i + Math.max(1, m?.[0].length ?? 1));
      continue;
    }
    const op = /^(?:\*\*=?|\/\/=?|<<=?|>>=?|[-+*/%&|^@]=|[<>!=]=|->|:=|\.\.\.|[-+*/%&|^~<>()[\]{},:.;=@])/.exec(text.slice(i, i + 3));
    const v = op ? op[0] : c;
    if (v === '(' || v === '[' || v === '{') {
      tok('op', i + 1);
      depth++;
      continue;
    }
    if (v === ')' || v === ']' || v === '}') {
      depth = Math.max(0, depth - 1);
      out.push({ type: 'op', value: v, start: i, end: i + 1, depth, lineStart, col: i - lineBegin });
      lineStart = false;
      i++;
      continue;
    }
    tok('op', i + v.length);
  }
  if (out.length && out[out.length - 1].type !== 'newline') out.push({ type: 'newline', value: '', start: n, end: n, depth: 0, lineStart: false, col: 0 });
  return out;
}

/** The value of a string token (prefix and quotes removed; simple escapes decoded). */
export function stringTokenValue(t: Token): string {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(t.value);
  if (!m) return t.value;
  const q = m[2];
  let body = t.value.slice(m[0].length);
  if (body.endsWith(q)) body = body.slice(0, -q.length);
  if (/[rR]/.test(m[1])) return body;
  return body.replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[ch] ?? `\\${ch}`);
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type PyExpr =
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'string'; value: string; span: Span; quote: string }
  | { kind: 'const'; value: boolean | null; span: Span }
  | { kind: 'dict'; entries: { key: PyExpr; value: PyExpr; span: Span }[]; span: Span; open: Token; close: Token; multiline: boolean; trailingComma: boolean }
  | { kind: 'list'; items: PyExpr[]; span: Span }
  | { kind: 'call'; callee: PyExpr; args: PyExpr[]; kwargs: { name: string; nameSpan: Span; value: PyExpr; span: Span }[]; span: Span; open: Token; close: Token; trailingComma: boolean }
  | { kind: 'attr'; object: PyExpr; name: string; span: Span }
  | { kind: 'subscript'; object: PyExpr; index: PyExpr; span: Span }
  | { kind: 'other'; span: Span };

/** Reads one expression from `tokens[i]`; returns it and the index after it. Bounded by `limit` nested levels. */
export function readExpr(tokens: Token[], i: number, depthLimit = 64): { expr: PyExpr; next: number } {
  const start = tokens[i];
  if (!start || start.type === 'newline') return { expr: { kind: 'other', span: { start: start?.start ?? 0, end: start?.start ?? 0 } }, next: i };
  let { expr, next } = readAtom(tokens, i, depthLimit);
  // postfix: .name, (args), [index]
  for (let guard = 0; guard < 1000; guard++) {
    const t = tokens[next];
    if (!t || t.type !== 'op') break;
    if (t.value === '.' && tokens[next + 1]?.type === 'name') {
      const nm = tokens[next + 1];
      expr = { kind: 'attr', object: expr, name: nm.value, span: { start: expr.span.start, end: nm.end } };
      next += 2;
    } else if (t.value === '(' && depthLimit > 0) {
      const r = readCallArgs(tokens, next, expr, depthLimit - 1);
      expr = r.expr;
      next = r.next;
    } else if (t.value === '[' && depthLimit > 0) {
      const inner = readExpr(tokens, next + 1, depthLimit - 1);
      const close = skipTo(tokens, inner.next, ']', t.depth);
      expr = { kind: 'subscript', object: expr, index: inner.expr, span: { start: expr.span.start, end: tokens[close]?.end ?? t.end } };
      next = close + 1;
    } else break;
  }
  // Binary / boolean / conditional operators: the whole thing is "other" (numbers are folded for + - * /).
  const t = tokens[next];
  if (t && ((t.type === 'op' && /^(?:[-+*/%|&^]|\*\*|\/\/|==|!=|<=?|>=?)$/.test(t.value)) || (t.type === 'name' && /^(?:or|and|if|in|not|is)$/.test(t.value)))) {
    // More operators than `depthLimit`: unknown, and not read further (each one is a level of recursion).
    if (depthLimit <= 0) return { expr: { kind: 'other', span: expr.span }, next };
    const right = readExpr(tokens, next + 1, depthLimit - 1);
    const span = { start: expr.span.start, end: right.expr.span.end };
    if (expr.kind === 'number' && right.expr.kind === 'number' && /^[-+*/]$/.test(t.value)) {
      const a = expr.value;
      const b = right.expr.value;
      const v = t.value === '+' ? a + b : t.value === '-' ? a - b : t.value === '*' ? a * b : b ? a / b : NaN;
      return { expr: { kind: 'number', value: v, span }, next: right.next };
    }
    if (t.type === 'name' && t.value === 'if') {
      // x if cond else y
      const elseAt = tokens[right.next];
      const alt = elseAt?.type === 'name' && elseAt.value === 'else' ? readExpr(tokens, right.next + 1, depthLimit - 1) : right;
      return { expr: { kind: 'other', span: { start: expr.span.start, end: alt.expr.span.end } }, next: alt.next };
    }
    return { expr: { kind: 'other', span }, next: right.next };
  }
  return { expr, next };
}

function skipTo(tokens: Token[], i: number, close: string, depth: number): number {
  let j = i;
  while (j < tokens.length && !(tokens[j].type === 'op' && tokens[j].value === close && tokens[j].depth === depth)) j++;
  return Math.min(j, tokens.length - 1);
}

function readAtom(tokens: Token[], i: number, depthLimit: number): { expr: PyExpr; next: number } {
  const t = tokens[i];
  const span = { start: t.start, end: t.end };
  if (t.type === 'name') {
    if (t.value === 'None') return { expr: { kind: 'const', value: null, span }, next: i + 1 };
    if (t.value === 'True' || t.value === 'False') return { expr: { kind: 'const', value: t.value === 'True', span }, next: i + 1 };
    if ((t.value === 'lambda' || t.value === 'not' || t.value === 'await') && depthLimit > 0) {
      const r = readExpr(tokens, i + 1, depthLimit - 1);
      return { expr: { kind: 'other', span: { start: t.start, end: r.expr.span.end } }, next: r.next };
    }
    return { expr: { kind: 'name', name: t.value, span }, next: i + 1 };
  }
  if (t.type === 'number') {
    const v = Number(t.value.replace(/_/g, '').replace(/[jJ]$/, ''));
    return { expr: Number.isFinite(v) ? { kind: 'number', value: v, span } : { kind: 'other', span }, next: i + 1 };
  }
  if (t.type === 'string') {
    let j = i;
    let value = '';
    const fstring = /^[rR]?[fF]|^[fF]/.test(t.value);
    while (tokens[j]?.type === 'string') value += stringTokenValue(tokens[j++]);
    const quote = /['"]/.exec(t.value)![0];
    const s = { start: t.start, end: tokens[j - 1].end };
    return { expr: fstring ? { kind: 'other', span: s } : { kind: 'string', value, span: s, quote }, next: j };
  }
  if (t.type === 'op' && (t.value === '-' || t.value === '+') && depthLimit > 0) {
    const r = readAtom(tokens, i + 1, depthLimit - 1);
    if (r.expr.kind === 'number') return { expr: { kind: 'number', value: t.value === '-' ? -r.expr.value : r.expr.value, span: { start: t.start, end: r.expr.span.end } }, next: r.next };
    return { expr: { kind: 'other', span: { start: t.start, end: r.expr.span.end } }, next: r.next };
  }
  if (t.type === 'op' && t.value === '{' && depthLimit > 0) return readDict(tokens, i, depthLimit - 1);
  if (t.type === 'op' && (t.value === '[' || t.value === '(') && depthLimit > 0) {
    const close = t.value === '[' ? ']' : ')';
    const items: PyExpr[] = [];
    let j = i + 1;
    for (let guard = 0; guard < 100_000 && j < tokens.length; guard++) {
      const c = tokens[j];
      if (c.type === 'op' && c.value === close && c.depth === t.depth) break;
      if (c.type === 'op' && c.value === ',') {
        j++;
        continue;
      }
      const r = readExpr(tokens, j, depthLimit - 1);
      const after = r.next > j ? r.next : skipTo(tokens, j, close, t.depth);
      // no progress: the bracket is not closed before the end of the file (was 100,000 turns of this loop)
      if (after <= j) break;
      items.push(r.expr);
      j = after;
      // comprehension or anything else: skip to the bracket's end
      if (tokens[j] && !(tokens[j].type === 'op' && (tokens[j].value === ',' || tokens[j].value === close))) j = skipTo(tokens, j, close, t.depth);
    }
    const end = tokens[j]?.end ?? t.end;
    return { expr: t.value === '(' && items.length === 1 && tokens[j - 1]?.value !== ',' ? { ...items[0], span: items[0].span } : { kind: 'list', items, span: { start: t.start, end } }, next: j + 1 };
  }
  return { expr: { kind: 'other', span }, next: i + 1 };
}

function readDict(tokens: Token[], i: number, depthLimit: number): { expr: PyExpr; next: number } {
  const open = tokens[i];
  const entries: { key: PyExpr; value: PyExpr; span: Span }[] = [];
  let j = i + 1;
  let other = false;
  for (let guard = 0; guard < 100_000 && j < tokens.length; guard++) {
    const c = tokens[j];
    if (c.type === 'op' && c.value === '}' && c.depth === open.depth) break;
    if (c.type === 'op' && c.value === ',') {
      j++;
      continue;
    }
    if (c.type === 'op' && c.value === '**') {
      other = true;
      const r = readExpr(tokens, j + 1, depthLimit);
      j = r.next;
      continue;
    }
    const k = readExpr(tokens, j, depthLimit);
    if (tokens[k.next]?.type === 'op' && tokens[k.next].value === ':') {
      const v = readExpr(tokens, k.next + 1, depthLimit);
      entries.push({ key: k.expr, value: v.expr, span: { start: k.expr.span.start, end: v.expr.span.end } });
      j = v.next;
    } else {
      other = true; // a set, or a comprehension
      j = skipTo(tokens, k.next, '}', open.depth);
      break;
    }
    if (tokens[j] && !(tokens[j].type === 'op' && (tokens[j].value === ',' || tokens[j].value === '}'))) {
      other = true;
      j = skipTo(tokens, j, '}', open.depth);
      break;
    }
  }
  const close = tokens[j] ?? open;
  const span = { start: open.start, end: close.end };
  if (other) return { expr: { kind: 'other', span }, next: j + 1 };
  const prev = tokens[j - 1];
  return { expr: { kind: 'dict', entries, span, open, close, multiline: tokens.slice(i, j + 1).some((x) => x.lineStart), trailingComma: prev?.type === 'op' && prev.value === ',' && entries.length > 0 }, next: j + 1 };
}

function readCallArgs(tokens: Token[], i: number, callee: PyExpr, depthLimit: number): { expr: PyExpr; next: number } {
  const open = tokens[i];
  const args: PyExpr[] = [];
  const kwargs: { name: string; nameSpan: Span; value: PyExpr; span: Span }[] = [];
  let j = i + 1;
  for (let guard = 0; guard < 100_000 && j < tokens.length; guard++) {
    const c = tokens[j];
    if (c.type === 'op' && c.value === ')' && c.depth === open.depth) break;
    if (c.type === 'op' && (c.value === ',' || c.value === '*' || c.value === '**')) {
      j++;
      continue;
    }
    if (c.type === 'name' && tokens[j + 1]?.type === 'op' && tokens[j + 1].value === '=') {
      const v = readExpr(tokens, j + 2, depthLimit);
      kwargs.push({ name: c.value, nameSpan: { start: c.start, end: c.end }, value: v.expr, span: { start: c.start, end: v.expr.span.end } });
      j = v.next;
    } else {
      const r = readExpr(tokens, j, depthLimit);
      args.push(r.expr);
      j = r.next > j ? r.next : j + 1;
    }
    if (tokens[j] && !(tokens[j].type === 'op' && (tokens[j].value === ',' || tokens[j].value === ')'))) j = skipTo(tokens, j, ')', open.depth);
  }
  const close = tokens[j] ?? open;
  const prev = tokens[j - 1];
  return { expr: { kind: 'call', callee, args, kwargs, span: { start: callee.span.start, end: close.end }, open, close, trailingComma: prev?.type === 'op' && prev.value === ',' && j - 1 > i }, next: j + 1 };
}

/** Dotted name of a name/attribute chain (`sqlalchemy.pool.NullPool`), or undefined. */
export function dottedName(e: PyExpr): string | undefined {
  if (e.kind === 'name') return e.name;
  if (e.kind === 'attr') {
    const o = dottedName(e.object);
    return o === undefined ? undefined : `${o}.${e.name}`;
  }
  return undefined;
}

export interface PyStatement {
  /** Tokens of the logical line (without the NEWLINE). */
  tokens: Token[];
  /** Index in the token array of the first token. */
  index: number;
  /** Column 0 (module level). */
  topLevel: boolean;
}

/** Logical lines. */
export function statements(tokens: Token[]): PyStatement[] {
  const out: PyStatement[] = [];
  let begin = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'newline') continue;
    if (i > begin) out.push({ tokens: tokens.slice(begin, i), index: begin, topLevel: tokens[begin].col === 0 });
    begin = i + 1;
  }
  return out;
}

/**
 * Bracket pairs of a token stream, within logical lines (a newline token closes every open bracket):
 * `closeOf[i]` is the index of the bracket closing the opener at `i` (-1 otherwise), `openerOf[i]` the
 * innermost bracket open around token `i` (-1 at top level).
 */
export function bracketPairs(tokens: readonly Token[]): { closeOf: Int32Array; openerOf: Int32Array } {
  const n = tokens.length;
  const closeOf = new Int32Array(n).fill(-1);
  const openerOf = new Int32Array(n).fill(-1);
  const st: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    openerOf[i] = st.length ? st[st.length - 1] : -1;
    if (t.type === 'newline') st.length = 0;
    if (t.type !== 'op') continue;
    if (t.value === '(' || t.value === '[' || t.value === '{') st.push(i);
    else if ((t.value === ')' || t.value === ']' || t.value === '}') && st.length) {
      const o = st.pop()!;
      closeOf[o] = i;
      openerOf[i] = st.length ? st[st.length - 1] : -1;
    }
  }
  return { closeOf, openerOf };
}
