/**
 * Finds SQL embedded in JavaScript / TypeScript source: tagged templates (`sql\`…\``), string
 * arguments of query-like calls (`pool.query("…")`), and string literals that clearly look like a
 * statement (`"SELECT … FROM …"`). The host text is tokenized with js-tokens, so comments, regex
 * literals and nested template substitutions are handled like a JS engine would.
 *
 * Each result carries the decoded SQL text plus a mapping back to host offsets: template
 * substitutions (and non-literal operands of `+` concatenations) become placeholders (`$1`, `$2`, … or
 * `opts.placeholder(i)`), string escapes are decoded, and adjacent literals joined by `+` form one text.
 */
import type JsTokens from 'js-tokens' with { 'resolution-mode': 'import' };
import type { Span } from './types.js';

// js-tokens is an ES module; this project compiles to CommonJS. `require` of it yields the function
// (tsx), or a namespace with `default` (esbuild bundles, Node's require(esm)).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsTokensModule = require('js-tokens') as typeof JsTokens | { default: typeof JsTokens };
export const jsTokens: typeof JsTokens = typeof jsTokensModule === 'function' ? jsTokensModule : jsTokensModule.default;

export interface EmbeddedSqlPiece {
  sqlStart: number;
  sqlLength: number;
  hostStart: number;
  hostLength: number;
  /** Literal text (same length on both sides), a decoded escape sequence, or a placeholder for `${…}` / a `+` operand. */
  kind: 'text' | 'escape' | 'placeholder';
}

export interface EmbeddedSql {
  text: string;
  /** mapping: sqlText offset → host offset, for literal text only. */
  segments: { sqlStart: number; hostStart: number; length: number }[];
  /** Span of the literal(s) in the host, quotes included (without the tag or callee). */
  hostSpan: Span;
  /** how it was found */
  via: 'tag' | 'call' | 'content';
  /** Complete, ordered mapping of `text` (text runs, escapes, placeholders); used by `sqlOffsetToHost`. */
  pieces?: EmbeddedSqlPiece[];
}

export interface ExtractOptions {
  /** Placeholder text for the `index`-th (1-based) substitution; default `$index`. */
  placeholder?: (index: number) => string;
  /**
   * Tokenize JSX (`.jsx` / `.tsx`). Default `'auto'`: JSX mode when the plain token stream shows JSX
   * closing tags (`</div>`, `/>`). Pass `false` for `.ts` files that use `<T>x` type assertions.
   */
  jsx?: boolean | 'auto';
}

const MAX_HOST_CHARS = 2 * 1024 * 1024;
const MAX_LINE_CHARS = 50_000;
const MAX_BACKSCAN = 256;

/** Call names whose first argument is SQL whenever it starts like a statement. */
const STRONG_CALLS = new Set(['query', 'queryRaw', '$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe', 'executeRaw', 'queryRawUnsafe', 'executeRawUnsafe', 'unsafe']);
/** Generic names (`map.get`, `regex.exec`, `router.all`): member calls only, and the argument must have a clear SQL shape. */
const WEAK_CALLS = new Set(['execute', 'raw', 'prepare', 'all', 'get', 'run', 'exec']);
const SQL_TAGS = new Set(['sql', 'SQL']);
const TAG_NAMES = new Set(['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', 'queryRaw', 'executeRaw']);
/** Words that may precede a template literal without being its tag. */
const NON_TAG_WORDS = new Set([
  'return', 'typeof', 'case', 'await', 'yield', 'in', 'of', 'instanceof', 'new', 'void', 'delete', 'throw', 'else', 'do',
  'extends', 'default', 'export', 'import', 'as', 'satisfies', 'keyof', 'if', 'while', 'for',
]);
const STATEMENT_WORDS = new Set([
  'select', 'with', 'insert', 'update', 'delete', 'replace', 'merge', 'upsert', 'create', 'alter', 'drop', 'truncate', 'rename',
  'pragma', 'begin', 'start', 'commit', 'rollback', 'savepoint', 'release', 'end', 'explain', 'analyze', 'analyse', 'vacuum',
  'reindex', 'cluster', 'set', 'reset', 'show', 'grant', 'revoke', 'call', 'do', 'lock', 'unlock', 'copy', 'values', 'table',
  'declare', 'listen', 'notify', 'unlisten', 'use', 'describe', 'desc', 'attach', 'detach', 'comment', 'refresh', 'prepare',
  'execute', 'deallocate', 'discard', 'load', 'checkpoint', 'optimize', 'handler',
]);

type Tok = { type: string; value: string; closed?: boolean; start: number; end: number };

