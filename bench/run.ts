/**
 * `npm run bench` (= build, then `node --import tsx bench/run.ts`): measures the numbers the README
 * quotes and writes bench/results/bench.json (+ accuracy.json):
 *   (a) parse coverage of ../shared/corpora/sql per dialect, with the engine's own splitter and parsers
 *   (b) full corpus audit time through AuditEngine: cold (median of 7 fresh processes, incl. WASM load) and warm
 *   (c) re-diagnosis latency of a 5,000-line SQL file after a one-statement edit (p50 / p95 of 50)
 *   (d) extension activation: load dist/extension.js and call activate() with a stub `vscode` API
 *   (e) bundle sizes of dist/extension.js, dist/cli.js and the parser's .wasm
 *   (f) missing-index accuracy against SQLite (sql.js) and PostgreSQL (when installed), see accuracy.ts
 *   (g) ORM analysis overhead: the built CLI on the ORM applications of the real-world cache
 *       (test/realworld/repos.tsv, fetched by `npm run eval:realworld`), with `sql.orm` on and off
 *
 * Options: --no-postgres (skip the PostgreSQL oracle), --quick (fewer repetitions),
 * --realworld DIR (the real-world cache; else $PERF_AUDITOR_REALWORLD_DIR, else
 * ~/.cache/perf-auditor/realworld), --only orm (run (g) alone and update its part of bench.json).
 * Internal: --child=audit N | --child=activation | --child=edit N run one measurement in this process
 * and print it as JSON (the bench spawns them so that "cold" means a fresh process).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
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

// ------------------------------------------------------------------------------------ (g) ORM analysis overhead

/** The applications of test/realworld/repos.tsv whose queries are ORM calls (folder names in the cache). */
export const ORM_APPS = ['outline+outline', 'netbox-community+netbox', 'documenso+documenso', 'umami-software+umami', 'healthchecks+healthchecks'] as const;
/** Issue #15: ORM analysis adds at most this much to the audit time of the largest of them. */
export const ORM_OVERHEAD_TARGET = 0.3;

export interface OrmAppTiming {
  app: string;
  /** Files in the checkout (without .git): "largest" is by this count. */
  files: number;
  /** Files the audit read (stats.files). */
  auditedFiles: number;
  /** Wall time of `node dist/cli.js DIR --format json --fail-on none --no-bundle`, median of the runs. */
  onMs: number;
  offMs: number;
  /** offMs → onMs: what ORM analysis adds. */
  ratio: number;
  /** The engine's own time (stats.durationMs: the audit without process start and reading the files). */
  engineOnMs: number;
  engineOffMs: number;
  engineRatio: number;
  runs: { onMs: number[]; offMs: number[]; engineOnMs: number[]; engineOffMs: number[] };
  findingsOn: number;
  findingsOff: number;
  /** Findings about ORM calls (data.orm) with the setting on; 0 with it off. */
  ormFindingsOn: number;
  ormFindingsOff: number;
}

export interface OrmOverhead {
  cache: string;
  method: string;
  apps: OrmAppTiming[];
  missing: string[];
  largest?: string;
  /** Whether the largest application's ratio is at most 1 + ORM_OVERHEAD_TARGET. */
  pass?: boolean;
  skipped?: string;
}

export function realworldCache(argv: readonly string[] = process.argv): string {
  const i = argv.indexOf('--realworld');
  return path.resolve(i >= 0 && argv[i + 1] ? argv[i + 1] : process.env.PERF_AUDITOR_REALWORLD_DIR ?? path.join(os.homedir(), '.cache', 'perf-auditor', 'realworld'));
}

/**
 * A copy of `src` (without .git) at `dest` made of hard links (a plain copy across file systems),
 * symbolic links kept as links: the same files for the audit, plus a .perfauditrc.json of our own,
 * without writing into the cache. Returns the number of files.
 */
