/** Dialect-neutral models of SQL schema and queries, produced by the dialect adapters. */

export type Dialect = SqlDialect;

import type { Span } from '../../kernel/model.js';
import type { SqlDialect } from '../../kernel/settings.js';

export type { Span };

export interface ColumnDef {
  /** Lower-case name, the key rules match on. */
  name: string;
  /**
   * The name as the database stores it (quotes removed, case kept where it is significant: a quoted
   * `"authorId"` in PostgreSQL), for writing SQL. Absent when it equals `name`.
   */
  spelling?: string;
  type: string;
  notNull: boolean;
  span?: Span;
}

export interface IndexDef {
  name?: string;
  table: string;
  /** Key parts in order: a column name, or an expression in normalized text form (e.g. `lower(email)`). */
  keys: IndexKey[];
  unique: boolean;
  /**
   * Partial index predicate, normalized text (e.g. `archived = false`), with columns referenced. When the
   * adapter understands its conjuncts: `facts` for those of a known form (`status = 'open'`, `deleted_at
   * IS NULL`, `active`, `NOT archived`) and `rest`, the columns of the others.
   */
  where?: { text: string; columns: string[]; facts?: ColumnFact[]; rest?: string[] };
  method?: string;
  /** 'pk', 'unique' constraint, explicit CREATE INDEX, inline KEY, or a prisma attribute. */
  origin: 'primary-key' | 'unique-constraint' | 'create-index' | 'inline-index' | 'prisma';
  file: string;
  span?: Span;
}

/**
 * What a predicate establishes about a column when it holds: equal to a constant (normalized text;
 * undefined for a parameter, whose value is not known), NULL, NOT NULL, true or false.
 */
export type ColumnFact = { column: string; is: 'eq'; value?: string } | { column: string; is: 'null' | 'not-null' | 'true' | 'false' };

/**
 * `opclass` (PostgreSQL operator class, e.g. `text_pattern_ops`) and `collation` (`COLLATE "C"`), when the
 * key names them: they decide whether a B-tree key serves `LIKE 'abc%'`.
 */
export type IndexKey = ({ kind: 'column'; column: string } | { kind: 'expression'; text: string; columns: string[] }) & { opclass?: string; collation?: string };

export interface ForeignKeyDef {
  name?: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  file: string;
  span?: Span;
  /** Set by the schema build: the other places that define the same key (a dropped and re-added constraint, the Prisma model). */
  related?: SchemaRelated[];
  /** From a Prisma schema with `relationMode = "prisma"`: a relation the client enforces, no FOREIGN KEY (and no index) in the database. */
  virtual?: boolean;
}

/** Another place that defines the same schema object. */
export interface SchemaRelated {
  file: string;
  span?: Span;
  message: string;
}

/** One rename in ALTER TABLE / RENAME TABLE / ALTER INDEX. */
export interface SchemaRename {
  kind: 'table' | 'column' | 'index' | 'constraint';
  /** The table (for a table rename: its old name; for an index rename: undefined when not known). */
  table?: string;
  from: string;
  to: string;
  /** The new name as the database stores it, when it differs from `to` (a quoted mixed-case name). */
  toSpelling?: string;
}

export interface TableDef {
  /** Lower-case name, the key rules match on. */
  name: string;
  /** The name its CREATE TABLE gave it, when a later statement renamed it (its file spells the old name). */
  renamedFrom?: string;
  /** The name as the database stores it (see ColumnDef.spelling). Absent when it equals `name`. */
  spelling?: string;
  schema?: string;
  columns: ColumnDef[];
  hasPrimaryKey: boolean;
  file: string;
  span?: Span;
  /** Span of the table name (for diagnostics). */
  nameSpan?: Span;
  /** Where a statement could be appended after the CREATE TABLE (end of statement incl. `;`). */
  endOffset?: number;
  dialect: Dialect | 'prisma';
  /** Set by the schema build: earlier definitions of the table (dropped and created again). */
  related?: SchemaRelated[];
}

/** What one file contributes to the schema. */
export interface SchemaFragment {
  file: string;
  tables: TableDef[];
  indexes: IndexDef[];
  foreignKeys: ForeignKeyDef[];
  /** ALTER TABLE ... ADD PRIMARY KEY on tables defined elsewhere. */
  primaryKeys: { table: string; columns: string[] }[];
  dropped: { tables: string[]; indexes: string[] };
  /** ALTER TABLE ... ADD COLUMN on tables defined elsewhere. */
  addedColumns?: { table: string; column: ColumnDef }[];
  /**
   * ALTER TABLE ... DROP CONSTRAINT name (a foreign key, primary key or unique constraint), MySQL's
   * DROP FOREIGN KEY name / DROP PRIMARY KEY (`kind`, name absent for the primary key).
   */
  droppedConstraints?: { table: string; name?: string; kind?: 'foreign' | 'primary' }[];
  /** ALTER TABLE ... DROP COLUMN: its foreign keys and the indexes on it go too. */
  droppedColumns?: { table: string; column: string }[];
  /** RENAME TO / RENAME COLUMN / RENAME INDEX / RENAME CONSTRAINT, in statement order. */
  renamed?: SchemaRename[];
  /** ALTER COLUMN … SET / DROP NOT NULL (MySQL MODIFY / CHANGE as well). */
  nullability?: { table: string; column: string; notNull: boolean }[];
  /** The database a Prisma schema's datasource names (SQL files take theirs from the parse). */
  dialect?: Dialect;
  /** ORM models the file defines, with their names (orm/model.ts): how ORM queries name these tables and columns. */
  ormModels?: OrmModelNames[];
  /** ORM model definitions (Prisma, Sequelize models): merged after the migrations, which say what the database has. */
  modelDefinitions?: boolean;
}

