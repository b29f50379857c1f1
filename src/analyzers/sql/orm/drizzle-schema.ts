/**
 * Drizzle schema reader: `pgTable` / `mysqlTable` / `sqliteTable` / `pgSchema('x').table` declarations
 * → the SchemaFragment SQL DDL gives (database names, lower-case) plus the model names of model.ts.
 *
 * Read: columns (name = the builder's string argument, else the property key; the `casing:
 * 'snake_case'` option of `drizzle()` is not modelled), `.primaryKey()`, `.notNull()`, `.unique()`,
 * `.references(() => t.col)` (a foreign key: drizzle-kit creates no index for it), and the third
 * argument's `index()` / `uniqueIndex()` (`.on(...)`, `.using(...)`, expression keys `sql\`lower(${t.x})\``,
 * partial `.where(...)`), `unique().on()`, `primaryKey({ columns })`, `foreignKey({ columns,
 * foreignColumns })`, as an array (`(t) => [...]`) or the older object (`(t) => ({ k: index(...) })`).
 * `relations(users, ({ one, many }) => ({ ... }))` gives the relation names. A reference to a table of
 * another file comes back in `pending`; `linkDrizzleTables` resolves them across files.
 *
 * Dialect: from the table function (pgTable → postgresql, mysqlTable → mysql, sqliteTable → sqlite).
 * Nothing is evaluated; what cannot be read statically is skipped with an error. Never throws.
 */
import { isCall, isFunction, memberPath, objectProps, parseJs, propName, stringValue, unwrap, type Node } from '../../../lang/javascript/ast.js';
import type { ColumnDef, ColumnFact, Dialect, IndexDef, IndexKey, Span, TableDef } from '../types.js';
import type { OrmModelNames, OrmModelRead } from './model.js';

export interface DrizzleModelNames extends OrmModelNames {
  orm: 'drizzle';
  /**
   * How a new `index('…').on(t.a, t.b)` goes in at `indexInsertAt`: into the third argument's array
   * (`array`) or object (`object`: it needs a key), or as a new third argument `, (table) => [...]`
   * (`argument`: `indexInsertAt` is the end of the columns object). `param` is the callback's
   * parameter to write `param.field` with; `leadingComma`: the entry must start with `,`.
   */
  indexInsert?: { kind: 'array' | 'object' | 'argument'; indent: string; param: string; leadingComma: boolean };
  /** Primary key column (single-column keys). */
  pk?: string;
}

/** A reference to a table variable this file does not define (imported): resolved by `linkDrizzleTables`. */
export type DrizzlePending =
  | { kind: 'fk'; table: string; columns: string[]; refVar: string; refFields: string[]; name?: string; span: Span }
  | { kind: 'relations'; model: string; relations: Map<string, string>; fkFields: Map<string, string>; span: Span };

export interface DrizzleModelRead extends OrmModelRead {
  models: DrizzleModelNames[];
  pending: DrizzlePending[];
}

const MAX_ERRORS = 100;
const MAX_CHAIN = 100;
const TABLE_FNS: Record<string, Dialect> = { pgTable: 'postgresql', mysqlTable: 'mysql', sqliteTable: 'sqlite' };
const SCHEMA_FNS = new Set(['pgSchema', 'mysqlSchema']);
/** Builder names whose SQL type is spelled otherwise. */
const TYPE_NAMES: Record<string, string> = { doublePrecision: 'double precision', smallserial: 'smallserial', bigserial: 'bigserial', mysqlEnum: 'enum', pgEnum: 'enum', datetime: 'datetime' };
const SERIAL = new Set(['serial', 'bigserial', 'smallserial']);

interface TableInfo {
  varName: string;
  table: TableDef;
  names: DrizzleModelNames;
  /** property key → column (lower-case) */
  columns: Map<string, string>;
}

interface Ctx {
  path: string;
  text: string;
  out: DrizzleModelRead;
  tables: Map<string, TableInfo>;
  enums: Set<string>;
  schemas: Map<string, { name: string; dialect: Dialect }>;
  /** `const createTable = pgTableCreator((name) => `app_${name}`)`: prefix, suffix and dialect. */
  creators: Map<string, { prefix: string; suffix: string; dialect: Dialect }>;
  /** FKs to resolve once all tables of the file are read. */
  fks: { table: string; columns: string[]; refVar: string; refFields: string[]; name?: string; span: Span }[];
}

