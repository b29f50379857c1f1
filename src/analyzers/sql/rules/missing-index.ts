import { SQL_ANALYSIS_ID, type SqlRule, type SqlRuleContext } from '../gather.js';
import type { ColumnUse, Dialect, IndexDef, QueryModel, TableRef } from '../types.js';
import { leadsWith, leadsWithExpression, partialIndexUsable, type Schema } from '../schema.js';
import { resolveUses, statementsWithQueries, isRuntimeQueryFile } from '../queries.js';
import { createIndexFix } from '../fixes.js';
import { maintenanceOnly, workQueueReason } from '../maintenance.js';
import { ormStatementsOf } from '../orm/statements.js';
import { isAdminPath } from '../../../kernel/code-role.js';
import { isNeverReferenced } from '../callers.js';
import { isPreviewOrm, previewNote } from '../orm/preview.js';
import type { ParsedStatement } from '../types.js';

/**
 * A table is reached through an index when any of its indexable predicates (equality / range on a
 * plain column, or an expression matching an expression index) is served by an index whose leading
 * key is that column, or when an OR restricts it and every branch of the OR is served that way (a
 * BitmapOr / multi-index OR; a branch is judged like an AND-conjunction). Otherwise:
 *  - a table with its own filter predicates must be scanned: report the first filter column;
 *  - a table reached only through join predicates must be scanned (or hashed) for the rows coming
 *    from the filtered side of the query: report its join column when any other FROM item of the
 *    query level is filtered (with no filters anywhere, one side is read whole anyway and a hash
 *    join is the right plan). Each FROM item (alias) is judged separately, so self-joins count twice.
 * Single-table top-N (ORDER BY ... LIMIT) and GROUP BY without a usable index are reported at info level.
 */
export const missingIndex: SqlRule = {
  kind: 'project',
  analysis: SQL_ANALYSIS_ID,
  meta: {
    id: 'missing-index',
    title: 'Queries filter and join on indexed columns',
    failureTitle: 'Queries filter or join on columns with no usable index',
    description: 'A WHERE / JOIN / ORDER BY column on a known table has no index whose leading column serves it, so the database scans the table.',
    domain: 'sql',
    checklistItem: 'indexes',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    // One-off SQL (migrations, seeds, scripts) and test code are not hot queries.
    if (!isRuntimeQueryFile(ctx.settings, ctx.file.path)) return;
    for (const { stmt, level } of statementsWithQueries(ctx.file.statements)) {
      checkLevel(ctx, level, stmt);
    }
    // ORM calls (Prisma Client…), as the SQL they run.
    for (const { statement } of ormStatementsOf(ctx.file, ctx.schema)) {
      const call = `${statement.orm?.model ?? ''}.${statement.orm?.method ?? ''}`;
      const preview = isPreviewOrm(statement.orm?.kind);
      const said: SqlRuleContext = { ...ctx, report: (f) => ctx.report({ ...f, ...(preview ? { severity: 'info' as const } : {}), message: `${f.message} (${call} runs ${statement.text}.)${preview ? ` ${previewNote(statement.orm!.kind)}` : ''}`, data: { ...f.data, orm: statement.orm?.kind, sql: statement.text, ...(preview ? { preview: true } : {}) } }) };
      for (const { stmt, level } of statementsWithQueries([statement])) checkLevel(said, level, stmt);
    }
  },
};

export function servedBy(schema: Schema, table: string, u: ColumnUse, queryCols: Set<string>, tableUses?: readonly ColumnUse[], dialect?: Dialect): boolean {
  const idx = schema.indexesOf(table).filter((i) => partialIndexUsable(i, queryCols, tableUses) && (!u.like || dialect !== 'postgresql' || servesPrefixLike(i)));
  if (u.sargable) return idx.some((i) => leadsWith(i, u.column, u.op));
  const expr = u.nonSargable?.expression;
  return !!expr && idx.some((i) => leadsWithExpression(i, expr));
}

/**
 * PostgreSQL: a B-tree key serves `LIKE 'abc%'` only with a pattern operator class
 * (text_pattern_ops, varchar_pattern_ops, bpchar_pattern_ops) or the C / POSIX collation; under
 * any other collation (the default of most databases: en_US.UTF-8…) the planner cannot use it.
 */
