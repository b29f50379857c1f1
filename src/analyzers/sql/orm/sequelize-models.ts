/**
 * Sequelize model and migration reader: model definitions and `queryInterface` migrations → the
 * SchemaFragment SQL DDL gives (database names, lower-case) plus the model names of model.ts.
 *
 * Models: `sequelize.define('User', attrs, opts)`, `class User extends Model {}` + `User.init(attrs,
 * opts)`, and sequelize-typescript classes (`@Table`, `@Column`, `@PrimaryKey`, `@Unique`, `@Index`,
 * `@ForeignKey(() => Team)`, `@BelongsTo`, `@CreatedAt` / `@UpdatedAt` / `@DeletedAt`). A column is named
 * after its attribute unless `field: 'x'` or `underscored: true` (snake_case). The table is `tableName`,
 * else the model name with `freezeTableName`, else the model name made plural by a few English rules
 * (`s`/`x`/`z`/`ch`/`sh` + es, consonant + y → ies, else + s): Sequelize uses the `inflection` library,
 * whose irregular words (person → people) are not modelled. `paranoid: true` (or `@DeletedAt`) adds
 * `deletedAt` and every default query filters `deletedAt IS NULL`: `SequelizeModelNames.paranoid`.
 * Classes without `@Table` that declare columns (a project's `IdModel` / `ParanoidModel` base classes)
 * come back in `bases`; `linkSequelizeModels` copies their columns into the models that extend them
 * (across files) and resolves `@ForeignKey(() => Team)` to Team's table.
 *
 * Migrations (a file under a `migrations` folder): only the `up` step is read (`module.exports = { up }`,
 * `export async function up`); `createTable` (columns, `primaryKey`, `unique`, `references` → a foreign
 * key: PostgreSQL creates no index for it), `addIndex` / `removeIndex` (named as Sequelize names them:
 * `underscore(table_fields)`), `addColumn`, `removeColumn`, `renameTable`, `renameColumn`, `dropTable`,
 * `addConstraint` (unique / primary key / foreign key), `changeColumn` (allowNull). Raw SQL strings
 * (`queryInterface.sequelize.query('CREATE INDEX …')`) are left to the embedded-SQL extraction.
 *
 * Tables come out with dialect `postgresql` (model files do not say; the project's dialect wins when
 * the lead knows it). Nothing is evaluated; what cannot be read statically is skipped with an error.
 */
import { isCall, memberPath, objectProps, parseJs, propName, stringValue, booleanValue, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import type { ColumnDef, ColumnFact, ForeignKeyDef, IndexDef, IndexKey, SchemaFragment, SchemaRename, Span, TableDef } from '../types.js';
import type { OrmModelNames, OrmModelRead } from './model.js';

export interface SequelizeModelNames extends OrmModelNames {
  /** The model is paranoid: default queries add `<column> IS NULL` (this column, lower-case). */
  paranoid?: string;
  /** The class it extends when that is not Sequelize's `Model` (a base class `linkSequelizeModels` resolves). */
  baseClass?: string;
}

/** A class that declares columns but no `@Table`: a base other models extend. */
export interface SequelizeBase {
  name: string;
  baseClass?: string;
  /** Attribute → column definition (names as written; underscored applies in the model). */
  attributes: { attr: string; field?: string; type: string; notNull: boolean; primaryKey: boolean; span: Span }[];
  /** Attribute of `@DeletedAt`, when the base makes its models paranoid. */
  deletedAt?: string;
  file: string;
}

export interface SequelizeModelRead extends OrmModelRead {
  models: SequelizeModelNames[];
  bases: SequelizeBase[];
  /** `@ForeignKey(() => Team)` whose target model is defined elsewhere: `linkSequelizeModels` resolves them. */
  pendingForeignKeys: { table: string; column: string; refModel: string; span: Span }[];
}

const MAX_ERRORS = 100;

/** Sequelize's `Utils.underscore` (inflection.underscore): `documentId` → `document_id`, `APIKey` → `api_key`. */
export function underscore(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const prev = s[i - 1];
    const next = s[i + 1];
    const upper = c >= 'A' && c <= 'Z';
    if (upper && prev !== undefined) {
      const prevLowerOrDigit = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
      const prevUpper = prev >= 'A' && prev <= 'Z';
      const nextLower = next !== undefined && next >= 'a' && next <= 'z';
      if (prevLowerOrDigit || (prevUpper && nextLower)) out += '_';
    }
    out += c === '-' ? '_' : c.toLowerCase();
  }
  return out;
}

/** A few English plural rules (Sequelize uses `inflection.pluralize`; irregular words are not modelled). */
export function pluralize(s: string): string {
  if (/(?:s|x|z|ch|sh)$/i.test(s)) return `${s}es`;
  if (/[^aeiou]y$/i.test(s)) return `${s.slice(0, -1)}ies`;
  return `${s}s`;
}

/** The name Sequelize gives an index without `name`: underscore(`${table}_${fields.join('_')}`). */
export function sequelizeIndexName(table: string, fields: readonly string[]): string {
  return underscore(`${table}_${fields.join('_')}`);
}

/** A migration file: JS/TS under a `migrations` folder. */
export function isSequelizeMigrationPath(path: string): boolean {
  return /(?:^|[\\/])migrations?[\\/](?:.*[\\/])?[^\\/]+\.[cm]?[jt]s$/i.test(path);
}

