/**
 * Suppression comments:
 *   -- perf-audit-disable-next-line missing-index, select-star     (SQL; `//` or `#` work too)
 *   // perf-audit-disable-line select-star                          (JS/TS, same line)
 *   -- perf-audit-disable-file missing-index                        (whole file)
 * With no rule list the comment silences every rule. Rule ids may carry the `perf-auditor/` prefix.
 */
import type { Finding } from './model.js';
import { LineIndex } from './text.js';

const DIRECTIVE = /(?:--|\/\/|\/\*|#)\s*perf-audit-disable(-next-line|-line|-file)?\b([^\n*]*)/g;

export interface Suppressions {
  isSuppressed(ruleId: string, line: number): boolean;
}

export function parseSuppressions(text: string, lines: LineIndex = new LineIndex(text)): Suppressions {
  const byLine = new Map<number, Set<string> | 'all'>();
  let file: Set<string> | 'all' | undefined;
  if (!text.includes('perf-audit-disable')) return { isSuppressed: () => false };
  for (const m of text.matchAll(DIRECTIVE)) {
    const kind = m[1] ?? '-file';
    const rules = m[2].split(/[\s,]+/).map((r) => r.trim().replace(/^perf-auditor\//, '')).filter((r) => /^[a-z][a-z0-9-]*$/.test(r));
    const set: Set<string> | 'all' = rules.length ? new Set(rules) : 'all';
    const line = lines.positionAt(m.index).line;
    const add = (l: number): void => {
      const cur = byLine.get(l);
      if (cur === 'all' || set === 'all') byLine.set(l, 'all');
      else byLine.set(l, new Set([...(cur ?? []), ...set]));
    };
    if (kind === '-next-line') add(line + 1);
    else if (kind === '-line') add(line);
    else file = file === 'all' || set === 'all' ? 'all' : new Set([...(file ?? []), ...set]);
  }
  return {
    isSuppressed(ruleId, line) {
      if (file === 'all' || file?.has(ruleId)) return true;
      const s = byLine.get(line);
      return s === 'all' || !!s?.has(ruleId);
    },
  };
}

export function filterSuppressed(findings: Finding[], textOf: (file: string) => string | undefined): Finding[] {
  const cache = new Map<string, Suppressions>();
  return findings.filter((f) => {
    let s = cache.get(f.file);
    if (!s) {
      const t = textOf(f.file);
      s = t === undefined ? { isSuppressed: () => false } : parseSuppressions(t);
      cache.set(f.file, s);
    }
    return !s.isSuppressed(f.ruleId, f.range.start.line);
  });
}

/** JSON files hold no comments: findings there are silenced through .perfauditrc.json instead. */
export function supportsSuppressionComments(path: string): boolean {
  return !/\.json$/i.test(path) || /(^|\/)(tsconfig[^/]*|jsconfig[^/]*|\.perfauditrc)\.json$/i.test(path);
}
