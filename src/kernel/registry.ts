/**
 * The analyzers an engine runs, and everything derived from them: the rule list, the gatherers and
 * project analyses, the watched files, which paths the audit reads, the rule ids settings may name,
 * and suppression comments. src/analyzers/registry.ts builds the one instance the adapters use.
 */
import type { Analyzer, FileGatherer, ProjectAnalysis, Rule, RuleMeta, WorkspaceView } from './contracts.js';
import { SETTINGS_FILE } from './settings.js';
import { KERNEL_WATCHED_GLOBS, watchedPathTest, watchGlobOf } from './watch.js';

/** Rule ids the engine itself reports. */
export const ENGINE_RULE_IDS = { ruleError: 'rule-error', fileSkipped: 'file-skipped' } as const;

export class AnalyzerRegistry {
  readonly rules: readonly Rule[];
  readonly gatherers: readonly FileGatherer[];
  readonly projects: readonly ProjectAnalysis[];
  /** Every documented rule: the engine's and those run elsewhere (Lighthouse audits, build output). */
  readonly ruleMetas: readonly RuleMeta[];
  readonly watchGlobs: readonly string[];
  /** The glob for VS Code's file search and watcher. */
  readonly watchGlob: string;
  /** Rule ids settings and suppression comments may name. */
  readonly knownRuleIds: ReadonlySet<string>;
  readonly isWatchedPath: (path: string) => boolean;

  constructor(readonly analyzers: readonly Analyzer[]) {
    const ids = new Set<string>();
    for (const a of analyzers) {
      if (ids.has(a.id)) throw new Error(`analyzer ${a.id} is registered twice`);
      ids.add(a.id);
    }
    this.rules = analyzers.flatMap((a) => a.rules);
    this.gatherers = analyzers.flatMap((a) => a.gatherers ?? []);
    this.projects = analyzers.flatMap((a) => a.projects ?? []);
    this.ruleMetas = analyzers.flatMap((a) => [...a.rules.map((r) => r.meta), ...(a.externalRules ?? [])]);
    const ruleIds = new Set<string>();
    for (const m of this.ruleMetas) {
      if (ruleIds.has(m.id)) throw new Error(`rule ${m.id} is registered twice`);
      ruleIds.add(m.id);
    }
    this.knownRuleIds = new Set([...ruleIds, ENGINE_RULE_IDS.ruleError, ENGINE_RULE_IDS.fileSkipped]);
    this.watchGlobs = [...new Set([...analyzers.flatMap((a) => a.watch), ...KERNEL_WATCHED_GLOBS])];
    this.watchGlob = watchGlobOf(this.watchGlobs);
    this.isWatchedPath = watchedPathTest(this.watchGlobs);
  }

  ruleById(id: string): Rule | undefined {
    return this.rules.find((r) => r.meta.id === id);
  }

  ruleMetaById(id: string): RuleMeta | undefined {
    return this.ruleMetas.find((m) => m.id === id);
  }

  /** The files the audit reads by their path (included files come on top: includedPathsToRead). */
  isRelevantPath(path: string): boolean {
    if (this.projects.some((p) => p.matches(path))) return true;
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (base === SETTINGS_FILE) return true;
    return this.gatherers.some((g) => g.matches(path));
  }

  /** A file whose change may change what is included (an nginx config): includedPathsToRead is asked again. */
  mayIncludeFiles(path: string): boolean {
    return this.analyzers.some((a) => a.includes?.mayIncludeFiles(path));
  }

  /**
   * Files the audited files read although their paths are not relevant on their own (what nginx
   * configs include), resolved against `listing` (every file of the workspace) and not yet in `ws`.
   * Loaders read these too, and ask again after reading them until nothing new is returned.
   */
  includedPathsToRead(ws: WorkspaceView, listing: readonly string[]): string[] {
    return [...new Set(this.analyzers.flatMap((a) => a.includes?.pathsToRead(ws, listing) ?? []))];
  }

  /** How many rounds of includes a loader follows at most. */
  get maxIncludeDepth(): number {
    return Math.max(0, ...this.analyzers.map((a) => a.includes?.maxDepth ?? 0));
  }

  /** The comment to insert above `line` to silence `ruleId` there, in the file's comment syntax. */
  disableNextLineComment(path: string, ruleId: string, indent: string, text?: string, line?: number): string {
    if (text !== undefined && line !== undefined) {
      for (const a of this.analyzers) {
        const c = a.suppressionComment?.(path, ruleId, indent, text, line);
        if (c !== undefined) return c;
      }
    }
    return defaultDisableNextLineComment(path, ruleId, indent);
  }
}

/** The suppression comment in the comment syntax the file's name implies. */
export function defaultDisableNextLineComment(path: string, ruleId: string, indent: string): string {
  const sql = /\.(sql|ddl|psql|pgsql)$/i.test(path);
  const hash = /\.(conf|toml|ya?ml|py|rb|env|nginx|conf\.template|types)$/i.test(path) || /(^|\/)(nginx[^/]*|\.htaccess|_headers|\.env(\.[\w.-]+)?)$/i.test(path) || /(^|\/)sites-(available|enabled)\//.test(path);
  const lead = sql ? '--' : hash ? '#' : '//';
  return `${indent}${lead} perf-audit-disable-next-line ${ruleId}\n`;
}
