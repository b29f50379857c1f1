/**
 * One nginx file → the artifact the nginx rules read: the parsed file, the tree with includes
 * expanded, the configuration levels, and the problems met on the way (syntax errors, missing or
 * looping includes, binary files).
 *
 * Which file is analysed: a main config (one with `http {` / `events {` or main-only directives)
 * is analysed with its includes expanded, and findings land in whichever file holds the directive.
 * A snippet (conf.d/*.conf, sites-enabled/*) that a config of the workspace includes is analysed
 * there, not again on its own. A snippet nothing includes is analysed as the content of an `http`
 * block (or of a `server` block, when its top level has `location`s): the http block of the nearest
 * main config of the workspace, when there is one, is its enclosing level for inherited values.
 */
import type { WorkspaceView } from '../../kernel/contracts.js';
import { isProbablyBinary } from '../../kernel/text.js';
import { isLineTerminatorCode, isSpaceCode, someFollowedBy } from '../../kernel/linear.js';
import { allContexts, buildContexts, flag } from './context.js';
import { basename, dirname, DROP_IN_FOLDERS, globFolder, IncludeResolver, isStockInclude } from './include.js';
import type { Ctx, ENode, NginxDiagnostic, NginxDirective, ParsedNginx } from './model.js';
import { parseNginx } from './parser.js';

/** Include nesting deeper than this is not followed. */
export const MAX_INCLUDE_DEPTH = 16;
/** Directives in one expanded configuration, includes counted every time they are included. */
export const MAX_NODES = 200_000;
/** Block nesting across included files. */
const MAX_TOTAL_DEPTH = 128;

export interface NginxArtifact {
  path: string;
  role: 'main' | 'snippet';
  parsed: ParsedNginx;
  /**
   * What this file reports under nginx-parse-error: its own syntax errors, those of included files
   * that are not nginx files of their own, and (when analysed) include problems.
   */
  diagnostics: NginxDiagnostic[];
  /** Another workspace config includes this file and is analysed instead. */
  coveredBy?: string;
  /** The analysed levels (undefined when covered or binary). */
  root?: Ctx;
  /** The main config whose http block a snippet is assumed to be included in. */
  assumedParent?: string;
  /** Files of the expansion, this one first. */
  files: string[];
  /** The brotli filter module is loaded (`load_module …brotli…`) or brotli directives are used. */
  brotli?: 'module' | 'directives';
  /**
   * A location that proxies to a backend (proxy_pass) with gzip on: the responses of the app behind
   * it reach browsers compressed. Read by other domains by gatherer id ('nginx'): an app server's
   * own compression is then optional.
   */
  compressesProxied?: { file: string; span: { start: number; end: number } };
}

// ---------------------------------------------------------------------------------------------
// Which files are nginx configs

/** Cheap path test: nginx.conf, *.nginx, *.conf under nginx / conf.d / sites-* directories, site files in sites-*. */
export function isNginxPath(path: string): boolean {
  const lower = path.toLowerCase();
  const base = basename(lower);
  const dirs = dirname(lower).split('/');
  if (/^nginx[^/]*\.conf$/.test(base) || base.endsWith('.nginx')) return true;
  const nginxDir = dirs.some((d) => /^(nginx([._-].*)?|openresty)$/.test(d));
  const confDir = dirs.some((d) => d === 'conf.d' || d === 'sites-available' || d === 'sites-enabled');
  if ((base.endsWith('.conf') || base.endsWith('.conf.template')) && (nginxDir || confDir)) return true;
  const last = dirs[dirs.length - 1];
  // Debian names sites after their domain (sites-available/example.com).
  if ((last === 'sites-available' || last === 'sites-enabled') && !/^readme|\.(md|txt|rst|bak|old|orig|swp|save|dpkg-\w+|rpm\w+|disabled|sample|json|ya?ml|sh)$|~$/.test(base)) return true;
  return nginxDir && (base === 'mime.types' || /_params$/.test(base));
}

/**
 * `/(?:^|[;{}])\s*(?:server|…)\b[^\n=]*[;{]/m.test(text)`: a directive name (at a line start or after
 * `;`/`{`/`}`) with a `;` or `{` after it before any line break or `=`. Horizontal space after the
 * anchor (a line break in `\s*` only moves the match to the next line start); the tail is checked by
 * someFollowedBy, once per stretch, instead of rescanning the line from every name.
 */
