/**
 * From Lighthouse findings back to the workspace: the line of config (or the file) responsible.
 * Data-driven and deliberately simple (regular expressions over a bounded set of files):
 *
 * - server problems (compression, caching): an nginx config (the `gzip` / `expires` /
 *   `add_header Cache-Control` directive, else its `location` for static files, its `http {` or
 *   `server {` line), an Apache `.htaccess` / `httpd.conf` (mod_deflate / mod_expires lines), or
 *   the Node server file (the `compression()` / `express.static()` / `serveStatic()` call, else the
 *   line that creates the app or server). A config or server file that listens on the audited
 *   URL's port wins; otherwise nginx, then Apache, then Node. No candidate: no location.
 * - resources (images, scripts): the workspace file with the URL's file name (bundler hashes such
 *   as `hero.3f9a1c.webp` also match `hero.webp`), the longest matching path suffix first, files
 *   under public/static/assets folders preferred. Off-screen images point at the `<img>` that
 *   loads them when a template references the file, else at the image.
 * - page-level findings (budgets, total bytes) stay on the page URL.
 *
 * Suppression comments on the line a finding lands on (`# perf-audit-disable-line <rule>`) drop it.
 */
import type { Finding, Range } from '../../kernel/model.js';
import { compareFindings, range } from '../../kernel/model.js';
import { parseSuppressions } from '../../kernel/suppress.js';
import { lighthouseData } from './map.js';
import { someFollowedBy } from '../../kernel/linear.js';

export interface WorkspaceFiles {
  /** Workspace-relative paths with forward slashes. */
  paths: readonly string[];
  /** A text file's content (undefined when unreadable, binary or too large). */
  read(path: string): Promise<string | undefined>;
}

/** Files read while looking for server code (the rest are only matched by name). */
export const MAX_SERVER_FILES_READ = 300;
export const MAX_TEMPLATE_FILES_READ = 300;

const SKIP_DIR = /(^|\/)(node_modules|\.git|\.hg|\.svn|coverage|\.next\/cache|\.cache|\.vscode-test)(\/|$)/;
const NGINX_PATH = /(^|\/)nginx[^/]*\.conf$|\.nginx$|(^|\/)(nginx|conf\.d|sites-available|sites-enabled|http\.d)\/[^/]+$/i;
const CONF_PATH = /\.conf$/i;
const NGINX_BLOCK_WORD = /\b(?:server|http|location)/g;
const APACHE_PATH = /(^|\/)(\.htaccess|httpd\.conf|apache2?\.conf)$|(^|\/)apache2?\/.+\.conf$/i;
const SERVER_CODE = /\.(m?[jt]s|c[jt]s)$/i;
const TEMPLATE = /\.(html?|[jt]sx|vue|svelte|astro|ejs|hbs|handlebars|njk|pug|php|erb|twig|liquid|mdx)$/i;
const PUBLIC_DIR = /(^|\/)(public|static|assets|images|img|www|wwwroot|htdocs|media|src\/assets)\//i;

interface Hit {
  path: string;
  line: number;
  /** Column range on the line. */
  start: number;
  end: number;
  note: string;
}

interface ServerCandidate {
  kind: 'nginx' | 'apache' | 'node';
  path: string;
  text: string;
  listensOnPort: boolean;
}

function lineHit(path: string, text: string, re: RegExp, note: string): Hit | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const code = stripComment(lines[i], path);
    if (!re.test(code)) continue;
    const start = lines[i].length - lines[i].trimStart().length;
    return { path, line: i, start, end: code.trimEnd().length, note };
  }
  return undefined;
}

function stripComment(line: string, path: string): string {
  if (SERVER_CODE.test(path)) {
    const t = line.trimStart();
    return t.startsWith('//') || t.startsWith('*') || t.startsWith('/*') ? '' : line;
  }
  const i = line.indexOf('#');
  return i >= 0 ? line.slice(0, i) : line;
}

function portOf(page: string): string | undefined {
  try {
    const u = new URL(page);
    return u.port || (u.protocol === 'https:' ? '443' : '80');
  } catch {
    return undefined;
  }
}

