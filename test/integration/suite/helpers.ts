import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'perf-auditor.perf-auditor';
export const SOURCE = 'perf-auditor';

/** Activates the extension under test (idempotent) and returns it. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the test instance`);
  await ext.activate();
  return ext;
}

/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const suffix = lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${suffix}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test instance has no workspace folder open');
  return folder.uri;
}

export function workspaceUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function openDocument(relativePath: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relativePath));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/**
 * Range of `token` inside the first line of `doc` containing `context`
 * (the token is searched from where `context` starts on that line).
 */
export function rangeOf(doc: vscode.TextDocument, context: string, token: string): vscode.Range {
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineAt(line).text;
    const at = text.indexOf(context);
    if (at < 0) continue;
    const col = text.indexOf(token, at);
    assert.ok(col >= 0, `"${token}" not found in "${context}"`);
    return new vscode.Range(line, col, line, col + token.length);
  }
  throw new Error(`"${context}" not found in ${doc.uri.fsPath}`);
}

export function codeValue(d: vscode.Diagnostic): string | number | undefined {
  const code = d.code;
  if (code === undefined || typeof code === 'string' || typeof code === 'number') return code;
  return code.value;
}

export function describeDiagnostics(diags: readonly vscode.Diagnostic[]): string {
  if (diags.length === 0) return '(none)';
  return diags
    .map((d) => {
      const r = d.range;
      return `${d.source ?? '?'}/${String(codeValue(d))} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} "${d.message}"`;
    })
    .join('; ');
}

/** Ours: source perf-auditor and the given rule code. */
export function ourDiagnostics(uri: vscode.Uri, rule: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && codeValue(d) === rule);
}

