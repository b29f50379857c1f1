/**
 * The engine: holds the workspace's files, runs the registry's project analyses (SQL: parsed files
 * and the merged schema) and file gatherers once per content hash, runs every enabled rule, and
 * caches per-file results so that an edit re-parses only what changed and re-runs rules only where
 * a changed model (the schema) requires. It knows no analyzer: everything comes from the registry.
 */
import { createHash } from 'node:crypto';
import type { Annotation, ChecklistItemId, Finding, Fix, Range, Severity, SourceFile, Span } from './model.js';
import { compareFindings } from './model.js';
import { defaultSettings, ignoreMatcher, type PerfAuditSettings } from './settings.js';
import type { FileGatherer, FileRule, PendingFix, ProjectAnalysis, ProjectFile, ProjectRule, ProjectSession, Rule, RuleReport, WorkspaceView } from './contracts.js';
import { ENGINE_RULE_IDS, type AnalyzerRegistry } from './registry.js';
import { filterSuppressed } from './suppress.js';
import { isProbablyBinary, LineIndex } from './text.js';
import { throwIfCancelled, type CancellationToken } from './cancel.js';
import { redactSecrets } from './redact.js';

interface FileEntry {
  path: string;
  text: string;
  hash: string;
  lines?: LineIndex;
  /** Why the file is not analysed (too large, binary). */
  skipped?: string;
  /** Passed the size and binary checks for the current settings. */
  analysable?: boolean;
  /** Gathered artifacts by gatherer id, with the key they were computed for and the other files their gatherer read. */
  artifacts?: Map<string, { key: string; value: unknown; reads?: Map<string, string>; problems?: string[] }>;
}

export interface AuditStats {
  files: number;
  durationMs: number;
  /** Files with an artifact, per gatherer id. */
  gathered: Record<string, number>;
  /** What the project analyses counted (SQL: sqlFiles, statements, parseErrors). */
  counts: Record<string, number>;
}

export interface AuditResult {
  findings: Finding[];
  /** What the analyses inferred at places of the code (the editor shows them on hover). */
  annotations?: Annotation[];
  stats: AuditStats;
  /** Checklist items the project analyses had evidence for, with what was checked. */
  coverage: [ChecklistItemId, string][];
}

export { ENGINE_RULE_IDS };

interface ProjectState {
  analysis: ProjectAnalysis;
  session: ProjectSession;
  rules: readonly ProjectRule[];
  /** Findings per file for the current model + settings, keyed by the file's hash. */
  findingCache: Map<string, { hash: string; findings: Finding[] }>;
}

export class AuditEngine {
  private readonly files = new Map<string, FileEntry>();
  private settings: PerfAuditSettings = defaultSettings();
  private ignored: (path: string) => boolean = ignoreMatcher(this.settings);
  private readonly projects: ProjectState[];
  /** File-rule findings per gatherer and file, keyed by the artifact key. */
  private readonly fileFindingCache = new Map<string, { key: string; findings: Finding[] }>();
  private readonly fileRules: readonly FileRule[];
  private readonly gatherers: readonly FileGatherer[];
  private readonly ws: WorkspaceView = { paths: () => this.paths(), textOf: (p) => this.textOf(p), listing: () => this.fileListing };
  /** Every file of the workspace when the caller knows it (WorkspaceView.listing). */
  private fileListing?: readonly string[];
  private readonly textOfBound = (p: string): string | undefined => this.textOf(p);
  /** Bumped when a path is added or removed (what `paths()` returns changes). */
  private pathsVersion = 0;

  /** `rules` replaces the registry's rules (tests run one rule, or a rule of their own). */
  constructor(readonly registry: AnalyzerRegistry, rules: readonly Rule[] = registry.rules) {
    this.gatherers = registry.gatherers;
    this.fileRules = rules.filter((r): r is FileRule => r.kind === 'file');
    this.projects = registry.projects.map((analysis) => ({
      analysis,
      session: analysis.createSession(),
      rules: rules.filter((r): r is ProjectRule => r.kind === 'project' && r.analysis === analysis.id),
      findingCache: new Map(),
    }));
  }

  /** The file rules with their gatherer's description (for checklist coverage). */
  fileRuleCoverage(): { rule: FileRule; gatherer: FileGatherer }[] {
    return this.fileRules.flatMap((rule) => {
      const gatherer = this.gatherers.find((g) => g.id === rule.gatherer);
      return gatherer ? [{ rule, gatherer }] : [];
    });
  }

