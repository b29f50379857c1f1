/**
 * ORM queries and models, in the ORM's own names. Each ORM has an extractor (its calls in application
 * code → OrmQuery) and a model reader (its model definitions → the same SchemaFragment SQL DDL gives,
 * plus the names that map the ORM's model and field names to tables and columns). `resolve.ts` turns
 * an OrmQuery into the dialect-neutral QueryModel of ../types.ts with the project's names, so
 * missing-index, unbounded-select and the N+1 rule judge ORM calls with the same logic as SQL.
 *
 * Values are never evaluated: a filter's value is a placeholder. A call the extractor cannot follow
 * (a where object built elsewhere, a dynamic model name) is skipped, never guessed.
 */
import type { OrmKind, OrmModelNames, SchemaFragment, Span } from '../types.js';

// The model names live with the schema model (a SchemaFragment carries them); re-exported for the ORM readers.
export type { OrmKind, OrmModelNames };

/** How a filter compares its field: equality (`=`, IN, IS NULL), a range (`<`, BETWEEN, `startsWith`), or something no B-tree serves (`contains`, `icontains`, `endsWith`, `not`). */
export type OrmOp = 'eq' | 'range' | 'prefix' | 'other';

export type SqlOp = '=' | '<' | '<=' | '>' | '>=' | 'IN' | '<>' | 'LIKE' | 'NOT IN' | 'BETWEEN';

/** The SQL operator of an ORM's operator name (`gte`, `in`, `inArray`, `range`…), when it has one. */
export function sqlOpOf(name: string): SqlOp | undefined {
  return SQL_OP_NAMES[name];
}

const SQL_OP_NAMES: Record<string, SqlOp> = {
  gt: '>', gte: '>=', lt: '<', lte: '<=', in: 'IN', inArray: 'IN', notIn: 'NOT IN', notInArray: 'NOT IN',
  ne: '<>', not: '<>', range: 'BETWEEN', between: 'BETWEEN', startsWith: 'LIKE', contains: 'LIKE', endsWith: 'LIKE',
};

export interface OrmFieldCondition {
  /** The field as the ORM names it (Prisma `teamId`, Django `customer` / `customer_id`). */
  field: string;
  /** Relation fields walked to reach it (Prisma `{ team: { ownerId } }` → ['team'], Django `team__owner` → ['team']); empty on the model itself. */
  via: string[];
  op: OrmOp;
  /** The SQL operator it becomes (`<`, `>=`, `IN`, `<>`, `LIKE`), for the SQL shape in messages; `=` when absent. */
  sqlOp?: SqlOp;
  /** Case-insensitive match (Prisma `mode: 'insensitive'`, Django `iexact`/`istartswith`): a plain index does not serve it. */
  insensitive?: boolean;
  /** `null` / `not-null` when the value is written as null (`deletedAt: null`, `__isnull=True`); a literal constant's text (`'active'`, `true`) when written in the code. */
  value?: string;
  span: Span;
}

/** An OR of branches, each an AND of conditions (Prisma `OR: [...]`, Django `Q(a) | Q(b)`). */
export interface OrmOrCondition {
  or: OrmCondition[][];
  span: Span;
}

export type OrmCondition = OrmFieldCondition | OrmOrCondition;

export interface OrmQuery {
  orm: OrmKind;
  /**
   * The model as the call names it: Prisma's client accessor (`document` in `prisma.document.findMany`),
   * a Django / SQLAlchemy / Sequelize / TypeORM model class (`Order`), a Drizzle table variable (`users`).
   * `table` instead when the call names a database table itself (knex `knex('users')`, Kysely `selectFrom('users')`).
   */
  model?: string;
  table?: string;
  operation: 'select' | 'count' | 'aggregate' | 'update' | 'delete' | 'upsert' | 'exists';
  /** The ORM method that runs it (`findMany`, `filter`, `findAll`, `where`…), for messages. */
  method: string;
  /** The whole call (chain), and the model/method part for diagnostics. */
  span: Span;
  nameSpan: Span;
  /** AND of these. */
  where: OrmCondition[];
  orderBy: { field: string; via: string[]; desc: boolean; span: Span }[];
  /** take / limit / first() / [:n] / findFirst / findUnique / get: at most a bounded number of rows. */
  limited: boolean;
  /** Relations loaded with the rows (Prisma include/select, Django select_related, Sequelize include): joins. */
  joins: { relation: string; span: Span }[];
  /** The named function the call sits in (`disableUser`), for maintenance-only judgements. */
  functionName?: string;
  /** The call sits in a `catch` block or `.catch(…)` callback: it runs on the error path only. */
  inErrorHandler?: boolean;
  /** The call runs once per item of a loop in the same function; `usesItem`: its arguments read the loop's item (N+1), not a page cursor. */
  inLoop?: { kind: 'for' | 'for-of' | 'for-in' | 'while' | 'map' | 'forEach' | 'promise-all' | 'comprehension'; span: Span; usesItem?: boolean; overQueryRows?: boolean };
}

export interface OrmModelRead {
  fragment: SchemaFragment;
  models: OrmModelNames[];
  errors: { message: string; span: Span }[];
}
