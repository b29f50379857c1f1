import * as vscode from 'vscode';
import type { Finding, Fix, Range, Severity } from '../kernel/model.js';
import { ruleDocsUri } from './docs.js';
import type { PathMapper } from './paths.js';

export const SOURCE = 'perf-auditor';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toDiagnostic(f: Finding, paths: PathMapper): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  d.code = { value: f.ruleId, target: ruleDocsUri(f.ruleId) };
  const related = f.related
    .map((r) => {
      const uri = paths.toUri(r.file);
      return uri ? new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message) : undefined;
    })
    .filter((x): x is vscode.DiagnosticRelatedInformation => !!x);
  if (related.length) d.relatedInformation = related;
  return d;
}

/** Identity of a diagnostic across the extension host boundary (code actions get copies). */
export function diagnosticKey(ruleId: string, r: vscode.Range | Range, message: string): string {
  const s = 'line' in r.start ? r.start : r.start;
  const e = r.end;
  return `${ruleId}|${s.line}:${s.character}-${e.line}:${e.character}|${message}`;
}

export function toWorkspaceEdit(fix: Fix, paths: PathMapper): vscode.WorkspaceEdit | undefined {
  const edit = new vscode.WorkspaceEdit();
  for (const ch of fix.changes) {
    const uri = paths.toUri(ch.file);
    if (!uri) return undefined;
    if (ch.create) {
      // createFile + insert (not `contents`): a `contents` buffer does not survive the trip through
      // vscode.executeCodeActionProvider in current VS Code versions.
      edit.createFile(uri, { ignoreIfExists: false });
      edit.insert(uri, new vscode.Position(0, 0), ch.create.newText);
    } else {
      for (const e of ch.edits ?? []) edit.replace(uri, toRange(e.range), e.newText);
    }
  }
  return edit;
}
