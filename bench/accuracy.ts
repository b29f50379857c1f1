/**
 * Accuracy of the `missing-index` rule against real query planners, on the Join Order Benchmark
 * (../shared/corpora/sql/job: IMDB schema + 113 queries), in two schema variants:
 *   - `pk`:    schema.sql alone (primary keys only)
 *   - `pk+fk`: schema.sql + fkindexes.sql (an index on every foreign-key column)
 *
 * Unit of comparison: one (query, table reference) pair, the reference named by its alias.
 *   ours:    the analyzer reports a `missing-index` finding for that reference in that query
 *            (data.alias, or data.table when the finding carries no alias).
 *   planner: the table is read in full because no usable index exists:
 *     SQLite (sql.js, EXPLAIN QUERY PLAN): `SCAN <alias>` without `USING ... INDEX` (also `SEARCH <alias>`
 *       with no USING clause, which is how a full scan under the min()/max() optimisation prints), or
 *       `SEARCH <alias> USING AUTOMATIC ... INDEX` (an index SQLite builds for the query because
 *       none exists). `SCAN <alias> USING [COVERING] INDEX` is a full index scan and not counted.
 *     PostgreSQL (15, empty un-ANALYZEd tables, enable_seqscan=off so that any usable index wins):
 *       a Seq Scan that remains, or an Index / Index Only / Bitmap Index Scan without an Index
 *       Cond on the index's leading column.
 * Positive = "needs an index". The planner's driving table (the outermost loop: SQLite's first
 * table access in plan order, PostgreSQL's outermost scan of the join tree) is read in full in any
 * plan; when that access is a scan it is excluded from both sides.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { auditSources } from '../src/analyzers/index.js';
import { defaultSettings } from '../src/kernel/settings.js';
import { ALL_RULES } from '../src/analyzers/registry.js';
import type { Dialect } from '../src/analyzers/sql/types.js';

/** The repository root (bench/ is one level down). */
export const REPO_ROOT = path.resolve(__dirname, '..');
/** The shared SQL corpus (../shared/corpora/sql beside the repository), or $PERF_AUDITOR_CORPUS. */
export const CORPUS_DIR = process.env.PERF_AUDITOR_CORPUS ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpora', 'sql');
export const JOB_DIR = path.join(CORPUS_DIR, 'job');

export type Variant = 'pk' | 'pk+fk';
export const VARIANTS: readonly Variant[] = ['pk', 'pk+fk'];

export interface JobCorpus {
  schema: string;
  fkIndexes: string;
  /** name (e.g. `10a`) → SQL text */
  queries: { name: string; text: string }[];
}

/** One table reference of a query: the alias the planners print, and the table. */
export interface Ref {
  query: string;
  alias: string;
  table: string;
}

export interface PlannerVerdict {
  /** The planner reads this table in full because no usable index exists. */
  needsIndex: boolean;
  /** The planner's driving table read in full (excluded from scoring). */
  drivingScan: boolean;
  /** The plan line(s) for this reference. */
  plan: string;
}

export interface OurVerdict {
  flagged: boolean;
  message?: string;
}

export type Verdicts<T> = Map<string, Map<string, T>>; // query → alias → verdict

export interface Disagreement {
  variant: Variant;
  query: string;
  alias: string;
  table: string;
  ours: boolean;
  planner: boolean;
  plan: string;
  message?: string;
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** References left out because they are the planner's driving scan. */
  excluded: number;
  precision: number;
  recall: number;
  disagreements: Disagreement[];
}

export interface OracleResult {
  oracle: 'sqlite' | 'postgresql' | 'postgresql-nested-loops';
  /** Set on readings that are not the oracle as defined above but explain it. */
  diagnostic?: string;
  /** e.g. `SQLite 3.49.1 (sql.js 1.16.0)` */
  engine: string;
  skipped?: string;
  variants: Partial<Record<Variant, Score>>;
}

export interface AccuracyReport {
  corpus: string;
  queries: number;
  refs: number;
  oracles: OracleResult[];
}

// ------------------------------------------------------------------------------------ corpus