  get rules(): readonly Rule[] {
    return [...this.projects.flatMap((p) => p.rules), ...this.fileRules];
  }

  setSettings(settings: PerfAuditSettings): void {
    this.settings = settings;
    this.ignored = ignoreMatcher(settings);
    for (const p of this.projects) {
      p.findingCache.clear();
      p.session.reset();
    }
    this.fileFindingCache.clear();
    for (const f of this.files.values()) {
      f.analysable = undefined;
      if (!f.hash.startsWith('oversized:') && !f.hash.startsWith('unreadable:')) f.skipped = undefined;
    }
  }

  getSettings(): PerfAuditSettings {
    return this.settings;
  }

  /** Adds or replaces a file. Returns false when the content is unchanged. */
  setFile(path: string, text: string): boolean {
    const hash = createHash('sha1').update(text).digest('hex');
    const cur = this.files.get(path);
    if (cur && cur.hash === hash) return false;
    if (!cur) this.pathsVersion++;
    this.files.set(path, { path, text, hash });
    return true;
  }

  /** Registers a file too large to read: it is reported as skipped with its real size, never parsed. */
  /** Every file of the workspace, read or not (undefined: not known). File rules that read it run again when it changes. */
  setListing(paths: readonly string[] | undefined): void {
    const same = paths === this.fileListing || (paths && this.fileListing && paths.length === this.fileListing.length && paths.every((p, i) => p === this.fileListing![i]));
    if (same) return;
    this.fileListing = paths ? [...paths] : undefined;
    this.fileFindingCache.clear();
  }

  setOversized(path: string, bytes: number): void {
    const hash = `oversized:${bytes}`;
    if (this.files.get(path)?.hash === hash) return;
    if (!this.files.has(path)) this.pathsVersion++;
    this.files.set(path, { path, text: '', hash, skipped: `${(bytes / 1024).toFixed(0)} KB is over the ${this.settings.maxFileSizeKb} KB limit ("maxFileSizeKb")` });
  }

  /** Registers a file that could not be read (a link out of the workspace, a FIFO, invalid UTF-8…): reported as skipped with `why`. */
  setUnreadable(path: string, why: string): void {
    const hash = `unreadable:${why}`;
    if (this.files.get(path)?.hash === hash) return;
    if (!this.files.has(path)) this.pathsVersion++;
    this.files.set(path, { path, text: '', hash, skipped: why });
  }

