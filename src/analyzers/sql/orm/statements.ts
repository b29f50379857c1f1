/** The ORM calls of a parsed file as statements against its schema (resolve.ts), computed once per file and schema. */
import type { ParsedSqlFile } from '../analyze.js';
import type { Schema } from '../schema.js';
import { resolveOrmQuery, type ResolvedOrmQuery } from './resolve.js';

const memo = new WeakMap<ParsedSqlFile, WeakMap<Schema, ResolvedOrmQuery[]>>();

export function ormStatementsOf(file: ParsedSqlFile, schema: Schema): ResolvedOrmQuery[] {
  if (!file.orm?.length) return [];
  let bySchema = memo.get(file);
  if (!bySchema) memo.set(file, (bySchema = new WeakMap()));
  let out = bySchema.get(schema);
  if (!out) {
    out = [];
    for (const q of file.orm) {
      const r = resolveOrmQuery(q, schema);
      if (r) out.push(r);
    }
    bySchema.set(schema, out);
  }
  return out;
}
