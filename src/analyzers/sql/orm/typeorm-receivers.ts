/**
 * What the TypeORM extractors share: the entity a repository expression stands for, whether a receiver
 * is an EntityManager, a find options `where` object as conditions, and where the call sits.
 *
 * A repository is `x.getRepository(User)` (a DataSource, an EntityManager, the legacy global), a local
 * const bound to one (in the function or the module), a parameter typed `Repository<User>`, `this.repo`
 * for a class member injected with `@InjectRepository(User)`, typed `Repository<User>` or assigned
 * `….getRepository(User)`, `this` in a repository's `.extend({ … })` or in a class that extends
 * `Repository<User>`; `User` itself (and `this` in one
 * of its static methods) is an Active Record call, which counts only when User extends `BaseEntity`.
 * An EntityManager is a receiver whose last name ends in `manager` (`manager`, `this.entityManager`,
 * `dataSource.manager`, `queryRunner.manager`) or a parameter typed `EntityManager`; its calls name the
 * entity as first argument. Anything else is not followed.
 */
import { isCall, isFunction, memberPath, propName, stringValue, unwrap, type Node } from '../../../lang/javascript/ast.js';
import type { Span } from '../types.js';
import { functionNameOf, inErrorHandler, itemNames, localConstIn, loopAround, mentions, mutated } from './js-context.js';
import type { OrmCondition, OrmFieldCondition, OrmQuery, SqlOp } from './model.js';

export interface TypeormQuery extends OrmQuery {
  /** `withDeleted: true` / `.withDeleted()`: the entity's `deleted_at IS NULL` does not apply. */
  paranoidOff?: true;
  /** `User.find(…)`: an Active Record call, resolved only when User extends BaseEntity. */
  activeRecord?: true;
}

export interface TypeormSkip {
  reason: string;
  span: Span;
}

export class Skip extends Error {}

export interface Target {
  entity: string;
  activeRecord?: true;
}

export const spanOf = (n: Node): Span => ({ start: n.start, end: n.end });

const REPOSITORY_GETTERS = new Set(['getRepository', 'getTreeRepository']);
const REPOSITORY_TYPES = new Set(['Repository', 'TreeRepository']);
/** Built-ins and well-known objects whose methods share a name with a repository's. */
const GLOBALS = new Set(['Math', 'Object', 'Array', 'JSON', 'Promise', 'Number', 'Date', 'Reflect', 'String', 'Atomics', 'Intl', 'BigInt', 'Symbol', 'Map', 'Set', 'Buffer', 'URL']);
const MAX_DEPTH = 6;

/** An entity class named by an identifier (`User`), not a global. */
export function entityName(n: Node | undefined): string | undefined {
  const u = unwrap(n);
  if (u?.type !== 'Identifier') return undefined;
  const name = u.name as string;
  return /^[A-Z]/.test(name) && !GLOBALS.has(name) ? name : undefined;
}

/** `Repository<User>` (or `TreeRepository<User>`) as a type annotation → 'User'. */
function typedEntity(annotation: Node | undefined, types: ReadonlySet<string> = REPOSITORY_TYPES): string | undefined {
  const t = unwrap(annotation?.typeAnnotation as Node | undefined);
  if (t?.type !== 'TSTypeReference') return undefined;
  const name = memberPath(t.typeName as Node);
  if (!name || !types.has(name[name.length - 1])) return undefined;
  const params = (t.typeParameters?.params ?? []) as Node[];
  if (params.length !== 1 || params[0].type !== 'TSTypeReference') return undefined;
  const p = memberPath(params[0].typeName as Node);
  return p?.length === 1 ? p[0] : undefined;
}

/** The decorator `@InjectRepository(User)` among these → 'User'. */
function injected(decorators: Node[] | undefined): string | undefined {
  for (const d of decorators ?? []) {
    const e = unwrap(d.expression as Node);
    if (!e || !isCall(e)) continue;
    const p = memberPath(e.callee as Node);
    if (p?.[p.length - 1] === 'InjectRepository') return entityName((e.arguments as Node[])[0]);
  }
  return undefined;
}

