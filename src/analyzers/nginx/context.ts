/**
 * Configuration levels and effective values, with nginx's inheritance: a directive set at a level
 * applies there and below, unless a lower level sets it again (http → server → location → nested
 * location / `if` in location / `limit_except`). Array directives (`add_header`, `proxy_set_header`)
 * follow the same rule as a whole: a level with at least one `add_header` inherits none of the
 * enclosing level's — the classic pitfall. Where a directive is written among its level's children
 * does not matter (nginx merges levels after reading the whole block).
 */
import type { Ctx, CtxKind, ENode, NginxDirective, Span } from './model.js';
import { linearRegex, type LinearRegex } from '../../kernel/regex.js';

/** Levels that take part in http inheritance. */
const HTTP_CHAIN = new Set<CtxKind>(['http', 'server', 'location', 'if', 'limit_except']);

function childKind(parent: CtxKind, name: string): CtxKind {
  switch (parent) {
    case 'main':
      return name === 'http' ? 'http' : name === 'events' ? 'events' : 'other';
    case 'http':
      return name === 'server' ? 'server' : name === 'upstream' ? 'upstream' : name === 'types' ? 'types' : 'other';
    case 'server':
    case 'location':
    case 'if':
    case 'limit_except':
      if (name === 'location') return 'location';
      if (name === 'if') return 'if';
      if (name === 'limit_except') return 'limit_except';
      return name === 'types' ? 'types' : 'other';
    default:
      return 'other';
  }
}

/** Builds the level tree over expanded nodes. Depth is bounded by the parser's and the include limits. */
export function buildContexts(kind: CtxKind, items: ENode[], parent?: Ctx, node?: ENode): Ctx {
  const ctx: Ctx = { kind, items, children: [], ...(parent ? { parent } : {}), ...(node ? { node } : {}) };
  for (const n of items) {
    if (n.children && !n.d.opaque) ctx.children.push(buildContexts(childKind(kind, n.d.name), n.children, ctx, n));
  }
  // (recursion depth is bounded: the parser keeps MAX_DEPTH levels per file, the expansion 128 in all)
  return ctx;
}

/** Per level: simple directives and child levels by name (an http block can hold thousands of servers). */
const INDEX = new WeakMap<Ctx, { simple: Map<string, ENode[]>; blocks: Map<string, Ctx[]> }>();

function indexOf(ctx: Ctx): { simple: Map<string, ENode[]>; blocks: Map<string, Ctx[]> } {
  let ix = INDEX.get(ctx);
  if (!ix) {
    ix = { simple: new Map(), blocks: new Map() };
    for (const n of ctx.items) {
      if (n.children) continue;
      const list = ix.simple.get(n.d.name);
      if (list) list.push(n);
      else ix.simple.set(n.d.name, [n]);
    }
    for (const c of ctx.children) {
      const name = c.node?.d.name ?? '';
      const list = ix.blocks.get(name);
      if (list) list.push(c);
      else ix.blocks.set(name, [c]);
    }
    INDEX.set(ctx, ix);
  }
  return ix;
}

/** Simple directives named `name` written directly at this level (a fresh array). */
export function own(ctx: Ctx, name: string): ENode[] {
  return [...(indexOf(ctx).simple.get(name) ?? [])];
}

export function ownBlocks(ctx: Ctx, name: string): Ctx[] {
  return [...(indexOf(ctx).blocks.get(name) ?? [])];
}

/** The next level up in http inheritance, or undefined at the top. */
export function inheritsFrom(ctx: Ctx): Ctx | undefined {
  if (!HTTP_CHAIN.has(ctx.kind)) return undefined;
  const p = ctx.parent;
  if (!p || !HTTP_CHAIN.has(p.kind)) return undefined;
  return p;
}

export interface Lookup {
  /** The level whose directives apply. */
  ctx: Ctx;
  nodes: ENode[];
}

/** The directives named `name` that apply at `ctx`: those of the nearest level (this one or up) that has any. */
export function lookup(ctx: Ctx, name: string): Lookup | undefined {
  for (let c: Ctx | undefined = ctx; c; c = inheritsFrom(c)) {
    const nodes = own(c, name);
    if (nodes.length) return { ctx: c, nodes };
  }
  return undefined;
}

