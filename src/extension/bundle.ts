/**
 * Bundle features of the extension:
 * - "Perf Auditor: Analyze Bundle": sizes the build outputs through vscode.workspace.fs (cancellable,
 *   with progress), publishes the findings in their own diagnostic collection, keeps the data the
 *   sidebar shows (entries, packages) and opens the treemap;
 * - "Perf Auditor: Show Bundle Treemap": the treemap webview (strict CSP, fresh nonce per render,
 *   theme colours; one panel at a time);
 * - inline import cost: the gzip size after each package import of JS/TS editors, coloured by
 *   threshold, computed by esbuild in a child process (analyzers/bundle/importcost), debounced and cancelled on
 *   every edit, never on the extension host's hot path.
 *
 * Heavy modules (the analyzer, the import cost service) load on first use.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { Ctx } from './ctx.js';
import { toDiagnostic } from './convert.js';
import type { Finding, ChecklistItemId } from '../kernel/model.js';
import type { ExternalItemEvidence } from '../kernel/checklist.js';
import type { BundleAnalysis, BundleEntry, BundleFileReader, DirEntry } from '../analyzers/bundle/types.js';
import type { BundleOptions } from '../analyzers/bundle/options.js';
import type { ImportCost, ImportCostService } from '../analyzers/bundle/importcost/index.js';
import { readWorkspaceText } from './files.js';

export const ANALYZE_BUNDLE_COMMAND = 'perfAuditor.analyzeBundle';
export const SHOW_BUNDLE_TREEMAP_COMMAND = 'perfAuditor.showBundleTreemap';
const TREEMAP_VIEW_TYPE = 'perfAuditor.bundleTreemap';
const DIAGNOSTICS = 'perf-auditor-bundle';
const SETTINGS_FILE = '.perfauditrc.json';
const IMPORT_COST_LANGUAGES = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact']);
const MAX_IMPORT_COST_TEXT = 512 * 1024;

/** A sidebar row (same shape as the tree's memory entries: label, description, tooltip, file, children). */
export interface BundleSidebarEntry {
  label: string;
  description?: string;
  tooltip?: string;
  file?: string;
  children?: { label: string; description?: string; tooltip?: string }[];
}

export interface BundleState {
  analysis: BundleAnalysis;
  findings: Finding[];
  /** Checklist evidence to merge into the audit's coverage (bundle-size, image-formats). */
  coverage: Map<ChecklistItemId, string>;
  /** The same as `mergeEvidence` input (checklist.ts): fails / settles bundle-size and image-formats. */
  evidence: ExternalItemEvidence;
  at: Date;
  /** Workspace folder the paths are relative to. */
  folder: vscode.WorkspaceFolder;
  /** The bundle options and global budgets the analysis ran with (the sidebar judges entries by them). */
  options: BundleOptions;
  budgets: { jsGzipKb: number; cssGzipKb: number };
  /** budgetFor (analyzers/bundle/options.ts), loaded with the analyzer: an entry's budget, `bundle.entryBudgets` first. */
  budgetFor: (entry: BundleEntry) => { jsGzipKb: number; cssGzipKb: number; matched?: string };
}

function nonce(): string {
  return randomBytes(18).toString('base64');
}

