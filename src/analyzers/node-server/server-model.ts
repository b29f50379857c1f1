/**
 * What one JS/TS file tells about a Node HTTP server: the apps it creates (Express, Fastify, Koa,
 * NestJS, a Next.js custom server), the middleware it registers in order, static file serving and
 * its cache options, GET route handlers (do they hit a database? do they cache?), and ETag settings.
 * Pure and bounded: one Babel parse, one walk. Heuristics are documented in docs/rules/server-*.md.
 */
import type { Span } from '../../kernel/model.js';
import {
  booleanValue, collectImports, isNextRouteFile, declaredNames, isCall, isFunction, memberPath, numberValue, objectProps, parseJs, referencedNames, requireOf,
  spanOf, stringValue, topLevelNames, unwrap, walk, type ImportBinding, type ModuleStyle, type Node,
} from '../../lang/javascript/ast.js';
import { isAuthMiddlewareText, notPublicOf, writeCallText } from './route-effects.js';
import { eolOf, importInsertionOffset, indentAt, indentUnit, lineStartOf, nextLineStart, objectInfo, quoteOf, removeStatementEdit, usesSemicolons, type ObjectLiteralInfo, type TextEditSpan } from '../../lang/javascript/edits.js';

export type Framework = 'express' | 'fastify' | 'koa' | 'nest' | 'next';

export interface ServerApp {
  framework: Framework;
  /** The HTTP layer under NestJS (Express unless a FastifyAdapter is passed). */
  adapter?: 'express' | 'fastify';
  /** The variable (or `this.x` member) holding the app, when there is one. */
  name?: string;
  /** The call creating the app (`express()`, `new Koa()`, `NestFactory.create(AppModule)`…). */
  span: Span;
  /** Where a statement using the app can be inserted right after its creation (start of the next line), if known. */
  insertAfter?: number;
  indent: string;
}

export type MiddlewareKind = 'compression' | 'cache' | 'other';

export interface MiddlewareUse {
  /** The receiver, e.g. "app" or "this.app". */
  target: string;
  kind: MiddlewareKind;
  /** The module the middleware comes from, when known. */
  module?: string;
  span: Span;
  /** `app.use(compression)`: the factory passed instead of its result. */
  notCalled?: { insertAt: number };
  /** `register(fastifyCompress, { global: false })`. */
  globalOff?: boolean;
  /** A middleware that answers requests itself: static files (`express.static`), a router (`app.use('/api', router)`). */
  serves?: 'static' | 'router';
  /**
   * Express / Koa compression registered after a route or static middleware of the same app (in the
   * same statement list): what was registered first is sent uncompressed. `move` puts the
   * compression statement right before it, when that is safe.
   */
  late?: { framework: 'express' | 'koa'; first: Span; firstText: string; move?: TextEditSpan[] };
}

export type StaticLib = 'express.static' | 'serve-static' | '@fastify/static' | 'koa-static' | 'nest useStaticAssets' | 'nest ServeStaticModule';

export interface StaticServe {
  lib: StaticLib;
  framework: Framework;
  /** The call (or the ServeStaticModule config object). */
  span: Span;
  /** The directory argument's text, and its literal path segments when readable. */
  dirText?: string;
  dirSegments: string[];
  /** Where a `, { … }` options argument goes when there is none. */
  appendArgAt?: number;
  /** The options object literal, when it is one; `optionsUnknown` when options are passed some other way. */
  options?: ObjectLiteralInfo;
  optionsUnknown?: boolean;
  /** For ServeStaticModule without `serveStaticOptions`: `options` is the module config object, where the fix adds them. */
  optionsIsModuleConfig?: boolean;
  /** The key spelling the library reads (`maxage` for koa-static). */
  maxAgeKey: 'maxAge' | 'maxage';
  /** maxAge in ms; 'unknown' when not a constant; 'invalid' when a string `ms` cannot parse. */
  maxAge?: number | 'unknown' | 'invalid';
  maxAgeText?: string;
  immutable?: boolean;
  cacheControl?: boolean;
  /** A setHeaders callback that sets Cache-Control itself (or cannot be read): the rule does not judge. */
  hasSetHeaders?: boolean;
  etag?: { value: boolean | 'unknown'; valueSpan: Span };
}

export interface RouteHandler {
  framework: Framework;
  method: string;
  path?: string;
  /** The registration (`app.get('/products'`, `@Get()`, `export async function GET`). */
  span: Span;
  /** The first database call the handler (or a same-file function it calls) makes. */
  db?: { span: Span; text: string };
  /** Evidence that the response is cached (a Cache-Control header, a cache read, cache middleware). */
  caching?: string;
  /** Why the response is not public and read-only (route-effects.ts): it must not be cached for everyone. */
  notPublic?: string;
}

export interface EtagDisabled {
  span: Span;
  /** The whole statement when it is alone (for removal). */
  statement?: Span;
  how: string;
}

export interface FixContext {
  moduleStyle: ModuleStyle;
  typescript: boolean;
  importAt: number;
  quote: string;
  semi: boolean;
  eol: string;
  indentUnit: string;
  /** Local names bound at the top level of the module. */
  topLevel: string[];
  /** Local name → module for the imports rules reuse (compression libraries). */
  imports: Record<string, { source: string; imported: string }>;
  /** `import * as express from 'express'` (TypeScript without esModuleInterop). */
  namespaceImports: boolean;
}

export interface ServerFacts {
  apps: ServerApp[];
  uses: MiddlewareUse[];
  statics: StaticServe[];
  routes: RouteHandler[];
  etagDisabled: EtagDisabled[];
  /** Frameworks the file imports. */
  frameworks: Framework[];
  fix: FixContext;
  /** Recovered syntax errors (the facts may be incomplete). */
  syntaxErrors: number;
}

// ---------------------------------------------------------------------------------------------

