/**
 * Database / Redis clients and connection pools in one JS/TS file: clients created per request
 * (inside a route handler, a Nest controller method, a Next.js route or a function those call),
 * with a precomputed "hoist to module level" fix when it is safe; pool options of pg, mysql/mysql2,
 * knex, Sequelize and TypeORM; Prisma `connection_limit` in URL literals.
 */
import type { Span } from '../../kernel/model.js';
import {
  collectImports, declaredNames, isCall, isFunction, memberPath, numberValue, objectProps, parseJs, patternNames, propName,
  referencedNames, requireOf, spanOf, stringValue, topLevelNames, unwrap, walk, type ImportBinding, type Node,
} from '../../lang/javascript/ast.js';
import { eolOf, indentAt, lineStartOf, objectInfo, removeStatementEdit, setPropsEdits, type TextEditSpan } from '../../lang/javascript/edits.js';
import { isNextRouteFile } from '../../lang/javascript/ast.js';

export type ClientKind = 'pg.Client' | 'pg.Pool' | 'mysql.createConnection' | 'mysql.createPool' | 'ioredis' | 'redis.createClient' | 'PrismaClient';

export interface ClientCreation {
  kind: ClientKind;
  /** The module it comes from (pg, mysql2/promise, ioredis, @prisma/client…). */
  module: string;
  span: Span;
  /** Set when the client is created for every request. */
  perRequest?: { how: string; handlerSpan: Span };
  /** The module-level hoist, when it is safe (see docs/rules/pool-client-per-request.md). */
  hoist?: { title: string; edits: TextEditSpan[] };
  /** Why no hoist is offered (for the message). */
  noHoist?: string;
}

export interface PoolOptions {
  lib: 'pg' | 'mysql' | 'knex' | 'sequelize' | 'typeorm';
  /** The options object, or the creating call when there are none. */
  span: Span;
  /** Options the pool relies on defaults for (pg: max, idleTimeoutMillis, connectionTimeoutMillis; mysql: connectionLimit). */
  missing: string[];
  /** Adds the missing options with explicit values. */
  addMissing?: TextEditSpan[];
  min?: { value: number; span: Span };
  max?: { value: number; span: Span; key: string };
  /** SQLite (one writer): a pool of 1 is normal. */
  sqlite: boolean;
  /** The pool is created per request (reported by pool-client-per-request instead). */
  perRequest?: boolean;
}

export interface ConnectionLimit {
  span: Span;
  value: number;
  /** Removes the parameter from the URL. */
  removal: TextEditSpan;
}

export interface PoolFacts {
  clients: ClientCreation[];
  pools: PoolOptions[];
  connectionLimits: ConnectionLimit[];
}

/** Explicit values the pool-options fix writes (pg's defaults for max and idle; a bounded wait instead of pg's infinite one). */
export const PG_POOL_DEFAULTS: Record<string, string> = { max: '10', idleTimeoutMillis: '10000', connectionTimeoutMillis: '5000' };
export const MYSQL_POOL_DEFAULTS: Record<string, string> = { connectionLimit: '10' };

const MYSQL_MODULES = new Set(['mysql', 'mysql2', 'mysql2/promise']);
const PRISMA_MODULE = /(?:^@prisma\/client$|prisma|generated)/;
const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'use']);
const NEST_ROUTE = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All']);
const NEXT_APP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const SQLITE = /sqlite/i;

