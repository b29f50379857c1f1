/**
 * TypeORM entity reader: `@Entity` classes → what `linkTypeormEntities` turns into the SchemaFragment
 * SQL DDL gives (database names, lower-case) plus the model names of model.ts.
 *
 * A file is read into plain specs (classes, their columns, relations and indexes, as written); the
 * names are settled when the project's reads are linked, since a relation's foreign key column and
 * table depend on the related entity (its primary key property, its table), columns come from base
 * classes in other files (`abstract class Base { @PrimaryGeneratedColumn() id }`), and the naming
 * strategy is configured once for the data source.
 *
 * Names follow TypeORM's `DefaultNamingStrategy`: the table is `@Entity('name')` / `@Entity({ name })`,
 * else the class name in snake_case (`UserProfile` → `user_profile`); a column is its property name
 * unless `name:` is given; a `@ManyToOne` (or an owning `@OneToOne` with `@JoinColumn`) adds the
 * foreign key column `@JoinColumn({ name })`, else camelCase(`<property>_<referenced property>`)
 * (`team` → `teamId`). With `SnakeNamingStrategy` from `typeorm-naming-strategies` columns and join
 * columns are snake_case too; any other naming strategy leaves the entities unread (names unknown).
 *
 * Indexes: `@Index()` on a property (or a relation: its join column), `@Index(['a', 'b'])` /
 * `@Index('name', ['a', 'b'], { unique })` on the class, `@Unique([...])`, `@Column({ unique: true })`,
 * the primary key. A relation's foreign key gets no index (PostgreSQL creates none; the schema adds
 * InnoDB's on MySQL). `@DeleteDateColumn` makes default finds filter `<column> IS NULL` (`paranoid`).
 * Migrations (`queryRunner.query('CREATE INDEX …')`) are SQL strings: the embedded-SQL extraction reads them.
 *
 * Nothing is evaluated; what cannot be read statically is skipped (with an error), never guessed.
 */
import { booleanValue, collectImports, isCall, memberPath, objectProps, parseJs, propName, stringValue, unwrap, walk, type Node } from '../../../lang/javascript/ast.js';
import type { ColumnDef, ForeignKeyDef, IndexDef, SchemaFragment, Span, TableDef } from '../types.js';
import type { OrmModelNames } from './model.js';

export interface TypeormEntityNames extends OrmModelNames {
  /** The primary key column when it is one column (a criteria of `update(id, …)` / `delete(id)`). */
  pk?: string;
  /** `@DeleteDateColumn`: default finds and query builders add `<column> IS NULL` (this column, lower-case). */
  paranoid?: string;
  /** The class extends `BaseEntity` (directly or through a base): `User.find(…)` is an Active Record call. */
  activeRecord?: true;
  /** The entity's own property names (`columns` also maps the database's column names, which QueryBuilder fragments may use): what `@Index([...])` may name. */
  properties?: string[];
  /** Where `@Index([...])` goes (the start of the `@Entity` decorator's line) and how the file imports from 'typeorm', for fixes. */
  indexInsert?: { indent: string; importAt?: { at: number; text: string } };
}

/** A column as declared: property, `name:` override, and what the decorators say. */
export interface TypeormColumnSpec {
  prop: string;
  name?: string;
  type: string;
  notNull: boolean;
  primary: boolean;
  unique: boolean;
  /** `@Index()` / `@Index('name')` / `@Index({ unique })` on the property. */
  index?: { name?: string; unique: boolean };
  /** `@DeleteDateColumn`. */
  deleteDate?: true;
  span: Span;
}

export interface TypeormRelationSpec {
  prop: string;
  kind: 'many-to-one' | 'one-to-one' | 'one-to-many' | 'many-to-many';
  target: string;
  /** `@JoinColumn()` present; its `name` and `referencedColumnName`. */
  joinColumn?: { name?: string; referenced?: string };
  notNull: boolean;
  index?: { name?: string; unique: boolean };
  span: Span;
}

