/**
 * The Lighthouse report webview page: scores, metrics against budgets, checklist items, failing
 * audits with savings, findings (located ones open in the editor) and the history of the same URL
 * and preset. Same security model as the audit report (../report/html.ts): strict CSP, one nonce'd
 * script (the audit report's, posting only `{type: 'open', file, line}`), everything escaped, no
 * inline styles or handlers. Pure.
 */
import { REPORT_SCRIPT, escapeHtml, pageHead } from '../../kernel/report/html.js';
import type { LighthouseReport } from './types.js';
import type { LighthouseHistoryEntry } from './memory.js';
import { formatBytes, formatMs, shortUrl } from './lhr.js';
import { lighthouseData } from './map.js';

export interface LighthouseHtmlOptions {
  nonce: string;
  cspSource: string;
  styleUri?: string;
  /** Local date and time of the run. */
  date: string;
  /** Earlier runs (any URL; those of this URL and preset are shown). */
  history?: readonly LighthouseHistoryEntry[];
  /** Where the results were saved (e.g. ".superagent/memory/performance-data.md"), or why not. */
  savedTo?: string;
  /** Chromium used. */
  chromePath?: string;
}

const TITLE = 'Perf Auditor: Lighthouse';

function table(headers: [string, string?][], rows: string[]): string {
  const th = headers.map(([h, cls]) => `<th${cls ? ` class="${cls}"` : ''} scope="col">${escapeHtml(h)}</th>`).join('');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

const STATUS_TEXT: Record<string, string> = { pass: 'Pass', fail: 'Fail', unknown: 'Unknown', 'not-applicable': 'N/A' };

function metricText(unit: string, v: number | null): string {
  if (v === null) return '–';
  return unit === 'unitless' ? v.toFixed(3) : formatMs(v);
}

/** A page shown while Lighthouse runs or after it failed. */
export function renderLighthousePlaceholder(message: string, opts: Pick<LighthouseHtmlOptions, 'nonce' | 'cspSource' | 'styleUri'> & { busy?: boolean; detail?: string[] }): string {
  return [
    pageHead(TITLE, opts),
    `<body class="placeholder"${opts.busy ? ' aria-busy="true"' : ''}>`,
    `<h1>${escapeHtml(TITLE)}</h1>`,
    `<p class="empty">${escapeHtml(message)}</p>`,
    ...(opts.detail?.length ? ['<ul>', ...opts.detail.map((d) => `<li>${escapeHtml(d)}</li>`), '</ul>'] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function renderLighthouseHtml(r: LighthouseReport, opts: LighthouseHtmlOptions): string {
  const out: string[] = [pageHead(`${TITLE} — ${r.finalUrl || r.url}`, opts), '<body>'];
  out.push('<header class="report-header">', `<h1>Lighthouse: ${escapeHtml(r.finalUrl || r.url)}</h1>`, '</header>');

  out.push('<section class="summary" aria-label="Summary">', '<dl>');
  const dd = (label: string, value: string, cls = ''): void => {
    out.push(`<div><dt>${escapeHtml(label)}</dt><dd${cls ? ` class="${cls}"` : ''}>${value}</dd></div>`);
  };
  dd('Performance score', `${r.score ?? '–'}${r.runs > 1 ? ` <span class="detail">(runs: ${escapeHtml(r.scores.map((s) => s ?? '–').join(', '))})</span>` : ''}`, 'score');
  dd('Date', escapeHtml(opts.date));
  dd('Preset', escapeHtml(r.preset));
  dd('Runs', escapeHtml(r.runs === 1 ? '1' : `${r.runs} (median: run ${r.medianRun + 1})`));
  dd('Lighthouse', escapeHtml(`${r.lighthouseVersion}${r.throttlingMethod ? `, ${r.throttlingMethod} throttling` : ''}`));
  if (opts.chromePath) dd('Chromium', `<code>${escapeHtml(opts.chromePath)}</code>`);
  if (opts.savedTo) dd('Saved to', escapeHtml(opts.savedTo));
  out.push('</dl>', '</section>');

  if (r.warnings.length) {
    out.push('<section id="warnings">', `<h2>Lighthouse warnings${r.reliable ? '' : ' — results not trusted'}</h2>`);
    if (!r.reliable) out.push('<p>The page did not finish loading during the run: checklist items are not marked as passing on this evidence.</p>');
    out.push('<ul>', ...r.warnings.map((w) => `<li class="severity-warning">${escapeHtml(w)}</li>`), '</ul>', '</section>');
  }

  out.push('<section id="metrics">', '<h2>Metrics</h2>');
  out.push(table([['Metric'], [r.runs > 1 ? 'Median' : 'Value', 'num'], ...(r.runs > 1 ? [['Min–max', 'num'] as [string, string]] : []), ['Budget', 'num'], ['Status']], r.metrics.map((m) => {
    const b = r.budgets.find((x) => x.metric === m.id);
    const st = b ? b.status : '';
    return `<tr class="item${st ? ` status-${escapeHtml(st)}` : ''}"><td>${escapeHtml(`${m.label} (${m.acronym})`)}</td><td class="num">${escapeHtml(metricText(m.unit, m.median))}</td>${r.runs > 1 ? `<td class="num">${escapeHtml(m.min !== null && m.max !== null ? `${metricText(m.unit, m.min)}–${metricText(m.unit, m.max)}` : '–')}</td>` : ''}<td class="num">${b ? escapeHtml(`${formatMs(b.budgetMs)} (budgets.${b.budgetKey})`) : ''}</td><td>${b ? `<span class="status status-${escapeHtml(b.status)}">${escapeHtml(STATUS_TEXT[b.status] ?? b.status)}</span>` : ''}</td></tr>`;
  })));
  out.push('</section>');

  out.push('<section id="checklist">', '<h2>Checklist</h2>');
  out.push(table([['Item'], ['Status'], ['Reason'], ['Findings', 'num']], r.checklist.map((it) => {
    const st = escapeHtml(it.status);
    return `<tr class="item status-${st}"><td>${escapeHtml(it.title)}</td><td><span class="status status-${st}">${escapeHtml(STATUS_TEXT[it.status] ?? it.status)}</span></td><td>${escapeHtml(it.reason)}</td><td class="num">${it.findings}</td></tr>`;
  })));
  out.push('</section>');

  out.push('<section id="opportunities">', '<h2>Failing audits</h2>');
  if (!r.opportunities.length) out.push('<p class="empty">No failing performance audit.</p>');
  else {
    out.push(table([['Audit'], ['Result'], ['Est. savings', 'num'], ['Resources']], r.opportunities.map((o) => {
      const save = [o.savingsMs ? formatMs(o.savingsMs) : '', o.savingsBytes ? formatBytes(o.savingsBytes) : ''].filter(Boolean).join(', ');
      const res = o.items.slice(0, 3).map((i) => `${escapeHtml(shortUrl(i.url, r.finalUrl))}${i.wastedBytes ? ` <span class="detail">(${escapeHtml(formatBytes(i.wastedBytes))})</span>` : ''}`).join('<br>');
      return `<tr><td>${escapeHtml(o.title)} <code>${escapeHtml(o.audit)}</code>${o.checklistItem ? ` <span class="detail">→ ${escapeHtml(o.checklistItem)}</span>` : ''}</td><td>${escapeHtml(o.displayValue ?? '')}</td><td class="num">${escapeHtml(save || '–')}</td><td>${res || '–'}${o.items.length > 3 ? ` <span class="detail">+${o.items.length - 3}</span>` : ''}</td></tr>`;
    })));
  }
  out.push('</section>');

  out.push('<section id="findings">', '<h2>Findings</h2>');
  if (!r.findings.length) out.push('<p class="empty">No findings.</p>');
  else {
    out.push(table([['Location'], ['Severity'], ['Rule'], ['Message']], r.findings.map((f) => {
      const located = lighthouseData(f)?.located === true;
      const line = f.range.start.line + 1;
      const loc = located
        ? `<a href="#" class="open" data-file="${escapeHtml(f.file)}" data-line="${line}" title="Open ${escapeHtml(f.file)} at line ${line}">${escapeHtml(f.file)}:${line}</a>`
        : `<span title="${escapeHtml(f.file)}">${escapeHtml(shortUrl(f.file, r.finalUrl))}</span>`;
      const sev = escapeHtml(f.severity);
      return `<tr class="finding severity-${sev}"><td>${loc}</td><td><span class="severity severity-${sev}">${sev}</span></td><td><a class="rule" href="#" data-rule="${escapeHtml(f.ruleId)}" title="Show the documentation of ${escapeHtml(f.ruleId)}">${escapeHtml(f.ruleId)}</a></td><td>${escapeHtml(f.message)}</td></tr>`;
    })));
  }
  out.push('</section>');

  const same = (opts.history ?? []).filter((h) => h.url === r.url && h.preset === r.preset).slice(-15);
  out.push('<section id="trend">', '<h2>History</h2>');
  if (!same.length) out.push(`<p class="empty">No earlier Lighthouse runs of this URL (${escapeHtml(r.preset)}) recorded in the workspace memory.</p>`);
  else {
    out.push(table([['Run'], ['Score', 'num'], ['LCP', 'num'], ['TTI', 'num'], ['TBT', 'num'], ['CLS', 'num'], ['Failing items']], same.map((h) =>
      `<tr><td>${escapeHtml(h.date)}</td><td class="num">${h.score ?? '–'}</td><td class="num">${escapeHtml(formatMs(h.lcp))}</td><td class="num">${escapeHtml(formatMs(h.tti))}</td><td class="num">${escapeHtml(formatMs(h.tbt))}</td><td class="num">${h.cls === null ? '–' : escapeHtml(h.cls.toFixed(3))}</td><td>${h.failing.length ? escapeHtml(h.failing.join(', ')) : '—'}</td></tr>`)));
  }
  out.push('</section>');

  out.push(`<script nonce="${escapeHtml(opts.nonce)}">\n${REPORT_SCRIPT}\n</script>`);
  out.push('</body>', '</html>', '');
  return out.join('\n');
}
