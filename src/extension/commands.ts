/** The workspace-audit commands: audit the workspace or a file, output, report, baseline, rule docs. */
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import { ruleDocsFileUri } from './docs.js';
import { writeWorkspaceText } from './files.js';

export function registerAuditCommands(c: Ctx, context: vscode.ExtensionContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('perfAuditor.auditWorkspace', () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Perf Auditor: auditing workspace', cancellable: true }, async (progress, token) => {
        progress.report({ message: 'reading files…' });
        const audit = await c.runAudit(token);
        if (!audit) return;
        const fails = audit.checklist.filter((r) => r.status === 'fail').length;
        void vscode.window.showInformationMessage(`Perf Auditor: ${audit.findings.length} findings, ${fails} checklist items failing (${audit.stats.counts.statements ?? 0} SQL statements in ${audit.stats.counts.sqlFiles ?? 0} files).`);
      })),
    vscode.commands.registerCommand('perfAuditor.auditCurrentFile', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) {
        void vscode.window.showWarningMessage('Perf Auditor: open a file to audit it.');
        return;
      }
      await c.ensureInitialized();
      await c.fileChanged(doc.uri, doc.getText());
      await c.runAudit();
      const n = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'perf-auditor').length;
      void vscode.window.showInformationMessage(`Perf Auditor: ${n} finding${n === 1 ? '' : 's'} in ${vscode.workspace.asRelativePath(doc.uri)}.`);
    }),
    vscode.commands.registerCommand('perfAuditor.showOutput', () => c.output.show()),
    vscode.commands.registerCommand('perfAuditor.showReport', async () => {
      const { ReportPanel } = await import('./reportPanel.js');
      ReportPanel.show(c, () => c.memoryHistory());
    }),
    vscode.commands.registerCommand('perfAuditor.recordBaseline', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const audit = c.audit ?? (await c.runAudit());
      if (!folder || !audit) return;
      const { BASELINE_FILE, createBaseline } = await import('../kernel/baseline.js');
      const uri = vscode.Uri.joinPath(folder.uri, BASELINE_FILE);
      try {
        await writeWorkspaceText(uri, `${JSON.stringify(createBaseline(audit.findings), null, 2)}\n`);
      } catch (e) {
        void vscode.window.showErrorMessage(`Perf Auditor: baseline not written: ${(e as Error).message}`);
        return;
      }
      await c.runAudit();
      void vscode.window.showInformationMessage(`Perf Auditor: recorded ${audit.findings.length} findings as the baseline (${BASELINE_FILE}); CI can run perf-audit --baseline ${BASELINE_FILE}.`);
    }),
    vscode.commands.registerCommand('perfAuditor.showRuleDocs', async (ruleId: string) => {
      const uri = ruleDocsFileUri(context.extensionUri, ruleId);
      try {
        await vscode.workspace.fs.stat(uri);
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        void vscode.window.showWarningMessage(`Perf Auditor: no documentation page for rule "${ruleId}".`);
      }
    }),
  ];
}