interface Lit {
  /** Index of the first / last significant token of the literal. */
  first: number;
  last: number;
  start: number;
  end: number;
  template: boolean;
  /** Raw content parts (between quotes / around substitutions) and the substitutions between them. */
  parts: { hostStart: number; raw: string }[];
  subs: Span[];
  /** Substitutions still open while scanning (internal). */
  pendingSub?: number;
}

interface Built {
  text: string;
  pieces: EmbeddedSqlPiece[];
  span: Span;
}

export function extractEmbeddedSql(hostText: string, opts?: ExtractOptions): EmbeddedSql[] {
  try {
    if (typeof hostText !== 'string' || hostText.length === 0 || hostText.length > MAX_HOST_CHARS) return [];
    if (hasOverlongLine(hostText)) return [];
    return extract(hostText, opts ?? {});
  } catch {
    return [];
  }
}

/**
 * Maps an offset in `e.text` to the host text. Inside literal text it is exact; an offset inside a
 * placeholder maps to its `${` (or the start of the `+` operand); inside a decoded escape to its `\`;
 * the offset right after an escape or placeholder maps right after it; `e.text.length` maps to the
 * end of the last piece (before the closing quote).
 */
export function sqlOffsetToHost(e: EmbeddedSql, sqlOffset: number): number {
  const pieces = e.pieces;
  if (!pieces || pieces.length === 0) return segmentsOffsetToHost(e, sqlOffset);
  if (!(sqlOffset > 0)) return pieces[0].hostStart;
  const last = pieces[pieces.length - 1];
  if (sqlOffset >= last.sqlStart + last.sqlLength) return last.hostStart + last.hostLength;
  // last piece with sqlStart <= sqlOffset
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid].sqlStart <= sqlOffset) lo = mid;
    else hi = mid - 1;
  }
  const p = pieces[lo];
  const d = sqlOffset - p.sqlStart;
  if (p.kind === 'text') return p.hostStart + Math.min(d, p.hostLength);
  return p.hostStart;
}

/** Maps a span of `e.text` to the host; the end maps to the end of the preceding piece when it falls on a boundary. */
export function sqlSpanToHost(e: EmbeddedSql, span: Span): Span {
  const start = sqlOffsetToHost(e, span.start);
  let end = sqlOffsetToHost(e, span.end);
  const pieces = e.pieces;
  if (pieces && span.end > span.start) {
    const prev = pieces.find((p) => p.sqlLength > 0 && p.sqlStart + p.sqlLength === span.end);
    if (prev) end = prev.hostStart + prev.hostLength;
  }
  return { start, end: Math.max(start, end) };
}

function segmentsOffsetToHost(e: EmbeddedSql, sqlOffset: number): number {
  let best: EmbeddedSql['segments'][number] | undefined;
  for (const s of e.segments) {
    if (s.sqlStart <= sqlOffset) best = s;
    else break;
  }
  if (!best) return e.segments[0]?.hostStart ?? e.hostSpan.start;
  return best.hostStart + Math.min(sqlOffset - best.sqlStart, best.length);
}

function hasOverlongLine(text: string): boolean {
  let lineStart = 0;
  for (;;) {
    const nl = text.indexOf('\n', lineStart);
    const end = nl < 0 ? text.length : nl;
    if (end - lineStart > MAX_LINE_CHARS) return true;
    if (nl < 0) return false;
    lineStart = nl + 1;
  }
}

// ---------------------------------------------------------------------------------------------

function tokenize(text: string, jsx: boolean): Tok[] {
  const out: Tok[] = [];
  let pos = 0;
  for (const t of jsTokens(text, { jsx })) {
    const start = pos;
    pos += t.value.length;
    const tok: Tok = { type: t.type, value: t.value, start, end: pos };
    if ('closed' in t) tok.closed = t.closed;
    out.push(tok);
  }
  return out;
}

function isTrivia(t: Tok): boolean {
  return t.type === 'WhiteSpace' || t.type === 'LineTerminatorSequence' || t.type === 'MultiLineComment' || t.type === 'SingleLineComment' || t.type === 'HashbangComment';
}

/** JSX shows up in a plain token stream as `<` followed by a "regex" (`</div>`), or `/` `>` (`/>`). */
function looksLikeJsx(sig: Tok[]): boolean {
  for (let i = 0; i + 1 < sig.length; i++) {
    const a = sig[i];
    const b = sig[i + 1];
    if (a.type !== 'Punctuator' || b.start !== a.end) continue;
    if (a.value === '<' && b.type === 'RegularExpressionLiteral' && /^\/[A-Za-z>]/.test(b.value)) return true;
    if (a.value === '/' && b.type === 'Punctuator' && b.value.startsWith('>')) return true;
  }
  return false;
}