/** A cheap test before parsing. */
export function mayHavePools(text: string): boolean {
  return /['"](?:pg|mysql2?(?:\/promise)?|ioredis|redis|@prisma\/client|knex|sequelize|@sequelize\/core|sequelize-typescript|typeorm|@nestjs\/typeorm)['"]|PrismaClient|connection_limit=/.test(text);
}

const SEQUELIZE_MODULES = new Set(['sequelize', '@sequelize/core', 'sequelize-typescript']);

interface Ctx {
  text: string;
  program: Node;
  imports: Map<string, ImportBinding>;
}

function binding(ctx: Ctx, n: Node | undefined): { source: string; imported: string } | undefined {
  const u = unwrap(n);
  if (!u) return undefined;
  if (u.type === 'Identifier') return ctx.imports.get(u.name as string);
  const r = requireOf(u);
  return r ? { source: r.source, imported: r.member ?? '*' } : undefined;
}

/** `new Sequelize(…)` (from sequelize, @sequelize/core or sequelize-typescript, imported or required). */
function isNewSequelize(ctx: Ctx, n: Node | undefined): boolean {
  if (n?.type !== 'NewExpression') return false;
  const callee = unwrap(n.callee as Node);
  if (!callee) return false;
  const direct = binding(ctx, callee);
  if (direct && SEQUELIZE_MODULES.has(direct.source)) return ['Sequelize', 'default', '*'].includes(direct.imported);
  if (callee.type !== 'MemberExpression' || callee.computed || propName(callee.property as Node) !== 'Sequelize') return false;
  const ns = binding(ctx, callee.object as Node);
  return !!ns && SEQUELIZE_MODULES.has(ns.source);
}

/**
 * The pool of `new Sequelize(url, options)` / `new Sequelize(db, user, password, options)`: the
 * `pool` of the last argument when it is an object literal (no dialect key needed: the URL names it).
 */
function sequelizePool(n: Node): PoolOptions | undefined {
  const args = n.arguments as Node[];
  const last = unwrap(args[args.length - 1]);
  if (last?.type !== 'ObjectExpression') return undefined;
  const props = objectProps(last);
  const dialect = stringValue(props.get('dialect')?.value) ?? stringValue(props.get('url')?.value) ?? (args.length > 1 ? stringValue(args[0]) : undefined) ?? '';
  return knexLike(last, 'sequelize', SQLITE.test(dialect));
}

/** What a `new X()` / `f()` creates, if it is a client or pool we know. */
function clientKindOf(ctx: Ctx, n: Node): { kind: ClientKind; module: string; calleeSpan: Span; nsText?: string } | undefined {
  const callee = unwrap(n.callee as Node);
  if (!callee) return undefined;
  const direct = binding(ctx, callee);
  let ns: { source: string; imported: string } | undefined;
  let member: string | undefined;
  if (callee.type === 'MemberExpression' && !callee.computed) {
    ns = binding(ctx, callee.object as Node);
    member = propName(callee.property as Node);
  }
  const named = (src: (s: string) => boolean, names: string[]): string | undefined => {
    if (direct && src(direct.source) && names.includes(direct.imported)) return direct.imported;
    if (ns && src(ns.source) && (ns.imported === '*' || ns.imported === 'default') && member && names.includes(member)) return member;
    return undefined;
  };
  const nsText = ns ? ctx.text.slice((callee.object as Node).start, (callee.object as Node).end) : undefined;
  const base = { calleeSpan: spanOf(callee), ...(nsText ? { nsText } : {}) };
  if (n.type === 'NewExpression') {
    const pg = named((s) => s === 'pg', ['Client', 'Pool']);
    if (pg) return { kind: pg === 'Client' ? 'pg.Client' : 'pg.Pool', module: 'pg', ...base };
    if (direct?.source === 'ioredis' || (ns?.source === 'ioredis' && member === 'Redis')) return { kind: 'ioredis', module: 'ioredis', ...base };
    const prisma = named((s) => PRISMA_MODULE.test(s), ['PrismaClient']);
    if (prisma) return { kind: 'PrismaClient', module: (direct ?? ns)!.source, ...base };
    return undefined;
  }
  const my = named((s) => MYSQL_MODULES.has(s), ['createConnection', 'createPool']);
  if (my) return { kind: my === 'createConnection' ? 'mysql.createConnection' : 'mysql.createPool', module: (direct ?? ns)!.source, ...base };
  const redis = named((s) => s === 'redis' || s === '@redis/client', ['createClient']);
  if (redis) return { kind: 'redis.createClient', module: 'redis', ...base };
  return undefined;
}

interface Handler {
  fn: Node;
  how: string;
}

/** Functions that run once per request, and top-level helpers they call. */
function findHandlers(ctx: Ctx, path: string, functions: Map<string, Node>): Map<Node, Handler> {
  const out = new Map<Node, Handler>();
  const add = (fn: Node | undefined, how: string): void => {
    const u = unwrap(fn);
    if (u && isFunction(u) && !out.has(u)) out.set(u, { fn: u, how });
    else if (u?.type === 'Identifier') {
      const f = functions.get(u.name as string);
      if (f && !out.has(f)) out.set(f, { fn: f, how });
    }
  };
  // Koa middleware takes only `ctx` (and `next`): in a Koa file one parameter makes a handler.
  const sources = [...ctx.imports.values()].map((b) => b.source);
  const koa = sources.some((s) => /^(?:koa|@koa\/router|koa-[\w-]+)$/.test(s)) && !sources.some((s) => s === 'express' || s === 'connect');
  const minUseParams = koa ? 1 : 2;
  walk(ctx.program, (n) => {
    if (isCall(n)) {
      const mp = memberPath(n.callee as Node);
      const args = n.arguments as Node[];
      const last = mp?.[mp.length - 1];
      if (mp && mp.length >= 2 && last && HTTP_VERBS.has(last)) {
        const first = unwrap(args[0]);
        const pathLike = first && (first.type === 'StringLiteral' || first.type === 'TemplateLiteral' || first.type === 'RegExpLiteral' || first.type === 'ArrayExpression');
        const obj = unwrap((unwrap(n.callee as Node)!).object as Node);
        const routeChain = obj && isCall(obj) && memberPath(obj.callee as Node)?.at(-1) === 'route';
        for (const a of args) {
          const u = unwrap(a);
          const params = u && isFunction(u) ? (u.params as Node[]).length : 0;
          if (pathLike || routeChain || (last === 'use' && params >= minUseParams)) add(u && isFunction(u) ? u : u?.type === 'Identifier' ? u : undefined, last === 'use' ? 'middleware' : 'route handler');
        }
        const opts = objectProps(args[args.length - 1]).get('handler');
        if (opts && pathLike) add(opts.value, 'route handler');
      } else if (mp && last === 'route' && args.length === 1) {
        const h = objectProps(args[0]).get('handler');
        if (h) add(h.value, 'route handler');
      } else if (mp && last === 'createServer') {
        for (const a of args) add(isFunction(unwrap(a)) ? a : undefined, 'request listener');
      } else if (mp && last === 'on' && stringValue(args[0]) === 'request') add(args[1], 'request listener');
      else if (mp && mp.length === 1 && /^(?:defineEventHandler|eventHandler)$/.test(mp[0])) add(args[0], 'event handler');
    }
    if (n.type === 'ClassMethod' && n.decorators) {
      for (const d of n.decorators as Node[]) {
        const e = unwrap(d.expression as Node)!;
        const name = memberPath(isCall(e) ? e.callee : e)?.join('.');
        if (name && NEST_ROUTE.has(name)) add(n, 'Nest controller method');
      }
    }
  });
  const next = isNextRouteFile(path);
  for (const raw of ctx.program.body as Node[]) {
    if (raw.type === 'ExportDefaultDeclaration' && next === 'pages') add(raw.declaration as Node, 'Next.js API route');
    if (raw.type === 'ExportNamedDeclaration' && raw.declaration) {
      const d = raw.declaration as Node;
      const named: { id: string; fn: Node }[] = [];
      if (d.type === 'FunctionDeclaration' && d.id) named.push({ id: d.id.name as string, fn: d });
      if (d.type === 'VariableDeclaration') for (const x of d.declarations as Node[]) if (x.id.type === 'Identifier' && x.init) named.push({ id: x.id.name as string, fn: x.init as Node });
      for (const { id, fn } of named) {
        if (next === 'app' && NEXT_APP_METHODS.has(id)) add(fn, 'Next.js route handler');
        if (id === 'handler') add(fn, 'serverless handler');
      }
    }
    // exports.handler = async (event) => … / module.exports.handler = …
    if (raw.type === 'ExpressionStatement' && raw.expression.type === 'AssignmentExpression') {
      const left = memberPath(raw.expression.left as Node)?.join('.');
      if (left === 'exports.handler' || left === 'module.exports.handler') add(raw.expression.right as Node, 'serverless handler');
    }
  }
  // One level of same-file helpers called from a handler (`const db = await getDb()`).
  const helpers: [Node, Handler][] = [];
  for (const h of out.values()) {
    walk(h.fn, (n) => {
      if (isCall(n) && (n.callee as Node).type === 'Identifier') {
        const name = (n.callee as Node).name as string;
        const f = functions.get(name);
        if (f && !out.has(f)) helpers.push([f, { fn: f, how: `${name}(), called from a ${h.how}` }]);
      }
    });
  }
  for (const [f, h] of helpers) if (!out.has(f)) out.set(f, h);
  return out;
}

const REMOVED_CALLS: Record<ClientKind, Set<string>> = {
  'pg.Client': new Set(['connect', 'end']),
  'pg.Pool': new Set(['end']),
  'mysql.createConnection': new Set(['connect', 'end', 'destroy']),
  'mysql.createPool': new Set(['end']),
  ioredis: new Set(['quit', 'disconnect']),
  'redis.createClient': new Set(),
  PrismaClient: new Set(['$connect', '$disconnect']),
};
const KEPT_CALLS: Partial<Record<ClientKind, Set<string> | 'any'>> = {
  'pg.Client': new Set(['query']),
  'pg.Pool': new Set(['query']),
  'mysql.createConnection': new Set(['query', 'execute']),
  'mysql.createPool': new Set(['query', 'execute']),
  ioredis: 'any',
  PrismaClient: 'any',
};
/** Calls that tie state to one connection: sharing it across requests would be wrong. */
const STATEFUL = new Set(['on', 'once', 'subscribe', 'psubscribe', 'ssubscribe', 'monitor', 'select', 'watch', 'unwatch', 'client', '$on', '$use', '$extends', 'beginTransaction', 'changeUser', 'pause', 'resume', 'copyFrom', 'copyTo']);
const SESSION_SQL = /^\s*(?:BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\s|LISTEN|UNLISTEN|LOCK\s|PREPARE|DECLARE|USE\s)/i;

function sqlText(n: Node | undefined): string | undefined {
  const u = unwrap(n);
  if (!u) return undefined;
  if (u.type === 'StringLiteral') return u.value as string;
  if (u.type === 'TemplateLiteral') return (u.quasis as Node[]).map((q) => q.value?.cooked ?? '').join('?');
  if (u.type === 'ObjectExpression') return sqlText(objectProps(u).get('text')?.value ?? objectProps(u).get('sql')?.value);
  return undefined;
}

/** The top-level statement containing `offset`, and where text inserted before it goes (above its leading comments). */
function insertionBefore(text: string, program: Node, offset: number): { stmt: Node; at: number; index: number } | undefined {
  const body = program.body as Node[];
  const index = body.findIndex((s) => s.start <= offset && offset < s.end);
  if (index < 0) return undefined;
  const stmt = body[index];
  // Decorators of an exported class come before the `export` keyword.
  const decorated = ((stmt.declaration as Node | undefined)?.decorators ?? stmt.decorators ?? []) as Node[];
  let at = lineStartOf(text, Math.min(stmt.start, ...decorated.map((d) => d.start)));
  const prevEnd = index > 0 ? body[index - 1].end : 0;
  // Step above comment lines directly attached to the statement.
  for (let guard = 0; guard < 200 && at > prevEnd; guard++) {
    const prevLineStart = lineStartOf(text, Math.max(0, at - 1));
    const line = text.slice(prevLineStart, at).trim();
    if (prevLineStart < prevEnd || !(line.startsWith('//') || line.startsWith('/*') || line.startsWith('*'))) break;
    at = prevLineStart;
  }
  return { stmt, at, index };
}

function hoistPlan(ctx: Ctx, creation: Node, kind: ClientKind, info: NonNullable<ReturnType<typeof clientKindOf>>, fn: Node, ancestors: readonly Node[]): { plan?: ClientCreation['hoist']; why?: string } {
  const { text, program } = ctx;
  if (kind === 'redis.createClient') return { why: 'node-redis clients must be connected before use; create one at startup and `await client.connect()` there' };
  // const x = [await] new Client(...) directly in the handler's body.
  let i = ancestors.length - 1;
  while (i >= 0 && (ancestors[i].type === 'AwaitExpression' || ancestors[i].type === 'ParenthesizedExpression' || ancestors[i].type === 'TSAsExpression')) i--;
  const decl = ancestors[i];
  const declaration = ancestors[i - 1];
  if (decl?.type !== 'VariableDeclarator' || decl.id.type !== 'Identifier' || declaration?.type !== 'VariableDeclaration' || (declaration.declarations as Node[]).length !== 1) {
    return { why: 'the client is not assigned to a variable of its own' };
  }
  const local = decl.id.name as string;
  // Arguments must not use anything of the handler (or of enclosing functions).
  const fnIndex = ancestors.indexOf(fn);
  const localNames = new Set<string>();
  for (const a of ancestors.slice(0, fnIndex + 1)) if (isFunction(a)) declaredNames(a).forEach((x) => localNames.add(x));
  const insert = insertionBefore(text, program, creation.start);
  if (!insert) return { why: 'the handler is not at the top level of the module' };
  const laterTop = new Set<string>();
  for (const st of (program.body as Node[]).slice(insert.index)) {
    const s = st.type === 'ExportNamedDeclaration' ? ((st.declaration as Node | undefined) ?? st) : st;
    if (s.type === 'VariableDeclaration') for (const d of s.declarations as Node[]) patternNames(d.id as Node).forEach((x) => laterTop.add(x));
  }
  for (const a of creation.arguments as Node[]) {
    for (const name of referencedNames(a)) {
      if (localNames.has(name)) return { why: `its options use \`${name}\`, which belongs to the handler` };
      if (laterTop.has(name)) return { why: `its options use \`${name}\`, declared further down` };
    }
  }
  // Every use of the variable must be something a shared client supports.
  const removed = REMOVED_CALLS[kind];
  const kept = KEPT_CALLS[kind];
  const removeStmts: Node[] = [];
  const renames: Span[] = [];
  let problem: string | undefined;
  walk(fn, (n, anc) => {
    if (problem) return false;
    if (n === decl.id) return;
    if (n !== fn && isFunction(n) && declaredNames(n).has(local)) return false;
    if (n.type !== 'Identifier' || n.name !== local) return;
    const parent = anc[anc.length - 1];
    if (parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === n && !parent.computed) return;
    if (parent && parent.type === 'ObjectProperty' && parent.key === n && !parent.computed && !parent.shorthand) return;
    const isMember = parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === n && !parent.computed;
    const prop = isMember ? propName(parent.property as Node) : undefined;
    const call = anc[anc.length - 2];
    const called = !!call && isCall(call) && call.callee === parent;
    if (!prop || (!called && kept !== 'any')) {
      problem = `\`${local}\` is used other than by calling its methods`;
      return;
    }
    if (STATEFUL.has(prop)) {
      problem = `\`${local}.${prop}()\` ties state to one connection`;
      return;
    }
    if (removed.has(prop)) {
      if (!called) {
        problem = `\`${local}.${prop}\` is used without being called`;
        return;
      }
      let k = anc.length - 3;
      while (k >= 0 && (anc[k].type === 'AwaitExpression' || anc[k].type === 'ParenthesizedExpression')) k--;
      if (anc[k]?.type !== 'ExpressionStatement') {
        problem = `the result of \`${local}.${prop}()\` is used`;
        return;
      }
      removeStmts.push(anc[k]);
      return;
    }
    if (kept !== 'any' && !kept?.has(prop)) {
      problem = `\`${local}.${prop}()\` has no pool equivalent`;
      return;
    }
    if (called && (kind.startsWith('pg.') || kind.startsWith('mysql.')) && SESSION_SQL.test(sqlText((call.arguments as Node[])[0]) ?? '')) {
      problem = 'it runs a transaction or session statement, which needs one dedicated connection';
      return;
    }
    renames.push(spanOf(n));
  });
  if (problem) return { why: problem };

  // The module-level name and constructor.
  const top = topLevelNames(program);
  const all = declaredNames(program);
  const poolish = kind.startsWith('pg.') || kind.startsWith('mysql.');
  const candidates = poolish ? (kind.endsWith('Pool') || kind === 'mysql.createPool' ? [local, 'pool', 'dbPool'] : ['pool', 'dbPool', 'pgPool']) : [local, `shared${local[0].toUpperCase()}${local.slice(1)}`];
  const name = candidates.find((c) => !top.has(c) && (c === local || !all.has(c)));
  if (!name) return { why: 'no free module-level name' };
  const edits: TextEditSpan[] = [];
  let calleeText = text.slice(info.calleeSpan.start, info.calleeSpan.end);
  if (kind === 'pg.Client' || kind === 'mysql.createConnection') {
    const want = kind === 'pg.Client' ? 'Pool' : 'createPool';
    if (info.nsText) calleeText = `${info.nsText}.${want}`;
    else {
      const existing = [...ctx.imports.entries()].find(([, b]) => b.source === info.module && b.imported === want)?.[0];
      if (existing) calleeText = existing;
      else {
        const spec = addNamedImport(ctx, info.module, calleeText, want, creation);
        if (!spec) return { why: `\`${want}\` cannot be imported next to \`${calleeText}\`` };
        edits.push(spec);
        calleeText = want;
        if (top.has(want) || (all.has(want) && !ctx.imports.has(want))) return { why: `\`${want}\` is already used as a name` };
      }
    }
  }
  const args = text.slice(info.calleeSpan.end, creation.end);
  const isNew = creation.type === 'NewExpression';
  const eol = eolOf(text);
  const semi = text[declaration.end - 1] === ';' ? ';' : '';
  edits.push({ span: { start: insert.at, end: insert.at }, newText: `const ${name} = ${isNew ? 'new ' : ''}${calleeText}${args}${semi}${eol}${eol}` });
  let inner: TextEditSpan[] = [removeStatementEdit(text, declaration), ...removeStmts.map((s) => removeStatementEdit(text, s))];
  if (name !== local) for (const r of renames) inner.push({ span: r, newText: name });
  inner = dropEmptiedFinally(text, fn, removeStmts, inner);
  edits.push(...inner);
  const what: Record<ClientKind, string> = {
    'pg.Client': `Use one module-level pg Pool (\`${name}\`) instead of a Client per request`,
    'pg.Pool': `Create the pg Pool once, at module level (\`${name}\`)`,
    'mysql.createConnection': `Use one module-level pool (\`${name}\`, createPool) instead of a connection per request`,
    'mysql.createPool': `Create the pool once, at module level (\`${name}\`)`,
    ioredis: `Create the Redis client once, at module level (\`${name}\`)`,
    'redis.createClient': '',
    PrismaClient: `Create PrismaClient once, at module level (\`${name}\`)`,
  };
  return { plan: { title: what[kind], edits } };
}

/** Applies edits (non-overlapping) that fall inside [from, to) to that slice of the text. */
function applyWithin(text: string, from: number, to: number, edits: TextEditSpan[]): string {
  let out = text.slice(from, to);
  for (const e of [...edits].filter((x) => x.span.start >= from && x.span.end <= to).sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, e.span.start - from) + e.newText + out.slice(e.span.end - from);
  }
  return out;
}