/** The bundle analyzer's reader over vscode.workspace.fs (works for remote and virtual workspaces). */
export function workspaceReader(root: vscode.Uri): BundleFileReader {
  const uri = (p: string): vscode.Uri => (p ? vscode.Uri.joinPath(root, ...p.split('/')) : root);
  return {
    async readDir(p) {
      try {
        const entries = await vscode.workspace.fs.readDirectory(uri(p));
        // Symbolic links are not followed (no cycles, nothing outside the folder).
        return entries
          .filter(([, t]) => !(t & vscode.FileType.SymbolicLink) && (t & (vscode.FileType.File | vscode.FileType.Directory)))
          .map(([name, t]): DirEntry => ({ name, kind: t & vscode.FileType.Directory ? 'dir' : 'file' }));
      } catch {
        return undefined;
      }
    },
    async stat(p) {
      try {
        const st = await vscode.workspace.fs.stat(uri(p));
        return st.type & vscode.FileType.File ? { size: st.size } : undefined;
      } catch {
        return undefined;
      }
    },
    async readFile(p) {
      return vscode.workspace.fs.readFile(uri(p));
    },
    // Image headers need the first bytes only: vscode.workspace.fs has no ranged read, so local files
    // are read through node:fs (remote and virtual workspaces read the whole file).
    async readHead(p, bytes) {
      const u = uri(p);
      if (u.scheme !== 'file') return (await vscode.workspace.fs.readFile(u)).subarray(0, bytes);
      const { open } = await import('node:fs/promises');
      const fh = await open(u.fsPath, 'r');
      try {
        const buf = new Uint8Array(bytes);
        const { bytesRead } = await fh.read(buf, 0, bytes, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
  };
}

/** A workspace text file (settings, package.json), or undefined when missing or refused. */
async function readText(uri: vscode.Uri): Promise<string | undefined> {
  return readWorkspaceText(uri).catch(() => undefined);
}

export class BundleFeature implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly diagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTICS);
  private readonly emitter = new vscode.EventEmitter<BundleState>();
  /** Fires after each analysis (the tree refreshes its bundle node, the treemap re-renders). */
  readonly onDidAnalyze = this.emitter.event;
  private state?: BundleState;
  private running?: Promise<BundleState | undefined>;
  private treemap?: TreemapPanel;
  private importCost?: ImportCostDecorations;

  constructor(readonly ctx: Ctx) {
    this.disposables.push(this.diagnostics, this.emitter);
    this.disposables.push(
      vscode.commands.registerCommand(ANALYZE_BUNDLE_COMMAND, (opts?: { noTreemap?: boolean }) => this.analyzeCommand(opts)),
      vscode.commands.registerCommand(SHOW_BUNDLE_TREEMAP_COMMAND, () => this.showTreemap()),
    );
    this.importCost = new ImportCostDecorations(ctx);
    this.disposables.push(this.importCost);
    ctx.disposables.push(this);
  }

  get last(): BundleState | undefined {
    return this.state;
  }

  /** The command: analyse with progress, report, open the treemap. Returns the state (for tests and the API). */
  private async analyzeCommand(opts?: { noTreemap?: boolean }): Promise<{ findings: number; entries: number; problems: string[] } | undefined> {
    const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Perf Auditor: analyzing the bundle', cancellable: true }, (progress, token) => this.analyze(token, (m) => progress.report({ message: m })));
    if (!state) return undefined;
    const { analysis, findings } = state;
    if (!analysis.outputDirs.length) {
      void vscode.window.showWarningMessage(`Perf Auditor: no build output found (dist, build, out, .next/static…). Build the project, or set "bundle.outputDirs" in ${SETTINGS_FILE}.`);
    } else {
      const over = findings.filter((f) => f.ruleId === 'bundle-size-budget').length;
      void vscode.window.showInformationMessage(`Perf Auditor: ${analysis.files.length} build files in ${analysis.outputDirs.join(', ')}; ${analysis.entries.length} entries${over ? `, ${over} over budget` : ''}; ${findings.length} finding${findings.length === 1 ? '' : 's'}.`);
      if (!opts?.noTreemap && analysis.breakdowns.length) this.showTreemap();
    }
    return { findings: findings.length, entries: analysis.entries.length, problems: analysis.problems.map((p) => p.message) };
  }

  /** Runs one analysis at a time (a second request joins the running one). */
  analyze(token?: vscode.CancellationToken, progress?: (m: string) => void): Promise<BundleState | undefined> {
    this.running ??= this.doAnalyze(token, progress).finally(() => (this.running = undefined));
    return this.running;
  }

  private async doAnalyze(token?: vscode.CancellationToken, progress?: (m: string) => void): Promise<BundleState | undefined> {
    const folder = (vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showWarningMessage('Perf Auditor: open a folder to analyze its bundle.');
      return undefined;
    }
    const [{ analyzeBundle }, { bundleFindings, bundleCoverage, bundleEvidence }, { parseBundleOptions, budgetFor }, { parseSettings }] = await Promise.all([
      import('../analyzers/bundle/analyze.js'), import('../analyzers/bundle/findings.js'), import('../analyzers/bundle/options.js'), import('../analyzers/index.js'),
    ]);
    const configText = await readText(vscode.Uri.joinPath(folder.uri, SETTINGS_FILE));
    const pkgText = await readText(vscode.Uri.joinPath(folder.uri, 'package.json'));
    // The analysed folder's own config file, as just read (the engine's copy may be of another folder, or not reloaded yet).
    const config = configText !== undefined ? parseSettings(configText).settings : (this.ctx.engineConfig() ?? parseSettings('{}').settings);
    const { options, problems } = parseBundleOptions(configText);
    for (const p of problems) this.ctx.output.warn(p);
    const t0 = Date.now();
    try {
      // Local folders: the kernel's file layer (links out of the workspace, FIFOs and devices refused,
      // as in the CLI); remote and virtual workspaces: vscode.workspace.fs (no links there).
      const { nodeFileReader } = await import('../analyzers/bundle/reader.js');
      const reader = folder.uri.scheme === 'file' ? nodeFileReader(folder.uri.fsPath) : workspaceReader(folder.uri);
      const analysis = await analyzeBundle(reader, { root: folder.uri.fsPath, options, ...(token ? { token } : {}), ...(progress ? { progress } : {}) });
      const texts = new Map<string, string>();
      if (configText !== undefined) texts.set(SETTINGS_FILE, configText);
      if (pkgText !== undefined) texts.set('package.json', pkgText);
      const findings = bundleFindings(analysis, { settings: config, options, textOf: (p) => texts.get(p) }).map((f) => this.inFolder(f, folder));
      const budgets = { jsGzipKb: config.budgets.jsGzipKb, cssGzipKb: config.budgets.cssGzipKb };
      const state: BundleState = { analysis, findings, coverage: bundleCoverage(analysis, config), evidence: bundleEvidence(analysis, findings, config), at: new Date(), folder, options, budgets, budgetFor: (e) => budgetFor(e, options, budgets) };
      this.state = state;
      this.publish(findings);
      this.ctx.output.info(`Bundle analysis: ${analysis.files.length} files, ${analysis.breakdowns.length} breakdowns, ${findings.length} findings in ${Date.now() - t0} ms${analysis.truncated ? ' (time budget reached)' : ''}`);
      for (const p of analysis.problems) this.ctx.output.info(`Bundle analysis: ${p.message}`);
      this.emitter.fire(state);
      return state;
    } catch (e) {
      if ((e as Error).name === 'CancelledError') return undefined;
      this.ctx.output.error(`Bundle analysis failed: ${(e as Error).stack ?? String(e)}`);
      void vscode.window.showErrorMessage(`Perf Auditor: bundle analysis failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Multi-root workspaces: the engine's paths carry the folder name first. */
  private inFolder(f: Finding, folder: vscode.WorkspaceFolder): Finding {
    if ((vscode.workspace.workspaceFolders?.length ?? 0) < 2) return f;
    const p = (x: string): string => `${folder.name}/${x}`;
    return { ...f, file: p(f.file), related: f.related.map((r) => ({ ...r, file: p(r.file) })), fixes: f.fixes.map((x) => ({ ...x, changes: x.changes.map((c) => ({ ...c, file: p(c.file) })) })) };
  }

  private publish(findings: Finding[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), toDiagnostic(f, this.ctx.paths)]);
    this.diagnostics.clear();
    for (const [file, diags] of byFile) {
      const uri = this.ctx.paths.toUri(file);
      if (uri) this.diagnostics.set(uri, diags);
    }
  }

  /** Sidebar rows for the last analysis: entries against their budgets, largest packages, notes. */
  sidebarEntries(): BundleSidebarEntry[] {
    const s = this.state;
    if (!s) return [{ label: 'Not analyzed yet', description: 'Perf Auditor: Analyze Bundle', tooltip: 'Run "Perf Auditor: Analyze Bundle" after a production build.' }];
    const a = s.analysis;
    const kb = (n: number): string => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`);
    const out: BundleSidebarEntry[] = [];
    out.push({
      label: 'Entries',
      description: `${a.entries.length} · ${s.findings.filter((f) => f.ruleId === 'bundle-size-budget').length} over budget`,
      children: a.entries.slice(0, 50).map((e) => {
        // The same budget the bundle-size-budget rule applied (bundle.entryBudgets first, then budgets).
        const budget = s.budgetFor(e);
        const over = e.jsGzip > budget.jsGzipKb * 1024 || e.cssGzip > budget.cssGzipKb * 1024;
        const limits = `budget JS ${budget.jsGzipKb} KB, CSS ${budget.cssGzipKb} KB gzip${budget.matched ? ` (bundle.entryBudgets "${budget.matched}")` : ''}`;
        return { label: e.name, description: `${e.js.length ? `JS ${kb(e.jsGzip)}` : ''}${e.css.length ? ` CSS ${kb(e.cssGzip)}` : ''} gzip${over ? ' · over budget' : ''}`, tooltip: [...e.js, ...e.css, limits].join('\n') };
      }),
    });
    if (a.packages.length) {
      out.push({ label: 'Largest packages', description: `${a.packages.length}`, children: a.packages.slice(0, 25).map((p) => ({ label: p.name, description: `${kb(p.bytes)}${p.roots.length > 1 ? ` · ${p.roots.length} copies` : ''}`, tooltip: p.roots.join('\n') })) });
    }
    const files = a.files.filter((f) => f.kind === 'js' || f.kind === 'css').sort((x, y) => y.bytes - x.bytes);
    if (files.length) out.push({ label: 'Largest files', description: `${files.length}`, children: files.slice(0, 25).map((f) => ({ label: f.path, description: `${kb(f.bytes)} · ${f.gzip !== undefined ? `${kb(f.gzip)} gzip` : 'gzip n/a'}${f.brotli !== undefined ? ` · ${kb(f.brotli)} br` : ''}` })) });
    if (a.problems.length) out.push({ label: 'Notes', description: `${a.problems.length}`, children: a.problems.map((p) => ({ label: p.message.length > 80 ? `${p.message.slice(0, 79)}…` : p.message, tooltip: p.message })) });
    return out;
  }

  /** The import costs computed (and painted) for a document: for the extension's API and its tests. */
  importCostsFor(doc: vscode.TextDocument): Promise<{ costs: ImportCost[]; decorations: number } | undefined> {
    return this.importCost?.costsFor(doc) ?? Promise.resolve(undefined);
  }

  showTreemap(): void {
    if (this.treemap && !this.treemap.disposed) this.treemap.reveal();
    else this.treemap = new TreemapPanel(this);
  }

  dispose(): void {
    this.treemap?.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    const i = this.ctx.disposables.indexOf(this);
    if (i >= 0) this.ctx.disposables.splice(i, 1);
  }
}

/** The treemap webview: renders the last analysis (analysing first if there is none). */
class TreemapPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly subs: vscode.Disposable[] = [];
  disposed = false;
  private seq = 0;

  constructor(private readonly feature: BundleFeature) {
    this.panel = vscode.window.createWebviewPanel(TREEMAP_VIEW_TYPE, 'Bundle Treemap', vscode.ViewColumn.Active, { enableScripts: true, enableCommandUris: false, localResourceRoots: [] });
    this.panel.iconPath = vscode.Uri.joinPath(feature.ctx.extension.extensionUri, 'media', 'perf-auditor.svg');
    this.subs.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      feature.onDidAnalyze(() => void this.render()),
    );
    void this.render();
  }

  reveal(): void {
    this.panel.reveal();
    void this.render();
  }

  private async render(): Promise<void> {
    const seq = ++this.seq;
    const { renderTreemapHtml } = await import('../analyzers/bundle/treemap.js');
    const { renderHtmlPlaceholder } = await import('../kernel/report/html.js');
    const webview = this.panel.webview;
    let state = this.feature.last;
    if (!state) {
      webview.html = renderHtmlPlaceholder('Analyzing the bundle…', { nonce: nonce(), cspSource: webview.cspSource, title: 'Bundle Treemap', busy: true });
      state = await this.feature.analyze();
      if (seq !== this.seq || this.disposed) return;
      if (!state) {
        webview.html = renderHtmlPlaceholder('No bundle analysis: run "Perf Auditor: Analyze Bundle" after a production build.', { nonce: nonce(), cspSource: webview.cspSource, title: 'Bundle Treemap' });
        return;
      }
    }
    if (seq !== this.seq || this.disposed) return;
    const time = state.at.toTimeString().slice(0, 5);
    webview.html = renderTreemapHtml(state.analysis, { nonce: nonce(), cspSource: webview.cspSource, title: 'Bundle Treemap', subtitle: `${state.analysis.outputDirs.join(', ') || 'no output folder'} · analyzed at ${time} · double-click a module to open it` });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const { parseTreemapMessage, moduleFilePath } = await import('../analyzers/bundle/treemap.js');
    const m = parseTreemapMessage(raw);
    if (!m || this.disposed) return;
    if (m.type === 'refresh') {
      await this.feature.analyze();
      return;
    }
    // Only modules of the current analysis, and only files inside the workspace folder (the page is not trusted).
    const state = this.feature.last;
    if (!state) return;
    const target = moduleFilePath(state.analysis, m.module);
    if ('reason' in target) {
      void vscode.window.showInformationMessage(`Perf Auditor: cannot open ${m.module}: ${target.reason}.`);
      return;
    }
    const uri = vscode.Uri.joinPath(state.folder.uri, ...target.path.split('/'));
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showInformationMessage(`Perf Auditor: cannot open ${m.module}: ${target.path} does not exist in ${state.folder.name} (the build may be older than the sources).`);
      return;
    }
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.subs.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

interface ImportCostSettings {
  enable: boolean;
  debounceMs: number;
  smallKb: number;
  largeKb: number;
  esbuildPath: string;
}

function importCostSettings(): ImportCostSettings {
  const c = vscode.workspace.getConfiguration('perfAuditor.importCost');
  return {
    enable: c.get<boolean>('enable', true),
    debounceMs: c.get<number>('debounceMs', 500),
    smallKb: c.get<number>('smallKb', 10),
    largeKb: c.get<number>('largeKb', 50),
    esbuildPath: c.get<string>('esbuildPath', ''),
  };
}

/**
 * Import cost decorations. Each document gets at most one computation at a time: an edit cancels
 * the running one (AbortController) and schedules a new one after `debounceMs`; switching editors
 * computes at once (cached sizes come back in well under a millisecond).
 */
class ImportCostDecorations implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private readonly types: Record<'small' | 'medium' | 'large', vscode.TextEditorDecorationType>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, AbortController>();
  private readonly results = new Map<string, { version: number; costs: ImportCost[] }>();
  /** Decorations last painted per document (for costsFor). */
  private readonly painted = new Map<string, number>();
  private service?: Promise<ImportCostService | undefined>;
  private settings = importCostSettings();
  private warned = false;

  constructor(private readonly ctx: Ctx) {
    const type = (color: string): vscode.TextEditorDecorationType => vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 1.5em', color: new vscode.ThemeColor(color) }, rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed });
    this.types = { small: type('perfAuditor.importCostSmall'), medium: type('perfAuditor.importCostMedium'), large: type('perfAuditor.importCostLarge') };
    this.subs.push(
      ...Object.values(this.types),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.schedule(e.document, 0)),
      vscode.window.onDidChangeVisibleTextEditors((es) => es.forEach((e) => this.paint(e))),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule(e.document, this.settings.debounceMs);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('perfAuditor.importCost')) return;
        const before = this.settings;
        this.settings = importCostSettings();
        if (before.esbuildPath !== this.settings.esbuildPath) {
          this.warned = false; // a new path that fails deserves its own notification
          this.resetService();
        }
        this.refreshAll();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.resetService();
        this.refreshAll();
      }),
    );
    this.refreshAll();
  }

  private refreshAll(): void {
    for (const e of vscode.window.visibleTextEditors) {
      if (this.settings.enable) this.schedule(e.document, 0);
      else this.clear(e);
    }
  }

  private eligible(doc: vscode.TextDocument): boolean {
    return this.settings.enable && doc.uri.scheme === 'file' && IMPORT_COST_LANGUAGES.has(doc.languageId) && doc.getText().length <= MAX_IMPORT_COST_TEXT;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!this.eligible(doc)) return;
    const key = doc.uri.toString();
    this.running.get(key)?.abort();
    this.running.delete(key);
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.compute(doc);
    }, delay));
  }

  /** Computes now (or takes the cached result for this version) and reports what was painted. */
  async costsFor(doc: vscode.TextDocument): Promise<{ costs: ImportCost[]; decorations: number } | undefined> {
    if (!this.eligible(doc)) return undefined;
    await this.compute(doc);
    const key = doc.uri.toString();
    const r = this.results.get(key);
    return r && r.version === doc.version ? { costs: r.costs, decorations: this.painted.get(key) ?? 0 } : undefined;
  }

  private async compute(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const version = doc.version;
    const cached = this.results.get(key);
    if (cached && cached.version === version) {
      this.paintAll(doc);
      return;
    }
    const service = await this.getService(doc);
    if (!service || doc.isClosed || doc.version !== version) return;
    const ac = new AbortController();
    this.running.set(key, ac);
    const partial: ImportCost[] = [];
    let paintTimer: NodeJS.Timeout | undefined;
    try {
      const costs = await service.compute(doc.uri.fsPath, doc.getText(), {
        signal: ac.signal,
        jsx: doc.languageId !== 'typescript',
        onResult: (c) => {
          partial.push(c);
          // Paint progressively, at most every 50 ms.
          paintTimer ??= setTimeout(() => {
            paintTimer = undefined;
            if (!ac.signal.aborted) {
              this.results.set(key, { version: -1, costs: [...partial] });
              this.paintAll(doc);
            }
          }, 50);
        },
      });
      if (ac.signal.aborted) return;
      if (service.unavailable) {
        // esbuild is there but cannot run (e.g. its platform binary package is missing): stop
        // trying until the setting changes or the workspace is trusted.
        this.unavailable(service.unavailable);
        service.dispose();
        this.service = Promise.resolve(undefined);
        return;
      }
      this.results.set(key, { version, costs });
      this.paintAll(doc);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') this.ctx.output.warn(`Import cost: ${(e as Error).message}`);
    } finally {
      if (paintTimer) clearTimeout(paintTimer);
      if (this.running.get(key) === ac) this.running.delete(key);
    }
  }

  private paintAll(doc: vscode.TextDocument): void {
    for (const e of vscode.window.visibleTextEditors) if (e.document === doc) this.paint(e);
  }

  private paint(editor: vscode.TextEditor): void {
    const r = this.results.get(editor.document.uri.toString());
    if (!r || !this.settings.enable) return this.clear(editor);
    const buckets: Record<'small' | 'medium' | 'large', vscode.DecorationOptions[]> = { small: [], medium: [], large: [] };
    const kb = (n: number): string => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);
    // One decoration per line (two imports on a line: summed).
    const byLine = new Map<number, ImportCost[]>();
    for (const c of r.costs) if (c.gzip !== undefined && c.line < editor.document.lineCount) byLine.set(c.line, [...(byLine.get(c.line) ?? []), c]);
    for (const [line, cs] of byLine) {
      const gzip = cs.reduce((s, c) => s + (c.gzip ?? 0), 0);
      const size = cs.reduce((s, c) => s + (c.size ?? 0), 0);
      const bucket = gzip >= this.settings.largeKb * 1024 ? 'large' : gzip >= this.settings.smallKb * 1024 ? 'medium' : 'small';
      const end = editor.document.lineAt(line).range.end;
      const hover = new vscode.MarkdownString(cs.map((c) => `**${c.specifier}** (${c.name}@${c.version ?? '?'}): ${kb(c.size ?? 0)} minified, ${kb(c.gzip ?? 0)} gzip${c.cached ? ' · cached' : ''}`).join('\n\n') + '\n\n_esbuild, browser target, production defines; gzip level 6._');
      buckets[bucket].push({ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: `${kb(gzip)} gzip (${kb(size)})` } } });
    }
    for (const k of ['small', 'medium', 'large'] as const) editor.setDecorations(this.types[k], buckets[k]);
    this.painted.set(editor.document.uri.toString(), byLine.size);
  }

  private clear(editor: vscode.TextEditor): void {
    for (const t of Object.values(this.types)) editor.setDecorations(t, []);
  }

  private forget(key: string): void {
    this.running.get(key)?.abort();
    this.running.delete(key);
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.results.delete(key);
    this.painted.delete(key);
  }

  private getService(doc: vscode.TextDocument): Promise<ImportCostService | undefined> {
    this.service ??= this.createService(doc);
    return this.service;
  }

  /**
   * esbuild comes from, in order: perfAuditor.importCost.esbuildPath (a machine setting, which a
   * workspace cannot set), the extension's own node_modules/esbuild (a runtime dependency, so it is in
   * the .vsix with its platform binary package and in a development checkout), or — only in a trusted
   * workspace, since it runs the workspace's binary — the workspace's own node_modules/esbuild.
   * Bundling an import never runs the package's code, so the extension's esbuild also serves
   * untrusted workspaces. When none is found, one notification says why.
   */
  private async createService(doc: vscode.TextDocument): Promise<ImportCostService | undefined> {
    const ext = this.ctx.extension.extensionUri;
    const exists = async (u: vscode.Uri): Promise<boolean> => {
      try {
        await vscode.workspace.fs.stat(u);
        return true;
      } catch {
        return false;
      }
    };
    const tried: string[] = [];
    let esbuildPath: string | undefined;
    if (this.settings.esbuildPath) esbuildPath = this.settings.esbuildPath;
    if (!esbuildPath) {
      const own = vscode.Uri.joinPath(ext, 'node_modules', 'esbuild');
      if (await exists(vscode.Uri.joinPath(own, 'package.json'))) esbuildPath = own.fsPath;
      else tried.push(`the extension's ${own.fsPath}`);
    }
    if (!esbuildPath) {
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
      if (!vscode.workspace.isTrusted) tried.push("the workspace's node_modules/esbuild (not used: the workspace is not trusted)");
      else if (folder) {
        const ws = vscode.Uri.joinPath(folder.uri, 'node_modules', 'esbuild');
        if (await exists(vscode.Uri.joinPath(ws, 'package.json'))) esbuildPath = ws.fsPath;
        else tried.push(ws.fsPath);
      }
    }
    if (!esbuildPath) {
      this.unavailable(`no esbuild found (looked in ${tried.join('; ')})`);
      this.service = undefined;
      return undefined;
    }
    const { ImportCostService } = await import('../analyzers/bundle/importcost/index.js');
    const workerPath = vscode.Uri.joinPath(ext, 'dist', 'importcost-worker.js').fsPath;
    this.ctx.output.info(`Import cost: esbuild from ${esbuildPath}`);
    return new ImportCostService({ workerPath, esbuildPath });
  }

  /** Import costs cannot be computed at all: say why once per session (notification + output line). */
  private unavailable(reason: string): void {
    this.ctx.output.warn(`Import cost is off: ${reason}.`);
    if (this.warned) return;
    this.warned = true;
    const hint = this.settings.esbuildPath
      ? 'Check "perfAuditor.importCost.esbuildPath" (it must name the esbuild package folder).'
      : `Set "perfAuditor.importCost.esbuildPath" to an esbuild package folder${vscode.workspace.isTrusted ? ', or install esbuild in the workspace (npm i -D esbuild)' : ', or trust the workspace to use its node_modules/esbuild'}.`;
    void vscode.window.showWarningMessage(`Perf Auditor: import costs are off: ${reason}. ${hint}`, 'Open Settings', 'Show Output').then((pick) => {
      if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'perfAuditor.importCost.esbuildPath');
      else if (pick === 'Show Output') this.ctx.output.show();
    });
  }

  private resetService(): void {
    const s = this.service;
    this.service = undefined;
    this.results.clear();
    void s?.then((x) => x?.dispose());
  }

  dispose(): void {
    for (const ac of this.running.values()) ac.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    this.resetService();
    for (const d of this.subs.splice(0)) d.dispose();
  }
}

/** Registers the bundle commands and the import cost decorations; owned by the context. */
export function registerBundleFeatures(ctx: Ctx): BundleFeature {
  return new BundleFeature(ctx);
}