function linkTree(src: string, dest: string): number {
  let n = 0;
  let link = true;
  const walk = (rel: string): void => {
    mkdirSync(path.join(dest, rel), { recursive: true });
    for (const ent of readdirSync(path.join(src, rel), { withFileTypes: true })) {
      if (!rel && ent.name === '.git') continue;
      const r = path.join(rel, ent.name);
      const from = path.join(src, r);
      const to = path.join(dest, r);
      if (ent.isDirectory()) walk(r);
      else if (ent.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
      else if (ent.isFile()) {
        n++;
        if (link) {
          try {
            linkSync(from, to);
            continue;
          } catch {
            link = false; // another file system: copy from now on
          }
        }
        copyFileSync(from, to);
      }
    }
  };
  walk('');
  return n;
}

interface CliRun {
  ms: number;
  engineMs: number;
  files: number;
  findings: number;
  ormFindings: number;
}

function runCli(dir: string): CliRun {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, dir, '--format', 'json', '--fail-on', 'none', '--no-bundle', '--no-color'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`perf-audit failed on ${dir} (${r.status}): ${r.stderr.slice(0, 500)}`);
  const out = JSON.parse(r.stdout) as { stats: { files: number; durationMs: number }; findings: { data?: { orm?: unknown } }[] };
  return { ms, engineMs: out.stats.durationMs, files: out.stats.files, findings: out.findings.length, ormFindings: out.findings.filter((f) => f.data?.orm !== undefined).length };
}

/**
 * Each ORM application present in the cache, audited by the built CLI `runs` times with ORM analysis
 * on and `runs` times off, alternately (the machine's speed drifts); medians. The CLI reads settings
 * from the audited folder's .perfauditrc.json only, so each checkout is mirrored (hard links) into a
 * temporary folder where the bench writes `{ "sql": { "orm": false } }` for the "off" runs.
 */
