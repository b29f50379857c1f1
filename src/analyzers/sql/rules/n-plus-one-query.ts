import { SQL_ANALYSIS_ID, type SqlRule } from '../gather.js';
import { isRuntimeQueryFile } from '../queries.js';
import { ormStatementsOf } from '../orm/statements.js';
import { maintenanceName } from '../maintenance.js';
import { callersOf, isNeverReferenced } from '../callers.js';
import { codeRoleOf, isAdminPath, isBackgroundPath, isTestLike } from '../../../kernel/code-role.js';
import { templateN1Reports } from './n-plus-one-template.js';
import { isPreviewOrm, previewNote } from '../orm/preview.js';

const LOOP_LABEL: Record<string, string> = {
  'for': 'for loop', 'for-of': 'for…of loop', 'for-in': 'for…in loop', 'while': 'while loop', map: '.map() callback',
  forEach: '.forEach() callback', 'promise-all': 'Promise.all(….map()) callback', comprehension: 'comprehension',
};

const BATCH_ADVICE: Record<string, string> = {
  prisma: 'Load them in one query before the loop (`findMany({ where: { <key>: { in: keys } } })`, then look each up in a Map), or `include` the relation in the query that loads the items.',
  sequelize: 'Load them in one query before the loop (`findAll({ where: { <key>: keys } })`, an IN list), or `include` the association in the query that loads the items.',
  typeorm: 'Load them in one query before the loop (`findBy({ <key>: In(keys) })`, then look each up in a Map), or load the relation with `relations` (or a join) in the query that loads the items.',
  django: 'Load them with the queryset that yields the items: `select_related()` for a foreign key, `prefetch_related()` for a reverse or many-to-many relation, or one `filter(<key>__in=keys)` query.',
  sqlalchemy: 'Load them with the query that yields the items: `.options(joinedload(Model.relation))` for a many-to-one relation, `selectinload()` for a collection, or one query with `.filter(Model.key.in_(keys))` before the loop.',
};

export const nPlusOneQuery: SqlRule = {
  kind: 'project',
  analysis: SQL_ANALYSIS_ID,
  meta: {
    id: 'n-plus-one-query',
    title: 'Queries are not run once per item of a loop',
    failureTitle: 'A query runs once per item of a loop (N+1)',
    description: 'An ORM query inside a loop (for…of, .map/.forEach, Promise.all over items) whose filter reads the loop item makes one database round trip per item: the page slows down linearly with the list. So does a Django template whose {% for %} over a view\'s queryset reads a relation the queryset does not select_related / prefetch_related. One query with an IN list, or the ORM\'s eager loading, does the same work in one round trip.',
    domain: 'sql',
    checklistItem: 'query-optimization',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    if (!isRuntimeQueryFile(ctx.settings, ctx.file.path)) return;
    const fileBackground = isBackgroundPath(ctx.file.path);
    const admin = isAdminPath(ctx.file.path);
    const fileMaintenance = maintenanceName(ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1));
    for (const { statement } of ormStatementsOf(ctx.file, ctx.schema)) {
      const orm = statement.orm;
      const loop = orm?.inLoop;
      if (!orm || !loop?.usesItem) continue;
      const read = statement.query?.kind === 'select';
      // The classic N+1 walks the rows of a query: N grows with the data. A list from elsewhere (the
      // request, a relation already loaded) is as long as that list, often a handful.
      const rows = !!loop.overQueryRows;
      // Deleting an account or purging a team walks its rows once, rarely: not a page that gets slower.
      const maintenance = fileMaintenance || (orm.functionName !== undefined && maintenanceName(orm.functionName));
      // A helper that only background code calls (a queue task) runs in the background too.
      const callers = !fileBackground && read && rows && orm.functionName ? callersOf(ctx.allFiles, ctx.textOf, orm.functionName, ctx.file.path) : undefined;
      const viaBackground = !!callers?.every((p) => isBackgroundPath(p) || isTestLike(codeRoleOf(ctx.settings, p))) && callers.some((p) => isBackgroundPath(p));
      const background = fileBackground || viaBackground;
      const dead = read && rows && !background && orm.functionName !== undefined && isNeverReferenced(ctx.allFiles, ctx.textOf, orm.functionName, ctx.file.path);
      const where = LOOP_LABEL[loop.kind] ?? 'loop';
      const call = `${orm.model ?? ''}.${orm.method}`;
      const report: typeof ctx.report = isPreviewOrm(orm.kind) ? (f) => ctx.report({ ...f, message: `${f.message} ${previewNote(orm.kind)}`, data: { ...f.data, preview: true } }) : ctx.report;
      report({
        span: statement.span,
        ...(read && rows && !background && !admin && !maintenance && !dead && !isPreviewOrm(orm.kind) ? {} : { severity: 'info' as const }),
        message: dead
          ? `${call} runs once per item of the ${where} (\`${statement.text}\` each time), but ${orm.functionName} is never called: every other mention of it in the workspace is an import or a comment. If it is called from outside the workspace, batch it: ${BATCH_ADVICE[orm.kind] ?? 'load the rows for all items in one query before the loop.'}`
          : read && (background || admin || maintenance)
          ? `${call} runs once per item of the ${where} (\`${statement.text}\` each time), in ${background ? `background job code${viaBackground ? ` (${orm.functionName} is called only from ${callers!.filter((p) => isBackgroundPath(p)).join(', ')})` : ''}: no request waits on it, so it costs throughput rather than a user's time` : admin ? 'admin code, which a few operators run' : 'deletion or clean-up code, which runs rarely'}. If the lists grow, batch it: ${BATCH_ADVICE[orm.kind] ?? 'load the rows for all items in one query before the loop.'}`
          : read && !rows
          ? `${call} runs once per item of the ${where} (\`${statement.text}\` each time). The loop walks a list that does not come from a query here (the request's input, a relation already loaded), so N is as long as that list, often a handful; if it can grow, batch it: ${BATCH_ADVICE[orm.kind] ?? 'load the rows for all items in one query before the loop.'}`
          : read
          ? `${call} runs once per item of the ${where} (an N+1 query: one round trip per item, \`${statement.text}\` each time). ${BATCH_ADVICE[orm.kind] ?? 'Load the rows for all items in one query before the loop.'}`
          : `${call} writes once per item of the ${where}: one round trip per item. When the change is the same for every item, one ${orm.kind === 'prisma' ? '`updateMany`/`deleteMany` with an `in` filter' : 'bulk statement with an IN list'} does it at once.`,
        related: [{ file: ctx.file.path, span: loop.span, message: 'the loop' }],
        data: { orm: orm.kind, method: orm.method, loop: loop.kind, sql: statement.text, ...(rows ? { overQueryRows: true } : {}), ...(background ? { background: true } : {}), ...(admin ? { admin: true } : {}), ...(dead ? { neverCalled: true } : {}) },
      });
    }
    // A Django view's queryset whose rows a template walks, reading a relation it does not load.
    const info = fileBackground ? 'the view is background job code: no request waits on it' : admin ? 'the view is admin code, which a few operators run' : undefined;
    for (const r of templateN1Reports(ctx, info ? { info } : {})) ctx.report(r);
  },
};
