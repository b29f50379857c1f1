/**
 * The extension's context: owns every disposable, the engine, the diagnostics and the views.
 * Heavy core modules are loaded on first use (dynamic import), keeping activation fast.
 */
import * as vscode from 'vscode';
import type { AuditWorkerHost } from '../kernel/watchdog.js';
import type { Finding } from '../kernel/model.js';
import type { WorkspaceAudit } from '../kernel/audit.js';
import { PathMapper } from './paths.js';
import { diagnosticKey, toDiagnostic } from './convert.js';
import type { Node } from './nodes.js';
import type { BaselineDiff } from '../kernel/baseline.js';

import { REGISTRY } from '../analyzers/registry.js';
import { localFileInside, readWorkspaceFile } from '../kernel/files.js';
import { readWorkspaceText } from './files.js';

/**
 * Every file kind some analyzer reads (the registry's watch globs, nginx includes such as `*.conf`,
 * `*.inc` among them). The core re-checks each path with isRelevantPath; a watched file that is not
 * relevant on its own is read when an audited config includes it.
 */
export const WATCH_GLOB = REGISTRY.watchGlob;
export const isWatchedPath = REGISTRY.isWatchedPath;
/** The most files an audit reads whatever "perfAuditor.maxFiles" says (a workspace setting cannot make the editor read millions). */
const MAX_FILES_LIMIT = 50_000;
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,build,out,coverage,.next,vendor,.vscode-test}/**';

type Core = typeof import('../analyzers/index.js');

/** What the context needs of the checklist view: a refresh, and a tree data provider to show. */
export interface ChecklistView extends vscode.TreeDataProvider<Node> {
  refresh(): void;
}

export class Ctx implements vscode.Disposable {
  readonly disposables: vscode.Disposable[] = [];
  readonly output = vscode.window.createOutputChannel('Perf Auditor', { log: true });
  readonly diagnostics = vscode.languages.createDiagnosticCollection('perf-auditor');
  readonly paths = new PathMapper();
  /** Findings of the last run by diagnostic key per file, for code actions. */
  private findingsByKey = new Map<string, Map<string, Finding>>();
  private core?: Core;
  /** The workspace's files, audited in a worker thread with a per-file time budget (never on the extension host). */
  private engine?: AuditWorkerHost;
  private initialized?: Promise<void>;
  private debounce?: NodeJS.Timeout;
  /** Every watched file of the workspace (read or not): included files are resolved against these. */
  private readonly listing = new Set<string>();
  /** Included files that could not be read (not retried until they change). */
  private readonly unreadIncludes = new Set<string>();
  private running?: vscode.CancellationTokenSource;
  private lastAudit?: WorkspaceAudit;
  private readonly onDidAuditEmitter = new vscode.EventEmitter<WorkspaceAudit>();
  readonly onDidAudit = this.onDidAuditEmitter.event;
  /** The checklist view (tree.ts), set by main.ts. */
  tree?: ChecklistView;
  /** New / fixed findings compared with .perfaudit-baseline.json, when it exists. */
  baselineDiff?: BaselineDiff;
  baselineCreated?: string;
  /** Memory view nodes and summary, provided by the memory integration. */
  memoryNodes: () => Node[] = () => [];
  memorySummary: () => string | undefined = () => undefined;
  /** Checklist evidence from other analyses (Lighthouse, bundle), merged into every audit's checklist. */
  readonly evidence = new Map<string, import('../kernel/checklist.js').ExternalItemEvidence>();
  /** Bundle view nodes, provided by the bundle integration. */
  bundleNodes: () => Node[] = () => [];
  /** Dated audit history for trend charts (from performance-data.md). */
  memoryHistory: () => Promise<import('../kernel/report/markdown.js').HistoryEntry[]> = () => Promise.resolve([]);

  constructor(readonly extension: vscode.ExtensionContext) {
    this.disposables.push(this.output, this.diagnostics, this.onDidAuditEmitter);
  }

  get audit(): WorkspaceAudit | undefined {
    return this.lastAudit;
  }

  get enabled(): boolean {
    return vscode.workspace.getConfiguration('perfAuditor').get<boolean>('enable', true);
  }

  async loadCore(): Promise<Core> {
    this.core ??= await import('../analyzers/index.js');
    return this.core;
  }

  /** Reads config and every relevant workspace file once. */
  ensureInitialized(token?: vscode.CancellationToken): Promise<void> {
    this.initialized ??= this.initialize(token).catch((e: unknown) => {
      this.initialized = undefined;
      throw e;
    });
    return this.initialized;
  }

