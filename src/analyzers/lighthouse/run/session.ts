/**
 * Run → report → locate → save: what the CLI and the extension do with a Lighthouse run, in one
 * place. Node only (file system, child processes); no `vscode`.
 */
import * as path from 'node:path';
import type { PerfAuditSettings, RuleLevel } from '../../../kernel/settings.js';
import { buildLighthouseReport } from '../map.js';
import { locateFindings, type WorkspaceFiles } from '../locate.js';
import { appendLighthouseRun, hasLighthouseRun, lighthouseEntry } from '../memory.js';
import type { LighthouseReport } from '../types.js';
import { MEMORY_FILES, PERF_DATA_SECTION } from '../../../kernel/memory/memory.js';
import { localDateTime } from '../../../kernel/memory/dates.js';
import { memoryDir, updateMemoryFile, type UpdateResult } from '../../../kernel/memory/store.js';
import { runLighthouse, type LighthouseRunOptions, type LighthouseRunResult } from './runner.js';

export interface AuditPageOptions extends LighthouseRunOptions {
  budgets: Pick<PerfAuditSettings['budgets'], 'pageLoadMs' | 'timeToInteractiveMs'>;
  rules?: Record<string, RuleLevel>;
  /** Where findings are located (no workspace: findings stay on URLs). */
  workspace?: WorkspaceFiles;
}

export interface PageAudit {
  report: LighthouseReport;
  run: LighthouseRunResult;
}

export async function auditPage(opts: AuditPageOptions): Promise<PageAudit> {
  const run = await runLighthouse(opts);
  const report = buildLighthouseReport(run.lhrs, { preset: run.settings.preset, budgets: opts.budgets, url: run.settings.url, ...(opts.rules ? { rules: opts.rules } : {}) });
  if (opts.workspace) report.findings = await locateFindings(report.findings, opts.workspace);
  return { report, run };
}

/** Local date and time, e.g. "2026-11-25 14:05" (the shared helper of src/kernel/memory/dates.ts). */
export { localDateTime };

export const PERFORMANCE_DATA_PATH = path.posix.join('.superagent', 'memory', MEMORY_FILES.performanceData);

/**
 * Appends the report to `<root>/.superagent/memory/performance-data.md` (created when missing),
 * atomically and without overwriting a file changed meanwhile (see updateMemoryFile).
 */
export async function saveLighthouseToMemory(root: string, report: LighthouseReport, date = localDateTime(), notes?: string): Promise<UpdateResult & { file: string }> {
  const file = path.join(memoryDir(root), MEMORY_FILES.performanceData);
  const entry = lighthouseEntry(report, date, notes);
  const r = await updateMemoryFile(file, (text) => appendLighthouseRun(text, entry), { retries: 2 });
  // Success only when the row is really there (a document whose headings leave no place for the
  // table must not be reported as saved).
  if ((r.status === 'written' || r.status === 'unchanged') && !hasLighthouseRun(r.text, entry)) {
    return { status: 'error', message: `no place for the Lighthouse table under "## ${PERF_DATA_SECTION}" in ${MEMORY_FILES.performanceData}; nothing was recorded`, attempts: r.attempts, file };
  }
  return { ...r, file };
}
