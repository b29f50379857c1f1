/**
 * `?` placeholders (knex, mysql-style drivers) in SQL meant for PostgreSQL: the query builder turns
 * them into `$1`, `$2`, … before the statement reaches the server, but PostgreSQL's own grammar has no
 * `?` parameter. `numberQuestionPlaceholders` does the same rewriting so the statement can be parsed,
 * and maps offsets of the rewritten text back to the original (`$12` is longer than `?`).
 */
import { blockCommentEnd, quoteEnd } from './split.js';
import type { Span } from './types.js';

export interface RewrittenSql {
  text: string;
  /** Offset in `text` → offset in the original text (inside a `$n`: the `?`; right after it: after the `?`). */
  toOriginal(offset: number): number;
  /** How many `?` were numbered. */
  count: number;
}

/** Characters of PostgreSQL operators: a `?` next to one of these is part of an operator (`?|`, `?&`, `@?`, `?-|`). */
const OP_AFTER = new Set(['|', '&', '-', '#', '?', '@', '~', '!', '^', '%', '*', '/', '+', '<', '>', '`']);
const OP_BEFORE = new Set(['?', '@', '#', '|', '&', '~', '!', '^', '%', '`', '-', '+', '*', '/']);

const isIdentChar = (c: string | undefined): boolean => !!c && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

/**
 * The index after the comment, string or quoted identifier (one of `quotes`) that starts at `i`, or -1
 * when none starts there: what the placeholder scanners step over. With `postgres`, a backslash escapes
 * in E'…' strings, `$tag$ … $tag$` bodies are stepped over and a `$n` parameter too (its number passed
 * to `onParam`).
 */
function inertEnd(sql: string, i: number, opts: { quotes: string; postgres: boolean; onParam?: (n: number) => void }): number {
  const c = sql[i];
  if (c === '-' && sql[i + 1] === '-') {
    const nl = sql.indexOf('\n', i);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (c === '/' && sql[i + 1] === '*') return blockCommentEnd(sql, i + 2, true);
  if (opts.quotes.includes(c)) {
    // a backslash escapes only in E'…' strings
    const backslash = opts.postgres && c === "'" && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdentChar(sql[i - 2]);
    return quoteEnd(sql, i + 1, c, backslash) + 1;
  }
  if (opts.postgres && c === '$' && !isIdentChar(sql[i - 1])) {
    const param = /^\$(\d+)/.exec(sql.slice(i, i + 12));
    if (param) {
      opts.onParam?.(Number(param[1]));
      return i + param[0].length;
    }
    const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64));
    if (tag) {
      const close = sql.indexOf(tag[0], i + tag[0].length);
      return close < 0 ? sql.length : close + tag[0].length;
    }
  }
  return -1;
}

/**
 * Replaces each `?` that stands for a value with `$n` (numbered after any `$n` already in the text),
 * leaving alone: `?` inside string literals ('…', E'…', $tag$…$tag$), quoted identifiers and comments;
 * `?` that is part of a longer operator (jsonb `?|`, `?&`, `@?`, geometric `?-|`, knex's `??`); and
 * `?` used as an operator between an expression and a string (`data ? 'key'`). knex's escaped `\?`
 * (a literal `?` operator) becomes ` ?`. Returns undefined when there is no `?` to number.
 */
