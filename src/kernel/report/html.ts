/**
 * The audit as an HTML document for the report webview: the same sections as the Markdown report,
 * the trend as an inline SVG chart, theme colours from VS Code's CSS variables (media/report.css).
 *
 * Security: a strict CSP (nothing but nonce'd scripts/styles and the webview's own resources),
 * no inline event handlers or style attributes, every user-derived string HTML-escaped. The page
 * talks to the extension only through the messages of `ReportMessage`, which the extension
 * validates with `parseReportMessage`.
 */
import type { WorkspaceAudit } from '../audit.js';
import {
  DEFAULT_TITLE, GROUPS, STATUS_TEXT, budgetsOf, displayLine, fmtNum, groupFindings, normalizeHistory, sortedChecklist, summaryLines,
  type HistoryEntry, type MarkdownReportOptions,
} from './markdown.js';

export interface HtmlReportOptions extends MarkdownReportOptions {
  /** A fresh random value per render (base64 / alphanumeric). */
  nonce: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** A webview URI of media/report.css. */
  styleUri?: string;
  /** A webview URI of a script to load instead of the built-in inline one. */
  scriptUri?: string;
}

/** Messages the report page posts to the extension. `line` is 1-based. */
export type ReportMessage = { type: 'open'; file: string; line: number } | { type: 'docs'; ruleId: string } | { type: 'exportMarkdown' };

/** Validates a message from the webview; anything unexpected → undefined (to be ignored). */
export function parseReportMessage(msg: unknown): ReportMessage | undefined {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return undefined;
  const m = msg as Record<string, unknown>;
  if (m.type === 'exportMarkdown') return { type: 'exportMarkdown' };
  if (m.type === 'docs') return typeof m.ruleId === 'string' && /^[a-z0-9][a-z0-9-]{0,99}$/.test(m.ruleId) ? { type: 'docs', ruleId: m.ruleId } : undefined;
  if (m.type === 'open') {
    const { file, line } = m;
    // eslint-disable-next-line no-control-regex
    if (typeof file !== 'string' || file === '' || file.length > 4096 || /[\u0000-\u001f]/.test(file)) return undefined;
    if (typeof line !== 'number' || !Number.isSafeInteger(line) || line < 1) return undefined;
    return { type: 'open', file, line };
  }
  return undefined;
}

export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const NONCE = /^[A-Za-z0-9+/_=-]{8,}$/;

