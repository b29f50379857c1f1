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
