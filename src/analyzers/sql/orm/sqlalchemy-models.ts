/**
 * A fault-tolerant reader of SQLAlchemy declarative models (1.4 / 2.0, Flask-SQLAlchemy's `db.Model`).
 *
 * A class is a model when it is not `__abstract__` and it names its table (`__tablename__ = '…'`), or
 * its base is a declarative base (`db.Model` / `Model`, a `declarative_base()` or `DeclarativeBase`
 * subclass of the same file, a model of the same file). Flask-SQLAlchemy names a model without
 * `__tablename__` after its class in snake case (its `camel_to_snake_case`: `DataSourceGroup` →
 * `data_source_group`); a subclass of a model of the same file without a table name or primary key of
 * its own shares its parent's table (single-table inheritance). Any other class without a table name
 * is not read (plain SQLAlchemy requires one), except as a mixin: its columns are inherited by the
 * models of the same file that name it as a base.
 *
 * Columns: `Column(...)` / `db.Column(...)` / `mapped_column(...)` (also wrapped in `deferred(...)`),
 * and 2.0 annotations alone (`email: Mapped[str]`). The column name is the attribute name unless a
 * string first argument names it. `primary_key=True` (a primary key index), `unique=True`,
 * `index=True`, `nullable`, `ForeignKey('table.col')` (a foreign key: SQLAlchemy creates NO index for
 * it). `__table_args__ = (Index('ix', 'a', 'b'), UniqueConstraint(...), PrimaryKeyConstraint(...),
 * ForeignKeyConstraint(...), {...})` and module-level `Index('ix', Model.a, Model.b)`; `Table('name',
 * metadata, Column(...), …)` association tables. A model with no primary key the reader can see (an `id`
 * built by a helper function) but an `id` attribute gets `id` as its primary key (SQLAlchemy maps no
 * class without one).
 *
 * Names: attribute → column; a `relationship()` → the related class, and to the foreign key column
 * that leads to it (`foreign_keys=`, a ForeignKey to the related model's table, or `<name>_id`), so
 * `Group.data_source == ds` filters on `data_source_id`. Never throws.
 */
import type { ColumnDef, Dialect, ForeignKeyDef, IndexDef, IndexKey, SchemaFragment, Span, TableDef } from '../types.js';
import type { OrmModelNames, OrmModelRead } from './model.js';
import { dottedName, readExpr, statements, tokenize, type PyExpr, type PyStatement, type Token } from '../../../lang/python/tokenize.js';
import { blockBody } from './django-models.js';

export const MAX_SQLALCHEMY_FILE = 512 * 1024;
const MAX_DEPTH = 50;

type Call = Extract<PyExpr, { kind: 'call' }>;

export interface SqlalchemyModelNames extends OrmModelNames {
  pk?: string;
  /**
   * How an index goes into the model: into `__table_args__ = (…)` before its `)` (`before`: before its
   * last item, a dict, which must stay last), around a dict-only `__table_args__ = {…}`, or as a new
   * `__table_args__` line after the class body. Absent when `__table_args__` is computed.
   */
  indexInsert?: { kind: 'tuple' | 'dict' | 'class'; indent: string; dictSpan?: Span; before?: number; empty?: boolean };
}

export interface SqlalchemyModelRead extends OrmModelRead {
  models: SqlalchemyModelNames[];
}

export interface SqlalchemyModelOptions {
  dialect?: Dialect;
}

interface ColumnInfo {
  attr: string;
  column: string;
  type: string;
  primary: boolean;
  unique: boolean;
  index: boolean;
  notNull: boolean;
  fk?: { table?: string; model?: string; column: string };
  span: Span;
}

interface RelationInfo {
  attr: string;
  target: string;
  foreignKeys?: string[];
  backref?: string;
  span: Span;
}

interface ClassInfo {
  name: string;
  nameTok: Token;
  bases: string[];
  body: PyStatement[];
  columns: ColumnInfo[];
  relations: RelationInfo[];
  /** Attributes assigned anything (for the `id` fallback). */
  attrs: Set<string>;
  tablename?: string;
  /** The `__tablename__ = …` statement's end: a new `__table_args__` goes after it. */
  tablenameEnd?: number;
  tableArgs?: { expr: PyExpr; stmt: PyStatement };
  /** `__table_args__` is computed (a `declared_attr` function): no fix. */
  tableArgsComputed: boolean;
  abstract: boolean;
  span: Span;
  model: boolean;
  table?: string;
}

