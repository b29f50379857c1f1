import { SQL_ANALYSIS_ID, type SqlRule, type SqlRuleContext } from '../gather.js';
import { resolveUses, statementsWithQueries, isRuntimeQueryFile } from '../queries.js';
import { leadsWith, leadsWithExpression } from '../schema.js';
import { createIndexFix } from '../fixes.js';
import { indexable, servedBy, zonedTime } from './missing-index.js';
import type { ColumnUse, Dialect } from '../types.js';
import type { Schema } from '../schema.js';
import type { PendingFix } from '../../../kernel/contracts.js';

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
    // One-off SQL (migrations, seeds, scripts) and test code are not hot queries.
    if (!isRuntimeQueryFile(ctx.settings, ctx.file.path)) return;
    for (const { stmt, level } of statementsWithQueries(ctx.file.statements)) {
      const uses = resolveUses(level, ctx.schema);
      for (const u of uses) {
        const ns = u.nonSargable;
        if (!ns || !u.table || !ctx.schema.table(u.table)) continue;
        if (u.kind !== 'where' && u.kind !== 'join') continue;
        const indexes = ctx.schema.indexesOf(u.table);
        // Another AND-ed predicate on the same FROM item that an index serves: the database finds the
        // rows through that index and this predicate only filters them. Still worth knowing, not a scan.
        const via = reachedThrough(ctx.schema, uses, u);
        const filtersOnly = via ? ` The query reaches ${u.table} through the index on ${via}, so this predicate only filters the rows found there.` : '';
        if (ns.reason === 'leading-wildcard') {
          // A trigram (GIN/GiST) index on the column serves it.
          if (indexes.some((i) => ['gin', 'gist'].includes(i.method?.toLowerCase() ?? '') && i.keys[0]?.kind === 'column' && i.keys[0].column === u.column)) continue;
          const fix = !via && stmt.dialect === 'postgresql' ? trigramIndexFix(ctx, u.table, u.column) : undefined;
          ctx.report({
            span: ns.span,
            // No B-tree index serves a pattern that starts with a wildcard: never suggest one. PostgreSQL has
            // trigram indexes (pg_trgm), MySQL only FULLTEXT (with MATCH … AGAINST), SQLite an FTS5 table.
            severity: via || stmt.dialect !== 'postgresql' ? 'info' : undefined,
            message: `LIKE pattern on ${u.table}.${u.column} starts with a wildcard: no B-tree index can serve it${via ? '.' : `, so every row of ${u.table} is read.`}${filtersOnly} ${wildcardAdvice(stmt.dialect, u.table, u.column)}`,
            fixes: fix ? [fix] : [],
            data: { table: u.table, column: u.column, reason: ns.reason, ...(via ? { via } : {}) },
          });
          continue;
        }
        if (ns.reason === 'negation') continue;
        if (ns.reason === 'case-insensitive') {
          if (!indexes.some((i) => leadsWith(i, u.column))) continue;
          ctx.report({
            span: ns.span,
            ...(via ? { severity: 'info' as const } : {}),
            message: `ILIKE on ${u.table}.${u.column} cannot use its B-tree index. Compare lower(${u.column}) LIKE lower(…) with an index on (lower(${u.column}) text_pattern_ops), use the citext type, or a trigram index (pg_trgm).${filtersOnly}`,
            data: { table: u.table, column: u.column, reason: ns.reason },
          });
          continue;
        }
        if (!indexes.some((i) => leadsWith(i, u.column))) continue; // no index would be lost
        if (ns.expression && indexes.some((i) => leadsWithExpression(i, ns.expression!))) continue;
        const what = ns.reason === 'function' ? `the function ${ns.expression ?? ''}` : ns.reason === 'cast' ? 'a cast' : 'arithmetic';
        const fixes = [];
        const zoned = zonedTime(ctx, u.table, u.column);
        // MySQL's default collations ignore case: lower(col) = … needs no index of its own, and a functional
        // key part ((lower(col))) exists only on MySQL 8.0.13+ (a syntax error on MariaDB).
        const caseFold = stmt.dialect === 'mysql' && !!ns.expression && /^(?:lower|upper|lcase|ucase)\(/i.test(ns.expression);
        if (ns.expression && (ns.reason === 'function' || ns.reason === 'cast') && stmt.dialect !== 'sqlite' && !zoned && !caseFold) {
          const fix = createIndexFix({ table: u.table, keys: [u.like && stmt.dialect === 'postgresql' ? `${ns.expression} text_pattern_ops` : ns.expression], dialect: stmt.dialect, schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, from: ctx.file.path, reason: `Expression index for ${ns.expression} (${ctx.file.path}).` });
          if (fix) fixes.push({ ...fix, title: fix.title.replace('Create index', 'Create expression index') });
        }
        ctx.report({
          span: ns.span,
          ...(via ? { severity: 'info' as const } : {}),
          message: (caseFold
            ? `${u.table}.${u.column} is indexed, but ${what} around it stops the database from using the index. MySQL's default collations already compare case-insensitively: compare the bare column (${u.column} = …) and the index serves it.`
            : zoned
            ? `${u.table}.${u.column} is indexed, but ${what} around it stops the database from using the index (and a timestamptz expression cannot be indexed). Compare the bare column with a range instead, e.g. ${u.column} >= $1 AND ${u.column} < $1 + interval '1 day'.`
            : `${u.table}.${u.column} is indexed, but ${what} around it stops the database from using the index. Compare the bare column${ns.expression ? `, or add an expression index on (${ns.expression})` : ''}.`) + filtersOnly,
          fixes,
          data: { table: u.table, column: u.column, reason: ns.reason, ...(ns.expression ? { expression: ns.expression } : {}) },
        });
      }
    }
  },
};

