/**
 * The analyzer's side of the SQL evidence tests: audit a small project (its migration and the code
 * or .sql file that holds a runtime query), take the fix a rule proposes for the query, and read the
 * SQL that fix would add to the project.
 */
import { engineWith } from '../../helpers/engine.js';
import type { Finding, Fix } from '../../../src/kernel/model.js';

export type Files = Record<string, string>;

export async function audit(files: Files): Promise<Finding[]> {
  const engine = engineWith();
  for (const [p, t] of Object.entries(files)) engine.setFile(p, t);
  return (await engine.run()).findings;
}

/** The preferred fix of the first finding of one of `rules` in `file` (optionally on line `line`, 0-based), with its finding. */
export function proposedFix(findings: Finding[], rules: readonly string[], file: string, line?: number): { finding: Finding; fix: Fix } | undefined {
  for (const f of findings) {
    if (!rules.includes(f.ruleId) || f.file !== file || (line !== undefined && f.range.start.line !== line)) continue;
    const fix = f.fixes.find((x) => x.preferred) ?? f.fixes[0];
    if (fix) return { finding: f, fix };
  }
  return undefined;
}

/** The SQL text a fix adds: the contents of the files it creates and the text it inserts, in order. */
export function fixSql(fix: Fix): string {
  const parts: string[] = [];
  for (const c of fix.changes) {
    if (c.create) parts.push(c.create.newText);
    for (const e of c.edits ?? []) parts.push(e.newText);
  }
  return parts.join('\n');
}

/** The names of the indexes a script creates (unquoted). */
export function createdIndexes(sql: string): string[] {
  const re = /\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|([A-Za-z_][\w$]*))/gi;
  return [...sql.matchAll(re)].map((m) => m[1]?.replace(/""/g, '"') ?? m[2]?.replace(/``/g, '`') ?? m[3].toLowerCase());
}

/** A one-line summary of a finding for the evidence tables and failure messages. */
export function describeFinding(f: Finding | undefined): string {
  return f ? `${f.ruleId} (${f.severity}) at ${f.file}:${f.range.start.line + 1}: ${f.message}` : 'no finding';
}