const COLUMN_CALLS = new Set(['Column', 'mapped_column']);
const RELATION_CALLS = new Set(['relationship', 'relation']);
const TYPES: Record<string, string> = {
  Integer: 'integer', BigInteger: 'bigint', SmallInteger: 'smallint', String: 'varchar', Unicode: 'varchar', Text: 'text', UnicodeText: 'text',
  Boolean: 'boolean', DateTime: 'timestamp', Date: 'date', Time: 'time', Interval: 'interval', Float: 'double precision', Numeric: 'numeric',
  Enum: 'enum', JSON: 'json', JSONB: 'jsonb', UUID: 'uuid', Uuid: 'uuid', LargeBinary: 'bytea', ARRAY: 'array', TIMESTAMP: 'timestamp', VARCHAR: 'varchar',
  INTEGER: 'integer', BIGINT: 'bigint', TEXT: 'text', BOOLEAN: 'boolean', DOUBLE_PRECISION: 'double precision', INET: 'inet',
};
const ANNOTATION_TYPES: Record<string, string> = { int: 'integer', str: 'varchar', bool: 'boolean', float: 'double precision', datetime: 'timestamp', date: 'date', time: 'time', Decimal: 'numeric', UUID: 'uuid', dict: 'json', bytes: 'bytea' };

const lastName = (e: PyExpr | undefined): string | undefined => (e ? dottedName(e)?.split('.').pop() : undefined);
const kw = (c: Call, name: string): PyExpr | undefined => c.kwargs.find((k) => k.name === name)?.value;
const isTrue = (e: PyExpr | undefined): boolean => e?.kind === 'const' && e.value === true;
const isFalse = (e: PyExpr | undefined): boolean => e?.kind === 'const' && e.value === false;
const str = (e: PyExpr | undefined): string | undefined => (e?.kind === 'string' ? e.value : undefined);
const indentOf = (s: PyStatement): number => s.tokens[0]?.col ?? 0;
const stmtEnd = (s: PyStatement): number => s.tokens[s.tokens.length - 1]?.end ?? 0;
const spanOf = (t: { start: number; end: number }): Span => ({ start: t.start, end: t.end });

/** Flask-SQLAlchemy's table name for a model class without `__tablename__` (its `camel_to_snake_case`). */
export function flaskTableName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    const upper = c >= 'A' && c <= 'Z';
    const prev = name[i - 1] ?? '';
    const next = name[i + 1] ?? '';
    // an upper-case letter after a lower-case letter or a digit, or (not first) before a lower-case letter
    if (upper && i > 0 && (/[a-z0-9]/.test(prev) || /[a-z]/.test(next))) out += '_';
    out += c;
  }
  return out.toLowerCase().replace(/^_+/, '');
}

