/**
 * A Lighthouse report as evidence for the workspace checklist (`mergeEvidence`, checklist.ts): the
 * mapped items' verdicts with their findings, and the two budgets (page load, time to interactive)
 * as budget rows of their own in the Frontend group — the shared checklist has no item for them,
 * and a slow page is not evidence about any one item (an LCP over budget may come from images, the
 * server or scripts), so their verdict is shown next to the items, never folded into one. Pure.
 */
import type { BudgetRow, ExternalItemEvidence } from '../../kernel/checklist.js';
import type { BudgetId, LighthouseReport } from './types.js';
import { lighthouseData } from './map.js';

const BUDGET_IDS: readonly string[] = ['page-load', 'time-to-interactive'] satisfies BudgetId[];

export function isBudgetId(id: string): id is BudgetId {
  return BUDGET_IDS.includes(id);
}

/** "Lighthouse run of <date> (<url>, <preset>)": how every verdict it gives is introduced. */
export function lighthouseSource(report: Pick<LighthouseReport, 'url' | 'preset'>, date: string): string {
  return `Lighthouse run of ${date} (${report.url}, ${report.preset})`;
}

/**
 * The report as checklist evidence. `date` is the run's local date and time (the one recorded in
 * performance-data.md). Budget findings go with their budget row only.
 */
export function lighthouseEvidence(report: LighthouseReport, date: string): ExternalItemEvidence {
  const source = lighthouseSource(report, date);
  const budgetMetric = new Map(report.budgets.map((b) => [b.id as string, b.metric]));
  const budgets: BudgetRow[] = report.checklist
    .filter((c) => isBudgetId(c.id))
    .map((c) => ({
      id: c.id,
      group: 'Frontend',
      title: `${c.title} (budget)`,
      status: c.status,
      reason: `${source}: ${c.reason}`,
      findings: report.findings.filter((f) => lighthouseData(f)?.audit === budgetMetric.get(c.id) && lighthouseData(f)?.budget !== undefined),
    }));
  const ofBudgets = new Set(budgets.flatMap((b) => b.findings));
  return {
    source,
    date,
    target: report.url,
    preset: report.preset,
    items: report.checklist.filter((c) => !isBudgetId(c.id)).map((c) => ({ id: c.id, status: c.status, reason: c.reason })),
    findings: report.findings.filter((f) => !ofBudgets.has(f)),
    budgets,
  };
}
