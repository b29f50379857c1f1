/**
 * Where a new migration goes so that the project's migration tool runs it, in that tool's naming:
 *
 *   diesel            migrations/YYYY-MM-DD-HHMMSS_name/up.sql + down.sql (+ metadata.toml to run
 *                     CREATE INDEX CONCURRENTLY outside diesel's transaction)
 *   folder per migration  <stamp>_name/up.sql + down.sql (same stamp style as the others)
 *   Prisma            migrations/<timestamp>_name/migration.sql
 *   golang-migrate / sqlx pairs  NNNNNN_name.up.sql + NNNNNN_name.down.sql
 *   Flyway            V<n>__name.sql
 *   numbered files    001_name.sql, 20240101120000_name.sql, 001.sql
 *   versioned folders <version>/NN__name.sql under a folder of versions (memos), plus the full
 *                     schema beside them (LATEST.sql) for new installs
 *   knex / Sequelize  a JavaScript / TypeScript migration running the SQL (knex.schema.raw /
 *                     queryInterface.sequelize.query), with its down
 *
 * A migrations folder whose naming is not recognised gets a timestamped file, and a plain schema
 * file the statement appended after the table; `why` says which and why.
 */
import type { TableDef } from './types.js';
import type { ParsedSqlFile } from './analyze.js';

export interface MigrationPlace {
  kind: 'new-file' | 'append';
  file: string;
  /** For append: the offset to insert at. */
  offset?: number;
  /** The tool or layout recognised (shown in the fix title). */
  tool?: string;
  /** The down migration the tool expects beside the up one. */
  down?: string;
  /** diesel's metadata.toml (run outside a transaction), when needed. */
  metadata?: string;
  /** Timestamped files as sqlx names them: sqlx runs a migration in a transaction unless it starts with `-- no-transaction`. */
  sqlxStamp?: boolean;
  /** The migration is JavaScript / TypeScript for this tool, or SQL with up and down sections in one file (goose, dbmate). */
  format?: 'knex' | 'sequelize' | 'goose' | 'dbmate';
  /** A full-schema file for new installs that gets the statement too (memos' LATEST.sql). */
  latest?: { file: string; offset: number };
  /** Why the file goes there, when no tool's layout was recognised. */
  why?: string;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}
function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
const join = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);

const filesByDir = new WeakMap<readonly ParsedSqlFile[], Map<string, ParsedSqlFile[]>>();

/** The parsed files (SQL and code) directly in `dir`, indexed once per file list. */
function filesIn(allFiles: readonly ParsedSqlFile[], dir: string): ParsedSqlFile[] {
  let byDir = filesByDir.get(allFiles);
  if (!byDir) {
    byDir = new Map();
    for (const f of allFiles) {
      const d = dirname(f.path);
      const list = byDir.get(d);
      if (list) list.push(f);
      else byDir.set(d, [f]);
    }
    filesByDir.set(allFiles, byDir);
  }
  return byDir.get(dir) ?? [];
}

function stamp(digits: number, now: Date): string {
  const iso = now.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return digits <= 14 ? iso.slice(0, digits) : iso.padEnd(digits, '0');
}

