/**
 * Maintenance-only filters: a column that only deletes, renames and clean-ups filter by (a user's
 * deletion cascading to their rows, a renamed key rewritten in a redirect table) is scanned once per
 * such rare operation, not per request. missing-index reports it at info level, with the reason.
 *
 * A statement is maintenance when its enclosing function (Go `func`, Python `def`, JS `function`, an
 * sqlc `-- name:`) or its file is named for deleting, renaming or cleaning up; when no name is found, a
 * DELETE counts, and an UPDATE that sets the column it filters by (`SET alias = ? WHERE alias = ?`) is
 * a rename wherever it sits. The project's parsed reads by the column (SQL or ORM) are judged on their
 * own; a column stays worth an index (a warning) here only when code reads it in a way the analyzer
 * cannot see as a statement: a WHERE fragment naming it (`"creator_id = ?"` appended to a dynamically
 * built WHERE clause); or, for a foreign key column, when some index leads with it (unindexed
 * foreign keys are reported by unindexed-foreign-key).
 */
import type { ParsedSqlFile } from './analyze.js';
import { leadsWith, type Schema } from './schema.js';
import type { ParsedStatement, QueryModel } from './types.js';
import { resolveUses } from './queries.js';
import { codeRoleOf, type CodeRoleOverrides } from '../../kernel/code-role.js';
import { ormStatementsOf } from './orm/statements.js';

const WORDS = ['delete', 'remove', 'purge', 'cleanup', 'clean_up', 'prune', 'rename', 'destroy', 'wipe', 'erase', 'expunge', 'backfill', 'backport', 'disable', 'deactivate', 'revoke', 'suspend', 'unpublish'];

/** Does this name (function, file) say it deletes, renames or cleans up? */
export function maintenanceName(name: string): boolean {
  const n = name.toLowerCase();
  return WORDS.some((w) => n.includes(w));
}

const isIdent = (c: string | undefined): boolean => !!c && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '$');

function identAt(text: string, i: number): string {
  let j = i;
  while (j < text.length && isIdent(text[j])) j++;
  return text.slice(i, j);
}

/**
 * The name of the function a statement sits in, found cheaply: the last top-level Go `func` (its
 * receiver skipped), Python `def` or JS `function NAME` before `offset`. Undefined when none is found.
 */
export function enclosingFunctionName(path: string, text: string, offset: number): string | undefined {
  const lower = path.toLowerCase();
  const before = text.slice(0, offset);
  if (lower.endsWith('.go')) {
    const at = before.lastIndexOf('\nfunc ');
    if (at < 0) return undefined;
    let i = at + 6;
    if (text[i] === '(') {
      const close = text.indexOf(')', i);
      if (close < 0) return undefined;
      i = close + 1;
      while (text[i] === ' ') i++;
    }
    return identAt(text, i) || undefined;
  }
  const keyword = lower.endsWith('.py') ? 'def ' : 'function ';
  let at = before.lastIndexOf(keyword);
  while (at > 0 && isIdent(text[at - 1])) at = before.lastIndexOf(keyword, at - 1);
  if (at < 0) return undefined;
  let i = at + keyword.length;
  while (text[i] === ' ' || text[i] === '*') i++;
  return identAt(text, i) || undefined;
}