/** The first argument (lowercased) of the last applying directive, e.g. "on" for `gzip on;`. */
export function flag(ctx: Ctx, name: string): { value: string; node: ENode; ctx: Ctx } | undefined {
  const l = lookup(ctx, name);
  if (!l) return undefined;
  const node = l.nodes[l.nodes.length - 1];
  return { value: (node.d.args[0]?.value ?? '').toLowerCase(), node, ctx: l.ctx };
}

/** Every level under `root` (root included), parents before children; iterative. */
export function allContexts(root: Ctx): Ctx[] {
  const out: Ctx[] = [];
  const stack = [root];
  while (stack.length) {
    const c = stack.pop()!;
    out.push(c);
    for (let i = c.children.length - 1; i >= 0; i--) stack.push(c.children[i]);
  }
  return out;
}

/** The topmost level of the chain that belongs to the analysed files (has a block directive, not external). */
export function topAnalysed(ctx: Ctx): Ctx | 'external' {
  let top = ctx;
  for (let c: Ctx | undefined = ctx; c; c = inheritsFrom(c)) {
    if (c.external) return 'external';
    if (c.node) top = c;
  }
  return top;
}

/** From the directive's name to its last argument. */
export function headSpan(d: NginxDirective): Span {
  const last = d.args[d.args.length - 1];
  return { start: d.nameSpan.start, end: last ? last.span.end : d.nameSpan.end };
}

// ---------------------------------------------------------------------------------------------
// Values

const UNIT: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };

/** nginx time (`30d`, `1y6M`, `90`, `1h 30m`) in seconds; undefined when not a time. */
export function parseTime(v: string): number | undefined {
  const s = v.trim();
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+)\s*(ms|[smhdwMy])/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * UNIT[m[2]];
    at = re.lastIndex;
    while (s[at] === ' ') at++;
    re.lastIndex = at;
  }
  return at === s.length ? total : undefined;
}

export const ONE_YEAR = 31536000;
/** What counts as a long-lived Cache-Control for static assets. */
export const LONG_LIVED = 7 * 86400;

/** How a level's caching headers look to a browser. */
export interface CachePolicy {
  /** max-age in seconds (0 for no-cache / no-store / expires epoch); undefined when unknown (a variable). */
  maxAge?: number;
  /** The lifetime `expires` gives (null: no expires, or `expires off`). */
  expires: number | undefined | null;
  /** The max-age the `add_header Cache-Control` fields give (null: none, or no max-age in them). */
  header: number | undefined | null;
  immutable: boolean;
  /** No expires and no Cache-Control header at all. */
  none: boolean;
  /** The directives that produce the headers. */
  nodes: ENode[];
}

/** Seconds of lifetime an `expires` value gives; null for `off`, undefined when it cannot be known. */
export function expiresSeconds(value: string): number | undefined | null {
  const v = value.toLowerCase();
  if (v === 'off') return null;
  if (v === 'epoch' || v.startsWith('-')) return 0;
  if (v === 'max') return 10 * ONE_YEAR;
  if (v.startsWith('@')) return 86400; // until that time of day: at most a day
  if (v === 'modified' || v.includes('$')) return undefined;
  return parseTime(v.replace(/^\+/, ''));
}