const FRAMEWORK_OF_MODULE: Record<string, Framework> = {
  express: 'express', 'serve-static': 'express', compression: 'express',
  fastify: 'fastify', '@fastify/static': 'fastify', '@fastify/compress': 'fastify', 'fastify-static': 'fastify', 'fastify-compress': 'fastify', 'fastify-plugin': 'fastify',
  koa: 'koa', 'koa-static': 'koa', 'koa-compress': 'koa', '@koa/router': 'koa', 'koa-router': 'koa',
  '@nestjs/core': 'nest', '@nestjs/common': 'nest', '@nestjs/serve-static': 'nest', '@nestjs/platform-express': 'nest', '@nestjs/platform-fastify': 'nest',
  next: 'next', 'next/server': 'next',
};
const COMPRESSION_MODULES = new Set(['compression', 'shrink-ray-current', 'shrink-ray', 'koa-compress', '@fastify/compress', 'fastify-compress']);
const FASTIFY_PLUGIN_COMPRESS = new Set(['@fastify/compress', 'fastify-compress']);
const FASTIFY_STATIC = new Set(['@fastify/static', 'fastify-static']);
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);
const NEST_ROUTE_DECORATORS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL' };
const ROUTER_NAME = /^(?:app|api|router|routes?|server|fastify|instance|r|v\d|[a-z][a-zA-Z0-9]*(?:Router|App|Routes))$/;

const FASTIFY_PLUGIN_SIGNATURE = /\(\s*(?:fastify|instance)\s*[,:)]/;

/** The statement a call is written in, and the statement list holding it. */
function statementOf(call: Node, ancestors: readonly Node[]): { stmt: Node; list: Node[] } | undefined {
  const chain = [...ancestors, call];
  for (let i = chain.length - 1; i > 0; i--) {
    const parent = chain[i - 1];
    const list = parent.type === 'Program' || parent.type === 'BlockStatement' ? (parent.body as Node[]) : undefined;
    if (list?.includes(chain[i])) return { stmt: chain[i], list };
  }
  return undefined;
}

/**
 * Express and Koa run middleware in registration order: compression registered after a route or a
 * static/router middleware of the same app never sees those responses. Fills `use.late` (with the
 * move when the compression statement can go right before the first of them unchanged).
 */
function lateCompression(
  text: string,
  site: { use: MiddlewareUse; call: Node; ancestors: Node[] },
  useSites: readonly { use: MiddlewareUse; call: Node; ancestors: Node[] }[],
  routeSites: readonly { recv: string | undefined; call: Node; ancestors: Node[] }[],
  framework: Framework,
  imports: Map<string, ImportBinding>,
): void {
  const u = site.use;
  if (u.kind !== 'compression' || u.notCalled || u.globalOff || (framework !== 'express' && framework !== 'koa')) return;
  const mine = statementOf(site.call, site.ancestors);
  if (!mine) return;
  const earlier = [
    ...routeSites.filter((r) => r.recv === u.target),
    ...useSites.filter((x) => x.use.serves && x.use.target === u.target),
  ].map((x) => ({ call: x.call, at: statementOf(x.call, x.ancestors) }))
    .filter((x) => x.at && x.at.list === mine.list && x.at.stmt.start < mine.stmt.start)
    .sort((a, b) => a.at!.stmt.start - b.at!.stmt.start);
  const first = earlier[0];
  if (!first) return;
  const firstText = text.slice(first.call.start, first.call.end).replace(/\s+/g, ' ');
  u.late = { framework, first: spanOf(first.call), firstText: firstText.length > 60 ? `${firstText.slice(0, 57)}…` : firstText };
  // Moving is safe when the statement is just `app.use(compression(…))` and names nothing declared in between.
  const stmt = mine.stmt;
  if (stmt.type !== 'ExpressionStatement' || unwrap(stmt.expression as Node) !== site.call || (site.call.arguments as Node[]).length !== 1) return;
  const from = mine.list.indexOf(first.at!.stmt);
  const to = mine.list.indexOf(stmt);
  const between = new Set<string>();
  for (const st of mine.list.slice(from, to)) if (st.type !== 'FunctionDeclaration') declaredNames(st).forEach((n) => between.add(n));
  for (const n of referencedNames(site.call)) if (between.has(n) && !imports.has(n)) return;
  const insertAt = lineStartOf(text, first.at!.stmt.start);
  if (!/^[ \t]*$/.test(text.slice(insertAt, first.at!.stmt.start))) return;
  const removal = removeStatementEdit(text, stmt);
  if (removal.span.end === stmt.end) return;
  const moved = text.slice(removal.span.start, removal.span.end);
  const indent = indentAt(text, first.at!.stmt.start);
  u.late.move = [
    { span: { start: insertAt, end: insertAt }, newText: indent + moved.trimStart() + (/[\r\n]$/.test(moved) ? '' : eolOf(text)) },
    removal,
  ];
}

