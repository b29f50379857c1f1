import type { Finding } from '../model.js';
import type { ItemResult } from '../checklist.js';
import type { AuditStats } from '../engine.js';

const ICON: Record<string, string> = { pass: '✔', fail: '✖', unknown: '?', 'not-applicable': '–' };

/**
 * The text report. `docsPath` gives the local documentation page of a rule: each rule that reported
 * something is listed once with its page under "Rule documentation".
 */
export function formatText(findings: Finding[], opts: { checklist?: ItemResult[]; stats?: AuditStats; color?: boolean; docsPath?: (ruleId: string) => string } = {}): string {
  const c = (code: number, s: string): string => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor: Record<string, number> = { error: 31, warning: 33, info: 36, hint: 90 };
  const lines: string[] = [];
  let lastFile = '';
  for (const f of findings) {
    if (f.file !== lastFile) {
      if (lastFile) lines.push('');
      lines.push(c(4, f.file));
      lastFile = f.file;
    }
    const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
    lines.push(`  ${pos.padEnd(8)} ${c(sevColor[f.severity] ?? 0, f.severity.padEnd(7))} ${f.message}  ${c(90, f.ruleId)}${f.fixes.length ? c(90, ' (fixable)') : ''}`);
  }
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  if (findings.length) lines.push('');
  lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.error} errors, ${counts.warning} warnings, ${counts.info} info)${opts.stats ? ` in ${opts.stats.files} files, ${opts.stats.counts.statements ?? 0} SQL statements, ${opts.stats.durationMs.toFixed(0)} ms` : ''}`);
  if (opts.docsPath && findings.length) {
    lines.push('', c(1, 'Rule documentation'));
    for (const id of [...new Set(findings.map((f) => f.ruleId))].sort()) lines.push(`  ${id.padEnd(34)} ${opts.docsPath(id)}`);
  }
  if (opts.checklist) {
    lines.push('', c(1, 'Checklist'));
    let group = '';
    for (const r of opts.checklist) {
      if (r.item.group !== group) {
        group = r.item.group;
        lines.push(`  ${group}`);
      }
      const col = r.status === 'pass' ? 32 : r.status === 'fail' ? 31 : 90;
      lines.push(`    ${c(col, ICON[r.status])} ${r.item.title.padEnd(48)} ${c(90, `${r.status} — ${r.reason}`)}`);
    }
  }
  return lines.join('\n');
}