  private async initialize(token?: vscode.CancellationToken): Promise<void> {
    const t0 = Date.now();
    const core = await this.loadCore();
    this.engine = core.createAuditWorkerHost();
    this.engine.warmUp();
    await this.reloadConfig();
    const maxFiles = Math.min(Math.max(1, vscode.workspace.getConfiguration('perfAuditor').get<number>('maxFiles', 5000)), MAX_FILES_LIMIT);
    const uris = await vscode.workspace.findFiles(WATCH_GLOB, EXCLUDE_GLOB, maxFiles, token);
    if (uris.length >= maxFiles) this.output.warn(`Only the first ${maxFiles} files are audited ("perfAuditor.maxFiles").`);
    const openDocs = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    let read = 0;
    for (const uri of uris) {
      if (token?.isCancellationRequested) break;
      const path = this.paths.toPath(uri);
      if (path) this.listing.add(path);
      if (!path || path.endsWith('.perfauditrc.json') || path.endsWith('.perfaudit-baseline.json') || !core.isRelevantPath(path)) continue;
      // An editor's text (a restored editor, or the document whose opening activated us) only for a
      // file the file layer would read: a document opened through a link out of the workspace is
      // read through readInto, which refuses it like the file on disk (a file-skipped finding).
      const open = openDocs.get(uri.toString());
      if (open && (await this.readableLocally(uri))) {
        this.engine.setFile(path, open.getText());
        continue;
      }
      if (await this.readInto(uri, path)) read++;
    }
    read += await this.readIncludes(token);
    this.output.info(`Indexed ${uris.length} files (${read} read from disk) in ${Date.now() - t0} ms`);
  }

  /** Verdicts of readableLocally by URI (cleared when files are created, deleted or renamed). */
  private readonly localVerdicts = new Map<string, boolean>();