  removeFile(path: string): void {
    if (this.files.delete(path)) this.pathsVersion++;
    for (const p of this.projects) p.findingCache.delete(path);
    for (const k of this.fileFindingCache.keys()) if (k.endsWith(`\u0000${path}`)) this.fileFindingCache.delete(k);
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  textOf(path: string): string | undefined {
    return this.files.get(path)?.text;
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  /** Loads what the project analyses need to parse (the PostgreSQL parser is WASM and loads asynchronously). */
  async prepare(): Promise<void> {
    for (const p of this.projects) await p.session.prepare();
  }

  /** Marks a file too large or binary as skipped; true when it may be analysed. */
  private analysable(f: FileEntry): boolean {
    if (f.analysable) return true;
    if (!f.skipped && f.text.length > this.settings.maxFileSizeKb * 1024) f.skipped = `${(f.text.length / 1024).toFixed(0)} KB is over the ${this.settings.maxFileSizeKb} KB limit ("maxFileSizeKb")`;
    else if (!f.skipped && isProbablyBinary(f.text)) f.skipped = 'it looks like a binary file';
    f.analysable = !f.skipped;
    return f.analysable;
  }

  /** A pause that yields to the event loop every ~15 ms (so a host such as VS Code stays responsive) and throws when cancelled. */
  /**
   * Called with each file's path before the engine works on it (parsing, gathering, rules): the
   * audit worker's watchdog (kernel/watchdog.ts) reads it to name a file whose analysis ran over its
   * time budget.
   */
  onFile?: (path: string) => void;

  private pacer(token?: CancellationToken): (path?: string) => Promise<void> {
    let slice = performance.now();
    return async (path?: string) => {
      if (path !== undefined) this.onFile?.(path);
      throwIfCancelled(token);
      if (performance.now() - slice > 15) {
        await new Promise<void>((r) => setImmediate(r));
        throwIfCancelled(token);
        slice = performance.now();
      }
    };
  }

  /**
   * Runs the audit. With `only`, findings are computed for those files only (others keep their
   * cached findings and are not returned). Rules never make the audit fail: a throwing rule becomes
   * one `rule-error` finding.
   */
  async run(opts: { only?: string[]; token?: CancellationToken } = {}): Promise<AuditResult> {
    const t0 = performance.now();
    await this.prepare();
    const findings: Finding[] = [];
    const only = opts.only ? new Set(opts.only) : undefined;
    const counts: Record<string, number> = {};
    const coverage: [ChecklistItemId, string][] = [];
    const annotations: Annotation[] = [];
    for (const p of this.projects) {
      const files = await this.runProject(p, findings, only, opts.token);
      for (const [k, n] of Object.entries(p.session.counts(files))) counts[k] = (counts[k] ?? 0) + n;
      coverage.push(...p.session.coverage(files));
      try {
        for (const a of p.session.annotations?.(files) ?? []) if (!only || only.has(a.file)) annotations.push({ file: a.file, range: this.toRange(a.file, a.span), title: redactSecrets(a.title), detail: a.detail.map(redactSecrets) });
      } catch {
        // Annotations are a convenience: a failure leaves the hover empty, never the audit.
      }
    }
    const gathered = await this.runFileRules(findings, only, opts.token);
    for (const f of this.files.values()) {
      if (f.skipped && !this.ignored(f.path) && (!only || only.has(f.path))) {
        findings.push({
          ruleId: ENGINE_RULE_IDS.fileSkipped, severity: 'info', message: `Perf Auditor skipped this file: ${f.skipped}.`, file: f.path,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, checklistItem: 'query-optimization', fixes: [], related: [],
        });
      }
    }
    findings.sort(compareFindings);
    return { findings, stats: { files: this.files.size, durationMs: performance.now() - t0, gathered, counts }, coverage, ...(annotations.length ? { annotations } : {}) };
  }

  /** Parses a project analysis's files, builds its model and runs its rules on each file (cached by hash while the model is unchanged). */
  private async runProject(p: ProjectState, out: Finding[], only: Set<string> | undefined, token?: CancellationToken): Promise<ProjectFile[]> {
    const pause = this.pacer(token);
    const inputs: FileEntry[] = [];
    for (const f of this.files.values()) if (p.analysis.matches(f.path) && !this.ignored(f.path) && this.analysable(f)) inputs.push(f);
    const files = await p.session.parse(inputs, this.settings, pause);
    if (p.session.build(files, this.settings, [...this.files.keys()])) p.findingCache.clear();
    for (const file of files) {
      if (only && !only.has(file.path)) continue;
      throwIfCancelled(token);
      const entry = this.files.get(file.path)!;
      const cached = p.findingCache.get(file.path);
      if (cached && cached.hash === entry.hash) {
        out.push(...cached.findings);
        continue;
      }
      this.onFile?.(file.path);
      const own: Finding[] = [];
      // One context object per file; only the reporter changes from rule to rule.
      const ctx = p.session.contextFor(file, files) as Record<string, unknown> & { report: unknown };
      ctx.settings = this.settings;
      ctx.textOf = this.textOfBound;
      for (const rule of p.rules) {
        if (this.settings.rules[rule.meta.id] === 'off') continue;
        try {
          ctx.report = this.reporter(rule, file.path, own);
          rule.check(ctx as Parameters<ProjectRule['check']>[0]);
        } catch (e) {
          own.push(this.engineError(file.path, `Rule ${rule.meta.id} failed on this file: ${(e as Error).message}. Please report this bug.`, rule.meta.checklistItem));
        }
      }
      const kept = capPerRule(filterSuppressed(own, (x) => this.textOf(x)));
      p.findingCache.set(file.path, { hash: entry.hash, findings: kept });
      out.push(...kept);
    }
    return files;
  }

  /** Gathers artifacts for every gatherer's files (cached by content) and runs the file rules over them. */
  private async runFileRules(out: Finding[], only: Set<string> | undefined, token?: CancellationToken): Promise<Record<string, number>> {
    const gathered: Record<string, number> = {};
    const pause = this.pacer(token);
    for (const g of this.gatherers) {
      const files = [...this.files.values()].filter((f) => !this.ignored(f.path) && g.matches(f.path));
      const wsKey = g.workspaceDependent ? createHash('sha1').update(files.map((f) => `${f.path}:${f.hash}`).join('\n')).digest('hex') : '';
      const artifacts: { path: string; artifact: unknown; key: string }[] = [];
      for (const f of files) {
        await pause(f.path);
        if (!this.analysable(f)) continue;
        const key = `${f.hash}:${wsKey}`;
        f.artifacts ??= new Map();
        let a = f.artifacts.get(g.id);
        if (!a || a.key !== key || (a.reads && !this.readsCurrent(a.reads))) {
          let value: unknown;
          // A workspace-dependent gatherer may read files no gatherer matches (nginx includes): what it read is part of the key.
          const reads = g.workspaceDependent ? new Map<string, string>() : undefined;
          const problems: string[] = [];
          try {
            value = g.gather(f.path, f.text, reads ? this.recordingView(g, reads) : this.ws, { add: (why) => void problems.push(why) });
          } catch (e) {
            value = undefined;
            out.push(this.engineError(f.path, `Reading this file as ${g.description} failed: ${(e as Error).message}. Please report this bug.`, 'compression'));
          }
          a = { key, value, ...(reads ? { reads } : {}), ...(problems.length ? { problems } : {}) };
          f.artifacts.set(g.id, a);
        }
        for (const why of a.problems ?? []) {
          if (only && !only.has(f.path)) break;
          const message = `Perf Auditor could not use this file (${g.description}): ${why}.`;
          if (!out.some((x) => x.file === f.path && x.message === message)) out.push(this.inputProblem(f.path, message));
        }
        const readsKey = a.reads?.size ? `:${createHash('sha1').update([...a.reads].join('\n')).digest('hex')}` : '';
        if (a.value !== undefined) artifacts.push({ path: f.path, artifact: a.value, key: key + readsKey });
      }
      gathered[g.id] = artifacts.length;
      const rules = this.fileRules.filter((r) => r.gatherer === g.id && this.settings.rules[r.meta.id] !== 'off');
      const artifactsOf = <U>(id: string): { path: string; artifact: U }[] => {
        const gg = this.gatherers.find((x) => x.id === id);
        if (!gg) return [];
        return [...this.files.values()].filter((f) => gg.matches(f.path)).map((f) => ({ path: f.path, artifact: f.artifacts?.get(id)?.value as U })).filter((x) => x.artifact !== undefined);
      };
      for (const a of artifacts) {
        if (only && !only.has(a.path)) continue;
        const cacheKey = `${g.id}\u0000${a.path}`;
        const cached = this.fileFindingCache.get(cacheKey);
        if (cached && cached.key === a.key) {
          out.push(...cached.findings);
          continue;
        }
        this.onFile?.(a.path);
        const own: Finding[] = [];
        const text = this.textOf(a.path) ?? '';
        for (const rule of rules) {
          try {
            rule.check({ path: a.path, text, artifact: a.artifact, settings: this.settings, ws: this.ws, artifactsOf, report: this.reporter(rule, a.path, own) });
          } catch (e) {
            own.push(this.engineError(a.path, `Rule ${rule.meta.id} failed on this file: ${(e as Error).message}. Please report this bug.`, rule.meta.checklistItem));
          }
        }
        const kept = capPerRule(filterSuppressed(own, (p) => this.textOf(p)));
        this.fileFindingCache.set(cacheKey, { key: a.key, findings: kept });
        out.push(...kept);
      }
    }
    return gathered;
  }

  /**
   * Records what a gatherer read beyond the files it matches (those are in its workspace key): each
   * file's hash ('' when absent or not readable), and the path list's version under "\u0000paths".
   */
  private recordingView(g: FileGatherer, reads: Map<string, string>): WorkspaceView {
    return {
      paths: () => {
        reads.set('\u0000paths', String(this.pathsVersion));
        return this.paths();
      },
      textOf: (p) => {
        const f = this.readable(p);
        if (!g.matches(p)) reads.set(p, f?.hash ?? '');
        return f?.text;
      },
    };
  }

  /** A file a gatherer may read: present and within the size limit (as a loader would have read it). */
  private readable(p: string): FileEntry | undefined {
    const f = this.files.get(p);
    return f && !f.hash.startsWith('oversized:') && !f.hash.startsWith('unreadable:') && f.text.length <= this.settings.maxFileSizeKb * 1024 ? f : undefined;
  }

  private readsCurrent(reads: Map<string, string>): boolean {
    for (const [p, h] of reads) {
      const now = p === '\u0000paths' ? String(this.pathsVersion) : (this.readable(p)?.hash ?? '');
      if (now !== h) return false;
    }
    return true;
  }

  /** An input the audit could not use (a file-skipped info finding on it). */
  private inputProblem(file: string, message: string): Finding {
    return { ruleId: ENGINE_RULE_IDS.fileSkipped, severity: 'info', file, message: redactSecrets(message), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, checklistItem: 'query-optimization', fixes: [], related: [] };
  }

  private engineError(file: string, message: string, checklistItem: Finding['checklistItem']): Finding {
    return { ruleId: ENGINE_RULE_IDS.ruleError, severity: 'error', file, message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, checklistItem, fixes: [], related: [] };
  }

  private reporter(rule: Rule, defaultFile: string, out: Finding[]): (r: RuleReport) => void {
    const level = this.settings.rules[rule.meta.id];
    const severity: Severity = level && level !== 'off' ? level : rule.meta.defaultSeverity;
    return (r) => {
      const path = r.file ?? defaultFile;
      out.push({
        ruleId: rule.meta.id,
        severity: level && level !== 'off' ? level : r.severity ?? severity,
        message: redactSecrets(r.message),
        file: path,
        range: this.toRange(path, r.span),
        checklistItem: rule.meta.checklistItem,
        fixes: (r.fixes ?? []).map((f) => this.toFix(f)),
        related: (r.related ?? []).map((x) => ({ file: x.file, range: this.toRange(x.file, x.span), message: redactSecrets(x.message) })),
        ...(r.data ? { data: r.data } : {}),
      });
    };
  }

  private lines(path: string): LineIndex | undefined {
    const f = this.files.get(path);
    if (!f) return undefined;
    f.lines ??= new LineIndex(f.text);
    return f.lines;
  }

  private toRange(path: string, span: Span): Range {
    const li = this.lines(path);
    if (!li) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return li.rangeOf(span.start, span.end);
  }

  private toFix(fix: PendingFix): Fix {
    return {
      title: fix.title,
      ...(fix.preferred ? { preferred: true } : {}),
      changes: fix.changes.map((c) => ({
        file: c.file,
        ...(c.create ? { create: c.create } : {}),
        ...(c.edits ? { edits: c.edits.map((e) => ({ range: this.toRange(c.file, e.span), newText: e.newText })) } : {}),
      })),
    };
  }
}

/** The most findings one rule reports in one file; the rest are summed up in one info finding. */
export const MAX_FINDINGS_PER_RULE_AND_FILE = 100;

/**
 * A generated or hostile file can hold 100,000 statements: its findings are capped per rule and file
 * (the first ones kept in report order), and one info finding says how many more there are.
 */
function capPerRule(findings: Finding[]): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_RULE_AND_FILE) return findings;
  const counts = new Map<string, number>();
  const out: Finding[] = [];
  const extra = new Map<string, { first: Finding; n: number }>();
  for (const f of findings) {
    const key = `${f.file}\u0000${f.ruleId}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n <= MAX_FINDINGS_PER_RULE_AND_FILE) out.push(f);
    else {
      const e = extra.get(key);
      if (e) e.n++;
      else extra.set(key, { first: f, n: 1 });
    }
  }
  for (const { first, n } of extra.values()) {
    out.push({
      ...first, severity: 'info', fixes: [], related: [], data: { omitted: n },
      message: `${n} more ${first.ruleId} finding${n === 1 ? '' : 's'} in this file are not listed (at most ${MAX_FINDINGS_PER_RULE_AND_FILE} per rule and file are); fix the ones above, or exclude a generated file with "ignore".`,
    });
  }
  return out;
}

/** Convenience: audit a set of in-memory files in one call. */
export async function auditSources(registry: AnalyzerRegistry, files: SourceFile[], settings: PerfAuditSettings = defaultSettings(), token?: CancellationToken): Promise<AuditResult> {
  const engine = new AuditEngine(registry);
  engine.setSettings(settings);
  for (const f of files) engine.setFile(f.path, f.text);
  return engine.run({ ...(token ? { token } : {}) });
}