export type PredicateKind = 'where' | 'join' | 'order-by' | 'group-by';

export interface ColumnUse {
  /** Resolved table name (lower-case, without schema), when known. */
  table?: string;
  /** The FROM item the column belongs to (its alias, else the table name), when known: tells self-joined references apart. */
  ref?: string;
  column: string;
  kind: PredicateKind;
  span: Span;
  /** Equality (`=`, `IN`, `IS NULL`) vs range (`<`, `BETWEEN`, `LIKE 'x%'`) vs other. */
  op: 'eq' | 'range' | 'other';
  /** Not usable by a plain index on the column. */
  sargable: boolean;
  /** For a non-sargable use: why, and the wrapping expression in normalized text when a function wraps it. */
  nonSargable?: { reason: 'function' | 'leading-wildcard' | 'arithmetic' | 'cast' | 'negation' | 'case-insensitive'; expression?: string; span: Span };
  /** The other side of a join predicate. */
  joinPartner?: { table?: string; ref?: string; column: string };
  /** The predicate sits under an OR (a single index cannot serve it alone). */
  inOr?: boolean;
  /**
   * Where under ORs the predicate sits, outermost first: the OR (an index into `QueryModel.orGroups`)
   * and which of its branches. Within a branch, uses whose path ends with that step are AND-ed.
   * Absent when `inOr` is unset, and also under an OR whose branches cannot be told apart (XOR, NOT).
   */
  or?: OrStep[];
  /** A prefix `LIKE 'abc%'` (or `~~`): a B-tree serves it only with a pattern operator class or the C collation (PostgreSQL). */
  like?: boolean;
  /** What the predicate establishes about the column (`status = 'open'`, `x IS NULL`, a bare boolean), for partial indexes. */
  fact?: { is: ColumnFact['is']; value?: string };
  /** Added by an ORM, not written (a soft-deleting model's `deleted_at IS NULL`): it lets a partial index serve the query, but is never the reason for a finding. */
  implied?: boolean;
}

export interface OrStep {
  group: number;
  branch: number;
}

/** One OR of a query level's WHERE / join conditions: its number of branches, and the branch of an enclosing OR it sits in. */
export interface OrGroup {
  branches: number;
  parent?: OrStep;
}

export interface TableRef {
  table: string;
  alias?: string;
  span: Span;
}

export interface QueryModel {
  kind: 'select' | 'update' | 'delete' | 'insert' | 'other';
  tables: TableRef[];
  uses: ColumnUse[];
  /** Spans of `*` / `t.*` in the outermost select list. */
  selectStars: Span[];
  hasWhere: boolean;
  hasLimit: boolean;
  /** Aggregate-only select (`count(*)`), which is bounded in rows. */
  aggregateOnly: boolean;
  /** The ORs of this level's conditions (see `ColumnUse.or`); absent when there are none. */
  orGroups?: OrGroup[];
  /** Tables read through subqueries / CTEs are also described in `children`. */
  children: QueryModel[];
}

export interface ParsedStatement {
  /** Statement span in the host file. */
  span: Span;
  text: string;
  dialect: Dialect;
  /** Undefined when the statement did not parse. */
  query?: QueryModel;
  schema?: Omit<SchemaFragment, 'file'>;
  error?: { message: string; span: Span };
  /** Probably valid SQL that no parser here covers (another dialect's syntax, a parser gap): not analysed, and no parse error. */
  notAnalysed?: string;
  /** The statement came from a string in application code (JS/TS). */
  embedded: boolean;
  /** The statement is the SQL an ORM call runs (orm/resolve.ts): `text` is its inferred shape. */
  orm?: { kind: OrmModelNames['orm']; method: string; model?: string; functionName?: string; inErrorHandler?: boolean; inLoop?: { kind: string; span: Span; usesItem?: boolean; overQueryRows?: boolean } };
}

/** The result of parsing one statement. Spans are relative to the statement text. */
export interface StatementParse {
  query?: QueryModel;
  schema?: Omit<SchemaFragment, 'file'>;
  error?: { message: string; offset: number };
}

/** A dialect adapter: turns one statement into the neutral models above. */
export interface DialectParser {
  readonly dialect: Dialect;
  parseStatement(text: string): StatementParse;
}

export type OrmKind = 'prisma' | 'drizzle' | 'typeorm' | 'sequelize' | 'knex' | 'kysely' | 'django' | 'sqlalchemy';

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
