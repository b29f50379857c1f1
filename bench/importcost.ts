/**
 * Import cost, side by side with the `import-cost` npm package (the engine of the Import Cost VS
 * Code extension): the same imports, cold caches on both sides, wall time from request to the last
 * size, and gzip sizes compared per import. Target: ≥ 30x faster at ±5% gzip size.
 *
 *   node --import tsx bench/importcost.ts [--runs N]
 *
 * import-cost 3.2.0 requires `native-fs-adapter` (a workspace package of its monorepo, absent from
 * npm in the form it expects): a preload script gives it the same four fs functions (readFile,
 * writeFile, delete, stat) over node:fs, in its worker processes too (NODE_OPTIONS). Its on-disk
 * cache (os.tmpdir()/ic-cache-3.2.0) is deleted before the run. Our worker is bundled with esbuild
 * the way scripts/build.mjs ships it, so startup is measured as users get it. (js-tokens is not in
 * the list: webpack 5.70, inside import-cost, crashes on it and worker-farm retries forever.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { ImportCostService, type ImportCost } from '../src/importcost/index.js';

const ROOT = path.join(__dirname, '..');
const SAMPLE = path.join(__dirname, 'importcost-sample.js');
const IMPORTS = [
  "import { debounce } from 'lodash';",
  "import _ from 'lodash';",
  "import throttle from 'lodash/throttle';",
  "import moment from 'moment';",
  "import dayjs from 'dayjs';",
  "import { format } from 'date-fns';",
  "import { addDays, formatDistance, parseISO } from 'date-fns';",
  "import * as jsonc from 'jsonc-parser';",
  "import { parse as parseToml } from 'smol-toml';",
  "import picomatch from 'picomatch';",
  "import relativeTime from 'dayjs/plugin/relativeTime';",
  "import { parse as parseJs } from '@babel/parser';",
];
const TEXT = `${IMPORTS.join('\n')}\n`;

const SHIM = `const Module = require('module');
const fsp = require('fs/promises');
const path = require('path');
const adapter = {
  readFile: (u) => fsp.readFile(u.fsPath),
  writeFile: async (u, c) => { await fsp.mkdir(path.dirname(u.fsPath), { recursive: true }); await fsp.writeFile(u.fsPath, Buffer.from(c)); },
  delete: (u) => fsp.rm(u.fsPath),
  stat: async (u) => { const s = await fsp.stat(u.fsPath); return { type: (s.isFile() ? 1 : 0) | (s.isDirectory() ? 2 : 0), size: s.size, ctime: s.ctimeMs, mtime: s.mtimeMs }; },
};
const load = Module._load;
Module._load = function (request) { return request === 'native-fs-adapter' ? adapter : load.apply(this, arguments); };
`;

const RUNNER = `const { importCost, cleanup, Lang } = require(${JSON.stringify(require.resolve('import-cost'))});
const { clearSizeCache } = require(${JSON.stringify(path.join(path.dirname(require.resolve('import-cost')), 'package-info.js'))});
// A package that crashes webpack makes worker-farm respawn its workers forever: give up after 2 minutes.
setTimeout(() => { console.error('import-cost did not finish in 120 s'); cleanup(); process.exit(2); }, 120000).unref();
(async () => {
  await clearSizeCache();
  const t0 = performance.now();
  const e = importCost(${JSON.stringify(SAMPLE)}, ${JSON.stringify(TEXT)}, Lang.JAVASCRIPT);
  e.on('error', (err) => { console.error(String(err)); process.exit(1); });
  e.on('done', (packages) => {
    const ms = performance.now() - t0;
    process.stdout.write(JSON.stringify({ ms, packages: packages.map((p) => ({ line: p.line - 1, name: p.name, size: p.size, gzip: p.gzip })) }));
    cleanup();
    setTimeout(() => process.exit(0), 100);
  });
})();
`;

interface Theirs {
  ms: number;
  packages: { line: number; name: string; size: number; gzip: number }[];
}

function runImportCost(dir: string): Theirs {
  const shim = path.join(dir, 'shim.cjs');
  const runner = path.join(dir, 'runner.cjs');
  writeFileSync(shim, SHIM);
  writeFileSync(runner, RUNNER);
  const r = spawnSync(process.execPath, [runner], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: `--require ${shim}` }, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`import-cost failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as Theirs;
}

async function buildWorker(dir: string): Promise<string> {
  const out = path.join(dir, 'importcost-worker.js');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'src/importcost/worker.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['esbuild'], outfile: out, logLevel: 'warning' });
  return out;
}

async function runOurs(workerPath: string): Promise<{ cold: number; edit: number; warm: number; costs: ImportCost[] }> {
  const svc = new ImportCostService({ workerPath, esbuildPath: require.resolve('esbuild') });
  try {
    let t0 = performance.now();
    const costs = await svc.compute(SAMPLE, TEXT);
    const cold = performance.now() - t0;
    // An edit: one import changes, the others come from the cache.
    t0 = performance.now();
    await svc.compute(SAMPLE, TEXT.replace("import { format } from 'date-fns';", "import { format, addMonths } from 'date-fns';"));
    const edit = performance.now() - t0;
    t0 = performance.now();
    await svc.compute(SAMPLE, TEXT);
    const warm = performance.now() - t0;
    return { cold, edit, warm, costs };
  } finally {
    svc.dispose();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 1) : 1;
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-audit-bench-ic-'));
  try {
    const workerPath = await buildWorker(dir);
    const theirs: Theirs[] = [];
    const ours: Awaited<ReturnType<typeof runOurs>>[] = [];
    for (let i = 0; i < runs; i++) {
      theirs.push(runImportCost(dir));
      ours.push(await runOurs(workerPath));
    }
    const t = theirs[0];
    const o = ours[0];
    const rows: string[][] = [['import', 'import-cost gzip', 'ours gzip', 'Δ gzip', 'import-cost min', 'ours min']];
    const deltas: number[] = [];
    /** Imports off by more than 5% and more than the ~150 B gzip of a bundler's module runtime. */
    const outside: string[] = [];
    for (const c of o.costs) {
      const p = t.packages.find((x) => x.line === c.line);
      const d = p && p.gzip && c.gzip !== undefined ? (100 * (c.gzip - p.gzip)) / p.gzip : NaN;
      if (!Number.isNaN(d)) deltas.push(d);
      if (Number.isNaN(d) || (Math.abs(d) > 5 && Math.abs(c.gzip! - p!.gzip) > 150)) outside.push(IMPORTS[c.line]);
      rows.push([IMPORTS[c.line].replace(/^import\s+/, '').replace(/;$/, ''), p ? String(p.gzip) : '-', c.gzip !== undefined ? String(c.gzip) : c.error ?? '-', Number.isNaN(d) ? '-' : `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`, p ? String(p.size) : '-', c.size !== undefined ? String(c.size) : '-']);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const theirMs = median(theirs.map((x) => x.ms));
    const ourCold = median(ours.map((x) => x.cold));
    const speedup = theirMs / ourCold;
    const within = deltas.filter((d) => Math.abs(d) <= 5).length;
    const lines = [
      `Import cost: ${IMPORTS.length} imports, cold caches, ${runs} run${runs === 1 ? '' : 's'} (median), node ${process.version}, esbuild ${esbuild.version}`,
      '',
      ...rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')),
      '',
      `import-cost 3.2.0 (webpack 5 + terser, worker-farm): ${(theirMs / 1000).toFixed(2)} s cold (it also waits a built-in 500 ms debounce per import batch)`,
      `perf-auditor (esbuild in a child process):           ${(ourCold / 1000).toFixed(3)} s cold (worker start included), ${median(ours.map((x) => x.edit)).toFixed(0)} ms after editing one import, ${median(ours.map((x) => x.warm)).toFixed(1)} ms fully cached`,
      `speed-up: ${speedup.toFixed(1)}x (target ≥ 30x) — gzip within ±5%: ${within}/${deltas.length} imports (max |Δ| ${Math.max(...deltas.map(Math.abs)).toFixed(1)}%, mean Δ ${(deltas.reduce((s, d) => s + d, 0) / deltas.length).toFixed(1)}%)`,
      outside.length ? `outside ±5% and ±150 B: ${outside.join(', ')}` : 'every import within ±5%, or within ±150 B gzip for sub-2 KB modules where the bundlers\' own module runtimes (webpack\'s require shim vs esbuild\'s __commonJS) differ',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench', 'results', 'importcost.json'), `${JSON.stringify({ date: new Date().toISOString(), runs, theirsMs: theirs.map((x) => x.ms), ours: ours.map(({ cold, edit, warm }) => ({ cold, edit, warm })), speedup, imports: o.costs.map((c) => ({ import: IMPORTS[c.line], ours: { size: c.size, gzip: c.gzip }, theirs: t.packages.find((x) => x.line === c.line) })) }, null, 2)}\n`);
    if (speedup < 30 || outside.length) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
