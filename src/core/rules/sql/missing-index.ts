import type { SqlRule, SqlRuleContext } from '../rule.js';
import type { ColumnUse, QueryModel, TableRef } from '../../sql/types.js';
import { leadsWith, leadsWithExpression, partialIndexUsable, type Schema } from '../../sql/schema.js';
import { resolveUses, statementsWithQueries } from '../../sql/queries.js';
import { createIndexFix } from '../../sql/fixes.js';

/**
 * A table is reached through an index when any of its indexable predicates (equality / range on a
 * plain column, or an expression matching an expression index) is served by an index whose leading
 * key is that column. Otherwise:
 *  - a table with its own filter predicates must be scanned: report the first filter column;
 *  - a table reached only through join predicates must be scanned (or hashed) for the rows coming
 *    from the filtered side of the query: report its join column when any other FROM item of the
 *    query level is filtered (with no filters anywhere, one side is read whole anyway and a hash
 *    join is the right plan). Each FROM item (alias) is judged separately, so self-joins count twice.
 * Single-table top-N (ORDER BY ... LIMIT) and GROUP BY without a usable index are reported at info level.
 */
export const missingIndex: SqlRule = {
  kind: 'sql',
  meta: {
    id: 'missing-index',
    title: 'Queries filter and join on indexed columns',
    failureTitle: 'Queries filter or join on columns with no usable index',
    description: 'A WHERE / JOIN / ORDER BY column on a known table has no index whose leading column serves it, so the database scans the table.',
    area: 'sql',
    checklistItem: 'indexes',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const { stmt, level } of statementsWithQueries(ctx.file.statements)) {
      checkLevel(ctx, level, stmt.dialect);
    }
  },
};

export function servedBy(schema: Schema, table: string, u: ColumnUse, queryCols: Set<string>, tableUses?: readonly ColumnUse[]): boolean {
  const idx = schema.indexesOf(table).filter((i) => partialIndexUsable(i, queryCols, tableUses));
  if (u.sargable) return idx.some((i) => leadsWith(i, u.column, u.op));
  const expr = u.nonSargable?.expression;
  return !!expr && idx.some((i) => leadsWithExpression(i, expr));
}

function indexable(u: ColumnUse): boolean {
  if (u.inOr) return false;
  if (u.kind !== 'where' && u.kind !== 'join') return false;
  if (u.sargable) return u.op === 'eq' || u.op === 'range';
  return !!u.nonSargable?.expression && (u.nonSargable.reason === 'function' || u.nonSargable.reason === 'cast');
}

function checkLevel(ctx: SqlRuleContext, level: QueryModel, dialect: import('../../sql/types.js').Dialect): void {
  const uses = resolveUses(level, ctx.schema);
  const known = level.tables.filter((t) => ctx.schema.table(t.table));
  if (!known.length) return;
  // Per FROM item (alias), so that self-joined references (movie_companies mc1, mc2) are judged apart.
  const keyOfRef = (t: TableRef): string => t.alias ?? t.table;
  const selfJoined = (t: string): boolean => level.tables.filter((x) => x.table === t).length > 1;
  // A column the table is known not to have (a select-list alias, a typo, SQLite's rowid) is not judged.
  const columnsOf = new Map(level.tables.map((t) => [t.table, ctx.schema.table(t.table)?.columns.map((c) => c.name)]));
  const hasColumn = (t: string, c: string): boolean => {
    const cols = columnsOf.get(t);
    return !cols?.length || cols.includes(c);
  };
  const usesOf = (t: TableRef): ColumnUse[] => uses.filter((u) => u.table === t.table && (!selfJoined(t.table) || !u.ref || u.ref === keyOfRef(t)) && hasColumn(t.table, u.column));
  const colsOf = (t: TableRef): Set<string> => new Set(usesOf(t).filter((u) => u.kind === 'where' || u.kind === 'join').map((u) => u.column));
  const served = new Map<string, boolean>();
  const filtered = new Map<string, boolean>();
  for (const t of level.tables) {
    const tu = usesOf(t);
    const cols = colsOf(t);
    served.set(keyOfRef(t), tu.some((u) => indexable(u) && servedBy(ctx.schema, t.table, u, cols, tu)));
    filtered.set(keyOfRef(t), tu.some((u) => u.kind === 'where' && !u.inOr));
  }
  const reported = new Set<string>();
  for (const ref of known) {
    const key = keyOfRef(ref);
    if (reported.has(key)) continue;
    const tu = usesOf(ref);
    const cols = colsOf(ref);
    // An expression over a column that has its own index is non-sargable-predicate's finding, not a missing index.
    const candidates = tu.filter((u) => indexable(u) && (u.sargable || !ctx.schema.indexesOf(ref.table).some((i) => leadsWith(i, u.column))));
    if (served.get(key)) {
      checkOrderBy(ctx, level, ref, tu, cols, dialect);
      continue;
    }
    const filters = candidates.filter((u) => u.kind === 'where');
    const joins = candidates.filter((u) => u.kind === 'join');
    let target: ColumnUse | undefined;
    let keys: string[] = [];
    if (filters.length) {
      target = filters[0];
      const eq = unique(filters.filter((u) => u.op === 'eq').map(keyOf));
      const range = filters.find((u) => u.op === 'range');
      keys = [...eq, ...(range && !eq.includes(keyOf(range)) ? [keyOf(range)] : [])];
      if (!range && level.tables.length === 1) keys.push(...orderKeys(tu).filter((k) => !keys.includes(k)));
    } else if (joins.length) {
      // The planner starts from a filtered table and reaches every other one through the join
      // graph, so a table none of whose join columns is indexed gets probed (or hashed) whenever
      // some other table of the query is filtered, not only when its direct partner is.
      const otherFiltered = [...filtered].some(([k, f]) => f && k !== key);
      const probe = otherFiltered ? joins.find((j) => (j.joinPartner?.ref ?? j.joinPartner?.table) !== undefined && (j.joinPartner?.ref ?? j.joinPartner?.table) !== key) : undefined;
      if (!probe) {
        if (!candidates.length) checkOrderBy(ctx, level, ref, tu, cols, dialect);
        continue;
      }
      target = probe;
      keys = [probe.column];
    } else {
      checkOrderBy(ctx, level, ref, tu, cols, dialect);
      continue;
    }
    if (!target || !keys.length) continue;
    reported.add(key);
    const how = target.kind === 'join' ? `joins ${ref.table} on ${target.column}` : `filters ${ref.table} by ${target.column}`;
    const volatile = keys.some((k) => !/^[a-z_][a-z0-9_]*$/.test(k)) && zonedTime(ctx, ref.table, target.column);
    const fix = volatile ? undefined : createIndexFix({ table: ref.table, keys, dialect, schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, reason: `Serves queries that ${target.kind === 'join' ? `join ${ref.table} on` : `filter ${ref.table} by`} ${keyOf(target)} (${ctx.file.path}).` });
    ctx.report({
      span: target.nonSargable?.span ?? target.span,
      message: volatile
        ? `No index on ${ref.table}(${target.nonSargable?.expression ?? target.column}): this query ${how}, so the database reads every row of ${ref.table}. An expression over a timestamptz column cannot be indexed: index ${ref.table} (${target.column}) and compare the bare column with a range.`
        : `No index on ${ref.table}(${target.nonSargable?.expression ?? target.column}): this query ${how}, so the database reads every row of ${ref.table}. Add an index on ${ref.table} (${keys.join(', ')}).`,
      fixes: fix ? [fix] : [],
      related: relatedTable(ctx, ref.table),
      data: { table: ref.table, ...(ref.alias ? { alias: ref.alias } : {}), column: target.column, columns: keys, clause: target.kind },
    });
  }
}

