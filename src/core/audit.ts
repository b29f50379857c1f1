/** One-call workspace audit shared by the CLI and the extension's "Audit Workspace". */
import type { ChecklistItemId, Finding } from './model.js';
import { SEVERITY_ORDER } from './model.js';
import { type AuditEngine, type AuditStats } from './engine.js';
import { checklistStatus, score, type ItemResult } from './checklist.js';
import type { CancellationToken } from './cancel.js';
import type { ParsedSqlFile } from './sql/analyze.js';

export interface WorkspaceAudit {
  findings: Finding[];
  stats: AuditStats;
  checklist: ItemResult[];
  score: number;
}

/** Which checklist items had evidence to judge, from what the engine parsed. */
export function coverage(engine: AuditEngine, stats: AuditStats): Map<ChecklistItemId, string> {
  const covered = new Map<ChecklistItemId, string>();
  if (stats.sqlFiles > 0 && engine.schemaTableCount() > 0) {
    covered.set('indexes', `${engine.schemaTableCount()} tables and their indexes checked`);
    covered.set('schema', `${engine.schemaTableCount()} table definitions checked`);
  }
  if (stats.statements > 0) covered.set('query-optimization', `${stats.statements} SQL statements checked`);
  for (const { rule, gatherer } of engine.fileRuleCoverage()) {
    const n = stats.gathered[gatherer.id] ?? 0;
    if (n > 0 && engine.getConfig().rules[rule.meta.id] !== 'off') {
      const prev = covered.get(rule.meta.checklistItem);
      const add = `${n} ${gatherer.description}`;
      if (!prev?.includes(add)) covered.set(rule.meta.checklistItem, prev ? `${prev}, ${add}` : `${add} checked`);
    }
  }
  return covered;
}

export async function auditEngine(engine: AuditEngine, token?: CancellationToken): Promise<WorkspaceAudit> {
  const r = await engine.run(token ? { token } : {});
  const checklist = checklistStatus(r.findings, coverage(engine, r.stats), engine.getConfig().checklist);
  return { findings: r.findings, stats: r.stats, checklist, score: score(checklist) };
}

export function meetsThreshold(f: Finding, failOn: 'error' | 'warning' | 'info' | 'none'): boolean {
  if (failOn === 'none') return false;
  return SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn];
}

export type { ParsedSqlFile };
