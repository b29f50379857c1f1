/** The checklist view's nodes (rendered by tree.ts; built by ctx, memory and bundle features). */
import type { Finding } from '../kernel/model.js';
import type { BudgetRow, ItemResult } from '../kernel/checklist.js';

export type Node =
  | { kind: 'group'; group: string; items: ItemResult[]; budgets?: BudgetRow[] }
  | { kind: 'item'; result: ItemResult }
  | { kind: 'budget'; row: BudgetRow }
  | { kind: 'finding'; finding: Finding; isNew?: boolean }
  | { kind: 'baseline' }
  | { kind: 'baseline-list'; which: 'new' | 'fixed' }
  | { kind: 'fixed'; entry: { file: string; line: number; ruleId: string; message: string } }
  | { kind: 'memory' }
  | { kind: 'bundle' }
  | ({ kind: 'memory-entry' } & MemoryEntryData);

/** A row of the Memory (or Bundle) node: label, details, a file to open, nested rows. */
export interface MemoryEntryData {
  label: string;
  description?: string;
  tooltip?: string;
  file?: string;
  children?: MemoryEntryData[];
}
