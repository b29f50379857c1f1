import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';

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
    for (const t of ctx.file.fragment.tables) {
      const def = ctx.schema.table(t.name);
      if (!def || def.file !== ctx.file.path || def.hasPrimaryKey || !t.nameSpan) continue;
      if (def.dialect === 'prisma') continue; // Prisma refuses models without @id/@@id/@unique
      ctx.report({
        span: t.nameSpan,
        message: `Table ${t.name} has no primary key: add one (a surrogate id or the natural key) so rows can be found, updated and replicated efficiently.`,
        data: { table: t.name },
      });
    }
  },
};
