/** What the extension exports to other extensions and to its integration tests. */
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { FindingsTree, Node } from './tree.js';

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

export function createApi(c: Ctx, findingsTree: FindingsTree, bundle: { importCostsFor: PerfAuditorApi['importCosts'] }): PerfAuditorApi {
  const tree = findingsTree;
  const snapshot = async (nodes: Node[], depth: number): Promise<TreeSnapshot[]> =>
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
