/**
 * An ORM query (model.ts) in the database's names: the QueryModel the SQL rules judge, and the SQL
 * shape it runs (for messages and hovers). Field names map to columns through the schema's ORM
 * models; a relation filter (`{ team: { ownerId } }`) becomes a child query on the related table,
 * as the ORM runs it (a join or an IN subquery). A model or field the schema does not know makes
 * the query unresolvable: it is skipped, never guessed.
 */
import type { Schema } from '../schema.js';
import type { ColumnUse, Dialect, OrGroup, OrStep, ParsedStatement, QueryModel, Span } from '../types.js';
import type { OrmCondition, OrmFieldCondition, OrmModelNames, OrmQuery } from './model.js';

interface Level {
  names: OrmModelNames;
  model: QueryModel;
}

function emptyModel(kind: QueryModel['kind'], table: string, span: Span): QueryModel {
  return { kind, tables: [{ table, span }], uses: [], selectStars: [], hasWhere: false, hasLimit: false, aggregateOnly: false, children: [] };
}

/** The related model a relation field of `names` leads to. */
function related(schema: Schema, names: OrmModelNames, field: string): OrmModelNames | undefined {
  const target = names.relations.get(field);
  if (target === undefined) return undefined;
  if (target === 'self') return names;
  // Django names a model in another app as 'app_label.Model'.
  return modelNamed(schema, target.slice(target.lastIndexOf('.') + 1));
}

/**
 * A query builder that names the table itself (knex, Kysely): its columns are named as the database
 * names them; conditions on a joined table (`via`) are reached through the join and left out.
 */
function tableNames(q: OrmQuery, schema: Schema): OrmModelNames | undefined {
  const table = q.table!.toLowerCase();
  const def = schema.table(table);
  if (!def) return undefined;
  const columns = new Map<string, string>();
  for (const c of def.columns) {
    columns.set(c.name, c.name);
    if (c.spelling) columns.set(c.spelling, c.name);
  }
  return { orm: q.orm, names: [table], table, columns, relations: new Map(), file: def.file, span: def.nameSpan ?? q.nameSpan };
}

function modelNamed(schema: Schema, name: string): OrmModelNames | undefined {
  return schema.ambiguousOrmNames.has(name) ? undefined : schema.ormModels.get(name);
}

/**
 * Django's reverse manager (`check.ping_set.filter(…)`): the model named `ping`, filtered by its
 * foreign key to the owner's model (the one `ownerClass` names, else its only foreign key).
 */
function reverseManagerTarget(q: OrmQuery, schema: Schema): { names: OrmModelNames; column: string; span: Span } | undefined {
  const rm = (q as { reverseManager?: { modelLower: string; ownerClass?: string; span: Span } }).reverseManager;
  if (!rm || q.orm !== 'django') return undefined;
  const candidates = [...new Set(schema.ormModels.values())].filter((m) => m.orm === 'django' && m.names.some((n) => n.toLowerCase() === rm.modelLower));
  if (candidates.length !== 1) return undefined;
  const names = candidates[0];
  const fks = [...names.relations].filter(([field, target]) => names.columns.get(field)?.endsWith('_id') && (!rm.ownerClass || target.slice(target.lastIndexOf('.') + 1) === rm.ownerClass));
  if (fks.length !== 1) return undefined;
  const column = names.columns.get(fks[0][0])!;
  return { names, column, span: rm.span };
}

function placeholder(dialect: Dialect | undefined, n: number): string {
  return dialect === 'postgresql' || dialect === undefined ? `$${n}` : '?';
}

export interface ResolvedOrmQuery {
  statement: ParsedStatement;
  /** The model of the main table, for fixes in the ORM's own form. */
  names: OrmModelNames;
}

/**
 * SQLAlchemy names a joined model by its class (`.join(Team).filter(Team.name == x)`): the relation of
 * the query's model that leads to that class, when exactly one does (else the condition names nothing).
 */
