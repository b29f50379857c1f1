import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';
import { resolveUses, statementsWithQueries } from '../queries.js';
import { leadsWith, leadsWithExpression } from '../schema.js';
import { createIndexFix } from '../fixes.js';
import { zonedTime } from './missing-index.js';

export const nonSargablePredicate: SqlRule = {
  kind: 'project',
  analysis: SQL_ANALYSIS_ID,
  meta: {
    id: 'non-sargable-predicate',
    title: 'Predicates can use indexes',
    failureTitle: 'Predicates that cannot use an index',
    description: 'A function, cast or arithmetic wrapped around an indexed column, or a LIKE pattern starting with a wildcard, stops the database from using the index on that column.',
    domain: 'sql',
    checklistItem: 'query-optimization',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const { stmt, level } of statementsWithQueries(ctx.file.statements)) {
      for (const u of resolveUses(level, ctx.schema)) {
        const ns = u.nonSargable;
        if (!ns || !u.table || !ctx.schema.table(u.table)) continue;
        if (u.kind !== 'where' && u.kind !== 'join') continue;
        const indexes = ctx.schema.indexesOf(u.table);
        if (ns.reason === 'leading-wildcard') {
          // A trigram (GIN/GiST) index on the column serves it.
          if (indexes.some((i) => ['gin', 'gist'].includes(i.method?.toLowerCase() ?? '') && i.keys[0]?.kind === 'column' && i.keys[0].column === u.column)) continue;
          ctx.report({
            span: ns.span,
            message: `LIKE pattern on ${u.table}.${u.column} starts with a wildcard: no B-tree index can serve it, so every row is read. Anchor the pattern, or use a trigram index (pg_trgm) or full-text search.`,
            data: { table: u.table, column: u.column, reason: ns.reason },
          });
          continue;
        }
        if (ns.reason === 'negation') continue;
        if (ns.reason === 'case-insensitive') {
          if (!indexes.some((i) => leadsWith(i, u.column))) continue;
          ctx.report({
            span: ns.span,
            message: `ILIKE on ${u.table}.${u.column} cannot use its B-tree index. Compare lower(${u.column}) LIKE lower(…) with an index on (lower(${u.column}) text_pattern_ops), use the citext type, or a trigram index (pg_trgm).`,
            data: { table: u.table, column: u.column, reason: ns.reason },
          });
          continue;
        }
        if (!indexes.some((i) => leadsWith(i, u.column))) continue; // no index would be lost
        if (ns.expression && indexes.some((i) => leadsWithExpression(i, ns.expression!))) continue;
        const what = ns.reason === 'function' ? `the function ${ns.expression ?? ''}` : ns.reason === 'cast' ? 'a cast' : 'arithmetic';
        const fixes = [];
        const zoned = zonedTime(ctx, u.table, u.column);
        if (ns.expression && (ns.reason === 'function' || ns.reason === 'cast') && stmt.dialect !== 'sqlite' && !zoned) {
          const fix = createIndexFix({ table: u.table, keys: [ns.expression], dialect: stmt.dialect, schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, from: ctx.file.path, reason: `Expression index for ${ns.expression} (${ctx.file.path}).` });
          if (fix) fixes.push({ ...fix, title: fix.title.replace('Create index', 'Create expression index') });
        }
        ctx.report({
          span: ns.span,
          message: zoned
            ? `${u.table}.${u.column} is indexed, but ${what} around it stops the database from using the index (and a timestamptz expression cannot be indexed). Compare the bare column with a range instead, e.g. ${u.column} >= $1 AND ${u.column} < $1 + interval '1 day'.`
            : `${u.table}.${u.column} is indexed, but ${what} around it stops the database from using the index. Compare the bare column${ns.expression ? `, or add an expression index on (${ns.expression})` : ''}.`,
          fixes,
          data: { table: u.table, column: u.column, reason: ns.reason, ...(ns.expression ? { expression: ns.expression } : {}) },
        });
      }
    }
  },
};
