/** Writing identifiers into generated SQL: quoted only when the dialect needs it. */
import type { Dialect } from './types.js';

/**
 * Words that cannot be used as a bare table / column / index name in at least one of the dialects
 * (PostgreSQL reserved and type/function-name keywords, common MySQL and SQLite reserved words).
 * Quoting a lower-case name that did not need it is harmless in all three, so one list serves them all.
 */
const RESERVED = new Set(`
  add all alter analyse analyze and any array as asc asymmetric authorization between binary both by
  call case cast change check collate collation column concurrently condition constraint create cross
  current_catalog current_date current_role current_schema current_time current_timestamp current_user
  database default deferrable delete desc describe distinct do drop else end escape except exists
  false fetch for foreign freeze from full fulltext function grant group groups having if ilike in index
  initially inner insert intersect interval into is isnull join key keys lag lateral lead leading left
  like limit localtime localtimestamp lock match natural not notnull null offset on only option or order
  outer over overlaps partition placing primary range rank read references regexp rename replace require
  returning right row rows select session_user set show similar some spatial symmetric system system_user
  table tablesample then to trailing true union unique update usage use user using values variadic verbose
  when where window with write
`.trim().split(/\s+/));

/** `name` as SQL: bare when the dialect reads it back unchanged, else quoted ("x" for PostgreSQL / SQLite, `x` for MySQL). */
export function quoteIdent(name: string, dialect: Dialect): string {
  // PostgreSQL folds bare names to lower case; MySQL and SQLite compare columns case-insensitively and keep a table name's case.
  const bare = dialect === 'postgresql' ? /^[a-z_][a-z0-9_$]*$/ : /^[A-Za-z_][A-Za-z0-9_$]*$/;
  if (bare.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return dialect === 'mysql' ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`;
}