/** The query's name in an SQL file of named queries (sqlc, yesql: `-- name: DeleteAuthor :exec`). */
export function sqlcName(text: string, offset: number): string | undefined {
  const at = text.lastIndexOf('-- name:', offset);
  if (at < 0) return undefined;
  let i = at + 8;
  while (text[i] === ' ') i++;
  return identAt(text, i) || undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Does this UPDATE set `column` (`SET column = …` before its WHERE)? A plain text check on the statement. */
function setsColumn(stmt: ParsedStatement, column: string): boolean {
  const t = stmt.text.toLowerCase();
  const set = t.indexOf('set ');
  if (set < 0) return false;
  const where = t.indexOf('where', set);
  const part = t.slice(set + 4, where < 0 ? undefined : where);
  let from = 0;
  for (;;) {
    const at = part.indexOf(column, from);
    if (at < 0) return false;
    from = at + column.length;
    if (isIdent(part[at - 1]) || isIdent(part[from])) continue;
    let k = from;
    while (part[k] === ' ' || part[k] === '"' || part[k] === '`' || part[k] === ']') k++;
    if (part[k] === '=') return true;
  }
}

/** Is this statement maintenance code (see the file comment)? `column`: the column it filters by. */
export function isMaintenanceStatement(file: ParsedSqlFile, stmt: ParsedStatement, text: string | undefined, column?: string): boolean {
  const kind = stmt.query?.kind;
  if (kind === 'update' && column && setsColumn(stmt, column)) return true;
  if (maintenanceName(baseName(file.path))) return true;
  const fn = stmt.orm ? stmt.orm.functionName : text === undefined ? undefined : file.kind === 'code' ? enclosingFunctionName(file.path, text, stmt.span.start) : sqlcName(text, stmt.span.start);
  if (fn !== undefined) return maintenanceName(fn);
  return kind === 'delete';
}

/** What a schema scope's runtime code does, computed once per audit and scope. */
interface ScopeRuntime {
  /** Runtime code files of the scope, for WHERE fragments. */
  code: ParsedSqlFile[];
  fragments: Map<string, boolean>;
  /** Tables a runtime DELETE removes rows from one at a time by primary key, with the file that does it. */
  deletedByKey: Map<string, string>;
  /** Tables any runtime statement or ORM call deletes rows from. */
  deleted: Set<string>;
  /** Whether some of those deletes are ORM calls (the app deletes through a client the analyzer reads). */
  ormDeletes: boolean;
}

const cache = new WeakMap<readonly ParsedSqlFile[], Map<Schema, ScopeRuntime>>();

function scopeRuntime(allFiles: readonly ParsedSqlFile[], schema: Schema, schemaFor: (path: string) => Schema, settings: { paths?: CodeRoleOverrides }): ScopeRuntime {
  let bySchema = cache.get(allFiles);
  if (!bySchema) cache.set(allFiles, (bySchema = new Map()));
  let r = bySchema.get(schema);
  if (r) return r;
  r = { code: [], fragments: new Map(), deletedByKey: new Map(), deleted: new Set(), ormDeletes: false };
  for (const f of allFiles) {
    if (f.kind === 'prisma' || schemaFor(f.path) !== schema || codeRoleOf(settings, f.path) !== 'runtime') continue;
    if (f.kind === 'code') r.code.push(f);
    const orm = ormStatementsOf(f, schema).map((o) => o.statement);
    for (const st of [...f.statements, ...orm]) {
      if (st.query?.kind !== 'delete') continue;
      if (orm.includes(st)) r.ormDeletes = true;
      noteDeleteByKey(r.deletedByKey, st.query, schema, f.path);
      for (const t of st.query.tables) r.deleted.add(t.table);
    }
  }
  bySchema.set(schema, r);
  return r;
}

/** `DELETE FROM t WHERE <primary key> = ?`: one row removed by its key. */
function noteDeleteByKey(out: Map<string, string>, query: QueryModel, schema: Schema, path: string): void {
  const t = query.tables[0]?.table;
  if (!t || query.tables.length !== 1 || out.has(t)) return;
  const pk = schema.indexesOf(t).find((i) => i.origin === 'primary-key')?.keys;
  if (pk?.length !== 1 || pk[0].kind !== 'column') return;
  const where = resolveUses(query, schema).filter((u) => u.kind === 'where');
  if (where.length === 1 && where[0].column === pk[0].column && where[0].op === 'eq' && !where[0].inOr) out.set(t, path);
}

/** A table named for queued work: `jobs`, `publishjobs`, `job_queue`, `mail_queue` (not `tasks`: a to-do app's tasks are its data). */
const QUEUE_TABLE = /(?:jobs?|queues?)$/;

/**
 * Why `table` stays small, when it is a work queue: named for queued work, and runtime code deletes
 * its rows one by one by primary key (a job removed once done). Undefined otherwise.
 */
export function workQueueReason(x: Omit<MaintenanceInput, 'stmt' | 'column'>): string | undefined {
  if (!QUEUE_TABLE.test(x.table)) return undefined;
  const by = scopeRuntime(x.allFiles, x.schema, x.schemaFor, x.settings).deletedByKey.get(x.table);
  return by ? `${x.table} is a work queue (${by} deletes each row by its key once it is done), so it holds only the pending backlog` : undefined;
}

/** Is `at` inside a string literal of its line (an odd number of `"`, `'` or `` ` `` before it)? */
function inString(text: string, at: number): boolean {
  const start = text.lastIndexOf('\n', at) + 1;
  const counts = { '"': 0, "'": 0, '`': 0 } as Record<string, number>;
  for (let i = start; i < at; i++) if (text[i] in counts) counts[text[i]]++;
  return Object.values(counts).some((n) => n % 2 === 1);
}

/**
 * A WHERE fragment on `column` in a string of code outside any parsed statement, in a file that
 * names the table: the column name (optionally quoted or qualified) followed by a comparison (`=`,
 * `<`, `>`, `!=`, ` IN `, ` LIKE `), also as a query builder's separate operator (`'col', '=', v`).
 */
function hasFragment(file: ParsedSqlFile, text: string, table: string, column: string, schema: Schema): boolean {
  const lower = text.toLowerCase();
  if (!lower.includes(table)) return false;
  // ORM calls read as queries are judged on their own, like parsed statements.
  const orm = ormStatementsOf(file, schema).map((o) => o.statement.span);
  let from = 0;
  for (;;) {
    const at = lower.indexOf(column, from);
    if (at < 0) return false;
    from = at + column.length;
    if (isIdent(lower[at - 1]) || isIdent(lower[from])) continue;
    if (!inString(lower, at) || file.statements.some((s) => s.span.start <= at && at < s.span.end) || orm.some((s) => s.start <= at && at < s.end)) continue;
    let k = from;
    const skip = (cs: string): void => {
      while (k < lower.length && cs.includes(lower[k])) k++;
    };
    skip('`"\']\\');
    skip(' ');
    if (lower[k] === ',') {
      k++;
      skip(' ');
      skip('`"\'');
    }
    const c = lower[k];
    if (c === '=' || c === '<' || c === '>' || (c === '!' && lower[k + 1] === '=')) return true;
    if (lower.startsWith('in ', k) || lower.startsWith('in(', k) || lower.startsWith('like ', k)) return true;
  }
}

export interface MaintenanceInput {
  file: ParsedSqlFile;
  stmt: ParsedStatement;
  table: string;
  column: string;
  schema: Schema;
  schemaFor: (path: string) => Schema;
  allFiles: readonly ParsedSqlFile[];
  settings: { paths?: CodeRoleOverrides };
  textOf: (path: string) => string | undefined;
}

/** Why this filter is maintenance-only (for the message), or undefined when the column is worth an index. */
export function maintenanceOnly(x: MaintenanceInput): string | undefined {
  const text = x.file.kind === 'prisma' ? undefined : x.textOf(x.file.path);
  if (!isMaintenanceStatement(x.file, x.stmt, text, x.column)) return undefined;
  // A foreign key on the column: its parent's deletes scan it too. When no index serves the key,
  // unindexed-foreign-key reports that at the constraint; this query stays maintenance.
  const fk = x.schema.foreignKeys.find((k) => k.table === x.table && k.columns[0] === x.column);
  if (fk && x.schema.indexesOf(x.table).some((i) => leadsWith(i, x.column))) return undefined;
  // The project's parsed reads by the column are judged on their own (a read no index serves gets its
  // own finding); what the analyzer cannot see as a statement, a WHERE fragment in code, keeps this one.
  const r = scopeRuntime(x.allFiles, x.schema, x.schemaFor, x.settings);
  const key = `${x.table}.${x.column}`;
  let frag = r.fragments.get(key);
  if (frag === undefined) {
    frag = r.code.some((f) => {
      const t = x.textOf(f.path);
      return t !== undefined && hasFragment(f, t, x.table, x.column, x.schema);
    });
    r.fragments.set(key, frag);
  }
  if (frag) return undefined;
  const what = x.stmt.query?.kind === 'update' ? 'updates' : x.stmt.query?.kind === 'delete' ? 'deletes' : 'statements';
  return `only ${what} in deletion, rename or clean-up code filter ${x.table} by ${x.column} (the project's reads by it are judged on their own): each one scans ${x.table} once`;
}

/** A soft-delete column: rows are marked deleted, not removed. */
const SOFT_DELETE_COLUMN = /^(?:deleted_?at|deleted_?on|deletion_?(?:date|time)|is_?deleted|deleted)$/i;

/**
 * Is `table` never deleted by runtime code (SQL or ORM, in the scope), directly or through a table it
 * refers to (a cascade may follow any foreign key: assumed so)? Then a foreign key to it is never
 * checked by a delete; only reads by the key matter, and missing-index judges them. `soft` when the
 * table is marked deleted instead (a deleted_at-like column), `unused` when no code deletes it at all;
 * undefined when it is deleted, or when nothing can be said.
 */
export function neverHardDeleted(x: Omit<MaintenanceInput, 'stmt' | 'column' | 'file'>): 'soft' | 'unused' | undefined {
  const def = x.schema.table(x.table);
  if (!def) return undefined;
  const runtime = scopeRuntime(x.allFiles, x.schema, x.schemaFor, x.settings);
  // No delete seen anywhere in the scope: the app's writes are not in a form the analyzer reads (a
  // schema dump, ActiveRecord, diesel, GORM): absence of evidence is not evidence.
  if (runtime.deleted.size === 0) return undefined;
  const soft = def.columns.some((c) => SOFT_DELETE_COLUMN.test(c.spelling ?? c.name) || SOFT_DELETE_COLUMN.test(c.name));
  // Without a deletion-time column, the deletes the analyzer reads must be the app's own: those of an
  // ORM whose models it reads (a Prisma or Drizzle app deletes through its client), not stray SQL strings.
  if (!soft && !runtime.ormDeletes) return undefined;
  const seen = new Set<string>();
  const stack = [x.table];
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (runtime.deleted.has(t)) return undefined;
    for (const fk of x.schema.foreignKeys) if (fk.table === t) stack.push(fk.refTable);
  }
  return soft ? 'soft' : 'unused';
}
