import * as vscode from 'vscode';
import { Ctx, isWatchedPath, WATCH_GLOB } from './ctx.js';
import { PerfCodeActions } from './codeActions.js';
import { FindingsTree } from './tree.js';
import { registerChecklistCommands } from './checklistCommands.js';
import { MemoryIntegration } from './memory.js';
import { registerLighthouse } from './lighthouse.js';
import { registerBundleFeatures } from './bundle.js';

let ctx: Ctx | undefined;

const DOC_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file' }, { scheme: 'vscode-remote' }, { scheme: 'vscode-vfs' }, { scheme: 'untitled' },
];

/** Editor text worth passing to the engine: the files the watcher watches (one list, in core). */
function relevant(doc: vscode.TextDocument): boolean {
  return isWatchedPath(doc.uri.path);
}

/** What the extension exports to other extensions and to its integration tests. */
export interface PerfAuditorApi {
  /** The last audit's findings, checklist and score (undefined before the first audit). */
  lastAudit(): import('../kernel/audit.js').WorkspaceAudit | undefined;
  /** Runs an audit now (incremental) and returns it. */
  audit(): Promise<import('../kernel/audit.js').WorkspaceAudit | undefined>;
  /** The checklist view as rendered (labels, descriptions, context values), for tests and tooling. */
  treeSnapshot(depth?: number): Promise<TreeSnapshot[]>;
  /** Import costs of a JS/TS document as computed for its decorations (undefined: not eligible or off), and how many lines were decorated. */
  importCosts(doc: vscode.TextDocument): Promise<{ costs: import('../analyzers/bundle/importcost/index.js').ImportCost[]; decorations: number } | undefined>;
}

export interface TreeSnapshot {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  children: TreeSnapshot[];
}

export function activate(context: vscode.ExtensionContext): PerfAuditorApi {
  const c = new Ctx(context);
  ctx = c;
  context.subscriptions.push(c);
  const t0 = Date.now();

  const findingsTree = new FindingsTree(c);
  c.tree = findingsTree;
  registerChecklistCommands(c);
  new MemoryIntegration(c);
  const lighthouse = registerLighthouse(c);
  c.disposables.push(lighthouse.onDidRun(() => {
    // Lighthouse's verdicts (set as ctx.evidence by the run) join the sidebar checklist.
    void c.runAudit();
  }));
  const bundle = registerBundleFeatures(c);
  c.bundleNodes = () => bundle.sidebarEntries().map((e) => ({ kind: 'memory-entry' as const, ...e }));
  c.disposables.push(bundle.onDidAnalyze((s) => {
    c.evidence.set('bundle', s.evidence);
    void c.runAudit();
  }));
  c.disposables.push(
    vscode.window.createTreeView('perfAuditor.findings', { treeDataProvider: c.tree, showCollapseAll: true }),
    vscode.languages.registerCodeActionsProvider(DOC_SELECTOR, new PerfCodeActions(c), { providedCodeActionKinds: PerfCodeActions.kinds }),

    vscode.commands.registerCommand('perfAuditor.auditWorkspace', () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Perf Auditor: auditing workspace', cancellable: true }, async (progress, token) => {
        progress.report({ message: 'reading files…' });
        const audit = await c.runAudit(token);
        if (!audit) return;
        const fails = audit.checklist.filter((r) => r.status === 'fail').length;
        void vscode.window.showInformationMessage(`Perf Auditor: ${audit.findings.length} findings, ${fails} checklist items failing (${audit.stats.statements} SQL statements in ${audit.stats.sqlFiles} files).`);
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
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${JSON.stringify(createBaseline(audit.findings), null, 2)}\n`));
      await c.runAudit();
      void vscode.window.showInformationMessage(`Perf Auditor: recorded ${audit.findings.length} findings as the baseline (${BASELINE_FILE}); CI can run perf-audit --baseline ${BASELINE_FILE}.`);
    }),
    vscode.commands.registerCommand('perfAuditor.showRuleDocs', async (ruleId: string) => {
      const uri = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${ruleId}.md`);
      try {
        await vscode.workspace.fs.stat(uri);
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        const { docsUrl } = await import('../kernel/contracts.js');
        await vscode.env.openExternal(vscode.Uri.parse(docsUrl(ruleId)));
      }
    }),

    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && relevant(e.document)) void c.fileChanged(e.document.uri, e.document.getText());
    }),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (relevant(d)) void c.fileChanged(d.uri, d.getText());
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (relevant(d)) void c.fileChanged(d.uri, d.getText());
    }),
    vscode.workspace.onDidCreateFiles((e) => e.files.forEach((u) => void c.fileChanged(u))),
    vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((u) => c.fileDeleted(u))),
    vscode.workspace.onDidRenameFiles((e) => e.files.forEach(({ oldUri, newUri }) => {
      c.fileDeleted(oldUri);
      void c.fileChanged(newUri);
    })),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('perfAuditor')) {
        if (!c.enabled) c.diagnostics.clear();
        void c.reloadConfig().then(() => c.schedule(0));
      }
    }),
  );
  const watcher = vscode.workspace.createFileSystemWatcher(WATCH_GLOB);
  c.disposables.push(
    watcher,
    watcher.onDidCreate((u) => void c.fileChanged(u)),
    watcher.onDidChange((u) => {
      // Open documents are tracked through their text; disk changes matter for the others.
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString() && d.isDirty)) void c.fileChanged(u);
    }),
    watcher.onDidDelete((u) => c.fileDeleted(u)),
  );

  // First audit off the activation path.
  c.schedule(0);
  c.output.info(`Activated in ${Date.now() - t0} ms`);
  const tree = findingsTree;
  const snapshot = async (nodes: import('./tree.js').Node[], depth: number): Promise<TreeSnapshot[]> =>
    Promise.all(nodes.map(async (n) => {
      const t = tree.getTreeItem(n);
      const label = typeof t.label === 'string' ? t.label : t.label?.label ?? '';
      return {
        label,
        ...(typeof t.description === 'string' ? { description: t.description } : {}),
        ...(t.contextValue ? { contextValue: t.contextValue } : {}),
        ...(t.iconPath instanceof vscode.ThemeIcon ? { icon: t.iconPath.id } : {}),
        children: depth > 1 ? await snapshot(tree.getChildren(n), depth - 1) : [],
      };
    }));
  return { lastAudit: () => c.audit, audit: () => c.runAudit(), treeSnapshot: (depth = 3) => snapshot(tree.getChildren(), depth), importCosts: (doc) => bundle.importCostsFor(doc) };
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
