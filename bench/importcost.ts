/**
 * Import cost, side by side with the `import-cost` npm package (the engine of the Import Cost VS
 * Code extension): the same imports, cold caches on both sides, wall time from request to the last
 * size, and gzip sizes compared per import. Target: ≥ 30x faster at ±5% gzip size.
 *
 *   node --import tsx bench/importcost.ts [--runs N]   (default 3 runs; medians are compared)
 *
 * Fairness:
 * - import-cost waits a built-in 500 ms debounce (src/debounce-promise.js) before it starts a batch of
 *   imports: an artificial wait, not work. It is timed twice: as shipped, and with the debounce set
 *   to 0 ms through the same preload script; the speed-up that counts is against the latter. (Our
 *   own debounce lives in the editor adapter and is not part of the service timed here.)
 * - Agreement is strict: an import passes only if its gzip size is within ±5% of import-cost's; the
 *   target is met only if every import passes and the cold speed-up is ≥ 30x.
 *
 * import-cost 3.2.0 requires `native-fs-adapter` (a workspace package of its monorepo, absent from
 * npm in the form it expects): a preload script gives it the same four fs functions (readFile,
 * writeFile, delete, stat) over node:fs, in its worker processes too (NODE_OPTIONS). Its on-disk
 * cache (os.tmpdir()/ic-cache-3.2.0) is deleted before each run. Our worker is bundled with esbuild
 * the way scripts/build.mjs ships it, so startup is measured as users get it. (js-tokens is not in
 * the list: webpack 5.70, inside import-cost, crashes on it and worker-farm retries forever.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { ImportCostService, type ImportCost } from '../src/analyzers/bundle/importcost/index.js';

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
Module._load = function (request, parent) {
  if (request === 'native-fs-adapter') return adapter;
  // IC_NO_DEBOUNCE=1: import-cost's 500 ms debounce becomes 0 ms (the work is unchanged).
  if (process.env.IC_NO_DEBOUNCE === '1' && request.endsWith('debounce-promise.js') && parent && parent.filename.includes('import-cost')) {
    const orig = load.apply(this, arguments);
    return { ...orig, debouncePromise: (key, fn) => orig.debouncePromise(key, fn, 0) };
  }
  return load.apply(this, arguments);
};
`;

const runnerSource = (sample: string, text: string): string => `const { importCost, cleanup, Lang } = require(${JSON.stringify(require.resolve('import-cost'))});
const { clearSizeCache } = require(${JSON.stringify(path.join(path.dirname(require.resolve('import-cost')), 'package-info.js'))});
// A package that crashes webpack makes worker-farm respawn its workers forever: give up after 2 minutes.
setTimeout(() => { console.error('import-cost did not finish in 120 s'); cleanup(); process.exit(2); }, 120000).unref();
(async () => {
  await clearSizeCache();
  const t0 = performance.now();
  const e = importCost(${JSON.stringify(sample)}, ${JSON.stringify(text)}, Lang.JAVASCRIPT);
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

function runImportCost(dir: string, debounce: boolean, sample = SAMPLE, text = TEXT): Theirs {
  const shim = path.join(dir, 'shim.cjs');
  const runner = path.join(dir, 'runner.cjs');
  writeFileSync(shim, SHIM);
  writeFileSync(runner, runnerSource(sample, text));
  const r = spawnSync(process.execPath, [runner], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: `--require ${shim}`, IC_NO_DEBOUNCE: debounce ? '0' : '1' }, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`import-cost failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as Theirs;
}

async function buildWorker(dir: string): Promise<string> {
  const out = path.join(dir, 'importcost-worker.js');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'src/analyzers/bundle/importcost/worker.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['esbuild'], outfile: out, logLevel: 'warning' });
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

/**
 * What import-cost reports for a module of a few bytes: the fixed part of its figure. It measures a
 * whole webpack bundle of the import, bootstrap runtime included (module registry, require
 * function, ESM interop helpers); we measure what the import adds to a bundle, with esbuild (which
 * the issue prescribes). For an import whose real cost is small, that constant alone exceeds 5%.
 * The packages live under the repository: import-cost's webpack keeps its entry files in an
 * in-memory /tmp that hides the real one.
 */
