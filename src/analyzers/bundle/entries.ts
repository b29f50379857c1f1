/**
 * What each entry loads up front, from a Vite/Rollup manifest (`.vite/manifest.json`) or from the
 * HTML pages in the output (`<script src>`, `<link rel="modulepreload">`, `<link rel="stylesheet">`).
 * Paths are returned relative to the manifest's / page's output folder.
 */
import { ManifestError } from './metafile.js';
import { dirname, posixJoin } from './paths.js';
import { cutTail } from '../../kernel/linear.js';

export interface ViteEntry {
  name: string;
  js: string[];
  css: string[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export function isViteManifest(json: unknown): boolean {
  if (!isObject(json)) return false;
  const vals = Object.values(json);
  return vals.length > 0 && vals.every((v) => isObject(v) && typeof v.file === 'string') && vals.some((v) => (v as Obj).isEntry === true);
}

export function parseViteManifest(json: unknown): ViteEntry[] {
  if (!isViteManifest(json)) throw new ManifestError('not a Vite manifest: expected chunks with "file" and at least one "isEntry"');
  const m = json as Record<string, Obj>;
  const out: ViteEntry[] = [];
  for (const [key, chunk] of Object.entries(m)) {
    if (chunk.isEntry !== true) continue;
    const js: string[] = [];
    const css: string[] = [];
    const seen = new Set<string>();
    const visit = (k: string, depth: number): void => {
      if (seen.has(k) || depth > 64) return;
      seen.add(k);
      const c = m[k];
      if (!c) return;
      const file = c.file as string;
      if (/\.(m?js|cjs)$/.test(file)) js.push(file);
      else if (file.endsWith('.css')) css.push(file);
      if (Array.isArray(c.css)) for (const f of c.css) if (typeof f === 'string' && !css.includes(f)) css.push(f);
      if (Array.isArray(c.imports)) for (const i of c.imports) if (typeof i === 'string') visit(i, depth + 1);
    };
    visit(key, 0);
    out.push({ name: typeof chunk.name === 'string' ? chunk.name : key, js, css });
  }
  return out;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/**
 * Scripts and stylesheets an HTML page loads from the same site, as workspace paths.
 * `rootDir` is the folder "/" maps to (the output folder the page is in).
 */
export function htmlPageAssets(html: string, pagePath: string, rootDir: string): { js: string[]; css: string[] } {
  const js: string[] = [];
  const css: string[] = [];
  const clean = html.replace(/<!--[\s\S]*?-->/g, '');
  const resolve = (url: string): string | undefined => {
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url) || url.startsWith('data:')) return undefined;
    const u = cutTail(url, '?#');
    return u.startsWith('/') ? posixJoin(rootDir, u) : posixJoin(dirname(pagePath), u);
  };
  for (const m of clean.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const tag = m[0];
    if (m[1].toLowerCase() === 'script') {
      const src = attr(tag, 'src');
      const p = src && resolve(src);
      if (p && !js.includes(p)) js.push(p);
      continue;
    }
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(tag, 'href');
    const p = href && resolve(href);
    if (!p) continue;
    if (rel.includes('stylesheet') && !css.includes(p)) css.push(p);
    else if (rel.includes('modulepreload') && !js.includes(p)) js.push(p);
  }
  return { js, css };
}
