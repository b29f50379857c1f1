/** Keeps the engine's files current: edits of open documents (debounced by ctx), saves, creates, deletes, renames, setting changes and disk changes under the watched globs. */
import * as vscode from 'vscode';
import { isWatchedPath, WATCH_GLOB, type Ctx } from './ctx.js';

/** Editor text worth passing to the engine: the files the watcher watches (the registry's one list). */
function relevant(doc: vscode.TextDocument): boolean {
  return isWatchedPath(doc.uri.path);
}

export function watchWorkspace(c: Ctx): vscode.Disposable[] {
  const watcher = vscode.workspace.createFileSystemWatcher(WATCH_GLOB);
  return [
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && relevant(e.document)) void c.fileChanged(e.document.uri, e.document.getText());
    }),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (relevant(d)) void c.fileChanged(d.uri, d.getText());
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (relevant(d)) void c.fileChanged(d.uri, d.getText());
    }),
    vscode.workspace.onDidCreateFiles((e) => e.files.forEach((u) => void c.fileChanged(u))),
    vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((u) => c.fileDeleted(u))),
    vscode.workspace.onDidRenameFiles((e) => e.files.forEach(({ oldUri, newUri }) => {
      c.fileDeleted(oldUri);
      void c.fileChanged(newUri);
    })),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('perfAuditor')) {
        if (!c.enabled) c.diagnostics.clear();
        void c.reloadConfig().then(() => c.schedule(0));
      }
    }),
    watcher,
    watcher.onDidCreate((u) => void c.fileChanged(u)),
    watcher.onDidChange((u) => {
      // Open documents are tracked through their text; disk changes matter for the others.
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString() && d.isDirty)) void c.fileChanged(u);
    }),
    watcher.onDidDelete((u) => c.fileDeleted(u)),
  ];
}
