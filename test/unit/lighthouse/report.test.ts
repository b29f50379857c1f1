/** Text, JSON, SARIF and the webview HTML of a Lighthouse report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLighthouseReport } from '../../../src/analyzers/lighthouse/map.js';
import { locateFindings } from '../../../src/analyzers/lighthouse/locate.js';
import { formatLighthouseText, lighthouseJson, lighthouseSarif } from '../../../src/analyzers/lighthouse/format.js';
import { renderLighthouseHtml, renderLighthousePlaceholder } from '../../../src/analyzers/lighthouse/html.js';
import { appendLighthouseRun, lighthouseEntry, parseLighthouseHistory } from '../../../src/analyzers/lighthouse/memory.js';
import type { LighthouseReport } from '../../../src/analyzers/lighthouse/types.js';
import { BUDGETS, ORIGIN, loadLhr, memWorkspace } from './helpers.js';

async function slowLocated(): Promise<LighthouseReport> {
  const r = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: BUDGETS });
  r.findings = await locateFindings(r.findings, memWorkspace({ 'deploy/nginx.conf': 'http {\n  gzip off;\n}\n', 'public/slow/hero.png': '' }));
  return r;
}

const SETTINGS = { url: `${ORIGIN}/slow/`, preset: 'mobile' as const, runs: 1, timeoutMs: 120000 };

test('text: score, metrics with budgets, checklist, failing audits with savings, findings by location', async () => {
  const t = formatLighthouseText(await slowLocated());
  for (const want of [
    `Lighthouse 12.8.2: ${ORIGIN}/slow/`,
    'mobile, 1 run, simulate throttling',
    'Performance score: 39',
    /LCP {2}Largest Contentful Paint +\d+\.\d s {2}budget 3\.0 s ✖ over/,
    /✖ Compression \(gzip\/brotli\) enabled +fail — Lighthouse: uses-text-compression/,
    /✖ Page load < 3\.0 s/,
    /uses-text-compression +Est savings of \d+\sKiB +saves/,
    /deploy\/nginx\.conf\n {4}1:1 .*lighthouse-uses-long-cache-ttl\n {4}2:3 +warning Lighthouse: 2 text responses/,
    /public\/slow\/hero\.png\n {4}1:1 +warning/,
  ]) {
    if (typeof want === 'string') assert.ok(t.includes(want), `missing ${want}\n${t}`);
    else assert.match(t, want);
  }
  assert.ok(!t.includes('\u001b['), 'no colour unless asked');
  assert.ok(formatLighthouseText(await slowLocated(), { color: true }).includes('\u001b[31m'));
});

test('JSON: settings, metrics, budgets, checklist, findings with fingerprint and docs link', async () => {
  const j = lighthouseJson(await slowLocated(), { version: '1.2.3', settings: SETTINGS, chromePath: '/usr/bin/chromium' }) as Record<string, any>;
  assert.equal(j.version, '1.2.3');
  assert.equal(j.lighthouse.version, '12.8.2');
  assert.deepEqual(j.lighthouse.settings, { ...SETTINGS, chromePath: '/usr/bin/chromium' });
  assert.equal(j.lighthouse.reliable, true);
  assert.equal(j.checklist.length, 7);
  assert.equal(j.budgets.length, 2);
  assert.equal(j.metrics.length, 6);
  const f = j.findings.find((x: any) => x.ruleId === 'lighthouse-uses-text-compression');
  assert.equal(f.file, 'deploy/nginx.conf');
  assert.match(f.fingerprint, /^[0-9a-f]{8}$/);
  assert.match(f.docs, /docs\/rules\/lighthouse-uses-text-compression\.md$/);
});

test('SARIF: workspace findings relative to SRCROOT, URL findings with their absolute URL, run properties', async () => {
  const s = lighthouseSarif(await slowLocated(), { version: '1.2.3', root: '/w' }) as Record<string, any>;
  const run = s.runs[0];
  assert.equal(s.version, '2.1.0');
  const rules = run.tool.driver.rules.map((r: any) => r.id);
  assert.ok(rules.includes('lighthouse-uses-text-compression') && rules.includes('lighthouse-cache-insight'));
  const locs = run.results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
  assert.ok(locs.some((l: any) => l.uri === 'deploy/nginx.conf' && l.uriBaseId === 'SRCROOT'));
  const url = locs.find((l: any) => l.uri === `${ORIGIN}/slow/`);
  assert.ok(url);
  assert.equal(url.uriBaseId, undefined);
  const budget = run.results.find((r: any) => r.ruleId === 'lighthouse-largest-contentful-paint');
  assert.equal(budget.level, 'error');
  assert.equal(run.properties.lighthouse.url, `${ORIGIN}/slow/`);
  assert.equal(typeof run.properties.metrics['largest-contentful-paint'], 'number');
});

test('HTML: strict CSP with the nonce, one nonce\'d script, no inline handlers or styles', async () => {
  const html = renderLighthouseHtml(await slowLocated(), { nonce: 'abcDEF123456', cspSource: 'https://x.vscode-cdn.net', date: '2026-11-25 10:00', styleUri: 'https://x.vscode-cdn.net/report.css' });
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https:\/\/x\.vscode-cdn\.net data:; style-src https:\/\/x\.vscode-cdn\.net 'nonce-abcDEF123456'; script-src 'nonce-abcDEF123456';">/);
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.match(html, /<script nonce="abcDEF123456">/);
  assert.doesNotMatch(html, /\son[a-z]+=|style="/i);
  // Located findings are links the page posts back; URL findings are not.
  assert.match(html, /<a href="#" class="open" data-file="deploy\/nginx\.conf" data-line="2"/);
  assert.doesNotMatch(html, /data-file="http/);
  for (const section of ['metrics', 'checklist', 'opportunities', 'findings', 'trend']) assert.match(html, new RegExp(`<section id="${section}">`));
  assert.throws(() => renderLighthouseHtml(GOODR, { nonce: 'short', cspSource: 'x', date: '' }), /nonce/);
});

const GOODR = buildLighthouseReport([loadLhr('good-desktop')], { preset: 'desktop', budgets: BUDGETS });

test('HTML: page-controlled text (URLs, titles, warnings, history) is escaped', () => {
  const evil = '<img src=x onerror=alert(1)>"\'&';
  const lhr = loadLhr('slow-mobile');
  lhr.runWarnings = [`warn ${evil}`];
  lhr.audits['uses-text-compression'].title = `title ${evil}`;
  lhr.finalDisplayedUrl = `http://127.0.0.1:8080/${evil}`;
  const r = buildLighthouseReport([lhr], { preset: 'mobile', budgets: BUDGETS });
  const history = parseLighthouseHistory(appendLighthouseRun(undefined, { ...lighthouseEntry(r, `d ${evil}`), url: r.url }));
  const html = renderLighthouseHtml(r, { nonce: 'abcDEF123456', cspSource: 'https://x', date: evil, history, savedTo: evil, chromePath: evil });
  assert.doesNotMatch(html, /<img src=x/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;&quot;&#39;&amp;/);
  assert.match(html, /results not trusted|Lighthouse warnings/);
});

test('HTML: history of the same URL and preset; the placeholder page', () => {
  let mem = appendLighthouseRun(undefined, lighthouseEntry(GOODR, '2026-11-24 09:00'));
  mem = appendLighthouseRun(mem, { ...lighthouseEntry(GOODR, '2026-11-24 09:30'), preset: 'mobile' });
  const html = renderLighthouseHtml(GOODR, { nonce: 'abcDEF123456', cspSource: 'https://x', date: 'now', history: parseLighthouseHistory(mem) });
  assert.match(html, /<td>2026-11-24 09:00<\/td>/);
  assert.doesNotMatch(html, /2026-11-24 09:30/);
  const p = renderLighthousePlaceholder('Running <b>', { nonce: 'abcDEF123456', cspSource: 'https://x', busy: true, detail: ['x & y'] });
  assert.match(p, /aria-busy="true"/);
  assert.match(p, /Running &lt;b&gt;/);
  assert.match(p, /<li>x &amp; y<\/li>/);
  assert.doesNotMatch(p, /<script/);
});
