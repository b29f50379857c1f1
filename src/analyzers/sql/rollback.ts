/**
 * SQL that never runs forward: rollback scripts (down.sql, *.down.sql, Flyway U__ undo, rollback/
 * folders: see kernel/code-role.ts) and the down section of a migration file that holds both
 * directions (goose `-- +goose Down`, sql-migrate `-- +migrate Down`, dbmate `-- migrate:down`, Play
 * evolutions `# --- !Downs`, MyBatis `-- //@UNDO`). Neither adds to the schema nor is judged as a query.
 */
import type { CodeRole } from '../../kernel/code-role.js';
import type { ParsedSqlFile } from './analyze.js';

// One marker per line, matched from a line start; no nested quantifiers (linear).
const DOWN_MARKER = /^[ \t]*(?:--|#)[ \t]*(?:\+(?:goose|migrate|micrate)[ \t]+down\b|migrate:down\b|---?[ \t]*!downs\b|\/\/[ \t]*@undo\b)/im;

/** Offset of the line that starts a migration file's down section, if it has one. */
export function downSectionStart(text: string): number | undefined {
  const m = DOWN_MARKER.exec(text);
  return m ? m.index : undefined;
}

/** Keeps only the statements that run forward: none of a rollback script, none of a down section. */
export function keepForward(file: ParsedSqlFile, text: string, role: CodeRole): ParsedSqlFile {
  if (file.kind !== 'sql') return file;
  if (role === 'rollback') return { ...file, statements: [] };
  const down = downSectionStart(text);
  return down === undefined ? file : { ...file, statements: file.statements.filter((s) => s.span.start < down) };
}
