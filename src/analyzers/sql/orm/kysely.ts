/**
 * Kysely query builders as OrmQuery: `db.selectFrom('person as p').where('p.age', '>', 18)
 * .orderBy('created_at', 'desc').limit(10).execute()`, `updateTable(t).set(…).where(…)`,
 * `deleteFrom(t).where(…)`. The root object can be anything (`db`, `trx`, `this.db`,
 * `kyselyPrisma.$kysely`): the start method names the query.
 *
 * A Kysely builder is not a promise: a query runs at `.execute()` / `.executeTakeFirst()` /
 * `.executeTakeFirstOrThrow()` / `.stream()`. A chain without one is a builder (kept, passed on, or a
 * subquery) and is reported only where a chain extending it runs. Where callbacks are read when they
 * only compare (`({ eb, or }) => or([eb('a', '=', 1), eb('b', '=', 2)])`); anything else skips the query.
 */
import { isFunction, memberPath, propName, spanOf, unwrap, type Node } from '../../../lang/javascript/ast.js';
import type { OrmCondition, OrmFieldCondition } from './model.js';
import {
  Skip, column, comparison, extractBuilderQueries, literalText, newState, orderItem, pushCondition, pushOr, str, tableRef,
  type BuilderOptions, type BuilderQuery, type Ctx, type Lib, type Link, type State,
} from './builder-chain.js';

const STARTS: Record<string, BuilderQuery['operation'] | 'insert'> = {
  selectFrom: 'select', updateTable: 'update', deleteFrom: 'delete', insertInto: 'insert', replaceInto: 'insert', mergeInto: 'insert',
};
const BEFORE_START = new Set(['withSchema', 'withPlugin', 'withoutPlugins']);
const JOINS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin', 'innerJoinLateral', 'leftJoinLateral', 'crossJoinLateral']);
const RUN = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream']);
/** Methods that change neither the rows' filter, order nor bound. */
const NEUTRAL = new Set([
  'select', 'selectAll', 'distinct', 'distinctOn', 'offset', 'groupBy', 'having', 'set', 'values', 'returning', 'returningAll',
  'clearSelect', 'clearLimit', 'clearOffset', 'clearGroupBy', 'modifyEnd', 'modifyFront', 'forUpdate', 'forShare', 'forNoKeyUpdate',
  'forKeyShare', 'skipLocked', 'noWait', '$narrowType', '$castTo', '$assertType', '$notNull', 'onConflict', 'onDuplicateKeyUpdate',
  'ignore', 'output', 'explain', 'compile',
]);