/**
 * When the removed statements empty a `finally { … }`, drop the clause (try/catch remains) or, with
 * no catch, unwrap the try block (its statements dedented one level).
 */
function dropEmptiedFinally(text: string, fn: Node, removed: Node[], edits: TextEditSpan[]): TextEditSpan[] {
  let out = edits;
  walk(fn, (n) => {
    if (n !== fn && isFunction(n)) return false;
    if (n.type !== 'TryStatement' || !n.finalizer) return;
    const fin = n.finalizer as Node;
    const body = fin.body as Node[];
    if (!body.length || !body.every((st) => removed.includes(st))) return;
    const inside = (e: TextEditSpan, a: number, b: number): boolean => e.span.start >= a && e.span.end <= b;
    if (n.handler) {
      const from = (n.handler as Node).end;
      out = out.filter((e) => !inside(e, from, fin.end));
      out.push({ span: { start: from, end: fin.end }, newText: '' });
      return;
    }
    const block = n.block as Node;
    const inner = applyWithin(text, block.start + 1, block.end - 1, out);
    const tryIndent = indentAt(text, n.start);
    const first = (block.body as Node[])[0];
    const innerIndent = first ? indentAt(text, first.start) : tryIndent;
    const eol = eolOf(text);
    const lines = inner.split(/\r?\n/);
    while (lines.length && !lines[0].trim()) lines.shift();
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    const dedented = lines.map((l) => (l.startsWith(innerIndent) ? tryIndent + l.slice(innerIndent.length) : l)).join(eol);
    const start = lineStartOf(text, n.start);
    out = out.filter((e) => !inside(e, start, n.end));
    out.push({ span: { start, end: n.end }, newText: dedented.trimStart() ? dedented : '' });
  });
  return out;
}

