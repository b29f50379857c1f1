import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  REPORT_SCRIPT, contentSecurityPolicy, escapeHtml, niceAxisMax, parseReportMessage, renderHtmlPlaceholder, renderHtmlReport, renderTrendSvg,
  type HtmlReportOptions,
} from '../../../../src/kernel/report/html.js';
import type { HistoryEntry } from '../../../../src/kernel/report/markdown.js';
import { MALICIOUS_FILE, fabricatedAudit, finding, history } from './fixtures.js';

const NONCE = 'Zm9vYmFyYmF6cXV4MTIzNDU2';
const CSP_SOURCE = 'https://*.vscode-cdn.net';
const OPTS: HtmlReportOptions = { date: '2025-01-06 10:00', nonce: NONCE, cspSource: CSP_SOURCE, styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/report.css' };
const STRICT_CSP = `default-src 'none'; img-src ${CSP_SOURCE} data:; style-src ${CSP_SOURCE} 'nonce-${NONCE}'; script-src 'nonce-${NONCE}';`;

const decode = (s: string): string => s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e] ?? '');

interface Tag { name: string; attrs: Map<string, string>; raw: string }
/** Start tags with their attributes (values decoded). Text content never contains a raw "<" (it is escaped). */
function tags(html: string): Tag[] {
  const out: Tag[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g)) {
    const attrs = new Map<string, string>();
    for (const a of m[2].matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) attrs.set(a[1].toLowerCase(), decode(a[2] ?? a[3] ?? a[4] ?? ''));
    out.push({ name: m[1].toLowerCase(), attrs, raw: m[0] });
  }
  return out;
}

/** Every element closed in order (void elements and self-closing SVG elements excepted). */
function assertBalanced(html: string): void {
  const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input']);
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)\b[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (VOID.has(name.toLowerCase()) || self) continue;
    if (!close) stack.push(name);
    else assert.equal(stack.pop(), name, `unbalanced </${name}>`);
  }
  assert.deepEqual(stack, []);
}