/** Expressions over timestamptz (casts to date, date_trunc…) are not IMMUTABLE: PostgreSQL refuses to index them. */
export function zonedTime(ctx: SqlRuleContext, table: string, column: string): boolean {
  const type = ctx.schema.table(table)?.columns.find((c) => c.name === column)?.type.toLowerCase() ?? '';
  return /timestamptz|with time zone/.test(type);
}

function keyOf(u: ColumnUse): string {
  return !u.sargable && u.nonSargable?.expression ? u.nonSargable.expression : u.column;
}

function orderKeys(tu: ColumnUse[]): string[] {
  return unique(tu.filter((u) => u.kind === 'order-by').map((u) => u.column));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function relatedTable(ctx: SqlRuleContext, table: string): { file: string; span: import('../../sql/types.js').Span; message: string }[] {
  const def = ctx.schema.table(table);
  return def?.nameSpan ? [{ file: def.file, span: def.nameSpan, message: `${table} is defined here` }] : [];
}

/** Top-N without an index for the sort, and single-table GROUP BY without an index for the groups. */
function checkOrderBy(ctx: SqlRuleContext, level: QueryModel, ref: TableRef, tu: ColumnUse[], cols: Set<string>, dialect: import('../../sql/types.js').Dialect): void {
  if (level.tables.length !== 1) return;
  const idx = ctx.schema.indexesOf(ref.table).filter((i) => partialIndexUsable(i, cols, tu));
  const eqCols = new Set(tu.filter((u) => u.kind === 'where' && u.op === 'eq' && u.sargable && !u.inOr).map((u) => u.column));
  const check = (kind: 'order-by' | 'group-by'): void => {
    const list = tu.filter((u) => u.kind === kind);
    if (!list.length) return;
    const first = list[0].column;
    // An index serves the sort when its keys are: any equality columns, then the first sort column.
    const ok = idx.some((i) => {
      const m = i.method?.toLowerCase();
      if (m === 'gin' || m === 'hash' || m === 'brin') return false;
      for (const k of i.keys) {
        if (k.kind !== 'column') return false;
        if (k.column === first) return true;
        if (!eqCols.has(k.column)) return false;
      }
      return false;
    });
    if (ok) return;
    const keys = unique([...eqCols, ...list.map((u) => u.column)]);
    const fix = createIndexFix({ table: ref.table, keys, dialect, schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, reason: `Serves ${kind === 'order-by' ? 'ORDER BY' : 'GROUP BY'} ${first} on ${ref.table} (${ctx.file.path}).` });
    ctx.report({
      span: list[0].span,
      severity: 'info',
      message: kind === 'order-by'
        ? `No index on ${ref.table} serves ORDER BY ${first}: the database sorts every matching row to return the first few. Add an index on ${ref.table} (${keys.join(', ')}).`
        : `No index on ${ref.table} serves GROUP BY ${first}: the database hashes or sorts every row. An index on ${ref.table} (${keys.join(', ')}) lets it stream the groups.`,
      fixes: fix ? [fix] : [],
      related: relatedTable(ctx, ref.table),
      data: { table: ref.table, column: first, columns: keys, clause: kind },
    });
  };
  if (level.hasLimit) check('order-by');
  else if (!tu.some((u) => u.kind === 'where')) check('group-by');
}
