import * as vscode from 'vscode';
import { OrmHover } from './hover.js';
import { Ctx } from './ctx.js';
import { PerfCodeActions } from './codeActions.js';
import { FindingsTree } from './tree.js';
import { registerChecklistCommands } from './checklistCommands.js';
import { MemoryIntegration } from './memory.js';
import { registerLighthouse } from './lighthouse.js';
import { registerBundleFeatures } from './bundle.js';
import { registerRuleDocs } from './docs.js';
import { registerAuditCommands } from './commands.js';
import { watchWorkspace } from './workspaceEvents.js';
import { createApi, type PerfAuditorApi } from './api.js';

/** The extension's composition root: builds the context and registers each feature; activation does no work of its own. */
let ctx: Ctx | undefined;

const DOC_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file' }, { scheme: 'vscode-remote' }, { scheme: 'vscode-vfs' }, { scheme: 'untitled' },
];

/** Languages whose ORM calls get a hover (the SQL they run). */
const ORM_SELECTOR: vscode.DocumentSelector = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'python'].map((language) => ({ language }));

export type { PerfAuditorApi, TreeSnapshot } from './api.js';

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
    vscode.languages.registerHoverProvider(ORM_SELECTOR, new OrmHover(c)),
    registerRuleDocs(context.extensionUri),
    ...registerAuditCommands(c, context),
    ...watchWorkspace(c),
  );

  // First audit off the activation path.
  c.schedule(0);
  c.output.info(`Activated in ${Date.now() - t0} ms`);
  return createApi(c, findingsTree, bundle);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
