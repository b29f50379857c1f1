/** Builds the CREATE INDEX fixes: a new migration beside the existing ones, or an insert into the schema file. */
import { djangoIndexFix, drizzleIndexFix, sqlalchemyIndexFix, typeormIndexFix } from './orm/fixes.js';
import type { PendingFix } from '../../kernel/contracts.js';
import type { Dialect, TableDef } from './types.js';
import type { ParsedSqlFile } from './analyze.js';
import type { Schema } from './schema.js';
import { quoteIdent } from './ident.js';
import { postgresParses } from './dialects/postgres.js';
import { createNodeSqlParser } from './dialects/nodesqlparser.js';
import { placeMigration, type MigrationPlace } from './migration-layout.js';

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

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export type { MigrationPlace } from './migration-layout.js';

/** A file's name, with its folder when the name alone says nothing (…/<stamp>_name/up.sql). */
function shownName(p: string): string {
  const base = basename(p);
  if (base !== 'up.sql' && base !== 'migration.sql') return base;
  const dir = p.slice(0, p.lastIndexOf('/'));
  return `${basename(dir)}/${base}`;
}

/** After the CREATE TABLE, or after the last index of that table in the same file. */
function appendOffset(table: string, def: TableDef, schema: Schema): number {
  let offset = def.endOffset ?? 0;
  for (const i of schema.indexesOf(table)) if (i.file === def.file && i.origin === 'create-index' && i.span && i.span.end > offset) offset = i.span.end;
  return offset;
}

/**
 * Where a new index for `table` belongs: a new migration in the layout of the project's migration
 * tool next to the file that created the table, or else right after the CREATE TABLE statement in
 * the schema file (migration-layout.ts).
 */
export function placeNewIndex(table: string, schema: Schema, allFiles: readonly ParsedSqlFile[], slug: string, exists: (p: string) => boolean, now = new Date(), textOf?: (p: string) => string | undefined, def = schema.table(table)): MigrationPlace | undefined {
  if (!def || def.dialect === 'prisma') return undefined;
  const place = placeMigration(def, allFiles, slug, exists, now, () => appendOffset(table, def, schema), textOf);
  // A table renamed since its CREATE TABLE has another name at that point of the file: an index
  // appended there would name a table that does not exist yet. No fix rather than a wrong one.
  if (place?.kind === 'append' && def.renamedFrom && def.renamedFrom !== def.name) return undefined;
  return place;
}

/**
 * The definition of `table` a fix for a finding in `dialect` may edit: the schema's own when its
 * file is of that dialect, else the CREATE TABLE of that table in a file of that dialect (the one
 * nearest the finding's file, `from`). A workspace holding the same schema for several databases
 * (PostgreSQL and SQLite Chinook, memos' mysql/ and sqlite/ migrations) gets each fix in its own.
 */
