import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import { SOURCE, toWorkspaceEdit } from './convert.js';
import { supportsSuppressionComments } from '../kernel/suppress.js';
import { REGISTRY } from '../analyzers/registry.js';
import { unsafeTarget } from './files.js';

/** Quick fixes for Perf Auditor diagnostics: the rule's fixes, "disable for this line", "show documentation". */
export class PerfCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly ctx: Ctx) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const docsShown = new Set<string>();
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const ruleId = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
      const finding = this.ctx.findingFor(doc.uri, d);
      for (const fix of finding?.fixes ?? []) {
        const edit = toWorkspaceEdit(fix, this.ctx.paths);
        if (!edit) continue;
        // A fix never writes through a link (a migrations folder linked outside the workspace).
        const unsafe = (await Promise.all(edit.entries().map(([uri]) => unsafeTarget(uri)))).find(Boolean);
        if (unsafe) {
          this.ctx.output.warn(`Quick fix "${fix.title}" not offered: ${unsafe}.`);
          continue;
        }
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = edit;
        a.diagnostics = [d];
        a.isPreferred = !!fix.preferred;
        actions.push(a);
      }
      const line = d.range.start.line;
      if (supportsSuppressionComments(doc.uri.path)) {
        const indent = /^\s*/.exec(doc.lineAt(line).text)![0];
        const disable = new vscode.CodeAction(`Disable perf-auditor/${ruleId} for this line`, vscode.CodeActionKind.QuickFix);
        disable.edit = new vscode.WorkspaceEdit();
        disable.edit.insert(doc.uri, new vscode.Position(line, 0), REGISTRY.disableNextLineComment(doc.uri.path, ruleId, indent, doc.getText(), line));
        disable.diagnostics = [d];
        actions.push(disable);
      } else {
        const off = new vscode.CodeAction(`Turn off perf-auditor/${ruleId} in .perfauditrc.json`, vscode.CodeActionKind.QuickFix);
        off.command = { command: 'perfAuditor.disableRule', title: 'Turn off rule', arguments: [ruleId] };
        off.diagnostics = [d];
        actions.push(off);
      }
      if (!docsShown.has(ruleId)) {
        docsShown.add(ruleId);
        const docs = new vscode.CodeAction(`Show documentation for ${ruleId}`, vscode.CodeActionKind.QuickFix);
        docs.command = { command: 'perfAuditor.showRuleDocs', title: 'Show documentation', arguments: [ruleId] };
        actions.push(docs);
      }
    }
    return actions;
  }
}