export function servesPrefixLike(i: IndexDef): boolean {
  const k = i.keys[0];
  return !!k && (/_pattern_ops$/.test(k.opclass ?? '') || /^(?:c|posix)$/i.test(k.collation ?? ''));
}

/** The key to index for a prefix LIKE on PostgreSQL: the column (or expression) with the pattern operator class of its type. */
export function patternKey(schema: Schema, table: string, key: string, column: string): string {
  const type = schema.table(table)?.columns.find((c) => c.name === column)?.type.toLowerCase() ?? '';
  const ops = key !== column ? 'text_pattern_ops' : /^(?:varchar|character varying)/.test(type) ? 'varchar_pattern_ops' : /^(?:bpchar|char|character)\b/.test(type) ? 'bpchar_pattern_ops' : 'text_pattern_ops';
  return `${key} ${ops}`;
}

/** `inBranch`: judged as a conjunct of an OR branch, where predicates under that OR count. */
export function indexable(u: ColumnUse, inBranch = false): boolean {
  if (u.inOr && !inBranch) return false;
  if (u.kind !== 'where' && u.kind !== 'join') return false;
  if (u.sargable) return u.op === 'eq' || u.op === 'range';
  return !!u.nonSargable?.expression && (u.nonSargable.reason === 'function' || u.nonSargable.reason === 'cast');
}

/**
 * An expression that takes a query parameter (`json_search(value, 'one', ?)`) differs per call: no
 * expression index can hold it. (`?` also stands for a part the normalizer cannot print.)
 */
function hasParameter(expression: string): boolean {
  const code = expression.replace(/'(?:[^']|'')*'/g, "''");
  return /\?|\$\d|(?:^|[^:\w]):[A-Za-z_]|@[A-Za-z_]/.test(code);
}

