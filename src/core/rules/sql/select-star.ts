import type { SqlRule } from '../rule.js';

export const selectStar: SqlRule = {
  kind: 'sql',
  meta: {
    id: 'select-star',
    title: 'Queries select only the columns they need',
    failureTitle: 'Queries use SELECT *',
    description: 'SELECT * reads and ships every column (including large text/JSON), defeats index-only scans and breaks when columns are added.',
    area: 'sql',
    checklistItem: 'query-optimization',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const stmt of ctx.file.statements) {
      const q = stmt.query;
      if (!q || q.kind !== 'select') continue;
      for (const span of q.selectStars) {
        // Expand to the column list when the query reads one known table.
        const fixes = [];
        const text = ctx.textOf(ctx.file.path) ?? '';
        const star = text.slice(span.start, span.end);
        if (star === '*' && q.tables.length === 1) {
          const def = ctx.schema.table(q.tables[0]!.table);
          if (def?.columns.length) {
            const prefix = q.tables[0]!.alias ? `${q.tables[0]!.alias}.` : '';
            fixes.push({
              title: `Select the ${def.columns.length} columns of ${def.name} explicitly`,
              changes: [{ file: ctx.file.path, edits: [{ span, newText: def.columns.map((c) => prefix + c.name).join(', ') }] }],
            });
          }
        }
        ctx.report({
          span,
          severity: stmt.embedded ? undefined : 'info',
          message: `SELECT * reads every column${q.tables[0] ? ` of ${q.tables.map((t) => t.table).join(', ')}` : ''}: list the columns the code uses so less data is read and sent, and index-only scans stay possible.`,
          fixes,
          data: { tables: q.tables.map((t) => t.table) },
        });
      }
    }
  },
};
