/**
 * Prisma Client calls in JS/TS (`prisma.document.findMany({ where: { teamId, status } })`) as
 * OrmQuery. The model accessor is checked against the schema's Prisma models later (resolve.ts):
 * here any `<client>.<accessor>.<method>(…)` with a Prisma method name is a candidate.
 *
 * Read: `where` (fields, operators, AND/OR/NOT, relation filters with some/every/none/is), `orderBy`,
 * `take`/`cursor` and the methods that return one row, `include`/`select` relations (joins). A where
 * that is not an object literal (a variable, a spread, a computed key) is not followed: the call is
 * skipped, since an unseen condition may be the selective one.
 */
import { memberPath, numberValue, parseJs, propName, spanOf, stringValue, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import { functionNameOf, loopAround, mentions, inErrorHandler } from './js-context.js';
import { sqlOpOf, type OrmCondition, type OrmFieldCondition, type OrmOp, type OrmQuery } from './model.js';

const METHODS: Record<string, OrmQuery['operation']> = {
  findMany: 'select', findFirst: 'select', findFirstOrThrow: 'select', findUnique: 'select', findUniqueOrThrow: 'select',
  count: 'count', aggregate: 'aggregate', groupBy: 'aggregate',
  update: 'update', updateMany: 'update', updateManyAndReturn: 'update', upsert: 'upsert', delete: 'delete', deleteMany: 'delete',
};
/** Methods that return at most one row, or only a count. */
const ONE_ROW = new Set(['findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'update', 'upsert', 'delete']);
const OPERATORS = new Set(['equals', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'not', 'contains', 'startsWith', 'endsWith', 'search', 'mode', 'has', 'hasSome', 'hasEvery', 'isEmpty', 'path', 'string_contains', 'string_starts_with', 'string_ends_with', 'array_contains', 'array_starts_with', 'array_ends_with']);
const RELATION_KEYS = new Set(['some', 'every', 'none', 'is', 'isNot']);
/** The most conditions read from one call (a generated where of thousands of keys is not a query anyone writes). */
const MAX_CONDITIONS = 200;
const MAX_DEPTH = 12;

/** A cheap test before parsing: does the text call a Prisma Client method at all? */
export function mayHavePrismaCalls(text: string): boolean {
  return /\.(?:findMany|findFirst|findUnique|findFirstOrThrow|findUniqueOrThrow|updateMany|deleteMany|upsert|groupBy|aggregate)\s*\(/.test(text) || (/\.(?:count|update|delete)\s*\(/.test(text) && /prisma/i.test(text));
}

export function extractPrismaQueries(path: string, text: string): OrmQuery[] {
  if (!mayHavePrismaCalls(text)) return [];
  const parsed = parseJs(path, text);
  if ('error' in parsed) return [];
  const out: OrmQuery[] = [];
  walk(parsed.program, (node, ancestors) => {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return;
    const q = prismaCall(node, ancestors);
    if (q) out.push(q);
  });
  return out;
}

function prismaCall(call: Node, ancestors: readonly Node[]): OrmQuery | undefined {
  const callee = unwrap(call.callee as Node);
  if (!callee || (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') || callee.computed) return undefined;
  const method = propName(callee.property as Node);
  if (!method || !(method in METHODS)) return undefined;
  const owner = unwrap(callee.object as Node);
  if (!owner || (owner.type !== 'MemberExpression' && owner.type !== 'OptionalMemberExpression') || owner.computed) return undefined;
  const model = propName(owner.property as Node);
  // `<client>.<model>`: the client is a name or a member chain (prisma, tx, this.prisma, ctx.db).
  if (!model || !memberPath(owner.object as Node)) return undefined;
  const args = call.arguments as Node[];
  const arg = unwrap(args[0]);
  const q: OrmQuery = {
    orm: 'prisma', model, operation: METHODS[method], method,
    span: spanOf(call), nameSpan: { start: (owner.property as Node).start, end: (callee.property as Node).end },
    where: [], orderBy: [], limited: ONE_ROW.has(method), joins: [],
  };
  if (arg) {
    if (arg.type !== 'ObjectExpression') return undefined;
    const props = plainProps(arg);
    if (!props) return undefined;
    const where = props.get('where');
    if (where) {
      const conds = conditions(unwrap(where), [], 0, { n: 0 });
      if (!conds) return undefined;
      q.where = conds;
    }
    const take = props.get('take');
    if (take && (numberValue(take) !== undefined || unwrap(take)?.type === 'Identifier' || unwrap(take)?.type === 'MemberExpression')) q.limited = true;
    orderBy(props.get('orderBy'), q);
    for (const key of ['include', 'select']) {
      const v = unwrap(props.get(key));
      if (v?.type !== 'ObjectExpression') continue;
      for (const p of v.properties as Node[]) {
        const name = p.type === 'ObjectProperty' ? propName(p.key as Node, p.computed as boolean) : undefined;
        const val = p.type === 'ObjectProperty' ? unwrap(p.value as Node) : undefined;
        // `{ team: true }` or `{ team: { select: … } }`: loaded with the rows (the resolver keeps only relations).
        if (name && name !== '_count' && val && (val.type === 'ObjectExpression' || (val.type === 'BooleanLiteral' && val.value === true))) q.joins.push({ relation: name, span: spanOf(p) });
      }
    }
  }
  const fn = functionNameOf(ancestors);
  if (fn) q.functionName = fn;
  if (inErrorHandler(ancestors)) q.inErrorHandler = true;
  const loop = loopAround(ancestors);
  if (loop) q.inLoop = { kind: loop.kind, span: loop.span, ...(loop.names.length && args.some((a) => mentions(a, loop.names)) ? { usesItem: true } : {}), ...(loop.overQueryRows ? { overQueryRows: true } : {}) };
  return q;
}

/** An object literal's properties by name; undefined when it has a spread or a computed key (something unseen). */
function plainProps(obj: Node): Map<string, Node> | undefined {
  const out = new Map<string, Node>();
  for (const p of obj.properties as Node[]) {
    if (p.type !== 'ObjectProperty') return undefined;
    const name = propName(p.key as Node, p.computed as boolean);
    if (!name) return undefined;
    out.set(name, p.value as Node);
  }
  return out;
}

/** The conditions of a where object (AND of them), or undefined when it cannot be read. */
function conditions(where: Node | undefined, via: string[], depth: number, budget: { n: number }): OrmCondition[] | undefined {
  if (!where || where.type !== 'ObjectExpression' || depth > MAX_DEPTH) return undefined;
  const out: OrmCondition[] = [];
  for (const p of where.properties as Node[]) {
    if (p.type !== 'ObjectProperty') return undefined;
    const key = propName(p.key as Node, p.computed as boolean);
    if (!key) return undefined;
    if (++budget.n > MAX_CONDITIONS) return undefined;
    const value = unwrap(p.value as Node);
    if (!value) return undefined;
    if (key === 'AND') {
      const items = value.type === 'ArrayExpression' ? (value.elements as Node[]) : [value];
      for (const item of items) {
        const c = conditions(unwrap(item), via, depth + 1, budget);
        if (!c) return undefined;
        out.push(...c);
      }
    } else if (key === 'OR') {
      if (value.type !== 'ArrayExpression') return undefined;
      const branches: OrmCondition[][] = [];
      for (const item of value.elements as Node[]) {
        const c = conditions(unwrap(item), via, depth + 1, budget);
        if (!c) return undefined;
        branches.push(c);
      }
      if (branches.length === 1) out.push(...branches[0]);
      else if (branches.length > 1) out.push({ or: branches, span: spanOf(p) });
    } else if (key === 'NOT') {
      // A negation selects most rows: no index serves it. Its fields are not conditions an index could use.
      continue;
    } else {
      const c = fieldCondition(key, value, via, spanOf(p), depth, budget);
      if (!c) return undefined;
      out.push(...c);
    }
  }
  return out;
}

function literalText(n: Node): string | undefined {
  if (n.type === 'StringLiteral') return `'${String(n.value).replace(/'/g, "''")}'`;
  if (n.type === 'NumericLiteral') return String(n.value);
  if (n.type === 'BooleanLiteral') return n.value ? 'true' : 'false';
  return undefined;
}

function fieldCondition(field: string, value: Node, via: string[], span: { start: number; end: number }, depth: number, budget: { n: number }): OrmCondition[] | undefined {
  if (value.type === 'NullLiteral') return [{ field, via, op: 'eq', value: 'null', span }];
  if (value.type !== 'ObjectExpression') {
    const lit = literalText(value);
    return [{ field, via, op: 'eq', ...(lit ? { value: lit } : {}), span }];
  }
  const props = plainProps(value);
  if (!props) return undefined;
  const keys = [...props.keys()];
  if (keys.length && keys.every((k) => OPERATORS.has(k))) {
    // A JSON filter (`{ path: ['a'], equals: x }`) compares inside the document: no plain index serves it.
    if (props.has('path')) return [{ field, via, op: 'other', span }];
    const insensitive = stringValue(props.get('mode')) === 'insensitive';
    const out: OrmFieldCondition[] = [];
    for (const [k, v] of props) {
      if (k === 'mode') continue;
      const op: OrmOp = k === 'equals' || k === 'in' ? 'eq' : k === 'lt' || k === 'lte' || k === 'gt' || k === 'gte' ? 'range' : k === 'startsWith' ? 'prefix' : 'other';
      const u = unwrap(v);
      const sqlOp = sqlOpOf(k);
      const c: OrmFieldCondition = { field, via, op, span, ...(insensitive ? { insensitive: true } : {}), ...(sqlOp ? { sqlOp } : {}) };
      if (k === 'not' && u?.type === 'NullLiteral') c.value = 'not-null';
      else if (k === 'equals' && u?.type === 'NullLiteral') c.value = 'null';
      else if (k === 'equals' && u) {
        const lit = literalText(u);
        if (lit) c.value = lit;
      }
      out.push(c);
    }
    return out;
  }
  // A relation filter: `{ team: { ownerId } }`, `{ members: { some: { userId } } }`.
  const inner = keys.length === 1 && RELATION_KEYS.has(keys[0]) ? unwrap(props.get(keys[0])) : value;
  if (keys.length === 1 && (keys[0] === 'none' || keys[0] === 'isNot' || keys[0] === 'every')) return [];
  return conditions(inner, [...via, field], depth + 1, budget);
}

function orderBy(n: Node | undefined, q: OrmQuery): void {
  const v = unwrap(n);
  if (!v) return;
  const items = v.type === 'ArrayExpression' ? (v.elements as Node[]) : [v];
  for (const item of items) {
    const o = unwrap(item);
    if (o?.type !== 'ObjectExpression') return;
    for (const p of o.properties as Node[]) {
      if (p.type !== 'ObjectProperty') return;
      const field = propName(p.key as Node, p.computed as boolean);
      const dir = unwrap(p.value as Node);
      if (!field || !dir) return;
      // `{ createdAt: 'desc' }`, or `{ createdAt: { sort: 'desc', nulls: 'last' } }`; a relation's field (`{ team: { name: 'asc' } }`) is not this table's.
      const direction = stringValue(dir) ?? (dir.type === 'ObjectExpression' ? stringValue(plainProps(dir)?.get('sort')) : undefined);
      if (direction === undefined) continue;
      q.orderBy.push({ field, via: [], desc: direction === 'desc', span: spanOf(p) });
    }
  }
}