export function numberQuestionPlaceholders(sql: string): RewrittenSql | undefined {
  const n = sql.length;
  const marks: number[] = []; // offsets of `?` to number
  const escapes: number[] = []; // offsets of the `\` of `\?`
  let maxParam = 0;
  /** The last significant character before i (skipping blanks), or undefined. */
  const prevSig = (i: number): string | undefined => {
    let j = i - 1;
    while (j >= 0 && /\s/.test(sql[j])) j--;
    return j >= 0 ? sql[j] : undefined;
  };
  const nextSigAt = (i: number): number => {
    let j = i + 1;
    while (j < n && /\s/.test(sql[j])) j++;
    return j;
  };
  const onParam = (k: number): void => {
    maxParam = Math.max(maxParam, k);
  };
  let i = 0;
  while (i < n) {
    const c = sql[i];
    const skip = inertEnd(sql, i, { quotes: '\'"', postgres: true, onParam });
    if (skip >= 0) {
      i = skip;
      continue;
    }
    if (c === '\\' && sql[i + 1] === '?') {
      escapes.push(i);
      i += 2;
      continue;
    }
    if (c === '?') {
      const before = sql[i - 1];
      const after = sql[i + 1];
      const partOfOperator = (before !== undefined && OP_BEFORE.has(before)) || (after !== undefined && OP_AFTER.has(after));
      const p = prevSig(i);
      const k = nextSigAt(i);
      const operandBefore = p !== undefined && (isIdentChar(p) || p === ')' || p === ']' || p === "'" || p === '"');
      const stringAfter = sql[k] === "'" || (/[Ee]/.test(sql[k] ?? '') && sql[k + 1] === "'") || (sql[k] === '$' && !/\d/.test(sql[k + 1] ?? ''));
      // `data ? 'key'` (jsonb: does the key exist?): an expression, `?`, a string
      const operator = operandBefore && stringAfter;
      if (!partOfOperator && !operator) marks.push(i);
      i++;
      continue;
    }
    i++;
  }
  if (!marks.length) return undefined;
  return rewrite(sql, marks.map((at) => ({ at, len: 1 })), maxParam, escapes);
}


/** Kinds of placeholder that drivers, ORMs and templating put into SQL text before it reaches the server. */
export type PlaceholderKind = 'named' | 'at' | 'percent' | 'mustache';

/**
 * Named and templated placeholders, rewritten as PostgreSQL `$n` parameters so that the statement can
 * be parsed: `:name` (Sequelize replacements, knex named bindings, TypeORM, SQLAlchemy `text()`),
 * `@name` / `@p1` (mssql / tedious style), `%s` and `%(name)s` (Python DB-API), `{{ … }}` (templating).
 * Strings, quoted identifiers, comments and dollar quotes are left alone, and so are `::type` casts,
 * `:=` and array slices (`a[1:n]`: a `:` right after an operand). Meant as a retry after the original
 * text failed to parse: `@x` and `%s` are also operators. Undefined when there is nothing to rewrite.
 */
export function numberNamedPlaceholders(sql: string, kinds: readonly PlaceholderKind[] = ['named', 'at', 'percent', 'mustache'], style: 'dollar' | 'question' = 'dollar'): RewrittenSql | undefined {
  const n = sql.length;
  const marks: { at: number; len: number }[] = [];
  let maxParam = 0;
  const identStart = (c: string | undefined): boolean => !!c && /[A-Za-z_\u0080-\uffff]/.test(c);
  const identEnd = (from: number): number => {
    let j = from;
    while (j < n && isIdentChar(sql[j]) && sql[j] !== '$') j++;
    return j;
  };
  const want = new Set(kinds);
  const onParam = (k: number): void => {
    maxParam = Math.max(maxParam, k);
  };
  let i = 0;
  while (i < n) {
    const c = sql[i];
    const skip = inertEnd(sql, i, { quotes: '\'"`', postgres: true, onParam });
    if (skip >= 0) {
      i = skip;
      continue;
    }
    const before = sql[i - 1];
    if (c === ':' && want.has('named') && before !== ':' && !isIdentChar(before) && before !== ']' && before !== ')' && identStart(sql[i + 1])) {
      const end = identEnd(i + 1);
      marks.push({ at: i, len: end - i });
      i = end;
      continue;
    }
    if (c === '@' && want.has('at') && !isIdentChar(before) && before !== '@' && identStart(sql[i + 1])) {
      const end = identEnd(i + 1);
      marks.push({ at: i, len: end - i });
      i = end;
      continue;
    }
    if (c === '%' && want.has('percent')) {
      const m = /^%(?:\([A-Za-z_][A-Za-z0-9_]*\))?s(?![A-Za-z0-9_])/.exec(sql.slice(i, i + 80));
      if (m) {
        marks.push({ at: i, len: m[0].length });
        i += m[0].length;
        continue;
      }
    }
    if (c === '{' && sql[i + 1] === '{' && want.has('mustache')) {
      const close = sql.indexOf('}}', i + 2);
      if (close > 0 && !sql.slice(i + 2, close).includes('\n')) {
        marks.push({ at: i, len: close + 2 - i });
        i = close + 2;
        continue;
      }
    }
    i++;
  }
  if (!marks.length) return undefined;
  return rewrite(sql, marks, maxParam, [], style);
}

