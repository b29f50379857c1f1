/**
 * Index fixes in an ORM's own form, for tables an ORM's models define: an index on a Django model is
 * `models.Index(fields=[…], name=…)` in its `Meta.indexes` (then `makemigrations`), never an SQL file
 * Django would not run; on a Drizzle table `index().on()`; on a TypeORM entity `@Index([...])`; on a
 * SQLAlchemy model, `Index(…)` in its `__table_args__` (then Alembic's autogenerate). (Prisma's
 * `@@index` is in ../fixes.ts, with the SQL fixes it grew up with.)
 */
import type { PendingFix } from '../../../kernel/contracts.js';
import type { OrmModelNames, Span } from '../types.js';
import { statements, tokenize } from '../../../lang/python/tokenize.js';

interface DjangoNames extends OrmModelNames {
  indexInsert?: { kind: 'indexes-list' | 'meta' | 'class'; indent: string };
}

/** The field a column belongs to (`owner` for `owner_id`: the name Django's Index(fields=…) takes). */
function fieldOf(names: OrmModelNames, column: string): string | undefined {
  let plain: string | undefined;
  for (const [field, col] of names.columns) {
    if (col !== column) continue;
    if (field !== column) return field;
    plain = field;
  }
  return plain;
}

/** The fields of `columns`, in order; undefined when one is an expression or a column the model does not name. */
function fieldsOf(names: OrmModelNames, columns: readonly string[]): string[] | undefined {
  const fields: string[] = [];
  for (const c of columns) {
    const f = fieldOf(names, c);
    if (!f) return undefined;
    fields.push(f);
  }
  return fields;
}

/** Django index names are at most 30 characters. */
function djangoIndexName(table: string, fields: readonly string[]): string {
  const base = `${table.replace(/^[a-z0-9]+_/, '')}_${fields.join('_')}`.replace(/[^a-z0-9_]/gi, '').toLowerCase();
  let cut = base.slice(0, 26);
  while (cut.endsWith('_')) cut = cut.slice(0, -1);
  return `${cut}_idx`;
}

export function djangoIndexFix(names: DjangoNames, columns: readonly string[], textOf: (p: string) => string | undefined): PendingFix | undefined {
  const text = textOf(names.file);
  const at = names.indexInsertAt;
  const how = names.indexInsert;
  if (text === undefined || at === undefined || !how || at > text.length) return undefined;
  const fields = fieldsOf(names, columns);
  if (!fields) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const index = `models.Index(fields=[${fields.map((f) => `'${f}'`).join(', ')}], name='${djangoIndexName(names.table, fields)}')`;
  let newText: string;
  let start = at;
  if (how.kind === 'indexes-list') {
    let k = at - 1;
    while (k >= 0 && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r' || text[k] === '\n')) k--;
    const prev = text[k];
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trim() === '' && prev !== '[') {
      // `]` on its own line: a new item line before it, with a comma after the last item if it has none.
      start = lineStart;
      newText = `${how.indent}    ${index},${eol}`;
      if (prev !== ',') {
        return { title: title(names, fields), preferred: true, changes: [{ file: names.file, edits: [{ span: { start: k + 1, end: k + 1 }, newText: ',' }, { span: { start, end: start }, newText }] }] };
      }
    } else newText = prev === '[' ? index : `${prev === ',' ? ' ' : ', '}${index}`;
  } else if (how.kind === 'meta') newText = `${eol}${how.indent}indexes = [${index}]`;
  else newText = `${eol}${eol}${how.indent}class Meta:${eol}${how.indent}    indexes = [${index}]`;
  return { title: title(names, fields), preferred: true, changes: [{ file: names.file, edits: [{ span: { start, end: start }, newText }] }] };
}

function title(names: OrmModelNames, fields: readonly string[]): string {
  return `Add models.Index(fields=[${fields.map((f) => `'${f}'`).join(', ')}]) to ${names.names[0]}.Meta.indexes (then run \`python manage.py makemigrations\`)`;
}

interface DrizzleNames extends OrmModelNames {
  indexInsert?: { kind: 'array' | 'object' | 'argument'; indent: string; param: string; leadingComma: boolean };
}

