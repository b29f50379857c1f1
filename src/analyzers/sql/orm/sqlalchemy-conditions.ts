/**
 * SQLAlchemy filter expressions over Python tokens → OrmCondition: `User.email == x`, `!=`, `<`…,
 * reversed operands (`x < User.age`), column methods (`.in_()`, `.not_in()`, `.is_(None)`, `.isnot()`,
 * `.like()`, `.ilike()`, `.startswith()`, `.between()`…), a bare boolean column (`User.active`),
 * `and_()` / `or_()` / `not_()`, `&` / `|` / `~`, and `filter_by(email=x)` keywords. A column is
 * `Model.attr` (the query's model, `cls` in its class, or another model: `via` names that model), a
 * function over one (`func.lower(User.email)`) is a comparison no plain index serves. Anything else
 * (`text(...)`, a variable holding conditions, a comparison of two columns, `.any()` / `.has()`)
 * makes the whole filter unreadable: the caller skips the call. Values are placeholders; literal
 * constants are recorded. Never throws (returns a reason instead).
 */
import type { Span } from '../types.js';
import type { OrmCondition, OrmFieldCondition, SqlOp } from './model.js';
import type { Token } from '../../../lang/python/tokenize.js';

export interface ConditionContext {
  tokens: Token[];
  closeOf: Int32Array;
  /** The model the query reads (`User` in `session.query(User)`). */
  model: string;
  /** The class a `cls.attr` names (the enclosing class). */
  cls?: string;
}

export type ConditionRead = { conds: OrmCondition[] } | { skip: string };

const MAX_DEPTH = 60;
const COMPARE: Record<string, { op: OrmFieldCondition['op']; sqlOp?: SqlOp; flip: string }> = {
  '==': { op: 'eq', flip: '==' },
  '!=': { op: 'other', sqlOp: '<>', flip: '!=' },
  '<': { op: 'range', sqlOp: '<', flip: '>' },
  '<=': { op: 'range', sqlOp: '<=', flip: '>=' },
  '>': { op: 'range', sqlOp: '>', flip: '<' },
  '>=': { op: 'range', sqlOp: '>=', flip: '<=' },
};
const FUNCS_AND = new Set(['and_']);
const FUNCS_OR = new Set(['or_']);
const FUNCS_NOT = new Set(['not_']);
/** Functions over a column: the comparison is on an expression (no plain index serves it). */
const COLUMN_FUNCS = new Set(['lower', 'upper', 'date', 'trim', 'coalesce', 'cast', 'extract', 'date_trunc', 'length', 'abs']);

class Unreadable extends Error {}

const span = (t: Token[], a: number, b: number): Span => ({ start: t[a].start, end: t[Math.max(a, b - 1)].end });

