/** One-call workspace audit shared by the CLI and the extension's "Audit Workspace". */
import type { ChecklistItemId, Finding } from './model.js';
import { compareFindings, SEVERITY_ORDER } from './model.js';
import { type AuditEngine, type AuditStats } from './engine.js';
import { checklistStatus, score, type ItemResult } from './checklist.js';
import type { CancellationToken } from './cancel.js';
import type { ParsedSqlFile } from '../analyzers/sql/analyze.js';

export interface WorkspaceAudit {
  findings: Finding[];
  stats: AuditStats;
  checklist: ItemResult[];
  score: number;
}

/** Items whose pass can be inferred from config analyzers finding nothing. */
const PASSABLE_FROM_CONFIG = new Set<ChecklistItemId>(['compression', 'browser-caching', 'connection-pooling', 'bundle-size', 'image-formats', 'lazy-loading']);

/** Which checklist items had evidence to judge, from what the engine parsed. */
export function coverage(engine: AuditEngine, stats: AuditStats): Map<ChecklistItemId, string> {
  const covered = new Map<ChecklistItemId, string>();
  if (stats.sqlFiles > 0 && engine.schemaTableCount() > 0) {
    covered.set('indexes', `${engine.schemaTableCount()} tables and their indexes checked`);
    covered.set('schema', `${engine.schemaTableCount()} table definitions checked`);
  }
  if (stats.statements > 0) covered.set('query-optimization', `${stats.statements} SQL statements checked`);
  // A file rule's silence is evidence for its item only when the rule is a real gate (warning or
  // error by default) and the item is one a config can settle; "TLS encryption" does not pass because
  // no TLS listener lacks HTTP/2.
  for (const { rule, gatherer } of engine.fileRuleCoverage()) {
    const n = stats.gathered[gatherer.id] ?? 0;
    const item = rule.meta.checklistItem;
    if (n > 0 && engine.getConfig().rules[rule.meta.id] !== 'off' && rule.meta.defaultSeverity !== 'info' && rule.meta.defaultSeverity !== 'hint' && PASSABLE_FROM_CONFIG.has(item)) {
      const prev = covered.get(item);
      const add = `${gatherer.description} (${n})`;
      if (!prev?.includes(add)) covered.set(item, prev ? `${prev.replace(/ checked$/, '')}, ${add} checked` : `${add} checked`);
    }
  }
  return covered;
}

/** Findings and checklist evidence from outside the engine (the build-output analysis), judged with its own. */
export interface ExtraEvidence {
  findings: Finding[];
  coverage: Map<ChecklistItemId, string>;
}

export async function auditEngine(engine: AuditEngine, token?: CancellationToken, extra?: ExtraEvidence): Promise<WorkspaceAudit> {
  const r = await engine.run(token ? { token } : {});
  const covered = coverage(engine, r.stats);
  for (const [id, why] of extra?.coverage ?? []) covered.set(id, covered.has(id) ? `${covered.get(id)!.replace(/ checked$/, '')}; ${why}` : why);
  const findings = extra?.findings.length ? [...r.findings, ...extra.findings].sort(compareFindings) : r.findings;
  const checklist = checklistStatus(findings, covered, engine.getConfig().checklist);
  return { findings, stats: r.stats, checklist, score: score(checklist) };
}

export function meetsThreshold(f: Finding, failOn: 'error' | 'warning' | 'info' | 'none'): boolean {
  if (failOn === 'none') return false;
  return SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn];
}

export type { ParsedSqlFile };