/** `index` in the file's import from drizzle-orm's core module, or the edit that adds it; undefined when there is no such import. */
function drizzleIndexImport(text: string): { present: boolean; at?: number } | undefined {
  const m = /import\s*\{([^}]{0,2000})\}\s*from\s*['"]drizzle-orm\/(?:pg|mysql|sqlite|singlestore|gel)-core['"]/.exec(text);
  if (!m) return undefined;
  const names = m[1].split(',').map((x) => x.trim().replace(/\s+/g, ' ').split(' as ')[0]);
  if (names.includes('index')) return { present: true };
  const close = m.index + m[0].indexOf('}');
  let k = close - 1;
  while (k > m.index && /\s/.test(text[k])) k--;
  return { present: false, at: k + 1 };
}

/** An index on a Drizzle table: `index('…').on(t.a, t.b)` in the table's extra config (then `drizzle-kit generate`). */
export function drizzleIndexFix(names: DrizzleNames, columns: readonly string[], textOf: (p: string) => string | undefined): PendingFix | undefined {
  const text = textOf(names.file);
  const at = names.indexInsertAt;
  const how = names.indexInsert;
  if (text === undefined || at === undefined || !how || at > text.length) return undefined;
  const fields = fieldsOf(names, columns);
  if (!fields) return undefined;
  const imp = drizzleIndexImport(text);
  if (!imp) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const name = `${names.table}_${columns.join('_')}_idx`;
  const entry = `index('${name}').on(${fields.map((f) => `${how.param}.${f}`).join(', ')})`;
  let newText: string;
  if (how.kind === 'argument') newText = `, (${how.param}) => [${entry}]`;
  else {
    const item = how.kind === 'object' ? `${fields.join('_').replace(/_([a-z])/g, (_m: string, c: string) => c.toUpperCase())}Idx: ${entry}` : entry;
    const empty = text.slice(at).trimStart().startsWith(how.kind === 'array' ? ']' : '}') && /[[{]\s*$/.test(text.slice(Math.max(0, at - 200), at));
    newText = empty ? item : how.leadingComma ? `,${eol}${how.indent}${item}` : `${eol}${how.indent}${item},`;
  }
  const edits = [{ span: { start: at, end: at }, newText }];
  if (!imp.present && imp.at !== undefined) edits.unshift({ span: { start: imp.at, end: imp.at }, newText: text[imp.at - 1] === ',' ? ' index' : ', index' });
  return {
    title: `Add ${entry} to the ${names.names[0]} table (then run \`drizzle-kit generate\`)`,
    preferred: true,
    changes: [{ file: names.file, edits }],
  };
}

interface TypeormNames extends OrmModelNames {
  properties?: string[];
  indexInsert?: { indent: string; importAt?: { at: number; text: string } };
}

/** The entity's properties for `columns`: a column's own property before a relation that maps onto the same join column. */
function typeormFields(names: TypeormNames, columns: readonly string[]): string[] | undefined {
  const fields: string[] = [];
  const properties = new Set(names.properties ?? names.columns.keys());
  for (const c of columns) {
    let relation: string | undefined;
    let plain: string | undefined;
    for (const [field, col] of names.columns) {
      if (col !== c || !properties.has(field)) continue;
      if (names.relations.has(field)) relation ??= field;
      else plain ??= field;
    }
    const f = plain ?? relation;
    if (!f) return undefined;
    fields.push(f);
  }
  return fields;
}

/** An index on a TypeORM entity: `@Index([...])` above its `@Entity` decorator (then `typeorm migration:generate`). */
export function typeormIndexFix(names: TypeormNames, columns: readonly string[], textOf: (p: string) => string | undefined): PendingFix | undefined {
  const text = textOf(names.file);
  const at = names.indexInsertAt;
  const how = names.indexInsert;
  if (text === undefined || at === undefined || !how || at > text.length || (how.importAt && how.importAt.at > text.length)) return undefined;
  const fields = typeormFields(names, columns);
  if (!fields) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const decorator = `@Index([${fields.map((f) => `'${f}'`).join(', ')}])`;
  const edits = [{ span: { start: at, end: at }, newText: `${how.indent}${decorator}${eol}` }];
  if (how.importAt) edits.unshift({ span: { start: how.importAt.at, end: how.importAt.at }, newText: how.importAt.text });
  return {
    title: `Add ${decorator} to the ${names.names[0]} entity (then generate the migration: \`typeorm migration:generate\`)`,
    preferred: true,
    changes: [{ file: names.file, edits }],
  };
}

interface SqlalchemyNames extends OrmModelNames {
  indexInsert?: { kind: 'tuple' | 'dict' | 'class'; indent: string; dictSpan?: Span; before?: number; empty?: boolean };
}

/** `Index` imported from sqlalchemy, or the edit that imports it (into `from sqlalchemy import …`, else a new line after the imports). */
function sqlalchemyIndexImport(text: string): { span: Span; newText: string } | undefined | 'present' {
  const tokens = tokenize(text);
  let lastImportEnd = -1;
  let into: { at: number; trailingComma: boolean } | undefined;
  for (const s of statements(tokens)) {
    if (!s.topLevel) continue;
    const t = s.tokens;
    const end = t[t.length - 1].end;
    if (t[0].value === 'import') lastImportEnd = end;
    if (t[0].value !== 'from') continue;
    lastImportEnd = end;
    const imp = t.findIndex((x) => x.value === 'import');
    if (imp < 0) continue;
    const mod = t.slice(1, imp).map((x) => x.value).join('');
    if (mod !== 'sqlalchemy' && !mod.startsWith('sqlalchemy.')) continue;
    for (let i = imp + 1; i < t.length; i++) if (t[i].value === 'Index' && t[i - 1]?.value !== 'as' && t[i + 1]?.value !== 'as') return 'present';
    if (mod !== 'sqlalchemy' || t[imp + 1]?.value === '*') continue;
    const close = t[t.length - 1];
    const last = close.value === ')' ? t[t.length - 2] : close;
    into = { at: last.end, trailingComma: last.value === ',' };
  }
  if (into) return { span: { start: into.at, end: into.at }, newText: into.trailingComma ? ' Index,' : ', Index' };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (lastImportEnd >= 0) return { span: { start: lastImportEnd, end: lastImportEnd }, newText: `${eol}from sqlalchemy import Index` };
  return { span: { start: 0, end: 0 }, newText: `from sqlalchemy import Index${eol}` };
}

/** PostgreSQL truncates identifiers at 63 bytes. */
function sqlalchemyIndexName(table: string, columns: readonly string[]): string {
  return `ix_${table}_${columns.join('_')}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 63);
}

/** An index on a SQLAlchemy model: `Index('ix_…', 'a', 'b')` in its `__table_args__` (then `alembic revision --autogenerate`). */
export function sqlalchemyIndexFix(names: SqlalchemyNames, columns: readonly string[], textOf: (p: string) => string | undefined): PendingFix | undefined {
  const text = textOf(names.file);
  const at = names.indexInsertAt;
  const how = names.indexInsert;
  if (text === undefined || at === undefined || !how || at > text.length) return undefined;
  // plain columns of the model's table only (an expression key has no name to write)
  if (columns.some((c) => !/^[a-z_][a-z0-9_]*$/.test(c) || ![...names.columns.values()].includes(c))) return undefined;
  const imp = sqlalchemyIndexImport(text);
  if (!imp) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const index = `Index('${sqlalchemyIndexName(names.table, columns)}', ${columns.map((c) => `'${c}'`).join(', ')})`;
  const edits: { span: Span; newText: string }[] = [];
  if (how.kind === 'class') edits.push({ span: { start: at, end: at }, newText: `${eol}${how.indent}__table_args__ = (${index},)` });
  else if (how.kind === 'dict' && how.dictSpan) {
    edits.push({ span: { start: how.dictSpan.start, end: how.dictSpan.start }, newText: `(${index}, ` }, { span: { start: how.dictSpan.end, end: how.dictSpan.end }, newText: ')' });
  } else if (how.before !== undefined) edits.push({ span: { start: how.before, end: how.before }, newText: `${index}, ` });
  else {
    let k = at - 1;
    while (k >= 0 && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r' || text[k] === '\n')) k--;
    const prev = text[k];
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (prev === '(') edits.push({ span: { start: at, end: at }, newText: `${index},` });
    else if (text.slice(lineStart, at).trim() === '') {
      // `)` on its own line: a new item line before it (and a comma after the last item when it has none)
      if (prev !== ',') edits.push({ span: { start: k + 1, end: k + 1 }, newText: ',' });
      edits.push({ span: { start: lineStart, end: lineStart }, newText: `${how.indent}    ${index},${eol}` });
    } else edits.push({ span: { start: at, end: at }, newText: `${prev === ',' ? ' ' : ', '}${index}` });
  }
  if (imp !== 'present') edits.unshift(imp);
  return {
    title: `Add ${index} to ${names.names[0]}.__table_args__ (then run \`alembic revision --autogenerate\` for the migration)`,
    preferred: true,
    changes: [{ file: names.file, edits }],
  };
}
