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
import type { SchemaFragment, Span } from '../types.js';

export type OrmKind = 'prisma' | 'drizzle' | 'typeorm' | 'sequelize' | 'knex' | 'kysely' | 'django' | 'sqlalchemy';

/** How a filter compares its field: equality (`=`, IN, IS NULL), a range (`<`, BETWEEN, `startsWith`), or something no B-tree serves (`contains`, `icontains`, `endsWith`, `not`). */
export type OrmOp = 'eq' | 'range' | 'prefix' | 'other';

export interface OrmFieldCondition {
  /** The field as the ORM names it (Prisma `teamId`, Django `customer` / `customer_id`). */
  field: string;
  /** Relation fields walked to reach it (Prisma `{ team: { ownerId } }` → ['team'], Django `team__owner` → ['team']); empty on the model itself. */
  via: string[];
  op: OrmOp;
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
  /** The call runs once per item of a loop in the same function: N+1 when it filters by the loop's item. */
  inLoop?: { kind: 'for' | 'for-of' | 'for-in' | 'while' | 'map' | 'forEach' | 'promise-all' | 'comprehension'; span: Span };
}

/** A model's names: how the ORM's model and field names map to the database's table and column names. */
export interface OrmModelNames {
  orm: OrmKind;
  /** The names a query may use for it: Prisma's client accessor and model name, a Django model class, a Drizzle variable. */
  names: string[];
  /** Database table name, lower-case. */
  table: string;
  /** ORM field name → column name (lower-case); relation fields map to their foreign key column(s) when they have one (Django `customer` → `customer_id`). */
  columns: Map<string, string>;
  /** Relation field → the related model's name (for `via` paths and joins). */
  relations: Map<string, string>;
  file: string;
  span: Span;
  /** Where an index declaration goes inside the model (Prisma: before the closing brace; Django: the Meta class), for fixes. */
  indexInsertAt?: number;
}

export interface OrmModelRead {
  fragment: SchemaFragment;
  models: OrmModelNames[];
  errors: { message: string; span: Span }[];
}