function viaRelations(q: OrmQuery, names: OrmModelNames): OrmQuery {
  const map = (c: OrmCondition): OrmCondition => {
    if ('or' in c) return { ...c, or: c.or.map((b) => b.map(map)) };
    if (!c.via.length || names.relations.has(c.via[0])) return c;
    if (names.names.includes(c.via[0])) return { ...c, via: c.via.slice(1) };
    const to = [...names.relations].filter(([, target]) => target.slice(target.lastIndexOf('.') + 1) === c.via[0]);
    return to.length === 1 ? { ...c, via: [to[0][0], ...c.via.slice(1)] } : c;
  };
  return { ...q, where: q.where.map(map) };
}

export function resolveOrmQuery(query: OrmQuery, schema: Schema): ResolvedOrmQuery | undefined {
  let q = query;
  const reverse = q.model === undefined && q.table === undefined ? reverseManagerTarget(q, schema) : undefined;
  const names = q.table !== undefined ? tableNames(q, schema) : q.model !== undefined ? modelNamed(schema, q.model) : reverse?.names;
  if (!names || names.orm !== q.orm) return undefined;
  // `User.find(…)` is TypeORM's Active Record only on a BaseEntity subclass: on another class it is some other method.
  if ((q as { activeRecord?: boolean }).activeRecord && !(names as { activeRecord?: boolean }).activeRecord) return undefined;
  if (q.orm === 'sqlalchemy') q = viaRelations(q, names);
  const kind: QueryModel['kind'] = q.operation === 'update' || q.operation === 'upsert' ? 'update' : q.operation === 'delete' ? 'delete' : 'select';
  const root: Level = { names, model: emptyModel(kind, names.table, q.nameSpan) };
  root.model.hasLimit = q.limited;
  root.model.aggregateOnly = q.operation === 'count' || q.operation === 'aggregate';
  const levels = new Map<string, Level>([['', root]]);
  const levelFor = (via: string[]): Level | undefined => {
    let cur = root;
    for (let i = 0; i < via.length; i++) {
      const key = via.slice(0, i + 1).join('.');
      let next = levels.get(key);
      if (!next) {
        const target = related(schema, cur.names, via[i]);
        if (!target) return undefined;
        next = { names: target, model: emptyModel('select', target.table, q.nameSpan) };
        cur.model.children.push(next.model);
        levels.set(key, next);
      }
      cur = next;
    }
    return cur;
  };
  let ok = true;
  const sqlOps = new Map<ColumnUse, string>();
  const addCondition = (c: OrmFieldCondition, or: OrStep[] | undefined): void => {
    const level = levelFor(c.via);
    const column = level?.names.columns.get(c.field) ?? (c.field === 'pk' && level ? (level.names as { pk?: string }).pk ?? 'id' : undefined);
    if (!level || !column) {
      ok = false;
      return;
    }
    level.model.hasWhere = true;
    const sargable = c.op !== 'other' && !c.insensitive;
    const use: ColumnUse = {
      table: level.names.table, ref: level.names.table, column, kind: 'where', span: c.span,
      op: c.op === 'eq' ? 'eq' : c.op === 'other' ? 'other' : 'range', sargable,
      ...(sargable ? {} : { nonSargable: { reason: c.insensitive ? 'case-insensitive' as const : 'leading-wildcard' as const, span: c.span } }),
      ...(c.op === 'prefix' && !c.insensitive ? { like: true } : {}),
      ...(c.value === 'null' ? { fact: { is: 'null' as const } } : c.value === 'not-null' ? { fact: { is: 'not-null' as const } } : c.value === 'true' || c.value === 'false' ? { fact: { is: c.value } } : c.value !== undefined ? { fact: { is: 'eq' as const, value: c.value } } : {}),
      ...(or ? { inOr: true, or } : {}),
    };
    level.model.uses.push(use);
    if (c.sqlOp) sqlOps.set(use, c.sqlOp);
  };
  const groups: OrGroup[] = [];
  const walkConditions = (conds: readonly OrmCondition[], or: OrStep[] | undefined): void => {
    for (const c of conds) {
      if ('or' in c) {
        const group = groups.length;
        groups.push({ branches: c.or.length, ...(or?.length ? { parent: or[or.length - 1] } : {}) });
        c.or.forEach((branch, b) => walkConditions(branch, [...(or ?? []), { group, branch: b }]));
      } else addCondition(c, or);
    }
  };
  if (reverse) {
    root.model.hasWhere = true;
    root.model.uses.push({ table: names.table, ref: names.table, column: reverse.column, kind: 'where', span: reverse.span, op: 'eq', sargable: true });
  }
  // Builders name tables: a condition on a joined table is reached through the join.
  walkConditions(q.table !== undefined ? q.where.filter((c) => 'or' in c || c.via.length === 0) : q.where, undefined);
  if (!ok) return undefined;
  // Conditions added on some paths only (`if (x) qb = qb.where(…)`): they may serve a partial index, never drive a finding.
  const before = root.model.uses.length;
  for (const c of (q as { conditionalWhere?: OrmCondition[] }).conditionalWhere ?? []) if (!('or' in c) && c.via.length === 0) addCondition(c, undefined);
  if (!ok) return undefined;
  for (const u of root.model.uses.slice(before)) u.implied = true;
  // A soft-deleting model (Sequelize `paranoid`) adds `deleted_at IS NULL` to every default query.
  const softDelete = (names as { paranoid?: string }).paranoid;
  if (softDelete && !(q as { paranoidOff?: boolean }).paranoidOff && kind === 'select') {
    root.model.uses.push({ table: names.table, ref: names.table, column: softDelete, kind: 'where', span: q.nameSpan, op: 'eq', sargable: true, fact: { is: 'null' }, implied: true });
  }
  // A relation filter restricts the rows by the relation's key: this table's foreign key column
  // (`team` → team_id), or its primary key for a relation the other table holds (a list, `some`).
  const relationKeys = new Map<string, Span>();
  const collect = (conds: readonly OrmCondition[]): void => {
    for (const c of conds) {
      if ('or' in c) continue;
      if (c.via.length && !relationKeys.has(c.via[0])) relationKeys.set(c.via[0], c.span);
    }
  };
  collect(q.where);
  const ownFilters = root.model.uses.some((u) => u.kind === 'where' && !u.implied);
  for (const [relation, span] of relationKeys) {
    const own = names.columns.get(relation);
    const column = own ?? (names as { pk?: string }).pk ?? 'id';
    const target = related(schema, names, relation);
    root.model.uses.push({ table: names.table, ref: names.table, column, kind: 'where', span, op: 'eq', sargable: true, ...(target ? { joinPartner: { table: target.table, column: own ? 'id' : '…' } } : {}) });
    root.model.hasWhere = true;
  }
  // With filters of its own, the query reaches related rows through the relation's key (a join on a
  // primary or foreign key): their conditions are checked there and call for no index of their own.
  if (ownFilters) root.model.children = [];
  // OR groups live on the level their uses are on; an OR across relation levels is not modelled: left out.
  if (groups.length) {
    if (root.model.children.length) return undefined;
    root.model.orGroups = groups;
  }
  for (const o of q.orderBy) {
    const column = names.columns.get(o.field);
    if (!column) return undefined;
    root.model.uses.push({ table: names.table, ref: names.table, column, kind: 'order-by', span: o.span, op: 'other', sargable: true });
  }
  // Loaded relations (`q.joins`) are separate queries by the related key (Prisma's default): the
  // foreign key rule judges them, not this query.
  const dialect = schema.dialect;
  const text = sqlShape(q, root, dialect, sqlOps);
  return {
    names,
    statement: {
      span: q.span, text, dialect: dialect ?? 'postgresql', query: root.model, embedded: true,
      orm: { kind: q.orm, method: q.method, model: q.model ?? names.names[0], ...(q.functionName ? { functionName: q.functionName } : {}), ...(q.inErrorHandler ? { inErrorHandler: true } : {}), ...(q.inLoop ? { inLoop: q.inLoop } : {}) },
    },
  };
}

