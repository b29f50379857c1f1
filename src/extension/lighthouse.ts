/**
 * "Perf Auditor: Run Lighthouse": asks for the URL (last used, else perfAuditor.lighthouse.url),
 * runs Lighthouse in a child process with the system Chromium under a cancellable progress
 * notification, shows diagnostics on the workspace files responsible (nginx/Express config, images,
 * bundles), opens the Lighthouse report webview and appends the result to the workspace memory.
 *
 * Refused in an untrusted workspace: it starts a browser and loads a page. The heavy modules (the
 * runner, the mapping) load on first use.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Ctx } from './ctx.js';
import { toDiagnostic } from './convert.js';
import { dirtyDocument, retryAfterSave } from './memory.js';
import type { LighthousePreset, LighthouseReport } from '../analyzers/lighthouse/types.js';
import type { LighthouseHistoryEntry } from '../analyzers/lighthouse/memory.js';
import type { WorkspaceFiles } from '../analyzers/lighthouse/locate.js';
import { readWorkspaceText } from './files.js';

export const RUN_LIGHTHOUSE_COMMAND = 'perfAuditor.runLighthouse';
export const SHOW_LIGHTHOUSE_REPORT_COMMAND = 'perfAuditor.showLighthouseReport';
const LAST_URL_KEY = 'perfAuditor.lighthouse.lastUrl';
/** The key of Lighthouse's verdicts in ctx.evidence. */
export const LIGHTHOUSE_EVIDENCE_KEY = 'lighthouse';
const VIEW_TYPE = 'perfAuditor.lighthouseReport';
const DEFAULT_URL = 'http://localhost:3000';
const LOCATE_GLOB = '**/{*.conf,*.nginx,.htaccess,*.js,*.mjs,*.cjs,*.ts,*.mts,*.cts,*.jsx,*.tsx,*.html,*.htm,*.vue,*.svelte,*.astro,*.ejs,*.hbs,*.njk,*.php,*.png,*.jpg,*.jpeg,*.gif,*.webp,*.avif,*.svg,*.css,sites-available/*,sites-enabled/*,conf.d/*}';
const LOCATE_EXCLUDE = '**/{node_modules,.git,.vscode-test,coverage,.superagent}/**';
const MAX_LOCATE_FILES = 20_000;
const MAX_READ_BYTES = 1024 * 1024;

/** Arguments of the command (all optional; the palette passes none). */
export interface RunLighthouseArgs {
  url?: string;
  preset?: LighthousePreset;
  runs?: number;
  timeoutSeconds?: number;
  /** Do not open the report panel (tests, automation). */
  noReport?: boolean;
}

/** What the command returns (for tests and other extensions). */
export interface RunLighthouseResult {
  ok: boolean;
  /** The runner's error code when not ok (CANCELLED, TIMEOUT, CHROME_NOT_FOUND, UNREACHABLE…). */
  error?: { code: string; message: string };
  score?: number | null;
  checklist?: { id: string; status: string }[];
  findings?: number;
  /** Findings shown as diagnostics on workspace files. */
  diagnostics?: number;
  savedTo?: string;
}

interface Settings {
  url: string;
  preset: LighthousePreset;
  runs: number;
  timeoutSeconds: number;
  chromePath: string;
  chromeFlags: string[];
  saveToMemory: boolean;
}

function settings(): Settings {
  const c = vscode.workspace.getConfiguration('perfAuditor.lighthouse');
  const preset = c.get<string>('preset', 'desktop');
  const runs = c.get<number>('runs', 1);
  const timeout = c.get<number>('timeoutSeconds', 120);
  return {
    url: c.get<string>('url', DEFAULT_URL) || DEFAULT_URL,
    preset: preset === 'mobile' ? 'mobile' : 'desktop',
    runs: Number.isInteger(runs) && runs >= 1 ? Math.min(runs, 10) : 1,
    timeoutSeconds: Number.isFinite(timeout) && timeout >= 5 ? Math.min(timeout, 3600) : 120,
    chromePath: c.get<string>('chromePath', '') ?? '',
    chromeFlags: (c.get<unknown[]>('chromeFlags', []) ?? []).filter((f): f is string => typeof f === 'string' && f.startsWith('--')),
    saveToMemory: c.get<boolean>('saveToMemory', true),
  };
}

