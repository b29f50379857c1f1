/**
 * Drizzle query extractor: builder chains and relational queries → OrmQuery.
 *
 * Builder: `<db>.select(...).from(users)[.innerJoin(t, on)…].where(cond).orderBy(...).limit(n)`
 * (`.get()` returns one row), `<db>.update(users).set({...}).where(cond)`, `<db>.delete(users).where(cond)`,
 * `<db>.$count(users, cond)`. Relational: `<db>.query.users.findMany({ where, orderBy, limit, with })` and
 * `findFirst`; `where` as SQL (`eq(users.x, v)`), a callback `(u, { eq }) => eq(u.x, v)`, or RQB v2's
 * object (`{ email: x, age: { gt: 1 }, OR: [...] }`). The model is the table variable as written
 * (`users`, `schema.users` → `users`).
 *
 * Conditions: `and`, `or`, `not` (no conditions: nothing an index serves), `eq`, `ne`, `gt`/`gte`/`lt`/
 * `lte`/`between`, `inArray`, `notInArray`, `isNull`, `isNotNull`, `like`/`ilike` (prefix when the
 * pattern is a literal without a leading wildcard). Conditions on a joined table go to `joinWhere`.
 * A `sql\`…\`` condition, a spread, or a where not written as operator calls is not followed: the
 * call is skipped. A chain assigned to a variable without being run (`let q = db.select().from(t)`,
 * built further over statements) is skipped as well: its filters are added elsewhere.
 */