/** The class around `anc`'s end whose `this` the code sees (arrow functions keep it; other functions end the search). */
function enclosingClass(anc: readonly Node[]): { cls: Node; member?: Node } | undefined {
  let member: Node | undefined;
  for (let i = anc.length - 1; i >= 0; i--) {
    const a = anc[i];
    if (a.type === 'ClassDeclaration' || a.type === 'ClassExpression') return { cls: a, ...(member ? { member } : {}) };
    if (a.type === 'ClassMethod' || a.type === 'ClassProperty' || a.type === 'ClassPrivateMethod' || a.type === 'ClassPrivateProperty') member = a;
    else if (a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression' || a.type === 'ObjectMethod') return undefined;
  }
  return undefined;
}

/** `this.<name>` of a class: a property or constructor parameter property with a known repository. */
function classMemberEntity(cls: Node, name: string, anc: readonly Node[], at: Node, depth: number): string | undefined {
  for (const m of (cls.body?.body ?? []) as Node[]) {
    if ((m.type === 'ClassProperty' || m.type === 'ClassAccessorProperty') && !m.static && propName(m.key as Node, m.computed as boolean) === name) {
      const e = injected(m.decorators as Node[] | undefined) ?? typedEntity(m.typeAnnotation as Node | undefined) ?? (m.value ? repositoryEntity(m.value as Node, anc, at, depth + 1)?.entity : undefined);
      if (e) return e;
    }
    if (m.type !== 'ClassMethod' || m.kind !== 'constructor') continue;
    for (const p of (m.params ?? []) as Node[]) {
      const param = p.type === 'TSParameterProperty' ? (p.parameter as Node) : p;
      if (param?.type !== 'Identifier' || param.name !== name || p.type !== 'TSParameterProperty') continue;
      const e = injected(p.decorators as Node[] | undefined) ?? injected(param.decorators as Node[] | undefined) ?? typedEntity(param.typeAnnotation as Node | undefined);
      if (e) return e;
    }
    // `this.repo = dataSource.getRepository(User)` in the constructor.
    for (const st of (m.body?.body ?? []) as Node[]) {
      const ex = st.type === 'ExpressionStatement' ? unwrap(st.expression as Node) : undefined;
      if (ex?.type !== 'AssignmentExpression') continue;
      const left = memberPath(ex.left as Node);
      if (left?.length === 2 && left[0] === 'this' && left[1] === name) {
        const e = repositoryEntity(ex.right as Node, anc, at, depth + 1)?.entity;
        if (e) return e;
      }
    }
  }
  return undefined;
}

/** The entity of a repository expression, or of an Active Record receiver (`User`, `this` in a static method). */
export function repositoryEntity(recv: Node | undefined, anc: readonly Node[], at: Node, depth = 0): Target | undefined {
  const u = unwrap(recv);
  if (!u || depth > MAX_DEPTH) return undefined;
  if (isCall(u)) {
    const p = memberPath(u.callee as Node);
    const last = p?.[p.length - 1];
    if (last && REPOSITORY_GETTERS.has(last)) {
      const e = entityName((u.arguments as Node[])[0]);
      return e ? { entity: e } : undefined;
    }
    // `….getRepository(User).extend({ … })`: the same repository with more methods.
    const callee = unwrap(u.callee as Node);
    if (last === 'extend' && callee && (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression')) return repositoryEntity(callee.object as Node, anc, at, depth + 1);
    return undefined;
  }
  if (u.type === 'Identifier') {
    const name = u.name as string;
    const found = localConstIn(name, anc, at);
    if (found) {
      if (isFunction(found.init)) {
        const param = ((found.init.params ?? []) as Node[]).find((x) => unwrap(x)?.type === 'Identifier' && x.name === name);
        const e = typedEntity(param?.typeAnnotation as Node | undefined);
        return e ? { entity: e } : undefined;
      }
      return repositoryEntity(found.init, anc, at, depth + 1);
    }
    const e = entityName(u);
    return e ? { entity: e, activeRecord: true } : undefined;
  }
  if (u.type === 'ThisExpression') {
    // `this` in a repository's `.extend({ findByName() { return this.findOneBy(…) } })`.
    for (let i = anc.length - 1; i >= 1; i--) {
      const a = anc[i];
      if (a.type === 'ObjectMethod' || (a.type === 'FunctionExpression' && anc[i - 1]?.type === 'ObjectProperty')) {
        const obj = anc[a.type === 'ObjectMethod' ? i - 1 : i - 2];
        const call = anc[a.type === 'ObjectMethod' ? i - 2 : i - 3];
        if (obj?.type !== 'ObjectExpression' || !call || !isCall(call) || !(call.arguments as Node[]).includes(obj)) return undefined;
        const p = memberPath(call.callee as Node);
        return p?.[p.length - 1] === 'extend' ? repositoryEntity(call, anc.slice(0, i - 2), at, depth + 1) : undefined;
      }
      if (a.type === 'ClassMethod' || a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression') break;
    }
    // `this` in a custom repository class (`class UserRepository extends Repository<User>`).
    const c = enclosingClass(anc);
    const sup = c && memberPath(c.cls.superClass as Node);
    const typeArgs = (c?.cls.superTypeParameters?.params ?? []) as Node[];
    if (c?.member && !c.member.static && sup?.length === 1 && REPOSITORY_TYPES.has(sup[0])) {
      const p = typeArgs.length === 1 && typeArgs[0].type === 'TSTypeReference' ? memberPath(typeArgs[0].typeName as Node) : undefined;
      return p?.length === 1 ? { entity: p[0] } : undefined;
    }
    for (let i = anc.length - 1; i >= 0; i--) {
      const a = anc[i];
      if ((a.type === 'ClassMethod' || a.type === 'ClassProperty') && !a.static) return undefined;
      if ((a.type === 'ClassDeclaration' || a.type === 'ClassExpression') && a.id) return { entity: a.id.name as string, activeRecord: true };
      if (a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression' || a.type === 'ObjectMethod') return undefined;
    }
    return undefined;
  }
  if ((u.type === 'MemberExpression' || u.type === 'OptionalMemberExpression') && !u.computed && unwrap(u.object as Node)?.type === 'ThisExpression') {
    const name = propName(u.property as Node);
    const c = enclosingClass(anc);
    if (!name || !c) return undefined;
    const e = classMemberEntity(c.cls, name, anc, at, depth);
    return e ? { entity: e } : undefined;
  }
  return undefined;
}

/** An EntityManager: a name ending in `manager`, or a parameter typed `EntityManager`. */
export function isManager(recv: Node | undefined, anc: readonly Node[], at: Node): boolean {
  const u = unwrap(recv);
  const p = memberPath(u);
  if (!p || p[p.length - 1].endsWith('()')) return false;
  if (/manager$/i.test(p[p.length - 1])) return true;
  if (u?.type !== 'Identifier') return false;
  const found = localConstIn(u.name as string, anc, at);
  if (!found || !isFunction(found.init)) return false;
  const param = ((found.init.params ?? []) as Node[]).find((x) => unwrap(x)?.type === 'Identifier' && x.name === u.name);
  const t = unwrap(param?.typeAnnotation?.typeAnnotation as Node | undefined);
  return t?.type === 'TSTypeReference' && memberPath(t.typeName as Node)?.join('.') === 'EntityManager';
}

/** An object or array literal, or a local unmutated const bound to one. */
export function literalArg(n: Node | undefined, anc: readonly Node[], at: Node, what: string): Node {
  const u = unwrap(n);
  if (u?.type === 'ObjectExpression' || u?.type === 'ArrayExpression') return u;
  if (u?.type === 'Identifier') {
    const found = localConstIn(u.name as string, anc, at);
    const init = unwrap(found?.init);
    if (found && (init?.type === 'ObjectExpression' || init?.type === 'ArrayExpression') && !mutated(u.name as string, found.scope)) return init;
    throw new Skip(`${what} \`${u.name as string}\` is not a local const literal left unchanged`);
  }
  throw new Skip(`${what} is not an object literal`);
}

export function literalValue(n: Node | undefined): { value?: string } {
  const u = unwrap(n);
  if (!u) return {};
  if (u.type === 'StringLiteral') return { value: `'${String(u.value)}'` };
  if (u.type === 'NumericLiteral' || u.type === 'BooleanLiteral') return { value: String(u.value) };
  return {};
}

/** A LIKE pattern written in the code that starts with a constant (`'abc%'`, `` `${'x'}…` `` no): a prefix an index serves. */
export function constantPrefix(n: Node | undefined): boolean {
  const u = unwrap(n);
  const s = stringValue(u) ?? (u?.type === 'TemplateLiteral' ? ((u.quasis[0]?.value?.cooked ?? '') as string) : undefined);
  return s !== undefined && s.length > 0 && s[0] !== '%' && s[0] !== '_';
}

const RANGE: Record<string, SqlOp> = { LessThan: '<', LessThanOrEqual: '<=', MoreThan: '>', MoreThanOrEqual: '>=', Between: 'BETWEEN' };
const MAX_WHERE_DEPTH = 50;

/** `where: { a, b: In([...]), team: { id } }` or `where: [{…}, {…}]` (an OR) → conditions. */
export function readWhere(n: Node, via: string[], depth: number): OrmCondition[] {
  const u = unwrap(n);
  if (u?.type === 'ArrayExpression') {
    const branches = (u.elements as (Node | null)[]).map((e) => {
      const o = unwrap(e ?? undefined);
      if (o?.type !== 'ObjectExpression') throw new Skip('a where branch is not an object literal');
      return readWhereObject(o, via, depth + 1);
    });
    if (branches.length === 1) return branches[0];
    return branches.length ? [{ or: branches, span: spanOf(u) }] : [];
  }
  if (u?.type !== 'ObjectExpression') throw new Skip('where is not an object literal');
  return readWhereObject(u, via, depth);
}

function readWhereObject(obj: Node, via: string[], depth: number): OrmCondition[] {
  if (depth > MAX_WHERE_DEPTH) throw new Skip('where nests too deeply');
  const out: OrmCondition[] = [];
  for (const prop of obj.properties as Node[]) {
    if (prop.type !== 'ObjectProperty' || prop.computed) throw new Skip('where holds a spread, a method or a computed key');
    const field = propName(prop.key as Node)!;
    const v = unwrap(prop.value as Node)!;
    if (v.type === 'ObjectExpression') {
      // A relation (or an embedded entity): `{ team: { id } }` is the join column itself, other fields a relation filter.
      for (const p of v.properties as Node[]) {
        if (p.type !== 'ObjectProperty' || p.computed) throw new Skip('where holds a spread, a method or a computed key');
        const inner = propName(p.key as Node);
        const iv = unwrap(p.value as Node);
        if (inner === 'id' && iv?.type !== 'ObjectExpression') out.push(...fieldConditions(field, via, p));
        else out.push(...readWhereObject({ ...v, properties: [p] }, [...via, field], depth + 1));
      }
      continue;
    }
    out.push(...fieldConditions(field, via, prop));
  }
  return out;
}

/** One field's value: a value (equality) or a TypeORM operator (`In`, `LessThan`, `Like`, `IsNull`, `Not`…). */
function fieldConditions(field: string, via: string[], prop: Node): OrmFieldCondition[] {
  const v = unwrap(prop.value as Node)!;
  const base = { field, via, span: spanOf(prop) };
  // TypeORM 0.3 drops a null (or undefined) value from the where: the call does not filter what it reads.
  if (v.type === 'NullLiteral' || (v.type === 'Identifier' && v.name === 'undefined')) throw new Skip(`${field}: null in a where is not a filter in TypeORM 0.3`);
  if (!isCall(v)) return [{ ...base, op: 'eq', ...literalValue(v) }];
  const path = memberPath(v.callee as Node);
  const op = path?.[path.length - 1];
  const args = v.arguments as Node[];
  if (!op || !/^[A-Z]/.test(op)) return [{ ...base, op: 'eq' }];
  if (op === 'Equal') return [{ ...base, op: 'eq', ...literalValue(args[0]) }];
  if (op === 'In') return [{ ...base, op: 'eq', sqlOp: 'IN' }];
  if (op === 'IsNull') return [{ ...base, op: 'eq', value: 'null' }];
  if (op in RANGE) return [{ ...base, op: 'range', sqlOp: RANGE[op] }];
  if (op === 'Like' || op === 'ILike') return [{ ...base, op: constantPrefix(args[0]) ? 'prefix' : 'other', ...(op === 'ILike' ? { insensitive: true } : {}) }];
  if (op === 'Not') {
    const inner = unwrap(args[0]);
    const innerOp = inner && isCall(inner) ? memberPath(inner.callee as Node)?.pop() : undefined;
    return [{ ...base, op: 'other', ...(innerOp === 'IsNull' ? { value: 'not-null' } : { sqlOp: '<>' as const }) }];
  }
  if (op === 'Raw') throw new Skip(`${field}: a Raw condition is not read`);
  throw new Skip(`${field}: the operator ${op} is not read`);
}

/** Names the function, the error path and the loop of a call, as the other JS extractors do; `reads` are the nodes whose reading of the loop item makes it N+1. */
export function placeCall(q: TypeormQuery, call: Node, anc: readonly Node[], reads: readonly (Node | undefined)[]): void {
  const fn = functionNameOf(anc);
  if (fn) q.functionName = fn;
  if (inErrorHandler(anc)) q.inErrorHandler = true;
  const loop = loopAround(anc);
  if (!loop) return;
  const names = itemNames(loop.body, loop.names, call.start);
  const usesItem = names.length > 0 && reads.some((a) => mentions(a, names));
  q.inLoop = { kind: loop.kind, span: loop.span, ...(usesItem ? { usesItem: true } : {}), ...(loop.overQueryRows ? { overQueryRows: true } : {}) };
}