function checkLevel(ctx: SqlRuleContext, level: QueryModel, stmt: ParsedStatement): void {
  const dialect = stmt.dialect;
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
  const orVerdicts = new Map<string, OrVerdict[]>();
  for (const t of level.tables) {
    const tu = usesOf(t);
    const cols = colsOf(t);
    const ors = orsOn(level, tu).map((g) => judgeOr(ctx.schema, t.table, g, cols, tu.filter((u) => !u.inOr)));
    orVerdicts.set(keyOfRef(t), ors);
    served.set(keyOfRef(t), tu.some((u) => indexable(u) && servedBy(ctx.schema, t.table, u, cols, tu, dialect)) || ors.includes('served'));
    filtered.set(keyOfRef(t), tu.some((u) => u.kind === 'where' && !u.inOr && !u.implied) || ors.length > 0);
  }
  const reported = new Set<string>();
  for (const ref of known) {
    const key = keyOfRef(ref);
    if (reported.has(key)) continue;
    const tu = usesOf(ref);
    const cols = colsOf(ref);
    // An expression over a column that has its own index is non-sargable-predicate's finding, not a missing index.
    const indexableUses = tu.filter((u) => !u.implied && indexable(u) && (u.sargable || !ctx.schema.indexesOf(ref.table).some((i) => leadsWith(i, u.column))));
    // An expression of a parameter is no index key: judge the other filters alone when there are some.
    const keyable = indexableUses.filter((u) => u.sargable || !hasParameter(keyOf(u)));
    const candidates = keyable.length ? keyable : indexableUses;
    if (served.get(key)) {
      checkOrderBy(ctx, level, ref, tu, cols, dialect, stmt.text);
      continue;
    }
    const filters = candidates.filter((u) => u.kind === 'where');
    const joins = candidates.filter((u) => u.kind === 'join');
    let target: ColumnUse | undefined;
    let keys: string[] = [];
    const unservedOr = filters.length ? undefined : orVerdicts.get(key)?.find((v): v is OrBranch[] => Array.isArray(v));
    if (unservedOr) {
      reportOrBranches(ctx, ref, unservedOr, stmt);
      reported.add(key);
      continue;
    }
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
        if (!candidates.length) checkOrderBy(ctx, level, ref, tu, cols, dialect, stmt.text);
        continue;
      }
      target = probe;
      keys = [probe.column];
    } else {
      checkOrderBy(ctx, level, ref, tu, cols, dialect, stmt.text);
      continue;
    }
    if (!target || !keys.length) continue;
    reported.add(key);
    // PostgreSQL prefix LIKE: the index needs a pattern operator class. A plain index on the column may
    // serve it (C collation) or not (any other): info, since the collation is the database's.
    const likeUse = dialect === 'postgresql' ? filters.find((u) => u.like && keys.includes(keyOf(u))) : undefined;
    if (likeUse) keys = keys.map((k) => (k === keyOf(likeUse) ? patternKey(ctx.schema, ref.table, k, likeUse.column) : k));
    const plainForLike = likeUse && ctx.schema.indexesOf(ref.table).some((i) => (likeUse.sargable ? leadsWith(i, likeUse.column, 'range') : leadsWithExpression(i, keyOf(likeUse))));
    const low = !plainForLike && target.kind === 'where' ? lowSelectivity(ctx, ref.table, filters, stmt.embedded) : undefined;
    const maint = !plainForLike && !low && target.kind === 'where' ? maintenanceOf(ctx, stmt, ref.table, target.column) : undefined;
    const queue = !plainForLike && !low && !maint && target.kind === 'where' ? workQueueReason({ file: ctx.file, table: ref.table, schema: ctx.schema, schemaFor: ctx.schemaFor, allFiles: ctx.allFiles, settings: ctx.settings, textOf: ctx.textOf }) : undefined;
    const admin = !plainForLike && !low && !maint && !queue && isAdminPath(ctx.file.path);
    // A fallback in a catch block runs when something failed, not on every request.
    const errorPath = !plainForLike && !low && !maint && !queue && !admin && !!stmt.orm?.inErrorHandler;
    // A function nothing calls (its call commented out, only an import left) never runs.
    const dead = !plainForLike && !low && !maint && !queue && !admin && !errorPath && !!stmt.orm?.functionName && isNeverReferenced(ctx.allFiles, ctx.textOf, stmt.orm.functionName, ctx.file.path);
    const how = target.kind === 'join' ? `joins ${ref.table} on ${target.column}` : `filters ${ref.table} by ${target.column}`;
    const volatile = keys.some((k) => !/^[a-z_][a-z0-9_]*$/.test(k)) && zonedTime(ctx, ref.table, target.column);
    const fix = volatile ? undefined : createIndexFix({ table: ref.table, keys, dialect, schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, from: ctx.file.path, reason: `Serves queries that ${target.kind === 'join' ? `join ${ref.table} on` : `filter ${ref.table} by`} ${keyOf(target)} (${ctx.file.path}).` });
    const subject = `${ref.table}(${target.nonSargable?.expression ?? target.column})`;
    ctx.report({
      span: target.nonSargable?.span ?? target.span,
      ...(plainForLike || low || maint || queue || admin || errorPath || dead ? { severity: 'info' as const } : {}),
      message: volatile
        ? `No index on ${subject}: this query ${how}, so the database reads every row of ${ref.table}. An expression over a timestamptz column cannot be indexed: index ${ref.table} (${target.column}) and compare the bare column with a range.`
        : plainForLike
          ? `The index on ${subject} serves LIKE 'prefix%' only if the database collation is C: under any other collation PostgreSQL reads every row of ${ref.table}. Add an index on ${ref.table} (${keys.join(', ')}).`
          : maint
            ? `No index on ${subject}: this query ${how}, but ${maint}. If these run often, add an index on ${ref.table} (${keys.join(', ')}).`
          : queue
            ? `No index on ${subject}: this query ${how}, but ${queue}: scanning a short queue is cheap. If the backlog can grow large, add an index on ${ref.table} (${keys.join(', ')}).`
          : admin
            ? `No index on ${subject}: this query ${how}, so the database reads every row of ${ref.table}, but it sits in admin code, which a few operators run now and then. If it is slow for them, add an index on ${ref.table} (${keys.join(', ')}).`
          : dead
            ? `No index on ${subject}: this query ${how}, so the database reads every row of ${ref.table}, but ${stmt.orm!.functionName} is never called: every other mention of it in the workspace is an import or a comment. If it is called from outside the workspace, add an index on ${ref.table} (${keys.join(', ')}).`
          : errorPath
            ? `No index on ${subject}: this query ${how}, so the database reads every row of ${ref.table}, but it runs only in an error handler (a catch block), when something else failed. If that path is common, add an index on ${ref.table} (${keys.join(', ')}).`
          : low
            ? `No index on ${subject}: this query ${how}, but ${low}: an index on that alone is rarely used unless the value filtered on is rare (then a partial index on that value serves it) or the query also filters on a selective column. If the value is rare, add an index on ${ref.table} (${keys.join(', ')}).`
            : `No index on ${subject}: this query ${how}, so the database reads every row of ${ref.table}. Add an index on ${ref.table} (${keys.join(', ')}).`,
      fixes: fix ? [fix] : [],
      related: relatedTable(ctx, ref.table),
      data: { table: ref.table, ...(ref.alias ? { alias: ref.alias } : {}), column: target.column, columns: keys, clause: target.kind, ...(low ? { lowSelectivity: low } : {}), ...(maint ? { maintenanceOnly: true } : {}), ...(queue ? { workQueue: true } : {}), ...(admin ? { admin: true } : {}), ...(errorPath ? { errorPath: true } : {}), ...(dead ? { neverCalled: true } : {}) },
    });
  }
}

