import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { Finding } from '../kernel/model.js';
import { budgetRows, type ItemResult } from '../kernel/checklist.js';
import { toRange } from './convert.js';
import type { MemoryEntryData, Node } from './nodes.js';

export type { MemoryEntryData, Node };

/** The Lighthouse report command (extension/lighthouse.ts; not imported, to keep activation light). */
const SHOW_LIGHTHOUSE_REPORT = 'perfAuditor.showLighthouseReport';

/** A finding that is about a page or resource URL rather than a workspace file (Lighthouse, unlocated). */
export function urlOf(f: Finding): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(f.file) ? f.file : undefined;
}

const STATUS_ICON: Record<string, [string, string]> = {
  pass: ['pass', 'testing.iconPassed'],
  fail: ['error', 'testing.iconFailed'],
  unknown: ['circle-large-outline', 'disabledForeground'],
  'not-applicable': ['circle-slash', 'disabledForeground'],
};

/**
 * The checklist view: Frontend / Backend / Database / Operations groups → items (pass / fail /
 * unknown / not applicable, with the reason) → findings; a baseline node (new and fixed findings
 * since the recorded baseline) and a memory node (what .superagent/memory already records).
 */
export class FindingsTree implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    ctx.disposables.push(this.emitter, ctx.onDidAudit(() => this.refresh()));
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getParent(): undefined {
    return undefined;
  }

  getChildren(node?: Node): Node[] {
    const audit = this.ctx.audit;
    if (!node) {
      if (!audit) return [];
      const groups = new Map<string, ItemResult[]>();
      for (const r of audit.checklist) groups.set(r.item.group, [...(groups.get(r.item.group) ?? []), r]);
      // Measured budgets (Lighthouse page load / TTI) are rows of their own in their group.
      const budgets = budgetRows(this.ctx.evidence.values());
      const top: Node[] = [...groups].map(([group, items]) => {
        const b = budgets.filter((x) => x.group === group);
        return b.length ? { kind: 'group', group, items, budgets: b } : { kind: 'group', group, items };
      });
      if (this.ctx.baselineDiff) top.push({ kind: 'baseline' });
      if (this.ctx.bundleNodes().length) top.push({ kind: 'bundle' });
      top.push({ kind: 'memory' });
      return top;
    }
    switch (node.kind) {
      case 'group':
        return [...node.items.map((result): Node => ({ kind: 'item', result })), ...(node.budgets ?? []).map((row): Node => ({ kind: 'budget', row }))];
      case 'item': {
        const added = new Set(this.ctx.baselineDiff?.added ?? []);
        return node.result.findings.map((finding) => ({ kind: 'finding', finding, isNew: added.has(finding) }));
      }
      case 'budget':
        return node.row.findings.map((finding) => ({ kind: 'finding', finding }));
      case 'baseline':
        return [{ kind: 'baseline-list', which: 'new' }, { kind: 'baseline-list', which: 'fixed' }];
      case 'baseline-list': {
        const d = this.ctx.baselineDiff;
        if (!d) return [];
        return node.which === 'new' ? d.added.map((finding) => ({ kind: 'finding', finding, isNew: true })) : d.fixed.map((entry) => ({ kind: 'fixed', entry }));
      }
      case 'memory':
        return this.ctx.memoryNodes();
      case 'bundle':
        return this.ctx.bundleNodes();
      case 'memory-entry':
        return (node.children ?? []).map((c) => ({ kind: 'memory-entry', ...c }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const rows = [...node.items, ...(node.budgets ?? [])];
        const fails = rows.filter((i) => i.status === 'fail').length;
        const passes = rows.filter((i) => i.status === 'pass').length;
        const t = new vscode.TreeItem(node.group, vscode.TreeItemCollapsibleState.Expanded);
        t.description = `${passes} pass · ${fails} fail`;
        t.id = `group:${node.group}`;
        t.contextValue = 'group';
        return t;
      }
      case 'item': {
        const r = node.result;
        const t = new vscode.TreeItem(r.item.title, r.findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        const [icon, color] = STATUS_ICON[r.status];
        t.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        t.description = `${r.status === 'not-applicable' ? 'n/a' : r.status}${r.findings.length ? ` · ${r.findings.length}` : ''}${r.manual ? ' (by hand)' : ''}`;
        t.tooltip = new vscode.MarkdownString(`**${r.item.title}** — ${r.status}\n\n${r.reason}`);
        t.id = `item:${r.item.id}`;
        t.contextValue = `item.${r.status}${r.manual ? '.manual' : ''}`;
        return t;
      }
      case 'budget': {
        const r = node.row;
        const t = new vscode.TreeItem(r.title, r.findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        const [icon, color] = STATUS_ICON[r.status];
        t.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        t.description = `${r.status === 'not-applicable' ? 'n/a' : r.status}${r.findings.length ? ` · ${r.findings.length}` : ''} · budget`;
        t.tooltip = new vscode.MarkdownString(`**${r.title}** — ${r.status}\n\n${r.reason}\n\nA budget, not a checklist item: it does not count in the score. Click for the Lighthouse report.`);
        t.id = `budget:${r.id}`;
        t.contextValue = `budget.${r.status}`;
        t.command = { command: SHOW_LIGHTHOUSE_REPORT, title: 'Show Lighthouse Report' };
        return t;
      }
      case 'finding': {
        const f = node.finding;
        const t = new vscode.TreeItem(f.message.split(/(?<=[.:])\s/)[0] ?? f.message, vscode.TreeItemCollapsibleState.None);
        const url = urlOf(f);
        t.description = `${node.isNew ? 'new · ' : ''}${url ?? `${f.file}:${f.range.start.line + 1}`}`;
        t.tooltip = `${f.ruleId}: ${f.message}`;
        t.iconPath = new vscode.ThemeIcon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info');
        if (url) {
          // About a page or resource, not a workspace file: the Lighthouse report explains it (its
          // findings name the URL; the URL itself is one click away there and in the tooltip).
          t.command = f.data?.source === 'lighthouse'
            ? { command: SHOW_LIGHTHOUSE_REPORT, title: 'Show Lighthouse Report' }
            : { command: 'vscode.open', title: 'Open URL', arguments: [vscode.Uri.parse(url)] };
          t.tooltip = `${f.ruleId}: ${f.message}\n${url}`;
        } else {
          const uri = this.ctx.paths.toUri(f.file);
          if (uri) t.command = { command: 'vscode.open', title: 'Reveal', arguments: [uri, { selection: toRange(f.range) }] };
        }
        t.contextValue = url ? 'finding.url' : 'finding';
        return t;
      }
      case 'baseline': {
        const d = this.ctx.baselineDiff!;
        const t = new vscode.TreeItem('Since baseline', vscode.TreeItemCollapsibleState.Collapsed);
        t.description = `${d.added.length} new · ${d.fixed.length} fixed`;
        t.tooltip = `Compared with the baseline recorded ${this.ctx.baselineCreated ?? ''} (.perfaudit-baseline.json)`;
        t.iconPath = new vscode.ThemeIcon('diff');
        t.id = 'baseline';
        t.contextValue = 'baseline';
        return t;
      }
      case 'baseline-list': {
        const d = this.ctx.baselineDiff!;
        const n = node.which === 'new' ? d.added.length : d.fixed.length;
        const t = new vscode.TreeItem(node.which === 'new' ? 'New findings' : 'Fixed findings', n ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        t.description = String(n);
        t.iconPath = new vscode.ThemeIcon(node.which === 'new' ? 'diff-added' : 'diff-removed');
        t.id = `baseline:${node.which}`;
        return t;
      }
      case 'fixed': {
        const t = new vscode.TreeItem(node.entry.message.split(/(?<=[.:])\s/)[0] ?? node.entry.message, vscode.TreeItemCollapsibleState.None);
        t.description = `fixed · ${node.entry.file}:${node.entry.line}`;
        t.tooltip = `${node.entry.ruleId}: ${node.entry.message}`;
        t.iconPath = new vscode.ThemeIcon('check');
        return t;
      }
      case 'bundle': {
        const t = new vscode.TreeItem('Bundle', vscode.TreeItemCollapsibleState.Collapsed);
        t.tooltip = 'Build outputs, budgets and heavy dependencies (Perf Auditor: Analyze Bundle)';
        t.iconPath = new vscode.ThemeIcon('package');
        t.id = 'bundle';
        t.contextValue = 'bundle';
        return t;
      }
      case 'memory': {
        const t = new vscode.TreeItem('Memory', vscode.TreeItemCollapsibleState.Collapsed);
        t.description = this.ctx.memorySummary();
        t.tooltip = 'What the team has recorded in .superagent/memory/*.md';
        t.iconPath = new vscode.ThemeIcon('book');
        t.id = 'memory';
        t.contextValue = 'memory';
        return t;
      }
      case 'memory-entry': {
        const t = new vscode.TreeItem(node.label, node.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        t.description = node.description;
        t.tooltip = node.tooltip;
        if (node.file) {
          const uri = this.ctx.paths.toUri(node.file);
          if (uri) t.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
          t.iconPath = new vscode.ThemeIcon('markdown');
        }
        return t;
      }
    }
  }
}