/** Reads a module's SQLAlchemy models. Never throws. */
export function readSqlalchemyModels(path: string, text: string, options: SqlalchemyModelOptions = {}): SqlalchemyModelRead {
  const fragment: SchemaFragment = { file: path, tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } };
  const out: SqlalchemyModelRead = { fragment, models: [], errors: [] };
  if (text.length > MAX_SQLALCHEMY_FILE) {
    out.errors.push({ message: `File larger than ${MAX_SQLALCHEMY_FILE} bytes: not read`, span: { start: 0, end: 0 } });
    return out;
  }
  try {
    read(path, text, options, out);
  } catch (e) {
    out.errors.push({ message: `SQLAlchemy model reader failed: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } });
  }
  return out;
}

/** A file that may define SQLAlchemy models or tables (a cheap test before reading). */
export function mayHaveSqlalchemyModels(text: string): boolean {
  return text.includes('Column(') || text.includes('mapped_column(') || text.includes('Mapped[') || text.includes('__tablename__');
}

function read(path: string, text: string, options: SqlalchemyModelOptions, out: SqlalchemyModelRead): void {
  const tokens = tokenize(text);
  const stmts = statements(tokens);
  const dialect = options.dialect ?? 'postgresql';
  // declarative bases of this file: `Base = declarative_base()`, `class Base(DeclarativeBase)`, `Model = db.Model`
  const bases = new Set<string>(['Model', 'Base']);
  const flaskBases = new Set<string>(['Model']);
  for (const s of stmts) {
    if (!s.topLevel || s.tokens[0].type !== 'name' || s.tokens[1]?.value !== '=') continue;
    const e = readExpr(tokens, s.index + 2).expr;
    const fn = e.kind === 'call' ? lastName(e.callee) : undefined;
    if (fn === 'declarative_base' || fn === 'as_declarative' || fn === 'automap_base') bases.add(s.tokens[0].value);
    const d = dottedName(e);
    if (d && /(?:^|\.)Model$/.test(d)) {
      bases.add(s.tokens[0].value);
      flaskBases.add(s.tokens[0].value);
    }
  }
  const classes = readClasses(tokens, stmts, out);
  const byName = new Map(classes.map((c) => [c.name, c]));
  for (const c of classes) {
    if (c.bases.some((b) => /^(?:DeclarativeBase|DeclarativeBaseNoMeta)$/.test(b.split('.').pop()!))) {
      bases.add(c.name);
      c.abstract = true;
    }
  }
  const isFlaskBase = (b: string): boolean => flaskBases.has(b) || /\.Model$/.test(b);
  const isDeclBase = (b: string): boolean => bases.has(b) || isFlaskBase(b);
  // models and their tables: a fixpoint over same-file bases (bounded)
  for (let round = 0; round < 10; round++) {
    let changed = false;
    for (const c of classes) {
      if (c.model || c.abstract) continue;
      const parent = c.bases.map((b) => byName.get(b.split('.').pop()!)).find((p) => p?.model);
      const flask = c.bases.some(isFlaskBase) || (parent !== undefined && flaskRooted(parent, byName, isFlaskBase, 0));
      let table = c.tablename;
      if (!table && parent && !c.columns.some((x) => x.primary)) table = parent.table;
      if (!table && flask && (c.bases.some(isDeclBase) || parent)) table = flaskTableName(c.name);
      if (!table) continue;
      if (!(c.tablename || parent || c.bases.some(isDeclBase))) continue;
      c.model = true;
      c.table = table.toLowerCase();
      changed = true;
    }
    if (!changed) break;
  }
  const fragment = out.fragment;
  const tableDefs = new Map<string, TableDef>();
  const tableOfModel = (name: string): string | undefined => byName.get(name)?.table;
  for (const c of classes) {
    if (!c.model || !c.table) continue;
    const table = c.table;
    const cols = [...inherited(c, byName, 0), ...c.columns];
    const rels = [...inheritedRelations(c, byName, 0), ...c.relations];
    const columns = new Map<string, string>();
    for (const col of cols) columns.set(col.attr, col.column);
    let pkCols = cols.filter((x) => x.primary).map((x) => x.column);
    const pkc = tableArgCalls(c).find((x) => lastName(x.callee) === 'PrimaryKeyConstraint');
    if (!pkCols.length && pkc) pkCols = pkc.args.flatMap((a) => (a.kind === 'string' ? [columns.get(a.value) ?? a.value.toLowerCase()] : []));
    if (!pkCols.length && (c.attrs.has('id') || [...c.bases].some((b) => byName.get(b)?.attrs.has('id')))) {
      pkCols = ['id'];
      if (!columns.has('id')) {
        columns.set('id', 'id');
        cols.unshift({ attr: 'id', column: 'id', type: 'integer', primary: true, unique: false, index: false, notNull: true, span: spanOf(c.nameTok) });
      }
    }
    const existing = tableDefs.get(table);
    if (existing) {
      // single-table inheritance: the subclass's columns live in the parent's table
      for (const col of c.columns) if (!existing.columns.some((x) => x.name === col.column)) existing.columns.push({ name: col.column, type: col.type, notNull: false, span: col.span });
    } else {
      const def: TableDef = { name: table, columns: cols.map((x) => ({ name: x.column, type: x.type, notNull: x.notNull || x.primary, span: x.span } satisfies ColumnDef)), hasPrimaryKey: pkCols.length > 0, file: path, span: c.span, nameSpan: spanOf(c.nameTok), endOffset: c.span.end, dialect };
      tableDefs.set(table, def);
      fragment.tables.push(def);
      if (pkCols.length) fragment.indexes.push({ table, keys: pkCols.map((k) => ({ kind: 'column', column: k })), unique: true, origin: 'primary-key', file: path, span: cols.find((x) => x.primary)?.span ?? spanOf(c.nameTok) });
    }
    const own = existing ? c.columns : cols;
    columnIndexes(path, table, own, fragment);
    for (const col of own) {
      const refTable = col.fk?.table ?? (col.fk?.model ? tableOfModel(col.fk.model) : undefined);
      if (col.fk && refTable) fragment.foreignKeys.push({ table, columns: [col.column], refTable, refColumns: [col.fk.column], file: path, span: col.span });
    }
    tableArgs(path, c, table, columns, fragment, out);
    const relations = new Map<string, string>();
    for (const r of rels) {
      relations.set(r.attr, r.target);
      const fkCol = relationColumn(r, cols, columns, tableOfModel(r.target));
      if (fkCol && !columns.has(r.attr)) columns.set(r.attr, fkCol);
    }
    const names: SqlalchemyModelNames = { orm: 'sqlalchemy', names: [c.name], table, columns, relations, file: path, span: spanOf(c.nameTok) };
    if (pkCols.length === 1) names.pk = pkCols[0];
    placeIndexInsert(c, tokens, names);
    out.models.push(names);
  }
  // backrefs: the reverse relation on the related model of this file
  for (const c of classes) {
    for (const r of c.relations) {
      if (!r.backref) continue;
      const target = out.models.find((m) => m.names[0] === r.target);
      if (target && !target.relations.has(r.backref)) target.relations.set(r.backref, c.name);
    }
  }
  moduleLevel(path, tokens, stmts, byName, out, dialect);
}

function flaskRooted(c: ClassInfo, byName: Map<string, ClassInfo>, isFlaskBase: (b: string) => boolean, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  return c.bases.some((b) => isFlaskBase(b) || (byName.get(b.split('.').pop()!) !== c && !!byName.get(b.split('.').pop()!) && flaskRooted(byName.get(b.split('.').pop()!)!, byName, isFlaskBase, depth + 1)));
}

/** Columns of same-file mixins and abstract bases (not of a concrete parent model: joined or single-table inheritance keeps them there). */
function inherited(c: ClassInfo, byName: Map<string, ClassInfo>, depth: number): ColumnInfo[] {
  if (depth > MAX_DEPTH) return [];
  const out: ColumnInfo[] = [];
  const own = new Set(c.columns.map((x) => x.attr));
  for (const b of c.bases) {
    const base = byName.get(b.split('.').pop()!);
    if (!base || base === c || base.model) continue;
    for (const col of [...inherited(base, byName, depth + 1), ...base.columns]) if (!own.has(col.attr) && !out.some((x) => x.attr === col.attr)) out.push(col);
  }
  return out;
}

function inheritedRelations(c: ClassInfo, byName: Map<string, ClassInfo>, depth: number): RelationInfo[] {
  if (depth > MAX_DEPTH) return [];
  const out: RelationInfo[] = [];
  for (const b of c.bases) {
    const base = byName.get(b.split('.').pop()!);
    if (!base || base === c || base.model) continue;
    out.push(...inheritedRelations(base, byName, depth + 1), ...base.relations);
  }
  return out;
}

/** The foreign key column a many-to-one relationship goes through, when it can be told. */
function relationColumn(r: RelationInfo, cols: ColumnInfo[], columns: Map<string, string>, targetTable: string | undefined): string | undefined {
  if (r.foreignKeys?.length === 1) return columns.get(r.foreignKeys[0]) ?? cols.find((x) => x.column === r.foreignKeys![0].toLowerCase())?.column;
  if (r.foreignKeys && r.foreignKeys.length > 1) return undefined;
  if (targetTable) {
    const to = cols.filter((x) => x.fk && (x.fk.table === targetTable || x.fk.model === r.target));
    if (to.length === 1) return to[0].column;
    if (to.length > 1) return undefined;
  }
  const named = cols.find((x) => x.attr === `${r.attr}_id` && x.fk);
  return named?.column;
}

function readClasses(tokens: Token[], stmts: PyStatement[], out: SqlalchemyModelRead): ClassInfo[] {
  const classes: ClassInfo[] = [];
  for (let si = 0; si < stmts.length; si++) {
    const s = stmts[si];
    if (s.tokens[0]?.value !== 'class' || s.tokens[1]?.type !== 'name' || indentOf(s) !== 0) continue;
    const body = blockBody(stmts, si);
    const bases: string[] = [];
    if (s.tokens[2]?.value === '(') {
      const r = readExpr(tokens, s.index + 1);
      if (r.expr.kind === 'call') for (const a of r.expr.args) bases.push(dottedName(a) ?? '?');
    }
    const last = body[body.length - 1] ?? s;
    const c: ClassInfo = { name: s.tokens[1].value, nameTok: s.tokens[1], bases, body, columns: [], relations: [], attrs: new Set(), tableArgsComputed: false, abstract: false, span: { start: s.tokens[0].start, end: stmtEnd(last) }, model: false };
    const bodyIndent = body.length ? indentOf(body[0]) : -1;
    for (let bi = 0; bi < body.length; bi++) {
      const b = body[bi];
      if (indentOf(b) !== bodyIndent) continue;
      const t0 = b.tokens[0];
      if (t0.type === 'name' && t0.value === 'def' && b.tokens[1]?.value === '__table_args__') c.tableArgsComputed = true;
      if (t0.type !== 'name') continue;
      const name = t0.value;
      // name = expr  /  name: Annotation = expr  /  name: Annotation
      let annotation: PyExpr | undefined;
      let value: PyExpr | undefined;
      if (b.tokens[1]?.value === '=') value = readExpr(tokens, b.index + 2).expr;
      else if (b.tokens[1]?.value === ':') {
        annotation = readExpr(tokens, b.index + 2).expr;
        const eq = b.tokens.findIndex((t, k) => k > 1 && t.value === '=' && t.type === 'op' && t.depth === t0.depth);
        if (eq > 0 && eq + 1 < b.tokens.length) value = readExpr(tokens, b.index + eq + 1).expr;
      } else continue;
      c.attrs.add(name);
      try {
        if (name === '__tablename__') {
          const v = str(value);
          if (v) c.tablename = v;
          c.tablenameEnd = stmtEnd(b);
          continue;
        }
        if (name === '__abstract__') {
          c.abstract = isTrue(value);
          continue;
        }
        if (name === '__table_args__') {
          if (value) c.tableArgs = { expr: value, stmt: b };
          continue;
        }
        const call = unwrap(value);
        const fn = call ? lastName(call.callee) : undefined;
        if (call && fn && COLUMN_CALLS.has(fn)) c.columns.push(readColumn(name, call, annotation, { start: t0.start, end: call.span.end }));
        else if (call && fn && RELATION_CALLS.has(fn)) {
          const r = readRelation(name, call, annotation, { start: t0.start, end: call.span.end });
          if (r) c.relations.push(r);
        } else if (!value && annotation) {
          const col = annotatedColumn(name, annotation, { start: t0.start, end: annotation.span.end });
          if (col) c.columns.push(col);
        }
      } catch (err) {
        out.errors.push({ message: `Attribute not read: ${String(err)}`, span: spanOf(t0) });
      }
    }
    classes.push(c);
  }
  return classes;
}

/** `deferred(Column(...))`, `column_property(Column(...))`: the inner column. */
function unwrap(e: PyExpr | undefined): Call | undefined {
  if (e?.kind !== 'call') return undefined;
  const fn = lastName(e.callee);
  if ((fn === 'deferred' || fn === 'column_property' || fn === 'synonym_for') && e.args[0]?.kind === 'call') return e.args[0];
  return e;
}

/** `Mapped[Optional[int]]` → 'int' and whether it is optional; undefined for anything else. */
function mappedType(a: PyExpr): { type: string; optional: boolean } | undefined {
  if (a.kind !== 'subscript' || lastName(a.object) !== 'Mapped') return undefined;
  let inner = a.index;
  let optional = false;
  if (inner.kind === 'subscript' && lastName(inner.object) === 'Optional') {
    inner = inner.index;
    optional = true;
  }
  if (inner.kind === 'other' && a.span) optional = true; // `str | None`
  const n = inner.kind === 'string' ? inner.value : lastName(inner);
  return n ? { type: n, optional } : { type: '?', optional };
}

function annotatedColumn(attr: string, a: PyExpr, span: Span): ColumnInfo | undefined {
  const m = mappedType(a);
  if (!m || !Object.hasOwn(ANNOTATION_TYPES, m.type)) return undefined;
  return { attr, column: attr.toLowerCase(), type: ANNOTATION_TYPES[m.type], primary: false, unique: false, index: false, notNull: !m.optional, span };
}

function foreignKeyOf(e: PyExpr): ColumnInfo['fk'] | undefined {
  if (e.kind !== 'call' || lastName(e.callee) !== 'ForeignKey') return undefined;
  const a = e.args[0] ?? kw(e, 'column');
  if (a?.kind === 'string') {
    const parts = a.value.split('.');
    if (parts.length < 2) return undefined;
    return { table: parts[parts.length - 2].toLowerCase(), column: parts[parts.length - 1].toLowerCase() };
  }
  if (a?.kind === 'attr' && a.object.kind === 'name') return { model: a.object.name, column: a.name.toLowerCase() };
  return undefined;
}

function readColumn(attr: string, call: Call, annotation: PyExpr | undefined, span: Span): ColumnInfo {
  let column = attr;
  // a type the reader does not know (a TypeDecorator: EmailType, JSONText) is stored as some base type: left blank, not an enum
  let type = '';
  let fk: ColumnInfo['fk'];
  call.args.forEach((a, i) => {
    if (i === 0 && a.kind === 'string') column = a.value;
    const f = foreignKeyOf(a);
    if (f) fk = f;
    const tn = a.kind === 'call' ? lastName(a.callee) : lastName(a);
    if (tn && Object.hasOwn(TYPES, tn) && type === '') type = TYPES[tn];
  });
  const m = annotation ? mappedType(annotation) : undefined;
  if (type === '' && m && Object.hasOwn(ANNOTATION_TYPES, m.type)) type = ANNOTATION_TYPES[m.type];
  if (type === '' && fk) type = 'integer';
  const primary = isTrue(kw(call, 'primary_key'));
  const nullable = kw(call, 'nullable');
  const notNull = primary || isFalse(nullable) || (nullable === undefined && m !== undefined && !m.optional && call.callee.kind !== 'attr' && lastName(call.callee) === 'mapped_column');
  return { attr, column: column.toLowerCase(), type, primary, unique: isTrue(kw(call, 'unique')), index: isTrue(kw(call, 'index')), notNull, ...(fk ? { fk } : {}), span };
}

function readRelation(attr: string, call: Call, annotation: PyExpr | undefined, span: Span): RelationInfo | undefined {
  const a = call.args[0] ?? kw(call, 'argument');
  let target = a?.kind === 'string' ? a.value : a ? dottedName(a) : undefined;
  if (!target && annotation?.kind === 'subscript' && lastName(annotation.object) === 'Mapped') {
    let inner = annotation.index;
    if (inner.kind === 'subscript' && /^(?:List|list|Set|set|Optional)$/.test(lastName(inner.object) ?? '')) inner = inner.index;
    target = inner.kind === 'string' ? inner.value : dottedName(inner);
  }
  if (!target) return undefined;
  target = target.split('.').pop()!;
  const fks = kw(call, 'foreign_keys');
  let foreignKeys: string[] | undefined;
  if (fks) {
    const items = fks.kind === 'list' ? fks.items : [fks];
    foreignKeys = items.flatMap((x) => (x.kind === 'string' ? [x.value.replace(/^\[|\]$/g, '').split('.').pop()!] : x.kind === 'name' ? [x.name] : x.kind === 'attr' ? [x.name] : []));
  }
  const br = kw(call, 'backref');
  const backref = str(br) ?? (br?.kind === 'call' ? str(br.args[0]) : undefined);
  return { attr, target, ...(foreignKeys ? { foreignKeys } : {}), ...(backref ? { backref } : {}), span };
}

function columnIndexes(path: string, table: string, cols: ColumnInfo[], fragment: SchemaFragment): void {
  for (const col of cols) {
    if (col.primary) continue;
    const keys: IndexKey[] = [{ kind: 'column', column: col.column }];
    if (col.unique) fragment.indexes.push({ table, keys, unique: true, origin: col.index ? 'create-index' : 'unique-constraint', file: path, span: col.span });
    else if (col.index) fragment.indexes.push({ name: `ix_${table}_${col.column}`, table, keys, unique: false, origin: 'create-index', file: path, span: col.span });
  }
}

function tableArgCalls(c: ClassInfo): Call[] {
  const e = c.tableArgs?.expr;
  if (!e) return [];
  const items = e.kind === 'list' ? e.items : [e];
  return items.filter((x): x is Call => x.kind === 'call');
}

/** An index's or constraint's key: a column name string, `Model.attr` / `attr` (mapped through `columns`), `text('…')` or a function call. */
function keyOf(a: PyExpr, columns: Map<string, string>): IndexKey | undefined {
  if (a.kind === 'string') return { kind: 'column', column: columns.get(a.value) ?? a.value.toLowerCase() };
  if (a.kind === 'attr' && (a.object.kind === 'name' || (a.object.kind === 'attr' && a.object.name === 'c'))) return { kind: 'column', column: columns.get(a.name) ?? a.name.toLowerCase() };
  if (a.kind === 'name') return { kind: 'column', column: columns.get(a.name) ?? a.name.toLowerCase() };
  if (a.kind === 'call' && a.callee.kind === 'attr' && /^(?:desc|asc)$/.test(a.callee.name)) return keyOf(a.callee.object, columns);
  if (a.kind === 'call') {
    const fn = lastName(a.callee);
    if (fn === 'text' && a.args[0]?.kind === 'string') return { kind: 'expression', text: a.args[0].value.toLowerCase().replace(/\s+/g, ' '), columns: [] };
    const inner = a.args.map((x) => keyOf(x, columns));
    if (fn && inner.length && inner.every((x) => x?.kind === 'column')) {
      const cs = inner.map((x) => (x as { column: string }).column);
      return { kind: 'expression', text: `${fn.toLowerCase()}(${cs.join(', ')})`, columns: cs };
    }
  }
  return { kind: 'expression', text: 'expression', columns: [] };
}

/** `Index('name', 'a', 'b', unique=True, postgresql_using='gin', postgresql_where=…)` → an index on `table`. */
function indexDef(path: string, table: string, call: Call, columns: Map<string, string>, text?: string): IndexDef | undefined {
  const fn = lastName(call.callee);
  if (fn === 'Index') {
    const name = str(call.args[0]);
    const keys = call.args.slice(name !== undefined || call.args[0]?.kind === 'const' ? 1 : 0).map((a) => keyOf(a, columns)).filter((k): k is IndexKey => !!k);
    if (!keys.length) return undefined;
    const def: IndexDef = { table, keys, unique: isTrue(kw(call, 'unique')), origin: 'create-index', file: path, span: call.span };
    if (name) def.name = name.toLowerCase();
    const using = str(kw(call, 'postgresql_using')) ?? str(kw(call, 'mysql_using'));
    if (using) def.method = using.toLowerCase();
    const where = kw(call, 'postgresql_where') ?? kw(call, 'sqlite_where');
    if (where) def.where = { text: (where.kind === 'call' && lastName(where.callee) === 'text' ? str(where.args[0]) : undefined) ?? text?.slice(where.span.start, where.span.end).replace(/\s+/g, ' ').slice(0, 200) ?? 'condition', columns: [] };
    return def;
  }
  if (fn === 'UniqueConstraint') {
    const keys = call.args.map((a) => keyOf(a, columns)).filter((k): k is IndexKey => !!k);
    if (!keys.length) return undefined;
    const def: IndexDef = { table, keys, unique: true, origin: 'unique-constraint', file: path, span: call.span };
    const name = str(kw(call, 'name'));
    if (name) def.name = name.toLowerCase();
    return def;
  }
  return undefined;
}

function tableArgs(path: string, c: ClassInfo, table: string, columns: Map<string, string>, fragment: SchemaFragment, out: SqlalchemyModelRead): void {
  const e = c.tableArgs?.expr;
  if (e && e.kind !== 'list' && e.kind !== 'dict') {
    out.errors.push({ message: '__table_args__ is not a literal tuple or dict', span: e.span });
    return;
  }
  for (const call of tableArgCalls(c)) {
    const def = indexDef(path, table, call, columns);
    if (def) fragment.indexes.push(def);
    if (lastName(call.callee) === 'ForeignKeyConstraint') {
      const fk = fkConstraint(path, table, call, columns);
      if (fk) fragment.foreignKeys.push(fk);
    }
  }
}

function fkConstraint(path: string, table: string, call: Call, columns: Map<string, string>): ForeignKeyDef | undefined {
  const [a, b] = call.args;
  if (a?.kind !== 'list' || b?.kind !== 'list') return undefined;
  const cols = a.items.map((x) => (x.kind === 'string' ? columns.get(x.value) ?? x.value.toLowerCase() : undefined));
  const refs = b.items.map((x) => (x.kind === 'string' ? x.value.split('.') : undefined));
  if (cols.some((x) => !x) || refs.some((x) => !x || x.length < 2)) return undefined;
  const refTable = refs[0]![refs[0]!.length - 2].toLowerCase();
  return { table, columns: cols as string[], refTable, refColumns: refs.map((r) => r![r!.length - 1].toLowerCase()), file: path, span: call.span };
}

/** Module-level `Index('ix', Model.a, Model.b)` and `Table('name', metadata, Column(...), ...)`. */
function moduleLevel(path: string, tokens: Token[], stmts: PyStatement[], byName: Map<string, ClassInfo>, out: SqlalchemyModelRead, dialect: Dialect): void {
  const fragment = out.fragment;
  for (const s of stmts) {
    if (!s.topLevel) continue;
    const at = s.tokens[0].type === 'name' && s.tokens[1]?.value === '=' ? s.index + 2 : s.index;
    const e = readExpr(tokens, at).expr;
    if (e.kind !== 'call') continue;
    const fn = lastName(e.callee);
    if (fn === 'Index') {
      const model = e.args.map((a) => ownerOf(a, 0)).find((x) => x !== undefined);
      const names = model ? out.models.find((m) => m.names[0] === model) : undefined;
      const table = names?.table ?? (model ? tableVar(model, fragment, stmts, tokens) : undefined);
      if (!table) continue;
      const def = indexDef(path, table, e, names?.columns ?? new Map());
      if (def) fragment.indexes.push(def);
    } else if (fn === 'Table' && e.args[0]?.kind === 'string') {
      const table = e.args[0].value.toLowerCase();
      const cols: ColumnInfo[] = [];
      const columns = new Map<string, string>();
      for (const a of e.args.slice(1)) {
        if (a.kind !== 'call') continue;
        const cf = lastName(a.callee);
        if (cf === 'Column' && a.args[0]?.kind === 'string') {
          const col = readColumn(a.args[0].value, a, undefined, a.span);
          cols.push(col);
          columns.set(col.attr, col.column);
        }
      }
      if (!cols.length) continue;
      const pk = cols.filter((x) => x.primary).map((x) => x.column);
      fragment.tables.push({ name: table, columns: cols.map((x) => ({ name: x.column, type: x.type, notNull: x.notNull, span: x.span })), hasPrimaryKey: pk.length > 0, file: path, span: e.span, nameSpan: e.args[0].span, endOffset: e.span.end, dialect });
      if (pk.length) fragment.indexes.push({ table, keys: pk.map((k) => ({ kind: 'column', column: k })), unique: true, origin: 'primary-key', file: path, span: e.span });
      columnIndexes(path, table, cols, fragment);
      for (const col of cols) {
        const refTable = col.fk?.table ?? (col.fk?.model ? byName.get(col.fk.model)?.table : undefined);
        if (col.fk && refTable) fragment.foreignKeys.push({ table, columns: [col.column], refTable, refColumns: [col.fk.column], file: path, span: col.span });
      }
      for (const a of e.args.slice(1)) {
        if (a.kind !== 'call') continue;
        const def = indexDef(path, table, a, columns);
        if (def) fragment.indexes.push(def);
      }
    }
  }
}

/** The model (or Table variable) an index key names: `Model.a`, `Model.__table__.c.a`, `users.c.a`, `func.lower(Model.a)`. */
function ownerOf(a: PyExpr, depth: number): string | undefined {
  if (depth > 5) return undefined;
  if (a.kind === 'attr' && a.object.kind === 'name') return a.object.name;
  if (a.kind === 'attr' && a.object.kind === 'attr' && a.object.name === 'c') {
    const o = a.object.object;
    return o.kind === 'attr' && o.name === '__table__' ? dottedName(o.object) : dottedName(o);
  }
  if (a.kind === 'call') {
    for (const x of a.args) {
      const m = ownerOf(x, depth + 1);
      if (m) return m;
    }
    if (a.callee.kind === 'attr') return ownerOf(a.callee.object, depth + 1);
  }
  return undefined;
}

/** `users = Table('users', …)`: the table a module-level variable holds. */
function tableVar(name: string, fragment: SchemaFragment, stmts: PyStatement[], tokens: Token[]): string | undefined {
  for (const s of stmts) {
    if (!s.topLevel || s.tokens[0].value !== name || s.tokens[1]?.value !== '=') continue;
    const e = readExpr(tokens, s.index + 2).expr;
    if (e.kind === 'call' && lastName(e.callee) === 'Table' && e.args[0]?.kind === 'string') {
      const t = e.args[0].value.toLowerCase();
      return fragment.tables.some((x) => x.name === t) ? t : undefined;
    }
  }
  return undefined;
}

function placeIndexInsert(c: ClassInfo, tokens: Token[], names: SqlalchemyModelNames): void {
  const indent = c.body.length ? ' '.repeat(indentOf(c.body[0])) : '    ';
  if (c.tableArgsComputed) return;
  const ta = c.tableArgs;
  if (ta) {
    const e = ta.expr;
    if (e.kind === 'dict') {
      names.indexInsertAt = e.span.start;
      names.indexInsert = { kind: 'dict', indent, dictSpan: e.span };
      return;
    }
    if (e.kind !== 'list') return;
    const close = tokens.find((t) => t.end === e.span.end && (t.value === ')' || t.value === ']'));
    if (!close || close.value !== ')') return;
    const lastItem = e.items[e.items.length - 1];
    names.indexInsertAt = close.start;
    names.indexInsert = { kind: 'tuple', indent, ...(lastItem?.kind === 'dict' ? { before: lastItem.span.start } : {}), ...(e.items.length ? {} : { empty: true }) };
    return;
  }
  names.indexInsertAt = c.tablenameEnd ?? c.span.end;
  names.indexInsert = { kind: 'class', indent };
}
