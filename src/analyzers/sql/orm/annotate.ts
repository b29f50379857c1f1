/**
 * Hover text for ORM calls: the SQL shape the call runs and, per filtered column, the index that
 * leads with it (or that none does). What the editor shows over `prisma.document.findMany(…)`.
 */
import type { ParsedSqlFile } from '../analyze.js';
import { leadsWith, type Schema } from '../schema.js';
import type { Span } from '../types.js';
import { ormStatementsOf } from './statements.js';

const MAX_PER_FILE = 500;

export function ormAnnotations(file: ParsedSqlFile, schema: Schema): { file: string; span: Span; title: string; detail: string[] }[] {
  const out: { file: string; span: Span; title: string; detail: string[] }[] = [];
  for (const { statement, names } of ormStatementsOf(file, schema).slice(0, MAX_PER_FILE)) {
    const q = statement.query;
    const orm = statement.orm;
    if (!q || !orm) continue;
    const detail = [statement.text];
    const seen = new Set<string>();
    for (const u of q.uses) {
      if (u.kind !== 'where' || u.implied || seen.has(u.column) || u.table !== names.table) continue;
      seen.add(u.column);
      const index = schema.indexesOf(names.table).find((i) => leadsWith(i, u.column));
      detail.push(index ? `${u.column}: served by ${index.name ?? (index.origin === 'primary-key' ? 'the primary key' : 'an index')}${index.file && index.file !== file.path ? ` (${index.file})` : ''}` : `${u.column}: no index of ${names.table} leads with it`);
    }
    if (orm.inLoop?.usesItem) detail.push(`runs once per item of the loop (${orm.inLoop.kind})`);
    out.push({ file: file.path, span: statement.span, title: `${orm.kind}: ${orm.model ?? ''}.${orm.method}`, detail });
  }
  return out;
}
