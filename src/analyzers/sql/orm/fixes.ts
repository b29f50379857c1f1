/**
 * Index fixes in an ORM's own form, for tables an ORM's models define: an index on a Django model is
 * `models.Index(fields=[…], name=…)` in its `Meta.indexes` (then `makemigrations`), never an SQL file
 * Django would not run. (Prisma's `@@index` is in ../fixes.ts, with the SQL fixes it grew up with.)
 */
import type { PendingFix } from '../../../kernel/contracts.js';
import type { Schema } from '../schema.js';
import type { OrmModelNames } from '../types.js';

interface DjangoNames extends OrmModelNames {
  indexInsert?: { kind: 'indexes-list' | 'meta' | 'class'; indent: string };
}

/** The ORM model that defines `table` in this schema, when an ORM whose index fixes live in the model defines it. */
export function modelDefining(schema: Schema, table: string, orm: OrmModelNames['orm']): OrmModelNames | undefined {
  for (const m of schema.ormModels.values()) if (m.table === table && m.orm === orm) return m;
  return undefined;
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
  const fields: string[] = [];
  for (const c of columns) {
    const f = fieldOf(names, c);
    if (!f) return undefined; // an expression or a column the model does not name
    fields.push(f);
  }
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