import { isCall, isFunction, memberPath, numberValue, objectProps, parseJs, propName, stringValue, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import type { Span } from '../types.js';
import { sqlOpOf, type OrmCondition, type OrmFieldCondition, type OrmOp, type OrmQuery } from './model.js';
import { functionNameOf, loopAround, mentions, inErrorHandler } from './js-context.js';

export interface DrizzleQuery extends OrmQuery {
  orm: 'drizzle';
  /** Conditions on joined tables (`.innerJoin(teams, …).where(eq(teams.ownerId, x))`), by table variable. */
  joinWhere?: { table: string; where: OrmCondition[] }[];
}

export interface DrizzleSkip {
  reason: string;
  span: Span;
}

class Skip extends Error {}

const MAX_DEPTH = 100;
const MAX_CONDITIONS = 200;
const RANGE = new Set(['gt', 'gte', 'lt', 'lte', 'between']);
const OTHER = new Set(['ne', 'notInArray', 'notBetween', 'notLike', 'notIlike', 'arrayContains', 'arrayContained', 'arrayOverlaps']);
const SELECTS = new Set(['select', 'selectDistinct', 'selectDistinctOn']);
/** Methods that run the built query (the chain is not kept to be extended). */
const RUNS = new Set(['get', 'all', 'values', 'run', 'execute', 'then', 'prepare', 'returning', 'catch', 'finally']);
const AGGREGATES = new Set(['count', 'countDistinct', 'sum', 'avg', 'min', 'max', 'sumDistinct', 'avgDistinct']);

const spanOf = (n: Node): Span => ({ start: n.start, end: n.end });

/** A cheap test before parsing. */
export function mayHaveDrizzleQueries(text: string): boolean {
  return /\.(?:select|selectDistinct|selectDistinctOn|update|delete|\$count|findMany|findFirst)\s*[(<]/.test(text);
}

interface Link {
  name: string;
  args: Node[];
  node: Node;
}

/** Extracts Drizzle calls; `skipped` (optional) collects why chains were not followed. Never throws. */
export function extractDrizzleQueries(path: string, text: string, skipped?: DrizzleSkip[]): DrizzleQuery[] {
  const out: DrizzleQuery[] = [];
  try {
    if (!mayHaveDrizzleQueries(text)) return out;
    const parsed = parseJs(path, text);
    if ('error' in parsed) return out;
    walk(parsed.program, (n, anc) => {
      if (!isCall(n)) return;
      // Only the outermost call of a chain.
      const parent = anc[anc.length - 1];
      if (parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === n && isCall(anc[anc.length - 2]) && anc[anc.length - 2].callee === parent) return;
      const chain = chainOf(n);
      if (!chain) return;
      try {
        const q = readChain(chain.links, chain.recv, n, anc);
        if (q) out.push(q);
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        skipped?.push({ reason: e.message, span: spanOf(n) });
      }
    });
  } catch (e) {
    skipped?.push({ reason: `extractor failed: ${String((e as Error)?.message ?? e)}`, span: { start: 0, end: 0 } });
  }
  return out;
}

/** The method calls of a chain from its receiver (`db`, `ctx.db`, `db.query.users`), innermost first. */
function chainOf(call: Node): { recv: string[]; links: Link[] } | undefined {
  const links: Link[] = [];
  let cur: Node | undefined = call;
  for (let guard = 0; cur && guard < MAX_DEPTH; guard++) {
    if (!isCall(cur)) {
      const recv = memberPath(cur);
      if (!recv || recv.some((p) => p.endsWith('()'))) return undefined;
      return { recv, links };
    }
    const callee = unwrap(cur.callee as Node);
    if (!callee || (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') || callee.computed) return undefined;
    const name = propName(callee.property as Node);
    if (!name) return undefined;
    links.unshift({ name, args: cur.arguments as Node[], node: cur });
    cur = unwrap(callee.object as Node);
  }
  return undefined;
}

/** The table variable an argument names: `users`, `schema.users` → `users`. */
function tableVar(n: Node | undefined): string | undefined {
  return tablePath(n)?.split('.').pop();
}

/** The table as written: `users`, `schema.users`. */
function tablePath(n: Node | undefined): string | undefined {
  const p = memberPath(n);
  if (!p || p.some((x) => x.endsWith('()')) || p.length > 2 || p[0] === 'this') return undefined;
  return p.join('.');
}

interface Scope {
  /** table variable → its role: the model, or a joined table. */
  model: string;
  /**
   * How the model is written (`users`, `schema.users`, the `u` of `(u, { eq }) => …`): a column's owner
   * must be written the same way (`schema.monitor.id`, not a local `monitor` object's `monitor.id`).
   * Relational queries also accept any `x.users`.
   */
  aliases: Set<string>;
  anyQualifier?: boolean;
  /** Joined tables as written → table variable. */
  joined: Map<string, string>;
  budget: { n: number };
}

function readChain(links: Link[], recv: string[], call: Node, anc: readonly Node[]): DrizzleQuery | undefined {
  if (!links.length) return undefined;
  const first = links[0];
  // Relational: <db>.query.<model>.findMany / findFirst
  if ((first.name === 'findMany' || first.name === 'findFirst') && recv.length >= 2 && recv[recv.length - 2] === 'query') {
    return relational(first, recv[recv.length - 1], links, call, anc);
  }
  let q: DrizzleQuery;
  let scope: Scope;
  const base = (model: string, operation: OrmQuery['operation'], method: string, nameNode: Node): DrizzleQuery => ({
    orm: 'drizzle', model, operation, method, span: spanOf(call), nameSpan: spanOf(nameNode), where: [], orderBy: [], limited: false, joins: [],
  });
  if (SELECTS.has(first.name)) {
    const from = links[1];
    if (!from || from.name !== 'from') return undefined;
    const model = tableVar(from.args[0]);
    // knex / other builders name the table as a string: not Drizzle
    if (!model && stringValue(from.args[0]) !== undefined) return undefined;
    if (!model) throw new Skip(`${first.name}().from(): the table is not a table variable (a subquery or alias)`);
    q = base(model, aggregateSelect(first.args[0]) ? 'count' : 'select', first.name, from.node.callee.property as Node);
    q.nameSpan = { start: (first.node.callee.property as Node).start, end: from.node.end };
  } else if (first.name === 'update' || first.name === 'delete') {
    const model = tableVar(first.args[0]);
    if (!model || first.args.length !== 1) return undefined;
    if (first.name === 'update' && links[1]?.name !== 'set') return undefined;
    if (first.name === 'delete' && links.length === 1 && unwrap(anc[anc.length - 1])?.type !== 'AwaitExpression') return undefined;
    q = base(model, first.name, first.name, first.node);
    q.nameSpan = { start: (first.node.callee.property as Node).start, end: first.node.end };
  } else if (first.name === '$count') {
    const model = tableVar(first.args[0]);
    if (!model) throw new Skip('$count(): the table is not a table variable');
    q = base(model, 'count', '$count', first.node);
    scope = { model, aliases: new Set([tablePath(first.args[0])!]), joined: new Map(), budget: { n: 0 } };
    if (first.args[1]) q.where = conditions(first.args[1], scope, 0);
    return finish(q, call, anc);
  } else return undefined;
  const written = tablePath(first.name === 'update' || first.name === 'delete' ? first.args[0] : links[1].args[0])!;
  scope = { model: q.model!, aliases: new Set([written]), joined: new Map(), budget: { n: 0 } };
  if (!links.some((l) => RUNS.has(l.name)) && builtFurther(call, anc)) throw new Skip(`${q.model}: the query is assigned to a variable and built further`);
  const joinWhere = new Map<string, OrmCondition[]>();
  for (const l of links.slice(1)) {
    if (/^(?:inner|left|right|full|cross)Join$/.test(l.name)) {
      const t = tableVar(l.args[0]);
      if (!t) throw new Skip(`${q.model}: ${l.name}() of a subquery or alias`);
      scope.joined.set(tablePath(l.args[0])!, t);
      q.joins.push({ relation: t, span: spanOf(l.node) });
    } else if (l.name === 'where') {
      if (!l.args.length || unwrap(l.args[0])?.type === 'Identifier' && l.args[0].name === 'undefined') continue;
      for (const c of conditions(l.args[0], scope, 0)) {
        const t = !('or' in c) && c.via.length === 1 && [...scope.joined.values()].includes(c.via[0]) ? c.via[0] : undefined;
        if (t) joinWhere.set(t, [...(joinWhere.get(t) ?? []), { ...c, via: [] }]);
        else q.where.push(c);
      }
    } else if (l.name === 'orderBy') orderBy(l.args, scope, q);
    else if (l.name === 'limit' || l.name === 'get') q.limited = true;
    else if (l.name === 'set' || l.name === 'from') continue;
    else if (l.name === 'as') throw new Skip(`${q.model}: a subquery (.as())`);
  }
  if (joinWhere.size) q.joinWhere = [...joinWhere].map(([table, where]) => ({ table, where }));
  return finish(q, call, anc);
}

/** `select({ n: count() })`: only aggregates, one row. */
function aggregateSelect(arg: Node | undefined): boolean {
  const o = unwrap(arg);
  if (o?.type !== 'ObjectExpression' || !o.properties.length) return false;
  return (o.properties as Node[]).every((p) => {
    const v = unwrap(p.value as Node | undefined);
    if (!v || !isCall(v)) return false;
    const path = memberPath(v.callee as Node);
    return !!path && AGGREGATES.has(path[path.length - 1]);
  });
}

/** The chain is assigned (`const q = db.select()…`, `q = …`) without await: it is extended elsewhere. */
function builtFurther(call: Node, anc: readonly Node[]): boolean {
  const p = anc[anc.length - 1];
  if (!p) return false;
  if (p.type === 'VariableDeclarator' && p.init === call) return true;
  if (p.type === 'AssignmentExpression' && p.right === call) return true;
  return false;
}

function finish(q: DrizzleQuery, call: Node, anc: readonly Node[]): DrizzleQuery {
  const fn = functionNameOf(anc);
  if (fn) q.functionName = fn;
  if (inErrorHandler(anc)) q.inErrorHandler = true;
  const loop = loopAround(anc);
  if (loop) q.inLoop = { kind: loop.kind, span: loop.span, ...(loop.names.length && mentions(call, loop.names) ? { usesItem: true } : {}), ...(loop.overQueryRows ? { overQueryRows: true } : {}) };
  return q;
}

// ---------------------------------------------------------------------------------------------
// Relational queries

function relational(first: Link, model: string, links: Link[], call: Node, anc: readonly Node[]): DrizzleQuery {
  const q: DrizzleQuery = {
    orm: 'drizzle', model, operation: 'select', method: first.name, span: spanOf(call),
    nameSpan: { start: ((first.node.callee as Node).object as Node).property.start, end: (first.node.callee.property as Node).end },
    where: [], orderBy: [], limited: first.name === 'findFirst', joins: [],
  };
  if (links.length > 1 && !links.slice(1).every((l) => RUNS.has(l.name) || l.name === 'sync')) throw new Skip(`${model}.${first.name}: chained .${links[1].name}()`);
  const arg = unwrap(first.args[0]);
  if (arg) {
    if (arg.type !== 'ObjectExpression') throw new Skip(`${model}.${first.name}: the options are not an object literal`);
    if ((arg.properties as Node[]).some((p) => p.type === 'SpreadElement')) throw new Skip(`${model}.${first.name}: the options hold a spread`);
    const props = objectProps(arg);
    const scope: Scope = { model, aliases: new Set([model]), anyQualifier: true, joined: new Map(), budget: { n: 0 } };
    const where = props.get('where');
    if (where) q.where = relationalWhere(where.value, scope, `${model}.${first.name}`);
    const limit = props.get('limit');
    if (limit && (numberValue(limit.value) !== undefined || ['Identifier', 'MemberExpression'].includes(unwrap(limit.value)?.type ?? ''))) q.limited = true;
    const order = props.get('orderBy');
    if (order) relationalOrder(order.value, scope, q);
    const w = props.get('with');
    if (w) withJoins(w.value, [], q, 0);
  }
  return finish(q, call, anc);
}

/** `where: eq(users.x, v)`, `(u, { eq }) => eq(u.x, v)`, or RQB v2's `{ x: v }`. */
function relationalWhere(n: Node, scope: Scope, what: string): OrmCondition[] {
  const v = unwrap(n);
  if (!v) return [];
  if (isFunction(v)) {
    const p = (v.params as Node[])[0];
    if (p?.type === 'Identifier') scope.aliases.add(p.name as string);
    const body = returnedOf(v);
    if (!body) throw new Skip(`${what}: the where callback has no single return`);
    return conditions(body, scope, 0);
  }
  if (v.type === 'ObjectExpression') return objectWhere(v, [], scope, 0);
  return conditions(v, scope, 0);
}

function returnedOf(fn: Node): Node | undefined {
  const body = unwrap(fn.body as Node);
  if (!body || body.type !== 'BlockStatement') return body;
  const stmts = body.body as Node[];
  return stmts.length === 1 && stmts[0].type === 'ReturnStatement' ? (stmts[0].argument as Node | undefined) : undefined;
}

const V2_OPS: Record<string, OrmOp> = { eq: 'eq', in: 'eq', isNull: 'eq', gt: 'range', gte: 'range', lt: 'range', lte: 'range', ne: 'other', notIn: 'other', isNotNull: 'other', like: 'prefix', ilike: 'prefix', notLike: 'other', notIlike: 'other', arrayContains: 'other', arrayContained: 'other', arrayOverlaps: 'other' };

/** RQB v2 object where: `{ email: x, age: { gt: 18 }, OR: [{…}], NOT: {…}, posts: { title: x } }`. */
function objectWhere(o: Node, via: string[], scope: Scope, depth: number): OrmCondition[] {
  if (depth > 20) throw new Skip('where nests too deeply');
  const out: OrmCondition[] = [];
  for (const p of o.properties as Node[]) {
    const key = p.type === 'ObjectProperty' ? propName(p.key as Node, p.computed as boolean) : undefined;
    if (!key) throw new Skip(`${scope.model}: the where object has a spread or a computed key`);
    if (++scope.budget.n > MAX_CONDITIONS) throw new Skip(`${scope.model}: too many conditions`);
    const v = unwrap(p.value as Node)!;
    const span = spanOf(p);
    if (key === 'RAW') throw new Skip(`${scope.model}: a RAW where`);
    if (key === 'NOT') continue;
    if (key === 'AND' || key === 'OR') {
      if (v.type !== 'ArrayExpression') throw new Skip(`${scope.model}: ${key} is not an array literal`);
      const branches = (v.elements as (Node | null)[]).map((e) => {
        const b = unwrap(e ?? undefined);
        if (b?.type !== 'ObjectExpression') throw new Skip(`${scope.model}: a ${key} branch is not an object literal`);
        return objectWhere(b, via, scope, depth + 1);
      });
      if (key === 'AND' || branches.length === 1) out.push(...branches.flat());
      else if (branches.length) out.push({ or: branches, span });
      continue;
    }
    if (v.type !== 'ObjectExpression') {
      out.push({ field: key, via, op: 'eq', ...literal(v), span });
      continue;
    }
    const keys = [...objectProps(v).keys()];
    if (keys.length && keys.every((k) => k in V2_OPS || k === 'NOT' || k === 'OR' || k === 'AND')) {
      for (const [k, { value, prop }] of objectProps(v)) {
        if (!(k in V2_OPS)) continue;
        const s = stringValue(value);
        const op: OrmOp = V2_OPS[k] === 'prefix' ? (s !== undefined && s.length > 0 && s[0] !== '%' && s[0] !== '_' ? 'prefix' : 'other') : V2_OPS[k];
        const c: OrmFieldCondition = { field: key, via, op, span: spanOf(prop), ...(k === 'ilike' ? { insensitive: true } : {}) };
        if (k === 'isNull') c.value = 'null';
        else if (k === 'isNotNull') c.value = 'not-null';
        else if (k === 'eq') Object.assign(c, literal(value));
        out.push(c);
      }
      continue;
    }
    // A relation filter: `{ posts: { title: x } }`.
    out.push(...objectWhere(v, [...via, key], scope, depth + 1));
  }
  return out;
}

function relationalOrder(n: Node, scope: Scope, q: DrizzleQuery): void {
  let v = unwrap(n);
  if (v && isFunction(v)) {
    const p = (v.params as Node[])[0];
    if (p?.type === 'Identifier') scope.aliases.add(p.name as string);
    v = unwrap(returnedOf(v));
  }
  if (!v) return;
  if (v.type === 'ObjectExpression') {
    // RQB v2: `{ createdAt: 'desc' }`
    for (const [field, { value, prop }] of objectProps(v)) {
      const dir = stringValue(value);
      if (dir === 'asc' || dir === 'desc') q.orderBy.push({ field, via: [], desc: dir === 'desc', span: spanOf(prop) });
    }
    return;
  }
  orderBy(v.type === 'ArrayExpression' ? (v.elements as Node[]) : [v], scope, q);
}

/** `with: { posts: true, team: { with: { owner: true } } }` → joins `posts`, `team`, `team.owner`. */
function withJoins(n: Node, via: string[], q: DrizzleQuery, depth: number): void {
  const v = unwrap(n);
  if (v?.type !== 'ObjectExpression' || depth > 10) return;
  for (const [name, { value, prop }] of objectProps(v)) {
    const x = unwrap(value);
    if (!x || (x.type === 'BooleanLiteral' && x.value === false)) continue;
    q.joins.push({ relation: [...via, name].join('.'), span: spanOf(prop) });
    if (x.type === 'ObjectExpression') {
      const nested = objectProps(x).get('with');
      if (nested) withJoins(nested.value, [...via, name], q, depth + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Conditions

function literal(n: Node | undefined): { value?: string } {
  const u = unwrap(n);
  if (!u) return {};
  if (u.type === 'NullLiteral') return { value: 'null' };
  if (u.type === 'StringLiteral') return { value: `'${String(u.value).replace(/'/g, "''")}'` };
  if (u.type === 'NumericLiteral') return { value: String(u.value) };
  if (u.type === 'BooleanLiteral') return { value: u.value ? 'true' : 'false' };
  return {};
}

/** `users.email` / `u.email` / `schema.users.email` → the field and the table it belongs to ('' = the model). */
function columnOf(n: Node | undefined, scope: Scope): { field: string; table: string } | undefined {
  const p = memberPath(n);
  if (!p || p.length < 2 || p.length > 3 || p.some((x) => x.endsWith('()'))) return undefined;
  const owner = p.slice(0, -1).join('.');
  const field = p[p.length - 1];
  if (scope.aliases.has(owner) || (scope.anyQualifier && p.length === 3 && scope.aliases.has(p[1]))) return { field, table: '' };
  const joined = scope.joined.get(owner);
  if (joined) return { field, table: joined };
  return undefined;
}

/** An AND of operator calls; throws Skip for anything else. */
function conditions(n: Node | undefined, scope: Scope, depth: number): OrmCondition[] {
  const u = unwrap(n);
  if (!u) return [];
  if (depth > MAX_DEPTH) throw new Skip(`${scope.model}: the where nests too deeply`);
  if (u.type === 'Identifier' && u.name === 'undefined') return [];
  // `and(a, flag ? eq(...) : undefined)`: a conjunct that may be absent is left out.
  if (u.type === 'ConditionalExpression' || u.type === 'LogicalExpression') return [];
  if (u.type === 'TaggedTemplateExpression') throw new Skip(`${scope.model}: a sql\`…\` condition`);
  if (!isCall(u)) throw new Skip(`${scope.model}: the where is not written as operator calls`);
  const path = memberPath(u.callee as Node);
  const fn = path?.[path.length - 1];
  const args = u.arguments as Node[];
  if (args.some((a) => a.type === 'SpreadElement')) throw new Skip(`${scope.model}: ${fn}() with a spread`);
  if (++scope.budget.n > MAX_CONDITIONS) throw new Skip(`${scope.model}: too many conditions`);
  if (fn === 'and') return args.flatMap((a) => conditions(a, scope, depth + 1));
  if (fn === 'or') {
    const branches = args.map((a) => conditions(a, scope, depth + 1)).filter((b) => b.length);
    if (branches.length < args.filter((a) => !(unwrap(a)?.type === 'Identifier' && unwrap(a)!.name === 'undefined')).length) {
      // a branch without conditions matches anything: the OR restricts nothing an index can use
      return [];
    }
    if (branches.some((b) => b.some((c) => !('or' in c) && c.via.length))) throw new Skip(`${scope.model}: an or() across joined tables`);
    return branches.length === 1 ? branches[0] : branches.length ? [{ or: branches, span: spanOf(u) }] : [];
  }
  if (fn === 'not' || fn === 'exists' || fn === 'notExists') return [];
  if (!fn) throw new Skip(`${scope.model}: an unknown condition`);
  let col = columnOf(args[0], scope);
  let other = args[1];
  if (!col && args.length === 2 && (fn === 'eq' || fn === 'ne')) {
    col = columnOf(args[1], scope);
    other = args[0];
  }
  if (!col) throw new Skip(`${scope.model}: ${fn}() of something other than a column of the query's tables`);
  // `eq(users.teamId, teams.id)`: a join condition.
  if (other && columnOf(other, scope)) return [];
  const base = { field: col.field, via: col.table ? [col.table] : [], span: spanOf(u) };
  switch (fn) {
    case 'eq':
      return [{ ...base, op: 'eq', ...literal(other) }];
    case 'inArray':
      return [{ ...base, op: 'eq', sqlOp: 'IN' }];
    case 'isNull':
      return [{ ...base, op: 'eq', value: 'null' }];
    case 'isNotNull':
      return [{ ...base, op: 'other', value: 'not-null' }];
    case 'like':
    case 'ilike': {
      const s = stringValue(other);
      const prefix = s !== undefined && s.length > 0 && s[0] !== '%' && s[0] !== '_';
      return [{ ...base, op: prefix ? 'prefix' : 'other', ...(fn === 'ilike' ? { insensitive: true } : {}) }];
    }
  }
  if (RANGE.has(fn)) return [{ ...base, op: 'range', ...(sqlOpOf(fn) ? { sqlOp: sqlOpOf(fn) } : {}) }];
  if (OTHER.has(fn)) return [{ ...base, op: 'other' }];
  throw new Skip(`${scope.model}: unknown operator ${fn}()`);
}

/** `.orderBy(desc(users.createdAt), users.id)`; entries on other tables or in SQL are left out. */
function orderBy(args: readonly Node[], scope: Scope, q: DrizzleQuery): void {
  for (const a of args) {
    const u = unwrap(a);
    if (!u) continue;
    let desc = false;
    let target: Node | undefined = u;
    if (isCall(u)) {
      const p = memberPath(u.callee as Node);
      const fn = p?.[p.length - 1];
      if (fn !== 'asc' && fn !== 'desc') continue;
      desc = fn === 'desc';
      target = (u.arguments as Node[])[0];
    }
    const col = columnOf(target, scope);
    if (!col || col.table) continue;
    q.orderBy.push({ field: col.field, via: [], desc, span: spanOf(u) });
  }
}

// ---------------------------------------------------------------------------------------------
// Function and loop context (as prisma-client.ts)



