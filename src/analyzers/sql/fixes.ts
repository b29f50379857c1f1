/** Builds the CREATE INDEX fixes: a new migration beside the existing ones, or an insert into the schema file. */
import type { PendingFix } from '../../kernel/contracts.js';
import type { Dialect, TableDef } from './types.js';
import type { ParsedSqlFile } from './analyze.js';
import type { Schema } from './schema.js';
import { quoteIdent } from './ident.js';
import { postgresParses } from './dialects/postgres.js';

const MAX_IDENT = { postgresql: 63, mysql: 64, sqlite: 128 } as const;

/**
 * `<table>_<cols>_idx`, lower-case, cut to the dialect's identifier length; `_1`, `_2`… appended
 * when that name is already taken (`taken` holds lower-case names).
 */
export function indexName(table: string, keys: string[], dialect: Dialect, taken: ReadonlySet<string> = new Set()): string {
  const base = `${table}_${keys.join('_')}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
  for (let n = 0; ; n++) {
    const suffix = n ? `_idx_${n}` : '_idx';
    const max = MAX_IDENT[dialect] - suffix.length;
    const name = `${base.length > max ? base.slice(0, max).replace(/_$/, '') : base}${suffix}`;
    if (!taken.has(name)) return name;
  }
}

const takenBySchema = new WeakMap<Schema, ReadonlySet<string>>();

/**
 * Names a new index must not reuse: every index and table of the schema (PostgreSQL and SQLite share
 * one namespace for them). Computed once per schema (a schema is not changed once built).
 */
export function takenNames(schema: Schema): ReadonlySet<string> {
  let taken = takenBySchema.get(schema);
  if (!taken) takenBySchema.set(schema, (taken = collectTakenNames(schema)));
  return taken;
}

function collectTakenNames(schema: Schema): Set<string> {
  const taken = new Set<string>();
  for (const [t, def] of schema.tables) {
    taken.add(t);
    if (def.spelling) taken.add(def.spelling.toLowerCase());
  }
  for (const list of schema.indexes.values()) for (const i of list) if (i.name) taken.add(i.name.toLowerCase());
  return taken;
}

/**
 * The CREATE INDEX statement. `keys` are lower-case column names (written with their spelling from
 * `def`, quoted where needed) or expressions in the adapter's normalized text.
 */
export function createIndexSql(table: string, keys: string[], dialect: Dialect, name: string, method?: string, def?: TableDef): string {
  const using = method && dialect === 'postgresql' ? ` USING ${method}` : '';
  // Expression keys: PostgreSQL writes a function call as is and wraps other expressions (casts) in
  // parentheses; MySQL 8 functional key parts always need their own parentheses.
  const cols = keys.map((key) => {
    // A PostgreSQL operator class after the key (`name text_pattern_ops`, `(lower(email)) gin_trgm_ops`), written by the query rules.
    const oc = dialect === 'postgresql' ? /^(.+) ([a-z_]+_ops)$/.exec(key) : null;
    const k = oc ? oc[1] : key;
    const col = def?.columns.find((c) => c.name === k);
    const opclass = oc ? ` ${oc[2]}` : '';
    if (col || /^[a-z_][a-z0-9_]*$/.test(k)) return quoteIdent(col?.spelling ?? k, dialect) + opclass;
    return (dialect !== 'mysql' && /^[a-z_][a-z0-9_.]*\(.*\)$/.test(k) ? k : `(${k})`) + opclass;
  }).join(', ');
  const conc = dialect === 'postgresql' ? ' CONCURRENTLY' : '';
  const target = `${def?.schema ? `${quoteIdent(def.schema, dialect)}.` : ''}${quoteIdent(def?.spelling ?? table, dialect)}`;
  return `CREATE INDEX${conc} ${quoteIdent(name, dialect)} ON ${target}${using} (${cols});`;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}
function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

const sqlFilesByDir = new WeakMap<readonly ParsedSqlFile[], Map<string, string[]>>();

/** The names of the SQL files in `dir` (indexed once per file list: fixes are built for many findings). */
function sqlFilesIn(allFiles: readonly ParsedSqlFile[], dir: string): string[] {
  let byDir = sqlFilesByDir.get(allFiles);
  if (!byDir) {
    byDir = new Map();
    for (const f of allFiles) {
      if (f.kind !== 'sql') continue;
      const d = dirname(f.path);
      const list = byDir.get(d);
      if (list) list.push(basename(f.path));
      else byDir.set(d, [basename(f.path)]);
    }
    sqlFilesByDir.set(allFiles, byDir);
  }
  return byDir.get(dir) ?? [];
}

function timestamp(digits: number, now: Date): string {
  const iso = now.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return digits <= 14 ? iso.slice(0, digits) : iso.padEnd(digits, '0');
}

export interface MigrationPlace {
  kind: 'new-file' | 'append';
  file: string;
  /** For append: the offset to insert at. */
  offset?: number;
}

/**
 * Where a new index for `table` belongs: a new numbered/timestamped migration next to the file
 * that created the table when that folder holds migrations, a Prisma-style migration folder,
 * or else right after the CREATE TABLE statement in the schema file.
 */
export function placeNewIndex(table: string, schema: Schema, allFiles: readonly ParsedSqlFile[], slug: string, exists: (p: string) => boolean, now = new Date()): MigrationPlace | undefined {
  const def = schema.table(table);
  if (!def || def.dialect === 'prisma') return undefined;
  const dir = dirname(def.file);
  const siblings = sqlFilesIn(allFiles, dir);
  // Prisma / golang-migrate style: migrations/<stamp>_<name>/migration.sql
  const parentDir = dirname(dir);
  if (basename(def.file) === 'migration.sql' && /^\d{8,}/.test(basename(dir))) {
    const stamp = timestamp(/^\d+/.exec(basename(dir))![0].length, now);
    return { kind: 'new-file', file: `${parentDir ? `${parentDir}/` : ''}${stamp}_${slug}/migration.sql` };
  }
  // 001_init.sql, 20240101120000-init.sql, 001.sql, 001.up.sql, V1__init.sql (Flyway)
  const numbered = siblings.map((n) => /^(V?)(\d+)(?:(__|[_-])|(?=\.))/.exec(n)).filter((m): m is RegExpExecArray => !!m);
  const inMigrations = /migrat/i.test(dir);
  if (numbered.length && (numbered.length === siblings.length || inMigrations)) {
    const width = Math.max(...numbered.map((m) => m[2].length));
    const last = numbered.reduce((a, b) => (Number(b[2]) >= Number(a[2]) ? b : a));
    const lead = last[1];
    const sep = last[3];
    const upSuffix = siblings.some((n) => /\.up\.sql$/i.test(n)) ? '.up.sql' : '.sql';
    // Files named by their number alone (001.sql) get a number alone.
    const pick = (prefix: string): string => `${dir ? `${dir}/` : ''}${lead}${prefix}${sep ? `${sep}${slug}` : ''}${upSuffix}`;
    if (width >= 12) {
      let stamp = timestamp(width, now);
      while (exists(pick(stamp))) stamp = String(BigInt(stamp) + 1n);
      return { kind: 'new-file', file: pick(stamp) };
    }
    let next = Math.max(...numbered.map((m) => Number(m[2]))) + 1;
    while (exists(pick(String(next).padStart(lead ? 0 : width, '0')))) next++;
    return { kind: 'new-file', file: pick(String(next).padStart(lead ? 0 : width, '0')) };
  }
  // A migration that has been applied is never edited: a migrations folder without a numbering
  // scheme we know gets a new timestamped file.
  if (inMigrations) {
    let stamp = timestamp(14, now);
    const pick = (p: string): string => `${dir}/${p}_${slug}.sql`;
    while (exists(pick(stamp))) stamp = String(BigInt(stamp) + 1n);
    return { kind: 'new-file', file: pick(stamp) };
  }
  // After the CREATE TABLE, or after the last index of that table in the same file.
  let offset = def.endOffset ?? 0;
  for (const i of schema.indexesOf(table)) if (i.file === def.file && i.origin === 'create-index' && i.span && i.span.end > offset) offset = i.span.end;
  return { kind: 'append', file: def.file, offset };
}

export function createIndexFix(opts: {
  table: string;
  keys: string[];
  dialect: Dialect;
  schema: Schema;
  allFiles: readonly ParsedSqlFile[];
  textOf: (p: string) => string | undefined;
  reason: string;
  method?: string;
}): PendingFix | undefined {
  const def = opts.schema.table(opts.table);
  if (def?.dialect === 'prisma') return prismaIndexFix(def, opts.keys, opts.textOf);
  const name = indexName(opts.table, opts.keys, opts.dialect, takenNames(opts.schema));
  const sql = createIndexSql(opts.table, opts.keys, opts.dialect, name, opts.method, def);
  // Never offer a statement the database would reject (an expression we cannot write back, say).
  if (opts.dialect === 'postgresql' && postgresParses(sql) === false) return undefined;
  const place = placeNewIndex(opts.table, opts.schema, opts.allFiles, name, (p) => opts.textOf(p) !== undefined);
  if (!place) return undefined;
  if (place.kind === 'new-file') {
    const note = opts.dialect === 'postgresql' ? '-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\n' : '';
    return {
      title: `Create index ${name} in a new migration (${basename(place.file)})`,
      preferred: true,
      changes: [{ file: place.file, create: { newText: `-- ${opts.reason}\n${note}${sql}\n` } }],
    };
  }
  const text = opts.textOf(place.file) ?? '';
  let offset = place.offset ?? text.length;
  if (text[offset] === ';') offset++;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Create index ${name} in ${basename(place.file)}`,
    preferred: true,
    changes: [{ file: place.file, edits: [{ span: { start: offset, end: offset }, newText: `${eol}${eol}${sql.replace(' CONCURRENTLY', '')}` }] }],
  };
}