/** The Content-Security-Policy of every report page. */
export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  if (!NONCE.test(nonce)) throw new Error('report: the nonce must be a random base64/alphanumeric string of at least 8 characters');
  // webview.cspSource: "https://*.vscode-cdn.net" in VS Code, "'self' https://*.vscode-cdn.net" in code-server.
  // eslint-disable-next-line no-control-regex
  if (!cspSource.trim() || /[;,"<>\u0000-\u001f]/.test(cspSource) || /'(unsafe-|strict-dynamic|nonce-|sha\d)/i.test(cspSource)) {
    throw new Error(`report: invalid CSP source ${JSON.stringify(cspSource)}`);
  }
  return `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
}

/** Posts `ReportMessage`s: a click on a finding's location opens it, on its rule shows the rule's docs; the export button exports. */
export const REPORT_SCRIPT = `(function () {
  'use strict';
  var vscode = acquireVsCodeApi();
  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var link = target.closest('a[data-file]');
    if (link) {
      event.preventDefault();
      var line = parseInt(link.getAttribute('data-line') || '1', 10);
      vscode.postMessage({ type: 'open', file: link.getAttribute('data-file') || '', line: line > 0 ? line : 1 });
      return;
    }
    var rule = target.closest('a[data-rule]');
    if (rule) {
      event.preventDefault();
      vscode.postMessage({ type: 'docs', ruleId: rule.getAttribute('data-rule') || '' });
      return;
    }
    if (target.closest('[data-action="exportMarkdown"]')) {
      event.preventDefault();
      vscode.postMessage({ type: 'exportMarkdown' });
    }
  });
})();`;

/**
 * A webview page's opening up to its title (doctype, `<head>`, charset, the CSP meta, viewport,
 * title), one line each: the head's content that every report page (audit, Lighthouse, treemap) shares.
 */
export function headOpening(title: string, opts: { nonce: string; cspSource: string }): string[] {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // The policy's parts are validated (no quotes or angle brackets), so its single quotes stay readable.
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(opts.nonce, opts.cspSource).replace(/[&"<>]/g, escapeHtml)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
  ];
}

/** A report page's whole head: headOpening, the stylesheet link (when given) and `</head>`. */
export function pageHead(title: string, opts: Pick<HtmlReportOptions, 'nonce' | 'cspSource' | 'styleUri'>): string {
  const lines = headOpening(title, opts);
  if (opts.styleUri) lines.push(`<link rel="stylesheet" nonce="${escapeHtml(opts.nonce)}" href="${escapeHtml(opts.styleUri)}">`);
  lines.push('</head>');
  return lines.join('\n');
}

/** A page without an audit (e.g. "No audit yet" while the first audit runs). */
export function renderHtmlPlaceholder(message: string, opts: Pick<HtmlReportOptions, 'nonce' | 'cspSource' | 'styleUri' | 'title'> & { busy?: boolean }): string {
  const title = opts.title ?? DEFAULT_TITLE;
  return [
    pageHead(title, opts),
    `<body class="placeholder"${opts.busy ? ' aria-busy="true"' : ''}>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="empty">${escapeHtml(message)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Trend chart.

const W = 640;
const H = 260;
const M = { left: 44, right: 52, top: 16, bottom: 44 };
const MAX_DATE_LABELS = 6;

/** A coordinate with one decimal (never NaN: callers pass finite numbers; guarded anyway). */
function n1(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 10) / 10) : '0';
}

/** The smallest "nice" axis maximum ≥ max with four equal integer steps (4, 8, 20, 40, 100, 200…). */
export function niceAxisMax(max: number): number {
  const perStep = Math.max(1, Math.ceil((Number.isFinite(max) ? max : 0) / 4));
  const mag = 10 ** Math.floor(Math.log10(perStep));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const step = m * mag;
    if (Number.isInteger(step) && step >= perStep) return step * 4;
  }
  return perStep * 4;
}

/** Short axis label: the day of an ISO timestamp, else the text itself (truncated). */
function dateLabel(date: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}/.exec(date);
  if (iso) return iso[0];
  return date.length > 16 ? `${date.slice(0, 15)}…` : date;
}

/** Indices that get a date label: all when few, else evenly spaced, always the first and the last. */
function labelledIndices(n: number): number[] {
  if (n <= MAX_DATE_LABELS) return [...Array(n).keys()];
  const step = Math.ceil((n - 1) / (MAX_DATE_LABELS - 1));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += step) out.push(i);
  if (n - 1 - out[out.length - 1] < step / 2) out.pop();
  out.push(n - 1);
  return out;
}

/**
 * The score (left axis, 0–100) and findings count (right axis) of each history entry over time,
 * as an inline SVG; with no entries a short text instead. Entries are evenly spaced, by date.
 */
