/**
 * What an analyzer plugs into the kernel: rule meta, rules, gatherers (file → artifact), project
 * analyses (all files → one model, e.g. SQL's schema) and the Analyzer that bundles them for the
 * registry. The kernel imports no analyzer; analyzers implement these.
 */
import type { ChecklistItemId, Fix, RelatedLocation, Severity, Span } from './model.js';
import type { PerfAuditSettings } from './settings.js';

export interface RuleMeta {
  id: string;
  /** Shown when the rule passes, e.g. "Queries use indexes". */
  title: string;
  /** Shown when it fails, e.g. "Queries filter on columns with no index". */
  failureTitle: string;
  description: string;
  /** The analyzer (src/analyzers/<domain>) the rule belongs to. */
  domain: string;
  checklistItem: ChecklistItemId;
  defaultSeverity: Severity;
  fixable: boolean;
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

/** Where a gatherer says why a file it matches could not be read as what it expected. */
export interface GatherProblems {
  add(why: string): void;
}

/** Read access to the workspace's files (for gatherers that follow includes, rules that look at package.json…). */
export interface WorkspaceView {
  paths(): string[];
  textOf(path: string): string | undefined;
  /**
   * Every file of the workspace (read or not) when whoever fed the audit walked all of it (the CLI);
   * undefined when that is not known (the editor reads only the files rules need). Rules use it to
   * tell what a folder holds, e.g. whether a static folder serves only documents.
   */
  listing?(): readonly string[] | undefined;
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
  /**
   * `problems.add(why)` names what made the file unreadable for this gatherer (invalid JSON, a
   * truncated lockfile…): the audit reports it once on the file, as an info finding.
   */
  gather(path: string, text: string, ws: WorkspaceView, problems?: GatherProblems): T | undefined;
  /** Re-gather a file when any other matching file changes (e.g. nginx `include`). */
  workspaceDependent?: boolean;
}

export interface FileRuleContext<T> {
  path: string;
  text: string;
  artifact: T;
  settings: PerfAuditSettings;
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

/** One input file of a project analysis: its text and content hash. */
export interface ProjectInput {
  path: string;
  text: string;
  hash: string;
}

/** A project analysis's per-file result: the rules run once per such file. */
export interface ProjectFile {
  path: string;
}

/**
 * A project analysis reads every matching file and builds one model from all of them (SQL: each
 * file's statements, and the schema that every migration and Prisma file adds up to). Rules then
 * judge each file against the model. An engine holds one session (its parsers and caches).
 */
export interface ProjectAnalysis<F extends ProjectFile = ProjectFile, C = unknown> {
  id: string;
  /** Plural noun for coverage messages, e.g. "SQL files". */
  description: string;
  matches(path: string): boolean;
  createSession(): ProjectSession<F, C>;
}

export interface ProjectSession<F extends ProjectFile = ProjectFile, C = unknown> {
  /** Loads what parsing needs (WASM parsers); called before every run. */
  prepare(): Promise<void>;
  /** Forgets every parsed file (the settings changed). */
  reset(): void;
  /**
   * Parses the inputs (re-using earlier results of unchanged files) in the order the analysis needs;
   * `pause(path)` is called before each file: it names the file for the watchdog, yields to the
   * event loop now and then and throws when the run is cancelled.
   */
  parse(inputs: readonly ProjectInput[], settings: PerfAuditSettings, pause: (path?: string) => Promise<void>): Promise<F[]>;
  /**
   * Builds the model from the parsed files; returns whether it differs from the last build, in which
   * case every file's findings are recomputed. `allPaths` lists every workspace file (fixes placed
   * beside existing files depend on them).
   */
  build(files: readonly F[], settings: PerfAuditSettings, allPaths: readonly string[]): boolean;
  /** What a rule sees for one file, beside the settings, the workspace texts and the reporter: a new object per call (the engine adds those to it). */
  contextFor(file: F, files: readonly F[]): C;
  /** Counts for the audit's statistics (e.g. sqlFiles, statements, parseErrors). */
  counts(files: readonly F[]): Record<string, number>;
  /** Checklist items the parsed files give evidence for, with what was checked. */
  coverage(files: readonly F[]): [ChecklistItemId, string][];
  /** What the analysis inferred at places of the files (shown on hover in the editor), spans in each file's text. */
  annotations?(files: readonly F[]): { file: string; span: Span; title: string; detail: string[] }[];
}

export type ProjectRuleContext<C> = C & {
  settings: PerfAuditSettings;
  /** Text of a workspace file, when known. */
  textOf: (path: string) => string | undefined;
  report: (r: RuleReport) => void;
};

export interface ProjectRule<C = any> {
  meta: RuleMeta;
  kind: 'project';
  /** The project analysis whose files this rule checks. */
  analysis: string;
  check(ctx: ProjectRuleContext<C>): void;
}

export type Rule = ProjectRule | FileRule;

/** Files a domain reads beyond those it matches by path (nginx `include`s), found by following them. */
export interface IncludeFollower {
  /** A change to this file may change what is included. */
  mayIncludeFiles(path: string): boolean;
  /** Files included by what `ws` holds, resolved against `listing`, not yet in `ws`. */
  pathsToRead(ws: WorkspaceView, listing: readonly string[]): string[];
  /** Include nesting followed at most (nginx's own limit). */
  maxDepth: number;
}

/**
 * One analyzer domain, as src/analyzers/<domain>/index.ts registers it. The registry derives the
 * rule list, the watched files, the settings schema and the README's rule table from these.
 */
export interface Analyzer {
  /** The folder name under src/analyzers, e.g. "nginx". */
  id: string;
  /** What the domain reads, as a heading: the README's rule table for the domain is titled with it (scripts/generate.ts), e.g. "nginx configs". */
  title: string;
  /** Globs (matched below any folder) of the files the domain may read: the editor watches these. */
  watch: readonly string[];
  /** Rules the engine runs, and rules run elsewhere but documented and configurable (Lighthouse audits, build output). */
  rules: readonly Rule[];
  /** Rule metas of rules the engine does not run (they still get docs, levels and SARIF metadata). */
  externalRules?: readonly RuleMeta[];
  gatherers?: readonly FileGatherer[];
  projects?: readonly ProjectAnalysis[];
  includes?: IncludeFollower;
  /**
   * The suppression comment for a line where the file's own comment syntax is not the answer (a line
   * inside an SQL template in TypeScript takes an SQL comment); undefined lets the next analyzer or
   * the default decide.
   */
  suppressionComment?(path: string, ruleId: string, indent: string, text: string, line: number): string | undefined;
}

export type { Fix, RelatedLocation };
