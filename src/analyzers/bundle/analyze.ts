/**
 * The bundle analysis: finds build output folders, sizes every file (raw / gzip / brotli), reads
 * the manifests the build left (esbuild metafiles, webpack stats, Vite manifests, HTML pages) for
 * entries and per-module breakdowns, falls back to source maps, and lists images (outputs and
 * source asset folders). Everything goes through the injected reader; the run is bounded by a
 * deadline and a file count, and bad input (corrupt stats, missing maps, huge minified bundles)
 * becomes `problems` with a clear message instead of an exception.
 */
import { throwIfCancelled, type CancellationToken } from '../../kernel/cancel.js';
import type { BundleOptions } from './options.js';
import { defaultBundleOptions } from './options.js';
import { compressedSizes, looksMinified } from './sizes.js';
import { isMetafile, parseMetafile, type ParsedMetafile } from './metafile.js';
import { isWebpackStats, parseWebpackStats, type ParsedStats } from './webpack-stats.js';
import { decodeDataUrl, parseSourceMapJson, sourceMappingUrl, sourceMapSizes } from './sourcemap.js';
import { htmlPageAssets, isViteManifest, parseViteManifest } from './entries.js';
import { basename, dirname, extname, formatBytes, outputKind, packageOf, posixJoin } from './paths.js';
import { IMAGE_EXTS, imageHeader, linkVariants } from './images.js';
import type { BundleAnalysis, BundleEntry, BundleFileReader, BundleProblem, ImageInfo, ModuleShare, OutputBreakdown, OutputFile, PackageSize } from './types.js';
import { parseJsonText } from '../../kernel/json.js';
import { cutTail, hasLineTerminator } from '../../kernel/linear.js';

export interface AnalyzeOptions {
  /** Display name / absolute path of the workspace root (reports only). */
  root?: string;
  options?: BundleOptions;
  token?: CancellationToken;
  /** Progress callback ("sizing 120 files…"). */
  progress?: (message: string) => void;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.cache', '.turbo']);
const MANIFEST_NAME = /^(stats|webpack-stats|bundle-stats|compilation-stats|meta|metafile|esbuild-meta|build-meta|manifest)\.json$|\.meta\.json$|\.metafile\.json$/;
const STRONG_MANIFEST_NAME = /^(stats|webpack-stats|bundle-stats|compilation-stats|meta|metafile|esbuild-meta)\.json$|\.meta\.json$|\.metafile\.json$/;
const ROOT_MANIFESTS = ['stats.json', 'webpack-stats.json', 'bundle-stats.json', 'compilation-stats.json', 'meta.json', 'metafile.json', 'esbuild-meta.json'];
const COMPRESSIBLE = new Set(['js', 'css', 'html', 'json']);

class Deadline {
  private readonly at: number;
  expired = false;
  constructor(ms: number) {
    this.at = performance.now() + ms;
  }
  get time(): number {
    return this.at;
  }
  check(): boolean {
    if (!this.expired && performance.now() > this.at) this.expired = true;
    return this.expired;
  }
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]);
  });
  await Promise.all(workers);
}

const decoder = new TextDecoder('utf-8');

/** Expands `*` segments of configured folders (packages/*\/dist) and keeps those that exist. */
async function resolveDirs(reader: BundleFileReader, patterns: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const pattern of patterns) {
    let bases = [''];
    for (const seg of pattern.split('/').filter(Boolean)) {
      const next: string[] = [];
      for (const b of bases) {
        if (seg.includes('*')) {
          const re = new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
          for (const e of (await reader.readDir(b)) ?? []) if (e.kind === 'dir' && re.test(e.name) && !SKIP_DIRS.has(e.name)) next.push(b ? `${b}/${e.name}` : e.name);
        } else next.push(b ? `${b}/${seg}` : seg);
      }
      bases = next;
    }
    for (const b of bases) if (!out.includes(b) && (await reader.readDir(b)) !== undefined) out.push(b);
  }
  // A folder nested in another (dist and dist/assets) is walked once.
  return out.filter((d) => !out.some((o) => o !== d && d.startsWith(`${o}/`)));
}

