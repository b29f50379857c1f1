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

  toUri(path: string): vscode.Uri | undefined {
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