/** diesel's YYYY-MM-DD-HHMMSS. */
function dieselStamp(now: Date): string {
  const s = stamp(14, now);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}-${s.slice(8)}`;
}

function versionCompare(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let k = 0; k < Math.max(x.length, y.length); k++) if ((x[k] ?? 0) !== (y[k] ?? 0)) return (x[k] ?? 0) - (y[k] ?? 0);
  return 0;
}

const VERSION_DIR = /^v?\d+(?:\.\d+)+$/;

/**
 * Where a new index on the table `def` belongs (see the module comment). `exists` tells whether a
 * workspace file exists; `slug` names the migration.
 */
export function placeMigration(def: TableDef, allFiles: readonly ParsedSqlFile[], slug: string, exists: (p: string) => boolean, now: Date, appendAfter: () => number, textOf: (p: string) => string | undefined = () => undefined): MigrationPlace {
  const dir = dirname(def.file);
  const base = basename(def.file);
  const parent = dirname(dir);
  const folder = basename(dir);
  // One folder per migration: <stamp>_<name>/migration.sql (Prisma) or …/up.sql (diesel and others)
  const stampOf = /^(\d{4}-\d{2}-\d{2}-\d{6}|\d{8,})_/.exec(folder);
  if (stampOf && (base === 'migration.sql' || base === 'up.sql')) {
    const diesel = stampOf[1].includes('-');
    const pick = (s: string): string => join(parent, `${s}_${slug}`);
    let s = diesel ? dieselStamp(now) : stamp(stampOf[1].length, now);
    while (exists(join(pick(s), base))) s = diesel ? `${s.slice(0, -2)}${String(Number(s.slice(-2)) + 1).padStart(2, '0')}` : String(BigInt(s) + 1n);
    const folderPath = pick(s);
    if (base === 'migration.sql') return { kind: 'new-file', file: join(folderPath, 'migration.sql'), tool: 'Prisma' };
    const hasDown = filesIn(allFiles, dir).some((f) => basename(f.path) === 'down.sql') || diesel;
    return { kind: 'new-file', file: join(folderPath, 'up.sql'), tool: diesel ? 'diesel' : 'up/down folders', ...(hasDown ? { down: join(folderPath, 'down.sql') } : {}), ...(diesel ? { metadata: join(folderPath, 'metadata.toml') } : {}) };
  }
  // Versioned folders: <root>/<version>/NN__name.sql, with a full schema file beside the versions
  const versioned = versionedPlace(def, allFiles, slug, exists, appendAfter);
  if (versioned) return versioned;
  const siblings = filesIn(allFiles, dir);
  const inMigrations = /migrat/i.test(dir);
  // JavaScript / TypeScript migrations (knex, Sequelize): the table was created by SQL in one of them
  const code = siblings.filter((f) => f.kind === 'code');
  const defFile = siblings.find((f) => f.path === def.file);
  if (defFile?.kind === 'code' && inMigrations) {
    const numbered = code.map((f) => /^(\d+)([-_])[^.]*(\.[cm]?[jt]s)$/.exec(basename(f.path))).filter((m): m is RegExpExecArray => !!m);
    const ext = /\.[cm]?[jt]s$/.exec(base)?.[0] ?? '.js';
    const sep = numbered[0]?.[2] ?? '_';
    const width = numbered.length ? Math.max(...numbered.map((m) => m[1].length)) : 14;
    const next = (): string => (width >= 12 ? stamp(width, now) : String(Math.max(0, ...numbered.map((m) => Number(m[1]))) + 1).padStart(width, '0'));
    let n = next();
    while (exists(join(dir, `${n}${sep}${slug}${ext}`))) n = String(BigInt(n) + 1n).padStart(width, '0');
    const sequelize = /\bqueryInterface\b|\bSequelize\b/.test(textOf(def.file) ?? '');
    return { kind: 'new-file', file: join(dir, `${n}${sep}${slug}${ext}`), format: sequelize ? 'sequelize' : 'knex', tool: sequelize ? 'Sequelize' : 'knex' };
  }
  // 001_init.sql, 20240101120000-init.sql, 001.sql, 001_x.up.sql, V1__init.sql (Flyway)
  const sqlNames = siblings.filter((f) => f.kind === 'sql').map((f) => basename(f.path));
  const numbered = sqlNames.map((n) => /^(V?)(\d+)(?:(__|[_-])|(?=\.))/.exec(n)).filter((m): m is RegExpExecArray => !!m);
  if (numbered.length && (numbered.length === sqlNames.length || inMigrations)) {
    const width = Math.max(...numbered.map((m) => m[2].length));
    const last = numbered.reduce((a, b) => (Number(b[2]) >= Number(a[2]) ? b : a));
    const lead = last[1];
    const sep = last[3];
    const pairs = sqlNames.some((n) => /\.up\.sql$/i.test(n));
    const downs = sqlNames.some((n) => /\.down\.sql$/i.test(n));
    // goose and dbmate keep up and down in one file, between annotations
    const annotated = textOf(def.file) ?? '';
    const sections = /^--\s*\+goose\s+up\b/im.test(annotated) ? 'goose' : /^--\s*migrate:up\b/im.test(annotated) ? 'dbmate' : undefined;
    const tool = lead ? 'Flyway' : pairs ? 'up/down pairs (golang-migrate, sqlx)' : sections ?? 'numbered migrations';
    // Files named by their number alone (001.sql) get a number alone.
    const pick = (prefix: string, suffix = pairs ? '.up.sql' : '.sql'): string => join(dir, `${lead}${prefix}${sep ? `${sep}${slug}` : ''}${suffix}`);
    let prefix: string;
    if (width >= 12) {
      prefix = stamp(width, now);
      while (exists(pick(prefix))) prefix = String(BigInt(prefix) + 1n);
    } else {
      let next = Math.max(...numbered.map((m) => Number(m[2]))) + 1;
      while (exists(pick(String(next).padStart(lead ? 0 : width, '0')))) next++;
      prefix = String(next).padStart(lead ? 0 : width, '0');
    }
    return { kind: 'new-file', file: pick(prefix), tool, ...(pairs && downs ? { down: pick(prefix, '.down.sql') } : {}), ...(sections && !pairs ? { format: sections } : {}), ...(width >= 14 && !lead && !sections && sep === '_' ? { sqlxStamp: true } : {}) };
  }
  // A migration that has been applied is never edited: a migrations folder without a numbering
  // scheme we know gets a new timestamped file.
  if (inMigrations) {
    let s = stamp(14, now);
    const pick = (p: string): string => join(dir, `${p}_${slug}.sql`);
    while (exists(pick(s))) s = String(BigInt(s) + 1n);
    return { kind: 'new-file', file: pick(s), why: `no migration tool's naming was recognised in ${dir}/, so the file is named by a timestamp: check that your tool picks it up` };
  }
  return { kind: 'append', file: def.file, offset: appendAfter() };
}