async function serverCandidates(ws: WorkspaceFiles, port: string | undefined): Promise<ServerCandidate[]> {
  const out: ServerCandidate[] = [];
  const paths = ws.paths.filter((p) => !SKIP_DIR.test(p));
  const listenNginx = port ? new RegExp(`^\\s*listen\\s+(\\S*:)?${port}\\b`, 'm') : undefined;
  const listenApache = port ? new RegExp(`^\\s*(Listen\\s+(\\S*:)?${port}\\b|<VirtualHost\\s+[^>]*:${port}>)`, 'mi') : undefined;
  const listenNode = port ? new RegExp(`\\.listen\\(\\s*(${port}\\b|[^)]*\\|\\|\\s*${port}\\b)|PORT\\s*(\\?\\?|\\|\\|)\\s*${port}\\b|port\\s*[:=]\\s*${port}\\b`) : undefined;
  let confReads = 0;
  for (const p of paths) {
    if ((NGINX_PATH.test(p) || CONF_PATH.test(p) || APACHE_PATH.test(p)) && confReads++ >= MAX_SERVER_FILES_READ) break;
    if (NGINX_PATH.test(p) || (CONF_PATH.test(p) && !APACHE_PATH.test(p))) {
      const text = await ws.read(p);
      if (text === undefined) continue;
      // `/\b(server|http|location)\s*[^{;]*\{/.test(text)`, without rescanning from every keyword.
      if (!NGINX_PATH.test(p) && !someFollowedBy(text, NGINX_BLOCK_WORD, '{;', '{')) continue;
      out.push({ kind: 'nginx', path: p, text, listensOnPort: !!listenNginx?.test(text) });
    } else if (APACHE_PATH.test(p)) {
      const text = await ws.read(p);
      if (text !== undefined) out.push({ kind: 'apache', path: p, text, listensOnPort: !!listenApache?.test(text) });
    }
  }
  // Node servers: likely names first, a bounded number of reads.
  const code = paths.filter((p) => SERVER_CODE.test(p) && !/\.d\.[cm]?ts$/.test(p) && !/(^|\/)(dist|build|out|public|static|test|tests|__tests__|spec)\//.test(p) && !/\.(test|spec)\./.test(p));
  const likely = (p: string): number => (/(^|\/)(server|app|index|main)\.[cm]?[jt]s$/.test(p) ? 0 : /(^|\/)(server|src|api|backend)\//.test(p) ? 1 : 2);
  code.sort((a, b) => likely(a) - likely(b) || a.split('/').length - b.split('/').length || a.localeCompare(b));
  let reads = 0;
  for (const p of code) {
    if (reads++ >= MAX_SERVER_FILES_READ) break;
    const text = await ws.read(p);
    if (text === undefined || !/\b(express|fastify|koa|connect|http2?|https)\b/.test(text)) continue;
    if (!/\bexpress\s*\(|\bcreateServer\s*\(|\bfastify\s*\(|\bnew\s+Koa\s*\(|\bconnect\s*\(\s*\)/.test(text)) continue;
    out.push({ kind: 'node', path: p, text, listensOnPort: !!listenNode?.test(text) });
  }
  const rank = { nginx: 0, apache: 1, node: 2 } as const;
  return out.sort((a, b) => Number(b.listensOnPort) - Number(a.listensOnPort) || rank[a.kind] - rank[b.kind] || a.path.localeCompare(b.path));
}

function compressionHit(c: ServerCandidate): Hit | undefined {
  if (c.kind === 'nginx') {
    return lineHit(c.path, c.text, /^\s*gzip\s+off\s*;/, 'gzip is off here')
      ?? lineHit(c.path, c.text, /^\s*gzip\s+on\s*;/, 'gzip is on here, yet responses were uncompressed: check gzip_types (scripts, CSS, JSON, SVG), gzip_min_length and gzip_proxied')
      ?? lineHit(c.path, c.text, /^\s*http\s*\{/, 'no gzip directive in this http block: add `gzip on;` and gzip_types')
      ?? lineHit(c.path, c.text, /^\s*server\s*\{/, 'no gzip directive for this server: add `gzip on;` and gzip_types')
      ?? { path: c.path, line: 0, start: 0, end: 0, note: 'no gzip directive in this nginx config' };
  }
  if (c.kind === 'apache') {
    return lineHit(c.path, c.text, /\b(AddOutputFilterByType\s+DEFLATE|SetOutputFilter\s+DEFLATE|mod_deflate)/i, 'mod_deflate is configured here, yet responses were uncompressed: check the MIME types it covers')
      ?? { path: c.path, line: 0, start: 0, end: 0, note: 'no mod_deflate (AddOutputFilterByType DEFLATE …) in this config' };
  }
  return lineHit(c.path, c.text, /\bcompression\s*\(/, 'compression() is used here, yet responses were uncompressed: check its filter/threshold and that it is registered before the routes and static middleware')
    ?? lineHit(c.path, c.text, /\bexpress\s*\(\s*\)|\bfastify\s*\(|\bnew\s+Koa\s*\(|\bcreateServer\s*\(/, 'this server sends responses uncompressed: add compression middleware (e.g. app.use(compression()))');
}

function cachingHit(c: ServerCandidate): Hit | undefined {
  if (c.kind === 'nginx') {
    return lineHit(c.path, c.text, /^\s*(expires\s+\S+|add_header\s+Cache-Control\b)/i, 'a cache lifetime is set here, but not for the resources Lighthouse flagged')
      ?? lineHit(c.path, c.text, /^\s*location\s[^{]*(\.\(?(js|css|png|jpe?g|webp|avif|svg|woff2?)|\/(static|assets|public|build|dist|images|img)\b)/i, 'static files are served here without `expires` / `add_header Cache-Control`')
      ?? lineHit(c.path, c.text, /^\s*server\s*\{/, 'no cache lifetime for static files in this server: add a location with `expires 1y;` / `add_header Cache-Control "public, max-age=31536000, immutable";`')
      ?? { path: c.path, line: 0, start: 0, end: 0, note: 'no cache lifetime for static files in this nginx config' };
  }
  if (c.kind === 'apache') {
    return lineHit(c.path, c.text, /\b(ExpiresActive|ExpiresByType|ExpiresDefault|Header\s+(always\s+)?set\s+Cache-Control)\b/i, 'a cache lifetime is set here, but not for the resources Lighthouse flagged')
      ?? { path: c.path, line: 0, start: 0, end: 0, note: 'no mod_expires / Cache-Control header in this config' };
  }
  return lineHit(c.path, c.text, /\b(express\.static|serveStatic|sirv|koaStatic|fastifyStatic)\s*\(/, 'static files are served here without a long maxAge: pass { maxAge: "1y", immutable: true } for hashed assets')
    ?? lineHit(c.path, c.text, /Cache-Control/, 'a Cache-Control header is set here, but not a long lifetime for the resources Lighthouse flagged')
    ?? lineHit(c.path, c.text, /\bexpress\s*\(\s*\)|\bfastify\s*\(|\bnew\s+Koa\s*\(|\bcreateServer\s*\(/, 'this server sends static files without Cache-Control: serve hashed assets with a long max-age');
}

/** `hero.3f9a1c.webp` → `hero.webp`; `app-8c1d2e9f.js` → `app.js` (bundler content hashes). */
export function unhashedName(name: string): string | undefined {
  const m = /^(.+?)[.-]([0-9a-f]{6,}|[0-9A-Za-z_-]{8})(\.[A-Za-z0-9]+)$/.exec(name);
  if (!m || !/\d/.test(m[2])) return undefined;
  return `${m[1]}${m[3]}`;
}

function urlPath(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:') return undefined;
    return decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
}

/** The workspace file a resource URL was most likely built or served from. */
export function matchResource(url: string, paths: readonly string[]): string | undefined {
  const p = urlPath(url);
  if (!p || p.endsWith('/')) return undefined;
  const segs = p.split('/').filter(Boolean);
  const base = segs[segs.length - 1];
  if (!base) return undefined;
  const names = [base, unhashedName(base)].filter((x): x is string => !!x);
  const score = (path: string): number => {
    const ps = path.split('/');
    const last = ps[ps.length - 1];
    const exact = last === base ? 2 : last === names[1] ? 1 : last.toLowerCase() === base.toLowerCase() ? 0.5 : -1;
    if (exact < 0) return -1;
    let suffix = 0;
    for (let i = 2; i <= Math.min(segs.length, ps.length); i++) {
      if (ps[ps.length - i] !== segs[segs.length - i]) break;
      suffix++;
    }
    return exact * 10 + suffix * 20 + (PUBLIC_DIR.test(path) ? 5 : 0) - ps.length * 0.1;
  };
  let best: string | undefined;
  let bestScore = -1;
  for (const path of paths) {
    if (SKIP_DIR.test(path)) continue;
    const last = path.slice(path.lastIndexOf('/') + 1);
    if (!names.includes(last) && last.toLowerCase() !== base.toLowerCase()) continue;
    const s = score(path);
    if (s > bestScore || (s === bestScore && best !== undefined && path < best)) {
      best = path;
      bestScore = s;
    }
  }
  return bestScore >= 0 ? best : undefined;
}

async function templateReferencing(ws: WorkspaceFiles, url: string, file: string | undefined): Promise<Hit | undefined> {
  const p = urlPath(url);
  if (!p) return undefined;
  const base = p.slice(p.lastIndexOf('/') + 1);
  const fileBase = file?.slice(file.lastIndexOf('/') + 1);
  const templates = ws.paths.filter((x) => TEMPLATE.test(x) && !SKIP_DIR.test(x) && !/(^|\/)(dist|build|out)\//.test(x)).slice(0, MAX_TEMPLATE_FILES_READ);
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const names = [...new Set([base, fileBase].filter((x): x is string => !!x))].map(esc).join('|');
  const re = new RegExp(`<img\\b[^>]*(${names})`, 'i');
  for (const t of templates) {
    const text = await ws.read(t);
    if (text === undefined || !re.test(text)) continue;
    const hit = lineHit(t, text, re, 'this <img> loads an off-screen image eagerly: add loading="lazy" (and width/height)');
    if (hit) {
      const line = text.split(/\r?\n/)[hit.line];
      const at = line.search(/<img\b/i);
      if (at >= 0) {
        hit.start = at;
        const close = line.indexOf('>', at);
        hit.end = close >= 0 ? close + 1 : line.length;
      }
      return hit;
    }
  }
  return undefined;
}

function rangeOf(h: Hit): Range {
  return range(h.line, h.start, h.line, Math.max(h.start, h.end));
}

/**
 * Findings moved onto workspace files where the workspace holds the responsible config or file
 * (data.located = true, the original URL kept in data.urls and the message); the others unchanged.
 * Findings suppressed by a comment on their new line are dropped.
 */
export async function locateFindings(findings: readonly Finding[], ws: WorkspaceFiles): Promise<Finding[]> {
  const out: Finding[] = [];
  let servers: ServerCandidate[] | undefined;
  const texts = new Map<string, string | undefined>();
  const textOf = async (p: string): Promise<string | undefined> => {
    if (!texts.has(p)) texts.set(p, await ws.read(p));
    return texts.get(p);
  };
  const cached: WorkspaceFiles = { paths: ws.paths, read: textOf };
  for (const f of findings) {
    const d = lighthouseData(f);
    if (!d || d.target === 'page') {
      out.push(f);
      continue;
    }
    let hit: Hit | undefined;
    let related: Hit | undefined;
    if (d.target === 'server') {
      servers ??= await serverCandidates(cached, portOf(d.page));
      const pick = f.checklistItem === 'compression' ? compressionHit : cachingHit;
      for (const c of servers) {
        const h = pick(c);
        if (!h) continue;
        if (!hit) hit = h;
        else if (!related && c.kind !== servers.find((s) => s.path === hit?.path)?.kind) {
          related = h;
          break;
        }
      }
    } else {
      const url = d.urls[0];
      const file = url ? matchResource(url, ws.paths) : undefined;
      if (f.checklistItem === 'lazy-loading' && url) {
        hit = await templateReferencing(cached, url, file);
        if (hit && file) related = { path: file, line: 0, start: 0, end: 0, note: 'the image' };
      }
      if (!hit && file) hit = { path: file, line: 0, start: 0, end: 0, note: '' };
    }
    if (!hit) {
      out.push(f);
      continue;
    }
    const moved: Finding = {
      ...f,
      file: hit.path,
      range: rangeOf(hit),
      message: hit.note ? `${f.message} (${hit.note}.)` : f.message,
      related: related ? [...f.related, { file: related.path, range: rangeOf(related), message: related.note || 'related' }] : f.related,
      data: { ...d, located: true },
    };
    const text = TEMPLATE.test(hit.path) || SERVER_CODE.test(hit.path) || /\.(conf|nginx)$|htaccess$/i.test(hit.path) ? await textOf(hit.path) : undefined;
    if (text !== undefined && parseSuppressions(text).isSuppressed(f.ruleId, hit.line)) continue;
    out.push(moved);
  }
  // Workspace files first (by file and line), then the findings still on URLs, in their order.
  const located = out.filter((f) => lighthouseData(f)?.located).sort(compareFindings);
  return [...located, ...out.filter((f) => !lighthouseData(f)?.located)];
}