/** Waits until a perf-auditor diagnostic of `rule` with exactly `range` is reported for `uri`. */
export async function waitForDiagnostic(uri: vscode.Uri, rule: string, range: vscode.Range): Promise<vscode.Diagnostic> {
  try {
    return await waitFor(`a ${SOURCE}/${rule} diagnostic at ${fmt(range)}`, () =>
      ourDiagnostics(uri, rule).find((d) => d.range.isEqual(range)),
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}; diagnostics on ${vscode.workspace.asRelativePath(uri)}: ` +
        describeDiagnostics(vscode.languages.getDiagnostics(uri)),
      { cause: err },
    );
  }
}

export function fmt(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

// ------------------------------------------------------------ extension API --
// Structural copies of the types in src/core (model.ts, checklist.ts, audit.ts) and
// src/extension/main.ts (PerfAuditorApi), kept minimal so the suite type-checks on its own.

export interface ApiPosition {
  line: number;
  character: number;
}

export interface ApiFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** Workspace-relative path with forward slashes. */
  file: string;
  range: { start: ApiPosition; end: ApiPosition };
  checklistItem: string;
}

export interface ApiItemResult {
  item: { id: string; group: string; title: string };
  status: 'pass' | 'fail' | 'unknown' | 'not-applicable';
  reason: string;
  findings: ApiFinding[];
  /** Marked by hand in .perfauditrc.json. */
  manual?: boolean;
}

export interface ApiWorkspaceAudit {
  findings: ApiFinding[];
  stats: Record<string, unknown>;
  checklist: ApiItemResult[];
  score: number;
}

/** A node of the checklist view as rendered (PerfAuditorApi.treeSnapshot). */
export interface TreeSnapshot {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  children: TreeSnapshot[];
}

export interface PerfAuditorApi {
  lastAudit(): ApiWorkspaceAudit | undefined;
  audit(): Promise<ApiWorkspaceAudit | undefined>;
  /** The checklist view as rendered, `depth` levels deep (default 3). */
  treeSnapshot(depth?: number): Promise<TreeSnapshot[]>;
}

/** Activates the extension and returns what activate() returned, checked to be the API. */
export async function extensionApi(): Promise<PerfAuditorApi> {
  const ext = await activateExtension();
  const api = ext.exports as Partial<PerfAuditorApi> | undefined;
  assert.ok(api && typeof api === 'object', `activate() returned ${typeof api}, expected the Perf Auditor API`);
  assert.strictEqual(typeof api.lastAudit, 'function', 'exports.lastAudit is not a function');
  assert.strictEqual(typeof api.audit, 'function', 'exports.audit is not a function');
  assert.strictEqual(typeof api.treeSnapshot, 'function', 'exports.treeSnapshot is not a function');
  return api as PerfAuditorApi;
}

/** Waits until no perf-auditor diagnostic of `rule` on `uri` satisfies `match`. */
export async function waitForNoDiagnostic(
  uri: vscode.Uri,
  rule: string,
  what: string,
  match: (d: vscode.Diagnostic) => boolean = () => true,
): Promise<void> {
  try {
    await waitFor(`${what} to disappear`, () => (ourDiagnostics(uri, rule).some(match) ? undefined : true));
  } catch (err) {
    throw new Error(
      `${(err as Error).message}; diagnostics on ${vscode.workspace.asRelativePath(uri)}: ` +
        describeDiagnostics(vscode.languages.getDiagnostics(uri)),
      { cause: err },
    );
  }
}

/** All tabs of all groups. */
export function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

/** Code actions (not bare commands) VS Code collects for `range`, edits resolved. */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const result = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    undefined,
    100,
  );
  return (result ?? []).filter((a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string');
}

// ------------------------------------------------------------- checklist view --

/** The child of `nodes` labelled `label`, then its child labelled `path[0]`, … (undefined if absent). */
export function treeNode(nodes: readonly TreeSnapshot[], label: string, ...path: string[]): TreeSnapshot | undefined {
  let node = nodes.find((n) => n.label === label);
  for (const l of path) node = node?.children.find((n) => n.label === l);
  return node;
}

/** The checklist item `title` (second level, under any group). */
export function treeItem(nodes: readonly TreeSnapshot[], title: string): TreeSnapshot | undefined {
  for (const group of nodes) {
    const item = group.children.find((n) => n.label === title);
    if (item) return item;
  }
  return undefined;
}

/** One line per node, indented: `label — description [contextValue] (icon)`, for failure messages. */
export function describeTree(nodes: readonly TreeSnapshot[], indent = ''): string {
  return nodes
    .map((n) => {
      const line = `${indent}${n.label}${n.description !== undefined ? ` — ${n.description}` : ''}` +
        `${n.contextValue ? ` [${n.contextValue}]` : ''}${n.icon ? ` (${n.icon})` : ''}`;
      return n.children.length ? `${line}\n${describeTree(n.children, `${indent}  `)}` : line;
    })
    .join('\n');
}

/**
 * Polls the checklist view (treeSnapshot) until `probe` returns something other than undefined;
 * on timeout the error shows the last rendered tree.
 */
export async function waitForTree<T>(
  api: PerfAuditorApi,
  what: string,
  probe: (tree: TreeSnapshot[]) => T | undefined,
  depth = 3,
  timeoutMs = 30_000,
): Promise<T> {
  let last: TreeSnapshot[] = [];
  try {
    return await waitFor(what, async () => {
      last = await api.treeSnapshot(depth);
      return probe(last);
    }, timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the checklist view shows:\n${describeTree(last)}`, { cause: err });
  }
}

/** Today as the extension dates marks and memory entries (UTC, YYYY-MM-DD). */
/** Today's local date, as Perf Auditor writes dates (src/kernel/memory/dates.ts), not the UTC date. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  return vscode.workspace.fs.readFile(uri);
}

/**
 * Deletes a file through a WorkspaceEdit, as a user would (a folder, which a WorkspaceEdit cannot
 * back up for undo, with workspace.fs); no-op when it does not exist.
 */
export async function deletePath(uri: vscode.Uri): Promise<void> {
  if (!(await fileExists(uri))) return;
  if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) {
    await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
  } else {
    const e = new vscode.WorkspaceEdit();
    e.deleteFile(uri, { ignoreIfNotExists: true });
    assert.strictEqual(await vscode.workspace.applyEdit(e), true, `deleting ${vscode.workspace.asRelativePath(uri)} failed`);
  }
  await waitFor(`${vscode.workspace.asRelativePath(uri)} to be gone`, async () => ((await fileExists(uri)) ? undefined : true), 10_000);
}
