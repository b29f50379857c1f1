import type { ChecklistItemId, Fix, RelatedLocation, Severity } from './model.js';
import type { ParsedSqlFile } from '../analyzers/sql/analyze.js';
import type { Schema } from '../analyzers/sql/schema.js';
import type { Span } from '../analyzers/sql/types.js';
import type { PerfAuditConfig } from './settings.js';

export const DOCS_BASE = 'https://github.com/perf-auditor/perf-auditor/blob/main/docs/rules/';

export interface RuleMeta {
  id: string;
  /** Shown when the rule passes, e.g. "Queries use indexes". */
  title: string;
  /** Shown when it fails, e.g. "Queries filter on columns with no index". */
  failureTitle: string;
  description: string;
  area: 'sql' | 'config' | 'bundle' | 'lighthouse';
  checklistItem: ChecklistItemId;
  defaultSeverity: Severity;
  fixable: boolean;
}

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}

/** A finding as a rule reports it: spans in the file being checked (or another file for fixes). */
export interface RuleReport {
  span: Span;
  message: string;
  severity?: Severity;
  /** Defaults to the file being checked. */
  file?: string;
  fixes?: PendingFix[];
  related?: { file: string; span: Span; message: string }[];
  data?: Record<string, unknown>;
}

/** A fix whose edits are in spans; the engine converts them to ranges. */
export interface PendingFix {
  title: string;
  preferred?: boolean;
  changes: { file: string; create?: { newText: string }; edits?: { span: Span; newText: string }[] }[];
}

export interface SqlRuleContext {
  file: ParsedSqlFile;
  schema: Schema;
  config: PerfAuditConfig;
  /** Every parsed SQL file of the workspace (for fixes placed beside existing migrations). */
  allFiles: readonly ParsedSqlFile[];
  /** Text of a workspace file, when known. */
  textOf: (path: string) => string | undefined;
  report: (r: RuleReport) => void;
}

export interface SqlRule {
  meta: RuleMeta;
  kind: 'sql';
  check(ctx: SqlRuleContext): void;
}

/** Read access to the workspace's files (for gatherers that follow includes, rules that look at package.json…). */
export interface WorkspaceView {
  paths(): string[];
  textOf(path: string): string | undefined;
}

/**
 * A gatherer turns one matching file into an artifact (a parsed nginx config, a server's middleware
 * list…) once per content hash; rules read artifacts, never raw parsing of their own. `gather`
 * returns undefined when the file turns out not to be relevant (a .js file that is not a server).
 */
export interface FileGatherer<T = unknown> {
  id: string;
  /** Plural noun for coverage messages, e.g. "nginx configs". */
  description: string;
  /** Cheap path test; the engine only reads and gathers matching files. */
  matches(path: string): boolean;
  gather(path: string, text: string, ws: WorkspaceView): T | undefined;
  /** Re-gather a file when any other matching file changes (e.g. nginx `include`). */
  workspaceDependent?: boolean;
}

export interface FileRuleContext<T> {
  path: string;
  text: string;
  artifact: T;
  config: PerfAuditConfig;
  ws: WorkspaceView;
  /** Artifacts of every file of a gatherer (e.g. all nginx configs, to see an http{} block from an include). */
  artifactsOf: <U>(gathererId: string) => { path: string; artifact: U }[];
  report: (r: RuleReport) => void;
}

export interface FileRule<T = any> {
  meta: RuleMeta;
  kind: 'file';
  /** The gatherer whose artifacts this rule checks. */
  gatherer: string;
  check(ctx: FileRuleContext<T>): void;
}

export type Rule = SqlRule | FileRule;

export type { Fix, RelatedLocation };
