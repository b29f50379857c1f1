import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';
import { neverHardDeleted } from '../maintenance.js';
import { isPreviewOrm, previewNote } from '../orm/preview.js';
import { createIndexFix } from '../fixes.js';
import { partialIndexUsable, Schema } from '../schema.js';
import type { ColumnUse } from '../types.js';

export const unindexedForeignKey: SqlRule = {
  kind: 'project',
  analysis: SQL_ANALYSIS_ID,
  meta: {
    id: 'unindexed-foreign-key',
    title: 'Foreign keys are indexed',
    failureTitle: 'Foreign keys without an index on the referencing columns',
    description: 'A FOREIGN KEY whose referencing columns lead no index: joins from the parent scan the child table, and every DELETE/UPDATE of a parent row scans it to check the constraint.',
    domain: 'sql',
    checklistItem: 'indexes',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    // Judged once, against the final schema of the file's scope: a key is reported where its current
    // definition was created; earlier definitions (dropped and re-added) and the Prisma model are related.
    for (const fk of ctx.schema.foreignKeysDefinedIn(ctx.file.path)) {
      if (!fk.span || !fk.columns.length) continue;
      // The constraint check and joins look rows up by `fk = value`, which implies `fk IS NOT NULL`: a
      // partial index `WHERE fk IS NOT NULL` serves them, one on any other condition does not.
      const uses = fk.columns.map((column): ColumnUse => ({ column, kind: 'where', op: 'eq', sargable: true, span: { start: 0, end: 0 } }));
      const indexed = ctx.schema.indexesOf(fk.table).some((i) => {
        if (i.where && !(i.where.facts && partialIndexUsable(i, new Set(fk.columns), uses))) return false;
        if (i.method && !['btree', 'hash'].includes(i.method.toLowerCase())) return false;
        const lead = i.keys.slice(0, fk.columns.length).map((k) => (k.kind === 'column' ? k.column : '\u0000'));
        return fk.columns.every((c) => lead.includes(c));
      });
      if (indexed) continue;
      // The dialect of the file that defines the key (a Prisma model's is its scope's: the datasource provider).
      const dialect = ctx.file.kind === 'prisma' ? ctx.schema.dialect ?? ctx.file.dialect : ctx.file.dialect;
      // Where the Prisma model declares the relation, the index belongs in the model (@@index): Prisma
      // Migrate generates migrations from it, and would drop an index that only a SQL migration creates.
      const model = ctx.schema.models.get(fk.table);
      const modelled = !!model && (fk.file.endsWith('.prisma') || (fk.related ?? []).some((r) => r.file.endsWith('.prisma')));
      const schema = modelled ? Schema.build([{ file: model.file, tables: [model], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } }], dialect) : ctx.schema;
      const fix = createIndexFix({ table: fk.table, keys: fk.columns, dialect, schema, allFiles: ctx.allFiles, textOf: ctx.textOf, from: ctx.file.path, reason: `Indexes the foreign key ${fk.table}(${fk.columns.join(', ')}) → ${fk.refTable}.` });
      // A parent its ORM soft-deletes (Sequelize `paranoid`) is hardly ever deleted: the key matters for
      // the reads that filter by it, and when none does, only a purge job pays for the scan.
      const parentModel = ctx.schema.ormModelOf(fk.refTable);
      const softDeleted = !!(parentModel as { paranoid?: string } | undefined)?.paranoid;
      // Reads by the key are judged by missing-index, query by query; what is left is a purge job's hard delete.
      // The same holds for a parent that no runtime code of the project deletes (soft-deleted or not).
      const neverDeleted = softDeleted ? undefined : neverHardDeleted({ table: fk.refTable, schema: ctx.schema, schemaFor: ctx.schemaFor, allFiles: ctx.allFiles, settings: ctx.settings, textOf: ctx.textOf });
      const unmapped = !softDeleted && !neverDeleted ? unmappedTable(ctx.schema, fk.table) : undefined;
      // A key only a preview ORM's models declare (SQLAlchemy) is held at info with them.
      const previewOrm = !softDeleted && !neverDeleted && !unmapped && fk.file.endsWith('.py') ? (['sqlalchemy'] as const).find((k) => isPreviewOrm(k) && ctx.schema.ormModelOf(fk.table, k)) : undefined;
      const quiet = softDeleted || !!neverDeleted || !!unmapped || !!previewOrm;
      const what = fk.virtual ? `Relation ${fk.table}(${fk.columns.join(', ')}) → ${fk.refTable} (emulated by Prisma: relationMode = "prisma")` : `Foreign key ${fk.table}(${fk.columns.join(', ')}) → ${fk.refTable}`;
      ctx.report({
        span: fk.span,
        ...(quiet ? { severity: 'info' as const } : {}),
        message: quiet
          ? previewOrm
            ? `${what} has no index: joins from ${fk.refTable} and every delete of a row of ${fk.refTable} scan ${fk.table}. Add an index on ${fk.table} (${fk.columns.join(', ')}). ${previewNote(previewOrm)}`
          : unmapped
            ? `${what} has no index, but ${fk.table} is in the database only: the ${unmapped} schema that the app queries through defines no model for it, so nothing but a delete of a row of ${fk.refTable} (which scans it) touches it. If the table is unused, drop it; otherwise add an index on ${fk.table} (${fk.columns.join(', ')}).`
          : neverDeleted === 'unused'
            ? `${what} has no index, but no runtime code of the project deletes rows of ${fk.refTable} (nor of a table it refers to): the key is never checked by a delete, and missing-index judges the queries that filter by it. If rows are deleted by hand or by a job outside this workspace, add an index on ${fk.table} (${fk.columns.join(', ')}).`
          : neverDeleted
            ? `${what} has no index, but ${fk.refTable} is soft-deleted (it has a deletion-time column) and no runtime code of the project deletes its rows (nor those of a table it refers to): the key is never checked by a delete, and missing-index judges the queries that filter by it. If rows are purged by hand or by a job outside this workspace, add an index on ${fk.table} (${fk.columns.join(', ')}).`
            : `${what} has no index, but ${fk.refTable} is soft-deleted by its model (deletes set ${(parentModel as { paranoid?: string }).paranoid} and never reach this key): only a job that purges ${fk.refTable} rows scans ${fk.table} (missing-index judges the queries that filter by the key). If such a job runs often, add an index on ${fk.table} (${fk.columns.join(', ')}).`
          : `${what} has no index: joins from ${fk.refTable} and every delete of a row of ${fk.refTable} scan ${fk.table}. Add an index on ${fk.table} (${fk.columns.join(', ')}).`,
        fixes: fix ? [fix] : [],
        related: (fk.related ?? []).filter((r) => r.span).map((r) => ({ file: r.file, span: r.span!, message: r.message })),
        data: { table: fk.table, columns: fk.columns, refTable: fk.refTable, ...(previewOrm ? { preview: true } : unmapped ? { unmappedTable: true } : quiet ? (neverDeleted === 'unused' ? { neverDeletedParent: true } : { softDeletedParent: true }) : {}) },
      });
    }
  },
};

/** ORMs whose model definitions generate the project's migrations: a table they do not define is left over. */
const SCHEMA_OWNING_ORMS: Record<string, string> = { prisma: 'Prisma', drizzle: 'Drizzle' };

/**
 * The ORM (by name) whose models define most tables of the scope but not `table`: a table the
 * migrations still create that the app's schema dropped. Join tables Prisma makes for implicit
 * many-to-many relations (`_AToB`) have no model and are used: never unmapped.
 */
function unmappedTable(schema: Schema, table: string): string | undefined {
  if (table.startsWith('_') || schema.ormModelOf(table)) return undefined;
  const mapped = new Map<string, number>();
  for (const m of new Set(schema.ormModels.values())) if (SCHEMA_OWNING_ORMS[m.orm]) mapped.set(m.orm, (mapped.get(m.orm) ?? 0) + 1);
  const tables = [...schema.tables.keys()].filter((t) => !t.startsWith('_')).length;
  for (const [orm, n] of mapped) if (n >= 3 && n * 2 >= tables) return SCHEMA_OWNING_ORMS[orm];
  return undefined;
}
