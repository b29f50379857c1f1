import { isRuntimeQueryFile } from '../queries.js';
import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';
import type { Span } from '../types.js';
import { isSpaceCode, runStartBefore } from '../../../kernel/linear.js';
import { goMapsRowsToStructs } from '../embedded-host.js';

export const selectStar: SqlRule = {
  kind: 'project',
  analysis: SQL_ANALYSIS_ID,
  meta: {
    id: 'select-star',
    title: 'Queries select only the columns they need',
    failureTitle: 'Queries use SELECT *',
    description: 'SELECT * reads and ships every column (including large text/JSON), defeats index-only scans and breaks when columns are added.',
    domain: 'sql',
    checklistItem: 'query-optimization',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    // One-off SQL (migrations, seeds, scripts) and test code are not hot queries.
    if (!isRuntimeQueryFile(ctx.settings, ctx.file.path)) return;
    for (const stmt of ctx.file.statements) {
      const q = stmt.query;
      if (!q || q.kind !== 'select') continue;
      for (const span of q.selectStars) {
        // Expand to the column list when the query reads one known table.
        const fixes = [];
        const text = ctx.textOf(ctx.file.path) ?? '';
        const star = starWithQualifier(text, span);
        const ref = q.tables.length === 1 ? q.tables[0] : undefined;
        if (ref && (!star.qualifier || star.qualifier === ref.alias || star.qualifier === ref.table)) {
          const def = ctx.schema.table(ref.table);
          if (def?.columns.length) {
            const prefix = star.qualifier ? `${star.qualifierText}.` : ref.alias ? `${ref.alias}.` : '';
            fixes.push({
              title: `Select the ${def.columns.length} columns of ${def.name} explicitly`,
              changes: [{ file: ctx.file.path, edits: [{ span: star.span, newText: def.columns.map((c) => prefix + c.name).join(', ') }] }],
            });
          }
        }
        // `t.*` in a join names the table it reads and usually loads whole rows into model objects (ORM
        // hydration beside joined columns): info with that reason. `*` over one table in application code is a warning.
        const qualified = star.qualifier && q.tables.length > 1 ? q.tables.find((t) => t.alias === star.qualifier || t.table === star.qualifier) : undefined;
        const tables = qualified ? [qualified.table] : q.tables.map((t) => t.table);
        // Go's sqlx Select/Get, xorm SQL(…).Find and gorm Raw(…).Scan fill whole structs: the struct lists the columns.
        const structs = stmt.embedded && !qualified && ctx.file.path.endsWith('.go') && goMapsRowsToStructs(text, stmt.span.start, stmt.span.end);
        ctx.report({
          span,
          severity: stmt.embedded && !qualified && !structs ? undefined : 'info',
          message: structs
            ? `SELECT * reads every column${tables.length ? ` of ${tables.join(', ')}` : ''}, and the call maps each row into a struct by column name: fine when the struct holds the whole record; list the columns if it needs only a few, so less data is read and sent.`
            : qualified
            ? `${star.qualifierText}.* reads every column of ${qualified.table}: fine when the code builds whole ${qualified.table} objects from the rows; list the columns it uses if it needs a few, so less data is read and sent and index-only scans stay possible.`
            : `SELECT * reads every column${tables.length ? ` of ${tables.join(', ')}` : ''}: list the columns the code uses so less data is read and sent, and index-only scans stay possible.`,
          fixes,
          data: { tables, ...(structs ? { mapsToStructs: true } : {}) },
        });
      }
    }
  },
};

/** The `*` with its qualifier, if any (`u.*`, `"T".*`): the span to replace and the qualifier. */
function starWithQualifier(text: string, span: Span): { span: Span; qualifier?: string; qualifierText?: string } {
  const own = text.slice(span.start, span.end);
  const before = own === '*' ? text.slice(Math.max(0, span.start - 130), span.start) : own.slice(0, -1);
  const m = qualifierBeforeDot(before);
  if (!m) return { span };
  const qualifierText = m.text;
  const qualifier = qualifierText.replace(/^[`"[]|[`"\]]$/g, '').toLowerCase();
  const start = own === '*' ? span.start - (before.length - m.index) : span.start;
  return { span: { start, end: span.end }, qualifier, qualifierText };
}

const WORD_CHAR = /[\w$]/;

/**
 * What `/(`[^`]+`|"[^"]+"|\[[^\]]+\]|[A-Za-z_][\w$]*)\s*\.\s*$/.exec(before)` finds (index and [1]),
 * read back from the end instead of tried from every start: the dot is the last character but
 * spaces, and the qualifier's last character says which form it has.
 */
export function qualifierBeforeDot(before: string): { index: number; text: string } | undefined {
  let e = runStartBefore(before, before.length, isSpaceCode);
  if (before[e - 1] !== '.') return undefined;
  e = runStartBefore(before, e - 1, isSpaceCode);
  const last = before[e - 1] ?? '';
  const quoted = last === '`' || last === '"' || last === ']';
  let p = -1;
  // Quoted: the opening quote before (no quote of its kind inside); bracketed: the first `[` after the previous `]`.
  if (last === '`' || last === '"') p = before.lastIndexOf(last, e - 2);
  else if (last === ']') p = before.indexOf('[', before.lastIndexOf(']', e - 2) + 1);
  else if (WORD_CHAR.test(last)) {
    p = runStartBefore(before, e, (c) => WORD_CHAR.test(String.fromCharCode(c)));
    while (p < e && !/[A-Za-z_]/.test(before[p])) p++;
  }
  // At least one character between the quotes, or a word starting with a letter or `_`.
  if (p < 0 || p > e - (quoted ? 3 : 1)) return undefined;
  return { index: p, text: before.slice(p, e) };
}
