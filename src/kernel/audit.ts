/** One-call workspace audit shared by the CLI and the extension's "Audit Workspace". */
import type { Annotation, ChecklistItemId, Finding } from './model.js';
import { compareFindings, SEVERITY_ORDER } from './model.js';
import { type AuditEngine, type AuditResult, type AuditStats } from './engine.js';
import { checklistStatus, score, type ItemResult } from './checklist.js';
import type { CancellationToken } from './cancel.js';

export interface WorkspaceAudit {
  findings: Finding[];
  /** What the analyses inferred at places of the code (hover in the editor); not part of reports. */
  annotations?: Annotation[];
  stats: AuditStats;
  checklist: ItemResult[];
  score: number;
}

/** Items whose pass can be inferred from config analyzers finding nothing. */
const PASSABLE_FROM_CONFIG = new Set<ChecklistItemId>(['compression', 'browser-caching', 'connection-pooling', 'bundle-size', 'image-formats', 'lazy-loading']);

/** Which checklist items had evidence to judge, from what the engine parsed. */
export function coverage(engine: AuditEngine, result: AuditResult): Map<ChecklistItemId, string> {
  const { stats } = result;
  const covered = new Map<ChecklistItemId, string>(result.coverage);
  // A file rule's silence is evidence for its item only when the rule is a real gate (warning or
  // error by default) and the item is one a config can settle; "TLS encryption" does not pass because
  // no TLS listener lacks HTTP/2.
  for (const { rule, gatherer } of engine.fileRuleCoverage()) {
    const n = stats.gathered[gatherer.id] ?? 0;
    const item = rule.meta.checklistItem;
    if (n > 0 && engine.getSettings().rules[rule.meta.id] !== 'off' && rule.meta.defaultSeverity !== 'info' && rule.meta.defaultSeverity !== 'hint' && PASSABLE_FROM_CONFIG.has(item)) {
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
  const covered = coverage(engine, r);
  for (const [id, why] of extra?.coverage ?? []) covered.set(id, covered.has(id) ? `${covered.get(id)!.replace(/ checked$/, '')}; ${why}` : why);
  const findings = extra?.findings.length ? [...r.findings, ...extra.findings].sort(compareFindings) : r.findings;
  const checklist = checklistStatus(findings, covered, engine.getSettings().checklist);
  return { findings, stats: r.stats, checklist, score: score(checklist), ...(r.annotations ? { annotations: r.annotations } : {}) };
}

export function meetsThreshold(f: Finding, failOn: 'error' | 'warning' | 'info' | 'none'): boolean {
  if (failOn === 'none') return false;
  return SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn];
}