/** A cheap test before parsing: does the file mention a server framework at all? */
export function mayBeServerFile(path: string, text: string): boolean {
  if (isNextRouteFile(path) !== undefined) return true;
  return /['"](?:express|fastify|koa|@koa\/router|koa-[\w-]+|@nestjs\/[\w-]+|next|serve-static|compression|shrink-ray[\w-]*|@fastify\/[\w-]+|fastify-[\w-]+|apicache)['"]/.test(text) || FASTIFY_PLUGIN_SIGNATURE.test(text);
}

/** Parses an `ms`-style duration ('1y', '7 days', '3600000', '1.5h') to milliseconds, as `ms` does. */
export function parseDuration(s: string): number | undefined {
  const m = /^\s*(-?(?:\d*\.)?\d+)\s*(?:(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)\s*)?$/i.exec(s);
  if (!m) return undefined;
  const n = parseFloat(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const s1 = 1000;
  const mult = /^(?:y|yrs?|years?)$/.test(unit) ? 365.25 * 86400 * s1
    : /^(?:w|weeks?)$/.test(unit) ? 7 * 86400 * s1
    : /^(?:d|days?)$/.test(unit) ? 86400 * s1
    : /^(?:h|hrs?|hours?)$/.test(unit) ? 3600 * s1
    : /^(?:m|mins?|minutes?)$/.test(unit) ? 60 * s1
    : /^(?:s|secs?|seconds?)$/.test(unit) ? s1 : 1;
  return n * mult;
}

/** The max-age (seconds) `send` / `koa-send` actually writes for a maxAge option (capped at one year). */
export function effectiveMaxAgeSeconds(ms: number): number {
  return Math.floor(Math.min(Math.max(0, ms), 365 * 86400 * 1000) / 1000);
}

// ---------------------------------------------------------------------------------------------

interface Ctx {
  path: string;
  text: string;
  program: Node;
  imports: Map<string, ImportBinding>;
  /** Top-level functions (declarations and `const f = () => …`) by name. */
  functions: Map<string, Node>;
}

function bound(ctx: Ctx, n: Node | undefined, modules: Set<string> | string, imported?: string[]): ImportBinding | undefined {
  const u = unwrap(n);
  if (!u) return undefined;
  const has = (s: string): boolean => (typeof modules === 'string' ? s === modules : modules.has(s));
  if (u.type === 'Identifier') {
    const b = ctx.imports.get(u.name as string);
    if (b && has(b.source) && (!imported || imported.includes(b.imported))) return b;
    return undefined;
  }
  const req = requireOf(u);
  if (req && has(req.source) && (!imported || imported.includes(req.member ?? '*') || (req.member === 'default' && imported.includes('*')))) {
    return { source: req.source, imported: req.member ?? '*', statement: u, style: 'cjs' };
  }
  // import('@fastify/compress')
  if (u.type === 'ImportExpression' || (isCall(u) && (u.callee as Node).type === 'Import')) {
    const src = stringValue((u.source ?? u.arguments?.[0]) as Node);
    if (src && has(src)) return { source: src, imported: '*', statement: u, style: 'esm' };
  }
  return undefined;
}

function creationOf(ctx: Ctx, init: Node | undefined): Omit<ServerApp, 'name' | 'insertAfter' | 'indent'> | undefined {
  const u = unwrap(init);
  if (!u) return undefined;
  if (isCall(u)) {
    const callee = unwrap(u.callee as Node)!;
    if (bound(ctx, callee, 'express', ['default', '*'])) return { framework: 'express', span: spanOf(u) };
    if (bound(ctx, callee, 'fastify', ['default', '*', 'fastify', 'Fastify'])) return { framework: 'fastify', span: spanOf(u) };
    if (bound(ctx, callee, 'next', ['default', '*'])) return { framework: 'next', span: spanOf(u) };
    const mp = memberPath(callee);
    if (mp && mp.length === 2 && mp[1] === 'create' && ctx.imports.get(mp[0])?.source === '@nestjs/core') {
      const args = u.arguments as Node[];
      const text = ctx.text.slice(u.start, u.end);
      const fastify = /FastifyAdapter|NestFastifyApplication/.test(text) || args.some((a) => unwrap(a)?.type === 'NewExpression' && /Fastify/.test(memberPath(unwrap(a)!.callee as Node)?.join('.') ?? ''));
      return { framework: 'nest', adapter: fastify ? 'fastify' : 'express', span: spanOf(u) };
    }
  }
  if (u.type === 'NewExpression' && bound(ctx, u.callee as Node, 'koa', ['default', '*', 'Koa'])) return { framework: 'koa', span: spanOf(u) };
  return undefined;
}

/** The statement node that holds `node` directly inside a block / program (for "insert after"). */
function enclosingStatement(node: Node, ancestors: readonly Node[]): Node | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const p = ancestors[i];
    if (p.type === 'Program' || p.type === 'BlockStatement' || p.type === 'StaticBlock') {
      return i + 1 < ancestors.length ? ancestors[i + 1] : node;
    }
    if (isFunction(p) || p.type === 'ClassBody' || p.type === 'ObjectExpression') return undefined;
  }
  return undefined;
}

function readStaticOptions(ctx: Ctx, s: StaticServe, opts: Node | undefined): void {
  const o = unwrap(opts);
  if (!o) return;
  if (o.type !== 'ObjectExpression') {
    s.optionsUnknown = true;
    return;
  }
  s.options = objectInfo(ctx.text, o);
  if ((o.properties as Node[]).some((p) => p.type === 'SpreadElement')) s.optionsUnknown = true;
  const props = objectProps(o);
  const maxAge = props.get(s.maxAgeKey) ?? props.get(s.maxAgeKey === 'maxAge' ? 'maxage' : 'maxAge');
  if (maxAge) {
    const v = unwrap(maxAge.value)!;
    s.maxAgeText = ctx.text.slice(v.start, v.end);
    const num = numberValue(v);
    const str = stringValue(v);
    if (num !== undefined) s.maxAge = num;
    else if (str !== undefined) s.maxAge = parseDuration(str) ?? (/^\s*\d+\s*$/.test(str) ? Number(str) : 'invalid');
    else s.maxAge = 'unknown';
  }
  const imm = props.get('immutable');
  if (imm) s.immutable = booleanValue(imm.value) ?? true;
  const cc = props.get('cacheControl');
  if (cc) s.cacheControl = booleanValue(cc.value) ?? true;
  // A setHeaders callback that may set Cache-Control itself (or one defined elsewhere) decides the caching.
  const sh = props.get('setHeaders');
  if (sh && (unwrap(sh.value)?.type === 'Identifier' || unwrap(sh.value)?.type === 'MemberExpression' || /cache-control/i.test(ctx.text.slice(sh.value.start, sh.value.end)))) s.hasSetHeaders = true;
  const etag = props.get('etag');
  if (etag) s.etag = { value: booleanValue(etag.value) ?? 'unknown', valueSpan: spanOf(etag.value) };
}

function dirSegmentsOf(n: Node | undefined): string[] {
  const u = unwrap(n);
  if (!u) return [];
  const out: string[] = [];
  const s = stringValue(u);
  if (s !== undefined) return s.split(/[\\/]+/).filter((x) => x && x !== '.');
  if (isCall(u)) for (const a of u.arguments as Node[]) out.push(...dirSegmentsOf(a));
  if (u.type === 'TemplateLiteral') for (const q of u.quasis as Node[]) out.push(...String(q.value?.cooked ?? '').split(/[\\/]+/).filter((x) => x && x !== '.'));
  if (u.type === 'BinaryExpression' && u.operator === '+') out.push(...dirSegmentsOf(u.left as Node), ...dirSegmentsOf(u.right as Node));
  return out;
}