export function loadJob(dir = JOB_DIR): JobCorpus {
  const queries = readdirSync(dir)
    .filter((f) => /^\d+[a-z]\.sql$/.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => ({ name: f.replace(/\.sql$/, ''), text: readFileSync(path.join(dir, f), 'utf8') }));
  return { schema: readFileSync(path.join(dir, 'schema.sql'), 'utf8'), fkIndexes: readFileSync(path.join(dir, 'fkindexes.sql'), 'utf8'), queries };
}

type PgNode = Record<string, any>;

/** Every table reference of every query, read with the real PostgreSQL parser (independent of the analyzer's model). */
export async function jobRefs(job: JobCorpus): Promise<Ref[]> {
  const pg = await import('libpg-query');
  await pg.loadModule();
  const out: Ref[] = [];
  for (const q of job.queries) {
    const seen = new Set<string>();
    const visit = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      if (Array.isArray(v)) {
        v.forEach(visit);
        return;
      }
      const n = v as PgNode;
      if (n.RangeVar) {
        const rv = n.RangeVar as PgNode;
        const table = String(rv.relname).toLowerCase();
        const alias = String((rv.alias as PgNode | undefined)?.aliasname ?? rv.relname).toLowerCase();
        if (!seen.has(alias)) out.push({ query: q.name, alias, table });
        seen.add(alias);
      }
      for (const x of Object.values(n)) visit(x);
    };
    visit(pg.parseSync(q.text));
  }
  return out;
}

// ------------------------------------------------------------------------------------ ours

/**
 * Runs the analyzer (missing-index only) over the schema variant + every query file. The dialect is
 * set to PostgreSQL, which JOB is written in (`undefined` = the engine's per-file detection).
 */
export async function analyzerVerdicts(job: JobCorpus, refs: Ref[], variant: Variant, dialect: Dialect | undefined = 'postgresql'): Promise<Verdicts<OurVerdict>> {
  const config = defaultSettings();
  for (const r of ALL_RULES) if (r.meta.id !== 'missing-index') config.rules[r.meta.id] = 'off';
  if (dialect) config.sql.dialect = dialect;
  const files = [{ path: 'job/schema.sql', text: job.schema }];
  if (variant === 'pk+fk') files.push({ path: 'job/fkindexes.sql', text: job.fkIndexes });
  for (const q of job.queries) files.push({ path: `job/${q.name}.sql`, text: q.text });
  const { findings } = await auditSources(files, config);
  const out: Verdicts<OurVerdict> = new Map();
  for (const r of refs) {
    const mine = findings.filter((f) => f.ruleId === 'missing-index' && f.file === `job/${r.query}.sql` && f.data).find((f) => {
      const d = f.data as { table?: string; alias?: string };
      return d.alias ? d.alias === r.alias : d.table === r.table;
    });
    let m = out.get(r.query);
    if (!m) out.set(r.query, (m = new Map()));
    m.set(r.alias, { flagged: !!mine, ...(mine ? { message: mine.message } : {}) });
  }
  return out;
}

// ------------------------------------------------------------------------------------ SQLite oracle

interface SqlJsDb {
  exec(sql: string): { columns: string[]; values: unknown[][] }[];
  close(): void;
}

let sqlJs: Promise<{ Database: new () => SqlJsDb }> | undefined;
function loadSqlJs(): Promise<{ Database: new () => SqlJsDb }> {
  sqlJs ??= import('sql.js').then((m) => (m.default as unknown as () => Promise<{ Database: new () => SqlJsDb }>)());
  return sqlJs;
}

export async function sqliteVersion(): Promise<string> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    return String(db.exec('SELECT sqlite_version()')[0].values[0][0]);
  } finally {
    db.close();
  }
}