export interface TypeormClassSpec {
  className: string;
  /** `@Entity(…)` present (else a base class that other entities extend). */
  entity: boolean;
  /** The table named in `@Entity`. */
  table?: string;
  baseClass?: string;
  columns: TypeormColumnSpec[];
  relations: TypeormRelationSpec[];
  /** `@RelationId((p) => p.team) teamId`: property → relation. */
  relationIds: { prop: string; relation: string }[];
  /** `@Index([...])` / `@Unique([...])` on the class: property names. */
  indexes: { name?: string; fields: string[]; unique: boolean; constraint: boolean; span: Span }[];
  span: Span;
  nameSpan: Span;
  /** The start of the line of the `@Entity` decorator and its indentation (for fixes). */
  insertAt?: number;
  indent?: string;
}

export interface TypeormEntityRead {
  file: string;
  classes: TypeormClassSpec[];
  /** How `Index` can be imported from 'typeorm' in this file: already imported (undefined), or the edit that adds it. */
  importAt?: { at: number; text: string };
  /** The file configures a naming strategy: `snake` (typeorm-naming-strategies' SnakeNamingStrategy) or `custom`. */
  naming?: 'snake' | 'custom';
  errors: { message: string; span: Span }[];
}

export interface TypeormLinked {
  fragment: SchemaFragment;
  models: TypeormEntityNames[];
}

const MAX_ERRORS = 100;
const COLUMN_DECORATORS = new Set(['Column', 'PrimaryColumn', 'PrimaryGeneratedColumn', 'CreateDateColumn', 'UpdateDateColumn', 'DeleteDateColumn', 'VersionColumn']);
const RELATIONS: Record<string, TypeormRelationSpec['kind']> = { ManyToOne: 'many-to-one', OneToOne: 'one-to-one', OneToMany: 'one-to-many', ManyToMany: 'many-to-many' };
/** Entities of document stores or of shapes whose table is not their own: not read. */
const UNREAD_CLASS_DECORATORS = new Set(['ChildEntity', 'ViewEntity', 'TableInheritance', 'Tree']);

const span = (n: Node): Span => ({ start: n.start, end: n.end });

/** TypeORM's `snakeCase` (StringUtils): `ABc` → `a_bc`, then `aC` → `a_c`, lower-cased. */
export function typeormSnakeCase(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const prev = s[i - 1];
    const next = s[i + 1];
    const upper = (x: string | undefined): boolean => x !== undefined && x >= 'A' && x <= 'Z';
    const lowerOrDigit = (x: string | undefined): boolean => x !== undefined && ((x >= 'a' && x <= 'z') || (x >= '0' && x <= '9'));
    if (upper(c) && i > 0 && (lowerOrDigit(prev) || (upper(prev) && lowerOrDigit(next) && next >= 'a'))) out += '_';
    out += c.toLowerCase();
  }
  return out;
}

/** TypeORM's `camelCase`: a leading capital lowered, a separator (space, `-`, `_`) dropped and the next word character raised. */
export function typeormCamelCase(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (i === 0 && c >= 'A' && c <= 'Z') out += c.toLowerCase();
    else if ((c === ' ' || c === '-' || c === '_' || c === '\t') && i + 1 < s.length && /\w/.test(s[i + 1])) out += s[++i].toUpperCase();
    else out += c;
  }
  return out;
}

/** A file that may define entities or configure a naming strategy. */
export function mayHaveTypeormEntities(text: string): boolean {
  return text.includes('typeorm') && (text.includes('@Entity') || text.includes('Column') || text.includes('NamingStrategy') || text.includes('namingStrategy'));
}

function emptyRead(path: string): TypeormEntityRead {
  return { file: path, classes: [], errors: [] };
}

function err(read: TypeormEntityRead, message: string, n: Node | Span): void {
  if (read.errors.length < MAX_ERRORS) read.errors.push({ message, span: { start: n.start, end: n.end } });
}

export function readTypeormEntities(path: string, text: string): TypeormEntityRead {
  const read = emptyRead(path);
  try {
    if (!mayHaveTypeormEntities(text)) return read;
    const naming = namingOf(text);
    if (naming) read.naming = naming;
    if (!text.includes('@Entity') && !text.includes('Column')) return read;
    const parsed = parseJs(path, text);
    if ('error' in parsed) {
      err(read, parsed.error, { start: 0, end: 0 });
      return read;
    }
    // The decorators are TypeORM's only in a file that imports from it (MikroORM has an `@Entity()` too).
    if (![...collectImports(parsed.program).values()].some((b) => b.source === 'typeorm')) return read;
    walk(parsed.program, (n) => {
      if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) readClass(read, n, text);
    });
    if (read.classes.some((c) => c.entity)) {
      const at = indexImport(parsed.program, text);
      if (at) read.importAt = at;
    }
  } catch (e) {
    err(read, `TypeORM reader failed: ${String((e as Error)?.message ?? e)}`, { start: 0, end: 0 });
  }
  return read;
}

