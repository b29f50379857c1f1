/** Context-menu commands of the checklist view and the status bar item. */
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { Node } from './tree.js';
import type { ChecklistItemId } from '../core/model.js';

type ItemNode = Extract<Node, { kind: 'item' }>;

function itemOf(node: unknown): ItemNode | undefined {
  return node && typeof node === 'object' && (node as Node).kind === 'item' ? (node as ItemNode) : undefined;
}

/** Writes a checklist mark into .perfauditrc.json. */
async function writeMark(ctx: Ctx, id: ChecklistItemId, mark: { status: 'pass' | 'not-applicable'; reason: string } | undefined): Promise<void> {
  const core = await ctx.loadCore();
  await editConfig(ctx, (text) => core.setChecklistOverride(text, id, mark && { ...mark, date: new Date().toISOString().slice(0, 10) }));
}

/** Edits .perfauditrc.json through a WorkspaceEdit (respects an open, dirty editor), saves it and re-audits. */
async function editConfig(ctx: Ctx, transform: (text: string) => string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('open a folder first');
  const core = await ctx.loadCore();
  const uri = vscode.Uri.joinPath(folder.uri, core.CONFIG_FILE);
  let doc: vscode.TextDocument | undefined;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch {
    doc = undefined;
  }
  const before = doc?.getText() ?? '';
  const after = transform(before);
  const edit = new vscode.WorkspaceEdit();
  if (!doc) {
    edit.createFile(uri, { ignoreIfExists: true });
    edit.insert(uri, new vscode.Position(0, 0), after);
  } else {
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(before.length)), after);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${core.CONFIG_FILE}`);
  const saved = await vscode.workspace.openTextDocument(uri);
  await saved.save();
  await ctx.reloadConfig();
  await ctx.runAudit();
}

export function registerChecklistCommands(ctx: Ctx): void {
  // (node, reason?): from the tree's context menu the reason is asked for; callers (and tests) may pass
  // an item id or node plus the reason.
  const mark = (status: 'pass' | 'not-applicable') => async (node?: unknown, givenReason?: string): Promise<void> => {
    const item = itemOf(node) ?? itemById(ctx, node) ?? (await pickItem(ctx));
    if (!item) return;
    const reason = typeof givenReason === 'string' ? givenReason : await vscode.window.showInputBox({
      title: `${status === 'pass' ? 'Mark as done' : 'Mark as not applicable'}: ${item.result.item.title}`,
      prompt: 'Why? (saved in .perfauditrc.json for the team)',
      placeHolder: status === 'pass' ? 'e.g. restore drill passed 2026-11-20' : 'e.g. internal tool, no public traffic',
      ignoreFocusOut: true,
    });
    if (reason === undefined) return;
    await writeMark(ctx, item.result.item.id, { status, reason });
  };
  ctx.disposables.push(
    vscode.commands.registerCommand('perfAuditor.markItemDone', mark('pass')),
    vscode.commands.registerCommand('perfAuditor.markItemNotApplicable', mark('not-applicable')),
    vscode.commands.registerCommand('perfAuditor.disableRule', async (ruleId?: unknown) => {
      if (typeof ruleId !== 'string' || !/^[a-z][a-z0-9-]*$/.test(ruleId)) return;
      const core = await ctx.loadCore();
      await editConfig(ctx, (text) => core.setRuleLevel(text, ruleId, 'off'));
    }),
    vscode.commands.registerCommand('perfAuditor.clearItemMark', async (node?: unknown) => {
      const item = itemOf(node) ?? itemById(ctx, node) ?? (await pickItem(ctx, true));
      if (item) await writeMark(ctx, item.result.item.id, undefined);
    }),
    vscode.commands.registerCommand('perfAuditor.rerunItem', async (node?: unknown) => {
      const item = itemOf(node);
      const audit = await vscode.window.withProgress({ location: { viewId: 'perfAuditor.findings' }, title: 'Re-running the analyzers' }, () => ctx.runAudit());
      const r = audit?.checklist.find((x) => x.item.id === item?.result.item.id);
      if (r) void vscode.window.showInformationMessage(`Perf Auditor: ${r.item.title} — ${r.status} (${r.reason}).`);
    }),
    vscode.commands.registerCommand('perfAuditor.openItemDocs', async (node?: unknown) => {
      const item = itemOf(node);
      const uri = vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'checklist.md');
      const doc = await vscode.workspace.openTextDocument(uri);
      const line = item ? doc.getText().split(/\r?\n/).findIndex((l) => l.trim() === `### ${item.result.item.id}`) : -1;
      await vscode.window.showTextDocument(doc, { preview: true, ...(line >= 0 ? { selection: new vscode.Range(line, 0, line, 0) } : {}) });
    }),
  );

  // Status bar: score and counts; click opens the checklist view.
  const status = vscode.window.createStatusBarItem('perfAuditor.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Perf Auditor';
  status.command = 'workbench.view.extension.perfAuditor';
  ctx.disposables.push(
    status,
    ctx.onDidAudit((audit) => {
      const errors = audit.findings.filter((f) => f.severity === 'error').length;
      const warnings = audit.findings.filter((f) => f.severity === 'warning').length;
      const fails = audit.checklist.filter((r) => r.status === 'fail').length;
      status.text = `$(dashboard) ${audit.score} $(error) ${errors} $(warning) ${warnings}`;
      const md = new vscode.MarkdownString(`**Perf Auditor** — score ${audit.score}/100\n\n${fails} checklist item${fails === 1 ? '' : 's'} failing · ${audit.findings.length} findings (${errors} errors, ${warnings} warnings)${ctx.baselineDiff ? `\n\nSince baseline: ${ctx.baselineDiff.added.length} new, ${ctx.baselineDiff.fixed.length} fixed` : ''}`);
      status.tooltip = md;
      status.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      status.show();
    }),
  );
}

function itemById(ctx: Ctx, id: unknown): ItemNode | undefined {
  const r = typeof id === 'string' ? ctx.audit?.checklist.find((x) => x.item.id === id) : undefined;
  return r ? { kind: 'item', result: r } : undefined;
}

async function pickItem(ctx: Ctx, manualOnly = false): Promise<ItemNode | undefined> {
  const audit = ctx.audit ?? (await ctx.runAudit());
  if (!audit) return undefined;
  const items = audit.checklist.filter((r) => !manualOnly || r.manual);
  const pick = await vscode.window.showQuickPick(items.map((r) => ({ label: r.item.title, description: `${r.item.group} · ${r.status}`, r })), { title: 'Checklist item' });
  return pick ? { kind: 'item', result: pick.r } : undefined;
}