interface Ctx {
  path: string;
  text: string;
  fragment: SchemaFragment;
  models: SequelizeModelNames[];
  bases: SequelizeBase[];
  pending: SequelizeModelRead['pendingForeignKeys'];
  errors: { message: string; span: Span }[];
}

function emptyRead(path: string): SequelizeModelRead {
  return { fragment: { file: path, tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } }, models: [], bases: [], pendingForeignKeys: [], errors: [] };
}

function err(ctx: Ctx, message: string, n: Node | Span): void {
  if (ctx.errors.length < MAX_ERRORS) ctx.errors.push({ message, span: { start: n.start, end: n.end } });
}

const span = (n: Node): Span => ({ start: n.start, end: n.end });

function column(name: string, type: string, notNull: boolean, at?: Node): ColumnDef {
  const lower = name.toLowerCase();
  return { name: lower, ...(lower !== name ? { spelling: name } : {}), type, notNull, ...(at ? { span: span(at) } : {}) };
}

/** `DataType.STRING`, `Sequelize.STRING(40)`, `'UUID'`, `DataTypes.ARRAY(DataTypes.STRING)` → upper-case text. */
function typeText(n: Node | undefined, text: string): string {
  const u = unwrap(n);
  if (!u) return 'unknown';
  const s = stringValue(u);
  if (s !== undefined) return s.toUpperCase();
  let head: Node = u;
  if (isCall(head)) head = head.callee as Node;
  const path = memberPath(head);
  if (path && path.length) return path[path.length - 1].toUpperCase();
  return text.slice(u.start, Math.min(u.end, u.start + 60));
}

// ---------------------------------------------------------------------------------------------
// Entry point