function checkUrl(value: string): string | undefined {
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'Use an http:// or https:// address';
  } catch {
    return 'Enter a full URL, e.g. http://localhost:3000';
  }
}

function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The Lighthouse report panel: one at a time, re-rendered for each run. */
class LighthousePanel implements vscode.Disposable {
  private static current: LighthousePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private state: { kind: 'report'; report: LighthouseReport; date: string; history: LighthouseHistoryEntry[]; savedTo?: string; chromePath?: string } | { kind: 'message'; message: string; busy: boolean; detail?: string[] } = { kind: 'message', message: 'No Lighthouse run yet.', busy: false };

  static get open(): LighthousePanel | undefined {
    return LighthousePanel.current && !LighthousePanel.current.disposed ? LighthousePanel.current : undefined;
  }

  static show(ctx: Ctx, preserveFocus: boolean): LighthousePanel {
    const existing = LighthousePanel.open;
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const media = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Lighthouse', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [media],
    });
    LighthousePanel.current = new LighthousePanel(ctx, panel, media);
    return LighthousePanel.current;
  }

  private constructor(
    private readonly ctx: Ctx,
    private readonly panel: vscode.WebviewPanel,
    private readonly media: vscode.Uri,
  ) {
    panel.iconPath = vscode.Uri.joinPath(media, 'perf-auditor.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
    ctx.disposables.push(this);
  }

  setReport(report: LighthouseReport, date: string, history: LighthouseHistoryEntry[], savedTo?: string, chromePath?: string): void {
    this.state = { kind: 'report', report, date, history, ...(savedTo ? { savedTo } : {}), ...(chromePath ? { chromePath } : {}) };
    void this.render();
  }

  setMessage(message: string, busy = false, detail?: string[]): void {
    // A finished report stays visible while the next run is in progress.
    if (busy && this.state.kind === 'report') return;
    this.state = { kind: 'message', message, busy, ...(detail ? { detail } : {}) };
    void this.render();
  }

  private async render(): Promise<void> {
    if (this.disposed) return;
    const html = await import('../analyzers/lighthouse/html.js');
    const webview = this.panel.webview;
    const base = { nonce: newNonce(), cspSource: webview.cspSource, styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'report.css')).toString() };
    const s = this.state;
    try {
      webview.html = s.kind === 'report'
        ? html.renderLighthouseHtml(s.report, { ...base, date: s.date, history: s.history, ...(s.savedTo ? { savedTo: s.savedTo } : {}), ...(s.chromePath ? { chromePath: s.chromePath } : {}) })
        : html.renderLighthousePlaceholder(s.message, { ...base, busy: s.busy, ...(s.detail ? { detail: s.detail } : {}) });
    } catch (e) {
      this.ctx.output.error(`Lighthouse report: ${(e as Error).stack ?? String(e)}`);
    }
  }

  /** Opens a located finding's file; only files of the report's findings (the page is not trusted). */
  private async onMessage(raw: unknown): Promise<void> {
    const { parseReportMessage } = await import('../kernel/report/html.js');
    const { lighthouseData } = await import('../analyzers/lighthouse/map.js');
    const msg = parseReportMessage(raw);
    if (msg?.type === 'docs' && !this.disposed) {
      await vscode.commands.executeCommand('perfAuditor.showRuleDocs', msg.ruleId);
      return;
    }
    if (!msg || msg.type !== 'open' || this.disposed || this.state.kind !== 'report') return;
    const f = this.state.report.findings.find((x) => x.file === msg.file && lighthouseData(x)?.located && x.range.start.line === msg.line - 1)
      ?? this.state.report.findings.find((x) => x.file === msg.file && lighthouseData(x)?.located);
    const uri = f && this.ctx.paths.toUri(f.file);
    if (!f || !uri) return;
    const pos = new vscode.Position(f.range.start.line, f.range.start.character);
    const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    try {
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: column, preview: true });
    } catch {
      // binary files (images): reveal them instead
      await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: column, preview: true });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (LighthousePanel.current === this) LighthousePanel.current = undefined;
    const i = this.ctx.disposables.indexOf(this);
    if (i >= 0) this.ctx.disposables.splice(i, 1);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** What registerLighthouse returns, for wiring the results into other views (e.g. the checklist tree). */
export interface LighthouseApi {
  /** Fires after every successful run. */
  readonly onDidRun: vscode.Event<LighthouseReport>;
  lastReport(): LighthouseReport | undefined;
}