/** Prisma models get `@@index([fieldA, fieldB])` before their closing brace (field names, not mapped columns). */
function prismaIndexFix(def: TableDef, keys: string[], textOf: (p: string) => string | undefined): PendingFix | undefined {
  const text = textOf(def.file);
  if (!text || def.endOffset === undefined || def.span === undefined) return undefined;
  const fields: string[] = [];
  for (const k of keys) {
    const col = def.columns.find((c) => c.name === k);
    const m = col?.span ? /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(col.span.start, col.span.end)) : null;
    if (!m) return undefined; // expressions and unknown fields cannot be expressed in @@index
    fields.push(m[0]);
  }
  const close = text.lastIndexOf('}', def.endOffset);
  if (close < def.span.start) return undefined;
  let lineStart = close;
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const attr = `@@index([${fields.join(', ')}])`;
  const onOwnLine = text.slice(lineStart, close).trim() === '';
  return {
    title: `Add ${attr} to model in ${def.file.slice(def.file.lastIndexOf('/') + 1)}`,
    preferred: true,
    changes: [{ file: def.file, edits: [onOwnLine ? { span: { start: lineStart, end: lineStart }, newText: `  ${attr}${eol}` } : { span: { start: close, end: close }, newText: `${eol}  ${attr}${eol}` }] }],
  };
}
