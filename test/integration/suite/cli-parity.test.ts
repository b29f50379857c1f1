// The editor and CI never disagree: the diagnostics the extension publishes for the demo workspace
// equal the findings `perf-audit --format json` prints for the same folder (rule, file, range,
// severity). Read-only: runs before sql-file.test.ts changes the workspace.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { EXTENSION_ID, SOURCE, extensionApi, waitFor, workspaceRoot } from './helpers';

type Row = string;

const SEVERITY: Record<number, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function row(rule: string, file: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }, severity: string): Row {
  return `${file}:${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${severity} ${rule}`;
}

function editorRows(): Row[] {
  const root = workspaceRoot().fsPath;
  const rows: Row[] = [];
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    for (const d of diags) {
      if (d.source !== SOURCE) continue;
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      rows.push(row(String(code), path.relative(root, uri.fsPath).split(path.sep).join('/'), d.range, SEVERITY[d.severity]));
    }
  }
  return rows.sort();
}

describe('editor diagnostics = CLI findings (demo workspace)', () => {
  it('every finding of perf-audit --format json is a diagnostic in the editor, and nothing else is', async () => {
    const api = await extensionApi();
    await waitFor('the first audit', () => api.lastAudit());
    await api.audit();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const cli = path.join(ext.extensionPath, 'dist', 'cli.js');
    // The editor does not analyse build output (Analyze Bundle does, on demand): the CLI's --no-bundle.
    const out = execFileSync(process.execPath, [cli, workspaceRoot().fsPath, '--format', 'json', '--fail-on', 'none', '--no-bundle'], {
      encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 << 20,
    });
    const report = JSON.parse(out) as { findings: { ruleId: string; file: string; severity: string; range: Parameters<typeof row>[2] }[] };
    const cliRows = report.findings.map((f) => row(f.ruleId, f.file, f.range, f.severity)).sort();
    assert.ok(cliRows.length >= 10, `the demo should have findings; the CLI printed ${cliRows.length}`);
    const inEditor = await waitFor('the editor to publish the same diagnostics as the CLI', () => {
      const rows = editorRows();
      return rows.length === cliRows.length && rows.every((r, k) => r === cliRows[k]) ? rows : undefined;
    }, 20_000).catch(() => editorRows());
    assert.deepStrictEqual(inEditor, cliRows);
  });
});
