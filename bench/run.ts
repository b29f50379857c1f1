/**
 * `npm run bench` (= build, then `node --import tsx bench/run.ts`): measures the numbers the README
 * quotes and writes bench/results/bench.json (+ accuracy.json):
 *   (a) parse coverage of ../shared/corpora/sql per dialect, with the engine's own splitter and parsers
 *   (b) full corpus audit time through AuditEngine: cold (median of 7 fresh processes, incl. WASM load) and warm
 *   (c) re-diagnosis latency of a 5,000-line SQL file after a one-statement edit (p50 / p95 of 50)
 *   (d) extension activation: load dist/extension.js and call activate() with a stub `vscode` API
 *   (e) bundle sizes of dist/extension.js, dist/cli.js and the parser's .wasm
 *   (f) missing-index accuracy against SQLite (sql.js) and PostgreSQL (when installed), see accuracy.ts
 *
 * Options: --no-postgres (skip the PostgreSQL oracle), --quick (fewer repetitions).
 * Internal: --child=audit N | --child=activation | --child=edit N run one measurement in this process
 * and print it as JSON (the bench spawns them so that "cold" means a fresh process).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CORPUS_DIR, formatDisagreements, markdownTable, REPO_ROOT, RESULTS_DIR, runAccuracy, writeAccuracyJson, type AccuracyReport } from './accuracy.js';
import type { Dialect } from '../src/analyzers/sql/types.js';

// ------------------------------------------------------------------------------------ corpus

export interface CorpusFile {
  /** Path relative to the corpus root, with forward slashes. */
  rel: string;
  abs: string;
  dialect: Dialect;
}

/**
 * The dialect of each corpus file, from where it comes (see PROVENANCE.tsv): directories are
 * single-dialect except chinook/ and sakila/, which hold one file per dialect. sqlc/skipped/
 * (ClickHouse, GoogleSQL, SQL Server cases and sqlc's expected-error cases) is not one of ours.
 */
export function corpusDialect(rel: string): Dialect | undefined {
  const [top, sub] = rel.split('/');
  const base = path.posix.basename(rel).toLowerCase();
  if (!/\.(?:sql|ddl|ri)$/.test(base)) return undefined; // README.md, PROVENANCE.tsv
  switch (top) {
    case 'pgdumps': case 'job': case 'tpch': return 'postgresql';
    case 'sakila': case 'chinook':
      if (/postgres/.test(base)) return 'postgresql';
      if (/sqlite/.test(base)) return 'sqlite';
      if (/mysql|datacharmer/.test(base)) return 'mysql';
      return undefined;
    case 'employees': case 'tpch-mysql': case 'mysqldumps': return 'mysql';
    case 'sqlc':
      return sub === 'postgresql' ? 'postgresql' : sub === 'mysql' ? 'mysql' : sub === 'sqlite' ? 'sqlite' : undefined;
    default: return undefined;
  }
}

export function listCorpus(root = CORPUS_DIR): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (rel: string): void => {
    for (const ent of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(r);
      else {
        const dialect = corpusDialect(r);
        if (dialect) out.push({ rel: r, abs: path.join(root, r), dialect });
      }
    }
  };
  walk('');
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

// ------------------------------------------------------------------------------------ (a) parse coverage

export interface DialectCoverage {
  files: number;
  statements: number;
  parsed: number;
  coverage: number;
  /** Most frequent failure messages (first 80 characters), with counts and one example each. */
  topErrors: { message: string; count: number; example: string }[];
}

export interface CoverageResult {
  dialects: Record<Dialect, DialectCoverage>;
  /** Parse time of the slowest files (first parse, warm process). */
  slowestFiles: { file: string; dialect: Dialect; ms: number; kb: number }[];
  totalParseMs: number;
}