function extract(hostText: string, opts: ExtractOptions): EmbeddedSql[] {
  let all = tokenize(hostText, opts.jsx === true);
  let sig = all.filter((t) => !isTrivia(t));
  if ((opts.jsx === undefined || opts.jsx === 'auto') && looksLikeJsx(sig)) {
    all = tokenize(hostText, true);
    sig = all.filter((t) => !isTrivia(t));
  }
  // index in `all` of each significant token (for the comment in front of a literal)
  const allIndex: number[] = [];
  for (let i = 0; i < all.length; i++) if (!isTrivia(all[i])) allIndex.push(i);

  const lits = collectLiterals(sig);
  const litAt = new Map<number, Lit>();
  for (const l of lits) litAt.set(l.first, l);

  const placeholder = opts.placeholder ?? ((i: number): string => `$${i}`);
  const consumed = new Set<Lit>();
  const out: EmbeddedSql[] = [];
  /** Substitution spans of reported tagged templates: fragments nested in them are not statements. */
  let reportedTagged: Span[] = [];

  for (const lit of lits) {
    if (consumed.has(lit)) continue;
    // literals come in source order: spans that ended before this one can go
    if (reportedTagged.length > 0) {
      reportedTagged = reportedTagged.filter((s) => s.end > lit.start);
      if (reportedTagged.some((s) => s.start <= lit.start && lit.end <= s.end)) continue;
    }

    // (a) tagged templates
    if (lit.template) {
      const tag = tagOf(sig, lit.first);
      if (tag) {
        consumed.add(lit);
        if (tag.some((n) => SQL_TAGS.has(n)) || TAG_NAMES.has(tag[tag.length - 1])) {
          const built = build([lit], [], placeholder);
          if (startsLikeStatement(built.text)) {
            out.push(result(built, 'tag'));
            reportedTagged.push(...lit.subs);
          }
        }
        continue; // some other tag (gql, css, html…): not a string
      }
    }

    const chain = concatChain(sig, lit, litAt);
    for (const el of chain.lits) consumed.add(el);
    const built = build(chain.lits, chain.operands, placeholder);

    // `/* sql */ "…"` marker comment
    if (hasSqlMarker(all, allIndex[lit.first])) {
      if (startsLikeStatement(built.text)) out.push(result(built, 'tag'));
      continue;
    }

    // (b) first argument of a query-like call
    const callee = calleeOf(sig, lit.first);
    if (callee) {
      const strong = STRONG_CALLS.has(callee.name);
      const weak = WEAK_CALLS.has(callee.name) && callee.member;
      if ((strong && startsLikeStatement(built.text)) || (weak && looksLikeSql(built.text, false))) {
        out.push(result(built, 'call'));
        continue;
      }
    }

    // (c) content; a literal the code later extends (`q += ' WHERE …'`) is only the start of a statement
    if (looksLikeSql(built.text, true) && !extendedLater(hostText, lit.start, built.span.end)) out.push(result(built, 'content'));
  }
  out.sort((a, b) => a.hostSpan.start - b.hostSpan.start);
  return out;
}

function result(b: Built, via: EmbeddedSql['via']): EmbeddedSql {
  const segments = b.pieces.filter((p) => p.kind === 'text').map((p) => ({ sqlStart: p.sqlStart, hostStart: p.hostStart, length: p.sqlLength }));
  return { text: b.text, segments, hostSpan: b.span, via, pieces: b.pieces };
}

/** Collects closed string and template literals, in source order of their first token. */
function collectLiterals(sig: Tok[]): Lit[] {
  const lits: Lit[] = [];
  const stack: Lit[] = [];
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k];
    switch (t.type) {
      case 'StringLiteral':
        if (t.closed && t.value.length >= 2) {
          lits.push({ first: k, last: k, start: t.start, end: t.end, template: false, parts: [{ hostStart: t.start + 1, raw: t.value.slice(1, -1) }], subs: [] });
        }
        break;
      case 'NoSubstitutionTemplate':
        if (t.closed && t.value.length >= 2) {
          lits.push({ first: k, last: k, start: t.start, end: t.end, template: true, parts: [{ hostStart: t.start + 1, raw: t.value.slice(1, -1) }], subs: [] });
        }
        break;
      case 'TemplateHead':
        stack.push({
          first: k,
          last: k,
          start: t.start,
          end: t.end,
          template: true,
          parts: [{ hostStart: t.start + 1, raw: t.value.slice(1, -2) }],
          subs: [],
          pendingSub: t.end - 2,
        });
        break;
      case 'TemplateMiddle': {
        const top = stack[stack.length - 1];
        if (!top) break;
        top.subs.push({ start: top.pendingSub!, end: t.start + 1 });
        top.parts.push({ hostStart: t.start + 1, raw: t.value.slice(1, -2) });
        top.pendingSub = t.end - 2;
        break;
      }
      case 'TemplateTail': {
        const top = stack.pop();
        if (!top) break;
        top.subs.push({ start: top.pendingSub!, end: t.start + 1 });
        top.parts.push({ hostStart: t.start + 1, raw: t.closed ? t.value.slice(1, -1) : t.value.slice(1) });
        top.last = k;
        top.end = t.end;
        delete top.pendingSub;
        if (t.closed) lits.push(top);
        break;
      }
      default:
        break;
    }
  }
  lits.sort((a, b) => a.first - b.first);
  return lits;
}