function staticOf(ctx: Ctx, call: Node, frameworks: Set<Framework>): StaticServe | StaticServe[] | undefined {
  const callee = unwrap(call.callee as Node)!;
  const args = call.arguments as Node[];
  const mp = memberPath(callee);
  const base = (lib: StaticLib, framework: Framework, dirArg: Node | undefined, key: 'maxAge' | 'maxage' = 'maxAge'): StaticServe => ({
    lib, framework, span: spanOf(call),
    ...(dirArg ? { dirText: ctx.text.slice(dirArg.start, dirArg.end), appendArgAt: dirArg.end } : {}),
    dirSegments: dirSegmentsOf(dirArg), maxAgeKey: key,
  });
  // express.static(dir, opts) / serveStatic(dir, opts)
  const isExpressStatic = (mp && mp.length === 2 && mp[1] === 'static' && !!bound(ctx, (callee).object as Node, 'express', ['default', '*'])) || !!bound(ctx, callee, 'express', ['static']);
  if (isExpressStatic || bound(ctx, callee, 'serve-static')) {
    const s = base(isExpressStatic ? 'express.static' : 'serve-static', 'express', args[0]);
    readStaticOptions(ctx, s, args[1]);
    return s;
  }
  if (bound(ctx, callee, 'koa-static')) {
    const s = base('koa-static', 'koa', args[0], 'maxage');
    readStaticOptions(ctx, s, args[1]);
    return s;
  }
  if (mp && mp[mp.length - 1] === 'register' && args[0] && bound(ctx, args[0], FASTIFY_STATIC)) {
    const o = unwrap(args[1]);
    const root = o?.type === 'ObjectExpression' ? objectProps(o).get('root')?.value : undefined;
    const s: StaticServe = { lib: '@fastify/static', framework: frameworks.has('nest') ? 'nest' : 'fastify', span: spanOf(call), dirSegments: dirSegmentsOf(root), maxAgeKey: 'maxAge', ...(root ? { dirText: ctx.text.slice(root.start, root.end) } : {}) };
    if (!o) s.appendArgAt = args[0].end;
    readStaticOptions(ctx, s, args[1]);
    return s;
  }
  if (mp && mp.length >= 2 && mp[mp.length - 1] === 'useStaticAssets' && args.length >= 1) {
    const first = unwrap(args[0])!;
    if (first.type === 'ObjectExpression') {
      const root = objectProps(first).get('root')?.value;
      const s: StaticServe = { lib: 'nest useStaticAssets', framework: 'nest', span: spanOf(call), dirSegments: dirSegmentsOf(root), maxAgeKey: 'maxAge', ...(root ? { dirText: ctx.text.slice(root.start, root.end) } : {}) };
      readStaticOptions(ctx, s, first);
      return s;
    }
    const s = base('nest useStaticAssets', 'nest', args[0]);
    readStaticOptions(ctx, s, args[1]);
    return s;
  }
  if (mp && mp.length === 2 && mp[1] === 'forRoot' && ctx.imports.get(mp[0])?.source === '@nestjs/serve-static') {
    const out: StaticServe[] = [];
    for (const a of args) {
      const o = unwrap(a);
      if (o?.type !== 'ObjectExpression') continue;
      const props = objectProps(o);
      const root = props.get('rootPath')?.value;
      const s: StaticServe = { lib: 'nest ServeStaticModule', framework: 'nest', span: spanOf(o), dirSegments: dirSegmentsOf(root), maxAgeKey: 'maxAge', ...(root ? { dirText: ctx.text.slice(root.start, root.end) } : {}) };
      const sso = props.get('serveStaticOptions');
      if (sso) readStaticOptions(ctx, s, sso.value);
      else {
        s.options = objectInfo(ctx.text, o);
        s.optionsIsModuleConfig = true;
      }
      if (!sso) s.optionsUnknown = (o.properties as Node[]).some((p) => p.type === 'SpreadElement');
      out.push(s);
    }
    return out;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Handlers: database calls and caching evidence

const PRISMA_READS = new Set(['findMany', 'findUnique', 'findFirst', 'findUniqueOrThrow', 'findFirstOrThrow', 'count', 'aggregate', 'groupBy', '$queryRaw', '$queryRawUnsafe']);
const QUERY_METHODS = new Set(['query', 'execute', 'many', 'manyOrNone', 'one', 'oneOrNone', 'any', 'raw', '$queryRaw', '$queryRawUnsafe', 'select', 'selectFrom', 'from', 'sql']);
const DB_RECEIVER = /^(?:pool|db|database|client|conn|connection|pg|mysql|knex|sequelize|sql|dataSource|datasource|manager|entityManager|em|prisma|tx|trx|orm|drizzle|kysely|pgp|mongo|mongoose)$|pool|Pool|[dD]b$|^db|Repo(?:sitory)?$|repo(?:sitory)?$|Model$/;
const MODEL_READS = new Set(['findAll', 'findOne', 'findByPk', 'findAndCountAll', 'findById', 'find', 'aggregate', 'countDocuments', 'findOneBy', 'findBy', 'findAndCount', 'count', 'findMany', 'findUnique', 'findFirst']);
const NOT_MODELS = new Set(['Promise', 'Object', 'JSON', 'Math', 'Array', 'Date', 'Number', 'String', 'Reflect', 'Buffer', 'Intl', 'Response', 'NextResponse', 'Error', 'Symbol', 'Map', 'Set', 'URL', 'Headers', 'Request', 'console', 'Atomics', 'BigInt']);
const REPO_READS = new Set(['find', 'findOne', 'findOneBy', 'findBy', 'findAndCount', 'findAndCountBy', 'count', 'query', 'createQueryBuilder', 'findOneOrFail', 'findByIds', 'findMany']);
const CACHE_RECEIVER = /cache|redis|memcache|lru|keyv|\bkv\b|memo/i;
const CACHE_READS = new Set(['get', 'wrap', 'getOrSet', 'fetch', 'remember', 'getItem', 'mget', 'hget', 'hgetall', 'getJSON', 'json.get']);

/** Is this call a database read? Returns the callee text when it is. */
function dbCallText(ctx: Ctx, n: Node): string | undefined {
  if (n.type === 'TaggedTemplateExpression') {
    const mp = memberPath(n.tag as Node);
    if (mp && /^sql$/i.test(mp[mp.length - 1])) return mp.join('.');
    return undefined;
  }
  const callee = unwrap(n.callee as Node);
  const mp = memberPath(callee);
  if (!mp) return undefined;
  const last = mp[mp.length - 1];
  const text = mp.join('.');
  // prisma.user.findMany(), this.prisma.post.count()
  if (PRISMA_READS.has(last) && mp.slice(0, -1).some((s) => /prisma/i.test(s))) return text;
  if (mp.length >= 2) {
    const receivers = mp.slice(0, -1);
    // pool.query(), db.execute(), this.dataSource.query(), userRepository.find()
    if (QUERY_METHODS.has(last) && receivers.some((s) => DB_RECEIVER.test(s.replace(/\(\)$/, '')))) return text;
    if (REPO_READS.has(last) && receivers.some((s) => /repo(?:sitory)?$/i.test(s) || /^(?:\w+\.)?getRepository\(\)$/.test(s))) return text;
    // User.findAll(), Product.find()
    if (mp.length === 2 && MODEL_READS.has(last) && /^[A-Z]/.test(mp[0]) && !NOT_MODELS.has(mp[0])) return text;
    // this.userModel.find() (Nest + Mongoose)
    if (MODEL_READS.has(last) && receivers.length >= 1 && /Model$/.test(receivers[receivers.length - 1])) return text;
    // db.collection('x').find()
    if (MODEL_READS.has(last) && receivers.some((s) => /(?:^|\.)collection\(\)$/.test(s))) return text;
    // db.query.users.findMany() (drizzle)
    if (PRISMA_READS.has(last) && receivers[0] && /^(?:db|this)$/.test(receivers[0]) && receivers.includes('query')) return text;
  }
  // knex('users') / db('users').where(…)
  if (mp.length === 1 && ((callee && bound(ctx, callee, 'knex')) || /^(?:knex|db|trx|pg)$/.test(last)) && stringValue((n.arguments as Node[])[0]) !== undefined) return text;
  return undefined;
}

function cachingText(n: Node): string | undefined {
  if (n.type === 'StringLiteral' || n.type === 'TemplateElement') {
    const v = String(n.type === 'StringLiteral' ? n.value : n.value?.cooked ?? '');
    if (/cache-control|s-maxage|stale-while-revalidate/i.test(v)) return 'sets Cache-Control';
    if (/^(?:etag|last-modified)$/i.test(v)) return `sets ${v}`;
    return undefined;
  }
  if (n.type === 'MemberExpression' && !n.computed && /^(?:fresh)$/.test((n.property as Node).name as string)) return 'answers conditional requests (req.fresh)';
  if (!isCall(n)) return undefined;
  const mp = memberPath(n.callee as Node);
  if (!mp) return undefined;
  const last = mp[mp.length - 1];
  if (mp.length === 1 && /^(?:unstable_cache|cache|memoize|cached|withCache|cacheable|memoizee)$/.test(last)) return `uses ${last}()`;
  if (mp.length >= 2 && CACHE_READS.has(last) && mp.slice(0, -1).some((s) => CACHE_RECEIVER.test(s))) return `reads a cache (${mp.join('.')})`;
  if (mp.length >= 2 && /^(?:cacheControl|setCacheControl|etag|lastModified|expires)$/.test(last)) return `sets ${last}`;
  return undefined;
}

function shortText(t: string): string {
  // `/\s*(\??\.)\s*/g` matching only from the start of a run of spaces (where it matched first anyway).
  const one = t.replace(/(?<!\s)\s+(\??\.)\s*|(\??\.)\s*/g, '$1$2').replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

interface HandlerScan {
  db?: { span: Span; text: string };
  caching?: string;
  writes?: string;
}

function scanHandler(ctx: Ctx, fn: Node, depth = 0, seen = new Set<Node>()): HandlerScan {
  const out: HandlerScan = {};
  if (seen.has(fn) || depth > 2) return out;
  seen.add(fn);
  const helpers: Node[] = [];
  walk(fn, (n) => {
    out.writes ??= writeCallText(n, ctx.text);
    if (!out.caching) {
      const c = cachingText(n);
      if (c) out.caching = c;
    }
    if (!out.db && (isCall(n) || n.type === 'TaggedTemplateExpression')) {
      const t = dbCallText(ctx, n);
      const callee = (n.type === 'TaggedTemplateExpression' ? n.tag : n.callee) as Node;
      if (t) out.db = { span: spanOf(callee), text: shortText(ctx.text.slice(callee.start, callee.end)) };
    }
    if (isCall(n) && (n.callee as Node).type === 'Identifier') {
      const f = ctx.functions.get((n.callee as Node).name as string);
      if (f && f !== fn) helpers.push(f);
    }
  });
  for (const h of helpers) {
    if (out.db && out.caching) break;
    const inner = scanHandler(ctx, h, depth + 1, seen);
    out.db ??= inner.db;
    out.caching ??= inner.caching;
    out.writes ??= inner.writes;
  }
  return out;
}

function resolveHandler(ctx: Ctx, n: Node | undefined): Node | undefined {
  const u = unwrap(n);
  if (!u) return undefined;
  if (isFunction(u)) return u;
  if (u.type === 'Identifier') return ctx.functions.get(u.name as string);
  // asyncHandler(async (req, res) => …) wrappers
  if (isCall(u)) {
    const args = u.arguments as Node[];
    const last = unwrap(args[args.length - 1]);
    if (last && isFunction(last)) return last;
  }
  return undefined;
}

function isCacheMiddlewareText(t: string): boolean {
  return /cache/i.test(t) && !/no-?cache|noStore|no-store/i.test(t);
}

// ---------------------------------------------------------------------------------------------

/** Facts about one file, or undefined when it is not a server-related file (or cannot be parsed). */
export function serverFacts(path: string, text: string): ServerFacts | undefined {
  if (!mayBeServerFile(path, text)) return undefined;
  const parsed = parseJs(path, text);
  if ('error' in parsed) return undefined;
  const { program } = parsed;
  const imports = collectImports(program);
  const functions = new Map<string, Node>();
  for (const raw of program.body as Node[]) {
    const st = raw.type === 'ExportNamedDeclaration' || raw.type === 'ExportDefaultDeclaration' ? ((raw.declaration as Node | undefined) ?? raw) : raw;
    if (st.type === 'FunctionDeclaration' && st.id) functions.set(st.id.name as string, st);
    if (st.type === 'VariableDeclaration') for (const d of st.declarations as Node[]) if (d.id.type === 'Identifier' && isFunction(unwrap(d.init as Node))) functions.set(d.id.name as string, unwrap(d.init as Node)!);
  }
  const ctx: Ctx = { path, text, program, imports, functions };
  const frameworks = new Set<Framework>();
  for (const b of imports.values()) {
    const f = FRAMEWORK_OF_MODULE[b.source];
    if (f) frameworks.add(f);
  }
  const nextRoute = isNextRouteFile(path);
  if (nextRoute) frameworks.add('next');
  // A Fastify plugin module: `module.exports = async function (fastify, opts) { … }`.
  if (FASTIFY_PLUGIN_SIGNATURE.test(text)) frameworks.add('fastify');

  const apps: ServerApp[] = [];
  const appByName = new Map<string, ServerApp>();
  const routers = new Set<string>();
  const uses: MiddlewareUse[] = [];
  const statics: StaticServe[] = [];
  const routes: RouteHandler[] = [];
  const etagDisabled: EtagDisabled[] = [];
  const calls: { node: Node; ancestors: Node[] }[] = [];
  const nestControllers: Node[] = [];

  walk(program, (n, ancestors) => {
    let target: Node | undefined;
    let init: Node | undefined;
    if (n.type === 'VariableDeclarator') {
      target = n.id as Node;
      init = n.init as Node | undefined;
      // const app = module.exports = new Koa(): the app is `app`.
      while (init?.type === 'AssignmentExpression' && init.operator === '=') init = init.right as Node;
    } else if (n.type === 'AssignmentExpression' && n.operator === '=' && ancestors[ancestors.length - 1]?.type !== 'VariableDeclarator' && ancestors[ancestors.length - 1]?.type !== 'AssignmentExpression') {
      target = n.left as Node;
      init = n.right as Node;
    } else if (n.type === 'ClassProperty' && !n.computed && n.key.type === 'Identifier') {
      target = { type: 'MemberExpression', start: n.start, end: n.end, object: { type: 'ThisExpression', start: n.start, end: n.start }, property: n.key, computed: false };
      init = n.value as Node | undefined;
    }
    if (init) {
      const app = creationOf(ctx, init);
      const name = memberPath(target)?.join('.');
      if (app) {
        const st = enclosingStatement(n, ancestors);
        const full: ServerApp = { ...app, ...(name ? { name } : {}), ...(st && name ? { insertAfter: nextLineStart(text, st.end) } : {}), indent: indentAt(text, (st ?? n).start) };
        apps.push(full);
        if (name) appByName.set(name, full);
      } else if (name) {
        const u = unwrap(init);
        // express.Router(), Router(), new Router() (@koa/router)
        if (u && (isCall(u) || u.type === 'NewExpression')) {
          const cm = memberPath(u.callee as Node);
          const last = cm?.[cm.length - 1];
          if (last === 'Router' && (bound(ctx, u.callee as Node, new Set(['express', '@koa/router', 'koa-router'])) || (cm!.length === 2 && bound(ctx, (unwrap(u.callee as Node))!.object as Node, 'express')))) routers.add(name);
        }
      }
    }
    if (isCall(n) && (n.callee as Node).type !== 'Import') calls.push({ node: n, ancestors: [...ancestors] });
    if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') {
      const decos = (n.decorators ?? []) as Node[];
      if (decos.some((d) => memberPath(isCall(d.expression as Node) ? (d.expression as Node).callee : d.expression)?.join('.') === 'Controller')) nestControllers.push(n);
    }
  });
  // `createServer` + next(): the Next app object is only a custom server when its request handler is used.
  for (let i = apps.length - 1; i >= 0; i--) if (apps[i].framework === 'next' && !/\.getRequestHandler\s*\(|\.prepare\s*\(/.test(text)) apps.splice(i, 1);

  const receiverName = (n: Node | undefined): string | undefined => memberPath(n)?.join('.');
  const isRouteReceiver = (name: string | undefined): boolean => {
    if (!name) return false;
    if (appByName.has(name) || routers.has(name)) return true;
    if (!frameworks.size) return false;
    return ROUTER_NAME.test(name.split('.').pop()!);
  };
  const frameworkOf = (name: string | undefined): Framework => {
    const app = name ? appByName.get(name) : undefined;
    if (app) return app.framework === 'nest' ? 'nest' : app.framework;
    for (const f of ['fastify', 'koa', 'express', 'nest', 'next'] as const) if (frameworks.has(f)) return f;
    return 'express';
  };
  const cachedApps = new Set<string>();
  // Authentication or session middleware per receiver (router.use(auth()), app.use(passport.session())); an app's covers the file.
  const guarded = new Map<string, string>(calls.flatMap(({ node: c }) => (memberPath(unwrap(c.callee as Node))?.at(-1) === 'use' ? (c.arguments as Node[]).map((a) => [memberPath(unwrap(c.callee as Node))!.slice(0, -1).join('.'), text.slice(a.start, a.end)] as [string, string]).filter(([, t]) => isAuthMiddlewareText(t)) : [])));
  const guardOf = (recv: string | undefined): string | undefined => (recv ? guarded.get(recv) : undefined) ?? [...guarded].find(([k]) => appByName.has(k))?.[1];
  /** Where middleware and routes are registered, for their order. */
  const useSites: { use: MiddlewareUse; call: Node; ancestors: Node[] }[] = [];
  const routeSites: { recv: string | undefined; call: Node; ancestors: Node[] }[] = [];

  for (const { node: call, ancestors: callAncestors } of calls) {
    const callee = unwrap(call.callee as Node)!;
    const args = call.arguments as Node[];
    const mp = memberPath(callee);
    // static serving (any position)
    const st = staticOf(ctx, call, frameworks);
    if (st) statics.push(...(Array.isArray(st) ? st : [st]));
    if (!mp || mp.length < 2) continue;
    const method = mp[mp.length - 1];
    const recv = receiverName(callee.object as Node);
    // middleware
    if (method === 'use' || method === 'register') {
      const list = method === 'register' ? args.slice(0, 1) : args;
      for (const a of list) {
        const u = unwrap(a);
        if (!u) continue;
        const calledB = isCall(u) ? bound(ctx, u.callee as Node, COMPRESSION_MODULES) : undefined;
        const plainB = bound(ctx, u, COMPRESSION_MODULES);
        const t = text.slice(u.start, u.end);
        if (calledB || plainB) {
          const mod = (calledB ?? plainB)!.source;
          const use: MiddlewareUse = { target: recv ?? '?', kind: 'compression', module: mod, span: spanOf(u) };
          if (plainB && method === 'use' && !FASTIFY_PLUGIN_COMPRESS.has(mod)) use.notCalled = { insertAt: u.end };
          if (method === 'register') {
            const g = objectProps(args[1]).get('global');
            if (g && booleanValue(g.value) === false) use.globalOff = true;
          }
          uses.push(use);
          useSites.push({ use, call, ancestors: callAncestors });
        } else if (isCacheMiddlewareText(t) && !/static/i.test(t)) {
          uses.push({ target: recv ?? '?', kind: 'cache', span: spanOf(u) });
          cachedApps.add(recv ?? '?');
        } else {
          const use: MiddlewareUse = { target: recv ?? '?', kind: 'other', span: spanOf(u) };
          if (isCall(u) && staticOf(ctx, u, frameworks)) use.serves = 'static';
          else if ((u.type === 'Identifier' && routers.has(u.name as string)) || (isCall(u) && /^(?:routes|middleware)$/.test(memberPath(u.callee as Node)?.at(-1) ?? '') && routers.has(memberPath(u.callee as Node)!.slice(0, -1).join('.')))) use.serves = 'router';
          uses.push(use);
          if (use.serves) useSites.push({ use, call, ancestors: callAncestors });
        }
      }
      continue;
    }
    // app.set('etag', false) / app.disable('etag')
    if ((method === 'set' && args.length === 2 && stringValue(args[0]) === 'etag' && (booleanValue(args[1]) === false || numberValue(args[1]) === 0)) || (method === 'disable' && stringValue(args[0]) === 'etag')) {
      if (recv && (appByName.get(recv) ? ['express', 'nest'].includes(appByName.get(recv)!.framework) : frameworks.has('express') || frameworks.has('nest'))) {
        const parentStmt = calls.find((c) => c.node === call)!.ancestors.at(-1);
        etagDisabled.push({ span: spanOf(call), how: text.slice(call.start, call.end), ...(parentStmt?.type === 'ExpressionStatement' ? { statement: spanOf(parentStmt) } : {}) });
      }
      continue;
    }
    // routes: app.get('/x', …, handler), router.route('/x').get(handler), fastify.route({ method, url, handler })
    if (HTTP_METHODS.has(method)) {
      let recvName = recv;
      let pathArg: Node | undefined = args[0];
      let handlerArgs = args.slice(1);
      const obj = unwrap(callee.object as Node);
      if (obj && isCall(obj) && memberPath(obj.callee as Node)?.at(-1) === 'route') {
        recvName = receiverName((unwrap(obj.callee as Node)!).object as Node);
        pathArg = (obj.arguments as Node[])[0];
        handlerArgs = args;
      } else {
        // koa-router: router.get('name', '/path', handler)
        if (stringValue(args[0]) !== undefined && stringValue(args[1]) !== undefined && args.length >= 3) {
          pathArg = args[1];
          handlerArgs = args.slice(2);
        }
        const p = unwrap(pathArg);
        if (!p || !(p.type === 'StringLiteral' || p.type === 'TemplateLiteral' || p.type === 'RegExpLiteral' || p.type === 'ArrayExpression') || handlerArgs.length === 0) continue;
      }
      if (!isRouteReceiver(recvName)) continue;
      routeSites.push({ recv: recvName, call, ancestors: callAncestors });
      const handlerNode = resolveHandler(ctx, handlerArgs[handlerArgs.length - 1]) ?? resolveHandler(ctx, objectProps(handlerArgs[handlerArgs.length - 1]).get('handler')?.value);
      if (!handlerNode) continue;
      const middlewares = handlerArgs.slice(0, -1).map((m) => text.slice(m.start, m.end));
      const scan = scanHandler(ctx, handlerNode);
      const mwCache = middlewares.find(isCacheMiddlewareText);
      const fwk = frameworkOf(recvName);
      routes.push({
        framework: fwk, method: method.toUpperCase(), ...(stringValue(pathArg) !== undefined ? { path: stringValue(pathArg) } : {}),
        span: { start: callee.start, end: pathArg ? pathArg.end : callee.end },
        ...(scan.db ? { db: scan.db } : {}),
        ...(scan.caching ? { caching: scan.caching } : mwCache ? { caching: `route middleware ${mwCache}` } : {}),
        ...notPublicOf({ path: stringValue(pathArg), middlewares, writes: scan.writes, guardedBy: guardOf(recvName), file: path }),
      });
      continue;
    }
    if (method === 'route' && args.length === 1 && unwrap(args[0])?.type === 'ObjectExpression' && isRouteReceiver(recv)) {
      const props = objectProps(args[0]);
      const m = stringValue(props.get('method')?.value);
      const h = resolveHandler(ctx, props.get('handler')?.value);
      if (!m || !h) continue;
      const scan = scanHandler(ctx, h);
      const url = stringValue(props.get('url')?.value ?? props.get('path')?.value);
      routes.push({ framework: frameworkOf(recv), method: m.toUpperCase(), ...(url !== undefined ? { path: url } : {}), span: spanOf(callee), ...(scan.db ? { db: scan.db } : {}), ...(scan.caching ? { caching: scan.caching } : {}), ...notPublicOf({ path: url, middlewares: [text.slice(args[0].start, args[0].end).replace(/handler\s*:[\s\S]*$/, '')], writes: scan.writes, guardedBy: guardOf(recv), file: path }) });
    }
  }

  // NestJS controllers: @Get() methods
  for (const cls of nestControllers) {
    const clsDecos = ((cls.decorators ?? []) as Node[]).map((d) => text.slice(d.start, d.end)).join(' ');
    for (const m of (cls.body.body ?? []) as Node[]) {
      if (m.type !== 'ClassMethod' || !m.decorators) continue;
      const decos = m.decorators as Node[];
      for (const d of decos) {
        const e = unwrap(d.expression as Node)!;
        const name = memberPath(isCall(e) ? e.callee : e)?.join('.');
        const verb = name ? NEST_ROUTE_DECORATORS[name] : undefined;
        if (!verb) continue;
        const all = `${clsDecos} ${decos.map((x) => text.slice(x.start, x.end)).join(' ')}`;
        const scan = scanHandler(ctx, m);
        const decoCache = /CacheInterceptor|CacheTTL|CacheKey|Header\(\s*['"]cache-control/i.test(all) ? 'cache interceptor / header decorator' : undefined;
        const pathArg = isCall(e) ? stringValue((e.arguments as Node[])[0]) : undefined;
        routes.push({ framework: 'nest', method: verb, ...(pathArg !== undefined ? { path: pathArg } : {}), span: spanOf(d), ...(scan.db ? { db: scan.db } : {}), ...((decoCache ?? scan.caching) ? { caching: (decoCache ?? scan.caching)! } : {}), ...notPublicOf({ path: pathArg, middlewares: [all.replace(/@(?:Get|Controller)\([^)]*\)/g, '')], writes: scan.writes, file: path }) });
      }
    }
  }

  // Next.js route handlers
  if (nextRoute) {
    const fileCaching = /export\s+const\s+revalidate\s*=\s*[1-9]|export\s+const\s+dynamic\s*=\s*['"]force-static['"]|^[^\S\n\r\u2028\u2029]*['"]use cache['"]/m.test(text) ? 'revalidate / force-static' : undefined;
    for (const st of program.body as Node[]) {
      if (nextRoute === 'pages' && st.type === 'ExportDefaultDeclaration') {
        const d = st.declaration as Node;
        const fn = isFunction(unwrap(d)) ? unwrap(d)! : d.type === 'Identifier' ? functions.get(d.name as string) : resolveHandler(ctx, d);
        if (!fn) continue;
        const body = text.slice(fn.start, fn.end);
        if (/req\.method\s*[!=]==?\s*['"](?:POST|PUT|PATCH|DELETE)['"]/.test(body) && !/['"]GET['"]/.test(body)) continue;
        const scan = scanHandler(ctx, fn);
        routes.push({ framework: 'next', method: 'GET', span: { start: st.start, end: st.start + 'export default'.length }, ...(scan.db ? { db: scan.db } : {}), ...((scan.caching ?? fileCaching) ? { caching: (scan.caching ?? fileCaching)! } : {}) });
      }
      if (nextRoute === 'app' && st.type === 'ExportNamedDeclaration' && st.declaration) {
        const d = st.declaration as Node;
        const fns: { id: Node; fn: Node }[] = [];
        if (d.type === 'FunctionDeclaration' && d.id) fns.push({ id: d.id as Node, fn: d });
        if (d.type === 'VariableDeclaration') for (const x of d.declarations as Node[]) if (x.id.type === 'Identifier' && isFunction(unwrap(x.init as Node))) fns.push({ id: x.id as Node, fn: unwrap(x.init as Node)! });
        for (const { id, fn } of fns) {
          if (id.name !== 'GET') continue;
          const scan = scanHandler(ctx, fn);
          routes.push({ framework: 'next', method: 'GET', span: spanOf(id), ...(scan.db ? { db: scan.db } : {}), ...((scan.caching ?? fileCaching) ? { caching: (scan.caching ?? fileCaching)! } : {}) });
        }
      }
    }
  }

  for (const site of useSites) lateCompression(text, site, useSites, routeSites, frameworkOf(site.use.target), imports);

  // App-wide cache middleware covers every route of the file.
  if (cachedApps.size) for (const r of routes) r.caching ??= 'cache middleware registered on the app';

  if (!apps.length && !uses.some((u) => u.kind === 'compression') && !statics.length && !routes.length && !etagDisabled.length) return undefined;

  const importsOut: FixContext['imports'] = {};
  for (const [local, b] of imports) if (COMPRESSION_MODULES.has(b.source) || b.source === 'express') importsOut[local] = { source: b.source, imported: b.imported };
  return {
    apps, uses, statics, routes, etagDisabled,
    frameworks: [...frameworks],
    syntaxErrors: parsed.errors.length,
    fix: {
      moduleStyle: parsed.moduleStyle,
      typescript: parsed.typescript,
      importAt: importInsertionOffset(text, program),
      quote: quoteOf(text, program),
      semi: usesSemicolons(text, program),
      eol: eolOf(text),
      indentUnit: indentUnit(text),
      topLevel: [...topLevelNames(program)],
      imports: importsOut,
      namespaceImports: [...imports.values()].some((b) => b.style === 'esm' && b.imported === '*' && (b.statement).type === 'ImportDeclaration' && FRAMEWORK_OF_MODULE[b.source] !== undefined && !/^@nestjs/.test(b.source)),
    },
  };
}