/**
 * memos-style versioned folders: the table's file is under <root>/ (LATEST.sql) or <root>/<version>/,
 * and <root> holds version folders of numbered files. The new file goes into the newest version
 * (numbered after its files); a full schema file directly in <root> gets the statement too.
 */
function versionedPlace(def: TableDef, allFiles: readonly ParsedSqlFile[], slug: string, exists: (p: string) => boolean, appendAfter: () => number): MigrationPlace | undefined {
  const dir = dirname(def.file);
  const root = VERSION_DIR.test(basename(dir)) ? dirname(dir) : dir;
  const versions = new Map<string, string[]>();
  const prefix = root ? `${root}/` : '';
  for (const f of allFiles) {
    if (f.kind !== 'sql' || !f.path.startsWith(prefix)) continue;
    const rest = f.path.slice(prefix.length).split('/');
    if (rest.length === 2 && VERSION_DIR.test(rest[0])) {
      const list = versions.get(rest[0]) ?? [];
      list.push(rest[1]);
      versions.set(rest[0], list);
    }
  }
  if (versions.size < 2) return undefined;
  const newest = [...versions.keys()].sort(versionCompare).pop()!;
  const names = versions.get(newest)!;
  const numbered = names.map((n) => /^(\d+)(__|[_-])/.exec(n)).filter((m): m is RegExpExecArray => !!m);
  const width = numbered.length ? Math.max(...numbered.map((m) => m[1].length)) : 2;
  const sep = numbered[0]?.[2] ?? '__';
  let next = numbered.length ? Math.max(...numbered.map((m) => Number(m[1]))) + 1 : 0;
  const pick = (n: number): string => `${prefix}${newest}/${String(n).padStart(width, '0')}${sep}${slug}.sql`;
  while (exists(pick(next))) next++;
  const place: MigrationPlace = { kind: 'new-file', file: pick(next), tool: `versioned migration folders (${newest})` };
  // The full schema new installs start from (LATEST.sql): a file directly in <root> that creates the table.
  if (dirname(def.file) === root) place.latest = { file: def.file, offset: appendAfter() };
  else {
    const full = allFiles.find((f) => f.kind === 'sql' && dirname(f.path) === root && f.fragment.tables.some((t) => t.name === def.name));
    const t = full?.fragment.tables.find((x) => x.name === def.name);
    if (full && t?.endOffset !== undefined) place.latest = { file: full.path, offset: t.endOffset };
  }
  return place;
}