function isPunct(t: Tok | undefined, ...values: string[]): boolean {
  return !!t && t.type === 'Punctuator' && values.includes(t.value);
}

function isIdent(t: Tok | undefined): boolean {
  return !!t && (t.type === 'IdentifierName' || t.type === 'PrivateIdentifier');
}

/**
 * Walks back from index `j` (a `)`/`]`/`>`) to its opening bracket; returns the index before it, or -1.
 * For `>` it skips TypeScript type arguments (`<A, B<C>>`).
 */
function skipBack(sig: Tok[], j: number): number {
  const close = sig[j].value;
  if (close === ')' || close === ']') {
    const open = close === ')' ? '(' : '[';
    let depth = 0;
    for (let i = j, n = 0; i >= 0 && n < MAX_BACKSCAN; i--, n++) {
      const t = sig[i];
      if (t.type !== 'Punctuator') continue;
      if (t.value === close) depth++;
      else if (t.value === open && --depth === 0) return i - 1;
    }
    return -1;
  }
  // type arguments
  let angle = 0;
  let nest = 0; // (), [], {} inside type arguments
  for (let i = j, n = 0; i >= 0 && n < MAX_BACKSCAN; i--, n++) {
    const t = sig[i];
    if (t.type !== 'Punctuator') continue;
    const v = t.value;
    if (v === ')' || v === ']' || v === '}') nest++;
    else if (v === '(' || v === '[' || v === '{') {
      if (--nest < 0) return -1;
    } else if (nest > 0) continue; // inside `(a: T) => U`, `{ a: T; b: U }`, `[A, B]`
    else if (/^>{1,3}$/.test(v)) angle += v.length;
    else if (v === '<') {
      if (--angle === 0) return i - 1;
    } else if (v !== ',' && v !== '|' && v !== '&' && v !== '.' && v !== '?' && v !== ':' && v !== '=>' && v !== '...') {
      return -1; // not a type argument list
    }
  }
  return -1;
}

/** The identifier chain (`Prisma.sql` → ['Prisma', 'sql']) ending at index `j`, or undefined. */
function chainAt(sig: Tok[], j: number): string[] | undefined {
  if (!isIdent(sig[j])) return undefined;
  const names = [sig[j].value];
  let i = j - 1;
  while (i >= 1 && isPunct(sig[i], '.', '?.') && isIdent(sig[i - 1])) {
    names.unshift(sig[i - 1].value);
    i -= 2;
  }
  return names;
}

/** Tag of a template starting at `first`: identifier chain (through type args and `sql.type(x)` calls), or undefined when untagged. */
function tagOf(sig: Tok[], first: number): string[] | undefined {
  let j = first - 1;
  const prev = sig[j];
  if (!prev) return undefined;
  if (isIdent(prev)) return NON_TAG_WORDS.has(prev.value) && prev.type === 'IdentifierName' && !isPunct(sig[j - 1], '.', '?.') ? undefined : chainAt(sig, j);
  if (prev.type === 'TemplateTail' || prev.type === 'NoSubstitutionTemplate') return ['<template>'];
  if (isPunct(prev, '>', '>>', '>>>')) {
    j = skipBack(sig, j);
    return j >= 0 && isIdent(sig[j]) ? chainAt(sig, j) : undefined;
  }
  if (isPunct(prev, ')', ']')) {
    const k = skipBack(sig, j);
    if (k < 0) return ['<expr>'];
    // sql.type(Row)`…` / sql.unsafe(x)`…`
    return (isIdent(sig[k]) ? chainAt(sig, k) : undefined) ?? ['<expr>'];
  }
  return undefined;
}