function assertSafeDocument(html: string, nonce = NONCE): void {
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'));
  const all = tags(html);
  const csp = all.filter((t) => t.name === 'meta' && t.attrs.get('http-equiv')?.toLowerCase() === 'content-security-policy');
  assert.equal(csp.length, 1, 'exactly one CSP meta');
  assert.equal(csp[0].attrs.get('content'), STRICT_CSP.replaceAll(NONCE, nonce));
  assert.ok(html.indexOf(csp[0].raw) < html.indexOf('<title>'), 'CSP comes before any resource');
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|strict-dynamic/);
  for (const t of all) {
    for (const name of t.attrs.keys()) {
      assert.ok(!name.startsWith('on'), `inline event handler ${name} in ${t.raw}`);
      assert.notEqual(name, 'style', `style attribute in ${t.raw}`);
      assert.notEqual(name, 'srcdoc');
    }
    for (const key of ['href', 'src', 'action', 'formaction', 'xlink:href']) {
      const v = t.attrs.get(key);
      if (v !== undefined) assert.match(v, /^(#|https:\/\/)/, `${key}=${v}`);
    }
    if (['script', 'style', 'link'].includes(t.name)) assert.equal(t.attrs.get('nonce'), nonce, `${t.raw} lacks the nonce`);
    assert.ok(!['iframe', 'object', 'embed', 'img', 'base', 'form'].includes(t.name), `unexpected <${t.name}>`);
  }
  assertBalanced(html);
}

test('CSP meta present and exactly strict; scripts and styles carry the nonce; no inline handlers', () => {
  const html = renderHtmlReport(fabricatedAudit(), { ...OPTS, history: history(5) });
  assertSafeDocument(html);
  const scripts = tags(html).filter((t) => t.name === 'script');
  assert.equal(scripts.length, 1);
  assert.ok(html.includes(`<script nonce="${NONCE}">\n${REPORT_SCRIPT}\n</script>`));
  assert.ok(tags(html).some((t) => t.name === 'link' && t.attrs.get('rel') === 'stylesheet' && t.attrs.get('href') === OPTS.styleUri));

  const external = renderHtmlReport(fabricatedAudit(), { ...OPTS, scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/report.js' });
  assertSafeDocument(external);
  assert.ok(external.includes(`<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/report.js"></script>`));
  assert.ok(!external.includes('acquireVsCodeApi'));
});

test('code-server cspSource ("\'self\' https://...") is accepted; unsafe sources and bad nonces are refused', () => {
  assert.equal(contentSecurityPolicy(NONCE, "'self' https://*.vscode-cdn.net"), `default-src 'none'; img-src 'self' https://*.vscode-cdn.net data:; style-src 'self' https://*.vscode-cdn.net 'nonce-${NONCE}'; script-src 'nonce-${NONCE}';`);
  const bad: [string, string][] = [
    ['short', CSP_SOURCE],
    ['abc"def12345', CSP_SOURCE],
    ["abcdefgh'; script-src *", CSP_SOURCE],
    [NONCE, "'unsafe-inline'"],
    [NONCE, 'https://a; script-src *'],
    [NONCE, 'https://a" onload="x'],
    [NONCE, ''],
  ];
  for (const [nonce, src] of bad) assert.throws(() => renderHtmlReport(fabricatedAudit(), { ...OPTS, nonce, cspSource: src }), /report:/, `${nonce} / ${src}`);
});

test('HTML: user-derived text is escaped (malicious file name, message, reason, title, history)', () => {
  const evil = finding(MALICIOUS_FILE, 4, 'missing-index', 'error', '"><script>alert(1)</script>', 'indexes');
  const audit = fabricatedAudit([evil]);
  const reasonItem = audit.checklist.find((r) => r.item.id === 'backups')!;
  reasonItem.reason = '<svg onload=alert(1)>';
  const h: HistoryEntry[] = [{ date: '<img src=x onerror=alert(2)>', score: 10, findings: 2, failing: ['<b onmouseover=x>'] }, ...history(2)];
  const html = renderHtmlReport(audit, { ...OPTS, title: '</title><script>alert(3)</script>', date: '<i>now</i>', history: h });
  assertSafeDocument(html);
  assert.doesNotMatch(html, /<img|<svg onload|<script>alert|<b onmouseover|<i>now/);
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.sql:5'));
  assert.ok(html.includes('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('<title>&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;</title>'));
  const link = tags(html).find((t) => t.attrs.get('data-file') === MALICIOUS_FILE);
  assert.ok(link, 'the data-file attribute round-trips to the real file name');
  assert.equal(link.attrs.get('data-line'), '5');
});

test('HTML: sections, checklist rows, finding links and export button', () => {
  const audit = fabricatedAudit();
  const html = renderHtmlReport(audit, { ...OPTS, history: history(5), baseline: { new: 1, fixed: 2 } });
  assert.deepEqual([...html.matchAll(/<h[123][^>]*>(.*?)<\/h[123]>/g)].map((m) => m[1]), [
    'Perf Auditor Report', 'Checklist', 'Frontend', 'Backend', 'Database', 'Operations',
    'Findings', 'Optimized database queries <code>query-optimization</code>', 'Appropriate indexes <code>indexes</code>', 'Trend',
  ]);
  assert.ok(html.includes('<dd class="score">33/100 <span class="detail">(1 of 3 judged items passing)</span></dd>'));
  assert.ok(html.includes('<div><dt>Baseline</dt><dd>1 new, 2 fixed</dd></div>'));
  assert.ok(html.includes('<tr class="item status-fail"><td>Optimized database queries</td><td><span class="status status-fail">FAIL</span></td><td>1 problem found (+1 note)</td><td class="num">2</td></tr>'));
  assert.ok(html.includes('<tr class="item status-pass"><td>Optimized table schemas</td><td><span class="status status-pass">PASS</span></td><td>3 table definitions checked; no problems found</td><td class="num">0</td></tr>'));
  assert.ok(html.includes(`<tr class="finding severity-warning"><td><a href="#" class="open" data-file="db/queries.sql" data-line="3" title="Open db/queries.sql at line 3">db/queries.sql:3</a></td><td><span class="severity severity-warning">warning</span></td><td><a class="rule" href="#" data-rule="missing-index" title="Show the documentation of missing-index">missing-index</a></td><td>No index on orders(status)</td></tr>`));
  const links = tags(html).filter((t) => t.attrs.has('data-file')).map((t) => `${t.attrs.get('data-file')}:${t.attrs.get('data-line')}`);
  assert.deepEqual(links, ['db/b.sql:1', 'db/queries.sql:12', 'db/queries.sql:3']);
  assert.equal(tags(html).filter((t) => t.name === 'button' && t.attrs.get('data-action') === 'exportMarkdown').length, 1);
  assert.match(REPORT_SCRIPT, /postMessage\(\{ type: 'open', file: /);
  assert.match(REPORT_SCRIPT, /postMessage\(\{ type: 'exportMarkdown' \}\)/);
  assert.match(REPORT_SCRIPT, /postMessage\(\{ type: 'docs', ruleId: /);
  assert.deepEqual(parseReportMessage({ type: 'docs', ruleId: 'missing-index' }), { type: 'docs', ruleId: 'missing-index' });
  assert.equal(parseReportMessage({ type: 'docs', ruleId: '../../etc/passwd' }), undefined);
  assert.match(REPORT_SCRIPT, /acquireVsCodeApi\(\)/);
  assert.doesNotMatch(REPORT_SCRIPT, /<\/script|innerHTML|eval\(/);
});

/** Every number in the chart's geometry attributes. */
function chartNumbers(svg: string): number[] {
  const nums: number[] = [];
  for (const m of svg.matchAll(/\s(x|y|x1|y1|x2|y2|cx|cy|r|width|height|points|viewBox)="([^"]*)"/g)) {
    for (const n of m[2].split(/[\s,]+/).filter(Boolean)) nums.push(Number(n));
  }
  return nums;
}

test('trend chart: 0, 1 and 5 entries; valid numbers only', () => {
  const cases: { n: number; svgs: number; polylines: number; circles: number; dates: number }[] = [
    { n: 0, svgs: 0, polylines: 0, circles: 0, dates: 0 },
    { n: 1, svgs: 1, polylines: 0, circles: 2, dates: 1 },
    { n: 5, svgs: 1, polylines: 2, circles: 10, dates: 5 },
  ];
  for (const c of cases) {
    const svg = renderTrendSvg(history(c.n));
    assert.equal((svg.match(/<svg\b/g) ?? []).length, c.svgs, `n=${c.n}`);
    assert.equal((svg.match(/<polyline\b/g) ?? []).length, c.polylines, `n=${c.n}`);
    assert.equal((svg.match(/<circle\b/g) ?? []).length, c.circles, `n=${c.n}`);
    assert.equal((svg.match(/class="axis-label date-label"/g) ?? []).length, c.dates, `n=${c.n}`);
    assert.doesNotMatch(svg, /NaN|Infinity|undefined|null/);
    for (const v of chartNumbers(svg)) assert.ok(Number.isFinite(v), `n=${c.n}: ${v}`);
    if (c.n === 0) assert.match(svg, /No audit history recorded yet/);
    const html = renderHtmlReport(fabricatedAudit(), { ...OPTS, history: history(c.n) });
    assertSafeDocument(html);
    assert.doesNotMatch(html, /NaN|Infinity/);
  }
  // One entry: centred point with its date label.
  const one = renderTrendSvg(history(1));
  assert.match(one, /<text class="axis-label date-label" x="316" y="234" text-anchor="middle" fill="currentColor">2025-01-05<\/text>/);
  assert.match(one, /<circle class="score-point" cx="316" cy="116" r="4"/);
  // Five: points in date order, x increasing, y inside the plot.
  const five = renderTrendSvg(history(5));
  const score = /class="score-line"[^>]*points="([^"]*)"/.exec(five)![1].split(' ').map((p) => p.split(',').map(Number));
  assert.equal(score.length, 5);
  assert.deepEqual(score.map(([x]) => x), [...score.map(([x]) => x)].sort((a, b) => a - b));
  assert.deepEqual(score.map(([, y]) => y), [216, 149.3, 150, 16, 116]);
  const dates = [...five.matchAll(/date-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
  assert.deepEqual(dates, ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05']);
});

test('trend chart: many entries, timestamps, all-zero findings, invalid entries', () => {
  const many: HistoryEntry[] = Array.from({ length: 40 }, (_, i) => ({
    date: new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString(), score: (i * 37) % 101, findings: 0, failing: [],
  }));
  const svg = renderTrendSvg([...many, { date: 'x', score: Number.NaN, findings: 1, failing: [] }]);
  const dates = [...svg.matchAll(/date-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
  assert.ok(dates.length <= 6 && dates.length >= 2, dates.join());
  assert.equal(dates[0], '2025-01-01');
  assert.equal(dates.at(-1), '2025-02-09');
  assert.equal((svg.match(/<circle class="score-point"/g) ?? []).length, 40, 'the NaN entry is dropped');
  for (const v of chartNumbers(svg)) assert.ok(Number.isFinite(v));
  assert.doesNotMatch(svg, /NaN|Infinity/);
});

test('niceAxisMax', () => {
  const cases: [number, number][] = [[0, 4], [1, 4], [4, 4], [5, 8], [9, 20], [12, 20], [21, 40], [41, 80], [100, 100], [101, 200], [150, 200], [1234, 2000], [Number.NaN, 4]];
  for (const [max, expected] of cases) assert.equal(niceAxisMax(max), expected, String(max));
});

test('parseReportMessage accepts only the expected shapes', () => {
  const cases: [unknown, unknown][] = [
    [{ type: 'open', file: 'db/q.sql', line: 3 }, { type: 'open', file: 'db/q.sql', line: 3 }],
    [{ type: 'open', file: 'db/q.sql', line: 3, extra: 'ignored' }, { type: 'open', file: 'db/q.sql', line: 3 }],
    [{ type: 'exportMarkdown' }, { type: 'exportMarkdown' }],
    [{ type: 'exportMarkdown', path: '/etc/passwd' }, { type: 'exportMarkdown' }],
    [{ type: 'open', file: 'db/q.sql', line: 0 }, undefined],
    [{ type: 'open', file: 'db/q.sql', line: 1.5 }, undefined],
    [{ type: 'open', file: 'db/q.sql', line: '3' }, undefined],
    [{ type: 'open', file: '', line: 1 }, undefined],
    [{ type: 'open', file: 'a\nb', line: 1 }, undefined],
    [{ type: 'open', file: 42, line: 1 }, undefined],
    [{ type: 'open', file: 'x'.repeat(5000), line: 1 }, undefined],
    [{ type: 'delete', file: 'db/q.sql' }, undefined],
    [{ type: ['open'] }, undefined],
    [['open'], undefined],
    ['open', undefined],
    [null, undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseReportMessage(input), expected, JSON.stringify(input));
});

test('HTML: deterministic for a given nonce, independent of input order', () => {
  const a = fabricatedAudit();
  const shuffled = { ...a, findings: [...a.findings].reverse(), checklist: [...a.checklist].reverse() };
  const one = renderHtmlReport(a, { ...OPTS, history: history(5) });
  assert.equal(renderHtmlReport(a, { ...OPTS, history: history(5) }), one);
  assert.equal(renderHtmlReport(shuffled, { ...OPTS, history: [...history(5)].reverse() }), one);
  const other = renderHtmlReport(a, { ...OPTS, nonce: 'b3RoZXJub25jZXZhbHVlMTI=', history: history(5) });
  assert.notEqual(other, one);
  assert.equal(other.replaceAll('b3RoZXJub25jZXZhbHVlMTI=', NONCE), one, 'only the nonce differs');
});

test('placeholder page: same CSP, no script, escaped message', () => {
  const html = renderHtmlPlaceholder('No audit yet <b>', { nonce: NONCE, cspSource: CSP_SOURCE, busy: true });
  assertSafeDocument(html);
  assert.ok(!html.includes('<script'));
  assert.ok(html.includes('<p class="empty">No audit yet &lt;b&gt;</p>'));
  assert.ok(html.includes('aria-busy="true"'));
});

test('escapeHtml', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
});

test('media/report.css: theme variables only, no external resources', () => {
  const css = readFileSync('media/report.css', 'utf8');
  for (const v of ['--vscode-foreground', '--vscode-editor-background', '--vscode-testing-iconPassed', '--vscode-testing-iconFailed', '--vscode-font-family', '--vscode-button-background', '--vscode-textLink-foreground']) {
    assert.ok(css.includes(`var(${v}`), v);
  }
  assert.doesNotMatch(css, /url\(|@import|expression\(/);
  assert.doesNotMatch(css, /#[0-9a-f]{3,8}\b|rgb\(|hsl\(/i, 'colours come from the theme');
  const html = renderHtmlReport(fabricatedAudit(), { ...OPTS, history: history(5) });
  for (const cls of ['status-pass', 'status-fail', 'status-unknown', 'status-not-applicable', 'severity-warning', 'score-line', 'findings-line', 'trend-chart']) {
    assert.ok(css.includes(`.${cls}`), `.${cls} is styled`);
    if (cls !== 'status-not-applicable') assert.ok(html.includes(cls), `${cls} is used`);
  }
});

test('html: measured budgets are rows of their group, escaped, marked as budgets', () => {
  const budgets = [{ id: 'page-load', group: 'Frontend' as const, title: 'Page load < 3.0 s', status: 'fail' as const, reason: 'Lighthouse: <b>4.2 s</b>', findings: [] }];
  const html = renderHtmlReport(fabricatedAudit(), { date: '2025-01-06', nonce: 'abcdef0123456789', cspSource: 'vscode-resource:', budgets });
  assert.ok(html.includes('<tr class="budget status-fail"><td>Page load &lt; 3.0 s <span class="manual">(budget)</span></td><td><span class="status status-fail">FAIL</span></td><td>Lighthouse: &lt;b&gt;4.2 s&lt;/b&gt;</td><td class="num">0</td></tr>'), html);
});
