/** A Lighthouse report as text, JSON and SARIF (the CLI's formats). Pure. */
import type { Finding } from '../../kernel/model.js';
import type { BaselineDiff } from '../../kernel/baseline.js';
import { toSarif, fingerprint } from '../../kernel/report/sarif.js';
import { ruleDocsFile } from '../../kernel/docs.js';
import { redactFinding } from '../../kernel/redact.js';
import type { LighthouseReport, LighthouseRunSettings } from './types.js';
import { formatBytes, formatMs } from './lhr.js';
import { LIGHTHOUSE_RULE_METAS } from './rules.js';

const ICON: Record<string, string> = { pass: '✔', fail: '✖', unknown: '?', 'not-applicable': '–' };

function metricValue(unit: string, v: number | null): string {
  if (v === null) return '–';
  return unit === 'unitless' ? v.toFixed(3) : formatMs(v);
}

export function formatLighthouseText(r: LighthouseReport, opts: { color?: boolean; root?: string } = {}): string {
  const c = (code: number, s: string): string => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor: Record<string, number> = { error: 31, warning: 33, info: 36, hint: 90 };
  const out: string[] = [];
  out.push(c(1, `Lighthouse ${r.lighthouseVersion}: ${r.finalUrl || r.url}`));
  out.push(`${r.preset}, ${r.runs === 1 ? '1 run' : `median of ${r.runs} runs (run ${r.medianRun + 1} reported)`}${r.throttlingMethod ? `, ${r.throttlingMethod} throttling` : ''}`);
  out.push(`Performance score: ${r.score ?? '–'}${r.runs > 1 ? `  (runs: ${r.scores.map((s) => s ?? '–').join(', ')})` : ''}`);
  if (r.warnings.length) {
    out.push('', c(33, `Lighthouse warnings${r.reliable ? '' : ' (the page did not finish loading: passes are not trusted)'}:`));
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  out.push('', c(1, 'Metrics') + (r.runs > 1 ? ' (median, min–max)' : ''));
  for (const m of r.metrics) {
    const budget = r.budgets.find((b) => b.metric === m.id);
    const range = r.runs > 1 && m.min !== null && m.max !== null ? `  ${metricValue(m.unit, m.min)}–${metricValue(m.unit, m.max)}` : '';
    const b = budget ? `  budget ${formatMs(budget.budgetMs)} ${budget.status === 'fail' ? c(31, '✖ over') : budget.status === 'pass' ? c(32, '✔') : '?'}` : '';
    out.push(`  ${m.acronym.padEnd(4)} ${m.label.padEnd(26)} ${metricValue(m.unit, m.median).padStart(8)}${range}${b}`);
  }
  out.push('', c(1, 'Checklist'));
  for (const it of r.checklist) {
    const col = it.status === 'pass' ? 32 : it.status === 'fail' ? 31 : 90;
    out.push(`  ${c(col, ICON[it.status] ?? '?')} ${it.title.padEnd(44)} ${c(90, `${it.status} — ${it.reason}`)}`);
  }
  if (r.opportunities.length) {
    out.push('', c(1, 'Failing audits'));
    for (const o of r.opportunities) {
      const save = [o.savingsMs ? `~${formatMs(o.savingsMs)}` : '', o.savingsBytes ? formatBytes(o.savingsBytes) : ''].filter(Boolean).join(', ');
      out.push(`  ${o.audit.padEnd(34)} ${(o.displayValue ?? '').padEnd(28)} ${save ? c(90, `saves ${save}`) : ''}`.trimEnd());
    }
  }
  out.push('', c(1, `Findings (${r.findings.length})`));
  let last = '';
  for (const f of r.findings) {
    if (f.file !== last) {
      out.push(`  ${c(4, f.file)}`);
      last = f.file;
    }
    const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
    out.push(`    ${pos.padEnd(7)} ${c(sevColor[f.severity] ?? 0, f.severity.padEnd(7))} ${f.message}  ${c(90, f.ruleId)}`);
  }
  return out.join('\n');
}

function isUrl(file: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file);
}

/** Text lines comparing the findings with a baseline (as the main CLI prints them). */
export function formatBaselineText(diff: BaselineDiff): string {
  let out = `Compared with the baseline: ${diff.added.length} new, ${diff.unchanged.length} unchanged, ${diff.fixed.length} fixed`;
  for (const f of diff.added) out += `\n  new    ${f.file}:${f.range.start.line + 1}  ${f.ruleId}  ${f.message}`;
  for (const e of diff.fixed) out += `\n  fixed  ${e.file}:${e.line}  ${e.ruleId}  ${e.message}`;
  return out;
}

export function lighthouseJson(r: LighthouseReport, extra: { version: string; settings: LighthouseRunSettings; root?: string; chromePath?: string; baseline?: BaselineDiff }): object {
  const diff = extra.baseline;
  return {
    version: extra.version,
    lighthouse: {
      version: r.lighthouseVersion,
      url: r.url,
      finalUrl: r.finalUrl,
      fetchTime: r.fetchTime,
      settings: { ...extra.settings, ...(extra.chromePath ? { chromePath: extra.chromePath } : {}) },
      throttlingMethod: r.throttlingMethod,
      runs: r.runs,
      medianRun: r.medianRun,
      score: r.score,
      scores: r.scores,
      reliable: r.reliable,
      warnings: r.warnings,
    },
    ...(extra.root ? { root: extra.root } : {}),
    metrics: r.metrics,
    budgets: r.budgets,
    checklist: r.checklist,
    opportunities: r.opportunities,
    findings: r.findings.map((f) => ({ ...redactFinding(f), fingerprint: fingerprint(f), docs: ruleDocsFile(f.ruleId), ...(diff ? { baselineState: diff.added.includes(f) ? 'new' : 'unchanged' } : {}) })),
    ...(diff ? { baseline: { new: diff.added.length, unchanged: diff.unchanged.length, fixed: diff.fixed } } : {}),
  };
}

/**
 * SARIF 2.1.0 via the shared writer. Findings still on a URL (not moved onto a workspace file) get
 * that absolute URL as their artifact location, without the SRCROOT base.
 */
export function lighthouseSarif(r: LighthouseReport, opts: { version: string; root?: string; baseline?: BaselineDiff }): object {
  const diff = opts.baseline;
  const sarif = toSarif(r.findings, LIGHTHOUSE_RULE_METAS, { version: opts.version, ...(opts.root ? { root: opts.root } : {}), ...(diff ? { isNew: (f: Finding) => diff.added.includes(f) } : {}) }) as {
    runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[]; properties?: Record<string, unknown> }[];
  };
  const run = sarif.runs[0];
  r.findings.forEach((f: Finding, i) => {
    if (!isUrl(f.file)) return;
    const loc = run.results[i]?.locations[0]?.physicalLocation.artifactLocation;
    if (loc) {
      loc.uri = f.file;
      delete loc.uriBaseId;
    }
  });
  run.properties = {
    lighthouse: { version: r.lighthouseVersion, url: r.url, finalUrl: r.finalUrl, preset: r.preset, runs: r.runs, score: r.score, reliable: r.reliable, warnings: r.warnings },
    metrics: Object.fromEntries(r.metrics.map((m) => [m.id, m.median])),
    budgets: r.budgets,
  };
  return sarif;
}