export function readSequelizeModels(path: string, text: string): SequelizeModelRead {
  const out = emptyRead(path);
  const ctx: Ctx = { path, text, fragment: out.fragment, models: out.models, bases: out.bases, pending: out.pendingForeignKeys, errors: out.errors };
  try {
    const migration = isSequelizeMigrationPath(path);
    if (!migration && !/sequelize|@Table|@Column|@DeletedAt|@PrimaryKey|\.define\(|\.init\(/i.test(text.slice(0, 600_000))) return out;
    const parsed = parseJs(path, text);
    if ('error' in parsed) {
      err(ctx, parsed.error, { start: 0, end: 0 });
      return out;
    }
    if (migration) readMigration(ctx, parsed.program);
    else readModels(ctx, parsed.program);
  } catch (e) {
    err(ctx, `Sequelize reader failed: ${String((e as Error)?.message ?? e)}`, { start: 0, end: 0 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Models

interface Attr {
  attr: string;
  field?: string;
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  /** `unique: true` (true) or a composite unique's name. */
  unique?: true | string;
  /** `references: { model, key }` (define/init style), table name as written. */
  references?: { table: string; key: string };
  /** `@ForeignKey(() => Team)`. */
  fkModel?: string;
  /** `@Index` / `@Index('name')` / `@Index({ name, unique })`. */
  index?: { name?: string; unique: boolean };
  span: Span;
}

interface ModelOpts {
  tableName?: string;
  modelName?: string;
  freeze: boolean;
  underscored: boolean;
  paranoid: boolean;
  timestamps: boolean;
  createdAt: string | false;
  updatedAt: string | false;
  deletedAt: string;
  indexes?: Node;
}

function readOptions(n: Node | undefined): ModelOpts {
  const p = objectProps(n);
  const flag = (k: string, dflt: boolean): boolean => booleanValue(p.get(k)?.value) ?? dflt;
  const tsName = (k: string, dflt: string): string | false => {
    const v = p.get(k)?.value;
    if (booleanValue(v) === false) return false;
    return stringValue(v) ?? dflt;
  };
  const tableName = stringValue(p.get('tableName')?.value);
  const modelName = stringValue(p.get('modelName')?.value);
  return {
    ...(tableName !== undefined ? { tableName } : {}),
    ...(modelName !== undefined ? { modelName } : {}),
    freeze: flag('freezeTableName', false),
    underscored: flag('underscored', false),
    paranoid: flag('paranoid', false),
    timestamps: flag('timestamps', true),
    createdAt: tsName('createdAt', 'createdAt'),
    updatedAt: tsName('updatedAt', 'updatedAt'),
    deletedAt: (tsName('deletedAt', 'deletedAt') || 'deletedAt'),
    ...(p.get('indexes') ? { indexes: p.get('indexes')!.value } : {}),
  };
}

/** `{ name: DataTypes.STRING, email: { type, allowNull, field, unique, primaryKey, references } }`. */
function readAttributes(ctx: Ctx, n: Node | undefined): Attr[] {
  const out: Attr[] = [];
  const o = unwrap(n);
  if (!o || o.type !== 'ObjectExpression') {
    if (o) err(ctx, 'Model attributes are not an object literal: not read', o);
    return out;
  }
  for (const prop of o.properties as Node[]) {
    if (prop.type !== 'ObjectProperty') continue;
    const attr = propName(prop.key as Node, prop.computed as boolean);
    if (attr === undefined) continue;
    out.push(readAttribute(attr, prop.value as Node, prop, ctx.text));
  }
  return out;
}

function readAttribute(attr: string, value: Node, at: Node, text: string): Attr {
  const v = unwrap(value);
  if (!v || v.type !== 'ObjectExpression') return { attr, type: typeText(v, text), notNull: false, primaryKey: false, span: span(at) };
  const p = objectProps(v);
  const pk = booleanValue(p.get('primaryKey')?.value) === true;
  const uniq = p.get('unique')?.value;
  const unique = booleanValue(uniq) === true ? true : stringValue(uniq) ?? stringValue(objectProps(uniq).get('name')?.value);
  const field = stringValue(p.get('field')?.value);
  const ref = objectProps(p.get('references')?.value);
  let references: Attr['references'];
  if (ref.size) {
    const m = ref.get('model')?.value;
    const table = stringValue(m) ?? stringValue(objectProps(m).get('tableName')?.value);
    if (table !== undefined) references = { table, key: stringValue(ref.get('key')?.value) ?? 'id' };
  }
  return {
    attr,
    ...(field !== undefined ? { field } : {}),
    type: typeText(p.get('type')?.value, text),
    notNull: pk || booleanValue(p.get('allowNull')?.value) === false,
    primaryKey: pk,
    ...(unique !== undefined ? { unique } : {}),
    ...(references ? { references } : {}),
    span: span(at),
  };
}

function readModels(ctx: Ctx, program: Node): void {
  const classes = new Map<string, Node>();
  const inits: { name: string; call: Node }[] = [];
  walk(program, (n, anc) => {
    if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) classes.set(n.id.name as string, n);
    if (!isCall(n)) return;
    const path = memberPath(n.callee as Node);
    if (!path || path.length < 2) return;
    const method = path[path.length - 1];
    const args = n.arguments as Node[];
    if (method === 'define' && args.length >= 2 && stringValue(args[0]) !== undefined) {
      const parent = anc[anc.length - 1];
      const variable = parent?.type === 'VariableDeclarator' && parent.id?.type === 'Identifier' ? (parent.id.name as string) : undefined;
      const modelName = stringValue(args[0])!;
      addModel(ctx, { names: [modelName, ...(variable && variable !== modelName ? [variable] : [])], attrs: readAttributes(ctx, args[1]), opts: readOptions(args[2]), at: n, nameNode: args[0] });
    } else if (method === 'init' && path.length === 2 && args.length >= 2 && /^[A-Z]/.test(path[0]) && objectProps(args[1]).has('sequelize')) {
      inits.push({ name: path[0], call: n });
    }
  });
  const initialised = new Set<string>();
  for (const { name, call } of inits) {
    initialised.add(name);
    const args = call.arguments as Node[];
    const opts = readOptions(args[1]);
    const cls = classes.get(name);
    const names = [name, ...(opts.modelName && opts.modelName !== name ? [opts.modelName] : [])];
    addModel(ctx, { names, attrs: readAttributes(ctx, args[0]), opts: { ...opts, modelName: opts.modelName ?? name }, at: cls ?? call, nameNode: cls?.id ?? call.callee, baseClass: baseOf(cls) });
  }
  for (const [name, cls] of classes) {
    if (initialised.has(name)) continue;
    readDecoratedClass(ctx, name, cls);
  }
}

function baseOf(cls: Node | undefined): string | undefined {
  const path = memberPath(cls?.superClass as Node);
  const last = path?.[path.length - 1];
  return last && last !== 'Model' ? last : undefined;
}

function decoratorsOf(n: Node): { name: string; args: Node[]; node: Node }[] {
  const out: { name: string; args: Node[]; node: Node }[] = [];
  for (const d of (n.decorators ?? []) as Node[]) {
    const e = unwrap(d.expression as Node);
    if (!e) continue;
    const callee = isCall(e) ? (e.callee as Node) : e;
    const path = memberPath(callee);
    if (path?.length) out.push({ name: path[path.length - 1], args: isCall(e) ? (e.arguments as Node[]) : [], node: d });
  }
  return out;
}

/** `() => Team` / `Team` → 'Team'. */
function modelRef(n: Node | undefined): string | undefined {
  let u = unwrap(n);
  if (u?.type === 'ArrowFunctionExpression' && u.body.type !== 'BlockStatement') u = unwrap(u.body as Node);
  const p = memberPath(u);
  return p && p.length === 1 ? p[0] : undefined;
}

function readDecoratedClass(ctx: Ctx, name: string, cls: Node): void {
  const table = decoratorsOf(cls).find((d) => d.name === 'Table');
  const attrs: Attr[] = [];
  const relations = new Map<string, string>();
  const relationKeys = new Map<string, string>();
  let deletedAt: string | undefined;
  let createdAt: string | undefined;
  let updatedAt: string | undefined;
  for (const m of (cls.body?.body ?? []) as Node[]) {
    if (m.type !== 'ClassProperty' || m.static) continue;
    const attr = propName(m.key as Node, m.computed as boolean);
    if (attr === undefined) continue;
    const decs = decoratorsOf(m);
    if (!decs.length) continue;
    const rel = decs.find((d) => d.name === 'BelongsTo' || d.name === 'HasMany' || d.name === 'HasOne' || d.name === 'BelongsToMany');
    if (rel) {
      const target = modelRef(rel.args[0]);
      if (target) relations.set(attr, target);
      const fk = rel.name === 'BelongsTo' ? stringValue(rel.args[1]) ?? stringValue(objectProps(rel.args[1]).get('foreignKey')?.value) : undefined;
      if (fk) relationKeys.set(attr, fk);
      continue;
    }
    const names = new Set(decs.map((d) => d.name));
    if (names.has('DeletedAt')) deletedAt = attr;
    if (names.has('CreatedAt')) createdAt = attr;
    if (names.has('UpdatedAt')) updatedAt = attr;
    const col = decs.find((d) => d.name === 'Column');
    if (!col && !names.has('PrimaryKey') && !names.has('ForeignKey') && !names.has('DeletedAt') && !names.has('CreatedAt') && !names.has('UpdatedAt')) continue;
    const colArg = unwrap(col?.args[0]);
    const a: Attr = colArg?.type === 'ObjectExpression' ? readAttribute(attr, colArg, m, ctx.text) : { attr, type: colArg ? typeText(colArg, ctx.text) : names.has('DeletedAt') || names.has('CreatedAt') || names.has('UpdatedAt') ? 'DATE' : 'unknown', notNull: false, primaryKey: false, span: span(m) };
    a.span = span(m);
    if (a.type === 'VIRTUAL') continue;
    if (names.has('PrimaryKey')) a.primaryKey = a.notNull = true;
    if (names.has('AllowNull') && booleanValue(decs.find((d) => d.name === 'AllowNull')!.args[0]) === false) a.notNull = true;
    if (names.has('Unique')) {
      const u = decs.find((d) => d.name === 'Unique')!;
      a.unique = stringValue(u.args[0]) ?? stringValue(objectProps(u.args[0]).get('name')?.value) ?? true;
    }
    const fk = decs.find((d) => d.name === 'ForeignKey');
    if (fk) a.fkModel = modelRef(fk.args[0]);
    const ix = decs.find((d) => d.name === 'Index');
    if (ix) {
      const ixo = objectProps(ix.args[0]);
      const ixName = stringValue(ix.args[0]) ?? stringValue(ixo.get('name')?.value);
      a.index = { ...(ixName !== undefined ? { name: ixName } : {}), unique: booleanValue(ixo.get('unique')?.value) === true };
    }
    attrs.push(a);
  }
  const baseClass = baseOf(cls);
  if (!table) {
    if (attrs.length || deletedAt) ctx.bases.push({ name, ...(baseClass ? { baseClass } : {}), attributes: attrs.map(({ attr, field, type, notNull, primaryKey, span: s }) => ({ attr, ...(field ? { field } : {}), type, notNull, primaryKey, span: s })), ...(deletedAt ? { deletedAt } : {}), file: ctx.path });
    return;
  }
  const opts = readOptions(table.args[0]);
  if (deletedAt) opts.paranoid = true;
  const names = [name, ...(opts.modelName && opts.modelName !== name ? [opts.modelName] : [])];
  addModel(ctx, {
    names,
    attrs,
    opts: { ...opts, modelName: opts.modelName ?? name, ...(deletedAt ? { deletedAt } : {}), ...(createdAt ? { createdAt } : {}), ...(updatedAt ? { updatedAt } : {}) },
    at: cls,
    nameNode: cls.id as Node,
    baseClass,
    relations,
    relationKeys,
    decorated: true,
  });
}

interface ModelSpec {
  names: string[];
  attrs: Attr[];
  opts: ModelOpts;
  at: Node;
  nameNode: Node;
  baseClass?: string;
  relations?: Map<string, string>;
  relationKeys?: Map<string, string>;
  decorated?: boolean;
}

function columnNameOf(a: { attr: string; field?: string }, underscored: boolean): string {
  return a.field ?? (underscored ? underscore(a.attr) : a.attr);
}

function addModel(ctx: Ctx, spec: ModelSpec): void {
  const { opts, attrs } = spec;
  const modelName = opts.modelName ?? spec.names[0];
  const tableSpelling = opts.tableName ?? (opts.freeze ? modelName : opts.underscored ? underscore(pluralize(modelName)) : pluralize(modelName));
  const table = tableSpelling.toLowerCase();
  const all = [...attrs];
  const has = (attr: string): boolean => all.some((a) => a.attr === attr);
  // Sequelize adds `id` when no attribute is a primary key, unless a base class (resolved later) may declare one.
  if (!spec.baseClass && !all.some((a) => a.primaryKey) && !has('id')) all.unshift({ attr: 'id', type: 'INTEGER', notNull: true, primaryKey: true, span: span(spec.nameNode) });
  if (opts.timestamps) {
    if (opts.createdAt !== false && !has(opts.createdAt) && (!spec.decorated || !spec.baseClass)) all.push({ attr: opts.createdAt, type: 'DATE', notNull: true, primaryKey: false, span: span(spec.nameNode) });
    if (opts.updatedAt !== false && !has(opts.updatedAt) && (!spec.decorated || !spec.baseClass)) all.push({ attr: opts.updatedAt, type: 'DATE', notNull: true, primaryKey: false, span: span(spec.nameNode) });
  }
  if (opts.paranoid && !has(opts.deletedAt)) all.push({ attr: opts.deletedAt, type: 'DATE', notNull: false, primaryKey: false, span: span(spec.nameNode) });
  const columns = new Map<string, string>();
  const t: TableDef = { name: table, ...(table !== tableSpelling ? { spelling: tableSpelling } : {}), columns: [], hasPrimaryKey: false, file: ctx.path, span: span(spec.at), nameSpan: span(spec.nameNode), dialect: 'postgresql' };
  const pkCols: string[] = [];
  const uniqueGroups = new Map<string, string[]>();
  const indexGroups = new Map<string, { cols: string[]; unique: boolean; at: Span }>();
  for (const a of all) {
    const col = columnNameOf(a, opts.underscored);
    columns.set(a.attr, col.toLowerCase());
    t.columns.push({ ...column(col, a.type, a.notNull), span: a.span });
    if (a.primaryKey) pkCols.push(col.toLowerCase());
    if (a.unique === true) ctx.fragment.indexes.push({ table, keys: [{ kind: 'column', column: col.toLowerCase() }], unique: true, origin: 'unique-constraint', file: ctx.path, span: a.span });
    else if (typeof a.unique === 'string') uniqueGroups.set(a.unique, [...(uniqueGroups.get(a.unique) ?? []), col.toLowerCase()]);
    if (a.references) ctx.fragment.foreignKeys.push({ table, columns: [col.toLowerCase()], refTable: a.references.table.toLowerCase(), refColumns: [a.references.key.toLowerCase()], file: ctx.path, span: a.span });
    if (a.fkModel) ctx.pending.push({ table, column: col.toLowerCase(), refModel: a.fkModel, span: a.span });
    if (a.index) {
      const key = a.index.name ?? `\u0000${a.attr}`;
      const g = indexGroups.get(key) ?? { cols: [], unique: false, at: a.span };
      g.cols.push(col);
      g.unique ||= a.index.unique;
      indexGroups.set(key, g);
    }
  }
  if (pkCols.length) {
    t.hasPrimaryKey = true;
    ctx.fragment.indexes.push({ table, keys: pkCols.map((c) => ({ kind: 'column', column: c })), unique: true, origin: 'primary-key', file: ctx.path, span: span(spec.nameNode) });
  }
  for (const [name, cols] of uniqueGroups) ctx.fragment.indexes.push({ name: name.toLowerCase(), table, keys: cols.map((c) => ({ kind: 'column', column: c })), unique: true, origin: 'unique-constraint', file: ctx.path, span: span(spec.nameNode) });
  for (const [key, g] of indexGroups) {
    const name = key.startsWith('\u0000') ? sequelizeIndexName(tableSpelling, g.cols) : key;
    ctx.fragment.indexes.push({ name: name.toLowerCase(), table, keys: g.cols.map((c) => ({ kind: 'column', column: c.toLowerCase() })), unique: g.unique, origin: 'create-index', file: ctx.path, span: g.at });
  }
  if (opts.indexes) readIndexList(ctx, opts.indexes, tableSpelling, (f) => {
    const a = all.find((x) => x.attr === f);
    return a ? columnNameOf(a, opts.underscored) : f;
  });
  ctx.fragment.tables.push(t);
  const relations = spec.relations ?? new Map<string, string>();
  for (const [rel, key] of spec.relationKeys ?? []) {
    const a = all.find((x) => x.attr === key);
    columns.set(rel, (a ? columnNameOf(a, opts.underscored) : key).toLowerCase());
  }
  const model: SequelizeModelNames = { orm: 'sequelize', names: spec.names, table, columns, relations, file: ctx.path, span: span(spec.at) };
  if (opts.paranoid) model.paranoid = columnNameOf({ attr: opts.deletedAt }, opts.underscored).toLowerCase();
  if (spec.baseClass) model.baseClass = spec.baseClass;
  if (spec.decorated || spec.at.type === 'ClassDeclaration') model.indexInsertAt = Math.max(spec.at.start, spec.at.end - 1);
  ctx.models.push(model);
}

/** `indexes: [{ fields: ['a', { name: 'b' }], unique, name, where, using }]` (model options). */
function readIndexList(ctx: Ctx, list: Node, tableSpelling: string, columnOf: (field: string) => string): void {
  const arr = unwrap(list);
  if (!arr || arr.type !== 'ArrayExpression') {
    err(ctx, 'Model indexes are not an array literal: not read', list);
    return;
  }
  for (const el of (arr.elements ?? []) as (Node | null)[]) {
    if (!el) continue;
    const ix = readIndexOptions(ctx, el, tableSpelling, undefined, columnOf);
    if (ix) ctx.fragment.indexes.push(ix);
  }
}

/** One index: `{ fields, unique, name, where, using, type }`, with `fields` given separately for addIndex(table, fields, opts). */
function readIndexOptions(ctx: Ctx, opts: Node | undefined, tableSpelling: string, fieldsNode: Node | undefined, columnOf: (f: string) => string): IndexDef | undefined {
  const p = objectProps(opts);
  const fieldsArr = unwrap(fieldsNode ?? p.get('fields')?.value);
  const at = fieldsNode ?? opts;
  if (!fieldsArr || fieldsArr.type !== 'ArrayExpression') {
    if (at) err(ctx, 'Index fields are not an array literal: not read', at);
    return undefined;
  }
  const keys: IndexKey[] = [];
  const names: string[] = [];
  for (const f of (fieldsArr.elements ?? []) as (Node | null)[]) {
    const s = stringValue(f ?? undefined);
    const fo = objectProps(f ?? undefined);
    const name = s ?? stringValue(fo.get('name')?.value) ?? stringValue(fo.get('attribute')?.value);
    if (name === undefined) {
      err(ctx, 'Index field is not a string: index not read', f ?? fieldsArr);
      return undefined;
    }
    names.push(name);
    const col = columnOf(name).toLowerCase();
    const operator = stringValue(fo.get('operator')?.value);
    const collate = stringValue(fo.get('collate')?.value);
    keys.push({ kind: 'column', column: col, ...(operator ? { opclass: operator.toLowerCase() } : {}), ...(collate ? { collation: collate } : {}) });
  }
  if (!keys.length) return undefined;
  const type = stringValue(p.get('type')?.value) ?? stringValue(p.get('indicesType')?.value);
  const unique = booleanValue(p.get('unique')?.value) === true || type?.toUpperCase() === 'UNIQUE';
  const name = stringValue(p.get('name')?.value) ?? sequelizeIndexName(tableSpelling, names);
  const method = stringValue(p.get('using')?.value) ?? stringValue(p.get('method')?.value);
  const where = p.get('where') ? indexWhere(p.get('where')!.value, columnOf) : undefined;
  if (p.get('where') && !where) err(ctx, 'Partial index condition not understood: read without it', p.get('where')!.value);
  return {
    name: name.toLowerCase(),
    table: tableSpelling.toLowerCase(),
    keys,
    unique,
    ...(where ? { where } : {}),
    ...(method ? { method: method.toLowerCase() } : {}),
    origin: 'create-index',
    file: ctx.path,
    span: span(at ?? fieldsArr),
  };
}

/** `where: { deletedAt: null, status: 'open', archivedAt: { [Op.ne]: null } }` → a partial index predicate. */
function indexWhere(n: Node, columnOf: (f: string) => string): IndexDef['where'] | undefined {
  const o = unwrap(n);
  if (!o || o.type !== 'ObjectExpression') return undefined;
  const facts: ColumnFact[] = [];
  const parts: string[] = [];
  for (const prop of o.properties as Node[]) {
    if (prop.type !== 'ObjectProperty' || prop.computed) return undefined;
    const f = propName(prop.key as Node);
    if (f === undefined) return undefined;
    const col = columnOf(f).toLowerCase();
    const v = unwrap(prop.value as Node)!;
    if (v.type === 'NullLiteral') {
      facts.push({ column: col, is: 'null' });
      parts.push(`${col} IS NULL`);
    } else if (v.type === 'BooleanLiteral') {
      facts.push({ column: col, is: v.value ? 'true' : 'false' });
      parts.push(`${col} = ${String(v.value)}`);
    } else if (v.type === 'StringLiteral' || v.type === 'NumericLiteral') {
      const value = v.type === 'StringLiteral' ? `'${String(v.value)}'` : String(v.value);
      facts.push({ column: col, is: 'eq', value });
      parts.push(`${col} = ${value}`);
    } else if (v.type === 'ObjectExpression' && v.properties.length === 1 && v.properties[0].computed) {
      const op = memberPath(v.properties[0].key as Node);
      const val = unwrap(v.properties[0].value as Node);
      if ((op?.[1] === 'ne' || op?.[1] === 'not') && val?.type === 'NullLiteral') {
        facts.push({ column: col, is: 'not-null' });
        parts.push(`${col} IS NOT NULL`);
      } else return undefined;
    } else return undefined;
  }
  if (!parts.length) return undefined;
  return { text: parts.join(' AND '), columns: facts.map((f) => f.column), facts };
}

// ---------------------------------------------------------------------------------------------
// Migrations

/** The `up` step: `module.exports = { up }`, `exports.up =`, `export (async) function up`, `export const up`; else the whole file. */
function upStep(program: Node): Node {
  let found: Node | undefined;
  walk(program, (n) => {
    if (found) return false;
    if ((n.type === 'ObjectProperty' || n.type === 'ObjectMethod') && propName(n.key as Node, n.computed as boolean) === 'up') found = n;
    else if (n.type === 'FunctionDeclaration' && n.id?.name === 'up') found = n;
    else if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && n.id.name === 'up') found = n;
    else if (n.type === 'AssignmentExpression' && memberPath(n.left as Node)?.join('.').endsWith('exports.up')) found = n;
    else if (isFunction(n) && n !== program) return false;
    return undefined;
  });
  return found ?? program;
}

function isFunction(n: Node): boolean {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'ClassMethod' || n.type === 'ObjectMethod';
}

/** A table argument: `'users'` or `{ tableName: 'users', schema }`. */
function tableArg(n: Node | undefined): string | undefined {
  return stringValue(n) ?? stringValue(objectProps(n).get('tableName')?.value);
}

const MIGRATION_METHODS = new Set(['createTable', 'dropTable', 'addIndex', 'removeIndex', 'addColumn', 'removeColumn', 'renameTable', 'renameColumn', 'addConstraint', 'removeConstraint', 'changeColumn']);

function readMigration(ctx: Ctx, program: Node): void {
  const f = ctx.fragment;
  const rename = (r: SchemaRename): void => void (f.renamed ??= []).push(r);
  walk(upStep(program), (n) => {
    if (!isCall(n)) return;
    const path = memberPath(n.callee as Node);
    const method = path?.[path.length - 1];
    if (!path || path.length < 2 || !method || !MIGRATION_METHODS.has(method)) return;
    const args = n.arguments as Node[];
    const tableSpelling = tableArg(args[0]);
    if (tableSpelling === undefined) {
      err(ctx, `${method}: the table name is not a string literal: not read`, n);
      return;
    }
    const table = tableSpelling.toLowerCase();
    const s1 = stringValue(args[1]);
    switch (method) {
      case 'createTable': {
        const attrs = readAttributes(ctx, args[1]);
        const t: TableDef = { name: table, ...(table !== tableSpelling ? { spelling: tableSpelling } : {}), columns: [], hasPrimaryKey: false, file: ctx.path, span: span(n), nameSpan: span(args[0]), dialect: 'postgresql' };
        const pk: string[] = [];
        const groups = new Map<string, string[]>();
        for (const a of attrs) {
          const col = a.field ?? a.attr;
          t.columns.push({ ...column(col, a.type, a.notNull), span: a.span });
          if (a.primaryKey) pk.push(col.toLowerCase());
          if (a.unique === true) f.indexes.push({ table, keys: [{ kind: 'column', column: col.toLowerCase() }], unique: true, origin: 'unique-constraint', file: ctx.path, span: a.span });
          else if (typeof a.unique === 'string') groups.set(a.unique, [...(groups.get(a.unique) ?? []), col.toLowerCase()]);
          if (a.references) f.foreignKeys.push({ table, columns: [col.toLowerCase()], refTable: a.references.table.toLowerCase(), refColumns: [a.references.key.toLowerCase()], file: ctx.path, span: a.span });
        }
        if (pk.length) {
          t.hasPrimaryKey = true;
          f.indexes.push({ table, keys: pk.map((c) => ({ kind: 'column', column: c })), unique: true, origin: 'primary-key', file: ctx.path, span: span(n) });
        }
        for (const [name, cols] of groups) f.indexes.push({ name: name.toLowerCase(), table, keys: cols.map((c) => ({ kind: 'column', column: c })), unique: true, origin: 'unique-constraint', file: ctx.path, span: span(n) });
        // Options `uniqueKeys: { name: { fields: [...] } }`.
        for (const [name, v] of objectProps(objectProps(args[2]).get('uniqueKeys')?.value)) {
          const ix = readIndexOptions(ctx, v.value, tableSpelling, undefined, (x) => x);
          if (ix) f.indexes.push({ ...ix, name: name.toLowerCase(), unique: true, origin: 'unique-constraint' });
        }
        f.tables.push(t);
        break;
      }
      case 'dropTable':
        f.dropped.tables.push(table);
        break;
      case 'addIndex': {
        const arrayFirst = unwrap(args[1])?.type === 'ArrayExpression';
        const ix = readIndexOptions(ctx, arrayFirst ? args[2] : args[1], tableSpelling, arrayFirst ? args[1] : undefined, (x) => x);
        if (ix) f.indexes.push({ ...ix, span: span(n) });
        break;
      }
      case 'removeIndex': {
        const u = unwrap(args[1]);
        if (s1 !== undefined) f.dropped.indexes.push(s1.toLowerCase());
        else if (u?.type === 'ArrayExpression' && u.elements.every((e: Node | null) => stringValue(e ?? undefined) !== undefined)) f.dropped.indexes.push(sequelizeIndexName(tableSpelling, u.elements.map((e: Node) => stringValue(e)!)).toLowerCase());
        else err(ctx, 'removeIndex: the index is not a string or an array of strings: not read', n);
        break;
      }
      case 'addColumn': {
        if (s1 === undefined) return err(ctx, 'addColumn: the column name is not a string literal: not read', n);
        const a = readAttribute(s1, args[2], n, ctx.text);
        (f.addedColumns ??= []).push({ table, column: { ...column(s1, a.type, a.notNull), span: span(n) } });
        if (a.references) f.foreignKeys.push({ table, columns: [s1.toLowerCase()], refTable: a.references.table.toLowerCase(), refColumns: [a.references.key.toLowerCase()], file: ctx.path, span: span(n) });
        if (a.unique === true) f.indexes.push({ table, keys: [{ kind: 'column', column: s1.toLowerCase() }], unique: true, origin: 'unique-constraint', file: ctx.path, span: span(n) });
        if (a.primaryKey) f.primaryKeys.push({ table, columns: [s1.toLowerCase()] });
        break;
      }
      case 'removeColumn':
        if (s1 === undefined) return err(ctx, 'removeColumn: the column name is not a string literal: not read', n);
        (f.droppedColumns ??= []).push({ table, column: s1.toLowerCase() });
        break;
      case 'renameTable': {
        const to = tableArg(args[1]);
        if (to === undefined) return err(ctx, 'renameTable: the new name is not a string literal: not read', n);
        rename({ kind: 'table', table, from: table, to: to.toLowerCase(), ...(to !== to.toLowerCase() ? { toSpelling: to } : {}) });
        break;
      }
      case 'renameColumn': {
        const to = stringValue(args[2]);
        if (s1 === undefined || to === undefined) return err(ctx, 'renameColumn: a column name is not a string literal: not read', n);
        rename({ kind: 'column', table, from: s1.toLowerCase(), to: to.toLowerCase(), ...(to !== to.toLowerCase() ? { toSpelling: to } : {}) });
        break;
      }
      case 'changeColumn': {
        const allow = booleanValue(objectProps(args[2]).get('allowNull')?.value);
        if (s1 !== undefined && allow !== undefined) (f.nullability ??= []).push({ table, column: s1.toLowerCase(), notNull: !allow });
        break;
      }
      case 'removeConstraint':
        if (s1 === undefined) return err(ctx, 'removeConstraint: the name is not a string literal: not read', n);
        (f.droppedConstraints ??= []).push({ table, name: s1.toLowerCase() });
        break;
      case 'addConstraint':
        addConstraint(ctx, n, tableSpelling);
        break;
    }
    return undefined;
  });
}

/** `addConstraint(table, { fields, type: 'unique' | 'primary key' | 'foreign key', name, references: { table, field } })` (v6; v4's `(table, fields, opts)` too). */
function addConstraint(ctx: Ctx, call: Node, tableSpelling: string): void {
  const args = call.arguments as Node[];
  const arrayFirst = unwrap(args[1])?.type === 'ArrayExpression';
  const opts = arrayFirst ? args[2] : args[1];
  const p = objectProps(opts);
  const fieldsNode = unwrap(arrayFirst ? args[1] : p.get('fields')?.value);
  const fields = fieldsNode?.type === 'ArrayExpression' ? (fieldsNode.elements as (Node | null)[]).map((e) => stringValue(e ?? undefined) ?? stringValue(objectProps(e ?? undefined).get('name')?.value)) : [];
  const type = stringValue(p.get('type')?.value)?.toLowerCase();
  if (!fields.length || fields.some((x) => x === undefined) || !type) return err(ctx, 'addConstraint: fields or type not literal: not read', call);
  const table = tableSpelling.toLowerCase();
  const cols = (fields as string[]).map((c) => c.toLowerCase());
  const name = stringValue(p.get('name')?.value)?.toLowerCase();
  if (type === 'unique') ctx.fragment.indexes.push({ ...(name ? { name } : {}), table, keys: cols.map((c) => ({ kind: 'column', column: c })), unique: true, origin: 'unique-constraint', file: ctx.path, span: span(call) });
  else if (type === 'primary key') {
    ctx.fragment.primaryKeys.push({ table, columns: cols });
    ctx.fragment.indexes.push({ ...(name ? { name } : {}), table, keys: cols.map((c) => ({ kind: 'column', column: c })), unique: true, origin: 'primary-key', file: ctx.path, span: span(call) });
  } else if (type === 'foreign key') {
    const ref = objectProps(p.get('references')?.value);
    const refTable = tableArg(ref.get('table')?.value);
    const refField = stringValue(ref.get('field')?.value) ?? 'id';
    if (refTable === undefined) return err(ctx, 'addConstraint: the referenced table is not a string literal: not read', call);
    ctx.fragment.foreignKeys.push({ ...(name ? { name } : {}), table, columns: cols, refTable: refTable.toLowerCase(), refColumns: [refField.toLowerCase()], file: ctx.path, span: span(call) });
  }
}

// ---------------------------------------------------------------------------------------------
// Across files

/**
 * Completes model reads of one project: copies a base class's columns (`IdModel`'s id / createdAt,
 * `ParanoidModel`'s deletedAt, which makes the model paranoid) into the models that extend it, adds
 * Sequelize's implicit `id` to models that still have no primary key, and turns `@ForeignKey(() => Team)`
 * into a foreign key to Team's table. Mutates and returns the reads; never throws.
 */
export function linkSequelizeModels(reads: SequelizeModelRead[]): SequelizeModelRead[] {
  try {
    const bases = new Map<string, SequelizeBase>();
    for (const r of reads) for (const b of r.bases) bases.set(b.name, b);
    const byName = new Map<string, SequelizeModelNames>();
    for (const r of reads) for (const m of r.models) for (const n of m.names) byName.set(n, m);
    for (const r of reads) {
      for (const m of r.models) {
        const t = r.fragment.tables.find((x) => x.name === m.table && x.file === m.file);
        if (!t) continue;
        const seen = new Set<string>();
        let paranoid: string | undefined;
        for (let b = m.baseClass ? bases.get(m.baseClass) : undefined; b && !seen.has(b.name) && seen.size < 20; b = b.baseClass ? bases.get(b.baseClass) : undefined) {
          seen.add(b.name);
          paranoid ??= b.deletedAt;
          for (const a of b.attributes) {
            if (m.columns.has(a.attr)) continue;
            const col = a.field ?? a.attr;
            m.columns.set(a.attr, col.toLowerCase());
            t.columns.push(column(col, a.type, a.notNull));
            if (a.primaryKey && !t.hasPrimaryKey) {
              t.hasPrimaryKey = true;
              r.fragment.indexes.push({ table: t.name, keys: [{ kind: 'column', column: col.toLowerCase() }], unique: true, origin: 'primary-key', file: r.fragment.file, ...(t.nameSpan ? { span: t.nameSpan } : {}) });
            }
          }
        }
        if (paranoid && !m.paranoid) m.paranoid = m.columns.get(paranoid) ?? paranoid.toLowerCase();
        if (!t.hasPrimaryKey && !m.columns.has('id')) {
          m.columns.set('id', 'id');
          t.columns.unshift(column('id', 'INTEGER', true));
          t.hasPrimaryKey = true;
          r.fragment.indexes.push({ table: t.name, keys: [{ kind: 'column', column: 'id' }], unique: true, origin: 'primary-key', file: r.fragment.file, ...(t.nameSpan ? { span: t.nameSpan } : {}) });
        }
      }
      for (const p of r.pendingForeignKeys.splice(0)) {
        const target = byName.get(p.refModel);
        if (target) r.fragment.foreignKeys.push({ table: p.table, columns: [p.column], refTable: target.table, refColumns: ['id'], file: r.fragment.file, span: p.span } satisfies ForeignKeyDef);
        else r.pendingForeignKeys.push(p);
      }
    }
  } catch {
    // Best effort: what was linked stays.
  }
  return reads;
}