/**
 * Adds `want` to the import/require that binds `have` (`{ Client }` → `{ Client, Pool }`), or
 * renames `have` to `want` when `have` has no other use in the file.
 */
function addNamedImport(ctx: Ctx, module: string, have: string, want: string, creation: Node): TextEditSpan | undefined {
  const b = ctx.imports.get(have);
  if (!b || b.source !== module) return undefined;
  const st = b.statement;
  let uses = 0;
  walk(ctx.program, (n) => {
    if (n.type === 'Identifier' && n.name === have && (n.start < st.start || n.end > st.end)) uses++;
  });
  const onlyHere = uses === 1 && creation.callee.type === 'Identifier';
  if (st.type === 'ImportDeclaration') {
    const specs = (st.specifiers as Node[]).filter((s) => s.type === 'ImportSpecifier');
    const mine = specs.find((s) => s.local.name === have);
    if (!mine) return undefined;
    if (onlyHere && (mine.imported?.name ?? have) === have && mine.local.name === have) return { span: spanOf(mine), newText: want };
    const last = specs[specs.length - 1];
    return { span: { start: last.end, end: last.end }, newText: `, ${want}` };
  }
  if (st.type === 'VariableDeclaration') {
    const d = (st.declarations as Node[]).find((x) => x.id.type === 'ObjectPattern' && (x.id.properties as Node[]).some((p) => p.type === 'ObjectProperty' && p.value?.name === have));
    if (!d) return undefined;
    const props = (d.id.properties as Node[]).filter((p) => p.type === 'ObjectProperty');
    const mine = props.find((p) => p.value?.name === have)!;
    if (onlyHere && mine.shorthand) return { span: spanOf(mine), newText: want };
    const last = props[props.length - 1];
    return { span: { start: last.end, end: last.end }, newText: `, ${want}` };
  }
  return undefined;
}

