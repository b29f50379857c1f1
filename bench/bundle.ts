/**
 * Bundle analysis speed on synthetic large builds (written to a temp folder, read back through the
 * Node file reader as the CLI does):
 * - a 10 MB minified bundle with its source map (3,000 sources; breakdown, gzip, brotli q5),
 * - webpack stats with 20,000 modules (2,000 concatenated) and 50 chunks,
 * - an esbuild metafile with 20,000 inputs over 50 outputs.
 *
 *   node --import tsx bench/bundle.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeBundle } from '../src/analyzers/bundle/analyze.js';
import { defaultBundleOptions } from '../src/analyzers/bundle/options.js';
import { nodeFileReader } from '../src/analyzers/bundle/reader.js';
import { parseSourceMapJson, sourceMapSizes } from '../src/analyzers/bundle/sourcemap.js';

function rng(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function vlq(n: number): string {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let d = v & 31;
    v >>>= 5;
    if (v) d |= 32;
    out += B64[d];
  } while (v);
  return out;
}

/** ~`mb` MB of minified code in lines of ~32 KB, each line mapped to sources in 40-byte segments. */
function bigBundle(mb: number, sources: number): { code: string; map: string } {
  const r = rng(42);
  const lines: string[] = [];
  const mappings: string[] = [];
  let prevSrc = 0;
  let size = 0;
  while (size < mb * 1024 * 1024) {
    let line = '';
    const segs: string[] = [];
    let col = 0;
    while (line.length < 32_768) {
      const chunk = `function ${Math.floor(r() * 1e9).toString(36)}(a){return a+${Math.floor(r() * 1e6)}}`;
      const src = Math.floor(r() * sources);
      segs.push(vlq(line.length - col) + vlq(src - prevSrc) + vlq(0) + vlq(0));
      prevSrc = src;
      col = line.length;
      line += chunk;
    }
    lines.push(line);
    mappings.push(segs.join(','));
    size += line.length + 1;
  }
  const names = Array.from({ length: sources }, (_, i) => (i % 3 ? `../node_modules/pkg${i % 97}/lib/m${i}.js` : `../src/module${i}.ts`));
  return { code: `${lines.join('\n')}\n//# sourceMappingURL=big.js.map\n`, map: JSON.stringify({ version: 3, sources: names, mappings: mappings.join(';') }) };
}

function webpackStats(modules: number, chunks: number): string {
  const mods: unknown[] = [];
  for (let i = 0; i < modules; i++) {
    const chunk = i % chunks;
    if (i % 10 === 0) {
      const children = Array.from({ length: 5 }, (_, k) => ({ name: `./node_modules/pkg${(i + k) % 200}/m${i + k}.js`, size: 1000 + k, chunks: [] }));
      mods.push({ name: `./src/m${i}.js + 5 modules`, size: 5010, chunks: [chunk], modules: children });
      for (const c of children) mods.push({ ...c, orphan: true });
    } else mods.push({ name: `./node_modules/pkg${i % 200}/x${i}.js`, size: 800 + (i % 500), chunks: [chunk] });
  }
  const chunkList = Array.from({ length: chunks }, (_, i) => ({ id: i, names: [`c${i}`], files: [`c${i}.js`], initial: i < 3 }));
  return JSON.stringify({ assets: chunkList.map((c) => ({ name: c.files[0], size: 1000, chunks: [c.id] })), chunks: chunkList, modules: mods, entrypoints: { main: { assets: ['c0.js', 'c1.js', 'c2.js'] } } });
}

function metafile(inputs: number, outputs: number): string {
  const ins: Record<string, unknown> = {};
  const outs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }>; imports: unknown[]; exports: string[]; entryPoint?: string }> = {};
  for (let o = 0; o < outputs; o++) outs[`meta-out/o${o}.js`] = { bytes: 0, inputs: {}, imports: o ? [] : Array.from({ length: 5 }, (_, k) => ({ path: `meta-out/o${k + 1}.js`, kind: 'import-statement' })), exports: [], ...(o === 0 ? { entryPoint: 'src/main.ts' } : {}) };
  for (let i = 0; i < inputs; i++) {
    const p = `node_modules/pkg${i % 300}/f${i}.js`;
    ins[p] = { bytes: 1000, imports: [], format: i % 2 ? 'cjs' : 'esm' };
    const o = outs[`meta-out/o${i % outputs}.js`];
    o.inputs[p] = { bytesInOutput: 500 };
    o.bytes += 500;
  }
  return JSON.stringify({ inputs: ins, outputs: outs });
}

async function timed<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  process.stdout.write(`${label.padEnd(58)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms\n`);
  return r;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-audit-bench-bundle-'));
  try {
    const { code, map } = bigBundle(10, 3000);
    process.stdout.write(`Bundle analysis on synthetic builds (node ${process.version})\n\n`);
    await timed(`source map attribution alone (${(code.length / 1048576).toFixed(1)} MB code, ${(map.length / 1048576).toFixed(1)} MB map)`, () => sourceMapSizes(code, parseSourceMapJson(map)));
    mkdirSync(path.join(dir, 'dist'), { recursive: true });
    writeFileSync(path.join(dir, 'dist/big.js'), code);
    writeFileSync(path.join(dir, 'dist/big.js.map'), map);
    const opts = { ...defaultBundleOptions(), outputDirs: ['dist'] };
    const a = await timed('analyze: 10 MB bundle + map (gzip-9, brotli-5, breakdown)', () => analyzeBundle(nodeFileReader(dir), { options: opts }));
    process.stdout.write(`  ${a.breakdowns[0]?.modules.length ?? 0} sources, ${a.packages.length} packages, problems: ${a.problems.map((p) => p.kind).join(', ') || 'none'}\n`);

    mkdirSync(path.join(dir, 'wp'), { recursive: true });
    writeFileSync(path.join(dir, 'wp/stats.json'), webpackStats(20_000, 50));
    for (let i = 0; i < 50; i++) writeFileSync(path.join(dir, `wp/c${i}.js`), 'x');
    const w = await timed('analyze: webpack stats, 20,000 modules / 50 chunks', () => analyzeBundle(nodeFileReader(dir), { options: { ...opts, outputDirs: ['wp'] } }));
    process.stdout.write(`  ${w.breakdowns.length} outputs broken down, ${w.packages.length} packages, entry JS files: ${w.entries[0]?.js.length ?? 0}\n`);

    mkdirSync(path.join(dir, 'meta-out'), { recursive: true });
    writeFileSync(path.join(dir, 'meta-out/meta.json'), metafile(20_000, 50));
    for (let i = 0; i < 50; i++) writeFileSync(path.join(dir, `meta-out/o${i}.js`), 'x');
    const m = await timed('analyze: esbuild metafile, 20,000 inputs / 50 outputs', () => analyzeBundle(nodeFileReader(dir), { options: { ...opts, outputDirs: ['meta-out'] } }));
    process.stdout.write(`  ${m.breakdowns.length} outputs broken down, ${m.packages.length} packages, entry files: ${m.entries[0]?.js.length ?? 0}\n`);

    writeFileSync(path.join(dir, 'dist/stats.json'), '{"assets": [ {"name": "big.js", "size": 1'.padEnd(2_000_000, ' '));
    const c = await timed('analyze: corrupt 2 MB stats.json beside the bundle', () => analyzeBundle(nodeFileReader(dir), { options: { ...opts, brotli: false } }));
    process.stdout.write(`  ${c.problems.filter((p) => p.kind === 'corrupt').map((p) => p.message.slice(0, 90)).join('; ')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
