/**
 * Rule documentation inside VS Code, offline: the pages ship in the extension (docs/rules/<id>.md)
 * and open as read-only markdown documents of the `perf-auditor-docs` scheme — the target of every
 * diagnostic's code link — or in the markdown preview ("Show documentation").
 */
import * as vscode from 'vscode';

export const DOCS_SCHEME = 'perf-auditor-docs';

/** The read-only document of a rule's bundled docs page: what a diagnostic's code links to. */
export function ruleDocsUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/rules/${ruleId}.md` });
}

/** The bundled file of a rule's docs page. */
export function ruleDocsFileUri(extensionUri: vscode.Uri, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${ruleId}.md`);
}

/** Serves `perf-auditor-docs:/rules/<id>.md` from the extension's docs/rules folder (ids only: no path leaves it). */
export function registerRuleDocs(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, {
    async provideTextDocumentContent(uri) {
      const m = /^\/rules\/([a-z0-9][a-z0-9-]*)\.md$/.exec(uri.path);
      if (!m) return `# Not found\n\nPerf Auditor has no documentation page at ${uri.path}.\n`;
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(ruleDocsFileUri(extensionUri, m[1])));
      } catch {
        return `# ${m[1]}\n\nPerf Auditor has no documentation page for the rule "${m[1]}".\n`;
      }
    },
  });
}
