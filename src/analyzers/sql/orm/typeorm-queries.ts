/**
 * TypeORM query extractor (0.3 API): repository, EntityManager and Active Record calls, and
 * QueryBuilder chains (typeorm-builder.ts) → OrmQuery.
 *
 * Calls: `find`, `findOne(OrFail)`, `findAndCount`, `count`, `exist(s)` take find options (`where`,
 * `order`, `take`, `relations`, `withDeleted`); `findBy`, `findOneBy(OrFail)`, `findAndCountBy`,
 * `countBy`, `existsBy` a where; `update`, `delete`, `softDelete`, `restore`, `increment`, `decrement`
 * a criteria (a where, or primary key values); `sum` / `average` / `minimum` / `maximum` a column then a
 * where. On an EntityManager (`manager.find(User, {...})`) the entity comes first. Which entity a
 * receiver stands for: typeorm-receivers.ts; a receiver that names none is not followed.
 *
 * `where` is an object literal (fields equal values; `In`, `LessThan(OrEqual)`, `MoreThan(OrEqual)`,
 * `Between`, `Like` / `ILike` (a prefix when the pattern starts with a constant), `IsNull`, `Equal`,
 * `Not` (no index serves it)), an array of them (an OR), or a local const bound to one. A nested
 * object is a relation: `{ team: { id } }` filters the join column, other fields of it filter through
 * the relation. `Raw`, an unknown operator, a spread, a computed key or a null value (TypeORM 0.3 drops
 * it from the where) skip the call: an unseen condition may be the selective one.
 *
 * `functionName`, `inErrorHandler` and `inLoop` come from js-context.ts, as for the other JS extractors.
 */
