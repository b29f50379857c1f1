/**
 * knex query builders as OrmQuery: `knex('users').where({ email, team_id: 3 }).first()`,
 * `.where('age', '>', 18)`, `.whereIn / whereNull / whereNot / orWhere`, `.orderBy`, `.limit`,
 * `.join('teams', …)`, `.update(…)`, `.del()`, `.count()`, and `knex.select('a').from('users')`.
 *
 * Which callees are knex (precision first: anything else is not read):
 * - a name `knex`, `db` or `trx`, or a member ending in one (`this.knex`, `ctx.db`);
 * - a name declared with the type `Knex` / `Knex.Transaction` (a parameter `transaction?: Knex`);
 * - a name bound in the same file to `knex(config)` / `require('knex')(config)` / `Knex(config)` /
 *   `await knex.transaction()`, or to a choice between knex callees (`const dbActor = trx ?? this.knex`);
 * - the parameter of a `.transaction((trx) => …)` callback on a knex callee.
 * A knex builder is thenable: an awaited or returned chain runs; a chain kept in a variable is read
 * where it is extended. Table and column names may be string constants (`knex(TableUser)
 * .where(FieldNameUser.id, id)`): the file's own are read, others come from the caller (BuilderOptions.constants).
 */
import { isCall, isFunction, memberPath, propName, spanOf, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import type { OrmCondition, OrmFieldCondition } from './model.js';
import {
  Skip, column, comparison, extractBuilderQueries, literalText, newState, orderItem, pushCondition, pushOr, str, tableRef,
  type BuilderOptions, type BuilderQuery, type Ctx, type Lib, type Link, type State,
} from './builder-chain.js';

const KNEX_NAMES = new Set(['knex', 'db', 'trx']);
const FACTORIES = new Set(['knex', 'Knex', 'require(knex)']);
const FROM = new Set(['from', 'table', 'into']);
const JOINS = new Set(['join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'fullOuterJoin', 'crossJoin']);
const OPS: Record<string, BuilderQuery['operation']> = {
  update: 'update', increment: 'update', decrement: 'update', del: 'delete', delete: 'delete',
  count: 'count', countDistinct: 'count', min: 'aggregate', max: 'aggregate', sum: 'aggregate', sumDistinct: 'aggregate', avg: 'aggregate', avgDistinct: 'aggregate',
};
const NEUTRAL = new Set([
  'select', 'column', 'columns', 'distinct', 'distinctOn', 'offset', 'groupBy', 'having', 'returning', 'forUpdate', 'forShare', 'forNoKeyUpdate',
  'forKeyShare', 'skipLocked', 'noWait', 'timeout', 'clone', 'then', 'catch', 'finally', 'transacting', 'options', 'debug', 'pluck',
  'withSchema', 'toSQL', 'toString', 'clearSelect', 'clearOrder', 'first',
]);
const MAX_TIE_DEPTH = 6;

type Where = 'and' | 'or';

export const knex: Lib = {
  orm: 'knex',
  callbackMethods: new Set(['transaction']),
  mayHave: (text) => /knex|\btrx\b|\bdb\b/i.test(text),
  relevant: (base, links) => isCall(base) || base.type === 'Identifier' || KNEX_NAMES.has(links[0].method) || links.some((l) => FROM.has(l.method)),
  start(base: Node, links: Link[], ctx: Ctx) {
    // `knex('users')`, `trx('users')`, or a member call `this.knex('users')` (flattened as the first link).
    const call = isCall(base) ? base : KNEX_NAMES.has(links[0]?.method) ? links[0].call : undefined;
    if (call) {
      if (!tied(call.callee as Node, ctx, 0)) return undefined;
      const arg = unwrap((call.arguments as Node[])[0]);
      if (!arg || arg.type === 'ObjectExpression' || (call.arguments as Node[]).length !== 1) return undefined;
      const s = str(arg, ctx.consts);
      const r = s !== undefined ? tableRef(s) : undefined;
      if (!r) throw new Skip('table name not read');
      return { state: newState(r.table, r.alias, 'select', spanOf(call)), next: call === base ? 0 : 1 };
    }
    const from = links.find((l) => FROM.has(l.method));
    if (!from || !tied(base, ctx, 0)) return undefined;
    const s = str(from.args[0], ctx.consts);
    const r = s !== undefined && from.args.length === 1 ? tableRef(s) : undefined;
    if (!r) throw new Skip(`${from.method}() of something other than a table name`);
    return { state: newState(r.table, r.alias, 'select', { start: from.prop.start, end: from.call.end }), next: 0 };
  },
  apply(st: State, link: Link, ctx: Ctx) {
    const m = link.method;
    const span = { start: link.prop.start, end: link.call.end };
    const w = whereKind(m);
    if (w) {
      const conds = whereConditions(w.base, link, st, ctx, span);
      if (w.not) negate(conds);
      if (w.join === 'or') pushOr(st, conds, span);
      else pushCondition(st, conds);
    } else if (FROM.has(m)) {
      const s = str(link.args[0], ctx.consts);
      const r = s !== undefined ? tableRef(s) : undefined;
      if (!r || r.table !== st.table) throw new Skip(`${m}() names another table`);
    } else if (JOINS.has(m)) {
      const s = str(link.args[0], ctx.consts);
      const r = s !== undefined ? tableRef(s) : undefined;
      if (r) {
        st.joined.set(r.alias ?? r.table, r.table);
        st.joins.push({ relation: r.table, span });
      }
    } else if (m === 'orderBy') {
      const a = unwrap(link.args[0]);
      if (a?.type === 'ArrayExpression') {
        for (const e of a.elements as Node[]) {
          const u = unwrap(e);
          if (u?.type === 'ObjectExpression') {
            const props = new Map((u.properties as Node[]).map((p) => [p.type === 'ObjectProperty' ? propName(p.key as Node, p.computed as boolean) : undefined, p.value as Node]));
            orderItem(st, str(props.get('column'), ctx.consts), str(props.get('order'), ctx.consts), spanOf(u));
          } else orderItem(st, str(u, ctx.consts), undefined, spanOf(e));
        }
      } else orderItem(st, str(a, ctx.consts), str(link.args[1], ctx.consts), span);
    } else if (m === 'limit') {
      if (!st.conditional) st.limited = true;
    } else if (m === 'first') {
      if (!st.conditional) st.limited = true;
      st.method = 'first';
    } else if (m in OPS) {
      st.operation = OPS[m];
      st.method = m;
    } else if (m === 'insert' || m === 'upsert') {
      st.insert = true;
    } else if (m === 'as') {
      st.subquery = true;
    } else if (!NEUTRAL.has(m) && m !== 'onConflict' && m !== 'merge' && m !== 'ignore') {
      throw new Skip(`${m}() not followed`);
    }
  },
};

/** `orWhereNotIn` → base `whereIn`, or-joined, negated. */
function whereKind(m: string): { base: string; join: Where; not: boolean } | undefined {
  let rest = m;
  let join: Where = 'and';
  if (rest.startsWith('orWhere')) {
    join = 'or';
    rest = rest.slice(2);
  } else if (rest.startsWith('andWhere')) rest = rest.slice(3);
  if (!rest.startsWith('where') && !rest.startsWith('Where')) return undefined;
  rest = `where${rest.slice(5)}`;
  let not = false;
  if (rest.startsWith('whereNot') && rest !== 'whereNotNull') {
    not = true;
    rest = rest === 'whereNot' ? 'where' : `where${rest.slice(8)}`;
  }
  return { base: rest, join, not };
}

function negate(conds: OrmCondition[]): void {
  for (const c of conds) {
    if ('or' in c) throw new Skip('whereNot of a group');
    c.op = 'other';
    c.value = c.value === 'null' ? 'not-null' : undefined;
    if (c.value === undefined) delete c.value;
  }
}

function whereConditions(base: string, link: Link, st: State, ctx: Ctx, span: { start: number; end: number }): OrmCondition[] {
  const args = link.args;
  const col = (): string => {
    const s = str(args[0], ctx.consts);
    if (s === undefined) throw new Skip(`${link.method}() on an expression`);
    return s;
  };
  switch (base) {
    case 'where': {
      const a = unwrap(args[0]);
      if (args.length === 1 && a?.type === 'ObjectExpression') return objectConditions(a, st, ctx);
      if (args.length === 1 && a && isFunction(a)) throw new Skip(`${link.method}() with a grouping callback`);
      if (args.length === 2) return [comparison(col(), '=', args[1], span, st)];
      if (args.length === 3) {
        const op = str(args[1], ctx.consts);
        if (op === undefined) throw new Skip(`${link.method}() operator not read`);
        return [comparison(col(), op, args[2], span, st)];
      }
      throw new Skip(`${link.method}() form not followed`);
    }
    case 'whereIn':
      return [comparison(col(), 'in', args[1], span, st)];
    case 'whereNull':
      return [comparison(col(), 'is', { type: 'NullLiteral', start: 0, end: 0 }, span, st)];
    case 'whereNotNull':
      return [comparison(col(), 'is not', { type: 'NullLiteral', start: 0, end: 0 }, span, st)];
    case 'whereBetween':
      return [comparison(col(), 'between', args[1], span, st)];
    case 'whereLike':
      return [comparison(col(), 'like', args[1], span, st)];
    case 'whereILike':
      return [comparison(col(), 'ilike', args[1], span, st)];
    default:
      throw new Skip(`${link.method}() not followed`);
  }
}

/** `{ email, team_id: 3, [Field.id]: id, deleted_at: null }`: equalities; a spread skips. */
function objectConditions(obj: Node, st: State, ctx: Ctx): OrmCondition[] {
  const out: OrmFieldCondition[] = [];
  for (const p of obj.properties as Node[]) {
    if (p.type !== 'ObjectProperty') throw new Skip('where object with a spread');
    const key = p.computed ? str(p.key as Node, ctx.consts) : propName(p.key as Node);
    const col = key !== undefined ? column(key, st) : undefined;
    if (!col) throw new Skip('where object key not read');
    const v = unwrap(p.value as Node);
    const c: OrmFieldCondition = { field: col.field, via: col.via, op: 'eq', span: spanOf(p) };
    const lit = v?.type === 'NullLiteral' ? 'null' : literalText(v);
    if (lit) c.value = lit;
    out.push(c);
  }
  return out;
}

/** Is the callee a knex instance (see the file comment for the rule)? */
function tied(callee: Node | undefined, ctx: Ctx, depth: number): boolean {
  const c = unwrap(callee);
  if (!c || depth > MAX_TIE_DEPTH) return false;
  if (c.type === 'MemberExpression' || c.type === 'OptionalMemberExpression') {
    const path = memberPath(c);
    return !!path && KNEX_NAMES.has(path[path.length - 1]);
  }
  if (c.type === 'ConditionalExpression') return tied(c.consequent as Node, ctx, depth + 1) && tied(c.alternate as Node, ctx, depth + 1);
  if (c.type === 'LogicalExpression') return tied(c.left as Node, ctx, depth + 1) && tied(c.right as Node, ctx, depth + 1);
  if (c.type !== 'Identifier') return false;
  const name = c.name as string;
  if (KNEX_NAMES.has(name)) return true;
  return boundToKnex(name, c, ctx, depth);
}

function knexType(annotation: Node | undefined): boolean {
  const t = (annotation?.typeAnnotation ?? annotation) as Node | undefined;
  if (!t || t.type !== 'TSTypeReference') return false;
  const path = memberPath(t.typeName as Node) ?? (t.typeName?.type === 'TSQualifiedName' ? [(t.typeName.left as Node).name as string, (t.typeName.right as Node).name as string] : undefined);
  return !!path && path[0] === 'Knex' && (path.length === 1 || path[1] === 'Transaction');
}

/** A name declared (in the functions around the use, or the file) as a knex instance. */
function boundToKnex(name: string, at: Node, ctx: Ctx, depth: number): boolean {
  const anc = ctx.anc;
  for (let i = anc.length - 1; i >= 0; i--) {
    const scope = anc[i];
    if (!isFunction(scope) && scope.type !== 'Program') continue;
    if (isFunction(scope)) {
      const param = (scope.params as Node[]).map((p) => (p.type === 'AssignmentPattern' ? (p.left as Node) : p.type === 'TSParameterProperty' ? (p.parameter as Node) : p)).find((p) => p.type === 'Identifier' && p.name === name);
      if (param) {
        if (knexType(param.typeAnnotation as Node | undefined)) return true;
        // `knex.transaction(async (trx) => …)`
        const parent = anc[i - 1];
        if (parent && isCall(parent) && (scope.params as Node[])[0] === param) {
          const p = memberPath(parent.callee as Node);
          const callee = unwrap(parent.callee as Node);
          if (p?.[p.length - 1] === 'transaction' && callee && (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression')) return tied(callee.object as Node, { ...ctx, anc: anc.slice(0, i - 1) }, depth + 1);
        }
        return false;
      }
    }
    let found: Node | undefined;
    walk(scope, (n) => {
      if (found) return false;
      if (n !== scope && isFunction(n)) return false;
      if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && n.id.name === name && n.start < at.start) found = n;
      return undefined;
    });
    if (!found) continue;
    const d = found;
    if (knexType((d.id as Node).typeAnnotation as Node | undefined)) return true;
    const init = unwrap(d.init as Node | undefined);
    if (!init) return false;
    if (isCall(init)) {
      const p = memberPath(init.callee as Node);
      const head = p?.join('.');
      if (head && FACTORIES.has(head.replace(/^require\(\)$/, ''))) return true;
      const inner = unwrap(init.callee as Node);
      // require('knex')(config)
      if (inner && isCall(inner) && memberPath(inner.callee as Node)?.join('.') === 'require' && str((inner.arguments as Node[])[0], new Map()) === 'knex') return true;
      // await knex.transaction()
      if (p && p[p.length - 1] === 'transaction' && inner && (inner.type === 'MemberExpression' || inner.type === 'OptionalMemberExpression')) return tied(inner.object as Node, { ...ctx, anc: anc.slice(0, i + 1) }, depth + 1);
      return false;
    }
    return tied(init, { ...ctx, anc: anc.slice(0, i + 1) }, depth + 1);
  }
  return false;
}

export function extractKnexQueries(path: string, text: string, opts?: BuilderOptions): BuilderQuery[] {
  return extractBuilderQueries(knex, path, text, opts);
}
