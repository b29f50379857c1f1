/**
 * The data model shared by the engine, rules, reports and adapters.
 * Positions are zero-based (line, UTF-16 character), like LSP/VS Code.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const SEVERITY_ORDER: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export interface Position {
  line: number;
  character: number;
}

/** A span in a file's text (UTF-16 offsets): what parsers and rules report, before the engine turns it into a Range. */
export interface Span {
  start: number;
  end: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A text edit in one file. `range` is replaced by `newText` (an empty range inserts). */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** One file's part of a fix: edits to an existing file, or a file to create with `newText`. */
export interface FileEdit {
  file: string;
  /** Create the file (must not exist) with these contents; `edits` is then ignored. */
  create?: { newText: string };
  edits?: TextEdit[];
}

export interface Fix {
  /** What the user sees, e.g. "Create index orders_status_idx in a new migration". */
  title: string;
  /** The preferred fix for this finding (VS Code: isPreferred; used by "fix all"). */
  preferred?: boolean;
  changes: FileEdit[];
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Workspace-relative path with forward slashes. */
  file: string;
  range: Range;
  checklistItem: ChecklistItemId;
  fixes: Fix[];
  related: RelatedLocation[];
  /** Rule-specific structured data (stable, used by reports, baselines and evaluation). */
  data?: Record<string, unknown>;
}

export type ChecklistItemId =
  // Frontend
  | 'compression' | 'lazy-loading' | 'image-formats' | 'bundle-size' | 'cdn' | 'browser-caching'
  // Backend
  | 'response-caching' | 'query-optimization' | 'connection-pooling' | 'read-replicas' | 'query-result-caching' | 'slow-endpoints'
  // Database
  | 'indexes' | 'schema' | 'maintenance-windows' | 'slow-query-log' | 'partitioning' | 'vacuum-analyze'
  // Operations
  | 'health-checks' | 'autoscaling' | 'monitoring-alerts' | 'backups' | 'tls-encryption' | 'rate-limiting';

export interface SourceFile {
  /** Workspace-relative path with forward slashes. */
  path: string;
  text: string;
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/**
 * What the analysis inferred about a place in the code, shown on hover in the editor (not a finding):
 * e.g. the SQL an ORM call runs and whether an index serves it.
 */
export interface Annotation {
  file: string;
  range: Range;
  /** One line: what runs there (`prisma document.findMany`). */
  title: string;
  /** Markdown-free detail lines. */
  detail: string[];
}