/** The SQL the call runs, roughly as the ORM writes it (for messages and hovers). */
function sqlShape(q: OrmQuery, root: Level, dialect: Dialect | undefined, sqlOps: ReadonlyMap<ColumnUse, string> = new Map()): string {
  let n = 0;
  const childWhere = (table: string): string => {
    const child = root.model.children.find((c) => c.tables[0].table === table);
    const conds = child?.uses.filter((u) => u.kind === 'where').map((u) => `${u.column} = ${placeholder(dialect, ++n)}`) ?? [];
    return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  };
  const cond = (u: ColumnUse): string => {
    const col = u.table === root.names.table ? u.column : `${u.table}.${u.column}`;
    if (u.joinPartner?.table) return `${col} IN (SELECT ${u.joinPartner.column} FROM ${u.joinPartner.table}${childWhere(u.joinPartner.table)})`;
    if (u.fact?.is === 'null') return `${col} IS NULL`;
    if (u.fact?.is === 'not-null') return `${col} IS NOT NULL`;
    const op = sqlOps.get(u);
    if (op === 'IN' || op === 'NOT IN') return `${col} ${op} (${placeholder(dialect, ++n)}, …)`;
    if (op === 'BETWEEN') return `${col} BETWEEN ${placeholder(dialect, ++n)} AND ${placeholder(dialect, ++n)}`;
    if (op && op !== 'LIKE') return `${col} ${op} ${placeholder(dialect, ++n)}`;
    if (u.like) return `${col} LIKE ${placeholder(dialect, ++n)}`;
    if (u.nonSargable?.reason === 'case-insensitive') return `${col} ILIKE ${placeholder(dialect, ++n)}`;
    if (!u.sargable) return `${col} LIKE ${placeholder(dialect, ++n)}`;
    return `${col} ${u.op === 'range' ? '>' : '='} ${placeholder(dialect, ++n)}`;
  };
  const where = root.model.uses.filter((u) => u.kind === 'where' && !u.implied);
  const byOr = new Map<number, ColumnUse[][]>();
  const plain: string[] = [];
  for (const u of where) {
    const step = u.or?.[0];
    if (!step) plain.push(cond(u));
    else {
      const branches = byOr.get(step.group) ?? [];
      (branches[step.branch] ??= []).push(u);
      byOr.set(step.group, branches);
    }
  }
  for (const branches of byOr.values()) plain.push(`(${branches.filter(Boolean).map((b) => b.map(cond).join(' AND ')).join(' OR ')})`);
  const table = root.names.table;
  const head = q.operation === 'count' ? `SELECT count(*) FROM ${table}` : q.operation === 'update' || q.operation === 'upsert' ? `UPDATE ${table} SET …` : q.operation === 'delete' ? `DELETE FROM ${table}` : `SELECT … FROM ${table}`;
  const order = root.model.uses.filter((u) => u.kind === 'order-by');
  const orderText = order.length ? ` ORDER BY ${order.map((u, i) => `${u.column}${q.orderBy[i]?.desc ? ' DESC' : ''}`).join(', ')}` : '';
  const limit = q.limited && q.operation === 'select' ? ` LIMIT ${/^(?:find(?:First|Unique|One|ByPk)|first|last|get(?![A-Z])|earliest|latest|executeTakeFirst)/.test(q.method) ? '1' : placeholder(dialect, ++n)}` : '';
  return `${head}${plain.length ? ` WHERE ${plain.join(' AND ')}` : ''}${orderText}${limit}`;
}
