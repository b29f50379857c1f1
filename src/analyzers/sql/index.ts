/** The SQL analyzer: schema (DDL, migrations, Prisma) and queries (.sql files, SQL in JS/TS). */
import type { Analyzer } from '../../kernel/contracts.js';
import { LineIndex } from '../../kernel/text.js';
import { extractEmbeddedSql } from './embedded.js';
import { sqlAnalysis } from './gather.js';
import { MANIFEST_NAMES } from './scopes.js';
import { missingIndex } from './rules/missing-index.js';
import { unindexedForeignKey } from './rules/unindexed-foreign-key.js';
import { nonSargablePredicate } from './rules/non-sargable-predicate.js';
import { selectStar } from './rules/select-star.js';
import { unboundedSelect } from './rules/unbounded-select.js';
import { nPlusOneQuery } from './rules/n-plus-one-query.js';
import { missingPrimaryKey } from './rules/missing-primary-key.js';
import { sqlParseError } from './rules/sql-parse-error.js';

/** Is the start of `line` inside (not on the first line of) an embedded SQL string? */
function insideSqlTemplate(text: string, line: number): boolean {
  const li = new LineIndex(text);
  const at = li.offsetAt({ line, character: 0 });
  return extractEmbeddedSql(text).some((e) => e.hostSpan.start < at && at < e.hostSpan.end && li.positionAt(e.hostSpan.start).line < line);
}

export const sqlAnalyzer: Analyzer = {
  id: 'sql',
  title: 'SQL schema and queries',
  watch: ['*.sql', '*.ddl', '*.psql', '*.pgsql', '*.prisma', '*.ts', '*.tsx', '*.js', '*.jsx', '*.mjs', '*.cjs', '*.mts', '*.cts', '*.go', '*.py', 'templates/*.html', 'templates/**/*.html', ...MANIFEST_NAMES],
  rules: [missingIndex, unindexedForeignKey, nonSargablePredicate, selectStar, unboundedSelect, nPlusOneQuery, missingPrimaryKey, sqlParseError],
  projects: [sqlAnalysis],
  // Inside a multi-line SQL template in JS/TS the line above is SQL, so the comment is an SQL one.
  suppressionComment(path, ruleId, indent, text, line) {
    if (/\.(?:[cm]?[jt]sx?|mts|cts)$/i.test(path) && insideSqlTemplate(text, line)) return `${indent}-- perf-audit-disable-next-line ${ruleId}\n`;
    return undefined;
  },
};