export async function parseCoverage(files: CorpusFile[]): Promise<CoverageResult> {
  const { StatementParser, parseSqlFile } = await import('../src/analyzers/sql/analyze.js');
  const parser = new StatementParser();
  await parser.ready(['postgresql']);
  const res = {} as Record<Dialect, DialectCoverage>;
  const errors = new Map<Dialect, Map<string, { count: number; example: string }>>();
  for (const d of ['postgresql', 'mysql', 'sqlite'] as Dialect[]) {
    res[d] = { files: 0, statements: 0, parsed: 0, coverage: 0, topErrors: [] };
    errors.set(d, new Map());
  }
  const times: CoverageResult['slowestFiles'] = [];
  for (const f of files) {
    const text = readFileSync(f.abs, 'utf8');
    const t0 = performance.now();
    const parsed = parseSqlFile(f.rel, text, parser, f.dialect);
    times.push({ file: f.rel, dialect: f.dialect, ms: performance.now() - t0, kb: text.length / 1024 });
    const c = res[f.dialect];
    c.files++;
    for (const st of parsed.statements) {
      c.statements++;
      if (!st.error) {
        c.parsed++;
        continue;
      }
      const key = st.error.message.replace(/\s+/g, ' ').slice(0, 80);
      const e = errors.get(f.dialect)!.get(key) ?? { count: 0, example: `${f.rel}: ${st.text.replace(/\s+/g, ' ').slice(0, 120)}` };
      e.count++;
      errors.get(f.dialect)!.set(key, e);
    }
  }
  for (const [d, c] of Object.entries(res) as [Dialect, DialectCoverage][]) {
    c.coverage = c.statements ? c.parsed / c.statements : 1;
    c.topErrors = [...errors.get(d)!.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 8).map(([message, v]) => ({ message, ...v }));
  }
  return { dialects: res, slowestFiles: [...times].sort((a, b) => b.ms - a.ms).slice(0, 5), totalParseMs: times.reduce((n, t) => n + t.ms, 0) };
}

// ------------------------------------------------------------------------------------ (b) corpus audit

export interface AuditTiming {
  files: number;
  sqlFiles: number;
  statements: number;
  findings: number;
  /** Fresh process: first AuditEngine.run(), incl. loading the WASM parser (module import by tsx not included). */
  coldMs: number;
  /** Loading the bundled engine in that process (require of the esbuild bundle; not part of coldMs). */
  coldImportMs: number;
  /** Cold times of every fresh process (coldMs is their median). */
  coldRunsMs?: number[];
  /** Same process, a new AuditEngine (no caches), median of the runs. */
  warmMs: number;
  warmRunsMs: number[];
}

async function loadCorpusWorkspace(): Promise<{ path: string; text: string }[]> {
  const { loadWorkspace } = await import('../src/analyzers/index.js');
  return (await loadWorkspace(CORPUS_DIR)).files;
}

type EngineModule = typeof import('../src/analyzers/index.js');

/**
 * The engine as shipped: bundled and minified by esbuild like dist/cli.js (options of
 * scripts/build.mjs), written beside dist/libpg-query.wasm and the vendored grammars it loads. Under
 * tsx, modules loaded lazily during the first audit (the dialect adapters) would be transpiled
 * inside the timed run.
 */
async function bundledEngine(): Promise<{ load: () => EngineModule }> {
  const esbuild = await import('esbuild');
  const out = path.join(REPO_ROOT, 'dist', `.bench-engine-${process.pid}.cjs`);
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'src', 'analyzers', 'index.ts')], outfile: out, bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs',
    mainFields: ['module', 'main'], external: ['vscode', 'node-sql-parser/build/*', '@babel/parser'], define: { PERF_AUDITOR_VERSION: '"bench"' }, logLevel: 'warning',
  });
  return {
    load: () => {
      try {
        return Module.createRequire(out)(out) as EngineModule;
      } finally {
        rmSync(out, { force: true });
      }
    },
  };
}

