/**
 * The engine: holds the workspace's files, gathers artifacts once (parsed SQL per file, the merged
 * schema), runs every enabled rule, and caches per-file results by content hash so that an edit
 * re-parses only the changed statements and re-runs rules only where the schema change requires.
 */
import { createHash } from 'node:crypto';
import type { Finding, Fix, Range, Severity, SourceFile } from './model.js';
import { compareFindings } from './model.js';
import { defaultConfig, ignoreMatcher, type PerfAuditConfig } from './settings.js';
import { ALL_RULES } from '../analyzers/registry.js';
import type { FileGatherer, FileRule, PendingFix, Rule, RuleReport, SqlRule, WorkspaceView } from './contracts.js';
import { ALL_GATHERERS } from '../analyzers/gatherers-old.js';
import { parseSqlFile, sqlFileKind, StatementParser, type ParsedSqlFile } from '../analyzers/sql/analyze.js';
import { Schema } from '../analyzers/sql/schema.js';
import type { Dialect, SchemaFragment, Span } from '../analyzers/sql/types.js';
import { filterSuppressed } from './suppress.js';
import { isProbablyBinary, LineIndex } from './text.js';
import { throwIfCancelled, type CancellationToken } from './cancel.js';

interface FileEntry {
  path: string;
  text: string;
  hash: string;
  lines?: LineIndex;
  parsed?: ParsedSqlFile;
  /** Why the file is not analysed (too large, binary). */
  skipped?: string;
  /** Gathered artifacts by gatherer id, with the key they were computed for and the other files their gatherer read. */
  artifacts?: Map<string, { key: string; value: unknown; reads?: Map<string, string> }>;
}

export interface AuditStats {
  files: number;
  sqlFiles: number;
  statements: number;
  parseErrors: number;
  durationMs: number;
  /** Files with an artifact, per gatherer id. */
  gathered: Record<string, number>;
}

export interface AuditResult {
  findings: Finding[];
  stats: AuditStats;
}

export const ENGINE_RULE_IDS = { ruleError: 'rule-error', fileSkipped: 'file-skipped' } as const;

export class AuditEngine {
  private readonly files = new Map<string, FileEntry>();
  private readonly parser = new StatementParser();
  private config: PerfAuditConfig = defaultConfig();
  private ignored: (path: string) => boolean = ignoreMatcher(this.config);
  private schema?: Schema;
  /** What the schema was built from; fragments are never mutated once parsed, so an unchanged file keeps the same object. */
  private schemaInputs?: { dialect: Dialect | undefined; fragments: SchemaFragment[]; sqlPaths: string[] };
  /** Findings per file for the current schema signature + config. */
  private readonly findingCache = new Map<string, { hash: string; findings: Finding[] }>();
  /** File-rule findings per gatherer and file, keyed by the artifact key. */
  private readonly fileFindingCache = new Map<string, { key: string; findings: Finding[] }>();
  private readonly sqlRules: readonly SqlRule[];
  private readonly fileRules: readonly FileRule[];
  private readonly ws: WorkspaceView = { paths: () => this.paths(), textOf: (p) => this.textOf(p) };
  /** Bumped when a path is added or removed (what `paths()` returns changes). */
  private pathsVersion = 0;

  constructor(rules: readonly Rule[] = ALL_RULES, private readonly gatherers: readonly FileGatherer[] = ALL_GATHERERS) {
    this.sqlRules = rules.filter((r): r is SqlRule => r.kind === 'sql');
    this.fileRules = rules.filter((r): r is FileRule => r.kind === 'file');
  }

  /** The file rules with their gatherer's description (for checklist coverage). */
  fileRuleCoverage(): { rule: FileRule; gatherer: FileGatherer }[] {
    return this.fileRules.flatMap((rule) => {
      const gatherer = this.gatherers.find((g) => g.id === rule.gatherer);
      return gatherer ? [{ rule, gatherer }] : [];
    });
  }

  get rules(): readonly Rule[] {
    return [...this.sqlRules, ...this.fileRules];
  }

