import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';
import type { IndexDef, TableDef } from '../types.js';

export const missingPrimaryKey: SqlRule = {
  kind: 'project',
  analysis: SQL_ANALYSIS_ID,
  meta: {
    id: 'missing-primary-key',
    title: 'Tables have a primary key',
    failureTitle: 'Tables without a primary key',
    description: 'A table with no primary key cannot be updated or deleted by row efficiently, breaks logical replication, and lets duplicates in.',
    domain: 'sql',
    checklistItem: 'schema',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    // Judged against the final schema: a table later given a key (ALTER TABLE … ADD PRIMARY KEY), rebuilt
    // or dropped is judged as it ends up, at the statement that created its current definition.
    for (const def of ctx.schema.tablesDefinedIn(ctx.file.path)) {
      if (def.hasPrimaryKey || !def.nameSpan) continue;
      if (def.dialect === 'prisma') continue; // Prisma refuses models without @id/@@id/@unique
      // MySQL / SQLite CREATE TABLE … AS SELECT: its columns (and keys) are not known here. (A PostgreSQL
      // table without columns is a PARTITION OF / INHERITS child, and inherits no primary key.)
      if (!def.columns.length && def.dialect !== 'postgresql') continue;
      const key = uniqueNotNullKey(def, ctx.schema.indexesOf(def.name));
      const related = (def.related ?? []).filter((r) => r.span).map((r) => ({ file: r.file, span: r.span!, message: r.message }));
      if (key) {
        ctx.report({
          span: def.nameSpan,
          severity: 'info',
          message: `Table ${def.name} has no PRIMARY KEY, but its UNIQUE NOT NULL key (${key.join(', ')}) identifies each row, so rows are still found and updated by key. Declaring that key the primary key helps tools that look for one: logical replication (PostgreSQL's REPLICA IDENTITY, MySQL group replication), ORMs and online schema-change tools.`,
          related,
          data: { table: def.name, uniqueKey: key },
        });
      } else if (isMigrationBookkeeping(def.name) || versionColumnsOnly(def)) {
        ctx.report({
          span: def.nameSpan,
          severity: 'info',
          message: `Table ${def.name} has no primary key. It looks like a migration tool's bookkeeping table (a few rows, written once per migration), so scans cost nothing; a key still matters where the database demands one: MySQL's sql_require_primary_key / group replication reject it, and PostgreSQL logical replication cannot replicate its UPDATEs without a REPLICA IDENTITY.`,
          related,
          data: { table: def.name },
        });
      } else if (def.dialect === 'sqlite') {
        ctx.report({
          span: def.nameSpan,
          severity: 'info',
          message: `Table ${def.name} has no primary key. SQLite still gives each row a rowid, so rows can be updated and deleted one by one, but nothing stops duplicate rows: add a PRIMARY KEY (or a UNIQUE constraint) on the natural key if rows should be unique.`,
          related,
          data: { table: def.name },
        });
      } else {
        ctx.report({
          span: def.nameSpan,
          message: `Table ${def.name} has no primary key: add one (a surrogate id or the natural key) so rows can be found, updated and replicated efficiently.`,
          related,
          data: { table: def.name },
        });
      }
    }
  },
};

/**
 * Tables that migration tools keep their version in (schema_migrations, schema_version,
 * goose_db_version, appmigrations, __diesel_schema_migrations, flyway_schema_history…).
 */
export function isMigrationBookkeeping(table: string): boolean {
  const t = table.toLowerCase().replace(/^.*\./, '').replace(/^_+/, '');
  return /^\w*?migrations?(?:_(?:lock|history|log|versions?))?$|(?:^|_)(?:schema|db)_version$|^schema_info$|^flyway_schema_history$|^\w*?changelog(?:lock)?$/.test(t);
}

/** A table whose every column records a schema version (shiori_system's database_schema_version): one row, kept by the app's migrator. */
function versionColumnsOnly(table: TableDef): boolean {
  return table.columns.length > 0 && table.columns.length <= 4 && table.columns.every((c) => /(?:^|_)(?:schema_|db_|database_)?version(?:_|$)|migrat|^dirty$|^applied(?:_at|_on)?$|^installed_on$|^checksum$/.test(c.name));
}

/** The columns of a UNIQUE constraint or unique index (not partial, plain columns) whose columns are all NOT NULL. */
function uniqueNotNullKey(table: TableDef, indexes: readonly IndexDef[]): string[] | undefined {
  const notNull = new Set(table.columns.filter((c) => c.notNull).map((c) => c.name));
  for (const i of indexes) {
    if (!i.unique || i.where || !i.keys.length) continue;
    const cols = i.keys.map((k) => (k.kind === 'column' ? k.column : undefined));
    if (cols.every((c) => c !== undefined && notNull.has(c))) return cols as string[];
  }
  return undefined;
}
