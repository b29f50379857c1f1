/**
 * Sequelize query extractor: `Model.findAll / findOne / findByPk / findAndCountAll / findOrCreate /
 * count / update / destroy / upsert / increment / decrement / max / min / sum` calls → OrmQuery.
 *
 * The model is an identifier (`User.findAll`), `this` inside a class (its name), a scope of either
 * (`Document.scope('x').findAll`, `unscoped()`, a static `…Scope(...)` helper), or a local const bound
 * to such a scope. `where` is read from an object literal, or from a local `const` bound to one in the
 * same function when nothing mutates it. Operators (`[Op.gt]`, `[Op.in]`, `[Op.like]: 'x%'`, `[Op.or]`,
 * `[Op.and]`), `$assoc.col$` keys, `order: [['createdAt', 'DESC']]`, `limit` and `include` (joins, whose
 * own `where` becomes conditions via the relation) are read. A `where` with a spread, a non-literal
 * `Op.or` / `Op.and` branch, `Sequelize.where(...)`, a literal or a computed key is not followed: the call
 * is skipped. `findByPk` filters on `id` (the primary key's attribute is not known here).
 *
 * `functionName` is the innermost named function around the call; `inLoop` the loop of the same function
 * it runs in (js-context.ts), with `usesItem` when its arguments (or the local const options / where they
 * name) read the loop's item, or a local declared from it in the loop body. A loop over an array literal
 * written in the code is not a loop.
 */