  /** A local file whose real path is a regular file inside its workspace folder (other schemes, unsaved files: yes). */
  private async readableLocally(uri: vscode.Uri): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (uri.scheme !== 'file' || folder?.uri.scheme !== 'file') return true;
    const key = uri.toString();
    let ok = this.localVerdicts.get(key);
    if (ok === undefined) {
      ok = await localFileInside(folder.uri.fsPath, uri.fsPath);
      this.localVerdicts.set(key, ok);
    }
    return ok;
  }

  private async readInto(uri: vscode.Uri, path: string): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (uri.scheme === 'file' && folder?.uri.scheme === 'file') {
      // Local files go through the kernel's file layer, as the CLI's: VS Code's findFiles follows
      // symbolic links, the file layer refuses links that leave the workspace, FIFOs and devices.
      const limit = (this.engine!.getSettings().maxFileSizeKb ?? 2048) * 1024;
      const r = await readWorkspaceFile(folder.uri.fsPath, uri.fsPath, { maxBytes: limit });
      if (r.ok) {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        return this.engine!.setFile(path, open ? open.getText() : r.text);
      }
      if (r.refusal === 'missing') return false;
      if (r.refusal === 'too-large') this.engine!.setOversized(path, limit + 1);
      else this.engine!.setUnreadable(path, r.why);
      return true;
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      const limit = (this.engine!.getSettings().maxFileSizeKb ?? 2048) * 1024;
      if (stat.size > limit) {
        this.engine!.setOversized(path, stat.size);
        return true;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      // An open editor's text is newer than the disk (unsaved edits, or an edit made while reading).
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return this.engine!.setFile(path, open ? open.getText() : new TextDecoder('utf-8').decode(bytes));
    } catch (e) {
      this.output.warn(`Could not read ${path}: ${(e as Error).message}`);
      return false;
    }
  }

  /**
   * Reads the files the audited configs include although their paths are not relevant on their own
   * (nginx `include snippets/gzip.conf;`), and what those include in turn. Returns how many were read.
   */
  private async readIncludes(token?: vscode.CancellationToken): Promise<number> {
    const core = await this.loadCore();
    let read = 0;
    for (let round = 0; round <= 16 && !token?.isCancellationRequested; round++) {
      const more = core.includedPathsToRead(this.engine!, [...this.listing]).filter((p) => !this.unreadIncludes.has(p));
      if (!more.length) break;
      for (const p of more) {
        const uri = this.paths.toUri(p);
        if (uri && await this.readInto(uri, p)) read++;
        else this.unreadIncludes.add(p);
      }
    }
    return read;
  }

  async reloadConfig(): Promise<void> {
    const core = await this.loadCore();
    const folder = vscode.workspace.workspaceFolders?.[0];
    let text = '{}';
    if (folder) {
      try {
        text = await readWorkspaceText(vscode.Uri.joinPath(folder.uri, core.SETTINGS_FILE));
      } catch {
        // no config file: defaults
      }
    }
    const { settings: config, problems } = core.parseSettings(text);
    const dialect = vscode.workspace.getConfiguration('perfAuditor').get<string>('sql.dialect', 'auto');
    if (dialect !== 'auto' && !config.sql.dialect) config.sql.dialect = core.normalizeDialect(dialect);
    for (const p of problems) this.output.warn(p.message);
    this.engine?.setSettings(config);
  }

  /** A document changed in the editor or on disk: update the engine and re-audit after the debounce. */
  async fileChanged(uri: vscode.Uri, text?: string): Promise<void> {
    if (!this.engine) return;
    if (text === undefined) this.localVerdicts.delete(uri.toString());
    const path = this.paths.toPath(uri);
    if (!path) return;
    if (path.endsWith('.perfauditrc.json')) {
      await this.reloadConfig();
      this.schedule(0);
      return;
    }
    if (path.endsWith('.perfaudit-baseline.json')) {
      this.schedule(0);
      return;
    }
    if (!this.core) return;
    if (isWatchedPath(path)) this.listing.add(path);
    this.unreadIncludes.delete(path);
    if (!this.core.isRelevantPath(path) && !this.engine.hasFile(path)) {
      // A new file on disk may be one an nginx config includes.
      if (text === undefined && isWatchedPath(path) && await this.readIncludes() > 0) this.schedule();
      return;
    }
    // An editor's text is used only for a file the file layer would read: a document opened through a
    // link out of the workspace (or a FIFO) is refused like the file on disk.
    if (text !== undefined && !(await this.readableLocally(uri))) text = undefined;
    let changed = text !== undefined ? this.engine.setFile(path, text) : await this.readInto(uri, path);
    // An edited nginx config may include other files now.
    if (changed && this.core.mayIncludeFiles(path)) changed = (await this.readIncludes()) > 0 || changed;
    if (changed) this.schedule();
  }

  fileDeleted(uri: vscode.Uri): void {
    this.localVerdicts.delete(uri.toString());
    const path = this.paths.toPath(uri);
    if (!path || !this.engine) return;
    if (path.endsWith('.perfauditrc.json')) {
      void this.reloadConfig().then(() => this.schedule(0));
      return;
    }
    this.listing.delete(path);
    this.unreadIncludes.delete(path);
    this.engine.removeFile(path);
    this.diagnostics.delete(uri);
    this.paths.forget(path);
    this.schedule();
  }

  schedule(delay = vscode.workspace.getConfiguration('perfAuditor').get<number>('debounceMs', 300)): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.runAudit().catch((e: unknown) => this.output.error(`Audit failed: ${(e as Error).stack ?? String(e)}`));
    }, delay);
  }

  /** Runs the audit (incremental: unchanged files reuse cached results) and publishes diagnostics. */
  async runAudit(token?: vscode.CancellationToken): Promise<WorkspaceAudit | undefined> {
    if (!this.enabled) return undefined;
    await this.ensureInitialized(token);
    this.running?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.running = cts;
    const sub = token?.onCancellationRequested(() => cts.cancel());
    try {
      const core = await this.loadCore();
      let audit = await this.engine!.audit({ token: cts.token });
      if (!audit || cts.token.isCancellationRequested) return undefined;
      if (this.evidence.size) {
        let checklist = audit.checklist;
        for (const ev of this.evidence.values()) checklist = core.mergeEvidence(checklist, ev);
        audit = { ...audit, checklist, score: core.score(checklist) };
      }
      this.publish(audit.findings);
      await this.loadBaseline(audit.findings);
      this.lastAudit = audit;
      this.onDidAuditEmitter.fire(audit);
      this.output.debug(`Audit: ${audit.findings.length} findings, ${audit.stats.counts.statements ?? 0} statements, ${audit.stats.durationMs.toFixed(1)} ms`);
      return audit;
    } catch (e) {
      if ((e as Error).name === 'CancelledError') return undefined;
      throw e;
    } finally {
      sub?.dispose();
      if (this.running === cts) this.running = undefined;
      cts.dispose();
    }
  }

  /** Compares the findings with the workspace's recorded baseline (if any). */
  private async loadBaseline(findings: Finding[]): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    const { BASELINE_FILE, diffBaseline, parseBaseline } = await import('../kernel/baseline.js');
    try {
      const text = await readWorkspaceText(vscode.Uri.joinPath(folder.uri, BASELINE_FILE));
      const baseline = parseBaseline(text);
      this.baselineDiff = diffBaseline(findings, baseline);
      this.baselineCreated = baseline.created;
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError) && (e as Error).name !== 'EntryNotFound (FileSystemError)') this.output.warn(`Baseline not used: ${(e as Error).message}`);
      this.baselineDiff = undefined;
      this.baselineCreated = undefined;
    }
  }

  engineConfig(): import('../kernel/settings.js').PerfAuditSettings | undefined {
    return this.engine?.getSettings();
  }

  private publish(findings: Finding[]): void {
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = byFile.get(f.file) ?? [];
      list.push(f);
      byFile.set(f.file, list);
    }
    const keys = new Map<string, Map<string, Finding>>();
    const entries: [vscode.Uri, vscode.Diagnostic[]][] = [];
    for (const path of this.engine!.paths()) {
      const uri = this.paths.toUri(path);
      if (!uri) continue;
      const list = byFile.get(path) ?? [];
      const m = new Map<string, Finding>();
      for (const f of list) m.set(diagnosticKey(f.ruleId, f.range, f.message), f);
      keys.set(uri.toString(), m);
      entries.push([uri, list.map((f) => toDiagnostic(f, this.paths))]);
    }
    this.findingsByKey = keys;
    this.diagnostics.clear();
    this.diagnostics.set(entries.filter(([, d]) => d.length));
  }

  findingFor(uri: vscode.Uri, d: vscode.Diagnostic): Finding | undefined {
    const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
    return this.findingsByKey.get(uri.toString())?.get(diagnosticKey(code, d.range, d.message));
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.engine?.dispose();
    this.running?.cancel();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