/** One branch of an OR, restricted to one FROM item: its AND-ed predicates on it, and the ORs nested in it that restrict it. */
interface OrBranch {
  uses: ColumnUse[];
  groups: OrBranch[][];
}

/**
 * The ORs that restrict one FROM item (`tu`: its uses): those where every branch has a predicate on
 * it, directly or through a nested OR that restricts it. An OR with a branch that does not mention it
 * (`c = $1 OR $1 IS NULL`, `t.a = 1 OR u.b = 2`) selects none of its rows by itself.
 */
function orsOn(level: QueryModel, tu: readonly ColumnUse[]): OrBranch[][] {
  const groups = level.orGroups ?? [];
  if (!groups.length) return [];
  const build = (g: number): OrBranch[] | undefined => {
    const branches: OrBranch[] = [];
    for (let b = 0; b < groups[g].branches; b++) {
      const uses = tu.filter((u) => {
        const last = u.or?.[u.or.length - 1];
        return last?.group === g && last.branch === b;
      });
      const nested: OrBranch[][] = [];
      groups.forEach((x, i) => {
        if (x.parent?.group !== g || x.parent.branch !== b) return;
        const n = build(i);
        if (n) nested.push(n);
      });
      if (!uses.length && !nested.length) return undefined;
      branches.push({ uses, groups: nested });
    }
    return branches;
  };
  const out: OrBranch[][] = [];
  groups.forEach((x, i) => {
    if (x.parent) return;
    const g = build(i);
    if (g) out.push(g);
  });
  return out;
}

/**
 * How an OR that restricts a table is served: `served` when every branch has a usable index;
 * `unservable` when some branch has no indexable predicate (the table is scanned whatever the
 * indexes); else the branches that need an index (each with indexable predicates, none served).
 * A branch is judged like an AND-conjunction: the predicates AND-ed outside the OR (`held`) also hold
 * for partial indexes.
 */
type OrVerdict = 'served' | 'unservable' | OrBranch[];

function judgeOr(schema: Schema, table: string, group: OrBranch[], cols: Set<string>, held: readonly ColumnUse[]): OrVerdict {
  const unserved: OrBranch[] = [];
  for (const br of group) {
    const conj = [...held, ...br.uses.map((u) => ({ ...u, inOr: false }))];
    const candidates = branchCandidates(schema, table, br);
    if (candidates.some((u) => servedBy(schema, table, u, cols, conj))) continue;
    const nested = br.groups.map((g) => judgeOr(schema, table, g, cols, conj));
    if (nested.includes('served')) continue;
    if (candidates.length) unserved.push(br);
    else {
      const inner = nested.find((v): v is OrBranch[] => Array.isArray(v));
      if (!inner) return 'unservable';
      unserved.push(...inner);
    }
  }
  return unserved.length ? unserved : 'served';
}

