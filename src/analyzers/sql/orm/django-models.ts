/**
 * A fault-tolerant reader of Django model modules (`models.py`, or a module of a `models/` package).
 *
 * It turns `class X(models.Model)` definitions into the schema model of `../types.ts`, in the names
 * Django's migrations create: table `<app_label>_<model lower>` (or `Meta.db_table`), a column per
 * concrete field (`db_column` honoured; a ForeignKey / OneToOneField `customer` is `customer_id`), the
 * implicit `id` primary key, and the indexes Django creates: `primary_key`, `unique`, `db_index`, one
 * per ForeignKey (unless `db_index=False`), `Meta.indexes`, `unique_together`, `index_together`,
 * `Meta.constraints` UniqueConstraints (`condition=` → a partial index). ManyToManyFields without
 * `through=` add their join table (`<table>_<field>`) with its two FK indexes and unique pair.
 *
 * A class is a model when a base is `models.Model` / `Model`, a model class of the same file, or an
 * unknown base (imported from elsewhere: `PrimaryModel`) while its body declares model fields or a
 * model Meta (a Meta naming `model` / `fields` is a form's or serializer's, and not one). Abstract
 * models (`Meta.abstract = True`) give no table; their fields are inherited by models of the same file.
 * A model whose base is a concrete model of the same file gets Django's `<parent>_ptr_id` primary key;
 * a proxy model (`Meta.proxy = True`) shares its parent's table. Fields inherited from bases defined in
 * other files are not known (listed in `unknownBases`).
 *
 * PostgreSQL only: a CharField / TextField with `db_index=True` or `unique=True` also gets a
 * `varchar_pattern_ops` / `text_pattern_ops` `_like` index. It is added when `options.dialect` is
 * 'postgresql' (the reader does not know the project's database by itself).
 *
 * Never throws: malformed input yields `errors` and whatever could still be read.
 */
import type { Dialect, ColumnDef, ColumnFact, IndexDef, IndexKey, SchemaFragment, Span, TableDef } from '../types.js';
import type { OrmModelNames, OrmModelRead } from './model.js';
import { dottedName, readExpr, statements, tokenize, type PyExpr, type PyStatement, type Token } from '../../../lang/python/tokenize.js';

export const MAX_DJANGO_FILE = 512 * 1024;
const MAX_DEPTH = 100;

/** The names of a Django model, with what the shared shape has no field for. */
export interface DjangoModelNames extends OrmModelNames {
  /** Meta.ordering: the order every query of the model gets when it names none. */
  ordering?: { field: string; via: string[]; desc: boolean }[];
  /** Bases that are neither `models.Model` nor a class of this file: their fields are not known. */
  unknownBases?: string[];
  /** How `indexInsertAt` is placed: inside `Meta.indexes = [` (before its `]`), after the last line of Meta, or after the class body (no Meta yet). */
  indexInsert?: { kind: 'indexes-list' | 'meta' | 'class'; indent: string };
  /** Reverse relations declared by ForeignKeys of other models of the same file: query name → model class. */
  reverseRelations?: Map<string, string>;
  /** Primary key column. */
  pk?: string;
}

export interface DjangoModelRead extends OrmModelRead {
  models: DjangoModelNames[];
}

export interface DjangoModelOptions {
  /** The project's database; 'postgresql' adds Django's `_like` pattern indexes. */
  dialect?: Dialect;
}

interface FieldInfo {
  name: string;
  column: string;
  kind: 'column' | 'fk' | 'o2o' | 'm2m';
  cls: string;
  call: Extract<PyExpr, { kind: 'call' }>;
  target?: string;
  /** The target was written as a string ('Model' / 'app.Model'), not a class reference. */
  targetString?: boolean;
  unique: boolean;
  dbIndex?: boolean;
  primary: boolean;
  notNull: boolean;
  relatedName?: string;
  through: boolean;
  toField?: string;
  /** `choices=`: the column holds one of a few values (an enum to the selectivity rules). */
  choices?: boolean;
  span: Span;
}