function numberProp(props: ReturnType<typeof objectProps>, key: string): { value: number; span: Span } | undefined {
  const p = props.get(key);
  if (!p) return undefined;
  const v = numberValue(p.value);
  return v === undefined ? undefined : { value: v, span: spanOf(p.value) };
}

function poolOf(ctx: Ctx, n: Node, kind: ClientKind): PoolOptions | undefined {
  const args = n.arguments as Node[];
  const lib = kind === 'pg.Pool' ? 'pg' : 'mysql';
  const keys = lib === 'pg' ? Object.keys(PG_POOL_DEFAULTS) : Object.keys(MYSQL_POOL_DEFAULTS);
  const defaults = lib === 'pg' ? PG_POOL_DEFAULTS : MYSQL_POOL_DEFAULTS;
  const o = unwrap(args[0]);
  if (!o) {
    // new Pool() — settings from PG* environment variables; the fix passes an options object.
    const close = ctx.text.lastIndexOf(')', n.end);
    const canInsert = close === n.end - 1 && /\(\s*$/.test(ctx.text.slice(n.start, close));
    return {
      lib, span: spanOf(n), missing: keys, sqlite: false,
      ...(canInsert ? { addMissing: [{ span: { start: close, end: close }, newText: `{ ${keys.map((k) => `${k}: ${defaults[k]}`).join(', ')} }` }] } : {}),
    };
  }
  if (o.type !== 'ObjectExpression' || (o.properties as Node[]).some((p) => p.type === 'SpreadElement')) return undefined;
  const props = objectProps(o);
  const missing = keys.filter((k) => !props.has(k));
  const maxKey = lib === 'pg' ? 'max' : 'connectionLimit';
  const max = numberProp(props, maxKey);
  const info = objectInfo(ctx.text, o);
  return {
    lib, span: spanOf(o), missing, sqlite: false,
    ...(max ? { max: { ...max, key: maxKey } } : {}),
    ...(missing.length ? { addMissing: setPropsEdits(ctx.text, info, missing.map((k) => ({ key: k, value: defaults[k] }))) } : {}),
  };
}

function knexLike(o: Node, lib: PoolOptions['lib'], sqlite: boolean): PoolOptions | undefined {
  const props = objectProps(o);
  const pool = props.get('pool');
  if (!pool || unwrap(pool.value)?.type !== 'ObjectExpression') return undefined;
  const pp = objectProps(pool.value);
  const max = numberProp(pp, 'max');
  const min = numberProp(pp, 'min');
  return { lib, span: spanOf(pool.prop), missing: [], sqlite, ...(max ? { max: { ...max, key: 'max' } } : {}), ...(min ? { min } : {}) };
}

/** `?connection_limit=1` / `&connection_limit=1` inside a URL, with the edit removing it. */
export function connectionLimitsIn(s: string, offset: number): ConnectionLimit[] {
  const out: ConnectionLimit[] = [];
  const re = /([?&])connection_limit=(\d+)(&?)/g;
  for (const m of s.matchAll(re)) {
    const at = offset + m.index;
    const value = Number(m[2]);
    const paramStart = at + 1;
    const paramEnd = paramStart + 'connection_limit='.length + m[2].length;
    // ?a&connection_limit=1 → drop "&connection_limit=1"; ?connection_limit=1&b → drop "connection_limit=1&"; ?connection_limit=1 → drop "?connection_limit=1"
    const removal = m[1] === '&' ? { span: { start: at, end: paramEnd }, newText: '' } : m[3] ? { span: { start: paramStart, end: paramEnd + 1 }, newText: '' } : { span: { start: at, end: paramEnd }, newText: '' };
    out.push({ span: { start: paramStart, end: paramEnd }, value, removal });
  }
  return out;
}

export function poolFacts(path: string, text: string): PoolFacts | undefined {
  if (!mayHavePools(text)) return undefined;
  const parsed = parseJs(path, text);
  if ('error' in parsed) return undefined;
  const { program } = parsed;
  const ctx: Ctx = { text, program, imports: collectImports(program) };
  const functions = new Map<string, Node>();
  for (const raw of program.body as Node[]) {
    const st = raw.type === 'ExportNamedDeclaration' || raw.type === 'ExportDefaultDeclaration' ? ((raw.declaration as Node | undefined) ?? raw) : raw;
    if (st.type === 'FunctionDeclaration' && st.id) functions.set(st.id.name as string, st);
    if (st.type === 'VariableDeclaration') for (const d of st.declarations as Node[]) if (d.id.type === 'Identifier' && isFunction(unwrap(d.init as Node))) functions.set(d.id.name as string, unwrap(d.init as Node)!);
  }
  const handlers = findHandlers(ctx, path, functions);
  const clients: ClientCreation[] = [];
  const pools: PoolOptions[] = [];
  const connectionLimits: ConnectionLimit[] = [];
  walk(program, (n, ancestors) => {
    if (n.type === 'StringLiteral' || n.type === 'TemplateElement') {
      const raw = text.slice(n.start, n.end);
      if (raw.includes('connection_limit=')) connectionLimits.push(...connectionLimitsIn(raw, n.start));
      return;
    }
    if (n.type === 'ObjectExpression') {
      // knex configs (also knexfile.js entries) and TypeORM / Sequelize options objects.
      const props = objectProps(n);
      const client = stringValue(props.get('client')?.value);
      if (client !== undefined && (props.has('connection') || props.has('pool'))) {
        const k = knexLike(n, 'knex', SQLITE.test(client));
        if (k) pools.push(k);
      }
      const type = stringValue(props.get('type')?.value);
      if (type && /^(?:postgres|mysql|mariadb|cockroachdb|mssql|oracle|sqlite|better-sqlite3)$/.test(type) && (props.has('poolSize') || props.has('extra'))) {
        const size = numberProp(props, 'poolSize');
        const extra = props.get('extra') ? objectProps(props.get('extra')!.value) : undefined;
        const max = size ? { ...size, key: 'poolSize' } : extra ? (numberProp(extra, 'max') ? { ...numberProp(extra, 'max')!, key: 'extra.max' } : numberProp(extra, 'connectionLimit') ? { ...numberProp(extra, 'connectionLimit')!, key: 'extra.connectionLimit' } : undefined) : undefined;
        if (max) pools.push({ lib: 'typeorm', span: max.span, missing: [], sqlite: SQLITE.test(type), max });
      }
      const dialect = stringValue(props.get('dialect')?.value);
      // The options of `new Sequelize(…)` are read with the call, below.
      const parent = ancestors[ancestors.length - 1];
      const ofNewSequelize = isNewSequelize(ctx, parent) && unwrap((parent.arguments as Node[]).at(-1)) === n;
      if (dialect !== undefined && props.has('pool') && !ofNewSequelize) {
        const k = knexLike(n, 'sequelize', SQLITE.test(dialect));
        if (k) pools.push(k);
      }
      return;
    }
    if (n.type !== 'NewExpression' && !isCall(n)) return;
    if (isNewSequelize(ctx, n)) {
      const p = sequelizePool(n);
      if (p) pools.push(p);
      return;
    }
    const info = clientKindOf(ctx, n);
    if (!info) return;
    const creation: ClientCreation = { kind: info.kind, module: info.module, span: spanOf(n) };
    // Where is it created? Lazy singletons (`x ??= new PrismaClient()`, `global.prisma || new …`) are fine.
    const parent = ancestors[ancestors.length - 1];
    const lazy = parent && ((parent.type === 'AssignmentExpression' && (parent.operator !== '=' || parent.left.type !== 'Identifier' || !ancestors.some((a) => isFunction(a) && declaredNames(a).has(parent.left.name as string)))) || parent.type === 'LogicalExpression' || parent.type === 'ConditionalExpression');
    const fns = ancestors.filter(isFunction);
    const handler = fns.map((f) => handlers.get(f)).find((h) => !!h);
    if (handler && !lazy) {
      creation.perRequest = { how: handler.how, handlerSpan: spanOf(handler.fn) };
      const nearest = fns[fns.length - 1];
      if (nearest === handler.fn && !handler.how.includes('called from')) {
        const h = hoistPlan(ctx, n, info.kind, info, nearest, ancestors);
        if (h.plan) creation.hoist = h.plan;
        else if (h.why) creation.noHoist = h.why;
      } else creation.noHoist = nearest === handler.fn ? 'the client is created in a helper function; create it once at module level and reuse it' : 'the client is created in a nested function';
    }
    clients.push(creation);
    if (info.kind === 'pg.Pool' || info.kind === 'mysql.createPool') {
      const p = poolOf(ctx, n, info.kind);
      if (p) pools.push({ ...p, ...(creation.perRequest ? { perRequest: true } : {}) });
    }
    // Prisma datasource URLs passed in code are covered by the string scan above.
  });
  // knex(...) with no pool is fine (tarn defaults min 2, max 10): nothing to record.
  if (!clients.length && !pools.length && !connectionLimits.length) return undefined;
  return { clients, pools, connectionLimits };
}