function fixTarget(table: string, dialect: Dialect, schema: Schema, allFiles: readonly ParsedSqlFile[], from?: string): TableDef | undefined {
  const def = schema.table(table);
  if (!def || def.dialect === 'prisma') return def;
  const dialectOf = (p: string): Dialect | undefined => allFiles.find((f) => f.path === p)?.dialect;
  let best: TableDef | undefined;
  let bestScore = -1;
  if (dialectOf(def.file) === dialect) {
    if (!from) return def;
    best = def;
    bestScore = commonPrefix(from, def.file) + 0.5; // the current definition, unless another is nearer
  }
  for (const f of allFiles) {
    if (f.kind !== 'sql' || f.dialect !== dialect || f.unsupported || f.path === def.file) continue;
    for (const t of f.fragment.tables) {
      if (t.name !== def.name || (t.schema ?? '') !== (def.schema ?? '')) continue;
      const score = from ? commonPrefix(from, f.path) : 0;
      // the latest definition among equally near files (migrations run in name order)
      if (score > bestScore || (score === bestScore && best && f.path > best.file)) {
        best = t;
        bestScore = score;
      }
    }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let k = 0;
  while (k < x.length - 1 && k < y.length - 1 && x[k] === y[k]) k++;
  return k;
}

/** Columns of `table` in files of `dialect`: as created, and as added by ALTER TABLE … ADD COLUMN later. */
function columnsOf(def: TableDef, dialect: Dialect, allFiles: readonly ParsedSqlFile[]): Set<string> {
  const cols = new Set(def.columns.map((c) => c.name));
  for (const f of allFiles) {
    if (f.dialect !== dialect) continue;
    for (const a of f.fragment.addedColumns ?? []) if (a.table === def.name) cols.add(a.column.name);
  }
  return cols;
}

const nspParsers = new Map<Dialect, ReturnType<typeof createNodeSqlParser>>();

/** Does `sql` parse in `dialect`? (The statement a fix writes must be valid where it goes.) */
export function parsesIn(sql: string, dialect: Dialect): boolean {
  if (dialect === 'postgresql') return postgresParses(sql) !== false;
  let p = nspParsers.get(dialect);
  if (!p) nspParsers.set(dialect, (p = createNodeSqlParser(dialect)));
  return !p.parseStatement(sql.replace(/;\s*$/, '')).error;
}

function dropIndexSql(name: string, table: TableDef, dialect: Dialect): string {
  if (dialect === 'mysql') return `DROP INDEX ${quoteIdent(name, dialect)} ON ${quoteIdent(table.spelling ?? table.name, dialect)};`;
  const schemaPrefix = table.schema ? `${quoteIdent(table.schema, dialect)}.` : '';
  return `DROP INDEX${dialect === 'postgresql' ? ' CONCURRENTLY' : ''} IF EXISTS ${schemaPrefix}${quoteIdent(name, dialect)};`;
}

/** A JavaScript string literal holding `sql`. */
function jsString(sql: string): string {
  return `'${sql.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A plain-column index in a JS migration's own API (Sequelize addIndex), when every key is a column. */
interface NativeIndex {
  table: string;
  columns: string[];
  name: string;
}

function jsMigration(format: 'knex' | 'sequelize', file: string, up: string, down: string, reason: string, concurrently: boolean, native?: NativeIndex): string {
  const esm = /\.(?:ts|mjs|mts)$/.test(file);
  if (format === 'knex') {
    // knex runs each migration in a transaction, where CREATE INDEX CONCURRENTLY is refused
    const lines = [`// ${reason}`, ...(concurrently ? [esm ? 'export const config = { transaction: false };' : 'exports.config = { transaction: false };'] : [])];
    if (esm) lines.push(`export const up = (knex) => knex.schema.raw(${jsString(up)});`, `export const down = (knex) => knex.schema.raw(${jsString(down)});`);
    else lines.push(`exports.up = (knex) => knex.schema.raw(${jsString(up)});`, `exports.down = (knex) => knex.schema.raw(${jsString(down)});`);
    return `${lines.join('\n')}\n`;
  }
  const conc = concurrently ? ', concurrently: true' : '';
  const body = native
    ? [
      `  async up(queryInterface) {`,
      `    await queryInterface.addIndex(${jsString(native.table)}, [${native.columns.map(jsString).join(', ')}], { name: ${jsString(native.name)}${conc} });`,
      '  },',
      `  async down(queryInterface) {`,
      `    await queryInterface.removeIndex(${jsString(native.table)}, ${jsString(native.name)}${concurrently ? ', { concurrently: true }' : ''});`,
      '  },',
    ]
    : [
      `  async up(queryInterface) {`,
      `    await queryInterface.sequelize.query(${jsString(up)});`,
      '  },',
      `  async down(queryInterface) {`,
      `    await queryInterface.sequelize.query(${jsString(down)});`,
      '  },',
    ];
  return `${esm ? '' : "'use strict';\n\n"}// ${reason}\n${esm ? 'export default {' : 'module.exports = {'}\n${body.join('\n')}\n};\n`;
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
  /** The file of the finding: the fix goes to a definition of the table in the same dialect, nearest this file. */
  from?: string;
  now?: Date;
}): PendingFix | undefined {
  // A Django model's table: the index goes into the model (Django generates the migration).
  const django = opts.schema.ormModelOf(opts.table, 'django');
  if (django) return djangoIndexFix(django, opts.keys, opts.textOf);
  // A SQLAlchemy model's table: the index goes into its __table_args__ (Alembic autogenerates the migration).
  const sqla = opts.schema.ormModelOf(opts.table, 'sqlalchemy');
  if (sqla) return sqlalchemyIndexFix(sqla, opts.keys, opts.textOf);
  const drizzle = opts.schema.ormModelOf(opts.table, 'drizzle');
  if (drizzle) return drizzleIndexFix(drizzle, opts.keys, opts.textOf);
  // A TypeORM entity's table: `@Index([...])` on the entity (`typeorm migration:generate` writes the migration).
  const typeorm = opts.schema.ormModelOf(opts.table, 'typeorm');
  if (typeorm) return typeormIndexFix(typeorm, opts.keys, opts.textOf);
  const def = fixTarget(opts.table, opts.dialect, opts.schema, opts.allFiles, opts.from);
  if (!def) return undefined;
  if (def.dialect === 'prisma') return prismaIndexFix(def, opts.keys, opts.textOf);
  // Every plain column the index names must exist in the table the fix edits.
  const cols = columnsOf(def, opts.dialect, opts.allFiles);
  if (def.columns.length && opts.keys.some((k) => /^[a-z_][a-z0-9_]*$/.test(k) && !cols.has(k))) return undefined;
  const name = indexName(opts.table, opts.keys, opts.dialect, takenNames(opts.schema));
  const sql = createIndexSql(opts.table, opts.keys, opts.dialect, name, opts.method, def);
  // Never offer a statement the database would reject (an expression we cannot write back, say).
  if (!parsesIn(sql, opts.dialect)) return undefined;
  const place = placeNewIndex(opts.table, opts.schema, opts.allFiles, name, (p) => opts.textOf(p) !== undefined, opts.now, opts.textOf, def);
  if (!place) return undefined;
  const why = place.why ? ` — ${place.why}` : '';
  if (place.kind === 'new-file') {
    const pg = opts.dialect === 'postgresql';
    const down = dropIndexSql(name, def, opts.dialect);
    const changes: PendingFix['changes'] = [];
    if (place.format === 'goose') {
      // goose runs each migration in a transaction unless told otherwise
      changes.push({ file: place.file, create: { newText: `-- ${opts.reason}\n-- +goose Up\n${pg ? '-- +goose NO TRANSACTION\n' : ''}${sql}\n\n-- +goose Down\n${down}\n` } });
    } else if (place.format === 'dbmate') {
      changes.push({ file: place.file, create: { newText: `-- ${opts.reason}\n-- migrate:up${pg ? ' transaction:false' : ''}\n${sql}\n\n-- migrate:down${pg ? ' transaction:false' : ''}\n${down}\n` } });
    } else if (place.format) {
      // Plain columns go through Sequelize's own addIndex (spelled as the table spells them); expressions and operator classes stay SQL.
      const spelled = opts.keys.map((k) => (/^[a-z_][a-z0-9_]*$/.test(k) ? def.columns.find((c) => c.name === k)?.spelling ?? k : undefined));
      const native = place.format === 'sequelize' && !opts.method && spelled.every((x) => x !== undefined) ? { table: def.spelling ?? opts.table, columns: spelled, name } : undefined;
      changes.push({ file: place.file, create: { newText: jsMigration(place.format, place.file, sql, down, opts.reason, pg, native) } });
    } else {
      const note = pg ? '-- CONCURRENTLY builds the index without locking writes; it cannot run inside a transaction block.\n' : '';
      // sqlx reads `-- no-transaction` on the first line; other tools see a comment
      const noTx = pg && place.sqlxStamp ? '-- no-transaction\n' : '';
      changes.push({ file: place.file, create: { newText: `${noTx}-- ${opts.reason}\n${note}${sql}\n` } });
      if (place.down) changes.push({ file: place.down, create: { newText: `${down}\n` } });
      // diesel runs a migration in a transaction unless its metadata.toml says otherwise
      if (place.metadata && pg) changes.push({ file: place.metadata, create: { newText: 'run_in_transaction = false\n' } });
    }
    if (place.latest) {
      const text = opts.textOf(place.latest.file) ?? '';
      let offset = place.latest.offset;
      if (text[offset] === ';') offset++;
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      changes.push({ file: place.latest.file, edits: [{ span: { start: offset, end: offset }, newText: `${eol}${eol}${sql.replace(' CONCURRENTLY', '')}` }] });
    }
    const tool = place.tool && place.tool !== 'numbered migrations' ? `, ${place.tool}` : '';
    const also = place.latest ? ` and in ${basename(place.latest.file)}` : '';
    return {
      title: `Create index ${name} in a new migration (${shownName(place.file)}${tool})${also}${why}`,
      preferred: true,
      changes,
    };
  }
  const text = opts.textOf(place.file) ?? '';
  let offset = place.offset ?? text.length;
  if (text[offset] === ';') offset++;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Create index ${name} in ${basename(place.file)}${why}`,
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
    title: `Add ${attr} to model in ${def.file.slice(def.file.lastIndexOf('/') + 1)} (then run \`prisma migrate dev\` to create the migration)`,
    preferred: true,
    changes: [{ file: def.file, edits: [onOwnLine ? { span: { start: lineStart, end: lineStart }, newText: `  ${attr}${eol}` } : { span: { start: close, end: close }, newText: `${eol}  ${attr}${eol}` }] }],
  };
}