class LighthouseFeature implements LighthouseApi {
  private diagnostics?: vscode.DiagnosticCollection;
  private running = false;
  private last?: { report: LighthouseReport; date: string; savedTo?: string; chromePath?: string };
  private readonly onDidRunEmitter = new vscode.EventEmitter<LighthouseReport>();
  readonly onDidRun = this.onDidRunEmitter.event;

  constructor(private readonly ctx: Ctx) {
    ctx.disposables.push(this.onDidRunEmitter);
  }

  lastReport(): LighthouseReport | undefined {
    return this.last?.report;
  }

  private collection(): vscode.DiagnosticCollection {
    if (!this.diagnostics) {
      this.diagnostics = vscode.languages.createDiagnosticCollection('perf-auditor-lighthouse');
      this.ctx.disposables.push(this.diagnostics);
    }
    return this.diagnostics;
  }

  /** The workspace as the locator reads it: a bounded file list, reads through vscode.workspace.fs. */
  private async workspaceFiles(token: vscode.CancellationToken): Promise<WorkspaceFiles | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) return undefined;
    const uris = await vscode.workspace.findFiles(LOCATE_GLOB, LOCATE_EXCLUDE, MAX_LOCATE_FILES, token);
    const paths: string[] = [];
    for (const u of uris) {
      const p = this.ctx.paths.toPath(u);
      if (p) paths.push(p);
    }
    return {
      paths,
      read: async (p) => {
        const uri = this.ctx.paths.toUri(p);
        if (!uri) return undefined;
        try {
          return await readWorkspaceText(uri, MAX_READ_BYTES);
        } catch {
          return undefined;
        }
      },
    };
  }

  private async budgetsAndRules(): Promise<{ budgets: { pageLoadMs: number; timeToInteractiveMs: number }; rules: Record<string, import('../kernel/settings.js').RuleLevel> }> {
    const { parseSettings, SETTINGS_FILE, defaultSettings } = await import('../analyzers/index.js');
    let config = this.ctx.engineConfig();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!config && folder) {
      try {
        config = parseSettings(await readWorkspaceText(vscode.Uri.joinPath(folder.uri, SETTINGS_FILE))).settings;
      } catch {
        config = undefined;
      }
    }
    config ??= defaultSettings();
    return { budgets: config.budgets, rules: config.rules };
  }

  private async history(): Promise<LighthouseHistoryEntry[]> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return [];
    const [{ parseLighthouseHistory }, { PERFORMANCE_DATA_PATH }] = await Promise.all([import('../analyzers/lighthouse/memory.js'), import('../analyzers/lighthouse/run/session.js')]);
    try {
      return parseLighthouseHistory(await readWorkspaceText(vscode.Uri.joinPath(folder.uri, ...PERFORMANCE_DATA_PATH.split('/'))));
    } catch {
      return [];
    }
  }

  async run(arg?: unknown): Promise<RunLighthouseResult> {
    const args: RunLighthouseArgs = typeof arg === 'string' ? { url: arg } : arg && typeof arg === 'object' ? arg : {};
    if (!vscode.workspace.isTrusted) {
      const message = 'Perf Auditor: Lighthouse runs only in a trusted workspace (it starts Chromium and loads the page).';
      void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((c) => {
        if (c) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return { ok: false, error: { code: 'UNTRUSTED', message } };
    }
    if (this.running) {
      void vscode.window.showInformationMessage('Perf Auditor: a Lighthouse run is already in progress.');
      return { ok: false, error: { code: 'BUSY', message: 'a Lighthouse run is already in progress' } };
    }
    const s = settings();
    const state = this.ctx.extension.workspaceState;
    let url = args.url;
    if (url === undefined) {
      url = await vscode.window.showInputBox({
        title: 'Perf Auditor: Run Lighthouse',
        prompt: `URL to audit (${args.preset ?? s.preset}; change the preset in the "perfAuditor.lighthouse.preset" setting)`,
        value: state.get<string>(LAST_URL_KEY) ?? s.url,
        validateInput: checkUrl,
        ignoreFocusOut: true,
      });
      if (url === undefined) return { ok: false, error: { code: 'CANCELLED', message: 'no URL given' } };
    }
    url = url.trim();
    const invalid = checkUrl(url);
    if (invalid) {
      void vscode.window.showErrorMessage(`Perf Auditor: ${invalid} ("${url}").`);
      return { ok: false, error: { code: 'INVALID_URL', message: invalid } };
    }
    await state.update(LAST_URL_KEY, url);
    const preset: LighthousePreset = args.preset === 'mobile' || args.preset === 'desktop' ? args.preset : s.preset;
    const runs = typeof args.runs === 'number' && args.runs >= 1 ? Math.min(10, Math.floor(args.runs)) : s.runs;
    const timeoutSeconds = typeof args.timeoutSeconds === 'number' && args.timeoutSeconds >= 5 ? args.timeoutSeconds : s.timeoutSeconds;

    this.running = true;
    const panel = args.noReport ? undefined : LighthousePanel.show(this.ctx, true);
    panel?.setMessage(`Running Lighthouse on ${url} (${preset})…`, true);
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Perf Auditor: Lighthouse', cancellable: true }, async (progress, token) => {
        const [{ auditPage, saveLighthouseToMemory, localDateTime, PERFORMANCE_DATA_PATH }, { LighthouseRunError }, { lighthouseData }, { lighthouseEvidence }] = await Promise.all([
          import('../analyzers/lighthouse/run/session.js'),
          import('../analyzers/lighthouse/run/runner.js'),
          import('../analyzers/lighthouse/map.js'),
          import('../analyzers/lighthouse/evidence.js'),
        ]);
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        const t0 = Date.now();
        try {
          progress.report({ message: `${url} (${preset}${runs > 1 ? `, ${runs} runs` : ''})` });
          const [{ budgets, rules }, workspace] = await Promise.all([this.budgetsAndRules(), this.workspaceFiles(token)]);
          const { report, run } = await auditPage({
            url,
            preset,
            runs,
            timeoutMs: timeoutSeconds * 1000,
            ...(s.chromePath ? { chromePath: s.chromePath } : {}),
            ...(s.chromeFlags.length ? { chromeFlags: s.chromeFlags } : {}),
            signal: ac.signal,
            budgets,
            rules,
            ...(workspace ? { workspace } : {}),
            onProgress: (p) => progress.report({ message: `run ${p.run} of ${p.runs}: ${p.message}`, ...(p.phase === 'done' ? { increment: 100 / p.runs } : {}) }),
          });
          this.ctx.output.info(`Lighthouse ${report.lighthouseVersion}: ${url} (${preset}, ${runs} run${runs === 1 ? '' : 's'}) in ${Date.now() - t0} ms with ${run.chrome.path}: score ${report.score ?? '-'}, ${report.findings.length} findings`);
          for (const w of report.warnings) this.ctx.output.warn(`Lighthouse: ${w}`);

          // Diagnostics on the workspace files responsible.
          const byFile = new Map<string, vscode.Diagnostic[]>();
          for (const f of report.findings) {
            if (!lighthouseData(f)?.located) continue;
            const list = byFile.get(f.file) ?? [];
            list.push(toDiagnostic(f, this.ctx.paths));
            byFile.set(f.file, list);
          }
          const collection = this.collection();
          collection.clear();
          let diagnostics = 0;
          for (const [file, list] of byFile) {
            const uri = this.ctx.paths.toUri(file);
            if (!uri) continue;
            collection.set(uri, list);
            diagnostics += list.length;
          }

          const date = localDateTime();
          let savedTo: string | undefined;
          const folder = vscode.workspace.workspaceFolders?.[0];
          if (s.saveToMemory && folder?.uri.scheme === 'file') {
            const root = folder.uri.fsPath;
            const save = async (): Promise<boolean> => {
              const saved = await saveLighthouseToMemory(root, report, date);
              if (saved.status === 'written' || saved.status === 'unchanged') return true;
              this.ctx.output.warn(`Lighthouse results not saved to ${PERFORMANCE_DATA_PATH}: ${saved.status === 'error' ? saved.message : 'the file changed while it was being updated'}`);
              return false;
            };
            const file = path.join(root, ...PERFORMANCE_DATA_PATH.split('/'));
            if (dirtyDocument(file)) {
              // Writing now would collide with the editor's unsaved edits: record the run after the save.
              this.ctx.output.info(`Lighthouse results not saved to ${PERFORMANCE_DATA_PATH} yet: it has unsaved edits in an editor; they are recorded after it is saved.`);
              retryAfterSave(this.ctx, `lighthouse ${date} ${url} ${preset}`, file, async () => void (await save()));
            } else if (await save()) savedTo = PERFORMANCE_DATA_PATH;
          }
          this.last = { report, date, ...(savedTo ? { savedTo } : {}), chromePath: run.chrome.path };
          const history = await this.history();
          LighthousePanel.open?.setReport(report, date, history, savedTo, run.chrome.path);
          // The verdicts join the sidebar checklist (a measured failure fails its item; the budgets
          // are rows of their own), introduced as "Lighthouse run of <local date>".
          this.ctx.evidence.set(LIGHTHOUSE_EVIDENCE_KEY, lighthouseEvidence(report, date));
          this.onDidRunEmitter.fire(report);

          const failing = report.checklist.filter((c) => c.status === 'fail').map((c) => c.title);
          const summary = `Perf Auditor: Lighthouse score ${report.score ?? '–'} (${preset}) for ${url}: ${failing.length ? `${failing.length} failing (${failing.join('; ')})` : 'no checklist item failing'}${diagnostics ? `, ${diagnostics} finding${diagnostics === 1 ? '' : 's'} on workspace files` : ''}.`;
          if (report.warnings.length) void vscode.window.showWarningMessage(`${summary} Lighthouse warned: ${report.warnings[0]}${report.warnings.length > 1 ? ` (+${report.warnings.length - 1} more)` : ''}`);
          else if (args.noReport) void vscode.window.showInformationMessage(summary);
          return {
            ok: true,
            score: report.score,
            checklist: report.checklist.map((c) => ({ id: c.id, status: c.status })),
            findings: report.findings.length,
            diagnostics,
            ...(savedTo ? { savedTo } : {}),
          };
        } catch (e) {
          if (!(e instanceof LighthouseRunError)) throw e;
          this.ctx.output.warn(`Lighthouse on ${url}: ${e.code}: ${e.message}`);
          if (e.code === 'CANCELLED') {
            panel?.setMessage('Lighthouse run cancelled.');
            return { ok: false, error: { code: e.code, message: e.message } };
          }
          panel?.setMessage(`Lighthouse could not audit ${url}.`, false, [e.message]);
          const actions = e.code === 'CHROME_NOT_FOUND' || e.code === 'CHROME_LAUNCH_FAILED' ? ['Set Chrome Path', 'Show Output'] : ['Show Output'];
          void vscode.window.showErrorMessage(`Perf Auditor: ${e.message}`, ...actions).then((choice) => {
            if (choice === 'Set Chrome Path') void vscode.commands.executeCommand('workbench.action.openSettings', 'perfAuditor.lighthouse.chromePath');
            else if (choice === 'Show Output') this.ctx.output.show();
          });
          return { ok: false, error: { code: e.code, message: e.message } };
        } finally {
          sub.dispose();
        }
      });
    } catch (e) {
      this.ctx.output.error(`Lighthouse failed: ${(e as Error).stack ?? String(e)}`);
      panel?.setMessage(`Lighthouse failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`Perf Auditor: Lighthouse failed: ${(e as Error).message}`);
      return { ok: false, error: { code: 'INTERNAL', message: (e as Error).message } };
    } finally {
      this.running = false;
    }
  }

  async showReport(): Promise<void> {
    if (!this.last) {
      const choice = await vscode.window.showInformationMessage('Perf Auditor: no Lighthouse run yet in this window.', 'Run Lighthouse');
      if (choice) await vscode.commands.executeCommand(RUN_LIGHTHOUSE_COMMAND);
      return;
    }
    const panel = LighthousePanel.show(this.ctx, false);
    panel.setReport(this.last.report, this.last.date, await this.history(), this.last.savedTo, this.last.chromePath);
  }
}

/** Registers the Lighthouse commands (cheap: nothing heavy loads until a command runs). */
export function registerLighthouse(ctx: Ctx): LighthouseApi {
  const feature = new LighthouseFeature(ctx);
  ctx.disposables.push(
    vscode.commands.registerCommand(RUN_LIGHTHOUSE_COMMAND, (arg?: unknown) => feature.run(arg)),
    vscode.commands.registerCommand(SHOW_LIGHTHOUSE_REPORT_COMMAND, () => feature.showReport()),
  );
  return feature;
}