const span = (n: Node): Span => ({ start: n.start, end: n.end });

function err(ctx: Ctx, message: string, at: Node | Span): void {
  if (ctx.out.errors.length < MAX_ERRORS) ctx.out.errors.push({ message, span: { start: at.start, end: at.end } });
}

function emptyRead(path: string): DrizzleModelRead {
  return { fragment: { file: path, tables: [], indexes: [], foreignKeys: [], primaryKeys: [], dropped: { tables: [], indexes: [] } }, models: [], pending: [], errors: [] };
}

/** A cheap test before parsing: does the text declare Drizzle tables or relations? */
export function mayHaveDrizzleTables(text: string): boolean {
  return /\b(?:pgTable|mysqlTable|sqliteTable|pgTableCreator|mysqlTableCreator|sqliteTableCreator|pgSchema|mysqlSchema)\b/.test(text) || (/\brelations\s*\(/.test(text) && /drizzle/i.test(text));
}

export function readDrizzleTables(path: string, text: string): DrizzleModelRead {
  const out = emptyRead(path);
  const ctx: Ctx = { path, text, out, tables: new Map(), enums: new Set(), schemas: new Map(), creators: new Map(), fks: [] };
  try {
    if (!mayHaveDrizzleTables(text)) return out;
    const parsed = parseJs(path, text);
    if ('error' in parsed) {
      err(ctx, parsed.error, { start: 0, end: 0 });
      return out;
    }
    const decls = topLevelDeclarators(parsed.program);
    // Enums, schemas and table creators first: tables may use them before their declaration line.
    for (const { id, init } of decls) {
      const call = unwrap(init);
      if (!call || !isCall(call)) continue;
      const callee = calleeName(call);
      if (callee === 'pgEnum' || callee === 'mysqlEnum') ctx.enums.add(id);
      else if (callee && SCHEMA_FNS.has(callee)) {
        const s = stringValue((call.arguments as Node[])[0]);
        if (s !== undefined) ctx.schemas.set(id, { name: s, dialect: callee === 'mysqlSchema' ? 'mysql' : 'postgresql' });
      } else if (callee && /^(?:pg|mysql|sqlite)TableCreator$/.test(callee)) creator(ctx, id, call, callee);
      else if (callee && /Enum$/.test(callee) && /\.enum$/.test(memberPath(call.callee as Node)?.join('.') ?? '')) ctx.enums.add(id);
    }
    for (const { id, init, stmt } of decls) {
      const call = unwrap(init);
      if (call && isCall(call)) readTable(ctx, id, call, stmt);
    }
    for (const { init } of decls) {
      const call = unwrap(init);
      if (call && isCall(call) && calleeName(call) === 'relations') readRelations(ctx, call);
    }
    for (const fk of ctx.fks) {
      const target = ctx.tables.get(fk.refVar);
      const refColumns = target ? fk.refFields.map((f) => target.columns.get(f)) : [];
      if (target && refColumns.every((c) => c !== undefined)) {
        out.fragment.foreignKeys.push({ ...(fk.name ? { name: fk.name } : {}), table: fk.table, columns: fk.columns, refTable: target.table.name, refColumns: refColumns, file: path, span: fk.span });
      } else if (target) err(ctx, `foreign key to ${fk.refVar}.${fk.refFields.join(', ')}: no such column`, fk.span);
      else out.pending.push({ kind: 'fk', ...fk });
    }
    if (out.fragment.tables.length) {
      out.fragment.dialect = out.fragment.tables[0].dialect as Dialect;
      out.fragment.ormModels = out.models;
      out.fragment.modelDefinitions = true;
    }
  } catch (e) {
    err(ctx, `Drizzle reader failed: ${String((e as Error)?.message ?? e)}`, { start: 0, end: 0 });
  }
  return out;
}

/**
 * Resolves what one file's tables reference in another's (foreign keys to imported tables, relations
 * declared in a separate file), by table variable name. Works on copies; a name two files define is
 * left unresolved.
 */
export function linkDrizzleTables(reads: readonly DrizzleModelRead[]): DrizzleModelRead[] {
  const copies = reads.map((r) => ({ ...r, fragment: { ...r.fragment, foreignKeys: [...r.fragment.foreignKeys] }, models: r.models.map((m) => ({ ...m, columns: new Map(m.columns), relations: new Map(m.relations) })), pending: [] as DrizzlePending[], errors: [...r.errors] }));
  const byVar = new Map<string, DrizzleModelNames | null>();
  for (const c of copies) for (const m of c.models) for (const n of m.names) byVar.set(n, byVar.has(n) ? null : m);
  for (const c of copies) {
    if (c.models.length) c.fragment.ormModels = c.models;
    for (const p of reads[copies.indexOf(c)].pending) {
      const target = byVar.get(p.kind === 'fk' ? p.refVar : p.model);
      if (!target) {
        c.pending.push(p);
        continue;
      }
      if (p.kind === 'fk') {
        const refColumns = p.refFields.map((f) => target.columns.get(f));
        if (refColumns.some((x) => x === undefined)) c.pending.push(p);
        else c.fragment.foreignKeys.push({ ...(p.name ? { name: p.name } : {}), table: p.table, columns: p.columns, refTable: target.table, refColumns: refColumns as string[], file: c.fragment.file, span: p.span });
      } else {
        for (const [k, v] of p.relations) target.relations.set(k, v);
        for (const [rel, field] of p.fkFields) {
          const col = target.columns.get(field);
          if (col !== undefined && !target.columns.has(rel)) target.columns.set(rel, col);
        }
      }
    }
  }
  return copies;
}

// ---------------------------------------------------------------------------------------------

function topLevelDeclarators(program: Node): { id: string; init: Node; stmt: Node }[] {
  const out: { id: string; init: Node; stmt: Node }[] = [];
  for (const s of program.body as Node[]) {
    const decl = s.type === 'ExportNamedDeclaration' ? (s.declaration as Node | null) : s;
    if (!decl || decl.type !== 'VariableDeclaration') continue;
    for (const d of decl.declarations as Node[]) {
      if (d.id?.type === 'Identifier' && d.init) out.push({ id: d.id.name as string, init: d.init as Node, stmt: s });
    }
  }
  return out;
}

/** The last name of a callee: `pgTable` for `pgTable(...)` and `core.pgTable(...)`. */
function calleeName(call: Node): string | undefined {
  const p = memberPath(call.callee as Node);
  return p?.[p.length - 1];
}

function creator(ctx: Ctx, id: string, call: Node, callee: string): void {
  const fn = unwrap((call.arguments as Node[])[0]);
  const dialect: Dialect = callee.startsWith('pg') ? 'postgresql' : callee.startsWith('mysql') ? 'mysql' : 'sqlite';
  if (!fn || !isFunction(fn)) return;
  const param = (fn.params as Node[])[0];
  const body = unwrap(fn.body as Node);
  if (param?.type !== 'Identifier' || body?.type !== 'TemplateLiteral' || (body.expressions as Node[]).length !== 1) return;
  const e = body.expressions[0] as Node;
  if (e.type !== 'Identifier' || e.name !== param.name) return;
  const q = body.quasis as Node[];
  ctx.creators.set(id, { prefix: String(q[0].value.cooked ?? ''), suffix: String(q[1]?.value?.cooked ?? ''), dialect });
}

function lowerColumn(name: string, type: string, notNull: boolean, at?: Node): ColumnDef {
  const lower = name.toLowerCase();
  return { name: lower, ...(lower !== name ? { spelling: name } : {}), type, notNull, ...(at ? { span: span(at) } : {}) };
}

/** A call chain `a(...).b(...).c(...)` from its base: [{ name: 'a' }, { name: 'b' }, { name: 'c' }]. */
function chainOf(n: Node | undefined): { name: string; args: Node[]; node: Node }[] | undefined {
  const out: { name: string; args: Node[]; node: Node }[] = [];
  let cur = unwrap(n);
  for (let guard = 0; cur && guard < MAX_CHAIN; guard++) {
    if (!isCall(cur)) return undefined;
    const callee = unwrap(cur.callee as Node)!;
    if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && !callee.computed && isCall(unwrap(callee.object as Node))) {
      out.unshift({ name: propName(callee.property as Node) ?? '', args: cur.arguments as Node[], node: cur });
      cur = unwrap(callee.object as Node);
      continue;
    }
    const p = memberPath(callee);
    if (!p) return undefined;
    out.unshift({ name: p[p.length - 1], args: cur.arguments as Node[], node: cur });
    return out;
  }
  return undefined;
}

