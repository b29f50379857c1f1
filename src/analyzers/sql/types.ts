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

export type IndexKey = { kind: 'column'; column: string } | { kind: 'expression'; text: string; columns: string[] };

export interface ForeignKeyDef {
  name?: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  file: string;
  span?: Span;
}

export interface TableDef {
  /** Lower-case name, the key rules match on. */
  name: string;
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
  /** What the predicate establishes about the column (`status = 'open'`, `x IS NULL`, a bare boolean), for partial indexes. */
  fact?: { is: ColumnFact['is']; value?: string };
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