/** A branch's indexable predicates (an expression over a column with its own index is left to non-sargable-predicate, as for AND). */
function branchCandidates(schema: Schema, table: string, br: OrBranch): ColumnUse[] {
  return br.uses.filter((u) => indexable(u, true) && (u.sargable || !schema.indexesOf(table).some((i) => leadsWith(i, u.column))));
}

/** One finding per distinct set of suggested keys among the OR branches that no index serves. */
function reportOrBranches(ctx: SqlRuleContext, ref: TableRef, branches: OrBranch[], stmt: ParsedStatement): void {
  const dialect = stmt.dialect;
  const byKeys = new Map<string, { target: ColumnUse; keys: string[]; cols: string[]; n: number }>();
  for (const br of branches) {
    const cands = branchCandidates(ctx.schema, ref.table, br);
    const eq = unique(cands.filter((u) => u.op === 'eq').map(keyOf));
    const range = cands.find((u) => u.op === 'range');
    const keys = [...eq, ...(range && !eq.includes(keyOf(range)) ? [keyOf(range)] : [])];
    if (!keys.length) {
      // a function / cast predicate without an expression index
      keys.push(keyOf(cands[0]));
    }
    const id = keys.join('\u0000');
    const cur = byKeys.get(id);
    if (cur) cur.n++;
    else byKeys.set(id, { target: cands[0], keys, cols: unique(cands.map((u) => (u.nonSargable?.expression && !u.sargable ? u.nonSargable.expression : u.column))), n: 1 });
  }
  // `expires IS NULL OR expires > now()`: the OR keeps the live rows, most of the table.
  const orCols = unique(branches.flatMap((br) => br.uses.map((u) => u.column)));
  const liveRows = orCols.length === 1 && SOFT_DELETE.test(orCols[0]) && branches.some((br) => br.uses.some((u) => u.fact?.is === 'null'));
  for (const { target, keys, cols, n } of byKeys.values()) {
    const maint = liveRows || target.kind !== 'where' ? undefined : maintenanceOf(ctx, stmt, ref.table, target.column);
    const where = `${n === 1 ? 'one branch' : `${n} branches`} of an OR`;
    const volatile = keys.some((k) => !/^[a-z_][a-z0-9_]*$/.test(k)) && zonedTime(ctx, ref.table, target.column);
    const fix = volatile ? undefined : createIndexFix({ table: ref.table, keys, dialect, schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, from: ctx.file.path, reason: `Serves queries that filter ${ref.table} by ${keys.join(', ')} in an OR (${ctx.file.path}).` });
    const head = `No index on ${ref.table}(${cols.join(', ')}): ${where} in this query ${target.kind === 'join' ? `join${n === 1 ? 's' : ''} ${ref.table} on` : `filter${n === 1 ? 's' : ''} ${ref.table} by`} ${cols.join(' and ')}, and each branch of an OR needs an index of its own, so the database reads every row of ${ref.table}.`;
    ctx.report({
      span: target.nonSargable?.span ?? target.span,
      ...(liveRows || maint ? { severity: 'info' as const } : {}),
      message: maint
        ? `No index on ${ref.table}(${cols.join(', ')}): ${where} in this query filter${n === 1 ? 's' : ''} ${ref.table} by ${cols.join(' and ')}, but ${maint}. If these run often, add an index on ${ref.table} (${keys.join(', ')}).`
        : liveRows
        ? `No index on ${ref.table}(${cols.join(', ')}), but ${orCols[0]} IS NULL OR … keeps the live rows, most of ${ref.table}: an index on ${orCols[0]} would rarely be used. Index a selective column of the query instead.`
        : volatile
        ? `${head} An expression over a timestamptz column cannot be indexed: index ${ref.table} (${target.column}) and compare the bare column with a range.`
        : `${head} Add an index on ${ref.table} (${keys.join(', ')}).`,
      fixes: fix ? [fix] : [],
      related: relatedTable(ctx, ref.table),
      data: { table: ref.table, ...(ref.alias ? { alias: ref.alias } : {}), column: target.column, columns: keys, clause: target.kind, or: true, ...(maint ? { maintenanceOnly: true } : {}) },
    });
  }
}