/** Classifies one EXPLAIN QUERY PLAN detail line: the alias it reads and whether it is a scan for lack of an index. */
export function classifySqlitePlanLine(detail: string): { alias: string; access: 'scan' | 'full-index-scan' | 'automatic-index' | 'index' } | undefined {
  const m = /^(SCAN|SEARCH) (\S+)(?: AS (\S+))?(.*)$/.exec(detail);
  if (!m || m[2].startsWith('(')) return undefined; // (subquery-N), CTE co-routines are not tables
  const alias = (m[3] ?? m[2]).toLowerCase();
  const rest = m[4] ?? '';
  if (m[1] === 'SCAN') {
    if (/\bUSING (?:COVERING )?INDEX\b/.test(rest)) return { alias, access: 'full-index-scan' };
    if (/\bVIRTUAL TABLE\b/.test(rest)) return undefined;
    return { alias, access: 'scan' };
  }
  if (/\bAUTOMATIC\b/.test(rest)) return { alias, access: 'automatic-index' };
  // `SEARCH t` with no USING clause is a full table scan labelled SEARCH because of the min()/max()
  // optimisation (`SELECT MIN(a) FROM t` explains as `SEARCH t`).
  if (!/\bUSING\b/.test(rest)) return { alias, access: 'scan' };
  return { alias, access: 'index' };
}

export async function sqliteVerdicts(job: JobCorpus, variant: Variant): Promise<Verdicts<PlannerVerdict>> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  const out: Verdicts<PlannerVerdict> = new Map();
  try {
    // The JOB schema (integer / text / character varying(n), inline PRIMARY KEY) is valid SQLite as written.
    db.exec(job.schema);
    if (variant === 'pk+fk') db.exec(job.fkIndexes);
    for (const q of job.queries) {
      const rows = db.exec(`EXPLAIN QUERY PLAN ${q.text.replace(/;\s*$/, '')}`)[0]?.values ?? [];
      const m = new Map<string, PlannerVerdict>();
      let first = true;
      for (const row of rows) {
        const detail = String(row[3]);
        const c = classifySqlitePlanLine(detail);
        if (!c) continue;
        const needs = c.access === 'scan' || c.access === 'automatic-index';
        // The outermost loop reads its table in full (a plain or full-index scan) whatever the indexes.
        const driving = first && (c.access === 'scan' || c.access === 'full-index-scan');
        first = false;
        const cur = m.get(c.alias);
        m.set(c.alias, cur
          ? { needsIndex: cur.needsIndex || (needs && !driving), drivingScan: cur.drivingScan && !(needs && !driving), plan: `${cur.plan}; ${detail}` }
          : { needsIndex: needs && !driving, drivingScan: driving, plan: detail });
      }
      out.set(q.name, m);
    }
  } finally {
    db.close();
  }
  return out;
}

// ------------------------------------------------------------------------------------ PostgreSQL oracle

export interface PgCluster {
  port: number;
  dir: string;
  bin: string;
  version: string;
  psql(db: string, sql: string): string;
  stop(): void;
}

