/**
 * SQL that never runs forward: rollback scripts (down.sql, *.down.sql, Flyway U__ undo, rollback/
 * folders: see kernel/code-role.ts) and the down section of a migration file that holds both
 * directions (goose `-- +goose Down`, sql-migrate `-- +migrate Down`, dbmate `-- migrate:down`, Play
 * evolutions `# --- !Downs`, MyBatis `-- //@UNDO`), and the `down` function of a JS/TS migration (knex,
 * Sequelize, TypeORM, umzug). Neither adds to the schema nor is judged as a query.
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

// `up` / `down` as a property, export or method: `down: async (qi) =>`, `exports.down = function`,
// `export async function down(`, `async down(queryRunner)`. Each alternative is bounded (linear).
const CODE_MIGRATION_FN = /\b(?:function[ \t]+)?(up|down)[ \t]*(?:[:=][ \t]*(?:async\b[ \t]*)?(?:function\b|\(|[A-Za-z_$][\w$]*[ \t]*=>)|\()/g;

/**
 * The `down` parts of a JS/TS migration: from each `down` function's start to the next `up` one (or
 * the end of the file) — the two are siblings, so whatever follows `down` until `up` is its body.
 */
export function codeDownRanges(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let open: number | undefined;
  CODE_MIGRATION_FN.lastIndex = 0;
  for (let m = CODE_MIGRATION_FN.exec(text); m; m = CODE_MIGRATION_FN.exec(text)) {
    if (m[1] === 'down' && open === undefined) open = m.index;
    else if (m[1] === 'up' && open !== undefined) {
      out.push({ start: open, end: m.index });
      open = undefined;
    }
  }
  if (open !== undefined) out.push({ start: open, end: text.length });
  return out;
}

/** Keeps only the statements that run forward: none of a rollback script, none of a down section or down function. */
export function keepForward(file: ParsedSqlFile, text: string, role: CodeRole): ParsedSqlFile {
  if (file.kind === 'prisma') return file;
  // Statements that do not parse stay: a broken rollback fails the day it is needed (sql-parse-error),
  // and carry no schema or query for the other rules.
  const broken = (s: ParsedSqlFile['statements'][number]): boolean => !!s.error;
  if (role === 'rollback') return { ...file, statements: file.statements.filter(broken) };
  if (file.kind === 'code') {
    if (role !== 'migration' || !file.statements.length) return file;
    const down = codeDownRanges(text);
    return down.length ? { ...file, statements: file.statements.filter((s) => broken(s) || !down.some((r) => s.span.start >= r.start && s.span.start < r.end)) } : file;
  }
  const down = downSectionStart(text);
  return down === undefined ? file : { ...file, statements: file.statements.filter((s) => broken(s) || s.span.start < down) };
}