/** Why a filter is maintenance-only (see maintenance.ts), for the info message; undefined when worth a warning. */
function maintenanceOf(ctx: SqlRuleContext, stmt: ParsedStatement, table: string, column: string): string | undefined {
  return maintenanceOnly({ file: ctx.file, stmt, table, column, schema: ctx.schema, schemaFor: ctx.schemaFor, allFiles: ctx.allFiles, settings: ctx.settings, textOf: ctx.textOf });
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

function relatedTable(ctx: SqlRuleContext, table: string): { file: string; span: import('../types.js').Span; message: string }[] {
  const def = ctx.schema.table(table);
  return def?.nameSpan ? [{ file: def.file, span: def.nameSpan, message: `${table} is defined here` }] : [];
}

/** sum(x), avg(x)… over a column: a GROUP BY that needs every row's values, not only the group keys. */
const OTHER_COLUMN_AGGREGATE = /\b(?:sum|avg|min|max|array_agg|string_agg|json_agg|jsonb_agg|json_object_agg|bool_and|bool_or|stddev|variance)\s*\(/i;

/** Top-N without an index for the sort, and single-table GROUP BY without an index for the groups. */
function checkOrderBy(ctx: SqlRuleContext, level: QueryModel, ref: TableRef, tu: ColumnUse[], cols: Set<string>, dialect: import('../types.js').Dialect, stmtText: string): void {
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
    // PostgreSQL hashes a sequential scan for a whole-table GROUP BY that aggregates other columns, with or
    // without an index on the groups (checked with EXPLAIN on PostgreSQL 15): no index fix to offer.
    if (kind === 'group-by' && dialect === 'postgresql' && OTHER_COLUMN_AGGREGATE.test(stmtText)) {
      ctx.report({
        span: list[0].span,
        severity: 'info',
        message: `GROUP BY ${first} aggregates other columns of every row of ${ref.table}: no index makes PostgreSQL read fewer rows (it hashes one sequential scan). If this runs often, keep the totals in a summary table or a materialized view.`,
        related: relatedTable(ctx, ref.table),
        data: { table: ref.table, column: first, columns: keys, clause: kind },
      });
      return;
    }
    const fix = createIndexFix({ table: ref.table, keys, dialect, schema: ctx.schema, allFiles: ctx.allFiles, textOf: ctx.textOf, from: ctx.file.path, reason: `Serves ${kind === 'order-by' ? 'ORDER BY' : 'GROUP BY'} ${first} on ${ref.table} (${ctx.file.path}).` });
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

const BUILTIN_TYPES = new Set([
  'int', 'int2', 'int4', 'int8', 'integer', 'smallint', 'bigint', 'tinyint', 'mediumint', 'serial', 'bigserial', 'smallserial', 'numeric', 'decimal',
  'real', 'float', 'float4', 'float8', 'double', 'double precision', 'money', 'text', 'varchar', 'character varying', 'char', 'character', 'bpchar',
  'citext', 'tinytext', 'mediumtext', 'longtext', 'bytea', 'blob', 'tinyblob', 'mediumblob', 'longblob', 'binary', 'varbinary', 'timestamp',
  'timestamptz', 'date', 'time', 'timetz', 'datetime', 'year', 'interval', 'uuid', 'json', 'jsonb', 'xml', 'inet', 'cidr', 'macaddr', 'tsvector',
  'ltree', 'hstore', 'point', 'geometry', 'geography', 'oid', 'name', 'bit', 'varbit', 'string', 'datetime2', 'nvarchar', 'nchar', 'clob',
  'bigint unsigned', 'int unsigned', 'unsigned', 'bool', 'boolean',
  // Prisma scalars
  'bigint', 'float', 'decimal', 'json', 'bytes', 'unsupported',
]);

/** Columns set when a row stops being live (soft delete, archive, expiry): `IS NULL` on them matches most rows. */
const SOFT_DELETE = /(?:^|_)(?:deleted|archived|removed|disabled|expired|expires|expiry|expiration|valid_until|revoked|cancell?ed|ended|ends|closed|banned|suspended|trashed|discarded)(?:_(?:at|on|date|time|ts))?$/;

/** Integer types: SQLite and MySQL store booleans in them. */
const INTEGER_TYPES = new Set(['int', 'integer', 'smallint', 'tinyint', 'mediumint', 'bigint', 'int2', 'int4', 'int8', 'number']);

/** A yes/no column stored as an integer (`is_public INTEGER`, `has_avatar tinyint`): two values. */
const FLAG_NAME = /^(?:is|has)_[a-z0-9_]+$/;

/** A count kept on the row (`parsing_error_count`, `retry_counter`): mostly 0 or small, rewritten on every change. */
const COUNTER_NAME = /(?:^|_)(?:count|counter)$/;

/**
 * Why the table's filters select a large share of its rows, when every one of them does: a boolean
 * column or a bare boolean test, `IS NULL` on a soft-delete column (`deleted_at IS NULL` matches most rows), an
 * enum column (a few values; a type the schema does not define as a base type, or MySQL ENUM), an
 * `is_`/`has_` flag stored as an integer, a range on a counter column (`error_count > 0`), a string constant
 * written in application code's SQL (a kind, status or key name), or a
 * table listed in sql.smallTables. Undefined when any filter may be selective.
 */
function lowSelectivity(ctx: SqlRuleContext, table: string, filters: readonly ColumnUse[], inCode = false): string | undefined {
  if (ctx.settings.sql.smallTables.includes(table)) return `${table} is listed as a small table (sql.smallTables)`;
  const def = ctx.schema.table(table);
  const reasons: string[] = [];
  for (const u of filters) {
    if (!u.sargable) return undefined;
    const raw = def?.columns.find((c) => c.name === u.column)?.type ?? '';
    const paren = raw.indexOf('(');
    const type = (paren < 0 ? raw : raw.slice(0, paren)).toLowerCase().replace(/\?$/, '').trim();
    if (u.fact?.is === 'null' && SOFT_DELETE.test(u.column)) reasons.push(`${u.column} IS NULL matches most rows (it marks the live ones)`);
    // `IS NOT NULL` alone keeps every row that has a value: most of them, for a column worth filtering on.
    else if (u.fact?.is === 'not-null') reasons.push(`${u.column} IS NOT NULL keeps every row that has a value (most rows, unless the column is rarely set: then a partial index WHERE ${u.column} IS NOT NULL serves it)`);
    else if (u.fact?.is === 'true' || u.fact?.is === 'false' || type === 'bool' || type === 'boolean' || /^(?:tinyint|bit)\(1\)/i.test(raw)) reasons.push(`${u.column} is a boolean (two values)`);
    else if (type === 'enum' || (raw && u.op === 'eq' && !BUILTIN_TYPES.has(type) && !/[.[\]]/.test(type) && def?.dialect !== 'mysql' && def?.dialect !== 'sqlite')) reasons.push(`${u.column} is an enum (${raw.replace(/\?$/, '')}: a few values)`);
    else if (u.op === 'eq' && FLAG_NAME.test(u.column) && INTEGER_TYPES.has(type)) reasons.push(`${u.column} is a flag (${raw}: two values)`);
    // A string written into application code's SQL (`key = 'PERSONAL_ACCESS_TOKENS'`, `kind = 'post'`) names one of
    // a few values the code knows; values users look up arrive as parameters.
    else if (inCode && u.op === 'eq' && u.fact?.is === 'eq' && u.fact.value?.startsWith("'")) reasons.push(`${u.column} is compared with a fixed value written in the code (${u.fact.value.length > 40 ? `${u.fact.value.slice(0, 37)}…'` : u.fact.value}): such columns (a kind, status or key name) usually hold a few values`);
    else if (u.op === 'range' && COUNTER_NAME.test(u.column) && (!raw || INTEGER_TYPES.has(type))) reasons.push(`${u.column} is a counter (rewritten at each change; a range on it matches most rows, or few only past a threshold)`);
    else return undefined;
  }
  return reasons.length ? [...new Set(reasons)].join(' and ') : undefined;
}