export function ormOverhead(cache: string, runs = 3, log: (s: string) => void = () => {}): OrmOverhead {
  const method = `built CLI (node dist/cli.js DIR --format json --fail-on none --no-bundle), wall time, median of ${runs} runs each, on/off alternating; "off" = .perfauditrc.json { "sql": { "orm": false } } in a hard-linked copy of the checkout`;
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'cli.js'))) return { cache, method, apps: [], missing: [], skipped: 'dist/cli.js not built (npm run build)' };
  const present = ORM_APPS.filter((a) => existsSync(path.join(cache, a)));
  const missing = ORM_APPS.filter((a) => !present.includes(a));
  if (!present.length) return { cache, method, apps: [], missing, skipped: `no ORM application under ${cache} (npm run eval:realworld fetches them; or --realworld DIR / PERF_AUDITOR_REALWORLD_DIR)` };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'perf-auditor-bench-orm-'));
  const apps: OrmAppTiming[] = [];
  try {
    for (const app of present) {
      const dir = path.join(tmp, app);
      const files = linkTree(path.join(cache, app), dir);
      const rc = path.join(dir, '.perfauditrc.json');
      if (existsSync(rc)) throw new Error(`${app} has its own .perfauditrc.json: the bench would replace it`);
      const on: CliRun[] = [];
      const off: CliRun[] = [];
      for (let i = 0; i < runs; i++) {
        rmSync(rc, { force: true });
        on.push(runCli(dir));
        writeFileSync(rc, '{ "sql": { "orm": false } }\n');
        off.push(runCli(dir));
      }
      const m = (xs: CliRun[], k: 'ms' | 'engineMs'): number => median(xs.map((x) => x[k]));
      const t: OrmAppTiming = {
        app, files, auditedFiles: on[0].files,
        onMs: m(on, 'ms'), offMs: m(off, 'ms'), ratio: m(on, 'ms') / m(off, 'ms'),
        engineOnMs: m(on, 'engineMs'), engineOffMs: m(off, 'engineMs'), engineRatio: m(on, 'engineMs') / m(off, 'engineMs'),
        runs: { onMs: on.map((x) => x.ms), offMs: off.map((x) => x.ms), engineOnMs: on.map((x) => x.engineMs), engineOffMs: off.map((x) => x.engineMs) },
        findingsOn: on[0].findings, findingsOff: off[0].findings, ormFindingsOn: on[0].ormFindings, ormFindingsOff: off[0].ormFindings,
      };
      apps.push(t);
      log(`  ${app.padEnd(26)} ${String(files).padStart(5)} files: ORM on ${ms(t.onMs)}, off ${ms(t.offMs)} → +${pct(t.ratio - 1)} (engine ${ms(t.engineOnMs)} vs ${ms(t.engineOffMs)}, +${pct(t.engineRatio - 1)}); findings ${t.findingsOn} (${t.ormFindingsOn} on ORM calls) vs ${t.findingsOff}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const largest = [...apps].sort((a, b) => b.files - a.files)[0];
  return { cache, method, apps, missing, largest: largest.app, pass: largest.ratio <= 1 + ORM_OVERHEAD_TARGET };
}

function ormRows(orm: OrmOverhead): SummaryRow[] {
  if (orm.skipped) return [{ metric: 'ORM analysis overhead (largest ORM app)', target: `<= +${ORM_OVERHEAD_TARGET * 100}%`, actual: `skipped: ${orm.skipped}`, pass: undefined }];
  const largest = orm.apps.find((a) => a.app === orm.largest)!;
  return [{
    metric: `ORM analysis overhead, ${largest.app} (largest, ${largest.files} files)`, target: `<= +${ORM_OVERHEAD_TARGET * 100}%`,
    actual: `+${pct(largest.ratio - 1)} (${ms(largest.onMs)} on vs ${ms(largest.offMs)} off)`, pass: orm.pass,
  }];
}

function logOrm(orm: OrmOverhead, log: (s: string) => void): void {
  if (orm.skipped) log(`  skipped: ${orm.skipped}`);
  if (orm.missing.length && !orm.skipped) log(`  not in the cache: ${orm.missing.join(', ')}`);
  if (orm.largest) log(`  largest: ${orm.largest}: ${orm.pass ? 'within' : 'OVER'} +${ORM_OVERHEAD_TARGET * 100}%`);
}

/** `--only orm`: (g) alone; its part of bench/results/bench.json is replaced, the rest kept. */
function mainOrmOnly(): void {
  const log = (s: string): void => console.log(s);
  const cache = realworldCache();
  log(`(g) ORM analysis overhead (${cache})…`);
  const orm = ormOverhead(cache, 3, log);
  logOrm(orm, log);
  const rows = ormRows(orm);
  log('');
  log(summaryTable(rows));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, 'bench.json');
  let prev: { summary?: SummaryRow[] } & Record<string, unknown> = {};
  try {
    prev = JSON.parse(readFileSync(out, 'utf8')) as typeof prev;
  } catch {
    // no earlier results: write (g) alone
  }
  const summary = [...(prev.summary ?? []).filter((r) => !r.metric.startsWith('ORM analysis overhead')), ...rows];
  writeFileSync(out, `${JSON.stringify({ ...prev, generatedAt: prev.generatedAt ?? new Date().toISOString(), node: process.version, summary, ormOverhead: { ...orm, generatedAt: new Date().toISOString() } }, null, 2)}\n`);
  log(`\nwrote ${path.relative(process.cwd(), out)}`);
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

  log(`(g) ORM analysis overhead (${realworldCache()})…`);
  const orm = ormOverhead(realworldCache(), 3, log);
  logOrm(orm, log);

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
    ...ormRows(orm),
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
    summary: rows, parseCoverage: cov, corpusAudit: audit, reDiagnosis: edit, activation: act, bundle: sizes, ormOverhead: orm,
    accuracy: { ...accuracy, oracles: accuracy.oracles.map((o) => ({ ...o, variants: Object.fromEntries(Object.entries(o.variants).map(([k, s]) => [k, { ...s, disagreements: s.disagreements.length }])) })) },
  }, null, 2)}\n`);
  log(`\nwrote ${path.relative(process.cwd(), out)} and ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'accuracy.json'))}`);
}

/** `--only NAME`: the one measurement to run (only `orm` so far). */
function onlyArg(): string | undefined {
  const i = process.argv.indexOf('--only');
  const v = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (v !== undefined && v !== 'orm') throw new Error(`--only ${v}: unknown measurement (known: orm)`);
  return v;
}

const child = process.argv.find((a) => a.startsWith('--child='))?.slice('--child='.length);
const entry = child === 'edit' ? editLatency(Number(process.argv[process.argv.indexOf('--child=edit') + 1] ?? 50)).then((r) => console.log(JSON.stringify(r))) : child === 'audit' ? childAudit(Number(process.argv[process.argv.indexOf('--child=audit') + 1] ?? 5)) : child === 'activation' ? childActivation() : onlyArg() === 'orm' ? Promise.resolve().then(mainOrmOnly) : main();
entry.catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