/** Runs in a child process (`--child=audit`): prints one JSON line. */
async function childAudit(warmRuns: number): Promise<void> {
  const files = await loadCorpusWorkspace();
  const engine = await bundledEngine();
  const t0 = performance.now();
  const { createAuditEngine } = engine.load();
  const tImport = performance.now();
  const run = async (): Promise<{ ms: number; r: Awaited<ReturnType<ReturnType<typeof createAuditEngine>['run']>> }> => {
    const s = performance.now();
    const engine = createAuditEngine();
    for (const f of files) engine.setFile(f.path, f.text);
    const r = await engine.run();
    return { ms: performance.now() - s, r };
  };
  const cold = await run();
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) warm.push((await run()).ms);
  const out: AuditTiming = {
    files: files.length, sqlFiles: cold.r.stats.counts.sqlFiles ?? 0, statements: cold.r.stats.counts.statements ?? 0, findings: cold.r.findings.length,
    coldMs: cold.ms, coldImportMs: tImport - t0, warmMs: median(warm), warmRunsMs: warm,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runChild(mode: string, extra: string[] = []): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, `--child=${mode}`, ...extra], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`child ${mode} failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return line;
}

/**
 * `coldRuns` fresh processes (the machine's speed varies from one to the next: one process says
 * little); the first also times `warmRuns` warm runs. Cold is the median, with every run listed.
 */
export function corpusAudit(warmRuns: number, coldRuns = 1): AuditTiming {
  const first = JSON.parse(runChild('audit', [String(warmRuns)])) as AuditTiming;
  const colds = [first.coldMs];
  for (let i = 1; i < coldRuns; i++) colds.push((JSON.parse(runChild('audit', ['0'])) as AuditTiming).coldMs);
  return { ...first, coldMs: median(colds), coldRunsMs: colds };
}

// ------------------------------------------------------------------------------------ (c) re-diagnosis latency

export interface EditLatency {
  lines: number;
  dialect: Dialect;
  statements: number;
  findings: number;
  initialRunMs: number;
  edits: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  setFileP50Ms: number;
}

/** A ~5,000-line PostgreSQL file: the JOB schema and FK indexes, then the 113 JOB queries and the TPC-H queries, repeated with distinct literals. */
export function buildLargeFile(minLines = 5000): { statements: string[]; text: string } {
  const job = path.join(CORPUS_DIR, 'job');
  const tpch = path.join(CORPUS_DIR, 'tpch');
  const clean = (s: string): string => s.trim().replace(/;\s*$/, '');
  const split = (s: string): string[] => s.split(/;\s*\n/).map(clean).filter((x) => x && !/^\s*(?:--[^\n]*\n?\s*)*$/.test(x));
  const schema = [...split(readFileSync(path.join(job, 'schema.sql'), 'utf8')), ...split(readFileSync(path.join(job, 'fkindexes.sql'), 'utf8'))];
  const queries = [
    ...readdirSync(job).filter((f) => /^\d+[a-z]\.sql$/.test(f)).sort().map((f) => clean(readFileSync(path.join(job, f), 'utf8'))),
    ...readdirSync(tpch).filter((f) => /^\d+\.sql$/.test(f)).sort().map((f) => clean(readFileSync(path.join(tpch, f), 'utf8'))),
  ];
  const statements = [...schema];
  let lines = statements.join(';\n\n').split('\n').length;
  for (let round = 0; lines < minLines; round++) {
    for (const q of queries) {
      // vary the literals so that repeated queries are distinct statements
      const s = round === 0 ? q : q.replace(/'([^']*)'/g, (_m, v: string) => `'${v}#${round}'`);
      statements.push(s);
      lines += s.split('\n').length + 1;
      if (lines >= minLines) break;
    }
  }
  return { statements, text: `${statements.join(';\n\n')};\n` };
}

export async function editLatency(edits: number): Promise<EditLatency> {
  const { defaultSettings, createAuditEngine } = await import('../src/analyzers/index.js');
  const { statements, text } = buildLargeFile();
  const file = 'db/big.sql';
  const engine = createAuditEngine();
  // The file is PostgreSQL; say so as a project's .perfauditrc.json would (content detection can be
  // misled by literals such as '[us]', which look like SQLite [identifiers]).
  const config = defaultSettings();
  config.sql.dialect = 'postgresql';
  engine.setSettings(config);
  engine.setFile(file, text);
  const t0 = performance.now();
  const first = await engine.run();
  const initialRunMs = performance.now() - t0;
  const times: number[] = [];
  const setTimes: number[] = [];
  const rng = lcg(42);
  const queryStart = statements.findIndex((s) => /^\s*(?:--[^\n]*\n\s*)*SELECT/i.test(s));
  let cur = [...statements];
  for (let i = 0; i < edits; i++) {
    const k = queryStart + Math.floor(rng() * (statements.length - queryStart));
    const s = cur[k];
    // change one literal (a string if there is one, else a number)
    const edited = /'[^']*'/.test(s) ? s.replace(/'[^']*'/, `'edited-${i}'`) : s.replace(/\b\d+\b/, String(1000 + i));
    cur = [...cur];
    cur[k] = edited === s ? `${s} ` : edited;
    const next = `${cur.join(';\n\n')};\n`;
    const s0 = performance.now();
    engine.setFile(file, next);
    const s1 = performance.now();
    await engine.run({ only: [file] });
    times.push(performance.now() - s1);
    setTimes.push(s1 - s0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    lines: text.split('\n').length, dialect: 'postgresql', statements: first.stats.counts.statements ?? 0, findings: first.findings.length, initialRunMs, edits,
    p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), maxMs: sorted.at(-1) ?? 0, setFileP50Ms: median(setTimes),
  };
}

// ------------------------------------------------------------------------------------ (d) activation

export interface ActivationTiming {
  method: string;
  /** require('dist/extension.js') with `vscode` resolved to a stub */
  loadMs: number;
  /** activate(context) */
  activateMs: number;
  totalMs: number;
  runs: { loadMs: number; activateMs: number; registered: number }[];
}

/**
 * A stand-in for the `vscode` module: every property is another stub, calls and `new` return stubs,
 * `getConfiguration().get(key, default)` returns the default, stubs iterate as empty and are not
 * thenables. Enough for activate() to register everything it registers.
 */
function fakeVscode(calls: string[]): unknown {
  const cache = new Map<string, unknown>();
  const make = (name: string): unknown => {
    const hit = cache.get(name);
    if (hit) return hit;
    const children = new Map<PropertyKey, unknown>();
    const fn = function stub(): void {};
    const p: unknown = new Proxy(fn, {
      get(_t, key) {
        if (key === 'then') return undefined;
        if (key === Symbol.iterator) return function* empty(): Generator<never> {};
        if (key === Symbol.toPrimitive) return () => (name.endsWith('.length') ? 0 : name);
        if (key === 'length') return 0;
        if (key === 'prototype') return {};
        if (!children.has(key)) children.set(key, make(`${name}.${String(key)}`));
        return children.get(key);
      },
      set(_t, key, value) {
        // Assignments (statusBarItem.name = …, treeView.message = …) are kept, never written to the function.
        children.set(key, value);
        return true;
      },
      apply(_t, _this, args: unknown[]) {
        calls.push(name);
        if (name.endsWith('.get') && args.length >= 2) return args[1];
        if (name.endsWith('.dispose')) return undefined;
        return make(`${name}()`);
      },
      construct() {
        return make(`new ${name}`) as object;
      },
    });
    cache.set(name, p);
    return p;
  };
  const root = make('vscode') as Record<PropertyKey, unknown>;
  // esbuild's `import * as vscode` interop copies own keys onto an object whose prototype is the
  // module's prototype: resolve every other name through that prototype.
  const proto = new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : root[key]) });
  return new Proxy(root, { getPrototypeOf: () => proto });
}

/** Runs in a child process (`--child=activation`): prints one JSON line. */
async function childActivation(): Promise<void> {
  const bundle = path.join(REPO_ROOT, 'dist', 'extension.js');
  const calls: string[] = [];
  const stub = fakeVscode(calls);
  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const orig = M._load;
  M._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
    return request === 'vscode' ? stub : orig.call(this, request, parent, isMain);
  };
  const subscriptions: { dispose(): unknown }[] = [];
  const context = new Proxy({ subscriptions, extensionPath: REPO_ROOT, extensionUri: (stub as { Uri: { file(p: string): unknown } }).Uri.file(REPO_ROOT) }, {
    get(t, key) {
      return key in t ? (t as Record<PropertyKey, unknown>)[key] : (stub as Record<PropertyKey, unknown>)[key];
    },
  });
  const t0 = performance.now();
  const ext = Module.createRequire(bundle)(bundle) as { activate(c: unknown): unknown; deactivate?(): unknown };
  const t1 = performance.now();
  await ext.activate(context);
  const t2 = performance.now();
  await ext.deactivate?.();
  for (const s of subscriptions) s.dispose();
  // Evidence that activate() ran through: what it registered.
  const registered = calls.filter((c) => /\.(?:register\w+|create\w+)$/.test(c)).length;
  process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, registered })}\n`);
  process.exit(0);
}