  setConfig(config: PerfAuditConfig): void {
    this.config = config;
    this.ignored = ignoreMatcher(config);
    this.findingCache.clear();
    this.fileFindingCache.clear();
    for (const f of this.files.values()) {
      f.parsed = undefined;
      if (!f.hash.startsWith('oversized:')) f.skipped = undefined;
    }
    this.schema = undefined;
  }

  schemaTableCount(): number {
    return this.schema?.tables.size ?? 0;
  }

  getConfig(): PerfAuditConfig {
    return this.config;
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
  setOversized(path: string, bytes: number): void {
    const hash = `oversized:${bytes}`;
    if (this.files.get(path)?.hash === hash) return;
    if (!this.files.has(path)) this.pathsVersion++;
    this.files.set(path, { path, text: '', hash, skipped: `${(bytes / 1024).toFixed(0)} KB is over the ${this.config.maxFileSizeKb} KB limit ("maxFileSizeKb")` });
  }

  removeFile(path: string): void {
    if (this.files.delete(path)) this.pathsVersion++;
    this.findingCache.delete(path);
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

  /** Loads parsers needed by the files present (the PostgreSQL parser is WASM and loads asynchronously). */
  async prepare(): Promise<void> {
    const dialects = new Set<Dialect>(['postgresql']);
    await this.parser.ready(dialects);
  }

  /** Parses what changed. Yields to the event loop every ~15 ms so a host (VS Code) stays responsive. */
  private async gather(token?: CancellationToken): Promise<ParsedSqlFile[]> {
    const limit = this.config.maxFileSizeKb * 1024;
    let slice = performance.now();
    const parseOne = async (f: FileEntry, fallback: Dialect | undefined): Promise<void> => {
      throwIfCancelled(token);
      if (performance.now() - slice > 15) {
        await new Promise<void>((r) => setImmediate(r));
        throwIfCancelled(token);
        slice = performance.now();
      }
      if (f.parsed && (f.parsed.kind !== 'code' || f.parsed.dialect === (this.config.sql.dialect ?? fallback ?? 'postgresql'))) return;
      if (f.skipped) return;
      if (f.text.length > limit) f.skipped = `${(f.text.length / 1024).toFixed(0)} KB is over the ${this.config.maxFileSizeKb} KB limit ("maxFileSizeKb")`;
      else if (isProbablyBinary(f.text)) f.skipped = 'it looks like a binary file';
      else f.parsed = parseSqlFile(f.path, f.text, this.parser, this.config.sql.dialect, fallback);
    };
    const entries = [...this.files.values()].filter((f) => sqlFileKind(f.path) && !this.ignored(f.path));
    // Schema-bearing files first: their dialect is the default for SQL embedded in code.
    for (const f of entries) if (sqlFileKind(f.path) !== 'code') await parseOne(f, undefined);
    const fallback = majorityDialect(entries.map((f) => f.parsed).filter((p): p is ParsedSqlFile => !!p));
    for (const f of entries) if (sqlFileKind(f.path) === 'code') await parseOne(f, fallback);
    return entries.map((f) => f.parsed).filter((p): p is ParsedSqlFile => !!p);
  }

  private buildSchema(parsed: ParsedSqlFile[]): void {
    const fragments = parsed.map((p) => p.fragment).filter((f) => f.tables.length || f.indexes.length || f.foreignKeys.length || f.primaryKeys.length || f.dropped.tables.length || f.dropped.indexes.length || f.addedColumns?.length);
    const dialect = this.config.sql.dialect ?? majorityDialect(parsed);
    // Fixes depend on more than the schema: a new index goes into a new migration numbered after the
    // SQL files present, so adding or removing any SQL file (even one without DDL) invalidates them.
    const sqlPaths = [...this.files.keys()].filter((p) => sqlFileKind(p) === 'sql').sort();
    // Compared with the inputs of the last build, not hashed: a re-parsed file's fragment is compared
    // as JSON with its predecessor, an unchanged file's (the same object) costs nothing.
    const prev = this.schemaInputs;
    const unchanged = !!prev && prev.dialect === dialect
      && sameItems(prev.sqlPaths, sqlPaths, (a, b) => a === b)
      && sameItems(prev.fragments, fragments, (a, b) => a === b || JSON.stringify(a) === JSON.stringify(b));
    if (!unchanged || !this.schema) {
      this.schema = Schema.build(fragments, dialect);
      this.findingCache.clear();
    }
    this.schemaInputs = { dialect, fragments, sqlPaths };
  }

  /**
   * Runs the audit. With `only`, findings are computed for those files only (others keep their
   * cached findings and are not returned). Rules never make the audit fail: a throwing rule becomes
   * one `rule-error` finding.
   */
  async run(opts: { only?: string[]; token?: CancellationToken } = {}): Promise<AuditResult> {
    const t0 = performance.now();
    await this.prepare();
    const parsed = await this.gather(opts.token);
    this.buildSchema(parsed);
    const schema = this.schema!;
    const findings: Finding[] = [];
    const only = opts.only ? new Set(opts.only) : undefined;
    let statements = 0;
    let parseErrors = 0;
    for (const file of parsed) {
      statements += file.statements.length;
      parseErrors += file.statements.filter((s) => s.error).length;
      if (only && !only.has(file.path)) continue;
      throwIfCancelled(opts.token);
      const entry = this.files.get(file.path)!;
      const cached = this.findingCache.get(file.path);
      if (cached && cached.hash === entry.hash) {
        findings.push(...cached.findings);
        continue;
      }
      const own = this.checkFile(file, schema, parsed);
      this.findingCache.set(file.path, { hash: entry.hash, findings: own });
      findings.push(...own);
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
    return {
      findings,
      stats: { files: this.files.size, sqlFiles: parsed.length, statements, parseErrors, durationMs: performance.now() - t0, gathered },
    };
  }

  /** Gathers artifacts for every gatherer's files (cached by content) and runs the file rules over them. */
  private async runFileRules(out: Finding[], only: Set<string> | undefined, token?: CancellationToken): Promise<Record<string, number>> {
    const gathered: Record<string, number> = {};
    const limit = this.config.maxFileSizeKb * 1024;
    let slice = performance.now();
    for (const g of this.gatherers) {
      const files = [...this.files.values()].filter((f) => !this.ignored(f.path) && g.matches(f.path));
      const wsKey = g.workspaceDependent ? createHash('sha1').update(files.map((f) => `${f.path}:${f.hash}`).join('\n')).digest('hex') : '';
      const artifacts: { path: string; artifact: unknown; key: string }[] = [];
      for (const f of files) {
        throwIfCancelled(token);
        if (performance.now() - slice > 15) {
          await new Promise<void>((r) => setImmediate(r));
          throwIfCancelled(token);
          slice = performance.now();
        }
        if (!f.skipped && f.text.length > limit) f.skipped = `${(f.text.length / 1024).toFixed(0)} KB is over the ${this.config.maxFileSizeKb} KB limit ("maxFileSizeKb")`;
        else if (!f.skipped && isProbablyBinary(f.text)) f.skipped = 'it looks like a binary file';
        if (f.skipped) continue;
        const key = `${f.hash}:${wsKey}`;
        f.artifacts ??= new Map();
        let a = f.artifacts.get(g.id);
        if (!a || a.key !== key || (a.reads && !this.readsCurrent(a.reads))) {
          let value: unknown;
          // A workspace-dependent gatherer may read files no gatherer matches (nginx includes): what it read is part of the key.
          const reads = g.workspaceDependent ? new Map<string, string>() : undefined;
          try {
            value = g.gather(f.path, f.text, reads ? this.recordingView(g, reads) : this.ws);
          } catch (e) {
            value = undefined;
            out.push(this.engineError(f.path, `Reading this file as ${g.description} failed: ${(e as Error).message}. Please report this bug.`, 'compression'));
          }
          a = { key, value, ...(reads ? { reads } : {}) };
          f.artifacts.set(g.id, a);
        }
        const readsKey = a.reads?.size ? `:${createHash('sha1').update([...a.reads].join('\n')).digest('hex')}` : '';
        if (a.value !== undefined) artifacts.push({ path: f.path, artifact: a.value, key: key + readsKey });
      }
      gathered[g.id] = artifacts.length;
      const rules = this.fileRules.filter((r) => r.gatherer === g.id && this.config.rules[r.meta.id] !== 'off');
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
        const own: Finding[] = [];
        const text = this.textOf(a.path) ?? '';
        for (const rule of rules) {
          try {
            rule.check({ path: a.path, text, artifact: a.artifact, config: this.config, ws: this.ws, artifactsOf, report: this.reporter(rule, a.path, own) });
          } catch (e) {
            own.push(this.engineError(a.path, `Rule ${rule.meta.id} failed on this file: ${(e as Error).message}. Please report this bug.`, rule.meta.checklistItem));
          }
        }
        const kept = filterSuppressed(own, (p) => this.textOf(p));
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
    return f && !f.hash.startsWith('oversized:') && f.text.length <= this.config.maxFileSizeKb * 1024 ? f : undefined;
  }

  private readsCurrent(reads: Map<string, string>): boolean {
    for (const [p, h] of reads) {
      const now = p === '\u0000paths' ? String(this.pathsVersion) : (this.readable(p)?.hash ?? '');
      if (now !== h) return false;
    }
    return true;
  }

  private engineError(file: string, message: string, checklistItem: Finding['checklistItem']): Finding {
    return { ruleId: ENGINE_RULE_IDS.ruleError, severity: 'error', file, message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, checklistItem, fixes: [], related: [] };
  }

  private reporter(rule: Rule, defaultFile: string, out: Finding[]): (r: RuleReport) => void {
    const level = this.config.rules[rule.meta.id];
    const severity: Severity = level && level !== 'off' ? level : rule.meta.defaultSeverity;
    return (r) => {
      const path = r.file ?? defaultFile;
      out.push({
        ruleId: rule.meta.id,
        severity: level && level !== 'off' ? level : r.severity ?? severity,
        message: r.message,
        file: path,
        range: this.toRange(path, r.span),
        checklistItem: rule.meta.checklistItem,
        fixes: (r.fixes ?? []).map((f) => this.toFix(f)),
        related: (r.related ?? []).map((x) => ({ file: x.file, range: this.toRange(x.file, x.span), message: x.message })),
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

  private checkFile(file: ParsedSqlFile, schema: Schema, all: ParsedSqlFile[]): Finding[] {
    const out: Finding[] = [];
    for (const rule of this.sqlRules) {
      if (this.config.rules[rule.meta.id] === 'off') continue;
      try {
        rule.check({ file, schema, config: this.config, allFiles: all, textOf: (p) => this.textOf(p), report: this.reporter(rule, file.path, out) });
      } catch (e) {
        out.push(this.engineError(file.path, `Rule ${rule.meta.id} failed on this file: ${(e as Error).message}. Please report this bug.`, rule.meta.checklistItem));
      }
    }
    return filterSuppressed(out, (p) => this.textOf(p));
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, k) => same(x, b[k]));
}

function majorityDialect(files: ParsedSqlFile[]): Dialect | undefined {
  const counts = new Map<Dialect, number>();
  for (const f of files) if (f.kind === 'sql' && f.fragment.tables.length) counts.set(f.dialect, (counts.get(f.dialect) ?? 0) + f.fragment.tables.length);
  let best: Dialect | undefined;
  for (const [d, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Convenience: audit a set of in-memory files in one call. */
export async function auditSources(files: SourceFile[], config: PerfAuditConfig = defaultConfig(), token?: CancellationToken): Promise<AuditResult> {
  const engine = new AuditEngine();
  engine.setConfig(config);
  for (const f of files) engine.setFile(f.path, f.text);
  return engine.run({ ...(token ? { token } : {}) });
}
