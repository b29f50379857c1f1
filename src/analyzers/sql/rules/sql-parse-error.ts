import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';

export const sqlParseError: SqlRule = {
  kind: 'project',
  analysis: SQL_ANALYSIS_ID,
  meta: {
    id: 'sql-parse-error',
    title: 'SQL statements parse',
    failureTitle: 'SQL statements that could not be parsed',
    description: 'A statement the dialect parser rejects is skipped by the other SQL rules; the rest of the file is still analysed.',
    domain: 'sql',
    checklistItem: 'query-optimization',
    defaultSeverity: 'info',
    fixable: false,
  },
  check(ctx) {
    const u = ctx.file.unsupported;
    if (u) {
      // One note per folder the evidence covers, on its first .sql file (application code that talks
      // to such a database is skipped without a note: it may hold no SQL at all).
      const same = ctx.allFiles.filter((f) => f.kind === 'sql' && f.unsupported?.engine === u.engine && f.unsupported.scope === u.scope);
      if (ctx.file.kind === 'sql' && same.every((f) => f.path >= ctx.file.path)) {
        const where = u.scope ? ` under ${u.scope}/` : '';
        ctx.report({
          span: { start: 0, end: 0 },
          message: `${same.length} ${u.label} SQL file${same.length === 1 ? '' : 's'}${where} not analysed (${u.source} says ${u.label}); Perf Auditor's SQL rules cover PostgreSQL, MySQL and SQLite. Add a "-- dialect: postgresql" comment or set "sql.dialect" if this is wrong.`,
          data: { unsupported: u.engine },
        });
      }
      return;
    }
    for (const stmt of ctx.file.statements) {
      if (!stmt.error) continue;
      ctx.report({
        span: stmt.error.span,
        message: `Could not parse this ${stmt.dialect} statement (${stmt.error.message.replace(/\s+/g, ' ').slice(0, 200)}); it is skipped. Set "sql.dialect" in .perfauditrc.json or add a "-- dialect: mysql" comment if the dialect is wrong.`,
        data: { dialect: stmt.dialect },
      });
    }
    for (const e of ctx.file.errors) ctx.report({ span: e.span, message: e.message });
  },
};
