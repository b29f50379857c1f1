import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { Finding } from '../core/model.js';
import type { ItemResult } from '../core/checklist.js';
import { toRange } from './convert.js';

type Node =
  | { kind: 'group'; group: string; items: ItemResult[] }
  | { kind: 'item'; result: ItemResult }
  | { kind: 'finding'; finding: Finding };

const STATUS_ICON: Record<string, [string, string]> = {
  pass: ['pass', 'testing.iconPassed'],
  fail: ['error', 'testing.iconFailed'],
  unknown: ['circle-large-outline', 'disabledForeground'],
  'not-applicable': ['circle-slash', 'disabledForeground'],
};

/** The findings view: checklist groups → items (with status) → findings (click to reveal). */
export class FindingsTree implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    ctx.disposables.push(this.emitter, ctx.onDidAudit(() => this.emitter.fire(undefined)));
  }

  getChildren(node?: Node): Node[] {
    const audit = this.ctx.audit;
    if (!audit) return [];
    if (!node) {
      const groups = new Map<string, ItemResult[]>();
      for (const r of audit.checklist) groups.set(r.item.group, [...(groups.get(r.item.group) ?? []), r]);
      return [...groups].map(([group, items]) => ({ kind: 'group', group, items }));
    }
    if (node.kind === 'group') return node.items.map((result) => ({ kind: 'item', result }));
    if (node.kind === 'item') return node.result.findings.map((finding) => ({ kind: 'finding', finding }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const fails = node.items.filter((i) => i.status === 'fail').length;
      const t = new vscode.TreeItem(node.group, vscode.TreeItemCollapsibleState.Expanded);
      t.description = fails ? `${fails} failing` : undefined;
      t.contextValue = 'group';
      return t;
    }
    if (node.kind === 'item') {
      const r = node.result;
      const t = new vscode.TreeItem(r.item.title, r.findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      const [icon, color] = STATUS_ICON[r.status];
      t.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
      t.description = `${r.status}${r.findings.length ? ` · ${r.findings.length}` : ''}`;
      t.tooltip = `${r.item.title}\n${r.status}: ${r.reason}`;
      t.id = `item:${r.item.id}`;
      t.contextValue = `item.${r.status}`;
      return t;
    }
    const f = node.finding;
    const t = new vscode.TreeItem(f.message.split(/(?<=[.:])\s/)[0] ?? f.message, vscode.TreeItemCollapsibleState.None);
    t.description = `${f.file}:${f.range.start.line + 1}`;
    t.tooltip = `${f.ruleId}: ${f.message}`;
    t.iconPath = new vscode.ThemeIcon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info');
    const uri = this.ctx.paths.toUri(f.file);
    if (uri) t.command = { command: 'vscode.open', title: 'Reveal', arguments: [uri, { selection: toRange(f.range) }] };
    t.contextValue = 'finding';
    return t;
  }
}