export function activation(runs: number): ActivationTiming {
  const all: ActivationTiming['runs'] = [];
  for (let i = 0; i < runs; i++) all.push(JSON.parse(runChild('activation')) as ActivationTiming['runs'][number]);
  const loadMs = median(all.map((r) => r.loadMs));
  const activateMs = median(all.map((r) => r.activateMs));
  return {
    method: 'fresh node process per run; require(dist/extension.js) with `vscode` resolved (Module._load hook) to a stub API, then activate(context); median of runs',
    loadMs, activateMs, totalMs: median(all.map((r) => r.loadMs + r.activateMs)), runs: all,
  };
}

// ------------------------------------------------------------------------------------ (e) bundle sizes

export interface BundleSizes {
  /** As shipped: `npm run bench` builds with --production (minified), as `vsce package` does through vscode:prepublish. */
  extensionBytes: number;
  extensionGzipBytes: number;
  cliBytes: number;
  wasmBytes: number;
  /** Files the build vendors beside the bundles (dist/node_modules: lazily loaded MySQL/SQLite grammars). */
  vendoredBytes: number;
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    n += ent.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

export function bundleSizes(): BundleSizes {
  const dist = path.join(REPO_ROOT, 'dist');
  const size = (f: string): number => (existsSync(path.join(dist, f)) ? statSync(path.join(dist, f)).size : NaN);
  return {
    extensionBytes: size('extension.js'),
    extensionGzipBytes: existsSync(path.join(dist, 'extension.js')) ? gzipSync(readFileSync(path.join(dist, 'extension.js')), { level: 6 }).length : NaN,
    cliBytes: size('cli.js'), wasmBytes: size('libpg-query.wasm'), vendoredBytes: dirBytes(path.join(dist, 'node_modules')),
  };
}

// ------------------------------------------------------------------------------------ report

interface SummaryRow {
  metric: string;
  target: string;
  actual: string;
  pass: boolean | undefined;
}

function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 0.5);
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const ms = (x: number): string => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const kb = (x: number): string => (Number.isFinite(x) ? `${(x / 1024).toFixed(0)} KB` : 'missing');