export const kysely: Lib & { needsRun: true } = {
  orm: 'kysely',
  needsRun: true,
  callbackMethods: new Set(['execute']),
  mayHave: (text) => /\.\s*(?:selectFrom|updateTable|deleteFrom)\s*\(/.test(text),
  relevant: (_base, links) => links.some((l) => l.method in STARTS || RUN.has(l.method) || l.method === 'where'),
  start(base: Node, links: Link[], ctx: Ctx) {
    const i = links.findIndex((l) => !BEFORE_START.has(l.method));
    const first = links[i];
    if (!first || !(first.method in STARTS)) return undefined;
    const path = memberPath(base);
    if (!path || path[path.length - 1].endsWith(')')) return undefined;
    const arg = unwrap(first.args[0]);
    let tables: string[];
    if (arg?.type === 'ArrayExpression') tables = (arg.elements as Node[]).map((e) => str(e, ctx.consts) ?? '');
    else {
      const s = str(arg, ctx.consts);
      if (s === undefined) throw new Skip(`${first.method} of something other than a table name`);
      tables = [s];
    }
    const refs = tables.map(tableRef);
    if (!refs.length || refs.some((r) => !r)) throw new Skip(`${first.method}: table not read`);
    const main = refs[0]!;
    const nameSpan = { start: first.prop.start, end: first.call.end };
    const op = STARTS[first.method];
    const st = newState(main.table, main.alias, first.method, nameSpan, op === 'insert' ? 'select' : (op));
    if (op === 'insert') st.insert = true;
    for (const r of refs.slice(1)) addJoin(st, r!.table, r!.alias, nameSpan);
    return { state: st, next: i + 1 };
  },
  apply(st: State, link: Link, ctx: Ctx) {
    const m = link.method;
    const span = { start: link.prop.start, end: link.call.end };
    if (m === 'where' || m === 'orWhere') {
      const conds = whereArgs(link, st, ctx);
      if (m === 'orWhere') pushOr(st, conds, span);
      else pushCondition(st, conds);
    } else if (JOINS.has(m)) {
      const s = str(link.args[0], ctx.consts);
      const r = s !== undefined ? tableRef(s) : undefined;
      // A join to a subquery adds no table this query's columns name (a column qualified by it skips the query).
      if (r) addJoin(st, r.table, r.alias, span);
    } else if (m === 'orderBy') {
      const a = unwrap(link.args[0]);
      if (a?.type === 'ArrayExpression') for (const e of a.elements as Node[]) orderItem(st, str(e, ctx.consts), undefined, spanOf(e));
      else orderItem(st, str(a, ctx.consts), str(link.args[1], ctx.consts), span);
    } else if (m === 'clearOrderBy') {
      st.orderBy = [];
    } else if (m === 'limit' || m === 'top') {
      if (!st.conditional) st.limited = true;
    } else if (RUN.has(m)) {
      st.runs = true;
      if (m !== 'execute' && m !== 'stream') st.limited = true;
    } else if (m === 'as') {
      st.subquery = true;
    } else if (!NEUTRAL.has(m)) {
      throw new Skip(`${m}() not followed`);
    }
  },
};

function addJoin(st: State, table: string, alias: string | undefined, span: { start: number; end: number }): void {
  st.joined.set(alias ?? table, table);
  st.joins.push({ relation: table, span });
}

function whereArgs(link: Link, st: State, ctx: Ctx): OrmCondition[] {
  const [a, b, c] = link.args;
  const span = spanOf(link.call);
  const fn = unwrap(a);
  if (link.args.length === 1 && fn && isFunction(fn)) return expressionCallback(fn, st, ctx, span);
  if (link.args.length !== 3) throw new Skip('where() form not followed');
  const col = str(a, ctx.consts);
  const op = str(b, ctx.consts);
  if (col === undefined || op === undefined) throw new Skip('where() on an expression');
  return [comparison(col, op, c, { start: link.prop.start, end: link.call.end }, st)];
}

interface EbNames {
  eb: Set<string>;
  or: Set<string>;
  and: Set<string>;
}

/** `(eb) => eb.or([...])`, `({ eb, or, and }) => or([eb(a, op, b), …])`: only comparisons, ANDs and ORs. */
function expressionCallback(fn: Node, st: State, ctx: Ctx, span: { start: number; end: number }): OrmCondition[] {
  const params = fn.params as Node[];
  if (params.length !== 1) throw new Skip('where callback form not followed');
  const names: EbNames = { eb: new Set(), or: new Set(), and: new Set() };
  const p = params[0];
  if (p.type === 'Identifier') names.eb.add(p.name as string);
  else if (p.type === 'ObjectPattern') {
    for (const prop of p.properties as Node[]) {
      const key = prop.type === 'ObjectProperty' ? propName(prop.key as Node, prop.computed as boolean) : undefined;
      const local = prop.type === 'ObjectProperty' && (prop.value as Node).type === 'Identifier' ? ((prop.value as Node).name as string) : undefined;
      if (!key || !local) continue;
      if (key === 'eb' || key === 'cmpr') names.eb.add(local);
      else if (key === 'or') names.or.add(local);
      else if (key === 'and') names.and.add(local);
    }
  } else throw new Skip('where callback parameter not followed');
  let body = fn.body as Node;
  if (body.type === 'BlockStatement') {
    const stmts = body.body as Node[];
    if (stmts.length !== 1 || stmts[0].type !== 'ReturnStatement' || !stmts[0].argument) throw new Skip('where callback does more than compare');
    body = stmts[0].argument as Node;
  }
  const out = expression(body, names, st, ctx, 0);
  if (!out) throw new Skip('where callback does more than compare');
  void span;
  return out;
}

/** The role of a callee in a where callback: `eb(…)`, `or(…)` / `eb.or(…)`, `and(…)` / `eb.and(…)`. */
function role(callee: Node | undefined, names: EbNames): 'eb' | 'or' | 'and' | undefined {
  const c = unwrap(callee);
  if (c?.type === 'Identifier') {
    const n = c.name as string;
    return names.eb.has(n) ? 'eb' : names.or.has(n) ? 'or' : names.and.has(n) ? 'and' : undefined;
  }
  const path = memberPath(c);
  if (path?.length === 2 && names.eb.has(path[0])) {
    if (path[1] === 'or' || path[1] === 'and') return path[1];
    if (path[1] === 'eb' || path[1] === 'cmpr') return 'eb';
  }
  return undefined;
}

function expression(n: Node | undefined, names: EbNames, st: State, ctx: Ctx, depth: number): OrmCondition[] | undefined {
  const e = unwrap(n);
  if (!e || depth > 20 || (e.type !== 'CallExpression' && e.type !== 'OptionalCallExpression')) return undefined;
  const r = role(e.callee as Node, names);
  const args = e.arguments as Node[];
  const span = spanOf(e);
  if (r === 'eb') {
    if (args.length !== 3) return undefined;
    const col = str(args[0], ctx.consts);
    const op = str(args[1], ctx.consts);
    if (col === undefined || op === undefined) return undefined;
    return [comparison(col, op, args[2], span, st)];
  }
  if (r === 'or' || r === 'and') {
    const arg = unwrap(args[0]);
    if (args.length !== 1 || !arg) return undefined;
    let parts: OrmCondition[][];
    if (arg.type === 'ArrayExpression') {
      parts = [];
      for (const item of arg.elements as Node[]) {
        const c = expression(item, names, st, ctx, depth + 1);
        if (!c) return undefined;
        parts.push(c);
      }
    } else if (arg.type === 'ObjectExpression') {
      parts = [];
      for (const p of arg.properties as Node[]) {
        const key = p.type === 'ObjectProperty' ? propName(p.key as Node, p.computed as boolean) ?? (p.computed ? str(p.key as Node, ctx.consts) : undefined) : undefined;
        const col = key !== undefined ? column(key, st) : undefined;
        if (!col) return undefined;
        const v = unwrap(p.value as Node);
        const cond: OrmFieldCondition = { field: col.field, via: col.via, op: 'eq', span: spanOf(p) };
        const lit = v?.type === 'NullLiteral' ? 'null' : literalText(v);
        if (lit) cond.value = lit;
        parts.push([cond]);
      }
    } else return undefined;
    if (r === 'and' || parts.length === 1) return parts.flat();
    return parts.length ? [{ or: parts, span }] : [];
  }
  return undefined;
}

export function extractKyselyQueries(path: string, text: string, opts?: BuilderOptions): BuilderQuery[] {
  return extractBuilderQueries(kysely, path, text, opts);
}
