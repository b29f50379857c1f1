/**
 * Workspace files the extension reads besides the audited ones (settings, baselines, memory files):
 * local files through the kernel's file layer — a link out of the workspace, a FIFO or a device is
 * refused, so no outside content reaches a message — other schemes through vscode.workspace.fs.
 */
import * as vscode from 'vscode';
import { readWorkspaceFile, unsafeWriteTarget, writeWorkspaceFile } from '../kernel/files.js';

/** The text of a workspace file; throws (like vscode.workspace.fs.readFile) when it is missing or refused. */
export async function readWorkspaceText(uri: vscode.Uri, maxBytes = 4 * 1024 * 1024): Promise<string> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (uri.scheme === 'file' && folder?.uri.scheme === 'file') {
    const r = await readWorkspaceFile(folder.uri.fsPath, uri.fsPath, { maxBytes });
    if (!r.ok) throw Object.assign(new Error(r.reason), { code: r.refusal === 'missing' ? 'FileNotFound' : 'Refused' });
    return r.text;
  }
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

/** Why an edit of `uri` must not be applied (a link on the way, outside the workspace), or undefined. */
export async function unsafeTarget(uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder || folder.uri.scheme !== 'file') return 'not inside a workspace folder';
  return unsafeWriteTarget(folder.uri.fsPath, uri.fsPath);
}

/** Writes a workspace file Perf Auditor owns (a baseline): local files atomically, never through a link. */
export async function writeWorkspaceText(uri: vscode.Uri, text: string): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (uri.scheme === 'file' && folder?.uri.scheme === 'file') {
    const r = await writeWorkspaceFile(folder.uri.fsPath, uri.fsPath, text);
    if (!r.ok) throw new Error(r.reason);
    return;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}
