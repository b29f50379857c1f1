/**
 * The shape of one SELECT as the evidence and translation tests compare it: the table it reads, the
 * columns of its WHERE (with the class of each comparison), its ORDER BY and whether it has a LIMIT.
 * Independent of the analyzer's own SQL parser on purpose (it checks what the analyzer infers): a
 * linear scan over tokens, for the SQL that ORMs and query builders emit (quoted or bare identifiers,
 * `$1` / `?` / `%s` placeholders, literals). A sub-select inside parentheses is skipped.
 */

export type OpClass = 'eq' | 'in' | 'range' | 'like-prefix' | 'like-other' | 'ilike' | 'is-null' | 'is-not-null' | 'other';

export interface ShapeCondition {
  /** Lower-case column name (the last part of a qualified name). */
  column: string;
  /** The qualifier when written (`"orders"."tenant_id"` → orders), lower-case. */
  table?: string;
  op: OpClass;
}

export interface SqlShape {
  /** The first table of FROM (or of UPDATE / DELETE FROM), lower-case. */
  table?: string;
  where: ShapeCondition[];
  orderBy: { column: string; table?: string; desc: boolean }[];
  limit: boolean;
}

type Tok = { t: 'id' | 'word' | 'str' | 'param' | 'num' | 'op'; v: string };

const KEYWORDS = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'is', 'null', 'like', 'ilike', 'between', 'order', 'by', 'group', 'having',
  'limit', 'offset', 'asc', 'desc', 'nulls', 'first', 'last', 'join', 'inner', 'left', 'right', 'outer', 'full', 'cross', 'on',
  'as', 'distinct', 'true', 'false', 'update', 'set', 'delete', 'returning', 'exists', 'escape', 'any', 'all', 'fetch', 'next', 'rows', 'only',
]);

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < n) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) { v += c; j += 2; continue; }
          break;
        }
        v += sql[j++];
      }
      out.push({ t: c === "'" ? 'str' : 'id', v });
      i = j + 1;
      continue;
    }
    if (c === '$' && /\d/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < n && /\d/.test(sql[j])) j++;
      out.push({ t: 'param', v: sql.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '?') { out.push({ t: 'param', v: '?' }); i++; continue; }
    if (c === '%' && sql[i + 1] === 's') { out.push({ t: 'param', v: '%s' }); i += 2; continue; }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(sql[j])) j++;
      const v = sql.slice(i, j);
      out.push({ t: KEYWORDS.has(v.toLowerCase()) ? 'word' : 'id', v: KEYWORDS.has(v.toLowerCase()) ? v.toLowerCase() : v });
      i = j;
      continue;
    }
    if (/\d/.test(c)) {
      let j = i + 1;
      while (j < n && /[\d.]/.test(sql[j])) j++;
      out.push({ t: 'num', v: sql.slice(i, j) });
      i = j;
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (['>=', '<=', '<>', '!=', '::'].includes(two)) { out.push({ t: 'op', v: two }); i += 2; continue; }
    out.push({ t: 'op', v: c });
    i++;
  }
  return out;
}

/** A (possibly qualified) identifier at `i`: its parts and the index after it. */
function qualified(toks: Tok[], i: number): { parts: string[]; next: number } | undefined {
  if (toks[i]?.t !== 'id') return undefined;
  const parts = [toks[i].v];
  let j = i + 1;
  while (toks[j]?.v === '.' && toks[j + 1]?.t === 'id') {
    parts.push(toks[j + 1].v);
    j += 2;
  }
  return { parts, next: j };
}

/** The class of `LIKE <pattern>`: a literal (or a placeholder whose value `params` gives) without a leading wildcard is a prefix. */
function likeClass(tok: Tok | undefined, params: readonly unknown[]): OpClass {
  let pattern: unknown;
  if (tok?.t === 'str') pattern = tok.v;
  else if (tok?.t === 'param' && tok.v.startsWith('$')) pattern = params[Number(tok.v.slice(1)) - 1];
  if (typeof pattern !== 'string') return 'like-other';
  return pattern.length > 0 && pattern[0] !== '%' && pattern[0] !== '_' ? 'like-prefix' : 'like-other';
}

/** The shape of `sql`; `params` (the values of $1, $2…) tell a LIKE prefix from a contains. */
export function sqlShape(sql: string, params: readonly unknown[] = []): SqlShape {
  const toks = tokenize(sql);
  const shape: SqlShape = { where: [], orderBy: [], limit: false };
  let clause = '';
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    // A sub-select: skipped whole.
    if (t.v === '(' && toks[i + 1]?.v === 'select') {
      let depth = 0;
      for (; i < toks.length; i++) {
        if (toks[i].v === '(') depth++;
        else if (toks[i].v === ')' && --depth === 0) break;
      }
      continue;
    }
    if (t.t === 'word') {
      if (['select', 'from', 'where', 'order', 'group', 'having', 'limit', 'offset', 'on', 'join', 'set', 'returning', 'update', 'delete'].includes(t.v)) {
        clause = t.v;
        if (t.v === 'limit' || t.v === 'fetch') shape.limit = true;
      }
      continue;
    }
    if (t.t !== 'id') continue;
    const q = qualified(toks, i);
    if (!q) continue;
    // A cast's type (x::text) is not a column.
    if (toks[i - 1]?.v === '::') {
      i = q.next - 1;
      continue;
    }
    // A function call (lower(x)): its name is not a column.
    if (toks[q.next]?.v === '(') continue;
    const column = q.parts[q.parts.length - 1].toLowerCase();
    const table = q.parts.length > 1 ? q.parts[q.parts.length - 2].toLowerCase() : undefined;
    if ((clause === 'from' || clause === 'update' || clause === 'delete') && shape.table === undefined) {
      shape.table = column;
      i = q.next - 1;
      continue;
    }
    if (clause === 'where') {
      let j = q.next;
      while (toks[j]?.v === '::' && toks[j + 1]) j += 2; // "email"::text
      const a = toks[j];
      const b = toks[j + 1];
      let op: OpClass = 'other';
      if (a?.v === '=') op = 'eq';
      else if (a?.v === 'in') op = 'in';
      else if (a?.v === 'between' || a?.v === '>' || a?.v === '>=' || a?.v === '<' || a?.v === '<=') op = 'range';
      else if (a?.v === 'like') op = likeClass(b, params);
      else if (a?.v === 'ilike') op = 'ilike';
      else if (a?.v === 'is' && b?.v === 'null') op = 'is-null';
      else if (a?.v === 'is' && b?.v === 'not' && toks[j + 2]?.v === 'null') op = 'is-not-null';
      // The right-hand side of a comparison (a = b.c) is not a condition of its own.
      const prev = toks[i - 1];
      if (!(prev && (prev.t === 'op' && ['=', '<', '>', '<=', '>=', '<>', '!='].includes(prev.v)))) shape.where.push({ column, ...(table ? { table } : {}), op });
      i = q.next - 1;
      continue;
    }
    if (clause === 'order') {
      let j = q.next;
      const desc = toks[j]?.v === 'desc';
      if (toks[j]?.v === 'asc' || desc) j++;
      shape.orderBy.push({ column, ...(table ? { table } : {}), desc });
      i = j - 1;
    }
  }
  return shape;
}