/** Replaces each mark with `$n` (numbered after `maxParam`) or `?` and each escape's `\` with a blank; maps offsets back. */
function rewrite(sql: string, marks: readonly { at: number; len: number }[], maxParam: number, escapes: readonly number[], style: 'dollar' | 'question' = 'dollar'): RewrittenSql {
  const reps: { newStart: number; origStart: number; newLen: number; origLen: number }[] = [];
  let out = '';
  let last = 0;
  let next = maxParam;
  const edits = [...marks.map((m) => ({ ...m, kind: 'mark' as const })), ...escapes.map((at) => ({ at, len: 1, kind: 'escape' as const }))].sort((a, b) => a.at - b.at);
  for (const e of edits) {
    out += sql.slice(last, e.at);
    if (e.kind === 'escape') {
      out += ' ';
      last = e.at + 1;
      continue;
    }
    const ph = style === 'question' ? '?' : `$${++next}`;
    reps.push({ newStart: out.length, origStart: e.at, newLen: ph.length, origLen: e.len });
    out += ph;
    last = e.at + e.len;
  }
  out += sql.slice(last);
  return {
    text: out,
    count: marks.length,
    toOriginal(offset: number): number {
      let delta = 0;
      for (const r of reps) {
        if (offset < r.newStart) break;
        if (offset < r.newStart + r.newLen) return r.origStart;
        delta += r.newLen - r.origLen;
      }
      return offset - delta;
    },
  };
}

/**
 * MySQL / SQLite spelling turned into PostgreSQL's, for a second opinion from PostgreSQL's grammar on
 * a statement node-sql-parser rejected: backtick and bracket identifiers become double-quoted, a
 * backslash-escaped quote in a string a doubled one, `?` parameters `$n`. Same length but for `$n`.
 */
export function toPostgresSpelling(sql: string, dialect: 'mysql' | 'sqlite'): string {
  let out = '';
  const n = sql.length;
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      i = blockCommentEnd(sql, i + 2, false);
      continue;
    }
    if (c === "'") {
      const end = quoteEnd(sql, i + 1, c, dialect === 'mysql');
      if (dialect === 'mysql') {
        out += sql.slice(last, i) + sql.slice(i, end).replace(/\\(.)/g, (m: string, x: string) => (x === "'" ? "''" : m));
        last = end;
      }
      i = end + 1;
      continue;
    }
    if (c === '`' || c === '"' || (c === '[' && dialect === 'sqlite')) {
      const close = c === '[' ? ']' : c;
      const end = quoteEnd(sql, i + 1, close, false);
      out += `${sql.slice(last, i)}"${sql.slice(i + 1, end).replace(/"/g, '""')}"`;
      last = end + 1;
      i = end + 1;
      continue;
    }
    i++;
  }
  out += sql.slice(last);
  return numberQuestionPlaceholders(out)?.text ?? out;
}

/**
 * Spans of template markers in a .sql file that code fills in before running it: `%name%` (listmonk's
 * `%query%`, `%order%`), printf verbs `%s` / `%d` / `%v`, `{{ … }}` and `${…}` (Flyway placeholders,
 * templating). Outside string literals, quoted identifiers and comments.
 */
export function templateMarkers(sql: string): Span[] {
  const out: Span[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    const skip = inertEnd(sql, i, { quotes: '\'"`', postgres: false });
    if (skip >= 0) {
      i = skip;
      continue;
    }
    let m: RegExpExecArray | null = null;
    if (c === '%') m = /^%(?:[A-Za-z_][A-Za-z0-9_]*%|[sdv](?![A-Za-z0-9_]))/.exec(sql.slice(i, i + 66));
    else if (c === '{' && sql[i + 1] === '{') m = /^\{\{[^}\n]{0,200}\}\}/.exec(sql.slice(i, i + 206));
    else if (c === '$' && sql[i + 1] === '{') m = /^\$\{[^}\n]{0,200}\}/.exec(sql.slice(i, i + 205));
    if (m) {
      out.push({ start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    i++;
  }
  return out;
}