/** `namingStrategy: new SnakeNamingStrategy()` with the typeorm-naming-strategies package: snake; any other naming strategy: custom. */
function namingOf(text: string): TypeormEntityRead['naming'] {
  const configured = text.includes('namingStrategy');
  const defined = text.includes('NamingStrategyInterface') || text.includes('extends DefaultNamingStrategy');
  if (!configured && !defined) return undefined;
  if (!defined && text.includes('typeorm-naming-strategies') && text.includes('SnakeNamingStrategy')) return 'snake';
  return 'custom';
}

/** The edit that imports `Index` from 'typeorm': undefined when it is imported already. */
function indexImport(program: Node, text: string): TypeormEntityRead['importAt'] {
  const imports = collectImports(program);
  for (const [local, b] of imports) if (b.source === 'typeorm' && b.imported === 'Index' && local === 'Index') return undefined;
  for (const st of program.body as Node[]) {
    if (st.type !== 'ImportDeclaration' || st.source.value !== 'typeorm' || st.importKind === 'type') continue;
    const named = (st.specifiers as Node[]).filter((s) => s.type === 'ImportSpecifier');
    const last = named[named.length - 1];
    if (last) return { at: last.end, text: ', Index' };
  }
  // No named import from 'typeorm' to extend: a new import line after the last import.
  const body = program.body as Node[];
  let lastImport: Node | undefined;
  for (const st of body) if (st.type === 'ImportDeclaration') lastImport = st;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (lastImport) return { at: lastImport.end, text: `${eol}import { Index } from 'typeorm';` };
  return { at: 0, text: `import { Index } from 'typeorm';${eol}` };
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

/** `() => Team` / `(type) => Team` / `'Team'` → 'Team'. */
function targetOf(n: Node | undefined): string | undefined {
  let u = unwrap(n);
  if (u?.type === 'ArrowFunctionExpression' && u.body.type !== 'BlockStatement') u = unwrap(u.body as Node);
  const s = stringValue(u);
  if (s !== undefined) return /^[A-Za-z_$][\w$]*$/.test(s) ? s : undefined;
  const p = memberPath(u);
  return p && p.length === 1 ? p[0] : undefined;
}

/** `['a', 'b']` → names; undefined when an element is not a string. */
function stringList(n: Node | undefined): string[] | undefined {
  const u = unwrap(n);
  if (u?.type !== 'ArrayExpression') return undefined;
  const out: string[] = [];
  for (const e of u.elements as (Node | null)[]) {
    const s = stringValue(e ?? undefined);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** `(u) => [u.a, u.b]` → ['a', 'b']. */
function fieldsFunction(n: Node | undefined): string[] | undefined {
  const u = unwrap(n);
  if (u?.type !== 'ArrowFunctionExpression' || u.params.length !== 1 || (u.params[0] as Node).type !== 'Identifier') return undefined;
  const param = (u.params[0] as Node).name as string;
  const body = unwrap(u.body as Node);
  if (body?.type !== 'ArrayExpression') return undefined;
  const out: string[] = [];
  for (const e of body.elements as (Node | null)[]) {
    const p = memberPath(e ?? undefined);
    if (!p || p.length !== 2 || p[0] !== param) return undefined;
    out.push(p[1]);
  }
  return out;
}

/** The column type TypeORM infers: an explicit type, else from the property's TypeScript type. */
function columnType(explicit: string | undefined, annotation: Node | undefined, dflt: string): string {
  if (explicit !== undefined) return explicit === 'simple-enum' ? 'enum' : explicit.startsWith('simple-') ? 'text' : explicit.toLowerCase();
  const t = unwrap(annotation?.typeAnnotation as Node | undefined);
  if (!t) return dflt;
  if (t.type === 'TSStringKeyword') return 'varchar';
  if (t.type === 'TSNumberKeyword') return 'integer';
  if (t.type === 'TSBooleanKeyword') return 'boolean';
  if (t.type === 'TSTypeReference' && memberPath(t.typeName as Node)?.join('.') === 'Date') return 'timestamp';
  // `string | null`: the first keyword decides.
  if (t.type === 'TSUnionType') {
    const first = (t.types as Node[]).find((x) => x.type !== 'TSNullKeyword' && x.type !== 'TSUndefinedKeyword');
    return first ? columnType(undefined, { typeAnnotation: first } as unknown as Node, dflt) : dflt;
  }
  return dflt;
}

function readClass(read: TypeormEntityRead, cls: Node, text: string): void {
  const name = cls.id.name as string;
  const decs = decoratorsOf(cls);
  if (decs.some((d) => UNREAD_CLASS_DECORATORS.has(d.name))) return;
  // MongoDB entities (`@ObjectIdColumn`) have no SQL table.
  if (((cls.body?.body ?? []) as Node[]).some((m) => decoratorsOf(m).some((d) => d.name === 'ObjectIdColumn'))) return;
  const entity = decs.find((d) => d.name === 'Entity');
  const baseClass = memberPath(cls.superClass as Node);
  const spec: TypeormClassSpec = {
    className: name,
    entity: !!entity,
    ...(baseClass?.length === 1 ? { baseClass: baseClass[0] } : {}),
    columns: [],
    relations: [],
    relationIds: [],
    indexes: [],
    span: span(cls),
    nameSpan: span(cls.id as Node),
  };
  if (entity) {
    const a0 = entity.args[0];
    const table = stringValue(a0) ?? stringValue(objectProps(a0).get('name')?.value);
    if (a0 && table === undefined && (unwrap(a0)?.type !== 'ObjectExpression' || objectProps(a0).has('name'))) {
      err(read, `@Entity: the table name of ${name} is not a string literal: not read`, a0);
      return;
    }
    if (table !== undefined) spec.table = table;
    const lineStart = text.lastIndexOf('\n', entity.node.start - 1) + 1;
    const before = text.slice(lineStart, entity.node.start);
    if (before.trim() === '') {
      spec.insertAt = lineStart;
      spec.indent = before;
    }
  }
  for (const d of decs) {
    if (d.name !== 'Index' && d.name !== 'Unique') continue;
    const named = stringValue(d.args[0]);
    const fieldsArg = named !== undefined ? d.args[1] : d.args[0];
    const fields = stringList(fieldsArg) ?? fieldsFunction(fieldsArg);
    if (!fields?.length) {
      err(read, `@${d.name} on ${name}: the fields are not a list of names: not read`, d.node);
      continue;
    }
    const opts = objectProps(named !== undefined ? d.args[2] : d.args[1]);
    if (opts.has('where')) {
      err(read, `@${d.name} on ${name}: a partial index (where) is not read`, d.node);
      continue;
    }
    spec.indexes.push({ ...(named !== undefined ? { name: named } : {}), fields, unique: d.name === 'Unique' || booleanValue(opts.get('unique')?.value) === true, constraint: d.name === 'Unique', span: span(d.node) });
  }
  for (const m of (cls.body?.body ?? []) as Node[]) {
    if ((m.type !== 'ClassProperty' && m.type !== 'ClassAccessorProperty') || m.static) continue;
    const prop = propName(m.key as Node, m.computed as boolean);
    if (prop === undefined) continue;
    readMember(read, spec, prop, m);
  }
  if (!spec.entity && !spec.columns.length && !spec.relations.length) return;
  read.classes.push(spec);
}

function indexOf(decs: { name: string; args: Node[] }[]): { name?: string; unique: boolean } | undefined {
  const ix = decs.find((d) => d.name === 'Index');
  if (!ix) return undefined;
  const named = stringValue(ix.args[0]);
  const opts = objectProps(named !== undefined ? ix.args[1] : ix.args[0]);
  return { ...(named !== undefined ? { name: named } : {}), unique: booleanValue(opts.get('unique')?.value) === true };
}

function readMember(read: TypeormEntityRead, spec: TypeormClassSpec, prop: string, m: Node): void {
  const decs = decoratorsOf(m);
  if (!decs.length) return;
  const relation = decs.find((d) => d.name in RELATIONS);
  if (relation) {
    const target = targetOf(relation.args[0]);
    if (!target) return err(read, `@${relation.name} ${spec.className}.${prop}: the related entity is not named: not read`, m);
    const join = decs.find((d) => d.name === 'JoinColumn');
    const jo = objectProps(join?.args[0]);
    const joinName = stringValue(jo.get('name')?.value);
    const referenced = stringValue(jo.get('referencedColumnName')?.value);
    if (join && unwrap(join.args[0])?.type === 'ArrayExpression') return err(read, `@JoinColumn ${spec.className}.${prop}: several join columns are not read`, m);
    const opts = objectProps(relation.args.find((a, k) => k > 0 && unwrap(a)?.type === 'ObjectExpression'));
    const ix = indexOf(decs);
    spec.relations.push({
      prop, kind: RELATIONS[relation.name], target,
      ...(join ? { joinColumn: { ...(joinName !== undefined ? { name: joinName } : {}), ...(referenced !== undefined ? { referenced } : {}) } } : {}),
      notNull: booleanValue(opts.get('nullable')?.value) === false,
      ...(ix ? { index: ix } : {}),
      span: span(m),
    });
    return;
  }
  const rid = decs.find((d) => d.name === 'RelationId');
  if (rid) {
    const f = unwrap(rid.args[0]);
    const body = f?.type === 'ArrowFunctionExpression' ? memberPath(f.body as Node) : stringValue(f) !== undefined ? ['_', stringValue(f)!] : undefined;
    if (body?.length === 2) spec.relationIds.push({ prop, relation: body[1] });
    return;
  }
  const col = decs.find((d) => COLUMN_DECORATORS.has(d.name));
  if (!col) return;
  // `@Column(() => Name) name: Name`: an embedded entity's columns (prefixed): not modelled.
  if (col.name === 'Column' && unwrap(col.args[0])?.type === 'ArrowFunctionExpression') return;
  const typeArg = stringValue(col.args[0]);
  const opts = objectProps(col.args.find((a) => unwrap(a)?.type === 'ObjectExpression'));
  const name = stringValue(opts.get('name')?.value);
  const explicit = typeArg ?? stringValue(opts.get('type')?.value);
  const primary = col.name === 'PrimaryColumn' || col.name === 'PrimaryGeneratedColumn' || booleanValue(opts.get('primary')?.value) === true;
  const dflt = col.name === 'PrimaryGeneratedColumn' ? (typeArg === 'uuid' ? 'uuid' : 'integer') : col.name.endsWith('DateColumn') ? 'timestamp' : col.name === 'VersionColumn' ? 'integer' : '';
  const type = col.name === 'PrimaryGeneratedColumn' ? dflt : columnType(explicit, m.typeAnnotation as Node | undefined, dflt);
  const nullable = booleanValue(opts.get('nullable')?.value) === true || col.name === 'DeleteDateColumn';
  const ix = indexOf(decs);
  spec.columns.push({
    prop,
    ...(name !== undefined ? { name } : {}),
    type,
    notNull: primary || !nullable,
    primary,
    unique: booleanValue(opts.get('unique')?.value) === true,
    ...(ix ? { index: ix } : {}),
    ...(col.name === 'DeleteDateColumn' ? { deleteDate: true as const } : {}),
    span: span(m),
  });
}

// ---------------------------------------------------------------------------------------------
// Across files

interface Resolved {
  spec: TypeormClassSpec;
  read: TypeormEntityRead;
  columns: TypeormColumnSpec[];
  relations: TypeormRelationSpec[];
  relationIds: TypeormClassSpec['relationIds'];
  indexes: TypeormClassSpec['indexes'];
  activeRecord: boolean;
  table: string;
}

/**
 * The schema fragments and model names of a project's entity reads: base class members copied into
 * the entities that extend them, relations resolved to the related entity's table and key. Entities
 * whose names a custom naming strategy decides are left out. Never throws.
 */
export function linkTypeormEntities(reads: readonly TypeormEntityRead[]): TypeormLinked[] {
  const out: TypeormLinked[] = [];
  try {
    const namings = new Set(reads.map((r) => r.naming).filter((x) => x !== undefined));
    if (namings.has('custom')) return out;
    const snake = namings.has('snake');
    const classes = new Map<string, { spec: TypeormClassSpec; read: TypeormEntityRead }>();
    const duplicate = new Set<string>();
    for (const r of reads) for (const c of r.classes) {
      if (classes.has(c.className)) duplicate.add(c.className);
      classes.set(c.className, { spec: c, read: r });
    }
    const resolved = new Map<string, Resolved>();
    for (const [name, { spec, read }] of classes) {
      if (!spec.entity || duplicate.has(name)) continue;
      const columns: TypeormColumnSpec[] = [];
      const relations: TypeormRelationSpec[] = [];
      const relationIds: TypeormClassSpec['relationIds'] = [];
      const indexes: TypeormClassSpec['indexes'] = [];
      let activeRecord = false;
      const seen = new Set<string>();
      // Base classes first (their columns come first in TypeORM's metadata), the entity's own members last.
      const chain: TypeormClassSpec[] = [];
      for (let c: TypeormClassSpec | undefined = spec; c && !seen.has(c.className) && seen.size < 20; c = c.baseClass ? classes.get(c.baseClass)?.spec : undefined) {
        seen.add(c.className);
        chain.unshift(c);
        if (c.baseClass === 'BaseEntity') activeRecord = true;
      }
      for (const c of chain) {
        for (const col of c.columns) if (!columns.some((x) => x.prop === col.prop)) columns.push(col);
        for (const rel of c.relations) if (!relations.some((x) => x.prop === rel.prop)) relations.push(rel);
        relationIds.push(...c.relationIds);
        indexes.push(...c.indexes);
      }
      resolved.set(name, { spec, read, columns, relations, relationIds, indexes, activeRecord, table: spec.table ?? typeormSnakeCase(name) });
    }
    const byFile = new Map<string, TypeormLinked>();
    for (const e of resolved.values()) {
      const linked = byFile.get(e.read.file) ?? { fragment: { file: e.read.file, tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } }, models: [] };
      byFile.set(e.read.file, linked);
      addEntity(linked, e, resolved, snake);
    }
    out.push(...byFile.values());
  } catch {
    // Best effort: what was linked stays.
  }
  return out;
}

function columnNameOf(c: { prop: string; name?: string }, snake: boolean): string {
  return c.name ?? (snake ? typeormSnakeCase(c.prop) : c.prop);
}

function column(name: string, type: string, notNull: boolean, at?: Span): ColumnDef {
  const lower = name.toLowerCase();
  return { name: lower, ...(lower !== name ? { spelling: name } : {}), type, notNull, ...(at ? { span: at } : {}) };
}

/** The property and column the relation's join column references: `referencedColumnName`, else the related entity's one primary key. */
function referencedOf(rel: TypeormRelationSpec, target: Resolved, snake: boolean): { prop: string; column: string } | undefined {
  if (rel.joinColumn?.referenced !== undefined) {
    const c = target.columns.find((x) => x.prop === rel.joinColumn!.referenced);
    return c ? { prop: c.prop, column: columnNameOf(c, snake) } : undefined;
  }
  const pks = target.columns.filter((c) => c.primary);
  return pks.length === 1 ? { prop: pks[0].prop, column: columnNameOf(pks[0], snake) } : undefined;
}

function addEntity(linked: TypeormLinked, e: Resolved, all: ReadonlyMap<string, Resolved>, snake: boolean): void {
  const { fragment } = linked;
  const file = e.read.file;
  const tableSpelling = e.table;
  const table = tableSpelling.toLowerCase();
  const t: TableDef = { name: table, ...(table !== tableSpelling ? { spelling: tableSpelling } : {}), columns: [], hasPrimaryKey: false, file, span: e.spec.span, nameSpan: e.spec.nameSpan, dialect: 'postgresql' };
  const columns = new Map<string, string>();
  const relations = new Map<string, string>();
  const indexAt: IndexDef[] = [];
  const addColumn = (name: string, type: string, notNull: boolean, at: Span): void => {
    if (!t.columns.some((c) => c.name === name.toLowerCase())) t.columns.push(column(name, type, notNull, at));
  };
  const pk: string[] = [];
  let paranoid: string | undefined;
  for (const c of e.columns) {
    const name = columnNameOf(c, snake);
    columns.set(c.prop, name.toLowerCase());
    addColumn(name, c.type, c.notNull, c.span);
    if (c.primary) pk.push(name.toLowerCase());
    if (c.deleteDate) paranoid = name.toLowerCase();
    if (c.unique) fragment.indexes.push({ table, keys: [{ kind: 'column', column: name.toLowerCase() }], unique: true, origin: 'unique-constraint', file, span: c.span });
    if (c.index) indexAt.push({ ...(c.index.name ? { name: c.index.name.toLowerCase() } : {}), table, keys: [{ kind: 'column', column: name.toLowerCase() }], unique: c.index.unique, origin: 'create-index', file, span: c.span });
  }
  for (const rel of e.relations) {
    // The foreign key side: a many-to-one, or the owning side of a one-to-one (`@JoinColumn`).
    if (rel.kind !== 'many-to-one' && !(rel.kind === 'one-to-one' && rel.joinColumn)) continue;
    const target = all.get(rel.target);
    const ref = target ? referencedOf(rel, target, snake) : undefined;
    const name = rel.joinColumn?.name ?? (ref ? (snake ? typeormSnakeCase(`${rel.prop}_${ref.prop}`) : typeormCamelCase(`${rel.prop}_${ref.prop}`)) : undefined);
    if (name === undefined) continue;
    const col = name.toLowerCase();
    const declared = t.columns.find((c) => c.name === col);
    addColumn(name, declared?.type ?? (target && ref ? target.columns.find((c) => c.prop === ref.prop)?.type ?? '' : ''), rel.notNull, rel.span);
    // `{ team: { id } }` is the join column itself only when it references the related `id`.
    if (ref?.prop === 'id') {
      columns.set(rel.prop, col);
      relations.set(rel.prop, rel.target);
    }
    if (target && ref) fragment.foreignKeys.push({ table, columns: [col], refTable: target.table.toLowerCase(), refColumns: [ref.column.toLowerCase()], file, span: rel.span } satisfies ForeignKeyDef);
    if (rel.index) indexAt.push({ ...(rel.index.name ? { name: rel.index.name.toLowerCase() } : {}), table, keys: [{ kind: 'column', column: col }], unique: rel.index.unique, origin: 'create-index', file, span: rel.span });
    if (rel.kind === 'one-to-one') fragment.indexes.push({ table, keys: [{ kind: 'column', column: col }], unique: true, origin: 'unique-constraint', file, span: rel.span });
  }
  const properties = [...columns.keys()];
  // A QueryBuilder's where fragment may name a column as the database does (`user_uuid = :uuid`, no alias).
  for (const c of t.columns) if (!columns.has(c.spelling ?? c.name)) columns.set(c.spelling ?? c.name, c.name);
  for (const r of e.relationIds) {
    const col = columns.get(r.relation);
    if (col && !columns.has(r.prop)) columns.set(r.prop, col);
  }
  if (pk.length) {
    t.hasPrimaryKey = true;
    fragment.indexes.push({ table, keys: pk.map((c) => ({ kind: 'column', column: c })), unique: true, origin: 'primary-key', file, span: e.spec.nameSpan });
  }
  fragment.indexes.push(...indexAt);
  for (const ix of e.indexes) {
    const cols = ix.fields.map((f) => columns.get(f));
    if (cols.some((c) => c === undefined)) continue;
    fragment.indexes.push({ ...(ix.name ? { name: ix.name.toLowerCase() } : {}), table, keys: (cols as string[]).map((c) => ({ kind: 'column', column: c })), unique: ix.unique, origin: ix.constraint ? 'unique-constraint' : 'create-index', file, span: ix.span });
  }
  fragment.tables.push(t);
  const model: TypeormEntityNames = { orm: 'typeorm', names: [e.spec.className], table, columns, relations, properties, file, span: e.spec.span };
  if (pk.length === 1) model.pk = pk[0];
  if (paranoid) model.paranoid = paranoid;
  if (e.activeRecord) model.activeRecord = true;
  if (e.spec.insertAt !== undefined) {
    model.indexInsertAt = e.spec.insertAt;
    model.indexInsert = { indent: e.spec.indent ?? '', ...(e.read.importAt ? { importAt: e.read.importAt } : {}) };
  }
  linked.models.push(model);
}