/** The called function when the literal at `first` is the first argument of a call. */
function calleeOf(sig: Tok[], first: number): { name: string; member: boolean } | undefined {
  if (!isPunct(sig[first - 1], '(')) return undefined;
  let j = first - 2;
  if (isPunct(sig[j], '?.')) j--;
  if (isPunct(sig[j], '>', '>>', '>>>')) j = skipBack(sig, j);
  if (j < 0 || !isIdent(sig[j])) return undefined;
  const before = sig[j - 1];
  if (before && before.type === 'IdentifierName' && (before.value === 'function' || before.value === 'async')) return undefined;
  return { name: sig[j].value.replace(/^#/, ''), member: isPunct(before, '.', '?.') };
}

function hasSqlMarker(all: Tok[], idx: number): boolean {
  for (let i = idx - 1; i >= 0 && i >= idx - 4; i--) {
    const t = all[i];
    if (t.type === 'WhiteSpace' || t.type === 'LineTerminatorSequence') continue;
    return t.type === 'MultiLineComment' && /^\/\*\s*sql\s*\*\/$/i.test(t.value);
  }
  return false;
}

/**
 * `lit + lit + operand + lit …`: adjacent literals joined by `+`, with simple operands (`id`,
 * `opts.table`, `fn(x)`, `(a ?? b)`) in between or at the end as placeholders.
 */
function concatChain(sig: Tok[], head: Lit, litAt: Map<number, Lit>): { lits: Lit[]; operands: { after: Lit; span: Span }[] } {
  const lits = [head];
  const operands: { after: Lit; span: Span }[] = [];
  let j = head.last + 1;
  let last = head;
  while (isPunct(sig[j], '+')) {
    const next = litAt.get(j + 1);
    if (next) {
      lits.push(next);
      last = next;
      j = next.last + 1;
      continue;
    }
    // one or more simple operands (`a + b.c + f(x)`) become one placeholder
    let e = simpleOperandEnd(sig, j + 1);
    if (e < 0) break;
    while (isPunct(sig[e], '+') && !litAt.has(e + 1)) {
      const e2 = simpleOperandEnd(sig, e + 1);
      if (e2 < 0) break;
      e = e2;
    }
    const after = sig[e];
    const continues = isPunct(after, '+') && litAt.has(e + 1);
    const ends = !after || isPunct(after, ')', ',', ';', ']', '}', ':');
    if (!continues && !ends) break;
    operands.push({ after: last, span: { start: sig[j + 1].start, end: sig[e - 1].end } });
    if (!continues) break;
    j = e;
  }
  return { lits, operands };
}

/** End (exclusive token index) of a simple operand starting at `j`, or -1. */
function simpleOperandEnd(sig: Tok[], j: number): number {
  let i = j;
  const t = sig[i];
  if (!t) return -1;
  if (t.type === 'IdentifierName' || t.type === 'PrivateIdentifier') {
    if (NON_TAG_WORDS.has(t.value) && t.value !== 'await') return -1;
    i++;
    if (t.value === 'await') {
      if (!isIdent(sig[i])) return -1;
      i++;
    }
  } else if (t.type === 'NumericLiteral') return i + 1;
  else if (isPunct(t, '(')) {
    i = skipForward(sig, i);
    if (i < 0) return -1;
  } else return -1;
  for (let n = 0; n < MAX_BACKSCAN; n++) {
    const u = sig[i];
    if (isPunct(u, '.', '?.') && isIdent(sig[i + 1])) i += 2;
    else if (isPunct(u, '?.') && isPunct(sig[i + 1], '(', '[')) i = skipForward(sig, i + 1);
    else if (isPunct(u, '(', '[')) i = skipForward(sig, i);
    else if (isPunct(u, '!') && !isPunct(sig[i + 1], '=')) i++;
    else break;
    if (i < 0) return -1;
  }
  return i;
}

/** From an opening `(`/`[` at `j`, the index after its match, or -1. */
function skipForward(sig: Tok[], j: number): number {
  let depth = 0;
  for (let i = j, n = 0; i < sig.length && n < 4 * MAX_BACKSCAN; i++, n++) {
    const t = sig[i];
    if (t.type !== 'Punctuator') continue;
    if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
    else if ((t.value === ')' || t.value === ']' || t.value === '}') && --depth === 0) return i + 1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Building the SQL text

function build(lits: Lit[], operands: { after: Lit; span: Span }[], placeholder: (i: number) => string): Built {
  const pieces: EmbeddedSqlPiece[] = [];
  let text = '';
  let index = 0;
  const addPlaceholder = (hostSpan: Span): void => {
    // A substitution where no value can stand (`FROM events ${joins} WHERE …`, `… = $1 ${filters}`) is
    // an SQL fragment the app splices in: it becomes a blank, not a parameter, so that the rest parses.
    if (isFragmentPosition(text)) {
      pieces.push({ sqlStart: text.length, sqlLength: 1, hostStart: hostSpan.start, hostLength: hostSpan.end - hostSpan.start, kind: 'placeholder' });
      text += ' ';
      return;
    }
    const ph = placeholder(++index);
    pieces.push({ sqlStart: text.length, sqlLength: ph.length, hostStart: hostSpan.start, hostLength: hostSpan.end - hostSpan.start, kind: 'placeholder' });
    text += ph;
  };
  for (const lit of lits) {
    lit.parts.forEach((part, i) => {
      if (i > 0) addPlaceholder(lit.subs[i - 1]);
      text = decodeInto(part.raw, part.hostStart, text, pieces);
    });
    for (const op of operands) if (op.after === lit) addPlaceholder(op.span);
  }
  const lastLit = lits[lits.length - 1];
  const lastOp = operands[operands.length - 1];
  const end = lastOp && lastOp.after === lastLit ? lastOp.span.end : lastLit.end;
  const named = text.includes('{{') ? mustachePlaceholders(text, pieces, placeholder, index) : undefined;
  return { text: named?.text ?? text, pieces: named?.pieces ?? pieces, span: { start: lits[0].start, end } };
}

/**
 * `{{name}}` / `{{name::uuid}}` (umami's rawQuery and other apps' own helpers fill these in before the
 * driver sees the statement) become the dialect's placeholders, numbered after the `${…}` ones.
 */
function mustachePlaceholders(text: string, pieces: EmbeddedSqlPiece[], placeholder: (i: number) => string, used: number): { text: string; pieces: EmbeddedSqlPiece[] } {
  const out: EmbeddedSqlPiece[] = [];
  let t = '';
  let index = used;
  for (const p of pieces) {
    const sql = text.slice(p.sqlStart, p.sqlStart + p.sqlLength);
    if (p.kind !== 'text') {
      out.push({ ...p, sqlStart: t.length });
      t += sql;
      continue;
    }
    let from = 0;
    let search = 0;
    for (;;) {
      const open = sql.indexOf('{{', search);
      if (open < 0) break;
      const close = sql.indexOf('}}', open + 2);
      if (close < 0) break;
      search = open + 2;
      if (close - open > 80 || !/^\s*[A-Za-z_][\w.]*(?:::[A-Za-z_]\w*(?:\[\])?)?\s*$/.test(sql.slice(open + 2, close))) continue;
      if (open > from) out.push({ kind: 'text', sqlStart: t.length, sqlLength: open - from, hostStart: p.hostStart + from, hostLength: open - from });
      t += sql.slice(from, open);
      const ph = placeholder(++index);
      out.push({ kind: 'placeholder', sqlStart: t.length, sqlLength: ph.length, hostStart: p.hostStart + open, hostLength: close + 2 - open });
      t += ph;
      from = search = close + 2;
    }
    if (from < sql.length) out.push({ kind: 'text', sqlStart: t.length, sqlLength: sql.length - from, hostStart: p.hostStart + from, hostLength: sql.length - from });
    t += sql.slice(from);
  }
  return { text: t, pieces: out };
}

/** Words after which a value (a parameter) is expected. */
const VALUE_AFTER = new Set([
  'and', 'or', 'not', 'in', 'like', 'ilike', 'is', 'between', 'then', 'else', 'when', 'limit', 'offset', 'select', 'by', 'on', 'where',
  'having', 'set', 'values', 'case', 'distinct', 'interval', 'any', 'all', 'some', 'exists', 'returning', 'using', 'fetch', 'first', 'next',
  'escape', 'similar', 'to', 'from', 'join', 'into', 'update', 'table', 'as', 'with', 'default', 'array', 'row', 'over', 'partition',
  // A name goes after these (`CREATE DATABASE ${name}`, `DROP VIEW IF EXISTS ${name}`): the parser retries it as a name.
  'database', 'schema', 'view', 'index', 'sequence', 'type', 'function', 'trigger', 'extension', 'role', 'user', 'truncate',
]);

/**
 * Does the SQL so far end where a substitution cannot be a value? After an identifier or `)` that is not
 * a keyword expecting one, outside string literals: `FROM website_event ${joins}`, `a = $1 ${more}`.
 */
export function isFragmentPosition(sql: string): boolean {
  let quotes = 0;
  for (let i = sql.indexOf("'"); i >= 0; i = sql.indexOf("'", i + 1)) quotes++;
  if (quotes % 2) return false; // inside a string literal
  let e = sql.length;
  while (e > 0 && /\s/.test(sql[e - 1])) e--;
  if (e === sql.length) return false; // glued to the text before: part of a word or a literal
  const c = sql[e - 1];
  if (c === ')' || c === '"') return true;
  if (!/\w/.test(c ?? '')) return false;
  let b = e;
  while (b > 0 && /[\w$]/.test(sql[b - 1])) b--;
  const word = sql.slice(b, e);
  if (/^\$\d+$|^\d/.test(word)) return true; // after a parameter or a number
  return !VALUE_AFTER.has(word.toLowerCase());
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/** Appends the decoded `raw` literal content to `text`, recording pieces; returns the new text. */
function decodeInto(raw: string, hostStart: number, text: string, pieces: EmbeddedSqlPiece[]): string {
  let i = 0;
  const n = raw.length;
  while (i < n) {
    const bs = raw.indexOf('\\', i);
    const runEnd = bs < 0 ? n : bs;
    if (runEnd > i) {
      pieces.push({ sqlStart: text.length, sqlLength: runEnd - i, hostStart: hostStart + i, hostLength: runEnd - i, kind: 'text' });
      text += raw.slice(i, runEnd);
    }
    if (bs < 0) break;
    const [decoded, len] = decodeEscape(raw, bs);
    if (decoded.length > 0) {
      pieces.push({ sqlStart: text.length, sqlLength: decoded.length, hostStart: hostStart + bs, hostLength: len, kind: 'escape' });
      text += decoded;
    }
    i = bs + len;
  }
  return text;
}

/** Decodes the escape sequence at `raw[i] === '\\'`: [value, length in raw]. */
function decodeEscape(raw: string, i: number): [string, number] {
  const c = raw[i + 1];
  if (c === undefined) return ['\\', 1];
  if (c in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[c], 2];
  if (c === '\r') return ['', raw[i + 2] === '\n' ? 3 : 2]; // line continuation
  if (c === '\n' || c === '\u2028' || c === '\u2029') return ['', 2];
  if (c === 'x') {
    const m = /^[0-9a-fA-F]{2}/.exec(raw.slice(i + 2, i + 4));
    if (m) return [String.fromCharCode(parseInt(m[0], 16)), 4];
    return ['x', 2];
  }
  if (c === 'u') {
    if (raw[i + 2] === '{') {
      const close = raw.indexOf('}', i + 3);
      const hex = close > 0 ? raw.slice(i + 3, close) : '';
      if (/^[0-9a-fA-F]{1,6}$/.test(hex)) {
        const cp = parseInt(hex, 16);
        if (cp <= 0x10ffff) return [String.fromCodePoint(cp), close - i + 1];
      }
      return ['u', 2];
    }
    const hex = raw.slice(i + 2, i + 6);
    if (/^[0-9a-fA-F]{4}$/.test(hex)) return [String.fromCharCode(parseInt(hex, 16)), 6];
    return ['u', 2];
  }
  if (c >= '0' && c <= '7') {
    // \0, or a legacy octal escape
    const m = /^[0-7]{1,3}/.exec(raw.slice(i + 1, i + 4))!;
    let digits = m[0];
    while (digits.length > 1 && parseInt(digits, 8) > 255) digits = digits.slice(0, -1);
    return [String.fromCharCode(parseInt(digits, 8)), 1 + digits.length];
  }
  // \' \" \\ \` \$ and any other character stand for themselves; keep surrogate pairs whole
  const cp = raw.codePointAt(i + 1)!;
  const ch = String.fromCodePoint(cp);
  return [ch, 1 + ch.length];
}

/**
 * Is the literal assigned to a variable that the code later extends (`q += …`, `q = q + …`,
 * Python `q += …`)? Then the literal is a prefix the code completes, not the statement.
 */
export function extendedLater(t: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && (t[i] === ' ' || t[i] === '\t' || t[i] === '(')) i--;
  if (t[i] !== '=' || t[i - 1] === '=' || t[i - 1] === '!' || t[i - 1] === '<' || t[i - 1] === '>') return false;
  i--;
  if (t[i] === ':') i--;
  while (i >= 0 && (t[i] === ' ' || t[i] === '\t')) i--;
  const e = i + 1;
  while (i >= 0 && /[\w$]/.test(t[i] ?? '')) i--;
  const name = t.slice(i + 1, e);
  if (!name || !/^[A-Za-z_$]/.test(name)) return false;
  const after = t.slice(end, end + 4000);
  for (let k = after.indexOf(name); k >= 0; k = after.indexOf(name, k + 1)) {
    if (k > 0 && /[\w$]/.test(after[k - 1] ?? '')) continue;
    let j = k + name.length;
    if (/[\w$]/.test(after[j] ?? '')) continue;
    while (after[j] === ' ' || after[j] === '\t') j++;
    if (after[j] === '+' && after[j + 1] === '=') return true;
    if (after[j] === '=' && after[j + 1] !== '=') {
      let m = j + 1;
      while (after[m] === ' ' || after[m] === '\t') m++;
      if (after.startsWith(name, m) && /^\s*\+/.test(after.slice(m + name.length, m + name.length + 8))) return true;
      return false; // reassigned: a new statement
    }
  }
  return false;
}


// ---------------------------------------------------------------------------------------------
// Does it look like SQL?

/** Text after leading white space, SQL comments and `(`. */
export function sqlHead(text: string): string {
  let i = 0;
  const n = text.length;
  for (let guard = 0; i < n && guard < 1000; guard++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '(' || c === '\ufeff' || c === '\u00a0') i++;
    else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else break;
  }
  return text.slice(i);
}

/** The first word is a statement keyword (lenient; used for tags and query-call arguments). */
export function startsLikeStatement(text: string): boolean {
  const m = /^([A-Za-z]+)(?![\w$])/.exec(sqlHead(text));
  return !!m && STATEMENT_WORDS.has(m[1].toLowerCase());
}

const SHAPES: RegExp[] = [
  /^select\s[\s\S]*?\bfrom\s+["`[]?[A-Za-z_]/i,
  /^with\s+(?:recursive\s+)?["`]?[A-Za-z_][\w$]*["`]?\s*(?:\([^()]*\)\s*)?as\s+(?:not\s+)?(?:materialized\s+)?\(/i,
  /^insert\s+(?:or\s+[a-z]+\s+|ignore\s+)?into\s+["`[]?[A-Za-z_]/i,
  /^replace\s+into\s+["`[]?[A-Za-z_]/i,
  /^update\s[\s\S]*?\bset\s+["`[]?[A-Za-z_][\w$."`\]]*\s*=/i,
  /^delete\s+(?:from\s+)?["`[]?[A-Za-z_][\w$."`\]]*(?:\s+(?:as\s+)?[A-Za-z_]\w*)?\s*(?:\bwhere\b|\busing\b|\breturning\b|\border\s+by\b|\blimit\b|;|$)/i,
];
/** DDL / session statements accepted as arguments of generic calls (`db.exec("CREATE TABLE …")`). */
const OTHER_STATEMENTS = /^(?:(?:create|alter|drop)\s+(?:or\s+replace\s+|temp\s+|temporary\s+|unique\s+|virtual\s+|materialized\s+|if\s+(?:not\s+)?exists\s+)*(?:table|index|view|trigger|schema|sequence|type|function|procedure|extension|database)\b|pragma\s+[A-Za-z_]|(?:begin|commit|rollback|savepoint|release|vacuum|analyze|explain|truncate)\b)/i;
/** Something only SQL would have besides the statement shape (for lower-case keywords). */
const SQL_SIGNAL = /\bwhere\b|\bjoin\b|\blimit\b|\border\s+by\b|\bgroup\s+by\b|\breturning\b|\bvalues\b|\bset\b|[=<>*;]|\$\d|[\s(,=]\?/i;
const PROSE_WORDS = /\b(?:the|you|your|please|click|our|failed|unable|cannot|couldn't|should)\b/i;

/** Conservative: a statement shape (`SELECT … FROM x`, `INSERT INTO x`…), not prose. */
export function looksLikeSql(text: string, contentOnly: boolean): boolean {
  const head = sqlHead(text);
  if (head.length < 8 || head.length > 200_000) return false;
  const kw = /^[A-Za-z]+/.exec(head)?.[0];
  if (!kw) return false;
  const shaped = SHAPES.some((r) => r.test(head));
  const other = !contentOnly && OTHER_STATEMENTS.test(head);
  if (!shaped && !other) return false;
  // No select list: `SELECT FROM options` is a UI label (PostgreSQL would accept it, nobody writes it).
  if (/^select\s+from\b/i.test(head)) return false;
  // prose guard: look at the text without quoted SQL strings
  const bare = head.replace(/'(?:[^']|'')*'|"[^"\n]*"/g, "''");
  if (PROSE_WORDS.test(bare)) return false;
  if (/[a-z][.!?](?:\s|$)/.test(bare)) return false;
  if (other && !shaped) return true;
  return kw === kw.toUpperCase() || SQL_SIGNAL.test(bare.slice(kw.length));
}
