/** Context-menu commands of the checklist view and the status bar item. */
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { Node } from './nodes.js';
import type { ChecklistItemId } from '../kernel/model.js';
import type { ExternalItemEvidence } from '../kernel/checklist.js';
import { localDate } from '../kernel/memory/dates.js';
import { unsafeTarget } from './files.js';

/** ctx.evidence key of Lighthouse's verdicts (LIGHTHOUSE_EVIDENCE_KEY in lighthouse.ts). */
const LIGHTHOUSE_KEY = 'lighthouse';

type ItemNode = Extract<Node, { kind: 'item' }>;

function itemOf(node: unknown): ItemNode | undefined {
  return node && typeof node === 'object' && (node as Node).kind === 'item' ? (node as ItemNode) : undefined;
}

/** Writes a checklist mark into .perfauditrc.json. */
async function writeMark(ctx: Ctx, id: ChecklistItemId, mark: { status: 'pass' | 'not-applicable'; reason: string } | undefined): Promise<void> {
  const core = await ctx.loadCore();
  await editConfig(ctx, (text) => core.setChecklistOverride(text, id, mark && { ...mark, date: localDate() }));
}

/** Edits .perfauditrc.json through a WorkspaceEdit (respects an open, dirty editor), saves it and re-audits. */
async function editConfig(ctx: Ctx, transform: (text: string) => string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('open a folder first');
  const core = await ctx.loadCore();
  const uri = vscode.Uri.joinPath(folder.uri, core.SETTINGS_FILE);
  const unsafe = await unsafeTarget(uri);
  if (unsafe) throw new Error(`${core.SETTINGS_FILE} is not edited: ${unsafe}`);
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
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${core.SETTINGS_FILE}`);
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
    // (node, choice?): choice ('workspace' | 'lighthouse' | 'clear' | 'bundle') skips the question (tests, callers).
    vscode.commands.registerCommand('perfAuditor.rerunItem', (node?: unknown, choice?: unknown) => rerunItem(ctx, node, typeof choice === 'string' ? choice : undefined)),
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

/** Outside evidence (Lighthouse, bundle analysis) that decided an item, with how to refresh it. */
interface OutsideSource {
  key: string;
  evidence: ExternalItemEvidence;
}

/**
 * "Re-run Analyzers" on an item. The workspace analyzers re-read the files, but a verdict that came
 * from outside (a Lighthouse run, the bundle analysis) is kept in ctx.evidence until that analysis
 * runs again: for such items the user chooses to re-run it (Lighthouse on the same URL and preset),
 * to clear that item's outside verdict, or to re-run the workspace analyzers only.
 */
async function rerunItem(ctx: Ctx, node: unknown, choice?: string): Promise<void> {
  const core = await import('../kernel/checklist.js');
  const item = itemOf(node) ?? itemById(ctx, node);
  const budget = budgetOf(node);
  const id = item?.result.item.id ?? budget?.row.id;
  // The item as it stands now (the node may be stale).
  const current = item ? (ctx.audit?.checklist.find((r) => r.item.id === item.result.item.id) ?? item.result) : undefined;
  const sources: OutsideSource[] = current ? core.evidenceFor(current, ctx.evidence) : budget ? [...ctx.evidence].filter(([, ev]) => ev.budgets?.some((b) => b.id === budget.row.id)).map(([key, evidence]) => ({ key, evidence })) : [];
  let action = choice;
  let source = sources.find((x) => x.key === (action === 'bundle' ? 'bundle' : LIGHTHOUSE_KEY)) ?? sources[0];
  if (sources.length && action === undefined) {
    type Pick = vscode.QuickPickItem & { action: string; source?: OutsideSource };
    const picks: Pick[] = [];
    for (const x of sources) {
      const when = x.evidence.date ? ` of ${x.evidence.date}` : '';
      if (x.key === LIGHTHOUSE_KEY && x.evidence.target) picks.push({ label: `$(pulse) Re-run Lighthouse on ${x.evidence.target}`, description: x.evidence.preset, detail: `The verdict comes from the Lighthouse run${when}.`, action: 'lighthouse', source: x });
      if (x.key === 'bundle') picks.push({ label: '$(package) Re-run the bundle analysis', detail: `The verdict comes from the bundle analysis${when}.`, action: 'bundle', source: x });
      picks.push({ label: `$(clear-all) Clear the ${x.key === LIGHTHOUSE_KEY ? 'Lighthouse' : x.evidence.source} verdict for this item`, detail: 'Keeps the other items\' verdicts; the item is judged by the workspace until the next run.', action: 'clear', source: x });
    }
    picks.push({ label: '$(refresh) Re-run the workspace analyzers only', detail: 'Outside verdicts stay as they are.', action: 'workspace' });
    const title = item?.result.item.title ?? budget?.row.title ?? 'item';
    const pick = await vscode.window.showQuickPick(picks, { title: `Re-run: ${title}`, placeHolder: `${current?.reason ?? budget?.row.reason ?? ''}` });
    if (!pick) return;
    action = pick.action;
    source = pick.source ?? source;
  }
  if (action === 'lighthouse' && source?.evidence.target) {
    await vscode.commands.executeCommand('perfAuditor.runLighthouse', { url: source.evidence.target, ...(source.evidence.preset ? { preset: source.evidence.preset } : {}) });
  } else if (action === 'bundle') {
    await vscode.commands.executeCommand('perfAuditor.analyzeBundle');
  } else if (action === 'clear' && source && id) {
    const ev = ctx.evidence.get(source.key);
    if (ev) ctx.evidence.set(source.key, core.withoutItem(ev, id));
    ctx.output.info(`Cleared the ${source.evidence.source} verdict for ${id}.`);
  }
  const audit = await vscode.window.withProgress({ location: { viewId: 'perfAuditor.findings' }, title: 'Re-running the analyzers' }, () => ctx.runAudit());
  if (budget) {
    const row = core.budgetRows(ctx.evidence.values()).find((b) => b.id === budget.row.id);
    void vscode.window.showInformationMessage(row ? `Perf Auditor: ${row.title} — ${row.status} (${row.reason}).` : `Perf Auditor: ${budget.row.title} — no verdict (cleared).`);
    return;
  }
  const r = audit?.checklist.find((x) => x.item.id === id);
  if (r) void vscode.window.showInformationMessage(`Perf Auditor: ${r.item.title} — ${r.status} (${r.reason}).`);
}

type BudgetNode = Extract<Node, { kind: 'budget' }>;

function budgetOf(node: unknown): BudgetNode | undefined {
  return node && typeof node === 'object' && (node as Node).kind === 'budget' ? (node as BudgetNode) : undefined;
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
