/**
 * The kernel bound to the registry's analyzers: what the extension and the CLI use (the extension
 * loads it lazily).
 */
import { AuditEngine, auditSources as auditSourcesWith, type AuditResult } from '../kernel/engine.js';
import type { Rule } from '../kernel/contracts.js';
import type { SourceFile } from '../kernel/model.js';
import type { CancellationToken } from '../kernel/cancel.js';
import { defaultSettings, parseSettingsWith, type PerfAuditSettings, type SettingsProblem } from '../kernel/settings.js';
import { loadWorkspace as loadWorkspaceWith, type LoadedWorkspace } from '../kernel/workspace.js';
import type { WorkspaceView } from '../kernel/contracts.js';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AuditWorkerHost } from '../kernel/watchdog.js';
import { REGISTRY } from './registry.js';

export { REGISTRY, ALL_RULES } from './registry.js';
export { AuditEngine } from '../kernel/engine.js';
export { auditEngine, meetsThreshold, type WorkspaceAudit } from '../kernel/audit.js';
export { SETTINGS_FILE, defaultSettings, normalizeDialect, setChecklistOverride, setRuleLevel } from '../kernel/settings.js';
export { CHECKLIST, checklistStatus, mergeEvidence, score } from '../kernel/checklist.js';

/** An engine that runs every registered analyzer (or only `rules`). */
export function createAuditEngine(rules?: readonly Rule[]): AuditEngine {
  return new AuditEngine(REGISTRY, rules);
}

/** Parses .perfauditrc.json text, knowing the registry's rule ids. */
export function parseSettings(text: string): { settings: PerfAuditSettings; problems: SettingsProblem[] } {
  return parseSettingsWith(text, REGISTRY.knownRuleIds);
}

/** Audits in-memory files in one call. */
export function auditSources(files: SourceFile[], settings: PerfAuditSettings = defaultSettings(), token?: CancellationToken): Promise<AuditResult> {
  return auditSourcesWith(REGISTRY, files, settings, token);
}

/** Reads a workspace folder (or one file) from disk as the registry's analyzers need it. */
export function loadWorkspace(root: string, token?: CancellationToken): Promise<LoadedWorkspace> {
  return loadWorkspaceWith(REGISTRY, root, token);
}

export function ruleById(id: string): Rule | undefined {
  return REGISTRY.ruleById(id);
}

export function isRelevantPath(path: string): boolean {
  return REGISTRY.isRelevantPath(path);
}

export function mayIncludeFiles(path: string): boolean {
  return REGISTRY.mayIncludeFiles(path);
}

export function includedPathsToRead(ws: WorkspaceView, listing: readonly string[]): string[] {
  return REGISTRY.includedPathsToRead(ws, listing);
}

export function disableNextLineComment(path: string, ruleId: string, indent: string, text?: string, line?: number): string {
  return REGISTRY.disableNextLineComment(path, ruleId, indent, text, line);
}

/**
 * An audit-worker host (kernel/watchdog.ts) for this build: dist/audit-worker.js beside the bundle,
 * or the TypeScript source under tsx (tests, benchmarks).
 */
export function createAuditWorkerHost(opts: { budgetMs?: number } = {}): AuditWorkerHost {
  const bundled = path.join(__dirname, 'audit-worker.js');
  const budgetMs = opts.budgetMs ?? (Number(process.env.PERF_AUDITOR_FILE_BUDGET_MS) || undefined);
  if (existsSync(bundled)) return new AuditWorkerHost({ script: bundled, ...(budgetMs ? { budgetMs } : {}) });
  const source = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'audit-worker.ts'))});`;
  return new AuditWorkerHost({ script: source, eval: true, ...(budgetMs ? { budgetMs } : {}) });
}
