import { isRuntimeQueryFile } from '../queries.js';
import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';

export const unboundedSelect: SqlRule = {
  kind: 'project',
  analysis: SQL_ANALYSIS_ID,
  meta: {
    id: 'unbounded-select',
    title: 'Application queries are bounded',
    failureTitle: 'Application queries read whole tables with no WHERE or LIMIT',
    description: 'A SELECT in application code with neither WHERE nor LIMIT returns every row of the table: response time and memory grow with the table.',
    domain: 'sql',
    checklistItem: 'query-optimization',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    // One-off SQL (migrations, seeds, scripts) and test code are not hot queries.
    if (!isRuntimeQueryFile(ctx.settings, ctx.file.path)) return;
    const small = new Set(ctx.settings.sql.smallTables);
    for (const stmt of ctx.file.statements) {
      const q = stmt.query;
      if (!stmt.embedded || !q || q.kind !== 'select' || q.hasWhere || q.hasLimit || q.aggregateOnly) continue;
      if (q.uses.some((u) => u.kind === 'group-by')) continue;
      const big = q.tables.filter((t) => ctx.schema.table(t.table) && !small.has(t.table));
      if (!big.length) continue;
      const ref = big[0];
      const limit = stmt.dialect === 'postgresql' || stmt.dialect === 'mysql' || stmt.dialect === 'sqlite' ? ' LIMIT 100' : '';
      ctx.report({
        span: ref.span,
        message: `This query returns every row of ${ref.table} (no WHERE, no LIMIT): paginate it (LIMIT with keyset or OFFSET) or filter it. List genuinely small lookup tables in .perfauditrc.json "sql.smallTables".`,
        fixes: limit ? [{ title: 'Add LIMIT 100 (then paginate)', changes: [{ file: ctx.file.path, edits: [{ span: { start: stmt.span.end, end: stmt.span.end }, newText: limit }] }] }] : [],
        data: { table: ref.table },
      });
    }
  },
};