function summaryTable(rows: SummaryRow[]): string {
  const w = [Math.max(6, ...rows.map((r) => r.metric.length)), Math.max(6, ...rows.map((r) => r.target.length)), Math.max(6, ...rows.map((r) => r.actual.length))];
  const line = (a: string, b: string, c: string, d: string): string => `| ${a.padEnd(w[0])} | ${b.padEnd(w[1])} | ${c.padEnd(w[2])} | ${d} |`;
  return [line('metric', 'target', 'actual', 'pass'), `|${'-'.repeat(w[0] + 2)}|${'-'.repeat(w[1] + 2)}|${'-'.repeat(w[2] + 2)}|------|`,
    ...rows.map((r) => line(r.metric, r.target, r.actual, r.pass === undefined ? '—' : r.pass ? 'yes' : '**NO**'))].join('\n');
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const log = (s: string): void => console.log(s);
  if (!existsSync(CORPUS_DIR)) throw new Error(`corpus not found at ${CORPUS_DIR} (set PERF_AUDITOR_CORPUS)`);
  const files = listCorpus();

  log(`(a) parse coverage over ${files.length} corpus files…`);
  const cov = await parseCoverage(files);
  const coverage = cov.dialects;
  for (const [d, c] of Object.entries(coverage)) {
    log(`  ${d.padEnd(10)} ${c.parsed}/${c.statements} statements (${pct(c.coverage)}) in ${c.files} files`);
    for (const e of c.topErrors.slice(0, 4)) log(`      ${String(e.count).padStart(4)} × ${e.message}   e.g. ${e.example}`);
  }

  log(`  parse time ${ms(cov.totalParseMs)}; slowest: ${cov.slowestFiles.map((f) => `${f.file} (${f.dialect}, ${f.kb.toFixed(0)} KB) ${ms(f.ms)}`).join(', ')}`);

  log('(b) corpus audit…');
  const audit = corpusAudit(quick ? 2 : 5, quick ? 1 : 7);
  const coldRange = audit.coldRunsMs && audit.coldRunsMs.length > 1 ? ` (median of ${audit.coldRunsMs.length} fresh processes, ${ms(Math.min(...audit.coldRunsMs))}–${ms(Math.max(...audit.coldRunsMs))})` : '';
  log(`  ${audit.files} files (${audit.sqlFiles} SQL, ${audit.statements} statements, ${audit.findings} findings): cold ${ms(audit.coldMs)}${coldRange}, warm ${ms(audit.warmMs)}`);

  log('(c) re-diagnosis after an edit…');
  const edit = await editLatency(50);
  log(`  ${edit.lines} lines, ${edit.statements} statements, ${edit.findings} findings; first run ${ms(edit.initialRunMs)}; edit → run: p50 ${ms(edit.p50Ms)}, p95 ${ms(edit.p95Ms)}, max ${ms(edit.maxMs)}`);

  log('(d) activation…');
  let act: ActivationTiming | { error: string };
  try {
    act = activation(quick ? 3 : 7);
    log(`  load ${ms(act.loadMs)} + activate ${ms(act.activateMs)} = ${ms(act.totalMs)}`);
  } catch (e) {
    act = { error: (e as Error).message };
    log(`  failed: ${act.error}`);
  }

  log('(e) bundle sizes…');
  const sizes = bundleSizes();
  log(`  dist/extension.js ${kb(sizes.extensionBytes)} (gzip ${kb(sizes.extensionGzipBytes)}), dist/cli.js ${kb(sizes.cliBytes)}, libpg-query.wasm ${kb(sizes.wasmBytes)}, vendored dist/node_modules ${kb(sizes.vendoredBytes)}`);

  log('(f) missing-index accuracy (JOB)…');
  const accuracy: AccuracyReport = await runAccuracy({ postgres: !process.argv.includes('--no-postgres') });
  writeAccuracyJson(accuracy);

  const rows: SummaryRow[] = [
    ...(['postgresql', 'mysql', 'sqlite'] as Dialect[]).map((d) => {
      const target = d === 'postgresql' ? 0.99 : 0.95;
      return { metric: `parse coverage, ${d}`, target: `>= ${target * 100}%`, actual: `${pct(coverage[d].coverage)} (${coverage[d].parsed}/${coverage[d].statements})`, pass: coverage[d].coverage >= target };
    }),
    { metric: 'corpus audit, cold (incl. WASM load)', target: '< 2 s', actual: `${ms(audit.coldMs)}${coldRange}`, pass: audit.coldMs < 2000 },
    { metric: 'corpus audit, warm', target: '< 2 s', actual: ms(audit.warmMs), pass: audit.warmMs < 2000 },
    { metric: `re-diagnosis p95 (${edit.lines}-line file)`, target: '< 50 ms', actual: `${ms(edit.p95Ms)} (p50 ${ms(edit.p50Ms)})`, pass: edit.p95Ms < 50 },
    'error' in act
      ? { metric: 'activation (load + activate)', target: '< 100 ms', actual: 'failed', pass: false }
      : { metric: 'activation (load + activate)', target: '< 100 ms', actual: `${ms(act.totalMs)} (load ${ms(act.loadMs)})`, pass: act.totalMs < 100 },
    { metric: 'dist/extension.js size', target: '< 1 MB', actual: kb(sizes.extensionBytes), pass: sizes.extensionBytes < 1024 * 1024 },
    { metric: 'dist/cli.js size', target: '—', actual: kb(sizes.cliBytes), pass: undefined },
    { metric: 'libpg-query.wasm size', target: '—', actual: kb(sizes.wasmBytes), pass: undefined },
    { metric: 'dist/node_modules (vendored grammars)', target: '—', actual: kb(sizes.vendoredBytes), pass: undefined },
  ];
  for (const o of accuracy.oracles) {
    if (o.skipped) {
      rows.push({ metric: `missing-index vs ${o.engine}`, target: '—', actual: `skipped: ${o.skipped}`, pass: undefined });
      continue;
    }
    for (const [v, s] of Object.entries(o.variants)) {
      const gated = o.oracle === 'sqlite';
      rows.push({
        metric: `missing-index P/R vs ${o.diagnostic ? 'diag. ' : ''}${o.engine.replace(/ \(sql\.js\)/, '')}, ${v}`,
        target: gated ? '>= 90% / 90%' : '—',
        actual: `${pct(s.precision)} / ${pct(s.recall)}`,
        pass: gated ? s.precision >= 0.9 && s.recall >= 0.9 : undefined,
      });
    }
  }

  log('');
  log(markdownTable(accuracy));
  for (const o of accuracy.oracles) if (o.skipped) log(`\n${o.oracle} oracle skipped: ${o.skipped}`);
  const dis = formatDisagreements(accuracy, 15);
  if (dis) log(`\n${dis}`);
  log('');
  log(summaryTable(rows));

  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, 'bench.json');
  writeFileSync(out, `${JSON.stringify({
    generatedAt: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length,
    summary: rows, parseCoverage: cov, corpusAudit: audit, reDiagnosis: edit, activation: act, bundle: sizes,
    accuracy: { ...accuracy, oracles: accuracy.oracles.map((o) => ({ ...o, variants: Object.fromEntries(Object.entries(o.variants).map(([k, s]) => [k, { ...s, disagreements: s.disagreements.length }])) })) },
  }, null, 2)}\n`);
  log(`\nwrote ${path.relative(process.cwd(), out)} and ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'accuracy.json'))}`);
}

const child = process.argv.find((a) => a.startsWith('--child='))?.slice('--child='.length);
const entry = child === 'edit' ? editLatency(Number(process.argv[process.argv.indexOf('--child=edit') + 1] ?? 50)).then((r) => console.log(JSON.stringify(r))) : child === 'audit' ? childAudit(Number(process.argv[process.argv.indexOf('--child=audit') + 1] ?? 5)) : child === 'activation' ? childActivation() : main();
entry.catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
