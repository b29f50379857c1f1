/** A small fabricated audit shared by the report tests. */
import type { WorkspaceAudit } from '../../../../src/kernel/audit.js';
import { checklistStatus, score } from '../../../../src/kernel/checklist.js';
import type { ChecklistItemId, Finding, Severity } from '../../../../src/kernel/model.js';
import { range } from '../../../../src/kernel/model.js';
import type { HistoryEntry } from '../../../../src/kernel/report/markdown.js';

export function finding(file: string, line: number, ruleId: string, severity: Severity, message: string, checklistItem: ChecklistItemId): Finding {
  return { ruleId, severity, message, file, range: range(line, 4, line, 9), checklistItem, fixes: [], related: [] };
}

export const MALICIOUS_FILE = '<img src=x onerror=alert(1)>.sql';

export function fabricatedAudit(extra: Finding[] = []): WorkspaceAudit {
  const findings: Finding[] = [
    finding('db/queries.sql', 11, 'non-sargable-predicate', 'warning', 'Function on column created_at prevents index use', 'query-optimization'),
    finding('db/queries.sql', 2, 'missing-index', 'warning', 'No index on orders(status)', 'indexes'),
    finding('db/b.sql', 0, 'select-star', 'info', 'SELECT * reads every column', 'query-optimization'),
    ...extra,
  ];
  const covered = new Map<ChecklistItemId, string>([
    ['indexes', '3 tables and their indexes checked'],
    ['schema', '3 table definitions checked'],
    ['query-optimization', '7 SQL statements checked'],
  ]);
  const checklist = checklistStatus(findings, covered, { backups: { status: 'not-applicable', reason: 'managed | by *cloud*' } });
  return {
    findings,
    stats: { files: 4, durationMs: 12.5, gathered: {}, counts: { sqlFiles: 2, statements: 7, parseErrors: 0 } },
    checklist,
    score: score(checklist),
  };
}

export function history(n: number): HistoryEntry[] {
  const all: HistoryEntry[] = [
    { date: '2025-01-05', score: 50, findings: 3, failing: ['query-optimization', 'indexes'] },
    { date: '2025-01-01', score: 0, findings: 12, failing: ['indexes', 'schema', 'query-optimization'] },
    { date: '2025-01-02', score: 33.333, findings: 9, failing: ['indexes', 'schema'] },
    { date: '2025-01-03', score: 33, findings: 0, failing: ['indexes'] },
    { date: '2025-01-04', score: 100, findings: 5, failing: [] },
  ];
  return all.slice(0, n);
}