async function floor(dir: string, workerPath: string): Promise<{ module: string; source: number; theirs: { size: number; gzip: number }; ours: { size?: number; gzip?: number } }[]> {
  const root = path.join(ROOT, 'bench', '.importcost-floor');
  rmSync(root, { recursive: true, force: true });
  const modules = { 'tiny-cjs': ['index.js', 'module.exports = function tiny() { return 42; };\n', { main: 'index.js' }], 'tiny-esm': ['index.mjs', 'export default function tiny() { return 42; }\n', { module: 'index.mjs', main: 'index.mjs' }] } as const;
  try {
    for (const [name, [file, code, fields]] of Object.entries(modules)) {
      mkdirSync(path.join(root, 'node_modules', name), { recursive: true });
      writeFileSync(path.join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...fields }));
      writeFileSync(path.join(root, 'node_modules', name, file), code);
    }
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'floor', version: '1.0.0', dependencies: { 'tiny-cjs': '1.0.0', 'tiny-esm': '1.0.0' } }));
    const sample = path.join(root, 'sample.js');
    const text = "import tinyCjs from 'tiny-cjs';\nimport tinyEsm from 'tiny-esm';\n";
    writeFileSync(sample, text);
    const theirs = runImportCost(dir, false, sample, text);
    const svc = new ImportCostService({ workerPath, esbuildPath: require.resolve('esbuild') });
    try {
      const ours = await svc.compute(sample, text);
      return Object.entries(modules).map(([name, [, code]], line) => {
        const t = theirs.packages.find((p) => p.line === line);
        const o = ours.find((c) => c.line === line);
        return { module: name, source: code.length, theirs: { size: t?.size ?? NaN, gzip: t?.gzip ?? NaN }, ours: { size: o?.size, gzip: o?.gzip } };
      });
    } finally {
      svc.dispose();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 1) : 3;
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-audit-bench-ic-'));
  try {
    const workerPath = await buildWorker(dir);
    const shipped: Theirs[] = [];
    const theirs: Theirs[] = [];
    const ours: Awaited<ReturnType<typeof runOurs>>[] = [];
    for (let i = 0; i < runs; i++) {
      shipped.push(runImportCost(dir, true));
      theirs.push(runImportCost(dir, false));
      ours.push(await runOurs(workerPath));
    }
    const fixed = await floor(dir, workerPath);
    const t = theirs[0];
    const o = ours[0];
    const rows: string[][] = [['import', 'import-cost gzip', 'ours gzip', 'Δ gzip', '±5%', 'import-cost min', 'ours min']];
    const deltas: number[] = [];
    const outside: string[] = [];
    for (const c of o.costs) {
      const p = t.packages.find((x) => x.line === c.line);
      const d = p && p.gzip && c.gzip !== undefined ? (100 * (c.gzip - p.gzip)) / p.gzip : NaN;
      if (!Number.isNaN(d)) deltas.push(d);
      const pass = !Number.isNaN(d) && Math.abs(d) <= 5;
      if (!pass) outside.push(`${IMPORTS[c.line]} (${Number.isNaN(d) ? 'no size' : `${d >= 0 ? '+' : ''}${d.toFixed(1)}%, ${c.gzip! - p!.gzip >= 0 ? '+' : ''}${c.gzip! - p!.gzip} B`})`);
      rows.push([IMPORTS[c.line].replace(/^import\s+/, '').replace(/;$/, ''), p ? String(p.gzip) : '-', c.gzip !== undefined ? String(c.gzip) : c.error ?? '-', Number.isNaN(d) ? '-' : `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`, pass ? 'yes' : 'NO', p ? String(p.size) : '-', c.size !== undefined ? String(c.size) : '-']);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const shippedMs = median(shipped.map((x) => x.ms));
    const theirMs = median(theirs.map((x) => x.ms));
    const ourCold = median(ours.map((x) => x.cold));
    const speedup = theirMs / ourCold;
    const speedupShipped = shippedMs / ourCold;
    const within = IMPORTS.length - outside.length;
    const met = speedup >= 30 && outside.length === 0;
    const lines = [
      `Import cost: ${IMPORTS.length} imports, cold caches, ${runs} run${runs === 1 ? '' : 's'} (median), node ${process.version}, esbuild ${esbuild.version}`,
      '',
      ...rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')),
      '',
      `import-cost 3.2.0 (webpack 5 + terser, worker-farm): ${(theirMs / 1000).toFixed(2)} s cold with its 500 ms debounce set to 0; ${(shippedMs / 1000).toFixed(2)} s as shipped`,
      `perf-auditor (esbuild in a child process):           ${(ourCold / 1000).toFixed(3)} s cold (worker start included), ${median(ours.map((x) => x.edit)).toFixed(0)} ms after editing one import, ${median(ours.map((x) => x.warm)).toFixed(1)} ms fully cached`,
      `speed-up, cold: ${speedup.toFixed(1)}x without import-cost's debounce (${speedupShipped.toFixed(1)}x against it as shipped); target ≥ 30x`,
      `gzip within ±5% (strict, per import): ${within}/${IMPORTS.length} (max |Δ| ${Math.max(...deltas.map(Math.abs)).toFixed(1)}%, mean Δ ${(deltas.reduce((s, d) => s + d, 0) / deltas.length).toFixed(1)}%)`,
      ...(outside.length ? [`outside ±5%: ${outside.join('; ')}`] : []),
      `fixed part of import-cost's figure (webpack bootstrap runtime, measured on a ${fixed[0].source}-byte module): ${fixed.map((f) => `${f.module} ${f.theirs.gzip} B gzip (ours ${f.ours.gzip ?? '-'} B)`).join(', ')}; below ~${Math.round(Math.min(...fixed.map((f) => f.theirs.gzip - (f.ours.gzip ?? 0))) / 0.05 / 100) / 10} KB gzip that difference alone is more than 5%`,
      met
        ? 'TARGET MET: ≥ 30x faster cold (debounce excluded) and every import within ±5% gzip.'
        : `TARGET NOT MET:${speedup < 30 ? ` speed-up ${speedup.toFixed(1)}x < 30x (debounce excluded);` : ''}${outside.length ? ` ${outside.length} of ${IMPORTS.length} imports outside ±5% gzip;` : ''}`.replace(/;$/, '.'),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench', 'results', 'importcost.json'), `${JSON.stringify({ date: new Date().toISOString(), runs, target: { speedup: 30, gzipTolerancePct: 5 }, met, theirsMs: theirs.map((x) => x.ms), theirsShippedMs: shipped.map((x) => x.ms), ours: ours.map(({ cold, edit, warm }) => ({ cold, edit, warm })), speedup, speedupShipped, within, floor: fixed, imports: o.costs.map((c) => ({ import: IMPORTS[c.line], ours: { size: c.size, gzip: c.gzip }, theirs: t.packages.find((x) => x.line === c.line) })) }, null, 2)}\n`);
    // Like bench/run.ts, a missed target is reported (above and in the JSON), not an exit code: the
    // bundle bench after this one still runs.
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