import { isCall, memberPath, objectProps, parseJs, propName, stringValue, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import { builderTerminal, readBuilderChain } from './typeorm-builder.js';
import { entityName, isManager, literalArg, placeCall, readWhere, repositoryEntity, Skip, spanOf, type Target, type TypeormQuery, type TypeormSkip } from './typeorm-receivers.js';
import type { OrmQuery } from './model.js';

export type { TypeormQuery, TypeormSkip } from './typeorm-receivers.js';

type Arg = 'options' | 'where' | 'criteria' | 'column-where';

const METHODS: Record<string, { op: OrmQuery['operation']; arg: Arg; limited?: true }> = {
  find: { op: 'select', arg: 'options' },
  findAndCount: { op: 'select', arg: 'options' },
  findOne: { op: 'select', arg: 'options', limited: true },
  findOneOrFail: { op: 'select', arg: 'options', limited: true },
  count: { op: 'count', arg: 'options' },
  exist: { op: 'exists', arg: 'options', limited: true },
  exists: { op: 'exists', arg: 'options', limited: true },
  findBy: { op: 'select', arg: 'where' },
  findAndCountBy: { op: 'select', arg: 'where' },
  findOneBy: { op: 'select', arg: 'where', limited: true },
  findOneByOrFail: { op: 'select', arg: 'where', limited: true },
  countBy: { op: 'count', arg: 'where' },
  existsBy: { op: 'exists', arg: 'where', limited: true },
  update: { op: 'update', arg: 'criteria' },
  delete: { op: 'delete', arg: 'criteria' },
  softDelete: { op: 'update', arg: 'criteria' },
  restore: { op: 'update', arg: 'criteria' },
  increment: { op: 'update', arg: 'criteria' },
  decrement: { op: 'update', arg: 'criteria' },
  sum: { op: 'aggregate', arg: 'column-where' },
  average: { op: 'aggregate', arg: 'column-where' },
  minimum: { op: 'aggregate', arg: 'column-where' },
  maximum: { op: 'aggregate', arg: 'column-where' },
};

const FIND_OPTIONS = new Set(['select', 'where', 'relations', 'relationLoadStrategy', 'join', 'order', 'cache', 'lock', 'withDeleted', 'loadRelationIds', 'loadEagerRelations', 'transaction', 'skip', 'take', 'comment', 'maxExecutionTime']);

/** A criteria naming primary key values: a literal, a list of them, or a name that says it holds ids (`id`, `user.id`, `ids`). */
function primaryKeyCriteria(n: Node): boolean {
  const u = unwrap(n);
  if (!u) return false;
  if (u.type === 'StringLiteral' || u.type === 'NumericLiteral') return true;
  if (u.type === 'ArrayExpression') return (u.elements as (Node | null)[]).every((e) => !!e && e.type !== 'SpreadElement' && primaryKeyCriteria(e));
  const name = u.type === 'Identifier' ? (u.name as string) : (u.type === 'MemberExpression' || u.type === 'OptionalMemberExpression') && !u.computed ? propName(u.property as Node) : undefined;
  return !!name && /(?:^|[a-z_])(?:id|Id|ID|ids|Ids|IDs)$/.test(name);
}

/** Extracts TypeORM calls; `skipped` (optional) collects why calls were not followed. Never throws. */
export function extractTypeormQueries(path: string, text: string, skipped?: TypeormSkip[]): TypeormQuery[] {
  const out: TypeormQuery[] = [];
  try {
    if (!/\.(?:find|count|exist|update|delete|softDelete|restore|increment|decrement|sum|average|minimum|maximum|get[A-Z]|execute|stream)/.test(text)) return out;
    const parsed = parseJs(path, text);
    if ('error' in parsed) return out;
    walk(parsed.program, (n, anc) => {
      if (!isCall(n)) return;
      const callee = unwrap(n.callee as Node);
      if (!callee || (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') || callee.computed) return;
      const method = propName(callee.property as Node);
      if (!method) return;
      const label = (target: Target | undefined): string => `${target?.entity ?? '?'}.${method}`;
      let target: Target | undefined;
      try {
        if (builderTerminal(method)) {
          const q = readBuilderChain(n, anc);
          if (q) out.push(q);
          return;
        }
        if (!(method in METHODS)) return;
        const recv = callee.object as Node;
        const manager = isManager(recv, anc, n);
        const args = (n.arguments as Node[]).slice(manager ? 1 : 0);
        target = manager ? (entityName((n.arguments as Node[])[0]) ? { entity: entityName((n.arguments as Node[])[0])! } : undefined) : repositoryEntity(recv, anc, n);
        if (!target) return;
        out.push(readCall(n, callee, method, target, args, anc));
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        skipped?.push({ reason: `${label(target)}: ${e.message}`, span: spanOf(n) });
      }
    });
  } catch (e) {
    skipped?.push({ reason: `extractor failed: ${String((e as Error)?.message ?? e)}`, span: { start: 0, end: 0 } });
  }
  return out;
}

function readCall(call: Node, callee: Node, method: string, target: Target, args: Node[], anc: readonly Node[]): TypeormQuery {
  const spec = METHODS[method];
  const q: TypeormQuery = {
    orm: 'typeorm',
    model: target.entity,
    operation: spec.op,
    method,
    span: spanOf(call),
    nameSpan: { start: callee.start, end: (callee.property as Node).end },
    where: [],
    orderBy: [],
    limited: !!spec.limited,
    joins: [],
    ...(target.activeRecord ? { activeRecord: true as const } : {}),
  };
  const reads: (Node | undefined)[] = [...args];
  if (spec.arg === 'options') {
    if (args[0]) {
      const opts = literalArg(args[0], anc, call, 'the options');
      reads.push(opts);
      if (opts.type !== 'ObjectExpression') throw new Skip('the options are not an object literal');
      // A spread or a computed key may carry a where or a take: not seen whole.
      if ((opts.properties as Node[]).some((x) => x.type !== 'ObjectProperty' || x.computed)) throw new Skip('the options have a spread, a method or a computed key');
      const p = objectProps(opts);
      // Read: where, order, take, relations, withDeleted; the other find options filter nothing. Any other key is
      // TypeORM 0.2's conditions (`findOne({ slug })`) or something unknown: not followed.
      for (const k of p.keys()) if (!FIND_OPTIONS.has(k)) throw new Skip(`\`${k}\` is no find option (TypeORM 0.2 conditions?)`);
      const where = p.get('where');
      if (where) {
        const w = literalArg(where.value, anc, call, 'where');
        reads.push(w);
        q.where.push(...readWhere(w, [], 0));
      }
      if (p.has('take')) q.limited = true;
      const withDeleted = unwrap(p.get('withDeleted')?.value);
      if (withDeleted?.type === 'BooleanLiteral' && withDeleted.value === true) q.paranoidOff = true;
      readOrder(p.get('order')?.value, q, []);
      readRelations(p.get('relations')?.value, q);
    }
  } else if (spec.arg === 'where' || spec.arg === 'column-where') {
    const w = spec.arg === 'where' ? args[0] : args[1];
    if (spec.arg === 'where' && !w) throw new Skip('no where');
    if (w) {
      const lit = literalArg(w, anc, call, 'where');
      reads.push(lit);
      q.where.push(...readWhere(lit, [], 0));
    }
  } else {
    const c = args[0];
    if (!c) throw new Skip('no criteria');
    const u = unwrap(c)!;
    if (primaryKeyCriteria(u)) {
      const list = u.type === 'ArrayExpression' || /(?:ids|Ids|IDs)$/.test(memberPath(u)?.pop() ?? '');
      q.where.push({ field: 'pk', via: [], op: 'eq', ...(list ? { sqlOp: 'IN' as const } : {}), span: spanOf(u) });
    }
    else {
      const lit = literalArg(u, anc, call, 'the criteria');
      reads.push(lit);
      q.where.push(...readWhere(lit, [], 0));
    }
  }
  placeCall(q, call, anc, reads);
  return q;
}

/** `order: { createdAt: 'DESC', team: { name: 'ASC' } }`; a direction not written in the code reads as ascending. */
function readOrder(n: Node | undefined, q: TypeormQuery, via: string[]): void {
  const u = unwrap(n);
  if (u?.type !== 'ObjectExpression' || via.length > 5) return;
  for (const p of u.properties as Node[]) {
    if (p.type !== 'ObjectProperty' || p.computed) continue;
    const field = propName(p.key as Node);
    const v = unwrap(p.value as Node);
    if (!field || !v) continue;
    const dir = stringValue(v) ?? stringValue(objectProps(v).get('direction')?.value);
    if (v.type === 'ObjectExpression' && dir === undefined) {
      readOrder(v, q, [...via, field]);
      continue;
    }
    const desc = (dir !== undefined && /^desc$/i.test(dir)) || (v.type === 'UnaryExpression' && v.operator === '-');
    q.orderBy.push({ field, via, desc, span: spanOf(p) });
  }
}

/** `relations: ['team', 'team.owner']` or `{ team: { owner: true } }`: joins. */
function readRelations(n: Node | undefined, q: TypeormQuery, via: string[] = []): void {
  const u = unwrap(n);
  if (!u || via.length > 5) return;
  if (u.type === 'ArrayExpression') {
    for (const e of u.elements as (Node | null)[]) {
      const s = stringValue(e ?? undefined);
      if (s !== undefined && e) q.joins.push({ relation: s, span: spanOf(e) });
    }
    return;
  }
  if (u.type !== 'ObjectExpression') return;
  for (const p of u.properties as Node[]) {
    if (p.type !== 'ObjectProperty' || p.computed) continue;
    const name = propName(p.key as Node);
    const v = unwrap(p.value as Node);
    if (!name || (v?.type === 'BooleanLiteral' && v.value === false)) continue;
    q.joins.push({ relation: [...via, name].join('.'), span: spanOf(p) });
    if (v?.type === 'ObjectExpression') readRelations(v, q, [...via, name]);
  }
}
