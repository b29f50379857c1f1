import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';
import { createIndexFix } from '../fixes.js';

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
    for (const fk of ctx.file.fragment.foreignKeys) {
      if (!ctx.schema.table(fk.table) || !fk.span || !fk.columns.length) continue;
      const indexed = ctx.schema.indexesOf(fk.table).some((i) => {
        if (i.where || (i.method && !['btree', 'hash'].includes(i.method.toLowerCase()))) return false;
        const lead = i.keys.slice(0, fk.columns.length).map((k) => (k.kind === 'column' ? k.column : '\u0000'));
        return fk.columns.every((c) => lead.includes(c));
      });
      if (indexed) continue;
      const dialect = ctx.file.dialect;
      const fix = createIndexFix({ table: fk.table, keys: fk.columns, dialect, schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, from: ctx.file.path, reason: `Indexes the foreign key ${fk.table}(${fk.columns.join(', ')}) → ${fk.refTable}.` });
      ctx.report({
        span: fk.span,
        message: `Foreign key ${fk.table}(${fk.columns.join(', ')}) → ${fk.refTable} has no index: joins from ${fk.refTable} and every delete of a row of ${fk.refTable} scan ${fk.table}. Add an index on ${fk.table} (${fk.columns.join(', ')}).`,
        fixes: fix ? [fix] : [],
        data: { table: fk.table, columns: fk.columns, refTable: fk.refTable },
      });
    }
  },
};
