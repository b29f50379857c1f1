import { isRuntimeQueryFile } from '../queries.js';
import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';
import type { Schema } from '../schema.js';
import { ormStatementsOf } from '../orm/statements.js';
import { isMigrationBookkeeping } from './missing-primary-key.js';
import { isPreviewOrm, previewNote } from '../orm/preview.js';

/** ORM calls that return a list (not one row, not a count). */
const LIST_READS = new Set(['findMany', 'findAll', 'findAndCountAll']);
/** TypeORM's list reads: repository finds and QueryBuilder runs that return entities. */
const TYPEORM_LIST_READS = new Set(['find', 'findAndCount', 'getMany', 'getManyAndCount']);

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
    // ORM list reads too (Prisma findMany, Sequelize findAll, TypeORM find / getMany, SQLAlchemy .all()); Django querysets are lazy and usually
    // paginated where they are consumed (a view's paginator, a serializer), so they are not judged here.
    const orm = ormStatementsOf(ctx.file, ctx.schema).map((o) => o.statement).filter((st) => st.orm && st.orm.kind !== 'django' && ((st.orm.kind === 'typeorm' ? TYPEORM_LIST_READS : LIST_READS).has(st.orm.method) || (st.orm.kind === 'sqlalchemy' && st.orm.method === 'all')));
    for (const stmt of [...ctx.file.statements, ...orm]) {
      const q = stmt.query;
      if (!stmt.embedded || !q || q.kind !== 'select' || q.hasWhere || q.hasLimit || q.aggregateOnly) continue;
      // GROUP BY (also by position, `GROUP BY 1`, which names no column): one row per group, judged like any grouping.
      if (q.uses.some((u) => u.kind === 'group-by') || GROUP_BY.test(stmt.text)) continue;
      const big = q.tables.filter((t) => ctx.schema.table(t.table) && !small.has(t.table));
      if (!big.length) continue;
      const ref = big[0];
      // An ORM list read is judged only on a table whose rows accumulate (it records when each was
      // created); a settings or lookup table the app keys by a few fixed ids carries no such column.
      if (stmt.orm && !ctx.schema.table(ref.table)?.columns.some((c) => CREATED.test(c.spelling ?? c.name) || CREATED.test(c.name))) continue;
      const lookup = isMigrationBookkeeping(ref.table) ? 'a migration bookkeeping table: one row per migration the code defines' : lookupTable(ctx.schema, ref.table);
      const limit = stmt.orm ? '' : stmt.dialect === 'postgresql' || stmt.dialect === 'mysql' || stmt.dialect === 'sqlite' ? ' LIMIT 100' : '';
      const page = stmt.orm ? (stmt.orm.kind === 'prisma' ? ' (`take` with a `cursor` or `skip`)' : stmt.orm.kind === 'typeorm' ? ' (`take` with `skip`, or a keyset `where`)' : ' (`limit` with `offset`, or a keyset `where`)') : '';
      ctx.report({
        span: ref.span,
        ...(lookup || isPreviewOrm(stmt.orm?.kind) ? { severity: 'info' as const } : {}),
        message: lookup
          ? `This query returns every row of ${ref.table} (no WHERE, no LIMIT), but ${ref.table} looks like a lookup or settings table (${lookup}), which stays small. If it can grow, paginate the query; if not, list it in .perfauditrc.json "sql.smallTables".`
          : stmt.orm
            ? `${stmt.orm.model ?? ''}.${stmt.orm.method} returns every row of ${ref.table} (no filter, no limit: ${stmt.text}): paginate it${page} or filter it. List genuinely small lookup tables in .perfauditrc.json "sql.smallTables".${isPreviewOrm(stmt.orm.kind) ? ` ${previewNote(stmt.orm.kind)}` : ''}`
            : `This query returns every row of ${ref.table} (no WHERE, no LIMIT): paginate it (LIMIT with keyset or OFFSET) or filter it. List genuinely small lookup tables in .perfauditrc.json "sql.smallTables".`,
        fixes: limit ? [{ title: 'Add LIMIT 100 (then paginate)', changes: [{ file: ctx.file.path, edits: [{ span: { start: stmt.span.end, end: stmt.span.end }, newText: limit }] }] }] : [],
        data: { table: ref.table, ...(isPreviewOrm(stmt.orm?.kind) ? { preview: true } : {}) },
      });
    }
  },
};

/** A GROUP BY clause in the statement's text (linear: two words and the space between). */
const GROUP_BY = /\bgroup\s+by\b/i;

/** A column that records when a row was made (rows that accumulate over time carry one). */
const CREATED = /^(?:created|inserted|added|posted|published)(?:_?(?:at|on|ts|time|date))?$|^(?:creation|insertion)_?(?:time|date|ts)$|^date_?created$|^timestamp$/i;

/**
 * Why `table` looks like a lookup / settings table whose rows do not accumulate with use: no column
 * records when a row was created, and no column refers to an owner or parent (`…_id`, a foreign key).
 * Tables that grow with an application's use (posts, events, sessions) nearly always carry one of them.
 */
function lookupTable(schema: Schema, table: string): string | undefined {
  const def = schema.table(table);
  if (!def?.columns.length) return undefined;
  if (def.columns.some((c) => CREATED.test(c.name) || /(?:_id|[a-z]Id|_ID)$/.test(c.spelling ?? c.name))) return undefined;
  if (schema.foreignKeys.some((fk) => fk.table === table)) return undefined;
  return 'no creation time, no owner or parent column';
}