interface ClassInfo {
  name: string;
  nameTok: Token;
  header: PyStatement;
  body: PyStatement[];
  bases: string[];
  fields: FieldInfo[];
  meta?: { stmt: PyStatement; body: PyStatement[]; entries: Map<string, { expr: PyExpr; stmt: PyStatement }> };
  abstract: boolean;
  proxy: boolean;
  isModel: boolean;
  span: Span;
}

const FK_CLASSES = new Set(['ForeignKey', 'TreeForeignKey', 'ParentalKey']);
const O2O_CLASSES = new Set(['OneToOneField']);
const M2M_CLASSES = new Set(['ManyToManyField', 'TreeManyToManyField', 'ParentalManyToManyField']);
const INDEX_METHODS: Record<string, string | undefined> = { Index: undefined, BTreeIndex: 'btree', GinIndex: 'gin', GistIndex: 'gist', BrinIndex: 'brin', HashIndex: 'hash', SpGistIndex: 'spgist', BloomIndex: 'bloom' };
const TYPES: Record<string, string> = {
  AutoField: 'integer', BigAutoField: 'bigint', SmallAutoField: 'smallint', IntegerField: 'integer', BigIntegerField: 'bigint', SmallIntegerField: 'smallint',
  PositiveIntegerField: 'integer', PositiveBigIntegerField: 'bigint', PositiveSmallIntegerField: 'smallint', CharField: 'varchar', SlugField: 'varchar',
  EmailField: 'varchar', URLField: 'varchar', TextField: 'text', BooleanField: 'boolean', NullBooleanField: 'boolean', DateTimeField: 'timestamp',
  DateField: 'date', TimeField: 'time', DurationField: 'interval', UUIDField: 'uuid', DecimalField: 'numeric', FloatField: 'double precision',
  JSONField: 'jsonb', BinaryField: 'bytea', FileField: 'varchar', ImageField: 'varchar', GenericIPAddressField: 'inet', IPAddressField: 'inet',
};

const lastName = (e: PyExpr): string | undefined => dottedName(e)?.split('.').pop();
const kw = (c: Extract<PyExpr, { kind: 'call' }>, name: string): PyExpr | undefined => c.kwargs.find((k) => k.name === name)?.value;
const isTrue = (e: PyExpr | undefined): boolean => e?.kind === 'const' && e.value === true;
const isFalse = (e: PyExpr | undefined): boolean => e?.kind === 'const' && e.value === false;
const str = (e: PyExpr | undefined): string | undefined => (e?.kind === 'string' ? e.value : undefined);
const indentOf = (s: PyStatement): number => s.tokens[0]?.col ?? 0;
const stmtEnd = (s: PyStatement): number => s.tokens[s.tokens.length - 1]?.end ?? 0;

function isFieldClass(cls: string): boolean {
  return FK_CLASSES.has(cls) || O2O_CLASSES.has(cls) || M2M_CLASSES.has(cls) || (/Field$/.test(cls) && cls !== 'Field');
}

/** The Django app label of a models module: the folder holding models.py, or the folder above a models/ package. */
export function djangoAppLabel(path: string): string | undefined {
  const parts = path.replace(/\\/g, '/').split('/').filter(Boolean);
  if (parts.length < 2) return undefined;
  const dir = parts[parts.length - 2];
  if (dir === 'models' && parts.length >= 3) return parts[parts.length - 3].toLowerCase();
  return dir.toLowerCase();
}