async function walk(reader: BundleFileReader, dir: string, max: number, problems: BundleProblem[], deadline: Deadline, token?: CancellationToken): Promise<string[]> {
  const files: string[] = [];
  const stack = [dir];
  while (stack.length) {
    throwIfCancelled(token);
    const d = stack.pop()!;
    const entries = await reader.readDir(d);
    if (!entries) continue;
    for (const e of entries) {
      const p = d ? `${d}/${e.name}` : e.name;
      if (e.kind === 'dir') {
        if (!SKIP_DIRS.has(e.name)) stack.push(p);
      } else files.push(p);
      if (files.length >= max) {
        problems.push({ file: dir, kind: 'too-large', message: `${dir} has more than ${max} files; only the first ${max} were analysed ("bundle.maxFiles")` });
        return files;
      }
    }
    if (deadline.check()) return files;
  }
  return files.sort();
}

/** `s.replace(/^.*\((.*)\)$/, '$1')` in linear time: the text in the last `(…)` of a one-line `s` ending with `)`. */
export function lastParenthesized(s: string): string {
  const open = s.lastIndexOf('(');
  return open >= 0 && s.endsWith(')') && !hasLineTerminator(s) ? s.slice(open + 1, -1) : s;
}

/** Finds the workspace file a manifest's output path refers to. */
function locate(outputPath: string, manifestPath: string, files: Set<string>, byName: Map<string, string[]>, outputRoot?: string): string | undefined {
  const norm = outputPath.replace(/\\/g, '/').replace(/^\.\//, '');
  const candidates = [norm, posixJoin(dirname(manifestPath), norm)];
  if (outputRoot) candidates.push(posixJoin(outputRoot, norm));
  for (let d = dirname(manifestPath); d; d = dirname(d)) candidates.push(posixJoin(dirname(d), norm));
  for (const c of candidates) if (files.has(c)) return c;
  // Last resort: a unique file whose path ends with the output path.
  const hits = (byName.get(basename(norm)) ?? []).filter((f) => f === norm || f.endsWith(`/${norm}`));
  return hits.length === 1 ? hits[0] : undefined;
}

export async function analyzeBundle(reader: BundleFileReader, opts: AnalyzeOptions = {}): Promise<BundleAnalysis> {
  const t0 = performance.now();
  const options = opts.options ?? defaultBundleOptions();
  const deadline = new Deadline(options.timeoutMs);
  const token = opts.token;
  const problems: BundleProblem[] = [];
  const maxBytes = options.maxFileMb * 1024 * 1024;

  const outputDirs = await resolveDirs(reader, options.outputDirs);
  const fileSet = new Set<string>();
  for (const d of outputDirs) for (const f of await walk(reader, d, options.maxFiles, problems, deadline, token)) fileSet.add(f);
  const byName = new Map<string, string[]>();
  for (const f of fileSet) byName.set(basename(f), [...(byName.get(basename(f)) ?? []), f]);

  // ---- sizes
  opts.progress?.(`sizing ${fileSet.size} files…`);
  const files: OutputFile[] = [];
  const texts = new Map<string, string>();
  /** JS/CSS files whose sourceMappingURL names a map that is not there: output path → the named map. */
  const danglingMaps = new Map<string, string>();
  const outputs = [...fileSet].filter((f) => outputKind(f) !== 'map');
  await pool(outputs, 4, async (path) => {
    throwIfCancelled(token);
    const kind = outputKind(path);
    const st = await reader.stat(path);
    if (!st) return;
    const file: OutputFile = { path, kind, bytes: st.size };
    files.push(file);
    if (!COMPRESSIBLE.has(kind) && !(kind === 'image' && extname(path) === '.svg')) return;
    if (st.size > maxBytes) {
      problems.push({ file: path, kind: 'too-large', message: `${path} is ${formatBytes(st.size)}, over the ${options.maxFileMb} MB limit ("bundle.maxFileMb"): raw size only` });
      return;
    }
    if (deadline.check()) return;
    let data: Uint8Array;
    try {
      data = await reader.readFile(path);
    } catch (e) {
      problems.push({ file: path, kind: 'unreadable', message: `could not read ${path}: ${(e as Error).message}` });
      return;
    }
    const sizes = await compressedSizes(data, { brotli: options.brotli });
    file.gzip = sizes.gzip;
    if (sizes.brotli !== undefined) file.brotli = sizes.brotli;
    if (sizes.brotliApprox) file.brotliApprox = true;
    if (kind === 'js' || kind === 'css' || kind === 'html') {
      const text = decoder.decode(data);
      texts.set(path, text);
      if (kind !== 'html') {
        const m = looksMinified(text);
        if (m !== undefined) file.minified = m;
        const url = sourceMappingUrl(text);
        const named = url && !url.startsWith('data:') && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? posixJoin(dirname(path), cutTail(url, '?#')) : undefined;
        if (url?.startsWith('data:')) file.map = url.length > 64 ? `${path} (inline)` : url;
        else if (named && (fileSet.has(named) || (!named.startsWith('..') && (await reader.stat(named))))) file.map = named;
        else if (fileSet.has(`${path}.map`)) file.map = `${path}.map`;
        else if (url) danglingMaps.set(path, named ?? url);
      }
    }
  });
  files.sort((a, b) => a.path.localeCompare(b.path));
  const fileByPath = new Map(files.map((f) => [f.path, f]));

  // ---- manifests
  const manifests: BundleAnalysis['manifests'] = [];
  const candidates = [...[...fileSet].filter((f) => MANIFEST_NAME.test(basename(f)) || f.endsWith('.vite/manifest.json')), ...ROOT_MANIFESTS];
  const metafiles: { path: string; parsed: ParsedMetafile }[] = [];
  const stats: { path: string; parsed: ParsedStats }[] = [];
  const vite: { path: string; entries: ReturnType<typeof parseViteManifest> }[] = [];
  for (const path of [...new Set(candidates)]) {
    throwIfCancelled(token);
    const st = await reader.stat(path);
    if (!st) continue;
    if (st.size > maxBytes) {
      problems.push({ file: path, kind: 'too-large', message: `${path} is ${formatBytes(st.size)}, over the ${options.maxFileMb} MB limit ("bundle.maxFileMb"); not read` });
      continue;
    }
    if (deadline.check()) break;
    let json: unknown;
    try {
      json = parseJsonText(decoder.decode(await reader.readFile(path)));
    } catch (e) {
      if (STRONG_MANIFEST_NAME.test(basename(path))) problems.push({ file: path, kind: 'corrupt', message: `${path} is ${(e as Error).message}; regenerate it (e.g. webpack --json > stats.json, or esbuild's metafile)` });
      continue;
    }
    try {
      if (isMetafile(json)) {
        metafiles.push({ path, parsed: parseMetafile(json) });
        manifests.push({ path, kind: 'esbuild-metafile' });
      } else if (isWebpackStats(json)) {
        const parsed = parseWebpackStats(json);
        stats.push({ path, parsed });
        manifests.push({ path, kind: 'webpack-stats' });
        for (const n of parsed.notes) problems.push({ file: path, kind: 'corrupt', message: `${path}: ${n}` });
      } else if (isViteManifest(json)) {
        vite.push({ path, entries: parseViteManifest(json) });
        manifests.push({ path, kind: 'vite-manifest' });
      } else if (STRONG_MANIFEST_NAME.test(basename(path))) {
        problems.push({ file: path, kind: 'corrupt', message: `${path} is neither an esbuild metafile ("inputs"/"outputs") nor webpack stats ("assets"/"chunks"/"modules"); ignored` });
      }
    } catch (e) {
      problems.push({ file: path, kind: 'corrupt', message: `${path}: ${(e as Error).message}` });
    }
  }

  // ---- breakdowns and entries from manifests
  const breakdowns: OutputBreakdown[] = [];
  const covered = new Set<string>();
  const entries: BundleEntry[] = [];
  const gz = (p: string): number => fileByPath.get(p)?.gzip ?? fileByPath.get(p)?.bytes ?? 0;
  const raw = (p: string): number => fileByPath.get(p)?.bytes ?? 0;
  const makeEntry = (name: string, via: BundleEntry['via'], from: string | undefined, js: string[], css: string[]): BundleEntry => ({
    name, via, ...(from ? { from } : {}), js, css,
    jsGzip: js.reduce((s, p) => s + gz(p), 0), cssGzip: css.reduce((s, p) => s + gz(p), 0),
    jsBytes: js.reduce((s, p) => s + raw(p), 0), cssBytes: css.reduce((s, p) => s + raw(p), 0),
  });
  const stale = new Set<string>();

  for (const { path: mpath, parsed } of metafiles) {
    const where = new Map<string, string | undefined>();
    for (const o of parsed.outputs) where.set(o.path, locate(o.path, mpath, fileSet, byName));
    for (const o of parsed.outputs) {
      const at = where.get(o.path);
      if (!at) {
        if (outputKind(o.path) === 'js' || outputKind(o.path) === 'css') stale.add(`${o.path} (${mpath})`);
        continue;
      }
      if (outputKind(at) !== 'js' || covered.has(at)) continue;
      covered.add(at);
      const attributed = o.modules.reduce((s, m) => s + m.bytes, 0);
      breakdowns.push({ output: at, source: 'esbuild-metafile', from: mpath, preMinification: false, modules: o.modules, unattributed: Math.max(0, o.bytes - attributed) });
    }
    for (const o of parsed.outputs) {
      const at = where.get(o.path);
      if (!o.entryPoint || !at || outputKind(at) !== 'js') continue;
      const js: string[] = [];
      const css: string[] = [];
      const seen = new Set<string>();
      const visit = (p: string, depth: number): void => {
        if (seen.has(p) || depth > 64) return;
        seen.add(p);
        const out = parsed.outputs.find((x) => x.path === p);
        const loc = where.get(p);
        if (loc) (outputKind(loc) === 'css' ? css : js).push(loc);
        if (out?.cssBundle) {
          const c = where.get(out.cssBundle) ?? locate(out.cssBundle, mpath, fileSet, byName);
          if (c && !css.includes(c)) css.push(c);
        }
        for (const i of out?.staticImports ?? []) visit(i, depth + 1);
      };
      visit(o.path, 0);
      entries.push(makeEntry(o.entryPoint, 'esbuild-metafile', mpath, js, css));
    }
  }

  for (const { path: spath, parsed } of stats) {
    const where = new Map<string, string | undefined>();
    const outRoot = parsed.outputPath && opts.root && parsed.outputPath.replace(/\\/g, '/').startsWith(`${opts.root.replace(/\\/g, '/')}/`) ? parsed.outputPath.replace(/\\/g, '/').slice(opts.root.replace(/\\/g, '/').length + 1) : undefined;
    for (const a of parsed.assets) where.set(a.name, locate(a.name, spath, fileSet, byName, outRoot));
    for (const a of parsed.assets) {
      const at = where.get(a.name);
      if (!at) {
        if (outputKind(a.name) === 'js' || outputKind(a.name) === 'css') stale.add(`${a.name} (${spath})`);
        continue;
      }
      if (outputKind(at) !== 'js' || covered.has(at) || !a.modules.length) continue;
      covered.add(at);
      breakdowns.push({ output: at, source: 'webpack-stats', from: spath, preMinification: true, modules: a.modules, unattributed: 0 });
    }
    for (const e of parsed.entries) {
      const locs = e.assets.map((a) => where.get(a) ?? locate(a, spath, fileSet, byName, outRoot)).filter((x): x is string => !!x);
      entries.push(makeEntry(e.name, 'webpack-stats', spath, locs.filter((p) => outputKind(p) === 'js'), locs.filter((p) => outputKind(p) === 'css')));
    }
  }
  if (stale.size) {
    const list = [...stale];
    problems.push({ file: lastParenthesized(list[0]), kind: 'stale', message: `${list.length} output${list.length === 1 ? '' : 's'} named in a manifest ${list.length === 1 ? 'is' : 'are'} not on disk (${list.slice(0, 3).join(', ')}${list.length > 3 ? '…' : ''}): the manifest is older than the build, or the build went elsewhere` });
  }

  for (const { path: vpath, entries: ve } of vite) {
    // .vite/manifest.json lives in the output folder (Vite 5+), manifest.json too (Vite ≤ 4).
    const outDir = vpath.endsWith('.vite/manifest.json') ? dirname(dirname(vpath)) : dirname(vpath);
    for (const e of ve) {
      const js = e.js.map((p) => posixJoin(outDir, p)).filter((p) => fileSet.has(p));
      const css = e.css.map((p) => posixJoin(outDir, p)).filter((p) => fileSet.has(p));
      entries.push(makeEntry(e.name, 'vite-manifest', vpath, js, css));
    }
  }

  // HTML pages in the outputs (skipped where a manifest already describes the same files).
  for (const f of files) {
    if (f.kind !== 'html') continue;
    const text = texts.get(f.path);
    if (!text) continue;
    const root = outputDirs.find((d) => f.path.startsWith(`${d}/`)) ?? dirname(f.path);
    const { js, css } = htmlPageAssets(text, f.path, root);
    const jsHere = js.filter((p) => fileSet.has(p));
    const cssHere = css.filter((p) => fileSet.has(p));
    if (!jsHere.length && !cssHere.length) continue;
    const key = [...jsHere].sort().join('\n');
    if (entries.some((e) => [...e.js].sort().join('\n') === key && e.js.length)) continue;
    entries.push(makeEntry(f.path, 'html', f.path, jsHere, cssHere));
  }

  // Output folders no manifest or page describes: each JS / CSS file is its own entry.
  const described = new Set(entries.flatMap((e) => [...e.js, ...e.css]));
  const describedDirs = new Set(outputDirs.filter((d) => [...described].some((p) => p.startsWith(`${d}/`))));
  for (const f of files) {
    if ((f.kind !== 'js' && f.kind !== 'css') || described.has(f.path)) continue;
    if (outputDirs.some((d) => describedDirs.has(d) && f.path.startsWith(`${d}/`))) continue;
    entries.push(makeEntry(f.path, 'file', undefined, f.kind === 'js' ? [f.path] : [], f.kind === 'css' ? [f.path] : []));
  }

  // ---- source maps for JS outputs without a manifest breakdown
  const noMap: string[] = [];
  for (const f of files) {
    if (f.kind !== 'js' || covered.has(f.path)) continue;
    throwIfCancelled(token);
    if (!f.map) {
      if (f.bytes >= 10 * 1024) noMap.push(f.path);
      continue;
    }
    if (deadline.check()) break;
    const code = texts.get(f.path);
    if (code === undefined) continue;
    opts.progress?.(`reading the source map of ${f.path}…`);
    try {
      let mapText: string | undefined;
      const url = sourceMappingUrl(code);
      if (url?.startsWith('data:')) mapText = decodeDataUrl(url);
      else {
        const st = await reader.stat(f.map);
        if (st && st.size > maxBytes) {
          problems.push({ file: f.map, kind: 'too-large', message: `${f.map} is ${formatBytes(st.size)}, over the ${options.maxFileMb} MB limit ("bundle.maxFileMb"); no breakdown for ${f.path}` });
          continue;
        }
        mapText = decoder.decode(await reader.readFile(f.map));
      }
      if (mapText === undefined) continue;
      const sizes = sourceMapSizes(code, parseSourceMapJson(mapText), deadline.time);
      const modules: ModuleShare[] = [];
      for (const [src, bytes] of sizes.bySource) {
        const pkg = packageOf(src);
        modules.push({ module: src, bytes, ...(pkg ? { pkg: pkg.name, pkgRoot: pkg.root } : {}) });
      }
      covered.add(f.path);
      breakdowns.push({ output: f.path, source: 'source-map', from: f.map, preMinification: false, modules, unattributed: sizes.unmapped + sizes.eol + sizes.comment });
    } catch (e) {
      if ((e as Error).message === 'timeout') {
        deadline.expired = true;
        problems.push({ file: f.path, kind: 'timeout', message: `the source map of ${f.path} was not read: the ${options.timeoutMs / 1000} s time budget ran out ("bundle.timeoutMs")` });
        break;
      }
      problems.push({ file: f.map, kind: 'corrupt', message: `the source map ${f.map} of ${f.path} is unusable: ${(e as Error).message}` });
    }
  }
  // A sourceMappingURL that names a missing file usually means the maps were not deployed or were deleted after the build.
  const dangling = noMap.filter((p) => danglingMaps.has(p));
  const unmapped = noMap.filter((p) => !danglingMaps.has(p));
  if (dangling.length) {
    const shown = dangling.slice(0, 3).map((p) => `${p} → ${danglingMaps.get(p)}`).join(', ');
    problems.push({ file: dangling[0], kind: 'missing-map', message: `${dangling.length} JS file${dangling.length === 1 ? ' names a source map' : 's name source maps'} (//# sourceMappingURL) that ${dangling.length === 1 ? 'does' : 'do'} not exist (${shown}${dangling.length > 3 ? '…' : ''}): sizes only, no per-module breakdown. Keep the .map files in the output folder (or write an esbuild metafile / webpack stats.json).` });
  }
  if (unmapped.length) {
    problems.push({ file: unmapped[0], kind: 'missing-map', message: `${unmapped.length} JS file${unmapped.length === 1 ? ' has' : 's have'} no source map, metafile or stats (${unmapped.slice(0, 3).join(', ')}${unmapped.length > 3 ? '…' : ''}): sizes only, no per-module breakdown. Enable source maps or write an esbuild metafile / webpack stats.json.` });
  }

  // ---- packages
  const pk = new Map<string, PackageSize>();
  for (const b of breakdowns) {
    for (const m of b.modules) {
      if (!m.pkg) continue;
      let p = pk.get(m.pkg);
      if (!p) pk.set(m.pkg, (p = { name: m.pkg, bytes: 0, roots: [], modules: 0 }));
      p.bytes += m.bytes;
      p.modules++;
      if (m.pkgRoot && !p.roots.includes(m.pkgRoot)) p.roots.push(m.pkgRoot);
    }
  }
  const packages = [...pk.values()].sort((a, b) => b.bytes - a.bytes);
  for (const p of packages) {
    if (p.roots.length < 2 || deadline.check()) continue;
    const versions: Record<string, string> = {};
    for (const r of p.roots) {
      const fromPath = packageOf(`${r}/package.json`)?.version;
      if (fromPath) {
        versions[r] = fromPath;
        continue;
      }
      const rel = posixJoin(r.replace(/^(webpack:\/\/[^/]*\/|\/)/, ''));
      if (rel.startsWith('..')) continue;
      try {
        const v = (parseJsonText(decoder.decode(await reader.readFile(`${rel}/package.json`))) as { version?: unknown } | null)?.version;
        if (typeof v === 'string') versions[r] = v;
      } catch {
        // version unknown
      }
    }
    if (Object.keys(versions).length) p.versions = versions;
  }

  // ---- images: outputs and source asset folders
  opts.progress?.('checking images…');
  const images: ImageInfo[] = [];
  const imagePaths = new Set([...fileSet].filter((f) => IMAGE_EXTS.has(extname(f))));
  for (const d of await resolveDirs(reader, options.assetDirs)) {
    if (deadline.check()) break;
    for (const f of await walk(reader, d, options.maxFiles, problems, deadline, token)) if (IMAGE_EXTS.has(extname(f))) imagePaths.add(f);
  }
  await pool([...imagePaths].sort(), 8, async (path) => {
    throwIfCancelled(token);
    const st = await reader.stat(path);
    if (!st) return;
    let head: ReturnType<typeof imageHeader> = { format: extname(path) === '.svg' ? 'svg' : 'other' };
    if (!deadline.check()) {
      try {
        const bytes = reader.readHead ? await reader.readHead(path, 65536) : await reader.readFile(path);
        head = imageHeader(bytes);
      } catch {
        // size only
      }
    }
    images.push({ path, bytes: st.size, ...head, variants: [] });
  });
  images.sort((a, b) => a.path.localeCompare(b.path));
  linkVariants(images);

  if (deadline.expired && !problems.some((p) => p.kind === 'timeout')) problems.push({ file: outputDirs[0] ?? '.', kind: 'timeout', message: `the ${options.timeoutMs / 1000} s time budget ran out ("bundle.timeoutMs"): some sizes or breakdowns are missing` });
  return { root: opts.root ?? '.', outputDirs, files, entries, breakdowns, packages, images, problems, manifests, durationMs: performance.now() - t0, truncated: deadline.expired };
}