export function renderTrendSvg(history: readonly HistoryEntry[] | undefined): string {
  const entries = normalizeHistory(history);
  if (!entries.length) return '<p class="empty">No audit history recorded yet: the trend appears after audits are recorded in the workspace memory.</p>';
  const n = entries.length;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const maxF = niceAxisMax(Math.max(...entries.map((e) => e.findings)));
  const x = (i: number): number => (n === 1 ? M.left + plotW / 2 : M.left + (i * plotW) / (n - 1));
  const yScore = (s: number): number => M.top + plotH * (1 - s / 100);
  const yFind = (f: number): number => M.top + plotH * (1 - f / maxF);
  const bottom = M.top + plotH;

  const out: string[] = [];
  out.push(`<svg class="trend-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="trend-title">`);
  out.push(`<title id="trend-title">Score and findings over ${n === 1 ? '1 audit' : `${n} audits`}</title>`);
  // Grid and axis labels: score on the left, findings on the right.
  for (let k = 0; k <= 4; k++) {
    const y = n1(M.top + (plotH * (4 - k)) / 4);
    out.push(`<line class="grid" x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="currentColor" stroke-opacity="0.15"/>`);
    out.push(`<text class="axis-label score-axis" x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="currentColor">${k * 25}</text>`);
    out.push(`<text class="axis-label findings-axis" x="${W - M.right + 6}" y="${y}" text-anchor="start" dominant-baseline="middle" fill="currentColor">${fmtNum((maxF * k) / 4)}</text>`);
  }
  out.push(`<line class="axis" x1="${M.left}" y1="${bottom}" x2="${W - M.right}" y2="${bottom}" stroke="currentColor" stroke-opacity="0.5"/>`);
  out.push(`<text class="axis-title" x="${M.left - 6}" y="${M.top - 6}" text-anchor="end" fill="currentColor">Score</text>`);
  out.push(`<text class="axis-title" x="${W - M.right + 6}" y="${M.top - 6}" text-anchor="start" fill="currentColor">Findings</text>`);
  for (const i of labelledIndices(n)) {
    const anchor = n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
    out.push(`<text class="axis-label date-label" x="${n1(x(i))}" y="${bottom + 18}" text-anchor="${anchor}" fill="currentColor">${escapeHtml(dateLabel(entries[i].date))}</text>`);
  }
  // Lines (two or more entries) and points.
  if (n > 1) {
    out.push(`<polyline class="findings-line" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="5 3" points="${entries.map((e, i) => `${n1(x(i))},${n1(yFind(e.findings))}`).join(' ')}"/>`);
    out.push(`<polyline class="score-line" fill="none" stroke="currentColor" stroke-width="2" points="${entries.map((e, i) => `${n1(x(i))},${n1(yScore(e.score))}`).join(' ')}"/>`);
  }
  entries.forEach((e, i) => {
    const tip = escapeHtml(`${e.date}: score ${fmtNum(e.score)}, ${fmtNum(e.findings)} finding${e.findings === 1 ? '' : 's'}`);
    out.push(`<circle class="findings-point" cx="${n1(x(i))}" cy="${n1(yFind(e.findings))}" r="3" fill="currentColor"><title>${tip}</title></circle>`);
    out.push(`<circle class="score-point" cx="${n1(x(i))}" cy="${n1(yScore(e.score))}" r="4" fill="currentColor"><title>${tip}</title></circle>`);
  });
  out.push('</svg>');
  out.push('<p class="legend"><span class="swatch swatch-score"></span>Score (left axis) <span class="swatch swatch-findings"></span>Findings (right axis)</p>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The report.

function table(headers: [string, string?][], rows: string[]): string {
  const th = headers.map(([h, cls]) => `<th${cls ? ` class="${cls}"` : ''} scope="col">${escapeHtml(h)}</th>`).join('');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

export function renderHtmlReport(audit: WorkspaceAudit, opts: HtmlReportOptions): string {
  const title = opts.title ?? DEFAULT_TITLE;
  const out: string[] = [pageHead(title, opts), '<body>'];

  out.push('<header class="report-header">');
  out.push(`<h1>${escapeHtml(title)}</h1>`);
  out.push('<button type="button" class="export" data-action="exportMarkdown">Export Markdown</button>');
  out.push('</header>');

  out.push('<section class="summary" aria-label="Summary">', '<dl>');
  out.push(`<div><dt>Date</dt><dd>${escapeHtml(opts.date)}</dd></div>`);
  for (const l of summaryLines(audit, opts)) {
    const cls = l.label === 'Score' ? ' class="score"' : '';
    out.push(`<div><dt>${escapeHtml(l.label)}</dt><dd${cls}>${escapeHtml(l.text)}${l.detail ? ` <span class="detail">(${escapeHtml(l.detail)})</span>` : ''}</dd></div>`);
  }
  out.push('</dl>', '</section>');

  out.push('<section id="checklist">', '<h2>Checklist</h2>');
  const checklist = sortedChecklist(audit.checklist);
  for (const group of GROUPS) {
    const items = checklist.filter((r) => r.item.group === group);
    const budgets = budgetsOf(opts.budgets, group);
    if (!items.length && !budgets.length) continue;
    out.push(`<h3>${escapeHtml(group)}</h3>`);
    const statusCell = (status: string): string => `<td><span class="status status-${escapeHtml(status)}">${escapeHtml(STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? status)}</span></td>`;
    out.push(table([['Item'], ['Status'], ['Reason'], ['Findings', 'num']], [
      ...items.map((r) => `<tr class="item status-${escapeHtml(r.status)}"><td>${escapeHtml(r.item.title)}${r.manual ? ' <span class="manual">(manual)</span>' : ''}</td>${statusCell(r.status)}<td>${escapeHtml(r.reason)}</td><td class="num">${r.findings.length}</td></tr>`),
      ...budgets.map((b) => `<tr class="budget status-${escapeHtml(b.status)}"><td>${escapeHtml(b.title)} <span class="manual">(budget)</span></td>${statusCell(b.status)}<td>${escapeHtml(b.reason)}</td><td class="num">${b.findings.length}</td></tr>`),
    ]));
  }
  out.push('</section>');

  out.push('<section id="findings">', '<h2>Findings</h2>');
  const groups = groupFindings(audit);
  if (!groups.length) out.push('<p class="empty">No findings.</p>');
  for (const g of groups) {
    out.push(`<h3>${escapeHtml(g.title)} <code>${escapeHtml(g.id)}</code></h3>`);
    out.push(table([['Location'], ['Severity'], ['Rule'], ['Message']], g.findings.map((f) => {
      const line = displayLine(f);
      const sev = escapeHtml(f.severity);
      return `<tr class="finding severity-${sev}"><td><a href="#" class="open" data-file="${escapeHtml(f.file)}" data-line="${line}" title="Open ${escapeHtml(f.file)} at line ${line}">${escapeHtml(f.file)}:${line}</a></td><td><span class="severity severity-${sev}">${sev}</span></td><td><a class="rule" href="#" data-rule="${escapeHtml(f.ruleId)}" title="Show the documentation of ${escapeHtml(f.ruleId)}">${escapeHtml(f.ruleId)}</a></td><td>${escapeHtml(f.message)}</td></tr>`;
    })));
  }
  out.push('</section>');

  out.push('<section id="trend">', '<h2>Trend</h2>');
  out.push(renderTrendSvg(opts.history));
  const history = normalizeHistory(opts.history);
  if (history.length) {
    out.push(table([['Date'], ['Score', 'num'], ['Findings', 'num'], ['Failing items']], history.map((h) =>
      `<tr><td>${escapeHtml(h.date)}</td><td class="num">${fmtNum(h.score)}</td><td class="num">${fmtNum(h.findings)}</td><td>${h.failing.length ? h.failing.map(escapeHtml).join(', ') : '—'}</td></tr>`)));
  }
  out.push('</section>');

  const nonce = escapeHtml(opts.nonce);
  out.push(opts.scriptUri ? `<script nonce="${nonce}" src="${escapeHtml(opts.scriptUri)}"></script>` : `<script nonce="${nonce}">\n${REPORT_SCRIPT}\n</script>`);
  out.push('</body>', '</html>', '');
  return out.join('\n');
}
