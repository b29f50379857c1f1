/** Helpers over QueryModels shared by the SQL rules. */
import type { ColumnUse, ParsedStatement, QueryModel, TableRef } from './types.js';
import type { Schema } from './schema.js';
import { codeRoleOf, type CodeRoleOverrides } from '../../kernel/code-role.js';

/** Every query level of a statement: the outer query and all nested subqueries / CTEs. */
export function queryLevels(q: QueryModel | undefined): QueryModel[] {
  const out: QueryModel[] = [];
  const stack = q ? [q] : [];
  while (stack.length) {
    const cur = stack.pop()!;
    out.push(cur);
    stack.push(...cur.children);
  }
  return out;
}

/** Resolve unqualified columns of multi-table queries through the schema (the one table that has the column). */
export function resolveUses(q: QueryModel, schema: Schema): ColumnUse[] {
  return q.uses.map((u) => {
    if (u.table && q.tables.some((t) => t.table === u.table)) return u;
    if (u.table) return u; // qualified by something not in scope (outer query): keep
    const owners = q.tables.filter((t) => schema.hasColumn(t.table, u.column));
    return owners.length === 1 ? { ...u, table: owners[0].table, ref: owners[0].alias ?? owners[0].table } : u;
  });
}

export function statementsWithQueries(stmts: ParsedStatement[]): { stmt: ParsedStatement; level: QueryModel }[] {
  const out: { stmt: ParsedStatement; level: QueryModel }[] = [];
  for (const stmt of stmts) for (const level of queryLevels(stmt.query)) out.push({ stmt, level });
  return out;
}

export function refLabel(ref: TableRef): string {
  return ref.alias && ref.alias !== ref.table ? `${ref.table} (${ref.alias})` : ref.table;
}

/**
 * Is this file's SQL a hot query? Migrations, rollbacks, seeds and scripts run once (a backfill's
 * full scan is paid once, and an index built for it would be kept for nothing); tests, fixtures and
 * examples never serve users. The query rules (missing-index, unbounded-select, select-star,
 * non-sargable-predicate) judge runtime code only. DDL in these files still builds the schema.
 */
export function isRuntimeQueryFile(settings: { paths?: CodeRoleOverrides }, path: string): boolean {
  return codeRoleOf(settings, path) === 'runtime';
}
