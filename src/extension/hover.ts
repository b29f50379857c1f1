/**
 * Hover over an ORM call: the SQL it runs and, per filtered column, the index that serves it (from
 * the last audit's annotations, computed in the audit worker; nothing is parsed on the extension host).
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { Annotation } from '../kernel/model.js';

/** Markdown for one annotation; code in a fenced block, nothing the workspace wrote is interpreted. */
export function annotationMarkdown(a: Annotation): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**Perf Auditor** · ');
  md.appendText(a.title);
  const [sql, ...rest] = a.detail;
  if (sql) md.appendCodeblock(sql, 'sql');
  for (const line of rest) {
    md.appendMarkdown('- ');
    md.appendText(line);
    md.appendMarkdown('\n');
  }
  return md;
}

export class OrmHover implements vscode.HoverProvider {
  constructor(private readonly ctx: Ctx) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const annotations = this.ctx.audit?.annotations;
    if (!annotations?.length) return undefined;
    const path = this.ctx.paths.toPath(doc.uri);
    if (!path) return undefined;
    for (const a of annotations) {
      if (a.file !== path) continue;
      const range = new vscode.Range(a.range.start.line, a.range.start.character, a.range.end.line, a.range.end.character);
      if (range.contains(pos)) return new vscode.Hover(annotationMarkdown(a), range);
    }
    return undefined;
  }
}