/** Reads a Django models module. Never throws. */
export function readDjangoModels(path: string, text: string, options: DjangoModelOptions = {}): DjangoModelRead {
  const fragment: SchemaFragment = { file: path, tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } };
  const out: DjangoModelRead = { fragment, models: [], errors: [] };
  if (text.length > MAX_DJANGO_FILE) {
    out.errors.push({ message: `File larger than ${MAX_DJANGO_FILE} bytes: not read`, span: { start: 0, end: 0 } });
    return out;
  }
  try {
    read(path, text, options, out);
  } catch (e) {
    out.errors.push({ message: `Django model reader failed: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 } });
  }
  return out;
}

function read(path: string, text: string, options: DjangoModelOptions, out: DjangoModelRead): void {
  const fragment = out.fragment;
  const tokens = tokenize(text);
  const stmts = statements(tokens);
  const app = djangoAppLabel(path) ?? 'app';
  const imports = readImports(stmts, app);
  const classes = readClasses(tokens, stmts, out);
  const byName = new Map(classes.map((c) => [c.name, c]));
  // which classes are models: a fixpoint over same-file bases (bounded)
  for (let round = 0; round < 10; round++) {
    let changed = false;
    for (const c of classes) {
      if (c.isModel) continue;
      const viaBase = c.bases.some((b) => b === 'models.Model' || b === 'Model' || b === 'django.db.models.Model' || byName.get(b.split('.').pop()!)?.isModel);
      const unknownBase = c.bases.some((b) => !byName.has(b.split('.').pop()!) && !/^(?:object|models\.(?!Model$)\w+|forms\.\w+|serializers\.\w+|Enum|\w*Choices|str|int|Exception)$/.test(b));
      const metaModelish = c.meta !== undefined && !c.meta.entries.has('model') && !c.meta.entries.has('fields') && [...c.meta.entries.keys()].some((k) => /^(?:db_table|ordering|indexes|constraints|unique_together|index_together|verbose_name|verbose_name_plural|abstract|app_label|proxy|default_related_name)$/.test(k));
      if (viaBase || (unknownBase && (c.fields.length > 0 || metaModelish))) {
        c.isModel = true;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const tableOf = new Map<string, string>();
  const stringTargets = new Set(classes.flatMap((c) => c.fields.filter((f) => f.targetString && f.target).map((f) => f.target!)));
  const metaStr = (c: ClassInfo, key: string): string | undefined => str(c.meta?.entries.get(key)?.expr);
  const appOf = (c: ClassInfo): string => metaStr(c, 'app_label')?.toLowerCase() ?? app;
  const resolveTable = (c: ClassInfo, depth = 0): string => {
    if (c.proxy && depth < MAX_DEPTH) {
      const parent = c.bases.map((b) => byName.get(b.split('.').pop()!)).find((p) => p?.isModel && !p.abstract);
      if (parent) return resolveTable(parent, depth + 1);
    }
    return (metaStr(c, 'db_table') ?? `${appOf(c)}_${c.name.toLowerCase()}`).toLowerCase();
  };
  for (const c of classes) if (c.isModel && !c.abstract) tableOf.set(c.name, resolveTable(c));

  /** The table a relation target names, when it can be told. */
  const targetTable = (target: string, self: ClassInfo): string | undefined => {
    if (target === 'self') return tableOf.get(self.name);
    const name = target.split('.').pop()!;
    if (target.includes('.') && /^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(target) && !byName.has(name)) return `${target.split('.')[0]}_${name}`.toLowerCase();
    if (tableOf.has(name)) return tableOf.get(name);
    const imp = imports.get(name);
    if (imp) return `${imp.app}_${imp.name}`.toLowerCase();
    // an unqualified string names a model of the same app
    if (stringTargets.has(target)) return `${appOf(self)}_${name}`.toLowerCase();
    return undefined;
  };

  // reverse relations of the same file
  const reverse = new Map<string, Map<string, string>>();
  for (const c of classes) {
    if (!c.isModel) continue;
    for (const f of allFields(c, byName)) {
      if (!f.target || f.kind === 'column') continue;
      const t = f.target === 'self' ? c.name : f.target.split('.').pop()!;
      if (!byName.has(t) || f.relatedName === '+' || f.relatedName?.endsWith('+')) continue;
      const q = f.relatedName && !f.relatedName.includes('%') ? f.relatedName : c.name.toLowerCase();
      if (!reverse.has(t)) reverse.set(t, new Map());
      reverse.get(t)!.set(q, c.name);
    }
  }

  for (const c of classes) {
    if (!c.isModel || c.abstract) continue;
    const table = tableOf.get(c.name)!;
    const fields = allFields(c, byName);
    const columns = new Map<string, string>();
    const relations = new Map<string, string>();
    const cols: ColumnDef[] = [];
    const modelIndexes: IndexDef[] = [];
    const unknownBases = c.bases.filter((b) => !byName.has(b.split('.').pop()!) && !/^(?:models\.)?Model$/.test(b));
    let pk: string | undefined;
    const concreteParent = c.bases.map((b) => byName.get(b.split('.').pop()!)).find((p) => p?.isModel && !p.abstract);
    if (!c.proxy && concreteParent) {
      pk = `${concreteParent.name.toLowerCase()}_ptr_id`;
      cols.push({ name: pk, type: 'bigint', notNull: true, span: c.nameTok });
      columns.set(`${concreteParent.name.toLowerCase()}_ptr`, pk);
      relations.set(`${concreteParent.name.toLowerCase()}_ptr`, concreteParent.name);
      const rt = tableOf.get(concreteParent.name);
      if (rt) fragment.foreignKeys.push({ table, columns: [pk], refTable: rt, refColumns: ['id'], file: path, span: spanOf(c.nameTok) });
    }
    for (const f of fields) {
      if (f.target) relations.set(f.name, f.target === 'self' ? c.name : f.target.split('.').pop()!);
      if (f.kind === 'm2m') continue;
      columns.set(f.name, f.column);
      columns.set(f.column, f.column);
      if (f.primary) pk = f.column;
      if (c.proxy) continue;
      cols.push({ name: f.column, type: f.kind === 'column' ? (f.choices ? 'enum' : TYPES[f.cls] ?? f.cls.replace(/Field$/, '').toLowerCase()) : 'bigint', notNull: f.notNull, span: f.span });
    }
    if (!pk) {
      pk = 'id';
      columns.set('id', 'id');
      if (!c.proxy) cols.unshift({ name: 'id', type: 'bigint', notNull: true, span: spanOf(c.nameTok) });
    }
    columns.set('pk', pk);
    const col = (field: string): string => columns.get(field) ?? field.toLowerCase();
    if (!c.proxy) {
      const def: TableDef = { name: table, columns: cols, hasPrimaryKey: true, file: path, span: c.span, nameSpan: spanOf(c.nameTok), endOffset: c.span.end, dialect: options.dialect ?? 'postgresql' };
      fragment.tables.push(def);
      modelIndexes.push({ table, keys: [{ kind: 'column', column: pk }], unique: true, origin: 'primary-key', file: path, span: spanOf(c.nameTok) });
      for (const f of fields) {
        if (f.kind === 'm2m') {
          if (!f.through && f.target) m2mTable(path, c, f, table, pk, targetTable(f.target, c), fragment);
          continue;
        }
        if (f.primary) {
          if (f.column !== pk) continue;
          modelIndexes[0].span = f.span;
          continue;
        }
        const colKey: IndexKey[] = [{ kind: 'column', column: f.column }];
        const unique = f.unique || f.kind === 'o2o';
        if (unique) modelIndexes.push({ table, keys: colKey, unique: true, origin: 'unique-constraint', file: path, span: f.span });
        else if (f.dbIndex === true || ((f.kind === 'fk') && f.dbIndex !== false)) modelIndexes.push({ table, keys: colKey, unique: false, origin: 'create-index', file: path, span: f.span });
        if (options.dialect === 'postgresql' && (unique || f.dbIndex) && /^(?:CharField|SlugField|EmailField|URLField|TextField)$/.test(f.cls)) {
          const opclass = f.cls === 'TextField' ? 'text_pattern_ops' : 'varchar_pattern_ops';
          modelIndexes.push({ name: `${table}_${f.column}_like`, table, keys: [{ kind: 'column', column: f.column, opclass }], unique: false, origin: 'create-index', file: path, span: f.span });
        }
        if ((f.kind === 'fk' || f.kind === 'o2o') && f.target) {
          const rt = targetTable(f.target, c);
          if (rt) {
            const refCol = f.toField ? (f.target === 'self' || f.target.split('.').pop() === c.name ? col(f.toField) : f.toField.toLowerCase()) : 'id';
            fragment.foreignKeys.push({ table, columns: [f.column], refTable: rt, refColumns: [refCol], file: path, span: f.span });
          }
        }
      }
      readMeta(path, text, c, table, appOf(c), col, modelIndexes, out);
      fragment.indexes.push(...modelIndexes);
    }
    const names: DjangoModelNames = { orm: 'django', names: [c.name], table, columns, relations, file: path, span: c.span, pk };
    const rev = reverse.get(c.name);
    if (rev) names.reverseRelations = rev;
    if (unknownBases.length) names.unknownBases = unknownBases;
    const ordering = c.meta?.entries.get('ordering')?.expr;
    if (ordering?.kind === 'list') {
      names.ordering = ordering.items.flatMap((it) => (it.kind === 'string' && it.value !== '?' ? [orderKey(it.value)] : []));
    }
    placeIndexInsert(c, tokens, names);
    out.models.push(names);
  }
}

export function orderKey(s: string): { field: string; via: string[]; desc: boolean } {
  const desc = s.startsWith('-');
  const parts = s.replace(/^[-+]/, '').split('__');
  return { field: parts[parts.length - 1], via: parts.slice(0, -1), desc };
}

function spanOf(t: { start: number; end: number }): Span {
  return { start: t.start, end: t.end };
}

function readImports(stmts: PyStatement[], app: string): Map<string, { app: string; name: string }> {
  const map = new Map<string, { app: string; name: string }>();
  for (const s of stmts) {
    const t = s.tokens;
    if (t[0]?.value !== 'from') continue;
    let i = 1;
    let mod = '';
    while (i < t.length && t[i].value !== 'import') mod += t[i++].value;
    const parts = mod.split('.');
    const relative = mod.startsWith('.');
    const mi = parts.lastIndexOf('models');
    const modApp = relative && (mi < 0 || parts.slice(0, mi).filter(Boolean).length === 0) ? app : mi > 0 ? parts[mi - 1] : undefined;
    if (!modApp) continue;
    for (i++; i < t.length; i++) {
      if (t[i].type !== 'name') continue;
      const orig = t[i].value;
      let alias = orig;
      if (t[i + 1]?.value === 'as' && t[i + 2]?.type === 'name') {
        alias = t[i + 2].value;
        i += 2;
      }
      if (/^[A-Z]/.test(orig)) map.set(alias, { app: modApp, name: orig });
    }
  }
  return map;
}

function readClasses(tokens: Token[], stmts: PyStatement[], out: DjangoModelRead): ClassInfo[] {
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
    const c: ClassInfo = { name: s.tokens[1].value, nameTok: s.tokens[1], header: s, body, bases, fields: [], abstract: false, proxy: false, isModel: false, span: { start: s.tokens[0].start, end: stmtEnd(last) } };
    const bodyIndent = body.length ? indentOf(body[0]) : -1;
    for (let bi = 0; bi < body.length; bi++) {
      const b = body[bi];
      if (indentOf(b) !== bodyIndent) continue;
      if (b.tokens[0].value === 'class' && b.tokens[1]?.value === 'Meta') {
        const mbody = blockBody(stmts, stmts.indexOf(b, si));
        const entries = new Map<string, { expr: PyExpr; stmt: PyStatement }>();
        for (const m of mbody) {
          if (m.tokens[0].type === 'name' && m.tokens[1]?.value === '=' && indentOf(m) === indentOf(mbody[0])) entries.set(m.tokens[0].value, { expr: readExpr(tokens, m.index + 2).expr, stmt: m });
        }
        c.meta = { stmt: b, body: mbody, entries };
        c.abstract = isTrue(entries.get('abstract')?.expr);
        c.proxy = isTrue(entries.get('proxy')?.expr);
        continue;
      }
      // name = Call(...)   /   name: Type = Call(...)
      let vi = -1;
      if (b.tokens[0].type === 'name' && b.tokens[1]?.value === '=') vi = 2;
      else if (b.tokens[0].type === 'name' && b.tokens[1]?.value === ':') vi = b.tokens.findIndex((t, k) => k > 1 && t.value === '=' && t.depth === b.tokens[0].depth);
      if (vi < 0 || vi >= b.tokens.length) continue;
      const e = readExpr(tokens, b.index + vi).expr;
      if (e.kind !== 'call') continue;
      const cls = lastName(e.callee);
      if (!cls || !isFieldClass(cls)) continue;
      try {
        c.fields.push(readField(b.tokens[0].value, cls, e, { start: b.tokens[0].start, end: e.span.end }));
      } catch (err) {
        out.errors.push({ message: `Field not read: ${String(err)}`, span: e.span });
      }
    }
    classes.push(c);
  }
  return classes;
}

/** The statements of the block a header statement opens (more indented, up to the first dedent). */
export function blockBody(stmts: PyStatement[], si: number): PyStatement[] {
  const head = stmts[si];
  if (!head) return [];
  const col = indentOf(head);
  const body: PyStatement[] = [];
  for (let j = si + 1; j < stmts.length && indentOf(stmts[j]) > col; j++) body.push(stmts[j]);
  return body;
}

function readField(name: string, cls: string, call: Extract<PyExpr, { kind: 'call' }>, span: Span): FieldInfo {
  const relational = FK_CLASSES.has(cls) || O2O_CLASSES.has(cls) || M2M_CLASSES.has(cls);
  const kind: FieldInfo['kind'] = FK_CLASSES.has(cls) ? 'fk' : O2O_CLASSES.has(cls) ? 'o2o' : M2M_CLASSES.has(cls) ? 'm2m' : 'column';
  let target: string | undefined;
  let targetString = false;
  if (relational) {
    const t = kw(call, 'to') ?? call.args[0];
    targetString = t?.kind === 'string';
    target = t ? (t.kind === 'string' ? t.value : dottedName(t)) : undefined;
    if (target && /^settings\./.test(target)) target = undefined;
  }
  const dbColumn = str(kw(call, 'db_column'));
  const column = (dbColumn ?? (kind === 'fk' || kind === 'o2o' ? `${name}_id` : name)).toLowerCase();
  const dbi = kw(call, 'db_index');
  return {
    name, column, kind, cls, call, target, targetString,
    unique: isTrue(kw(call, 'unique')),
    dbIndex: isTrue(dbi) ? true : isFalse(dbi) ? false : undefined,
    primary: isTrue(kw(call, 'primary_key')) || /^(?:Big|Small)?AutoField$/.test(cls),
    notNull: !isTrue(kw(call, 'null')),
    relatedName: str(kw(call, 'related_name')) ?? str(kw(call, 'related_query_name')),
    through: kw(call, 'through') !== undefined,
    toField: str(kw(call, 'to_field')),
    ...(kw(call, 'choices') !== undefined ? { choices: true } : {}),
    span,
  };
}

/** Own fields plus those of abstract (or concrete, for names only) bases of the same file, own last. */
function allFields(c: ClassInfo, byName: Map<string, ClassInfo>, depth = 0): FieldInfo[] {
  const out: FieldInfo[] = [];
  if (depth < MAX_DEPTH) {
    for (const b of c.bases) {
      const base = byName.get(b.split('.').pop()!);
      if (base && base !== c && base.abstract) out.push(...allFields(base, byName, depth + 1));
    }
  }
  const own = new Set(c.fields.map((f) => f.name));
  return [...out.filter((f) => !own.has(f.name)), ...c.fields];
}

function m2mTable(path: string, c: ClassInfo, f: FieldInfo, table: string, pk: string, refTable: string | undefined, fragment: SchemaFragment): void {
  const self = f.target === 'self' || f.target?.split('.').pop() === c.name;
  const target = (f.target === 'self' ? c.name : f.target!.split('.').pop()!).toLowerCase();
  const a = self ? `from_${c.name.toLowerCase()}_id` : `${c.name.toLowerCase()}_id`;
  const b = self ? `to_${target}_id` : `${target}_id`;
  const t = `${table}_${f.name.toLowerCase()}`;
  fragment.tables.push({ name: t, columns: [{ name: 'id', type: 'bigint', notNull: true }, { name: a, type: 'bigint', notNull: true }, { name: b, type: 'bigint', notNull: true }], hasPrimaryKey: true, file: path, span: f.span, dialect: 'postgresql' });
  const idx = (keys: string[], unique: boolean, origin: IndexDef['origin']): IndexDef => ({ table: t, keys: keys.map((k) => ({ kind: 'column', column: k })), unique, origin, file: path, span: f.span });
  fragment.indexes.push(idx(['id'], true, 'primary-key'), idx([a, b], true, 'unique-constraint'), idx([a], false, 'create-index'), idx([b], false, 'create-index'));
  fragment.foreignKeys.push({ table: t, columns: [a], refTable: table, refColumns: [pk], file: path, span: f.span });
  if (refTable) fragment.foreignKeys.push({ table: t, columns: [b], refTable, refColumns: ['id'], file: path, span: f.span });
}

function readMeta(path: string, text: string, c: ClassInfo, table: string, app: string, col: (f: string) => string, into: IndexDef[], out: DjangoModelRead): void {
  const m = c.meta?.entries;
  if (!m) return;
  const nameOf = (e: PyExpr | undefined): string | undefined => {
    const s = str(e);
    return s?.replace(/%\(app_label\)s/g, app).replace(/%\(class\)s/g, c.name.toLowerCase());
  };
  const fieldKeys = (e: PyExpr | undefined): IndexKey[] | undefined => {
    if (!e || e.kind !== 'list') return undefined;
    const keys: IndexKey[] = [];
    for (const it of e.items) {
      if (it.kind !== 'string') return undefined;
      keys.push({ kind: 'column', column: col(it.value.replace(/^-/, '')) });
    }
    return keys;
  };
  for (const key of ['unique_together', 'index_together'] as const) {
    const ent = m.get(key);
    if (!ent) continue;
    let groups: PyExpr[] = ent.expr.kind === 'list' ? ent.expr.items : [];
    if (groups.length && groups.every((g) => g.kind === 'string')) groups = [ent.expr];
    for (const g of groups) {
      const keys = fieldKeys(g);
      if (keys?.length) into.push({ table, keys, unique: key === 'unique_together', origin: key === 'unique_together' ? 'unique-constraint' : 'create-index', file: path, span: g.span });
      else out.errors.push({ message: `${key} entry not understood`, span: g.span });
    }
  }
  for (const key of ['indexes', 'constraints'] as const) {
    const ent = m.get(key);
    if (!ent) continue;
    const items = ent.expr.kind === 'list' ? ent.expr.items : [];
    if (ent.expr.kind !== 'list') out.errors.push({ message: `Meta.${key} is not a literal list`, span: ent.expr.span });
    for (const it of items) {
      if (it.kind !== 'call') continue;
      const cls = lastName(it.callee) ?? '';
      const isIndex = key === 'indexes' && cls in INDEX_METHODS;
      const isUnique = key === 'constraints' && cls === 'UniqueConstraint';
      if (!isIndex && !isUnique) continue;
      let keys = fieldKeys(kw(it, 'fields'));
      if (!keys) keys = it.args.map((a) => exprKey(a, col));
      const opclasses = kw(it, 'opclasses');
      if (opclasses?.kind === 'list') opclasses.items.forEach((o, k) => {
        if (o.kind === 'string' && keys[k]) keys[k].opclass = o.value;
      });
      if (!keys.length) {
        out.errors.push({ message: `${cls} without fields`, span: it.span });
        continue;
      }
      const def: IndexDef = { table, keys, unique: isUnique, origin: isUnique ? 'unique-constraint' : 'create-index', file: path, span: it.span };
      const name = nameOf(kw(it, 'name'));
      if (name) def.name = name.toLowerCase();
      const method = INDEX_METHODS[cls];
      if (method) def.method = method;
      const cond = kw(it, 'condition');
      if (cond) def.where = conditionText(cond, col, text);
      into.push(def);
    }
  }
}

function exprKey(a: PyExpr, col: (f: string) => string): IndexKey {
  if (a.kind === 'string') return { kind: 'column', column: col(a.value.replace(/^-/, '')) };
  if (a.kind === 'call') {
    const fn = lastName(a.callee);
    if (fn === 'F' && a.args[0]?.kind === 'string') return { kind: 'column', column: col(a.args[0].value) };
    const inner = a.args.map((x) => (x.kind === 'string' ? col(x.value) : x.kind === 'call' && lastName(x.callee) === 'F' && x.args[0]?.kind === 'string' ? col(x.args[0].value) : undefined));
    if (fn && inner.length && inner.every((x) => x !== undefined)) return { kind: 'expression', text: `${fn.toLowerCase()}(${inner.join(', ')})`, columns: inner };
  }
  if (a.kind === 'attr' && a.object.kind === 'call') {
    // F('x').desc(): a column key
    const k = exprKey(a.object, col);
    if (k.kind === 'column') return k;
  }
  if (a.kind === 'call' && a.callee.kind === 'attr' && (a.callee.name === 'desc' || a.callee.name === 'asc')) return exprKey(a.callee.object, col);
  return { kind: 'expression', text: 'expression', columns: [] };
}

/** A `condition=Q(...)` as partial-index text: `col = 'x' AND other IS NULL`, with the facts of the simple conjuncts. */
function conditionText(e: PyExpr, col: (f: string) => string, text: string): NonNullable<IndexDef['where']> {
  if (e.kind !== 'call' || lastName(e.callee) !== 'Q' || e.args.length) return { text: text.slice(e.span.start, e.span.end).replace(/\s+/g, ' ').slice(0, 200) || 'condition', columns: [] };
  const parts: string[] = [];
  const facts: ColumnFact[] = [];
  const rest: string[] = [];
  const columns: string[] = [];
  for (const k of e.kwargs) {
    const segs = k.name.split('__');
    const lookup = segs.length > 1 ? segs[segs.length - 1] : 'exact';
    const known = ['exact', 'isnull', 'in', 'gt', 'gte', 'lt', 'lte'].includes(lookup);
    const field = known && segs.length > 1 ? segs.slice(0, -1) : segs;
    const c = col(field.join('__'));
    columns.push(c);
    const v = k.value;
    const lit = v.kind === 'string' ? `'${v.value.replace(/'/g, "''")}'` : v.kind === 'number' ? String(v.value) : v.kind === 'const' ? String(v.value) : '?';
    if (lookup === 'isnull' && v.kind === 'const' && typeof v.value === 'boolean') {
      parts.push(`${c} IS ${v.value ? '' : 'NOT '}NULL`);
      facts.push({ column: c, is: v.value ? 'null' : 'not-null' });
    } else if ((lookup === 'exact' || !known) && field.length === 1 && v.kind === 'const' && v.value === null) {
      parts.push(`${c} IS NULL`);
      facts.push({ column: c, is: 'null' });
    } else if ((lookup === 'exact' || !known) && field.length === 1 && v.kind === 'const' && typeof v.value === 'boolean') {
      parts.push(v.value ? c : `NOT ${c}`);
      facts.push({ column: c, is: v.value ? 'true' : 'false' });
    } else if ((lookup === 'exact' || !known) && field.length === 1 && (v.kind === 'string' || v.kind === 'number')) {
      parts.push(`${c} = ${lit}`);
      facts.push({ column: c, is: 'eq', value: lit });
    } else {
      parts.push(`${c} ${lookup} ${lit}`);
      rest.push(c);
    }
  }
  return { text: parts.join(' AND ') || 'condition', columns, facts, rest };
}

function placeIndexInsert(c: ClassInfo, tokens: Token[], names: DjangoModelNames): void {
  const ind = c.body.length ? ' '.repeat(indentOf(c.body[0])) : '    ';
  const list = c.meta?.entries.get('indexes');
  if (list && list.expr.kind === 'list') {
    // before the closing bracket of `indexes = [...]`
    const close = tokens.findIndex((t) => t.start === list.expr.span.end - 1);
    names.indexInsertAt = close >= 0 ? tokens[close].start : list.expr.span.end - 1;
    names.indexInsert = { kind: 'indexes-list', indent: ind + ind };
    return;
  }
  if (c.meta) {
    const last = c.meta.body[c.meta.body.length - 1] ?? c.meta.stmt;
    names.indexInsertAt = stmtEnd(last);
    names.indexInsert = { kind: 'meta', indent: c.meta.body.length ? ' '.repeat(indentOf(c.meta.body[0])) : ind + ind };
    return;
  }
  names.indexInsertAt = c.span.end;
  names.indexInsert = { kind: 'class', indent: ind };
}
