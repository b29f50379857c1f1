import * as vscode from 'vscode';

/** Maps URIs to the engine's workspace-relative posix paths and back (multi-root: prefixed by folder name). */
export class PathMapper {
  private readonly byPath = new Map<string, vscode.Uri>();

  toPath(uri: vscode.Uri): string | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const rel = vscode.workspace.asRelativePath(uri, multi).replace(/\\/g, '/');
    this.byPath.set(rel, uri);
    return rel;
  }

  /**
   * The workspace file of an engine path; undefined for what is not a workspace path (a URL such as
   * `http://127.0.0.1:8080/good`, or any other string with a URI scheme), never a URL joined onto the
   * workspace folder.
   */
  toUri(path: string): vscode.Uri | undefined {
    if (hasScheme(path)) return undefined;
    const known = this.byPath.get(path);
    if (known) return known;
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folders.length) return undefined;
    if (folders.length > 1) {
      const [head, ...rest] = path.split('/');
      const folder = folders.find((f) => f.name === head);
      return folder ? vscode.Uri.joinPath(folder.uri, ...rest) : undefined;
    }
    return vscode.Uri.joinPath(folders[0].uri, ...path.split('/'));
  }

  forget(path: string): void {
    this.byPath.delete(path);
  }
}

/**
 * A string with a URI scheme: `scheme://…` (http, https, file, …), or one of the schemes that take no
 * slashes (`data:`, `mailto:`, `http:/x` …). A Windows drive letter (`C:`) is not a scheme, nor is a
 * relative path with a colon in a file name (`notes/a:b.md`, `a:b.md`).
 */
export function hasScheme(path: string): boolean {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(path) || /^(https?|wss?|ftp|file|data|blob|about|javascript|mailto|vscode|vscode-[a-z-]+|command|untitled|chrome|chrome-extension|edge):/i.test(path);
}
