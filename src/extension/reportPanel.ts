/**
 * The report webview: the last audit's score, checklist, findings and trend, re-rendered after
 * every audit. One panel at a time; findings open in the editor; "Export Markdown" saves the
 * Markdown report. The page runs only a nonce'd script (fresh nonce per render) under a strict CSP.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { Ctx } from './ctx.js';
import type { WorkspaceAudit } from '../kernel/audit.js';
import type { HistoryEntry, MarkdownReportOptions } from '../kernel/report/markdown.js';
import { budgetRows } from '../kernel/checklist.js';
import type { ReportMessage } from '../kernel/report/html.js';

const VIEW_TYPE = 'perfAuditor.report';
const TITLE = 'Perf Auditor Report';
const EXPORT_FILE = 'perf-audit-report.md';

function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Local date and time, e.g. "2025-01-31 14:05". */
function formatDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export class ReportPanel implements vscode.Disposable {
  static readonly viewType = VIEW_TYPE;
  private static current: ReportPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly media: vscode.Uri;
  private renderSeq = 0;
  private disposed = false;
  /** An audit changed while the panel was hidden: render when it is shown again. */
  private stale = false;
  private auditedAt = new Date();
  private firstAudit?: Promise<WorkspaceAudit | undefined>;
  private exporting = false;

  /** Shows the report (creating the panel, or revealing and refreshing the existing one). */
  static show(ctx: Ctx, getHistory: () => Promise<HistoryEntry[]>): ReportPanel {
    const existing = ReportPanel.current;
    if (existing && !existing.disposed) {
      existing.getHistory = getHistory;
      existing.panel.reveal();
      existing.render();
      return existing;
    }
    const media = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [media],
    });
    ReportPanel.current = new ReportPanel(ctx, panel, media, getHistory);
    ReportPanel.current.render();
    return ReportPanel.current;
  }

  private constructor(
    private readonly ctx: Ctx,
    private readonly panel: vscode.WebviewPanel,
    media: vscode.Uri,
    private getHistory: () => Promise<HistoryEntry[]>,
  ) {
    this.media = media;
    panel.iconPath = vscode.Uri.joinPath(media, 'perf-auditor.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (this.panel.visible && this.stale) this.render();
      }),
      ctx.onDidAudit(() => {
        this.auditedAt = new Date();
        if (this.panel.visible) this.render();
        else this.stale = true;
      }),
    );
    ctx.disposables.push(this);
  }

  private render(): void {
    this.stale = false;
    this.renderAsync().catch((e: unknown) => this.ctx.output.error(`Report: ${(e as Error).stack ?? String(e)}`));
  }

  private async renderAsync(): Promise<void> {
    const seq = ++this.renderSeq;
    const current = (): boolean => !this.disposed && seq === this.renderSeq;
    const html = await import('../kernel/report/html.js');
    const webview = this.panel.webview;
    const base = (): { nonce: string; cspSource: string; styleUri: string } => ({
      nonce: newNonce(),
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'report.css')).toString(),
    });
    const placeholder = (message: string, busy = false): void => {
      if (current()) webview.html = html.renderHtmlPlaceholder(message, { ...base(), busy });
    };

    let audit = this.ctx.audit;
    if (!audit) {
      placeholder('No audit yet: auditing the workspace…', true);
      try {
        this.firstAudit ??= this.ctx.runAudit().finally(() => (this.firstAudit = undefined));
        audit = await this.firstAudit;
      } catch (e) {
        placeholder(`No audit yet: the audit failed (${(e as Error).message}). See "Perf Auditor: Show Output".`);
        return;
      }
      // A newer render (from the audit event) takes over; otherwise this audit was cancelled or is disabled.
      if (!audit) {
        placeholder('No audit yet. Run "Perf Auditor: Audit Workspace" (and check that "perfAuditor.enable" is on).');
        return;
      }
      this.auditedAt = new Date();
    }

    const history = await this.history();
    if (!current()) return;
    webview.html = html.renderHtmlReport(audit, { ...base(), ...this.reportOptions(history) });
  }

  private reportOptions(history: HistoryEntry[]): MarkdownReportOptions {
    const diff = this.ctx.baselineDiff;
    return {
      title: TITLE,
      date: formatDate(this.auditedAt),
      history,
      budgets: budgetRows(this.ctx.evidence.values()),
      ...(diff ? { baseline: { new: diff.added.length, fixed: diff.fixed.length } } : {}),
    };
  }

  private async history(): Promise<HistoryEntry[]> {
    try {
      const h = await this.getHistory();
      return Array.isArray(h) ? h : [];
    } catch (e) {
      this.ctx.output.warn(`Report: audit history unavailable: ${(e as Error).message}`);
      return [];
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const { parseReportMessage } = await import('../kernel/report/html.js');
    const msg = parseReportMessage(raw);
    if (!msg || this.disposed) return;
    try {
      if (msg.type === 'open') await this.open(msg);
      else if (msg.type === 'docs') await vscode.commands.executeCommand('perfAuditor.showRuleDocs', msg.ruleId);
      else await this.exportMarkdown();
    } catch (e) {
      void vscode.window.showErrorMessage(`Perf Auditor: ${(e as Error).message}`);
    }
  }

  /** Opens a finding's file at the line; only files of the current audit's findings (the page is not trusted). */
  private async open(msg: Extract<ReportMessage, { type: 'open' }>): Promise<void> {
    const finding = this.ctx.audit?.findings.find((f) => f.file === msg.file && f.range.start.line === msg.line - 1)
      ?? this.ctx.audit?.findings.find((f) => f.file === msg.file);
    if (!finding) return;
    const uri = this.ctx.paths.toUri(finding.file);
    if (!uri) return;
    const pos = new vscode.Position(msg.line - 1, finding.range.start.line === msg.line - 1 ? finding.range.start.character : 0);
    const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: column, preview: true });
  }

  private async exportMarkdown(): Promise<void> {
    if (this.exporting) return;
    const audit = this.ctx.audit;
    if (!audit) {
      void vscode.window.showWarningMessage('Perf Auditor: no audit to export yet.');
      return;
    }
    this.exporting = true;
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const target = await vscode.window.showSaveDialog({
        title: 'Export Perf Auditor Report',
        saveLabel: 'Export',
        filters: { Markdown: ['md'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder.uri, EXPORT_FILE) } : {}),
      });
      if (!target) return;
      const [{ renderMarkdownReport }, history] = await Promise.all([import('../kernel/report/markdown.js'), this.history()]);
      const text = renderMarkdownReport(audit, this.reportOptions(history));
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      const choice = await vscode.window.showInformationMessage(`Perf Auditor: report saved to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
      if (choice === 'Open') await vscode.window.showTextDocument(target);
    } finally {
      this.exporting = false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ReportPanel.current === this) ReportPanel.current = undefined;
    const i = this.ctx.disposables.indexOf(this);
    if (i >= 0) this.ctx.disposables.splice(i, 1);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