/** Directory of initdb/pg_ctl/postgres (Debian: /usr/lib/postgresql/<v>/bin), or undefined. */
export function findPostgresBin(): string | undefined {
  const env = process.env.PG_BIN;
  if (env && existsSync(path.join(env, 'pg_ctl'))) return env;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(base, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? path.dirname(which.stdout.trim()) : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throw-away PostgreSQL cluster in a temp dir, listening on 127.0.0.1 only (and a socket
 * in that dir). As root the server runs as the `postgres` user (initdb refuses root).
 */
export async function startPostgres(bin: string): Promise<PgCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-auditor-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): void => {
    const full = asRoot ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args;
    const r = spawnSync(asRoot ? 'runuser' : path.join(bin, cmd), full, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout || r.error?.message}`);
  };
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gw = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (pw.status !== 0) throw new Error('running as root and there is no postgres user to run the server');
    chownSync(dir, Number(pw.stdout.trim()), Number(gw.stdout.trim()));
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '-N']);
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c autovacuum=off`, 'start']);
  const psqlBin = existsSync(path.join(bin, 'psql')) ? path.join(bin, 'psql') : 'psql';
  const cluster: PgCluster = {
    port, dir, bin, version: '',
    psql(db, sql) {
      const r = spawnSync(psqlBin, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-f', '-'], { input: sql, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr || r.error?.message}`);
      return r.stdout;
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    cluster.version = cluster.psql('postgres', 'SHOW server_version;').trim();
  } catch (e) {
    cluster.stop();
    throw e;
  }
  return cluster;
}

interface PgScan {
  alias: string;
  table: string;
  needsIndex: boolean;
  line: string;
}

/** Scan nodes of a PostgreSQL JSON plan, in join-tree order (outer before inner). */
export function pgScans(plan: PgNode, leadingColumn: (index: string) => string | undefined): PgScan[] {
  const out: PgScan[] = [];
  const condUsesLeading = (index: string | undefined, cond: string | undefined): boolean => {
    if (!cond) return false;
    const lead = index ? leadingColumn(index) : undefined;
    if (!lead) return true;
    // PostgreSQL prints the index column first: `(id = mc.movie_id)`, `((kind)::text = 'x'::text)`.
    const re = new RegExp(`\\(+"?${lead.replace(/[^a-z0-9_]/gi, '')}"?\\)?(?:::[a-z ]+\\)?)?\\s*(?:=|<|>|<=|>=|~|IS|@|&&|<@|@>|\\?)`, 'i');
    return re.test(cond);
  };
  const visit = (n: PgNode): void => {
    const type = String(n['Node Type']);
    const rel = n['Relation Name'] as string | undefined;
    if (rel) {
      const alias = String(n.Alias ?? rel).toLowerCase();
      let needs: boolean;
      let line = `${type}${n['Index Name'] ? ` using ${n['Index Name']}` : ''} on ${rel} ${alias}`;
      if (type === 'Seq Scan') needs = true;
      else if (type === 'Index Scan' || type === 'Index Only Scan') {
        needs = !condUsesLeading(n['Index Name'] as string, n['Index Cond'] as string | undefined);
        line += n['Index Cond'] ? ` (Index Cond: ${n['Index Cond']})` : ' (no Index Cond)';
      } else if (type === 'Bitmap Heap Scan') {
        const idx: PgNode[] = [];
        const collect = (x: PgNode): void => {
          if (x['Node Type'] === 'Bitmap Index Scan') idx.push(x);
          for (const c of (x.Plans ?? []) as PgNode[]) collect(c);
        };
        for (const c of (n.Plans ?? []) as PgNode[]) collect(c);
        needs = !idx.some((x) => condUsesLeading(x['Index Name'] as string, x['Index Cond'] as string | undefined));
        line += ` (${idx.map((x) => `${x['Index Name']}: ${x['Index Cond'] ?? 'no Index Cond'}`).join(', ')})`;
        out.push({ alias, table: rel.toLowerCase(), needsIndex: needs, line });
        return;
      } else needs = false; // Tid Scan, Sample Scan...
      if (n.Filter) line += ` Filter: ${n.Filter}`;
      out.push({ alias, table: rel.toLowerCase(), needsIndex: needs, line });
    }
    // Outer before inner; InitPlans / SubPlans (run separately) after the join tree.
    const kids = [...((n.Plans ?? []) as PgNode[])].sort((a, b) => rank(a) - rank(b));
    for (const c of kids) visit(c);
  };
  const rank = (c: PgNode): number => (/^(?:InitPlan|SubPlan)$/.test(String(c['Parent Relationship'])) ? 1 : 0);
  visit(plan);
  return out;
}

const PG_MARK = '@@perf-auditor-query@@';

export function postgresVerdicts(job: JobCorpus, cluster: PgCluster, variant: Variant, settings: string[] = []): Verdicts<PlannerVerdict> {
  const db = variant === 'pk' ? 'job_pk' : 'job_fk';
  cluster.psql('postgres', `DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db};`);
  cluster.psql(db, job.schema + (variant === 'pk+fk' ? `\n${job.fkIndexes}` : ''));
  const leading = new Map<string, string>();
  for (const line of cluster.psql(db, `SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public';`).split('\n')) {
    const [idx, col] = line.split('|');
    if (idx && col) leading.set(idx, col);
  }
  const script = ['SET enable_seqscan = off;', 'SET max_parallel_workers_per_gather = 0;', ...settings.map((x) => `SET ${x};`)];
  for (const q of job.queries) script.push(`\\echo ${PG_MARK} ${q.name}`, `EXPLAIN (FORMAT JSON) ${q.text.replace(/;\s*$/, '')};`);
  const outText = cluster.psql(db, script.join('\n'));
  const out: Verdicts<PlannerVerdict> = new Map();
  for (const chunk of outText.split(`${PG_MARK} `).slice(1)) {
    const nl = chunk.indexOf('\n');
    const name = chunk.slice(0, nl).trim();
    const plan = (JSON.parse(chunk.slice(nl + 1)) as PgNode[])[0].Plan as PgNode;
    const scans = pgScans(plan, (i) => leading.get(i));
    const m = new Map<string, PlannerVerdict>();
    scans.forEach((s, k) => {
      const driving = k === 0 && s.needsIndex;
      const cur = m.get(s.alias);
      m.set(s.alias, cur
        ? { needsIndex: cur.needsIndex || (s.needsIndex && !driving), drivingScan: cur.drivingScan && !s.needsIndex, plan: `${cur.plan}; ${s.line}` }
        : { needsIndex: s.needsIndex && !driving, drivingScan: driving, plan: s.line });
    });
    out.set(name, m);
  }
  cluster.psql('postgres', `DROP DATABASE ${db};`);
  return out;
}

// ------------------------------------------------------------------------------------ scoring

export function score(refs: Ref[], variant: Variant, ours: Verdicts<OurVerdict>, planner: Verdicts<PlannerVerdict>): Score {
  const s: Score = { tp: 0, fp: 0, fn: 0, tn: 0, excluded: 0, precision: 0, recall: 0, disagreements: [] };
  for (const r of refs) {
    const p = planner.get(r.query)?.get(r.alias);
    const o = ours.get(r.query)?.get(r.alias);
    if (!p || !o) throw new Error(`no verdict for ${r.query} ${r.alias} (planner: ${!!p}, ours: ${!!o})`);
    if (p.drivingScan) {
      s.excluded++;
      continue;
    }
    if (o.flagged && p.needsIndex) s.tp++;
    else if (o.flagged) s.fp++;
    else if (p.needsIndex) s.fn++;
    else s.tn++;
    if (o.flagged !== p.needsIndex) {
      s.disagreements.push({ variant, query: r.query, alias: r.alias, table: r.table, ours: o.flagged, planner: p.needsIndex, plan: p.plan, ...(o.message ? { message: o.message } : {}) });
    }
  }
  s.precision = s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1;
  s.recall = s.tp + s.fn ? s.tp / (s.tp + s.fn) : 1;
  return s;
}

export interface AccuracyOptions {
  /** Run the PostgreSQL oracle (needs the server binaries). Default true. */
  postgres?: boolean;
  /** Add the PostgreSQL nested-loops-only diagnostic reading. Default true. */
  diagnostic?: boolean;
  dir?: string;
}

export async function sqliteAccuracy(job: JobCorpus, refs: Ref[]): Promise<OracleResult> {
  const res: OracleResult = { oracle: 'sqlite', engine: `SQLite ${await sqliteVersion()} (sql.js)`, variants: {} };
  for (const v of VARIANTS) res.variants[v] = score(refs, v, await analyzerVerdicts(job, refs, v), await sqliteVerdicts(job, v));
  return res;
}

/**
 * The PostgreSQL oracle, plus (with `diagnostic`) a second reading with hash and merge joins
 * disabled: it tells apart "no index could serve this table" from "PostgreSQL preferred to hash
 * the whole table over probing a usable index". It is reported separately and never replaces the
 * oracle.
 */
export async function postgresAccuracy(job: JobCorpus, refs: Ref[], diagnostic = true): Promise<OracleResult[]> {
  const bin = findPostgresBin();
  if (!bin) return [{ oracle: 'postgresql', engine: 'PostgreSQL', skipped: 'PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)', variants: {} }];
  let cluster: PgCluster;
  try {
    cluster = await startPostgres(bin);
  } catch (e) {
    return [{ oracle: 'postgresql', engine: 'PostgreSQL', skipped: `could not start a PostgreSQL cluster: ${(e as Error).message.split('\n')[0]}`, variants: {} }];
  }
  try {
    const main: OracleResult = { oracle: 'postgresql', engine: `PostgreSQL ${cluster.version.replace(/ \(.*$/, '')}`, variants: {} };
    const nl: OracleResult = { oracle: 'postgresql-nested-loops', engine: `PostgreSQL ${cluster.version.replace(/ \(.*$/, '')}, nested loops only`, diagnostic: 'enable_hashjoin = off, enable_mergejoin = off', variants: {} };
    for (const v of VARIANTS) {
      const ours = await analyzerVerdicts(job, refs, v);
      main.variants[v] = score(refs, v, ours, postgresVerdicts(job, cluster, v));
      if (diagnostic) nl.variants[v] = score(refs, v, ours, postgresVerdicts(job, cluster, v, ['enable_hashjoin = off', 'enable_mergejoin = off']));
    }
    return diagnostic ? [main, nl] : [main];
  } finally {
    cluster.stop();
  }
}

export async function runAccuracy(opts: AccuracyOptions = {}): Promise<AccuracyReport> {
  const job = loadJob(opts.dir);
  const refs = await jobRefs(job);
  const oracles = [await sqliteAccuracy(job, refs)];
  if (opts.postgres !== false) oracles.push(...(await postgresAccuracy(job, refs, opts.diagnostic !== false)));
  return { corpus: 'JOB (join-order-benchmark, 113 queries)', queries: job.queries.length, refs: refs.length, oracles };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function markdownTable(report: AccuracyReport): string {
  const lines = [
    `missing-index vs. query planners — ${report.corpus}, ${report.refs} table references`,
    '',
    '| oracle | schema | TP | FP | FN | TN | excluded (driving scan) | precision | recall |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const o of report.oracles) {
    if (o.skipped) {
      lines.push(`| ${o.engine} | — | | | | | | skipped: ${o.skipped} | |`);
      continue;
    }
    for (const v of VARIANTS) {
      const s = o.variants[v];
      if (!s) continue;
      lines.push(`| ${o.diagnostic ? `*diagnostic:* ${o.engine}` : o.engine} | ${v === 'pk' ? 'PKs only' : 'PKs + FK indexes'} | ${s.tp} | ${s.fp} | ${s.fn} | ${s.tn} | ${s.excluded} | ${pct(s.precision)} | ${pct(s.recall)} |`);
    }
  }
  return lines.join('\n');
}

export function formatDisagreements(report: AccuracyReport, limit = Infinity): string {
  const lines: string[] = [];
  for (const o of report.oracles) {
    for (const v of VARIANTS) {
      const s = o.variants[v];
      if (!s?.disagreements.length) continue;
      lines.push(`${o.oracle} / ${v}: ${s.disagreements.length} disagreements`);
      for (const d of s.disagreements.slice(0, limit)) {
        lines.push(`  ${d.query.padEnd(4)} ${`${d.alias} (${d.table})`.padEnd(28)} ours=${d.ours ? 'index' : 'ok   '} planner=${d.planner ? 'index' : 'ok   '}  plan: ${d.plan}`);
      }
      if (s.disagreements.length > limit) lines.push(`  … ${s.disagreements.length - limit} more`);
    }
  }
  return lines.join('\n');
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

/** Writes bench/results/accuracy.json (git-ignored). Returns its path. */
export function writeAccuracyJson(report: AccuracyReport): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'accuracy.json');
  writeFileSync(file, `${JSON.stringify({ generatedAt: new Date().toISOString(), ...report }, null, 2)}\n`);
  return file;
}

/** `node --import tsx bench/accuracy.ts [--no-postgres] [--all]`: prints the table and the disagreements, writes accuracy.json. */
async function main(): Promise<void> {
  const report = await runAccuracy({ postgres: !process.argv.includes('--no-postgres') });
  console.log(markdownTable(report));
  console.log(`\nwrote ${path.relative(process.cwd(), writeAccuracyJson(report))}`);
  for (const o of report.oracles) if (o.skipped) console.log(`\n${o.oracle} oracle skipped: ${o.skipped}`);
  const d = formatDisagreements(report, process.argv.includes('--all') ? Infinity : 25);
  if (d) console.log(`\n${d}`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