/** The Cache-Control/Expires headers that responses of `ctx` get from `expires` and `add_header Cache-Control`. */
export function cachePolicy(ctx: Ctx): CachePolicy {
  const nodes: ENode[] = [];
  // null: no such header; undefined: a lifetime we cannot know (a variable, `expires modified …`).
  let fromExpires: number | undefined | null = null;
  const ex = lookup(ctx, 'expires');
  if (ex) {
    const n = ex.nodes[ex.nodes.length - 1];
    fromExpires = expiresSeconds(n.d.args[0]?.value ?? '');
    if (fromExpires !== null) nodes.push(n);
  }
  let fromHeader: number | undefined | null = null;
  let immutable = false;
  for (const n of lookup(ctx, 'add_header')?.nodes ?? []) {
    if (n.d.args[0]?.value.toLowerCase() !== 'cache-control') continue;
    nodes.push(n);
    const value = (n.d.args[1]?.value ?? '').toLowerCase();
    if (/\bimmutable\b/.test(value)) immutable = true;
    const m = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec(value);
    if (/\bno-store\b|\bno-cache\b/.test(value)) fromHeader = 0;
    else if (m) fromHeader = Math.min(Number(m[1]), fromHeader ?? Infinity);
    else if (value.includes('$') && fromHeader === null) fromHeader = undefined;
  }
  let maxAge: number | undefined;
  if (fromHeader !== null && fromExpires !== null) maxAge = fromHeader === undefined || fromExpires === undefined ? undefined : Math.min(fromHeader, fromExpires);
  else if (fromHeader !== null) maxAge = fromHeader;
  else if (fromExpires !== null) maxAge = fromExpires;
  // A Cache-Control without max-age (e.g. only "public, immutable") gives no explicit lifetime.
  else maxAge = 0;
  return { ...(maxAge !== undefined ? { maxAge } : {}), expires: fromExpires, header: fromHeader, immutable, none: !nodes.length, nodes };
}

/** Extension → MIME type from the `types` blocks that apply at `ctx` (nginx merges them like other directives). */
export function mimeTypes(ctx: Ctx): Map<string, string> | undefined {
  for (let c: Ctx | undefined = ctx; c; c = inheritsFrom(c)) {
    const blocks = ownBlocks(c, 'types');
    if (!blocks.length) continue;
    const map = new Map<string, string>();
    for (const b of blocks) for (const n of b.items) for (const a of n.d.args) map.set(a.value.toLowerCase(), n.d.name.toLowerCase());
    return map;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Locations

export interface LocationPattern {
  modifier: '' | '=' | '~' | '~*' | '^~' | '@';
  pattern: string;
}

export function locationPattern(ctx: Ctx): LocationPattern | undefined {
  const args = ctx.node?.d.args.map((a) => a.value) ?? [];
  if (ctx.kind !== 'location' || !args.length) return undefined;
  if (args.length >= 2 && ['=', '~', '~*', '^~'].includes(args[0])) return { modifier: args[0] as LocationPattern['modifier'], pattern: args[1] };
  const a = args[0];
  if (a.startsWith('@')) return { modifier: '@', pattern: a };
  for (const m of ['~*', '^~', '~', '='] as const) if (a.startsWith(m) && a.length > m.length) return { modifier: m, pattern: a.slice(m.length) };
  return { modifier: '', pattern: a };
}

/** A PCRE location regex on RE2 (linear time: the pattern is the workspace's); undefined when RE2 cannot read it. */
export function locationRegex(p: LocationPattern): LinearRegex | undefined {
  return linearRegex(p.pattern, { caseInsensitive: p.modifier === '~*' });
}

/**
 * The location that serves `uri` in `server`, as nginx picks it: an exact `=` match; else the
 * longest prefix, which wins outright with `^~`; else the first matching regex (those nested in
 * the longest prefix first); else the longest prefix. Nested locations are searched the same way.
 */
export function matchLocation(container: Ctx, uri: string, depth = 0): Ctx | undefined {
  const locs = container.children.filter((c) => c.kind === 'location');
  let longest: { ctx: Ctx; len: number; mod: string } | undefined;
  for (const l of locs) {
    const p = locationPattern(l);
    if (!p) continue;
    if (p.modifier === '=' && p.pattern === uri) return l;
    if ((p.modifier === '' || p.modifier === '^~') && uri.startsWith(p.pattern) && (!longest || p.pattern.length > longest.len)) longest = { ctx: l, len: p.pattern.length, mod: p.modifier };
  }
  if (longest && depth < 16) {
    const nested = matchLocation(longest.ctx, uri, depth + 1);
    if (nested && nested !== longest.ctx) {
      const np = locationPattern(nested);
      if (np && (np.modifier === '~' || np.modifier === '~*' || longest.mod !== '^~')) return nested;
    }
    if (longest.mod === '^~') return longest.ctx;
  }
  for (const l of locs) {
    const p = locationPattern(l);
    if (!p || (p.modifier !== '~' && p.modifier !== '~*')) continue;
    if (locationRegex(p)?.test(uri)) return l;
  }
  return longest?.ctx;
}

// ---------------------------------------------------------------------------------------------
// What a location does

const HANDLERS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass', 'return', 'content_by_lua_block', 'content_by_lua', 'content_by_lua_file', 'js_content', 'perl', 'stub_status', 'empty_gif']);

/** Serves files from disk: no proxy/fastcgi/… handler or `return` of its own (handlers are not inherited). */
export function isStaticHandler(ctx: Ctx): boolean {
  return !ctx.items.some((n) => HANDLERS.has(n.d.name));
}

export const STATIC_EXTENSIONS = ['css', 'js', 'mjs', 'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'map', 'wasm'];

/** Prefixes build tools use for fingerprinted (content-hashed) file names. */
export const HASHED_PREFIXES = ['/assets/', '/static/', '/_next/static/', '/_nuxt/', '/_app/immutable/', '/build/', '/dist/', '/packs/', '/_astro/', '/bundles/'];
/**
 * Of these, the folders whose names a framework always hashes (Next.js, Nuxt, SvelteKit, Webpacker,
 * Astro). The others (/assets/, /static/, /build/, /dist/, /bundles/) are also where Django's
 * collectstatic, Rails without digests or a hand-written site put plain file names: there "hashed"
 * is only a guess.
 */
const ALWAYS_HASHED_PREFIXES = ['/_next/static/', '/_nuxt/', '/_app/immutable/', '/packs/', '/_astro/'];

/**
 * A character class or `\w` / `\d` repeated: `[0-9a-f]{8}`, `[a-z0-9]+`, `\w{20}`. A class is tried
 * from the first `[` after the previous `]` only (linear time): a later `[` in the same stretch ends
 * at the same `]` with less in it, so it cannot match where the first did not.
 */
const HASH_RE = /(?:^|\])[^[\]]*\[(?=[^\]]*?(?:0-9|a-f|a-z|A-Z|\\w|\\d))[^\]]*\](?:\{\d+(?:,\d*)?\}|\+)|\\[wd](?:\{\d+(?:,\d*)?\}|\+)/;