/** The conditions of a filter-like call's positional arguments (each [from, to) of tokens), ANDed. */
export function readConditions(ctx: ConditionContext, args: { from: number; to: number }[]): ConditionRead {
  try {
    const out: OrmCondition[] = [];
    for (const a of args) out.push(...expr(ctx, a.from, a.to, 0));
    return { conds: out };
  } catch (e) {
    if (e instanceof Unreadable) return { skip: e.message };
    return { skip: `filter not read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** `filter_by(email=x, team_id=t)`: one equality per keyword (the value's tokens [from, to)). */
export function keywordCondition(ctx: ConditionContext, name: string, nameAt: number, from: number, to: number): OrmFieldCondition {
  const c: OrmFieldCondition = { field: name, via: [], op: 'eq', span: span(ctx.tokens, nameAt, to) };
  const v = literal(ctx.tokens, from, to);
  if (v !== undefined) c.value = v;
  return c;
}

function expr(ctx: ConditionContext, a: number, b: number, depth: number): OrmCondition[] {
  const t = ctx.tokens;
  if (a >= b) throw new Unreadable('empty condition');
  if (depth > MAX_DEPTH) throw new Unreadable('condition nested too deeply');
  if (t[a].value === '(' && ctx.closeOf[a] === b - 1) return expr(ctx, a + 1, b - 1, depth + 1);
  if (t[a].value === '*' || t[a].value === '**') throw new Unreadable('conditions built elsewhere (*args)');
  const d = t[a].depth;
  const at = (value: string): number[] => {
    const out: number[] = [];
    for (let j = a; j < b; j++) if (t[j].type === 'op' && t[j].value === value && t[j].depth === d) out.push(j);
    return out;
  };
  const ors = at('|');
  if (ors.length) return [{ or: splitAt(a, b, ors).map(([x, y]) => expr(ctx, x, y, depth + 1)), span: span(t, a, b) }];
  const ands = at('&');
  if (ands.length) return splitAt(a, b, ands).flatMap(([x, y]) => expr(ctx, x, y, depth + 1));
  if (t[a].value === '~') return expr(ctx, a + 1, b, depth + 1).map(negated);
  if (t[a].type === 'name' && (t[a].value === 'not' || t[a].value === 'and' || t[a].value === 'or')) throw new Unreadable('a Python boolean operator in a filter');
  // and_(...), or_(...), not_(...), sa.and_(...)
  const fn = calledFunction(ctx, a, b);
  if (fn) {
    const parts = argRanges(ctx, fn.open, fn.close);
    if (FUNCS_AND.has(fn.name)) return parts.flatMap(([x, y]) => expr(ctx, x, y, depth + 1));
    if (FUNCS_OR.has(fn.name)) {
      if (!parts.length) throw new Unreadable('or_() without conditions');
      return [{ or: parts.map(([x, y]) => expr(ctx, x, y, depth + 1)), span: span(t, a, b) }];
    }
    if (FUNCS_NOT.has(fn.name) && parts.length === 1) return expr(ctx, parts[0][0], parts[0][1], depth + 1).map(negated);
  }
  for (let j = a; j < b; j++) {
    if (t[j].depth !== d) continue;
    if (t[j].type === 'name' && (t[j].value === 'is' || t[j].value === 'in' || t[j].value === 'and' || t[j].value === 'or' || t[j].value === 'if')) throw new Unreadable(`Python \`${t[j].value}\` in a filter`);
    const cmp = t[j].type === 'op' ? COMPARE[t[j].value] : undefined;
    if (!cmp) continue;
    const left = column(ctx, a, j);
    const right = column(ctx, j + 1, b);
    if (left && right) throw new Unreadable('a comparison of two columns (a join condition)');
    const col = left ?? right;
    if (!col) throw new Unreadable('a comparison without a model column');
    const c = COMPARE[left ? t[j].value : COMPARE[t[j].value].flip];
    const [vf, vt] = left ? [j + 1, b] : [a, j];
    const v = literal(t, vf, vt);
    const cond: OrmFieldCondition = { field: col.field, via: col.via, op: col.fn ? 'other' : c.op, span: span(t, a, b) };
    if (c.sqlOp && !col.fn) cond.sqlOp = c.sqlOp;
    if (v === 'null') {
      if (t[j].value === '==') return [{ ...cond, op: 'eq', value: 'null' }];
      if (t[j].value === '!=') return [{ field: cond.field, via: cond.via, span: cond.span, op: 'other', value: 'not-null' }];
    }
    if (v !== undefined && t[j].value === '==' && !col.fn) cond.value = v;
    if (col.method) throw new Unreadable(`.${col.method}() compared`);
    return [cond];
  }
  // a column alone, or a column method: User.active, User.email.in_(xs), User.name.like('a%')
  const col = column(ctx, a, b);
  if (!col) throw new Unreadable('filter argument not a condition on a model column');
  const cond: OrmFieldCondition = { field: col.field, via: col.via, op: 'other', span: span(t, a, b) };
  if (col.fn && !col.method) return [cond];
  if (!col.method) return [{ ...cond, op: 'eq', value: 'true' }];
  const m = col.method;
  const arg = col.args[0];
  const argLit = arg ? literal(t, arg[0], arg[1]) : undefined;
  switch (m) {
    case 'in_':
      return [{ ...cond, op: col.fn ? 'other' : 'eq', ...(col.fn ? {} : { sqlOp: 'IN' as const }) }];
    case 'not_in':
    case 'notin_':
      return [{ ...cond, sqlOp: 'NOT IN' }];
    case 'is_':
      if (argLit === 'null') return [{ ...cond, op: 'eq', value: 'null' }];
      if (argLit === 'true' || argLit === 'false') return [{ ...cond, op: 'eq', value: argLit }];
      return [cond];
    case 'isnot':
    case 'is_not':
      if (argLit === 'null') return [{ ...cond, value: 'not-null' }];
      return [cond];
    case 'like':
    case 'ilike': {
      const pattern = arg && t[arg[0]].type === 'string' && arg[1] === arg[0] + 1 ? argLit : undefined;
      const prefix = pattern !== undefined && /^'[^%_]/.test(pattern);
      return [{ ...cond, op: prefix && !col.fn ? 'prefix' : 'other', ...(m === 'ilike' ? { insensitive: true } : {}) }];
    }
    case 'startswith':
    case 'istartswith':
      return [{ ...cond, op: col.fn ? 'other' : 'prefix', ...(m === 'istartswith' ? { insensitive: true } : {}) }];
    case 'between':
      return [{ ...cond, op: col.fn ? 'other' : 'range', ...(col.fn ? {} : { sqlOp: 'BETWEEN' as const }) }];
    case 'endswith':
    case 'iendswith':
    case 'contains':
    case 'icontains':
    case 'notlike':
    case 'not_like':
    case 'notilike':
    case 'not_ilike':
    case 'match':
    case 'regexp_match':
    case 'op':
      return [{ ...cond, ...(m.includes('ilike') || m.startsWith('i') ? { insensitive: true } : {}) }];
    default:
      throw new Unreadable(`column method .${m}() not followed`);
  }
}