const NGINX_MARKER_HEAD = /(?:^|[;{}])[^\S\n\r\u2028\u2029]*(?:server|location|upstream|http|events|map|listen|server_name|proxy_pass|fastcgi_pass|root|gzip\w*|add_header|expires|return|rewrite|try_files|ssl_certificate|error_page|access_log|client_max_body_size|proxy_set_header|limit_req_zone|log_format|types|include)\b/gm;

/** Apache directives (CamelCase, no `;`), as found in Apache files without section tags. */
const APACHE_DIRECTIVE = /^[^\S\n\r\u2028\u2029]*(ServerName|ServerAlias|DocumentRoot|LoadModule|Listen|ServerRoot|RewriteEngine|RewriteRule|RewriteCond|AddOutputFilterByType|ExpiresActive|ExpiresByType|Header\s+(always\s+)?(set|append|unset)|Options|AllowOverride|Require|Include|IncludeOptional)\s[^;{\n\r\u2028\u2029]*$/m;

const isHorizontalSpace = (c: number): boolean => c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029 && isSpaceCode(c);

/**
 * `/^\s*\[[^\]\n]+\]\s*$/m.test(text)`: an ini section line. Without the regex's rescans: `[^\]\n]+`
 * crosses `\r` and U+2028, so from every `[` after one it read on to the same `]` or `\n` — found
 * here once for all of them (and the rest of that line judged once).
 */
export function hasIniSection(text: string): boolean {
  const open = /^[^\S\n\r\u2028\u2029]*\[/gm;
  let close = -1;
  let closeOk = false;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const from = m.index + m[0].length;
    if (close < from) {
      close = from;
      while (close < text.length && text[close] !== ']' && text[close] !== '\n') close++;
      let k = close + 1;
      while (k < text.length && isHorizontalSpace(text.charCodeAt(k))) k++;
      closeOk = close < text.length && text[close] === ']' && (k >= text.length || isLineTerminatorCode(text.charCodeAt(k)));
    }
    if (closeOk && close > from) {
      open.lastIndex = 0;
      return true;
    }
  }
  return false;
}

/**
 * The conf.d and sites-* directories also hold Apache, MySQL, supervisor, php-fpm… files: those directories
 * need nginx-looking content and no Apache tags or ini sections. Files named nginx* or under an
 * nginx directory are taken as nginx.
 */
export function looksLikeNginx(path: string, text: string): boolean {
  const lower = path.toLowerCase();
  const base = basename(lower);
  if (/^nginx[^/]*\.conf$/.test(base) || base.endsWith('.nginx') || dirname(lower).split('/').some((d) => /^(nginx([._-].*)?|openresty)$/.test(d))) return true;
  if (/^[^\S\n\r\u2028\u2029]*<\/?[A-Za-z][\w.-]*[\s>]/m.test(text) || hasIniSection(text) || APACHE_DIRECTIVE.test(text)) return false;
  return someFollowedBy(text, NGINX_MARKER_HEAD, '\n=;{', ';{');
}

const MAIN_ONLY = new Set(['worker_processes', 'user', 'pid', 'load_module', 'daemon', 'master_process', 'worker_rlimit_nofile', 'pcre_jit', 'thread_pool', 'worker_cpu_affinity', 'env']);

/** A main config: `http {`, `events {`, `stream {`, `mail {` or main-only directives at the top level. */
export function isMainConfig(parsed: ParsedNginx): boolean {
  return parsed.directives.some((d) => (d.block && ['http', 'events', 'stream', 'mail'].includes(d.name)) || (!d.block && MAIN_ONLY.has(d.name)));
}

/**
 * The directory nginx's relative paths would start from (its conf prefix): the innermost `nginx…`
 * directory above the file, else the parent of the outermost conf.d / sites-* / snippets /
 * templates directory, else the file's own directory.
 */
export function guessConfDir(path: string): string {
  const dirs = dirname(path).split('/').filter(Boolean);
  for (let i = dirs.length - 1; i >= 0; i--) if (/^(nginx([._-].*)?|openresty)$/i.test(dirs[i])) return dirs.slice(0, i + 1).join('/');
  const i = dirs.findIndex((d) => /^(conf\.d|sites-available|sites-enabled|snippets|includes?|templates)$/.test(d));
  return i >= 0 ? dirs.slice(0, i).join('/') : dirs.join('/');
}

// ---------------------------------------------------------------------------------------------
// Caches (by content; bounded)

const parseCache = new Map<string, { text: string; parsed: ParsedNginx }>();

export function parseCached(path: string, text: string): ParsedNginx {
  const hit = parseCache.get(path);
  if (hit && hit.text === text) return hit.parsed;
  if (parseCache.size >= 500) parseCache.clear();
  const parsed = parseNginx(text, path);
  parseCache.set(path, { text, parsed });
  return parsed;
}

interface Expansion {
  items: ENode[];
  files: string[];
  diags: NginxDiagnostic[];
  /** The text of every file read, to tell when the expansion is stale. */
  texts: Map<string, string>;
  pathsKey: string;
}

const expansionCache = new Map<string, Expansion>();

// ---------------------------------------------------------------------------------------------
// Include expansion

class Expander {
  readonly diags: NginxDiagnostic[] = [];
  readonly files: string[] = [];
  readonly texts = new Map<string, string>();
  /** Included files the workspace view could not give the text of. */
  readonly unread = new Set<string>();
  private nodes = 0;
  private limitReported = false;
  private readonly syntaxReported = new Set<string>();

  constructor(private readonly ws: WorkspaceView, private readonly resolver: IncludeResolver, private readonly confDir: string) {}

  private diag(kind: NginxDiagnostic['kind'], d: NginxDirective, message: string, severity: NginxDiagnostic['severity']): void {
    const span = d.args[0]?.span ?? d.nameSpan;
    if (!this.diags.some((x) => x.kind === kind && x.file === d.file && x.span.start === span.start)) this.diags.push({ kind, message, file: d.file, span, severity });
  }

  run(parsed: ParsedNginx, text: string): ENode[] {
    this.files.push(parsed.file);
    this.texts.set(parsed.file, text);
    return this.expand(parsed.directives, parsed.file, [parsed.file], 0);
  }

  private expand(ds: NginxDirective[], file: string, chain: string[], depth: number): ENode[] {
    const out: ENode[] = [];
    for (const d of ds) {
      if (++this.nodes > MAX_NODES) {
        if (!this.limitReported) {
          this.limitReported = true;
          this.diag('include-limit', d, `The configuration has more than ${MAX_NODES.toLocaleString('en-US')} directives with its includes expanded; the rest is not analysed.`, 'warning');
        }
        break;
      }
      if (d.name === 'include' && !d.block) {
        const node: ENode = { d };
        out.push(node);
        for (const n of this.include(d, file, chain, depth, node)) out.push(n);
        continue;
      }
      if (d.block && !d.opaque && depth < MAX_TOTAL_DEPTH) out.push({ d, children: this.expand(d.block, file, chain, depth + 1) });
      else out.push({ d });
    }
    return out;
  }

  private include(d: NginxDirective, file: string, chain: string[], depth: number, node: ENode): ENode[] {
    const arg = d.args[0];
    if (!arg || d.args.length !== 1 || arg.value.includes('$')) return [];
    if (chain.length > MAX_INCLUDE_DEPTH) {
      this.diag('include-limit', d, `Includes are nested more than ${MAX_INCLUDE_DEPTH} levels deep here; "${arg.value}" is not followed.`, 'warning');
      return [];
    }
    const r = this.resolver.resolve(arg.value, file, this.confDir);
    node.included = r.files;
    if (!r.files.length) {
      if (!r.glob && !isStockInclude(arg.value)) {
        this.diag('include-missing', d, `Included file "${arg.value}" is not in the workspace (looked for ${r.tried.map((t) => `"${t}"`).join(', ')}): the directives it holds are not analysed.`, 'warning');
      } else if (r.glob) {
        // An empty drop-in folder (conf.d/*.conf) is normal; a folder the repository does not carry at
        // all (e.g. /etc/nginx/h5bp/*.conf installed on the server) may hold the settings our rules miss.
        const folder = globFolder(arg.value);
        if (folder && !isStockInclude(`${folder}/x`) && !DROP_IN_FOLDERS.test(folder) && !this.resolver.hasFolder(folder)) {
          this.diag('include-missing', d, `Included files "${arg.value}" match nothing in the workspace (it has no "${folder}" folder): the directives they hold on the server are not analysed, so findings about settings never made here may not apply.`, 'info');
        }
      }
      return [];
    }
    const out: ENode[] = [];
    for (const f of r.files) {
      if (chain.includes(f)) {
        const loop = [...chain.slice(chain.indexOf(f)), f].join(' → ');
        this.diag('include-loop', d, `Include loop: ${loop}. nginx would include these files again and again until it runs out of file descriptors; the repeated include is not followed.`, 'error');
        continue;
      }
      const text = this.ws.textOf(f);
      if (text === undefined) {
        this.unread.add(f);
        this.diag('include-missing', d, `Included file "${f}" could not be read (or is over the "maxFileSizeKb" limit): the directives it holds are not analysed.`, 'warning');
        continue;
      }
      if (!this.texts.has(f)) {
        this.texts.set(f, text);
        this.files.push(f);
      }
      if (isProbablyBinary(text)) {
        this.diag('include-binary', d, `Included file "${f}" is not a text file (it contains NUL bytes); nginx would fail to read it as configuration.`, 'warning');
        continue;
      }
      const parsed = parseCached(f, text);
      if (!isNginxPath(f) && !this.syntaxReported.has(f)) {
        // Not an nginx file of its own (e.g. `include headers.inc`): its syntax errors are reported here.
        this.syntaxReported.add(f);
        for (const e of parsed.errors) this.diags.push(e);
      }
      for (const n of this.expand(parsed.directives, f, [...chain, f], depth)) out.push(n);
    }
    return out;
  }
}

function expandCached(path: string, text: string, ws: WorkspaceView, resolver: IncludeResolver, pathsKey: string, confDir: string): Expansion {
  const key = `${path}\u0000${confDir}`;
  const hit = expansionCache.get(key);
  if (hit && hit.pathsKey === pathsKey && hit.texts.get(path) === text && [...hit.texts].every(([p, t]) => p === path || ws.textOf(p) === t)) return hit;
  const ex = new Expander(ws, resolver, confDir);
  const items = ex.run(parseCached(path, text), text);
  const e: Expansion = { items, files: ex.files, diags: ex.diags, texts: ex.texts, pathsKey };
  if (expansionCache.size >= 200) expansionCache.clear();
  expansionCache.set(key, e);
  return e;
}

/**
 * The files that the nginx configs among `ws`'s files include (directly or through included files)
 * and `ws` does not hold, resolved against `listing` (every file of the workspace). Loaders read
 * these as well, so that includes of files that are not nginx configs by their path
 * (`snippets/gzip.conf`, `h5bp/*.conf`, `*.inc`) are followed; a loader calls this again after
 * reading them, until nothing new is returned (the files read may include others).
 */
export function unreadIncludes(ws: WorkspaceView, listing: readonly string[]): string[] {
  const held = ws.paths();
  const heldSet = new Set(held);
  const all = [...new Set([...held, ...listing])];
  const view: WorkspaceView = { paths: () => all, textOf: (p) => ws.textOf(p) };
  const resolver = new IncludeResolver(all);
  const out = new Set<string>();
  for (const p of held) {
    if (!isNginxPath(p)) continue;
    const t = ws.textOf(p);
    if (t === undefined || !t.includes('include') || isProbablyBinary(t) || !looksLikeNginx(p, t)) continue;
    const parsed = parseCached(p, t);
    const ex = new Expander(view, resolver, isMainConfig(parsed) ? dirname(p) : guessConfDir(p));
    ex.run(parsed, t);
    for (const f of ex.unread) if (!heldSet.has(f)) out.add(f);
  }
  return [...out].sort();
}

// ---------------------------------------------------------------------------------------------

function markExternal(ctx: Ctx): void {
  for (const c of allContexts(ctx)) c.external = true;
}

function commonPrefix(a: string, b: string): number {
  const x = dirname(a).split('/');
  const y = dirname(b).split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

function brotliUse(items: ENode[]): NginxArtifact['brotli'] {
  let directives = false;
  const stack = [...items];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.d.name === 'load_module' && /brotli/i.test(n.d.args[0]?.value ?? '')) return 'module';
    if (/^brotli(_types|_comp_level|_min_length|_window|_buffers)?$/.test(n.d.name)) directives = true;
    if (n.children) for (const c of n.children) stack.push(c);
  }
  return directives ? 'directives' : undefined;
}