function readTable(ctx: Ctx, varName: string, call: Node, stmt: Node): void {
  const callee = unwrap(call.callee as Node)!;
  let dialect: Dialect | undefined;
  let schema: string | undefined;
  let prefix = '';
  let suffix = '';
  const name = calleeName(call);
  if (name && name in TABLE_FNS && callee.type === 'Identifier') dialect = TABLE_FNS[name];
  else if (name && ctx.creators.has(name) && callee.type === 'Identifier') ({ prefix, suffix, dialect } = ctx.creators.get(name)!);
  else if (name === 'table' && (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression')) {
    const obj = unwrap(callee.object as Node)!;
    const known = obj.type === 'Identifier' ? ctx.schemas.get(obj.name as string) : undefined;
    if (known) ({ name: schema, dialect } = known);
    else if (isCall(obj) && SCHEMA_FNS.has(calleeName(obj) ?? '')) {
      schema = stringValue((obj.arguments as Node[])[0]);
      dialect = calleeName(obj) === 'mysqlSchema' ? 'mysql' : 'postgresql';
    }
    if (schema === undefined) return;
  } else if (name && name in TABLE_FNS && (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression')) dialect = TABLE_FNS[name];
  if (!dialect) return;
  const args = call.arguments as Node[];
  const nameNode = unwrap(args[0]);
  const written = stringValue(nameNode);
  if (written === undefined || !nameNode) {
    err(ctx, `${varName}: the table name is not a string literal`, call);
    return;
  }
  const dbName = `${prefix}${written}${suffix}`;
  const tableName = dbName.toLowerCase();
  let colsNode = unwrap(args[1]);
  // Drizzle 1.0: `pgTable('users', (t) => ({ id: t.integer() }))`
  if (colsNode && isFunction(colsNode)) colsNode = returned(colsNode);
  if (colsNode?.type !== 'ObjectExpression') {
    err(ctx, `${varName}: the columns are not an object literal`, args[1] ?? call);
    return;
  }
  const table: TableDef = {
    name: tableName, ...(tableName !== dbName ? { spelling: dbName } : {}), ...(schema !== undefined ? { schema } : {}),
    columns: [], hasPrimaryKey: false, file: ctx.path, span: span(call), nameSpan: span(nameNode), endOffset: stmt.end, dialect,
  };
  const names: DrizzleModelNames = { orm: 'drizzle', names: [varName], table: tableName, columns: new Map(), relations: new Map(), file: ctx.path, span: span(call) };
  const info: TableInfo = { varName, table, names, columns: names.columns };
  const fragment = ctx.out.fragment;
  for (const p of colsNode.properties as Node[]) {
    const key = p.type === 'ObjectProperty' ? propName(p.key as Node, p.computed as boolean) : undefined;
    if (!key) {
      err(ctx, `${varName}: a column is a spread or has a computed key`, p);
      continue;
    }
    const chain = chainOf(p.value as Node);
    if (!chain?.length) {
      err(ctx, `${varName}.${key}: the column is not a builder call`, p);
      continue;
    }
    const base = chain[0];
    const colName = stringValue(base.args[0]) ?? key;
    const col = colName.toLowerCase();
    let notNull = SERIAL.has(base.name);
    let pk = false;
    for (const m of chain.slice(1)) {
      if (m.name === 'notNull') notNull = true;
      else if (m.name === 'primaryKey') pk = true;
      else if (m.name === 'unique') {
        const uname = stringValue(m.args[0]) ?? `${tableName}_${col}_unique`;
        fragment.indexes.push({ name: uname, table: tableName, keys: [{ kind: 'column', column: col }], unique: true, origin: 'unique-constraint', file: ctx.path, span: span(p) });
      } else if (m.name === 'references') {
        const fn = unwrap(m.args[0]);
        const target = fn && isFunction(fn) ? memberPath(returned(fn)) : undefined;
        if (target && target.length >= 2) ctx.fks.push({ table: tableName, columns: [col], refVar: target[target.length - 2], refFields: [target[target.length - 1]], span: span(p) });
        else err(ctx, `${varName}.${key}: references() target is not \`() => table.column\``, m.node);
      }
    }
    if (pk) {
      notNull = true;
      table.hasPrimaryKey = true;
      names.pk = col;
      fragment.indexes.push({ table: tableName, keys: [{ kind: 'column', column: col }], unique: true, origin: 'primary-key', file: ctx.path, span: span(p) });
    }
    table.columns.push(lowerColumn(colName, columnType(ctx, base), notNull, p));
    names.columns.set(key, col);
  }
  readExtras(ctx, info, args[2], colsNode);
  fragment.tables.push(table);
  ctx.out.models.push(names);
  ctx.tables.set(varName, info);
}

function columnType(ctx: Ctx, base: { name: string; args: Node[] }): string {
  if (ctx.enums.has(base.name) || /Enum$/.test(base.name)) return 'enum';
  const opts = objectProps(base.args.find((a) => unwrap(a)?.type === 'ObjectExpression'));
  if (opts.has('enum')) return 'enum';
  const mode = stringValue(opts.get('mode')?.value);
  if (mode === 'boolean') return 'boolean';
  if (base.name === 'timestamp' && unwrap(opts.get('withTimezone')?.value)?.value === true) return 'timestamptz';
  return TYPE_NAMES[base.name] ?? base.name.toLowerCase();
}

/** What a function returns: its expression body, or the argument of its only top-level `return`. */
function returned(fn: Node): Node | undefined {
  const body = unwrap(fn.body as Node);
  if (!body) return undefined;
  if (body.type !== 'BlockStatement') return body;
  const rets = (body.body as Node[]).filter((s) => s.type === 'ReturnStatement');
  return rets.length === 1 ? unwrap(rets[0].argument as Node | undefined) : undefined;
}

function lineIndent(text: string, at: number): string {
  const ls = text.lastIndexOf('\n', at - 1) + 1;
  let i = ls;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(ls, i);
}

/** The third argument: indexes and constraints, and where a new index goes. */
function readExtras(ctx: Ctx, info: TableInfo, arg: Node | undefined, colsNode: Node): void {
  const { names } = info;
  const fn = unwrap(arg);
  const declIndent = lineIndent(ctx.text, info.table.span!.start);
  if (!fn) {
    names.indexInsertAt = colsNode.end;
    names.indexInsert = { kind: 'argument', indent: `${declIndent}  `, param: 'table', leadingComma: true };
    return;
  }
  if (!isFunction(fn)) {
    err(ctx, `${info.varName}: the extra config is not a function`, fn);
    return;
  }
  const param = (fn.params as Node[])[0];
  const paramName = param?.type === 'Identifier' ? (param.name as string) : undefined;
  const body = returned(fn);
  if (body?.type !== 'ArrayExpression' && body?.type !== 'ObjectExpression') {
    err(ctx, `${info.varName}: the extra config does not return an array or object literal`, fn);
    return;
  }
  const items: Node[] = body.type === 'ArrayExpression' ? (body.elements as (Node | null)[]).filter((x): x is Node => !!x) : (body.properties as Node[]).map((p) => (p.type === 'ObjectProperty' ? (p.value as Node) : p));
  for (const item of items) readConstraint(ctx, info, item, paramName);
  if (paramName) {
    const last = items[items.length - 1];
    let at = last ? last.end : body.start + 1;
    let leadingComma = !!last;
    if (last) {
      const close = body.end - 1;
      const between = ctx.text.slice(last.end, close);
      const comma = between.indexOf(',');
      if (comma >= 0 && !between.slice(0, comma).trim()) {
        at = last.end + comma + 1;
        leadingComma = false;
      }
    }
    names.indexInsertAt = at;
    names.indexInsert = { kind: body.type === 'ArrayExpression' ? 'array' : 'object', indent: last ? lineIndent(ctx.text, last.start) : `${declIndent}    `, param: paramName, leadingComma };
  }
}

/** A column reference in the extra config: `t.teamId` (the parameter) or `users.teamId` (the table itself) → column. */
function columnRef(info: TableInfo, n: Node | undefined, param: string | undefined): string | undefined {
  const p = memberPath(n);
  if (!p || p.length !== 2 || (p[0] !== param && p[0] !== info.varName)) return undefined;
  return info.columns.get(p[1]);
}

/** An index key: `t.email`, `t.email.asc()`, `t.email.op('text_pattern_ops')`, `sql\`lower(${t.email})\``. */
function indexKey(info: TableInfo, n: Node | undefined, param: string | undefined): IndexKey | undefined {
  let cur = unwrap(n);
  let opclass: string | undefined;
  for (let guard = 0; cur && isCall(cur) && guard < 10; guard++) {
    const callee = unwrap(cur.callee as Node)!;
    if (callee.type !== 'MemberExpression' || callee.computed) break;
    const m = propName(callee.property as Node);
    if (m === 'op') opclass = stringValue((cur.arguments as Node[])[0]);
    else if (!m || !['asc', 'desc', 'nullsFirst', 'nullsLast'].includes(m)) return undefined;
    cur = unwrap(callee.object as Node);
  }
  const col = columnRef(info, cur, param);
  if (col) return { kind: 'column', column: col, ...(opclass ? { opclass } : {}) };
  const sqlText = sqlTemplate(info, cur, param);
  if (sqlText) return { kind: 'expression', text: normalizeExpr(sqlText.text), columns: sqlText.columns };
  return undefined;
}

/** `sql\`lower(${t.email})\`` → `lower(email)` with its columns; undefined when a substitution is not a column. */
function sqlTemplate(info: TableInfo, n: Node | undefined, param: string | undefined): { text: string; columns: string[] } | undefined {
  const u = unwrap(n);
  if (u?.type !== 'TaggedTemplateExpression' || memberPath(u.tag as Node)?.join('.') !== 'sql') return undefined;
  const q = u.quasi as Node;
  let text = '';
  const columns: string[] = [];
  const quasis = q.quasis as Node[];
  const exprs = q.expressions as Node[];
  for (let i = 0; i < quasis.length; i++) {
    text += String(quasis[i].value.cooked ?? quasis[i].value.raw ?? '');
    if (i < exprs.length) {
      const col = columnRef(info, exprs[i], param);
      if (!col) return undefined;
      text += col;
      if (!columns.includes(col)) columns.push(col);
    }
  }
  return { text, columns };
}

/** Lower-case outside quotes, single spaces, none inside parentheses, `, ` between arguments. */
export function normalizeExpr(s: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < s.length && i < 2000; i++) {
    const c = s[i];
    if (quote) {
      out += c;
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (out && !out.endsWith(' ') && !out.endsWith('(')) out += ' ';
      continue;
    }
    if (c === ')' || c === ',') out = out.replace(/ $/, '');
    out += c === '"' ? c : c.toLowerCase();
    if (c === ',') out += ' ';
  }
  return out.replace(/ $/, '').replace(/ {2,}/g, ' ');
}

function readConstraint(ctx: Ctx, info: TableInfo, item: Node, param: string | undefined): void {
  const chain = chainOf(item);
  const table = info.table.name;
  const fragment = ctx.out.fragment;
  if (!chain?.length) {
    err(ctx, `${info.varName}: an extra config entry is not a builder call`, item);
    return;
  }
  const base = chain[0];
  const kind = base.name;
  const at = span(item);
  if (kind === 'index' || kind === 'uniqueIndex' || kind === 'unique') {
    const keys: IndexKey[] = [];
    let where: IndexDef['where'];
    let method: string | undefined;
    let ok = true;
    for (const m of chain.slice(1)) {
      if (m.name === 'on' || m.name === 'onOnly' || m.name === 'using') {
        let args = m.args;
        if (m.name === 'using') {
          method = stringValue(args[0]);
          args = args.slice(1);
        }
        for (const a of args) {
          const k = indexKey(info, a, param);
          if (!k) ok = false;
          else keys.push(k);
        }
      } else if (m.name === 'where') where = predicate(info, m.args[0], param);
    }
    if (!ok || !keys.length) {
      err(ctx, `${info.varName}: an index key is not a column of this table`, item);
      return;
    }
    const unique = kind !== 'index';
    const keyNames = keys.map((k) => (k.kind === 'column' ? k.column : 'expr'));
    const name = stringValue(base.args[0]) ?? `${table}_${keyNames.join('_')}_${kind === 'unique' ? 'unique' : 'index'}`;
    fragment.indexes.push({ name, table, keys, unique, ...(where ? { where } : {}), ...(method ? { method } : {}), origin: kind === 'unique' ? 'unique-constraint' : 'create-index', file: ctx.path, span: at });
    return;
  }
  if (kind === 'primaryKey') {
    const opts = objectProps(base.args[0]);
    const colNodes = opts.has('columns') ? (unwrap(opts.get('columns')!.value)?.elements as Node[] | undefined) : base.args;
    const cols = (colNodes ?? []).map((c) => columnRef(info, c, param));
    if (!cols.length || cols.some((c) => c === undefined)) {
      err(ctx, `${info.varName}: a primary key column is not a column of this table`, item);
      return;
    }
    info.table.hasPrimaryKey = true;
    if (cols.length === 1) info.names.pk = cols[0];
    for (const c of info.table.columns) if (cols.includes(c.name)) c.notNull = true;
    const name = stringValue(opts.get('name')?.value);
    fragment.indexes.push({ ...(name ? { name } : {}), table, keys: (cols as string[]).map((column) => ({ kind: 'column', column })), unique: true, origin: 'primary-key', file: ctx.path, span: at });
    return;
  }
  if (kind === 'foreignKey') {
    const opts = objectProps(base.args[0]);
    const local = ((unwrap(opts.get('columns')?.value)?.elements ?? []) as Node[]).map((c) => columnRef(info, c, param));
    const foreign = ((unwrap(opts.get('foreignColumns')?.value)?.elements ?? []) as Node[]).map((c) => memberPath(c));
    const refVar = foreign[0]?.[foreign[0].length - 2];
    if (!local.length || local.some((c) => !c) || foreign.length !== local.length || !refVar || foreign.some((f) => !f || f.length < 2 || f[f.length - 2] !== refVar)) {
      err(ctx, `${info.varName}: foreignKey() columns cannot be read`, item);
      return;
    }
    const name = stringValue(opts.get('name')?.value);
    ctx.fks.push({ table, columns: local as string[], refVar, refFields: foreign.map((f) => f![f!.length - 1]), ...(name ? { name } : {}), span: at });
    return;
  }
  // check(), and anything else: not an index
}

const SIMPLE = /^([a-z_][a-z0-9_$]*)$/i;
const IS_NULL = /^([a-z_][a-z0-9_$]*) is (not )?null$/i;
const EQUALS = /^([a-z_][a-z0-9_$]*) ?= ?('[^']*'|-?[0-9.]+|true|false)$/i;
const NOT_COL = /^not ([a-z_][a-z0-9_$]*)$/i;

/** A partial index predicate: `sql\`${t.deletedAt} IS NULL\`` or Drizzle operators (`isNull(t.x)`, `eq(t.s, 'a')`, `and(...)`). */
function predicate(info: TableInfo, n: Node | undefined, param: string | undefined): IndexDef['where'] | undefined {
  const sqlText = sqlTemplate(info, n, param);
  const parts: string[] = [];
  const facts: ColumnFact[] = [];
  const rest: string[] = [];
  const columns: string[] = [];
  if (sqlText) {
    for (const raw of splitAnd(sqlText.text)) {
      const c = raw.trim().replace(/\s+/g, ' ').replace(/^\((.*)\)$/, '$1');
      let m: RegExpExecArray | null;
      parts.push(c);
      if ((m = IS_NULL.exec(c))) facts.push({ column: m[1].toLowerCase(), is: m[2] ? 'not-null' : 'null' });
      else if ((m = EQUALS.exec(c))) {
        const v = m[2].toLowerCase();
        facts.push(v === 'true' || v === 'false' ? { column: m[1].toLowerCase(), is: v } : { column: m[1].toLowerCase(), is: 'eq', value: m[2] });
      } else if ((m = NOT_COL.exec(c))) facts.push({ column: m[1].toLowerCase(), is: 'false' });
      else if ((m = SIMPLE.exec(c))) facts.push({ column: m[1].toLowerCase(), is: 'true' });
      else rest.push(...sqlText.columns.filter((col) => c.toLowerCase().includes(col)));
    }
    for (const f of facts) if (!columns.includes(f.column)) columns.push(f.column);
    for (const c of [...sqlText.columns, ...rest]) if (!columns.includes(c)) columns.push(c);
    return { text: parts.join(' AND '), columns, facts, rest: [...new Set(rest)] };
  }
  const ok = operatorFacts(info, n, param, parts, facts, 0);
  if (!ok) return { text: 'condition', columns: [] };
  for (const f of facts) if (!columns.includes(f.column)) columns.push(f.column);
  return { text: parts.join(' AND '), columns, facts, rest: [] };
}

function operatorFacts(info: TableInfo, n: Node | undefined, param: string | undefined, parts: string[], facts: ColumnFact[], depth: number): boolean {
  const u = unwrap(n);
  if (!u || !isCall(u) || depth > 20) return false;
  const fn = calleeName(u);
  const args = u.arguments as Node[];
  if (fn === 'and') return args.every((a) => operatorFacts(info, a, param, parts, facts, depth + 1));
  const col = columnRef(info, args[0], param);
  if (!col) return false;
  if (fn === 'isNull' || fn === 'isNotNull') {
    parts.push(`${col} IS ${fn === 'isNull' ? '' : 'NOT '}NULL`);
    facts.push({ column: col, is: fn === 'isNull' ? 'null' : 'not-null' });
    return true;
  }
  if (fn === 'eq') {
    const v = unwrap(args[1]);
    if (v?.type === 'BooleanLiteral') {
      parts.push(v.value ? col : `NOT ${col}`);
      facts.push({ column: col, is: v.value ? 'true' : 'false' });
      return true;
    }
    const lit = v?.type === 'StringLiteral' ? `'${String(v.value).replace(/'/g, "''")}'` : v?.type === 'NumericLiteral' ? String(v.value) : undefined;
    if (lit === undefined) return false;
    parts.push(`${col} = ${lit}`);
    facts.push({ column: col, is: 'eq', value: lit });
    return true;
  }
  return false;
}

/** Top-level ` AND ` conjuncts of SQL text (outside parentheses and quotes), a linear scan. */
function splitAnd(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (c === 'a' || c === 'A') && /\s/.test(s[i - 1] ?? '') && s.slice(i, i + 3).toLowerCase() === 'and' && /\s/.test(s[i + 3] ?? '')) {
      out.push(s.slice(from, i));
      from = i + 3;
    }
  }
  out.push(s.slice(from));
  return out.map((x) => x.trim()).filter(Boolean);
}