export interface StaticLocationKind {
  /** Which static extensions it serves (regex locations), or undefined for a prefix location. */
  extensions?: string[];
  hashed: boolean;
  /** `hashed` comes from a common folder name only (/static/, /assets/…), not from a hash in the pattern or a framework's folder. */
  guessed?: boolean;
}

/** Whether a location is meant for static assets: a regex on asset extensions, or a build tool's asset prefix. */
export function staticLocationKind(ctx: Ctx): StaticLocationKind | undefined {
  const p = locationPattern(ctx);
  if (!p || p.modifier === '@' || p.modifier === '=') return undefined;
  if (p.modifier === '~' || p.modifier === '~*') {
    const re = locationRegex(p);
    if (!re) return undefined;
    if (re.test('/x/page.html') || re.test('/api/users')) return undefined;
    const exts = STATIC_EXTENSIONS.filter((e) => re.test(`/x/a.${e}`) || re.test(`/x/a.0123abcd.${e}`));
    if (!exts.length) {
      // `location ~ ^/(assets|packs)/`: a regex on build tools' asset directories.
      const dirs = HASHED_PREFIXES.filter((h) => re.test(`${h}app.0123abcd.js`) && !re.test(`${h.slice(0, -1)}-not/x`));
      if (dirs.length) return { hashed: true, ...(dirs.some((h) => ALWAYS_HASHED_PREFIXES.includes(h)) ? {} : { guessed: true }) };
      return undefined;
    }
    if (HASH_RE.test(p.pattern)) return { extensions: exts, hashed: true };
    const dirs = HASHED_PREFIXES.filter((h) => p.pattern.includes(h));
    return { extensions: exts, hashed: dirs.length > 0, ...(dirs.length && !dirs.some((h) => ALWAYS_HASHED_PREFIXES.includes(h)) ? { guessed: true } : {}) };
  }
  const path = p.pattern.endsWith('/') ? p.pattern : `${p.pattern}/`;
  if (HASHED_PREFIXES.includes(path)) return { hashed: true, ...(ALWAYS_HASHED_PREFIXES.includes(path) ? {} : { guessed: true }) };
  if (/^\/(css|js|images|img|fonts|media|public)\/$/.test(path)) return { hashed: false };
  return undefined;
}