function splitAt(a: number, b: number, at: number[]): [number, number][] {
  const out: [number, number][] = [];
  let x = a;
  for (const j of [...at, b]) {
    out.push([x, j]);
    x = j + 1;
  }
  return out;
}

/** `name(...)` / `a.b.name(...)` spanning [a, b) exactly: its last name and brackets. */
function calledFunction(ctx: ConditionContext, a: number, b: number): { name: string; open: number; close: number } | undefined {
  const t = ctx.tokens;
  let p = a;
  if (t[p]?.type !== 'name') return undefined;
  while (t[p + 1]?.value === '.' && t[p + 2]?.type === 'name' && p + 2 < b) p += 2;
  if (t[p + 1]?.value !== '(' || ctx.closeOf[p + 1] !== b - 1) return undefined;
  return { name: t[p].value, open: p + 1, close: b - 1 };
}

/** The comma-separated argument ranges between brackets. */
export function argRanges(ctx: { tokens: Token[] }, open: number, close: number): [number, number][] {
  const t = ctx.tokens;
  const d = t[open].depth + 1;
  const out: [number, number][] = [];
  let x = open + 1;
  for (let j = open + 1; j <= close; j++) {
    if (j < close && !(t[j].value === ',' && t[j].depth === d)) continue;
    if (j > x) out.push([x, j]);
    x = j + 1;
  }
  return out;
}

interface ColumnRef {
  field: string;
  via: string[];
  /** A function over the column (`func.lower(User.email)`), or a JSON subscript. */
  fn?: boolean;
  method?: string;
  args: [number, number][];
}