/** `relations(users, ({ one, many }) => ({ team: one(teams, { fields: [users.teamId], references: [teams.id] }), posts: many(posts) }))`. */
function readRelations(ctx: Ctx, call: Node): void {
  const args = call.arguments as Node[];
  const model = memberPath(args[0]);
  const fn = unwrap(args[1]);
  if (!model || model.length !== 1 || !fn || !isFunction(fn)) return;
  const varName = model[0];
  // `({ one, many })`, maybe renamed: `({ one: hasOne })`
  const helpers = new Map<string, string>();
  const pat = (fn.params as Node[])[0];
  if (pat?.type === 'ObjectPattern') {
    for (const p of pat.properties as Node[]) {
      const k = p.type === 'ObjectProperty' ? propName(p.key as Node) : undefined;
      const v = p.type === 'ObjectProperty' ? unwrap(p.value as Node) : undefined;
      if (k && v?.type === 'Identifier') helpers.set(v.name as string, k);
    }
  }
  const body = returned(fn);
  if (body?.type !== 'ObjectExpression') {
    err(ctx, `relations of ${varName}: not an object literal`, fn);
    return;
  }
  const relations = new Map<string, string>();
  const fkFields = new Map<string, string>();
  for (const p of body.properties as Node[]) {
    const rel = p.type === 'ObjectProperty' ? propName(p.key as Node, p.computed as boolean) : undefined;
    const v = p.type === 'ObjectProperty' ? unwrap(p.value as Node) : undefined;
    if (!rel || !v || !isCall(v)) continue;
    const helper = helpers.get(calleeName(v) ?? '') ?? calleeName(v);
    if (helper !== 'one' && helper !== 'many') continue;
    const target = memberPath((v.arguments as Node[])[0]);
    if (!target?.length) continue;
    relations.set(rel, target[target.length - 1]);
    if (helper === 'one') {
      const fields = unwrap(objectProps((v.arguments as Node[])[1]).get('fields')?.value);
      const first = fields?.type === 'ArrayExpression' && fields.elements.length === 1 ? memberPath(fields.elements[0] as Node) : undefined;
      if (first && first.length >= 2 && first[first.length - 2] === varName) fkFields.set(rel, first[first.length - 1]);
    }
  }
  const info = ctx.tables.get(varName);
  if (!info) {
    ctx.out.pending.push({ kind: 'relations', model: varName, relations, fkFields, span: span(call) });
    return;
  }
  for (const [k, v] of relations) info.names.relations.set(k, v);
  for (const [rel, field] of fkFields) {
    const col = info.columns.get(field);
    if (col !== undefined && !info.columns.has(rel)) info.columns.set(rel, col);
  }
}