/** `table(column)` of another AND-ed WHERE predicate on the same FROM item that an index serves, if any. */
function reachedThrough(schema: Schema, uses: readonly ColumnUse[], u: ColumnUse): string | undefined {
  const same = uses.filter((x) => x.table === u.table && (!u.ref || !x.ref || x.ref === u.ref));
  const cols = new Set(same.filter((x) => x.kind === 'where' || x.kind === 'join').map((x) => x.column));
  const other = same.find((x) => x !== u && x.kind === 'where' && !x.inOr && indexable(x) && x.sargable && servedBy(schema, u.table!, x, cols, same));
  return other ? `${u.table}(${other.column})` : undefined;
}

function wildcardAdvice(dialect: Dialect, table: string, column: string): string {
  if (dialect === 'postgresql') return `Anchor the pattern, or add a trigram index: CREATE EXTENSION pg_trgm; CREATE INDEX ON ${table} USING gin (${column} gin_trgm_ops).`;
  if (dialect === 'mysql') return 'Anchor the pattern; for word searches a FULLTEXT index with MATCH … AGAINST serves them (no B-tree index can).';
  return 'Anchor the pattern; for text search SQLite offers an FTS5 virtual table (no B-tree index can serve it).';
}

/** CREATE EXTENSION pg_trgm + a GIN trigram index on the column, placed like any new index. */
function trigramIndexFix(ctx: SqlRuleContext, table: string, column: string): PendingFix | undefined {
  const fix = createIndexFix({ table, keys: [`${column} gin_trgm_ops`], method: 'gin', dialect: 'postgresql', schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, reason: `Trigram index for LIKE '%…' on ${table}.${column} (${ctx.file.path}).` });
  if (!fix) return undefined;
  const ext = (t: string): string => t.replace('CREATE INDEX', 'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX');
  return {
    ...fix,
    title: fix.title.replace('Create index', 'Create trigram index'),
    changes: fix.changes.map((c) => (c.create ? { ...c, create: { ...c.create, newText: ext(c.create.newText) } } : { ...c, edits: c.edits?.map((e) => ({ ...e, newText: ext(e.newText) })) })),
  };
}
