/**
 * Shared machinery of the query-builder extractors (Kysely, knex): method chains
 * (`db.selectFrom('t').where(…).execute()`) flattened into links, builders kept in variables and
 * extended over several statements (`let qb = …; qb = qb.where(…)`), table and column names written
 * as literals or as string constants, comparison operators, and the function / loop a call sits in.
 *
 * Both libraries name database tables and columns directly: a query sets `OrmQuery.table`, and a
 * field is a column as written. A column qualified by the main table or its alias (`p.age` in
 * `selectFrom('person as p')`) is that table's; qualified by a joined table, `via` is `[joined table]`.
 *
 * A chain stored in a variable is a builder, not a query: it is read where it is extended and run
 * (awaited, returned, `.execute()`d). A chain inside another chain's arguments is a subquery and is
 * not a query of its own. Anything that cannot be followed (a where callback that does more than
 * compare, a raw SQL piece, an unknown method, a builder passed in from elsewhere) skips the query.
 */
import { isCall, isFunction, memberPath, parseJs, patternNames, propName, spanOf, stringValue, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import type { Span } from '../types.js';
import type { OrmCondition, OrmFieldCondition, OrmOp, OrmQuery } from './model.js';
import { functionNameOf, loopAround, mentions, inErrorHandler } from './js-context.js';

/** Names bound to string constants: `TableUser` → 'user', `FieldNameUser.id` → 'id' (enum members and `as const` object members). */
export type StringConstants = ReadonlyMap<string, string>;

export interface BuilderQuery extends OrmQuery {
  /** Conditions added only on some paths (`if (x) qb = qb.where(…)`, in a loop body): not always applied. */
  conditionalWhere?: OrmCondition[];
}

export interface BuilderSkip {
  reason: string;
  span: Span;
}

export interface BuilderOptions {
  /** String constants read from other files (see readStringConstants); the file's own are always read. */
  constants?: StringConstants;
  /** Collects why chains were not followed. */
  skipped?: BuilderSkip[];
}

export interface Link {
  method: string;
  args: Node[];
  call: Node;
  /** The property node of the method (`where` in `.where(…)`). */
  prop: Node;
}

export interface State {
  table: string;
  /** Names that denote the main table in `x.col`: its name and its alias. */
  selfNames: Set<string>;
  /** Alias or name → joined table. */
  joined: Map<string, string>;
  operation: OrmQuery['operation'];
  method: string;
  nameSpan: Span;
  where: OrmCondition[];
  conditionalWhere: OrmCondition[];
  orderBy: OrmQuery['orderBy'];
  limited: boolean;
  joins: OrmQuery['joins'];
  /** Argument nodes of every link read (for the loop item test). */
  argNodes: Node[];
  /** Chain ended in a subquery alias (`.as('x')`): not a query of its own. */
  subquery?: boolean;
  /** Insert (no where to judge): not reported. */
  insert?: boolean;
  /** Conditions currently go to conditionalWhere (assignments on some paths). */
  conditional?: boolean;
  /** The chain runs the query (Kysely `.execute()`). */
  runs?: boolean;
}

export class Skip extends Error {}

export interface Ctx {
  consts: StringConstants;
  anc: readonly Node[];
  program: Node;
}

export interface Lib {
  orm: 'kysely' | 'knex';
  /** Queries run only at an explicit call (Kysely `.execute()`), never by being awaited. */
  needsRun?: boolean;
  /** A cheap text test before parsing. */
  mayHave(text: string): boolean;
  /** A cheap test of a chain before it is followed: could it be this library's? */
  relevant(base: Node, links: readonly Link[]): boolean;
  /** The state a root (not a builder variable) starts, and the first link after the start; undefined when the chain is not this library's. Throws Skip when it is but cannot be read. */
  start(base: Node, links: Link[], ctx: Ctx): { state: State; next: number } | undefined;
  /** Applies one link; throws Skip when it cannot be read. */
  apply(state: State, link: Link, ctx: Ctx): void;
  /** Link methods whose function arguments are separate queries (a transaction callback), not subqueries. */
  callbackMethods: ReadonlySet<string>;
}

const MAX_DEPTH = 100;
const CASTS = new Set(['ParenthesizedExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion']);
const MAX_LINKS = 200;
const MAX_CONDITIONS = 200;
const MAX_BINDING_DEPTH = 8;

export function newState(table: string, alias: string | undefined, method: string, nameSpan: Span, operation: OrmQuery['operation'] = 'select'): State {
  return { table, selfNames: new Set(alias ? [table, alias] : [table]), joined: new Map(), operation, method, nameSpan, where: [], conditionalWhere: [], orderBy: [], limited: false, joins: [], argNodes: [] };
}

/** A call chain `base.a(…).b(…)…` from its outermost call: the base and the links, innermost first. */
export function flatten(outer: Node): { base: Node; links: Link[] } | undefined {
  const links: Link[] = [];
  let cur: Node | undefined = unwrap(outer);
  while (cur && isCall(cur) && links.length < MAX_LINKS) {
    const callee = unwrap(cur.callee as Node);
    if (!callee || (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') || callee.computed) break;
    const method = propName(callee.property as Node);
    if (!method) return undefined;
    links.push({ method, args: cur.arguments as Node[], call: cur, prop: callee.property as Node });
    cur = unwrap(callee.object as Node);
  }
  if (!cur || links.length >= MAX_LINKS) return undefined;
  links.reverse();
  return { base: cur, links };
}

/** A string a call argument names: a literal, a constant, or a template of those. */
export function str(n: Node | undefined, consts: StringConstants): string | undefined {
  const u = unwrap(n);
  if (!u) return undefined;
  const s = stringValue(u);
  if (s !== undefined) return s;
  if (u.type === 'Identifier' || u.type === 'MemberExpression') {
    const p = memberPath(u);
    return p ? consts.get(p.join('.')) : undefined;
  }
  if (u.type === 'TemplateLiteral' && u.expressions.length <= 8) {
    let out = '';
    const quasis = u.quasis as Node[];
    for (let i = 0; i < quasis.length; i++) {
      out += (quasis[i].value?.cooked ?? '') as string;
      if (i < u.expressions.length) {
        const v = str(u.expressions[i] as Node, consts);
        if (v === undefined) return undefined;
        out += v;
      }
    }
    return out;
  }
  return undefined;
}

/** `'person as p'` → table and alias. */
export function tableRef(s: string): { table: string; alias?: string } | undefined {
  const parts = s.trim().split(/\s+/);
  if (parts.length === 1 && parts[0]) return { table: parts[0] };
  if (parts.length === 3 && parts[1].toLowerCase() === 'as') return { table: parts[0], alias: parts[2] };
  return undefined;
}

/** A column reference as written (`p.age`, `age`, `public.person.age`) → field and via, or undefined when its qualifier is not a table of the query. */
export function column(s: string, st: State): { field: string; via: string[] } | undefined {
  const parts = s.trim().split('.');
  if (parts.some((p) => !p || /\s/.test(p))) return undefined;
  if (parts.length === 1) return parts[0] === '*' ? undefined : { field: parts[0], via: [] };
  const field = parts[parts.length - 1];
  const qual = parts[parts.length - 2];
  if (st.selfNames.has(qual)) return { field, via: [] };
  const joined = st.joined.get(qual);
  return joined ? { field, via: [joined] } : undefined;
}

export function literalText(n: Node | undefined): string | undefined {
  const u = unwrap(n);
  if (!u) return undefined;
  if (u.type === 'StringLiteral') return `'${String(u.value).replace(/'/g, "''")}'`;
  if (u.type === 'NumericLiteral') return String(u.value);
  if (u.type === 'BooleanLiteral') return u.value ? 'true' : 'false';
  return undefined;
}

/** A `column op value` comparison (Kysely `where(a, op, b)`, `eb(a, op, b)`, knex `where(a, op, b)`). */
export function comparison(colText: string, opText: string, value: Node | undefined, span: Span, st: State): OrmFieldCondition {
  const col = column(colText, st);
  if (!col) throw new Skip(`column ${colText} is not of a table of the query`);
  const op = opText.trim().toLowerCase().replace(/\s+/g, ' ');
  const v = unwrap(value);
  const isNull = v?.type === 'NullLiteral';
  const c: OrmFieldCondition = { field: col.field, via: col.via, op: 'other', span };
  if (op === '=' || op === '==' || op === 'is' || op === 'in') {
    c.op = 'eq';
    if (isNull) c.value = 'null';
    else if (op !== 'in') {
      const lit = literalText(v);
      if (lit) c.value = lit;
    }
  } else if (op === '<' || op === '>' || op === '<=' || op === '>=' || op === 'between' || op === 'between symmetric') {
    c.op = 'range';
  } else if (op === 'like' || op === 'ilike') {
    const pattern = v?.type === 'StringLiteral' ? String(v.value) : undefined;
    // A literal pattern without a leading wildcard is a prefix search; anything else is not served by a B-tree.
    if (pattern !== undefined && pattern.length > 0 && pattern[0] !== '%' && pattern[0] !== '_') c.op = 'prefix';
    if (op === 'ilike') c.insensitive = true;
  } else if ((op === 'is not' || op === '!=' || op === '<>') && isNull) {
    c.value = 'not-null';
  }
  return c;
}

export function pushCondition(st: State, conds: OrmCondition[]): void {
  const target = st.conditional ? st.conditionalWhere : st.where;
  if (target.length + conds.length > MAX_CONDITIONS) throw new Skip('too many conditions');
  target.push(...conds);
}

/** knex / Kysely `orWhere`: everything so far OR the new conditions. */
export function pushOr(st: State, conds: OrmCondition[], span: Span): void {
  if (st.conditional) throw new Skip('orWhere on some paths only');
  if (!st.where.length) {
    pushCondition(st, conds);
    return;
  }
  st.where = [{ or: [st.where, conds], span }];
}

export function orderItem(st: State, colText: string | undefined, dir: string | undefined, span: Span): void {
  if (st.conditional || colText === undefined) return;
  const parts = colText.trim().split(/\s+/);
  const col = column(parts[0], st);
  if (!col || parts.length > 2) return;
  const d = (dir ?? parts[1] ?? 'asc').toLowerCase();
  st.orderBy.push({ field: col.field, via: col.via, desc: d === 'desc', span });
}

/** Reads top-level string constants: `const TableUser = 'user'`, `enum F { id = 'id' }`, `const F = { id: 'id' } as const`. */
export function readStringConstants(path: string, text: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const parsed = parseJs(path, text);
    if ('error' in parsed) return out;
    collectConstants(parsed.program, out);
  } catch {
    // hostile input: what was read stays
  }
  return out;
}

function collectConstants(program: Node, out: Map<string, string>): void {
  for (const raw of program.body as Node[]) {
    const s = raw.type === 'ExportNamedDeclaration' && raw.declaration ? (raw.declaration as Node) : raw;
    if (out.size > 5000) return;
    if (s.type === 'VariableDeclaration' && s.kind === 'const') {
      for (const d of s.declarations as Node[]) {
        if (d.id?.type !== 'Identifier' || !d.init) continue;
        const name = d.id.name as string;
        const v = stringValue(d.init as Node);
        if (v !== undefined) out.set(name, v);
        const o = unwrap(d.init as Node);
        if (o?.type === 'ObjectExpression') {
          for (const p of o.properties as Node[]) {
            const k = p.type === 'ObjectProperty' ? propName(p.key as Node, p.computed as boolean) : undefined;
            const pv = k !== undefined ? stringValue(p.value as Node) : undefined;
            if (k !== undefined && pv !== undefined) out.set(`${name}.${k}`, pv);
          }
        }
      }
    } else if (s.type === 'TSEnumDeclaration') {
      const name = (s.id as Node).name as string;
      const members = ((s.members ?? (s.body as Node | undefined)?.members ?? []) as Node[]);
      for (const m of members) {
        const k = propName(m.id as Node);
        const v = stringValue(m.initializer as Node | undefined);
        if (k !== undefined && v !== undefined) out.set(`${name}.${k}`, v);
      }
    }
  }
}

/** Runs one library's extractor over a file. Never throws. */
export function extractBuilderQueries(lib: Lib, path: string, text: string, opts: BuilderOptions = {}): BuilderQuery[] {
  const out: BuilderQuery[] = [];
  const skip = (reason: string, span: Span): void => {
    opts.skipped?.push({ reason, span });
  };
  try {
    if (text.length > 512_000 || !lib.mayHave(text)) return out;
    const parsed = parseJs(path, text);
    if ('error' in parsed) return out;
    const consts = new Map(opts.constants ?? []);
    collectConstants(parsed.program, consts);
    /** Argument ranges of chains already read: chains inside them are subqueries. */
    const inner: Span[] = [];
    walk(parsed.program, (n, anc) => {
      if (anc.length > MAX_DEPTH * 4) return false;
      if (!isCall(n) || !outermost(n, anc)) return undefined;
      if (inner.some((r) => r.start <= n.start && n.end <= r.end)) return undefined;
      const flat = flatten(n);
      if (!flat || !flat.links.length || !lib.relevant(flat.base, flat.links)) return undefined;
      const ctx: Ctx = { consts, anc, program: parsed.program };
      let st: State | undefined;
      try {
        st = chainState(lib, flat, n, ctx, 0);
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        // A Kysely chain that never runs (a subquery helper) is not a skipped query.
        if (!lib.needsRun || flat.links.some((l) => /^(?:execute|stream)/.test(l.method))) skip(`${lib.orm}: ${e.message}`, spanOf(n));
        markInner(lib, flat.links, inner);
        return undefined;
      }
      if (!st) return undefined;
      markInner(lib, flat.links, inner);
      if (st.subquery || st.insert) return undefined;
      if (!st.runs && (lib.needsRun || stored(n, anc))) return undefined;
      out.push(toQuery(lib, st, n, anc));
      return undefined;
    });
  } catch (e) {
    skip(`${lib.orm}: extractor failed: ${String((e as Error)?.message ?? e)}`, { start: 0, end: 0 });
  }
  return out;
}

function markInner(lib: Lib, links: Link[], inner: Span[]): void {
  for (const l of links) {
    if (lib.callbackMethods.has(l.method)) continue;
    for (const a of l.args) inner.push(spanOf(a));
  }
}

/** Is the call the outermost of its chain (not the object of a further `.method(…)` call)? */
function outermost(n: Node, anc: readonly Node[]): boolean {
  const p = anc[anc.length - 1];
  const gp = anc[anc.length - 2];
  if (p && (p.type === 'MemberExpression' || p.type === 'OptionalMemberExpression') && p.object === n && gp && isCall(gp) && gp.callee === p) return false;
  return true;
}

/** Is the chain kept in a variable (a builder to extend), rather than run here? */
function stored(n: Node, anc: readonly Node[]): boolean {
  let child = n;
  for (let i = anc.length - 1; i >= 0; i--) {
    const a = anc[i];
    if (a.type === 'ParenthesizedExpression' || a.type === 'TSAsExpression' || a.type === 'TSSatisfiesExpression' || a.type === 'TSNonNullExpression' || (a.type === 'ConditionalExpression' && a.test !== child)) {
      child = a;
      continue;
    }
    return (a.type === 'VariableDeclarator' && a.init === child) || (a.type === 'AssignmentExpression' && a.right === child);
  }
  return false;
}

/** The state a chain builds, following a builder variable at its base; undefined when the chain is not the library's. */
function chainState(lib: Lib, flat: { base: Node; links: Link[] }, at: Node, ctx: Ctx, depth: number): State | undefined {
  if (depth > MAX_BINDING_DEPTH) throw new Skip('builder variables nested too deep');
  let st: State | undefined;
  let next = 0;
  if (flat.base.type === 'Identifier') {
    st = bindingState(lib, flat.base.name as string, at, ctx, depth);
  }
  if (!st) {
    const started = lib.start(flat.base, flat.links, ctx);
    if (!started) return undefined;
    st = started.state;
    next = started.next;
  }
  for (let i = next; i < flat.links.length; i++) {
    st.argNodes.push(...flat.links[i].args);
    lib.apply(st, flat.links[i], ctx);
  }
  return st;
}

/** A builder kept in `name`: its declaration's chain, then each `name = name.…` before `at`, in the same function. */
function bindingState(lib: Lib, name: string, at: Node, ctx: Ctx, depth: number): State | undefined {
  const anc = ctx.anc;
  for (let i = anc.length - 1; i >= 0; i--) {
    const scope = anc[i];
    if (!isFunction(scope) && scope.type !== 'Program') continue;
    let decl: { init: Node; end: number } | undefined;
    const assigns: { right: Node; anc: Node[] }[] = [];
    let foreign = false;
    walk(scope, (n, up) => {
      if (n !== scope && isFunction(n)) {
        // A parameter of the same name in a nested function shadows; skip nested functions entirely.
        return false;
      }
      if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && n.id.name === name && n.start < at.start) {
        if (n.init) decl = { init: n.init as Node, end: n.end };
        else foreign = true;
      }
      if (n.type === 'AssignmentExpression' && n.left?.type === 'Identifier' && n.left.name === name && n.end <= at.start) {
        if (n.operator !== '=') foreign = true;
        else assigns.push({ right: n.right as Node, anc: [...up] });
      }
      return undefined;
    });
    if (!decl && scope !== anc[0] && ((scope.params ?? []) as Node[]).some((p) => patternNames(p).includes(name))) {
      // A builder passed in as a parameter is not followed (its filters are elsewhere).
      return undefined;
    }
    // `let x;` assigned later is not followed: not a builder.
    if (!decl) {
      if (foreign) return undefined;
      continue;
    }
    const d = decl;
    // `const rows = await q…`: the rows, not a builder.
    let bare: Node | undefined = d.init;
    for (let k = 0; k < 16 && bare && CASTS.has(bare.type); k++) bare = bare.expression as Node | undefined;
    if (bare?.type === 'AwaitExpression') return undefined;
    const init = unwrap(d.init);
    const flat = init && isCall(init) ? flatten(init) : undefined;
    if (!flat) return undefined;
    const sub: Ctx = { ...ctx, anc: anc.slice(0, i + 1) };
    const st = chainState(lib, flat, init as Node, sub, depth + 1);
    if (!st) return undefined;
    if (foreign) throw new Skip(`builder ${name} is changed in a way not followed`);
    for (const a of assigns) {
      if (a.right.start < d.end) continue;
      st.conditional = underCondition(a.anc, scope);
      applyAssignment(lib, st, name, a.right, { ...sub, anc: a.anc }, depth);
    }
    st.conditional = false;
    return st;
  }
  return undefined;
}

/** Inside an if / loop / switch / try / conditional expression below the scope: only on some paths. */
function underCondition(up: readonly Node[], scope: Node): boolean {
  const at = up.indexOf(scope);
  for (let i = at + 1; i < up.length; i++) {
    const t = up[i].type;
    if (t === 'IfStatement' || t === 'SwitchStatement' || t === 'ConditionalExpression' || t === 'LogicalExpression' || t === 'TryStatement' || t === 'ForStatement' || t === 'ForOfStatement' || t === 'ForInStatement' || t === 'WhileStatement' || t === 'DoWhileStatement') return true;
  }
  return false;
}

function applyAssignment(lib: Lib, st: State, name: string, right: Node, ctx: Ctx, depth: number): void {
  const r = unwrap(right);
  if (r?.type === 'ConditionalExpression') {
    // `qb = c ? qb.where(a) : qb.where(b)`: one of the two, an OR of what each adds.
    const branches: OrmCondition[][] = [];
    for (const side of [r.consequent as Node, r.alternate as Node]) {
      const copy: State = { ...st, where: [], conditionalWhere: [], conditional: false, orderBy: [...st.orderBy], joins: [...st.joins], argNodes: st.argNodes };
      extendWith(lib, copy, name, side, ctx, depth);
      if (copy.conditionalWhere.length) throw new Skip('nested conditional filters');
      branches.push(copy.where);
    }
    const span = spanOf(r);
    if (branches.every((b) => b.length)) pushCondition(st, [{ or: branches, span }]);
    else {
      // One side adds nothing: its filters apply only on some paths.
      const was = st.conditional;
      st.conditional = true;
      pushCondition(st, branches.flat());
      st.conditional = was;
    }
    return;
  }
  extendWith(lib, st, name, right, ctx, depth);
}

function extendWith(lib: Lib, st: State, name: string, expr: Node, ctx: Ctx, depth: number): void {
  const e = unwrap(expr);
  if (e?.type === 'Identifier' && e.name === name) return;
  const flat = e && isCall(e) ? flatten(e) : undefined;
  if (!flat || flat.base.type !== 'Identifier' || flat.base.name !== name) throw new Skip(`builder ${name} is reassigned from something else`);
  if (depth > MAX_BINDING_DEPTH) throw new Skip('too deep');
  for (const l of flat.links) {
    st.argNodes.push(...l.args);
    lib.apply(st, l, ctx);
  }
}

function toQuery(lib: Lib, st: State, n: Node, anc: readonly Node[]): BuilderQuery {
  const q: BuilderQuery = {
    orm: lib.orm, table: st.table, operation: st.operation, method: st.method, span: spanOf(n), nameSpan: st.nameSpan,
    where: st.where, orderBy: st.orderBy, limited: st.limited, joins: st.joins,
  };
  if (st.conditionalWhere.length) q.conditionalWhere = st.conditionalWhere;
  const fn = functionNameOf(anc);
  if (fn) q.functionName = fn;
  if (inErrorHandler(anc)) q.inErrorHandler = true;
  const loop = loopAround(anc);
  if (loop) q.inLoop = { kind: loop.kind, span: loop.span, ...(loop.names.length && st.argNodes.some((a) => mentions(a, loop.names)) ? { usesItem: true } : {}), ...(loop.overQueryRows ? { overQueryRows: true } : {}) };
  return q;
}




export type { OrmOp };