/** Builds the artifact for one file. Never throws on bad input. */
export function analyzeNginx(path: string, text: string, ws: WorkspaceView): NginxArtifact | undefined {
  if (isProbablyBinary(text)) {
    return {
      path, role: 'snippet', parsed: { file: path, directives: [], errors: [], omittedErrors: 0 }, files: [path],
      diagnostics: [{ kind: 'binary', message: 'This file is not a text file (it contains NUL bytes): it cannot be an nginx configuration.', file: path, span: { start: 0, end: 0 }, severity: 'error' }],
    };
  }
  if (!looksLikeNginx(path, text)) return undefined;
  const parsed = parseCached(path, text);
  const paths = ws.paths();
  const pathsKey = paths.join('\n');
  const resolver = new IncludeResolver(paths);
  const main = isMainConfig(parsed);
  const own: NginxDiagnostic[] = [...parsed.errors];
  if (parsed.omittedErrors) own.push({ kind: 'syntax', message: `${parsed.omittedErrors} more syntax error${parsed.omittedErrors === 1 ? '' : 's'} in this file are not listed.`, file: path, span: parsed.errors[parsed.errors.length - 1]?.span ?? { start: 0, end: 0 }, severity: 'error' });

  // Main configs of the workspace (other than this file), nearest first.
  const mains: { path: string; text: string }[] = [];
  if (!main) {
    for (const p of paths) {
      if (p === path || !isNginxPath(p)) continue;
      const t = ws.textOf(p);
      if (t === undefined || isProbablyBinary(t) || !/(^|[;{}\s])(http|events|stream)\s*\{|^[^\S\n\r\u2028\u2029]*(worker_processes|user|load_module)\b/m.test(t)) continue;
      if (isMainConfig(parseCached(p, t))) mains.push({ path: p, text: t });
    }
    mains.sort((a, b) => commonPrefix(b.path, path) - commonPrefix(a.path, path) || a.path.localeCompare(b.path));
    for (const m of mains) {
      const e = expandCached(m.path, m.text, ws, resolver, pathsKey, dirname(m.path));
      if (e.files.includes(path)) return { path, role: 'snippet', parsed, diagnostics: own, coveredBy: m.path, files: [path] };
      // sites-available/x when sites-enabled/x (a symlink in the repository) is the copy included.
      if (basename(path) !== 'mime.types' && e.files.some((f) => f !== path && basename(f) === basename(path) && e.texts.get(f) === text)) {
        return { path, role: 'snippet', parsed, diagnostics: own, coveredBy: m.path, files: [path] };
      }
    }
    // Included by another snippet (that does not include this one back).
    const mine = expandCached(path, text, ws, resolver, pathsKey, guessConfDir(path));
    for (const p of paths) {
      if (p === path || !isNginxPath(p) || mine.files.includes(p)) continue;
      const t = ws.textOf(p);
      if (t === undefined || !t.includes('include') || isProbablyBinary(t)) continue;
      const e = expandCached(p, t, ws, resolver, pathsKey, guessConfDir(p));
      if (e.files.includes(path)) return { path, role: 'snippet', parsed, diagnostics: own, coveredBy: p, files: [path] };
    }
  }

  const confDir = main ? dirname(path) : guessConfDir(path);
  const e = expandCached(path, text, ws, resolver, pathsKey, confDir);
  let parent: Ctx | undefined;
  let assumedParent: string | undefined;
  let brotli = brotliUse(e.items);
  if (!main) {
    for (const m of mains) {
      const me = expandCached(m.path, m.text, ws, resolver, pathsKey, dirname(m.path));
      const mroot = buildContexts('main', me.items);
      const http = mroot.children.find((c) => c.kind === 'http');
      if (!http) continue;
      markExternal(mroot);
      parent = http;
      assumedParent = m.path;
      brotli ??= brotliUse(me.items);
      break;
    }
  }
  const top = parsed.directives.map((d) => d.name);
  const kind = main ? 'main' : top.includes('location') || top.includes('listen') || top.includes('server_name') ? 'server' : 'http';
  const root = buildContexts(kind, e.items, parent);
  const proxied = compressedProxy(root);
  return {
    path, role: main ? 'main' : 'snippet', parsed, root, files: e.files,
    diagnostics: [...own, ...e.diags],
    ...(assumedParent ? { assumedParent } : {}),
    ...(brotli ? { brotli } : {}),
    ...(proxied ? { compressesProxied: proxied } : {}),
  };
}

/** The first location (or server) that proxy_passes with gzip on: its proxy_pass directive. */
function compressedProxy(root: Ctx): NginxArtifact['compressesProxied'] {
  for (const c of allContexts(root)) {
    if (c.external || !c.items.some((n) => n.d.name === 'proxy_pass')) continue;
    if (flag(c, 'gzip')?.value !== 'on') continue;
    const d = c.items.find((n) => n.d.name === 'proxy_pass')!.d;
    return { file: d.file, span: { start: d.span.start, end: d.span.end } };
  }
  return undefined;
}
