/**
 * The part of a Lighthouse result (LHR) this extension reads, and what it makes of it. Typed
 * loosely on purpose: LHRs come from a child process (12.x today, 13.x later) and are validated by
 * `parseLhr` before use. Pure: no I/O, no `vscode`.
 */
import type { ChecklistItemId, Finding } from '../../kernel/model.js';
import type { ItemStatus } from '../../kernel/checklist.js';

export type LighthousePreset = 'desktop' | 'mobile';
export const LIGHTHOUSE_PRESETS: readonly LighthousePreset[] = ['desktop', 'mobile'];

export interface LhrTableItem {
  url?: string;
  totalBytes?: number;
  wastedBytes?: number;
  wastedMs?: number;
  cacheLifetimeMs?: number;
  node?: { snippet?: string; selector?: string; nodeLabel?: string };
  subItems?: { items?: { reason?: string; wastedBytes?: number }[] };
  [key: string]: unknown;
}

export interface LhrAuditDetails {
  type?: string;
  /** A table/opportunity's rows, or (type "checklist", 13.x insights) named checks. */
  items?: LhrTableItem[] | Record<string, { label?: string; value?: unknown }>;
  overallSavingsMs?: number;
  overallSavingsBytes?: number;
  summary?: { wastedBytes?: number; wastedMs?: number };
  [key: string]: unknown;
}

export interface LhrAudit {
  id: string;
  title: string;
  description?: string;
  /** 0..1, or null (informative / not applicable / error). */
  score: number | null;
  /** numeric | binary | metricSavings | informative | notApplicable | manual | error */
  scoreDisplayMode: string;
  numericValue?: number;
  numericUnit?: string;
  displayValue?: string;
  errorMessage?: string;
  warnings?: string[];
  metricSavings?: Record<string, number>;
  details?: LhrAuditDetails;
}

export interface Lhr {
  lighthouseVersion: string;
  requestedUrl?: string;
  mainDocumentUrl?: string;
  finalDisplayedUrl?: string;
  finalUrl?: string;
  fetchTime: string;
  userAgent?: string;
  environment?: { hostUserAgent?: string; benchmarkIndex?: number };
  runWarnings: string[];
  runtimeError?: { code: string; message: string };
  configSettings: { formFactor?: string; throttlingMethod?: string; [key: string]: unknown };
  categories: { performance?: { score: number | null; auditRefs?: { id: string; weight?: number; group?: string; acronym?: string }[] } };
  audits: Record<string, LhrAudit>;
}

/** One metric over the runs: the median is what budgets are compared with. */
export interface MetricSummary {
  id: string;
  acronym: string;
  label: string;
  unit: 'ms' | 'unitless';
  /** Per run, in run order (NaN when a run has no value). */
  values: number[];
  median: number | null;
  min: number | null;
  max: number | null;
  /** Lighthouse's 0..1 score of the median run's value. */
  score: number | null;
}

export type BudgetId = 'page-load' | 'time-to-interactive';

export interface BudgetCheck {
  id: BudgetId;
  title: string;
  /** The Lighthouse audit whose (median) value is compared. */
  metric: string;
  /** The `.perfauditrc.json` budget key. */
  budgetKey: 'pageLoadMs' | 'timeToInteractiveMs';
  budgetMs: number;
  valueMs: number | null;
  status: 'pass' | 'fail' | 'unknown';
}

/** A checklist item (or a budget) as judged by one Lighthouse report. */
export interface LighthouseItemResult {
  id: ChecklistItemId | BudgetId;
  title: string;
  status: ItemStatus;
  reason: string;
  /** Lighthouse audits that decided it (the ids present in the LHR). */
  audits: string[];
  findings: number;
}

/** A failing (or informative) audit with its estimated savings, for the report. */
export interface Opportunity {
  audit: string;
  title: string;
  displayValue?: string;
  score: number | null;
  savingsMs?: number;
  savingsBytes?: number;
  /** Mapped to this checklist item, when it is. */
  checklistItem?: ChecklistItemId;
  items: { url: string; totalBytes?: number; wastedBytes?: number }[];
}

export interface LighthouseReport {
  url: string;
  finalUrl: string;
  preset: LighthousePreset;
  lighthouseVersion: string;
  /** ISO timestamp of the median run. */
  fetchTime: string;
  userAgent?: string;
  throttlingMethod?: string;
  runs: number;
  /** Index of the run reported (closest to the median FCP and TTI, as Lighthouse's own median-run). */
  medianRun: number;
  /** Performance score of the median run, 0..100 (null when Lighthouse gave none). */
  score: number | null;
  /** Performance scores of every run, 0..100. */
  scores: (number | null)[];
  metrics: MetricSummary[];
  budgets: BudgetCheck[];
  checklist: LighthouseItemResult[];
  findings: Finding[];
  opportunities: Opportunity[];
  /** Lighthouse's runWarnings (all runs, deduplicated) and audit errors. */
  warnings: string[];
  /** False when a warning says the page did not finish loading: passes are then not trusted. */
  reliable: boolean;
}

/** Settings a run was made with, as recorded with the results. */
export interface LighthouseRunSettings {
  url: string;
  preset: LighthousePreset;
  runs: number;
  timeoutMs: number;
}