import { isCall, isFunction, memberPath, objectProps, parseJs, propName, stringValue, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import type { Span } from '../types.js';
import { functionNameOf, itemNames, localConstIn, loopAround, mentions, mutated, inErrorHandler } from './js-context.js';
import { sqlOpOf, type OrmCondition, type OrmFieldCondition, type OrmOp, type OrmQuery } from './model.js';

export interface SequelizeQuery extends OrmQuery {
  /** `paranoid: false`: the model's implicit `deletedAt IS NULL` does not apply. */
  paranoidOff?: true;
}

export interface SequelizeSkip {
  reason: string;
  span: Span;
}

const OPS: Record<string, OrmQuery['operation']> = {
  findAll: 'select',
  findOne: 'select',
  findByPk: 'select',
  findAndCountAll: 'select',
  findOrCreate: 'select',
  count: 'count',
  update: 'update',
  destroy: 'delete',
  upsert: 'upsert',
  increment: 'update',
  decrement: 'update',
  max: 'aggregate',
  min: 'aggregate',
  sum: 'aggregate',
};
/** Which argument holds the options (`where`, `order`, `limit`, `include`). */
const OPTIONS_ARG: Record<string, number> = { update: 1, increment: 1, decrement: 1, max: 1, min: 1, sum: 1, findByPk: 1, upsert: 1 };
const LIMITED = new Set(['findOne', 'findByPk', 'findOrCreate']);
const MAX_DEPTH = 100;
/** Built-ins whose methods share a name with a model's (`Math.max`, `Object.update`…). */
const GLOBALS = new Set(['Math', 'Object', 'Array', 'JSON', 'Promise', 'Number', 'Date', 'Reflect', 'String', 'Atomics', 'Intl', 'BigInt', 'Symbol', 'Map', 'Set']);

class Skip extends Error {}

const spanOf = (n: Node): Span => ({ start: n.start, end: n.end });

/** Extracts Sequelize calls; `skipped` (optional) collects why calls were not followed. Never throws. */
export function extractSequelizeQueries(path: string, text: string, modelNames?: ReadonlySet<string>, skipped?: SequelizeSkip[]): SequelizeQuery[] {
  const out: SequelizeQuery[] = [];
  try {
    if (!/\.(?:find|count|update|destroy|upsert|increment|decrement|max|min|sum)/.test(text)) return out;
    const parsed = parseJs(path, text);
    if ('error' in parsed) return out;
    walk(parsed.program, (n, anc) => {
      if (!isCall(n)) return;
      const callee = unwrap(n.callee as Node);
      if (!callee || (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') || callee.computed) return;
      const method = propName(callee.property as Node);
      if (!method || !(method in OPS)) return;
      const model = modelOf(unwrap(callee.object as Node), anc, n, 0);
      if (!model || (modelNames ? !modelNames.has(model) : !/^[A-Z]/.test(model))) return;
      try {
        out.push(readCall(n, callee, method, model, anc));
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        skipped?.push({ reason: `${model}.${method}: ${e.message}`, span: spanOf(n) });
      }
    });
  } catch (e) {
    skipped?.push({ reason: `extractor failed: ${String((e as Error)?.message ?? e)}`, span: { start: 0, end: 0 } });
  }
  return out;
}

/** The model a receiver names: `User`, `this` (the enclosing class), `X.scope(…)`, a local const bound to one. */
function modelOf(recv: Node | undefined, anc: readonly Node[], at: Node, depth: number): string | undefined {
  if (!recv || depth > 4) return undefined;
  if (recv.type === 'Identifier') {
    const name = recv.name as string;
    const init = localConst(name, anc, at);
    if (init && isCall(unwrap(init))) return modelOf(unwrap(init), anc, at, depth + 1) ?? (init.type === 'CallExpression' && /define$/.test(memberPath(init.callee as Node)?.join('.') ?? '') ? name : undefined);
    if (init && isFunction(init)) return undefined;
    return GLOBALS.has(name) ? undefined : name;
  }
  if (recv.type === 'ThisExpression') {
    for (let i = anc.length - 1; i >= 0; i--) {
      const a = anc[i];
      if ((a.type === 'ClassMethod' || a.type === 'ClassProperty') && !a.static) return undefined;
      if ((a.type === 'ClassDeclaration' || a.type === 'ClassExpression') && a.id) return a.id.name as string;
      if (a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression') return undefined;
    }
    return undefined;
  }
  if (isCall(recv)) {
    const c = unwrap(recv.callee as Node);
    if (!c || (c.type !== 'MemberExpression' && c.type !== 'OptionalMemberExpression') || c.computed) return undefined;
    const m = propName(c.property as Node);
    if (m === 'scope' || m === 'unscoped' || m === 'schema' || (m && /Scope$/.test(m))) return modelOf(unwrap(c.object as Node), anc, at, depth + 1);
  }
  return undefined;
}

/** The initializer of `const name = …` declared before `at` in the enclosing functions (innermost first). */
function localConst(name: string, anc: readonly Node[], at: Node): Node | undefined {
  return localConstIn(name, anc, at)?.init;
}

/** An object literal, or a local unmutated const bound to one. */
function objectArg(n: Node | undefined, anc: readonly Node[], at: Node, what: string): Node | undefined {
  const u = unwrap(n);
  if (!u) return undefined;
  if (u.type === 'ObjectExpression') return u;
  if (u.type === 'Identifier') {
    const found = localConstIn(u.name as string, anc, at);
    const init = unwrap(found?.init);
    if (found && init?.type === 'ObjectExpression' && !mutated(u.name as string, found.scope)) return init;
    throw new Skip(`${what} \`${u.name as string}\` is not a local const object literal left unchanged`);
  }
  throw new Skip(`${what} is not an object literal`);
}

function readCall(call: Node, callee: Node, method: string, model: string, anc: readonly Node[]): SequelizeQuery {
  const args = call.arguments as Node[];
  const q: SequelizeQuery = {
    orm: 'sequelize',
    model,
    operation: OPS[method],
    method,
    span: spanOf(call),
    nameSpan: { start: callee.start, end: (callee.property as Node).end },
    where: [],
    orderBy: [],
    limited: LIMITED.has(method),
    joins: [],
  };
  if (method === 'findByPk') {
    const key = args[0] ? unwrap(args[0])! : call;
    q.where.push({ field: 'id', via: [], op: 'eq', ...literalValue(key), span: spanOf(key) });
  }
  const optNode = args[OPTIONS_ARG[method] ?? 0];
  const opts = optNode ? objectArg(optNode, anc, call, 'the options') : undefined;
  // A spread (`...params`) or a computed key may carry a where, a limit or an include: not seen whole.
  if (opts && (opts.properties as Node[]).some((x) => x.type === 'SpreadElement' || x.computed)) throw new Skip('the options have a spread or a computed key');
  const p = objectProps(opts);
  const includeValue = unwrap(p.get('include')?.value);
  if (includeValue && includeValue.type !== 'ArrayExpression' && includeValue.type !== 'ObjectExpression' && includeValue.type !== 'Identifier') throw new Skip('the include is not a literal');
  if (includeValue?.type === 'Identifier' || (includeValue?.type === 'ArrayExpression' && (includeValue.elements as (Node | null)[]).some((e) => e?.type === 'SpreadElement'))) throw new Skip('the include is built elsewhere');
  const where = p.get('where');
  if (where) q.where.push(...readWhere(objectArg(where.value, anc, call, 'where')!, [], 0));
  if (p.has('limit')) q.limited = true;
  const paranoid = unwrap(p.get('paranoid')?.value);
  if (paranoid?.type === 'BooleanLiteral' && paranoid.value === false) q.paranoidOff = true;
  readOrder(p.get('order')?.value, q);
  const include = p.get('include');
  if (include) readInclude(include.value, q, [], 0);
  const fn = functionNameOf(anc);
  if (fn) q.functionName = fn;
  if (inErrorHandler(anc)) q.inErrorHandler = true;
  const loop = loopAround(anc);
  if (loop) {
    // The item may be read through a local const the call names (`const where = { id: doc.id }`).
    // ... or through a local declared from the item in the loop body (`const doc = await Document.findByPk(node.id)`).
    const names = itemNames(loop.body, loop.names, call.start);
    const reads = names.length > 0 && [...args, opts, where && unwrap(where.value)?.type === 'Identifier' ? objectArg(where.value, anc, call, 'where') : undefined].some((a) => mentions(a, names));
    q.inLoop = { kind: loop.kind, span: loop.span, ...(reads ? { usesItem: true } : {}), ...(loop.overQueryRows ? { overQueryRows: true } : {}) };
  }
  return q;
}

function literalValue(n: Node): { value?: string } {
  const u = unwrap(n);
  if (!u) return {};
  if (u.type === 'NullLiteral') return { value: 'null' };
  if (u.type === 'StringLiteral') return { value: `'${String(u.value)}'` };
  if (u.type === 'NumericLiteral' || u.type === 'BooleanLiteral') return { value: String(u.value) };
  return {};
}

/** `Op.gt` / `Sequelize.Op.gt` / `'$gt'` keys → the operator name, else undefined. */
function opName(prop: Node): string | undefined {
  if (prop.computed) {
    const path = memberPath(prop.key as Node);
    if (path && path.length >= 2 && path[path.length - 2] === 'Op') return path[path.length - 1];
    return undefined;
  }
  const k = propName(prop.key as Node);
  return k && k.length > 1 && k.startsWith('$') && !k.endsWith('$') ? k.slice(1) : undefined;
}

function readWhere(obj: Node, via: string[], depth: number): OrmCondition[] {
  if (depth > MAX_DEPTH) throw new Skip('where nests too deeply');
  const out: OrmCondition[] = [];
  for (const prop of obj.properties as Node[]) {
    if (prop.type !== 'ObjectProperty') throw new Skip('where holds a spread or a method');
    const op = opName(prop);
    if (op === 'and' || op === 'or') {
      const branches = branchesOf(prop.value as Node, via, depth);
      if (op === 'and') out.push(...branches.flat());
      else out.push({ or: branches, span: spanOf(prop) });
      continue;
    }
    if (op !== undefined || prop.computed) throw new Skip('where has a computed key');
    let field = propName(prop.key as Node)!;
    let fieldVia = via;
    if (field.length > 2 && field.startsWith('$') && field.endsWith('$')) {
      const parts = field.slice(1, -1).split('.');
      field = parts.pop()!;
      fieldVia = [...via, ...parts];
    }
    out.push(...fieldConditions(field, fieldVia, prop));
  }
  return out;
}

/** `[Op.or]: [{…}, {…}]` or `{ a, b }` (each property a branch). */
function branchesOf(n: Node, via: string[], depth: number): OrmCondition[][] {
  const u = unwrap(n);
  if (u?.type === 'ArrayExpression') {
    return (u.elements as (Node | null)[]).map((e) => {
      const o = unwrap(e ?? undefined);
      if (o?.type !== 'ObjectExpression') throw new Skip('an Op.or / Op.and branch is not an object literal');
      return readWhere(o, via, depth + 1);
    });
  }
  if (u?.type === 'ObjectExpression') return (u.properties as Node[]).map((p) => readWhere({ ...u, properties: [p] }, via, depth + 1));
  throw new Skip('Op.or / Op.and is not an array or object literal');
}

const RANGE_OPS = new Set(['gt', 'gte', 'lt', 'lte', 'between']);
const EQ_OPS = new Set(['eq', 'in', 'is']);

function fieldConditions(field: string, via: string[], prop: Node): OrmFieldCondition[] {
  const v = unwrap(prop.value as Node)!;
  const base = { field, via, span: spanOf(prop) };
  if (v.type !== 'ObjectExpression') return [{ ...base, op: 'eq', ...literalValue(v) }];
  const out: OrmFieldCondition[] = [];
  for (const p of v.properties as Node[]) {
    if (p.type !== 'ObjectProperty') throw new Skip('a field condition holds a spread');
    const op = opName(p);
    if (op === undefined) return [{ ...base, op: 'other' }]; // a JSON path filter: no B-tree serves it
    const val = unwrap(p.value as Node)!;
    const isNull = val.type === 'NullLiteral';
    const cond = (o: OrmOp, extra: Partial<OrmFieldCondition> = {}): OrmFieldCondition => ({ ...base, op: o, span: spanOf(p), ...extra });
    if (EQ_OPS.has(op)) out.push(cond('eq', { ...literalValue(val), ...(sqlOpOf(op) ? { sqlOp: sqlOpOf(op) } : {}) }));
    else if (RANGE_OPS.has(op)) out.push(cond('range', sqlOpOf(op) ? { sqlOp: sqlOpOf(op) } : {}));
    else if ((op === 'ne' || op === 'not') && isNull) out.push(cond('other', { value: 'not-null' }));
    else if (op === 'like' || op === 'iLike' || op === 'startsWith') {
      const s = stringValue(val);
      const prefix = op === 'startsWith' ? true : s !== undefined && s.length > 0 && s[0] !== '%' && s[0] !== '_';
      out.push(cond(prefix ? 'prefix' : 'other', op === 'iLike' ? { insensitive: true } : {}));
    } else if (op === 'or' || op === 'and') throw new Skip(`Op.${op} inside a field condition`);
    else out.push(cond('other'));
  }
  return out;
}

/** `order: [['createdAt', 'DESC'], 'name', ['team', 'name', 'ASC']]`; dynamic entries are left out. */
function readOrder(n: Node | undefined, q: SequelizeQuery): void {
  const u = unwrap(n);
  if (!u) return;
  const entries = u.type === 'ArrayExpression' ? (u.elements as (Node | null)[]) : [u];
  const nested = u.type === 'ArrayExpression' && entries.every((e) => stringValue(e ?? undefined) !== undefined) && entries.length === 2 && /^(?:asc|desc)/i.test(stringValue(entries[1]!) ?? '');
  for (const e of nested ? [u] : entries) {
    const x = unwrap(e ?? undefined);
    if (!x) continue;
    const s = stringValue(x);
    if (s !== undefined) {
      q.orderBy.push({ field: s, via: [], desc: false, span: spanOf(x) });
      continue;
    }
    if (x.type !== 'ArrayExpression') continue;
    const parts = (x.elements as (Node | null)[]).map((p) => stringValue(p ?? undefined));
    if (!parts.length || parts.some((p) => p === undefined)) continue;
    const strs = parts as string[];
    const dirAt = /^(?:asc|desc)/i.test(strs[strs.length - 1]) && strs.length > 1 ? strs.length - 1 : -1;
    const path = dirAt >= 0 ? strs.slice(0, dirAt) : strs;
    q.orderBy.push({ field: path[path.length - 1], via: path.slice(0, -1), desc: dirAt >= 0 && /^desc/i.test(strs[dirAt]), span: spanOf(x) });
  }
}

/** `include: [Team, 'user', { model: X, as: 'y', where, include }]`. */
function readInclude(n: Node, q: SequelizeQuery, via: string[], depth: number): void {
  if (depth > 10) return;
  const u = unwrap(n);
  if (!u) return;
  for (const e of u.type === 'ArrayExpression' ? (u.elements as (Node | null)[]) : [u]) {
    const x = unwrap(e ?? undefined);
    if (!x) continue;
    let relation: string | undefined;
    let where: Node | undefined;
    let nested: Node | undefined;
    if (x.type === 'ObjectExpression') {
      const p = objectProps(x);
      const m = memberPath(p.get('model')?.value);
      relation = stringValue(p.get('as')?.value) ?? stringValue(p.get('association')?.value) ?? (m?.length === 1 ? m[0] : undefined);
      where = unwrap(p.get('where')?.value);
      nested = p.get('include')?.value;
    } else {
      const m = memberPath(x);
      relation = stringValue(x) ?? (m?.length === 1 ? m[0] : undefined);
    }
    // A filtered include whose association cannot be named (`model: this.constructor`) restricts the rows unseen.
    if (!relation) {
      if (where) throw new Skip('a filtered include names no association');
      continue;
    }
    q.joins.push({ relation: [...via, relation].join('.'), span: spanOf(x) });
    if (where?.type === 'ObjectExpression') q.where.push(...readWhere(where, [...via, relation], 0));
    else if (where) throw new Skip(`the where of include ${relation} is not an object literal`);
    if (nested) readInclude(nested, q, [...via, relation], depth + 1);
  }
}
