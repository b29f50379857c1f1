/**
 * webpack `stats.json` (`webpack --json`, webpack-bundle-analyzer's `generateStatsFile`). Module
 * sizes are pre-minification ("stat" sizes); asset sizes are what was emitted. Pitfalls handled:
 * - webpack 5 lists each module concatenated into a ConcatenatedModule twice: inside the parent's
 *   `modules` and again at top level with `orphan: true` (and no chunks) — orphans are skipped and
 *   concatenated parents are replaced by their children, so nothing is counted twice;
 * - multi-compiler stats nest whole stats objects in `children`;
 * - entrypoint assets are strings (webpack 4) or `{ name, size }` (webpack 5);
 * - CSS extracted by mini-css-extract-plugin belongs to the .css asset, not the .js one.
 */
import { ManifestError } from './metafile.js';
import { outputKind, packageOf } from './paths.js';
import type { ModuleShare } from './types.js';

export interface StatsAsset {
  name: string;
  size: number;
  /** Modules of the chunks this asset belongs to, with pre-minification sizes. */
  modules: ModuleShare[];
}

export interface StatsEntry {
  name: string;
  assets: string[];
}

export interface ParsedStats {
  assets: StatsAsset[];
  entries: StatsEntry[];
  /** Absolute output path, when the stats carry it. */
  outputPath?: string;
  /** Compilation warnings worth surfacing (no modules in the stats…). */
  notes: string[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const MAX_DEPTH = 8;

export function isWebpackStats(json: unknown): boolean {
  if (!isObject(json)) return false;
  if (Array.isArray(json.children) && json.children.some(isWebpackStats)) return true;
  return Array.isArray(json.assets) && (Array.isArray(json.chunks) || Array.isArray(json.modules) || isObject(json.entrypoints));
}

function moduleName(m: Obj): string {
  const n = typeof m.name === 'string' ? m.name : typeof m.identifier === 'string' ? m.identifier : '(unknown)';
  const bang = n.lastIndexOf('!');
  return bang >= 0 ? n.slice(bang + 1) : n;
}

function isCssModule(m: Obj): boolean {
  return (typeof m.moduleType === 'string' && m.moduleType.startsWith('css')) || (typeof m.identifier === 'string' && m.identifier.startsWith('css ')) || (typeof m.name === 'string' && m.name.startsWith('css '));
}

/** Leaf modules of a module: a concatenated module's children (recursively), else itself; children inherit the parent's chunks. */
function leaves(m: Obj, chunks: unknown[], out: { m: Obj; chunks: unknown[] }[], depth = 0): void {
  const own = Array.isArray(m.chunks) && m.chunks.length ? m.chunks : chunks;
  if (Array.isArray(m.modules) && m.modules.length && depth < MAX_DEPTH) {
    for (const c of m.modules) if (isObject(c)) leaves(c, own, out, depth + 1);
  } else out.push({ m, chunks: own });
}

function parseOne(s: Obj, into: ParsedStats): void {
  const chunkList = Array.isArray(s.chunks) ? s.chunks.filter(isObject) : [];
  // Top-level modules (orphans skipped); fall back to chunk modules when the stats omit them.
  const leafList: { m: Obj; chunks: unknown[] }[] = [];
  if (Array.isArray(s.modules) && s.modules.length) {
    for (const m of s.modules) if (isObject(m) && m.orphan !== true) leaves(m, [], leafList);
  } else {
    for (const c of chunkList) {
      if (!Array.isArray(c.modules)) continue;
      for (const m of c.modules) if (isObject(m) && m.orphan !== true) leaves(m, [c.id], leafList);
    }
  }
  if (!leafList.length && (s.assets as unknown[]).length) into.notes.push('the stats have no module list (run webpack with --json or stats: { modules: true, nestedModules: true })');
  // chunk id → leaf modules (deduplicated per chunk by name).
  const byChunk = new Map<unknown, Map<string, ModuleShare>>();
  for (const { m, chunks } of leafList) {
    if (isCssModule(m)) continue;
    const size = typeof m.size === 'number' ? m.size : 0;
    if (size <= 0) continue;
    const name = moduleName(m);
    const pkg = packageOf(name);
    for (const id of chunks) {
      let mods = byChunk.get(id);
      if (!mods) byChunk.set(id, (mods = new Map()));
      if (!mods.has(name)) mods.set(name, { module: name, bytes: size, ...(pkg ? { pkg: pkg.name, pkgRoot: pkg.root } : {}) });
    }
  }
  const fileChunks = new Map<string, unknown[]>();
  for (const c of chunkList) {
    const files = Array.isArray(c.files) ? c.files.filter((f): f is string => typeof f === 'string') : [];
    for (const f of files) fileChunks.set(f, [...(fileChunks.get(f) ?? []), c.id]);
  }
  for (const a of (s.assets as unknown[]).filter(isObject)) {
    if (typeof a.name !== 'string') continue;
    const ids = fileChunks.get(a.name) ?? (Array.isArray(a.chunks) ? a.chunks : []);
    const modules = new Map<string, ModuleShare>();
    if (outputKind(a.name) === 'js') for (const id of ids) for (const [k, v] of byChunk.get(id) ?? []) if (!modules.has(k)) modules.set(k, v);
    into.assets.push({ name: a.name, size: typeof a.size === 'number' ? a.size : 0, modules: [...modules.values()] });
  }
  if (isObject(s.entrypoints)) {
    for (const [name, e] of Object.entries(s.entrypoints)) {
      if (!isObject(e) || !Array.isArray(e.assets)) continue;
      const assets = e.assets.map((x) => (typeof x === 'string' ? x : isObject(x) && typeof x.name === 'string' ? x.name : undefined)).filter((x): x is string => !!x && !/\.hot-update\./.test(x));
      into.entries.push({ name, assets });
    }
  }
  if (typeof s.outputPath === 'string' && !into.outputPath) into.outputPath = s.outputPath;
}

export function parseWebpackStats(json: unknown): ParsedStats {
  if (!isWebpackStats(json)) throw new ManifestError('not a webpack stats file: expected "assets" with "chunks", "modules" or "entrypoints"');
  const out: ParsedStats = { assets: [], entries: [], notes: [] };
  const visit = (s: Obj, depth: number): void => {
    if (Array.isArray(s.assets)) parseOne(s, out);
    if (Array.isArray(s.children) && depth < MAX_DEPTH) for (const c of s.children) if (isObject(c)) visit(c, depth + 1);
  };
  visit(json as Obj, 0);
  return out;
}