/** `Model.attr` (with an optional method call, subscript or `func.x(…)` around it) spanning [a, b) exactly. */
function column(ctx: ConditionContext, a: number, b: number, depth = 0): ColumnRef | undefined {
  const t = ctx.tokens;
  if (a >= b || depth > 8) return undefined;
  if (t[a].value === '(' && ctx.closeOf[a] === b - 1) return column(ctx, a + 1, b - 1, depth + 1);
  // func.lower(User.email) / cast(User.x, String) / lower(User.email)
  const fn = calledFunction(ctx, a, b);
  if (fn && (t[a].value === 'func' || COLUMN_FUNCS.has(fn.name))) {
    const parts = argRanges(ctx, fn.open, fn.close);
    const inner = parts.length ? column(ctx, parts[0][0], parts[0][1], depth + 1) : undefined;
    return inner && !inner.method ? { ...inner, fn: true } : undefined;
  }
  a = skipModules(t, a, b);
  const m = t[a];
  if (m.type !== 'name' || t[a + 1]?.value !== '.' || t[a + 2]?.type !== 'name') return undefined;
  let model: string;
  if (m.value === 'cls' && ctx.cls) model = ctx.cls;
  else if (/^[A-Z]/.test(m.value)) model = m.value;
  else return undefined;
  const field = t[a + 2].value;
  if (field === 'query' || field === 'c' || field === '__table__' || field === 'id_' || /^[A-Z]/.test(field)) return undefined;
  const ref: ColumnRef = { field, via: model === ctx.model ? [] : [model], args: [] };
  let p = a + 3;
  for (let g = 0; g < 8 && p < b; g++) {
    if (t[p].value === '[' && ctx.closeOf[p] > p) {
      ref.fn = true;
      p = ctx.closeOf[p] + 1;
      continue;
    }
    if (t[p].value === '.' && t[p + 1]?.type === 'name') {
      const nm = t[p + 1].value;
      if (t[p + 2]?.value === '(' && ctx.closeOf[p + 2] > 0) {
        if (ref.method) return undefined;
        if (nm === 'any' || nm === 'has') return undefined;
        ref.method = nm;
        ref.args = argRanges(ctx, p + 2, ctx.closeOf[p + 2]);
        p = ctx.closeOf[p + 2] + 1;
        continue;
      }
      // JSON accessors: User.data['k'].astext
      if (ref.fn && /^(?:astext|as_string|as_integer|as_float|as_boolean)$/.test(nm)) {
        p += 2;
        continue;
      }
      return undefined;
    }
    return undefined;
  }
  return p === b ? ref : undefined;
}

/** A literal constant's text (`'a'`, `5`, `true`, `null`), or undefined for anything else. */
export function literal(t: Token[], a: number, b: number): string | undefined {
  if (b !== a + 1) {
    if (b === a + 2 && t[a].value === '-' && t[a + 1].type === 'number') return `-${t[a + 1].value}`;
    return undefined;
  }
  const x = t[a];
  if (x.type === 'number') return x.value;
  if (x.type === 'name') return x.value === 'None' ? 'null' : x.value === 'True' ? 'true' : x.value === 'False' ? 'false' : undefined;
  if (x.type === 'string' && !/^[rRbBuU]?[fF]|^[fF]/.test(x.value)) {
    const m = /^[rRbBuU]{0,2}('''|"""|'|")/.exec(x.value);
    if (!m) return undefined;
    const body = x.value.slice(m[0].length, x.value.length - m[1].length);
    return `'${body.replace(/'/g, "''")}'`;
  }
  return undefined;
}

function negated(c: OrmCondition): OrmCondition {
  if ('or' in c) return { ...c, or: c.or.map((b) => b.map(negated)) };
  if (c.value === 'true') return { ...c, value: 'false' };
  if (c.value === 'null') return { ...c, op: 'other', value: 'not-null' };
  const { value: _value, ...rest } = c;
  return { ...rest, op: 'other', ...(c.sqlOp ? { sqlOp: c.sqlOp === 'IN' ? 'NOT IN' as const : c.sqlOp } : {}) };
}

/** `models.User.email`: the module names before a model class (lower-case names, then a capitalized one). */
export function skipModules(t: Token[], a: number, b: number): number {
  let p = a;
  for (let g = 0; g < 4 && p + 2 < b && t[p].type === 'name' && /^[a-z_]/.test(t[p].value) && t[p].value !== 'cls' && t[p].value !== 'self' && t[p + 1].value === '.' && t[p + 2].type === 'name'; g++) {
    if (/^[A-Z]/.test(t[p + 2].value)) return p + 2;
    p += 2;
  }
  return a;
}
