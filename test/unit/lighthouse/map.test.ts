/** LHR → checklist items, budgets and findings, on LHRs recorded from real runs (12.8.2) and their 13.x form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLighthouseReport, lighthouseData } from '../../../src/analyzers/lighthouse/map.js';
import { LIGHTHOUSE_AUDIT_RULES, LIGHTHOUSE_RULE_METAS } from '../../../src/analyzers/lighthouse/rules.js';
import { parseLhr, trimLhr, isFailing } from '../../../src/analyzers/lighthouse/lhr.js';
import { CHECKLIST } from '../../../src/kernel/checklist.js';
import type { LighthouseReport } from '../../../src/analyzers/lighthouse/types.js';
import { BUDGETS, ORIGIN, as13x, loadLhr } from './helpers.js';

const status = (r: LighthouseReport): Record<string, string> => Object.fromEntries(r.checklist.map((c) => [c.id, c.status]));
const ruleIds = (r: LighthouseReport): string[] => [...new Set(r.findings.map((f) => f.ruleId))].sort();

test('slow page (12.8.2, mobile): every mapped item and both budgets fail', () => {
  const r = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: BUDGETS });
  assert.deepEqual(status(r), {
    compression: 'fail',
    'lazy-loading': 'fail',
    'image-formats': 'fail',
    'bundle-size': 'fail',
    'browser-caching': 'fail',
    'page-load': 'fail',
    'time-to-interactive': 'fail',
  });
  assert.deepEqual(ruleIds(r), [
    'lighthouse-interactive',
    'lighthouse-largest-contentful-paint',
    'lighthouse-modern-image-formats',
    'lighthouse-offscreen-images',
    'lighthouse-total-byte-weight',
    'lighthouse-unminified-javascript',
    'lighthouse-unused-javascript',
    'lighthouse-uses-long-cache-ttl',
    'lighthouse-uses-responsive-images',
    'lighthouse-uses-text-compression',
  ]);
  assert.ok(r.score !== null && r.score < 50, `score ${r.score}`);
  assert.equal(r.reliable, true);
  assert.deepEqual(r.warnings, []);
  // Budgets compare the median LCP / TTI with .perfauditrc.json budgets.
  const lcp = r.budgets.find((b) => b.id === 'page-load')!;
  assert.equal(lcp.metric, 'largest-contentful-paint');
  assert.ok(lcp.valueMs! > 3000);
  assert.equal(r.budgets.find((b) => b.id === 'time-to-interactive')!.status, 'fail');
});

test('slow page: resource findings are one per URL and sit on the URL; server findings on the page', () => {
  const r = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: BUDGETS });
  const images = r.findings.filter((f) => f.ruleId === 'lighthouse-modern-image-formats');
  assert.deepEqual(images.map((f) => f.file).sort(), [`${ORIGIN}/slow/gallery.png`, `${ORIGIN}/slow/hero.png`]);
  for (const f of images) {
    assert.equal(f.checklistItem, 'image-formats');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /smaller as WebP or AVIF/);
    assert.deepEqual(lighthouseData(f), { source: 'lighthouse', audit: 'modern-image-formats', page: `${ORIGIN}/slow/`, preset: 'mobile', target: 'resource', urls: [f.file], located: false });
  }
  const gzip = r.findings.find((f) => f.ruleId === 'lighthouse-uses-text-compression')!;
  assert.equal(gzip.file, `${ORIGIN}/slow/`);
  assert.match(gzip.message, /2 text responses sent without compression/);
  assert.deepEqual(lighthouseData(gzip)?.urls, [`${ORIGIN}/slow/app.js`, `${ORIGIN}/slow/`]);
  const budget = r.findings.find((f) => f.ruleId === 'lighthouse-largest-contentful-paint')!;
  assert.equal(budget.severity, 'error');
  assert.match(budget.message, /over the 3\.0 s budget \(budgets\.pageLoadMs, mobile\)/);
  // Stable data (no measured numbers) so baselines and fingerprints survive re-runs.
  for (const f of r.findings) assert.doesNotMatch(JSON.stringify(f.data), /"(wastedBytes|numericValue|score)"/);
});

test('slow page: total-byte-weight is info (noted, does not fail bundle-size on its own)', () => {
  const r = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: BUDGETS, rules: { 'lighthouse-unused-javascript': 'off', 'lighthouse-unminified-javascript': 'off' } });
  const f = r.findings.filter((x) => x.checklistItem === 'bundle-size' && lighthouseData(x)?.target !== 'page');
  assert.deepEqual(f, []);
  assert.equal(r.findings.find((x) => x.ruleId === 'lighthouse-total-byte-weight')?.severity, 'info');
  assert.equal(status(r)['bundle-size'], 'pass');
});

test('good page (12.8.2, desktop): every mapped item and both budgets pass, no findings', () => {
  const r = buildLighthouseReport([loadLhr('good-desktop')], { preset: 'desktop', budgets: BUDGETS });
  for (const c of r.checklist) assert.equal(c.status, 'pass', `${c.id}: ${c.reason}`);
  assert.deepEqual(r.findings, []);
  assert.equal(r.score, 100);
  assert.deepEqual(r.opportunities, []);
  assert.match(r.checklist.find((c) => c.id === 'compression')!.reason, /passed uses-text-compression/);
});

test('12.x results are read through the classic audits only (the insights they carry are not double-counted)', () => {
  const r = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: BUDGETS });
  assert.ok(!r.findings.some((f) => /insight/.test(f.ruleId)));
  assert.ok(!r.opportunities.some((o) => ['cache-insight', 'image-delivery-insight', 'document-latency-insight', 'render-blocking-insight'].includes(o.audit)));
  assert.deepEqual(r.checklist.find((c) => c.id === 'browser-caching')!.audits, ['uses-long-cache-ttl']);
});

test('13.x results (classic audits replaced by insights) map through the insight audits', () => {
  const r = buildLighthouseReport([as13x(loadLhr('slow-mobile'))], { preset: 'mobile', budgets: BUDGETS });
  assert.deepEqual(status(r), {
    compression: 'fail',
    'lazy-loading': 'unknown',
    'image-formats': 'fail',
    'bundle-size': 'fail',
    'browser-caching': 'fail',
    'page-load': 'fail',
    'time-to-interactive': 'fail',
  });
  assert.deepEqual(r.checklist.find((c) => c.id === 'compression')!.audits, ['document-latency-insight']);
  assert.deepEqual(r.checklist.find((c) => c.id === 'browser-caching')!.audits, ['cache-insight']);
  assert.deepEqual(r.checklist.find((c) => c.id === 'image-formats')!.audits, ['image-delivery-insight']);
  assert.match(r.checklist.find((c) => c.id === 'lazy-loading')!.reason, /no Lighthouse 13\.0\.0 audit/);
  const img = r.findings.filter((f) => f.ruleId === 'lighthouse-image-delivery-insight');
  assert.deepEqual(img.map((f) => f.file).sort(), [`${ORIGIN}/slow/gallery.png`, `${ORIGIN}/slow/hero.png`]);
  assert.match(img[0].message, /modern image format|larger than it needs to be/);
  const doc = r.findings.find((f) => f.ruleId === 'lighthouse-document-latency-insight')!;
  assert.match(doc.message, /HTML document .* sent without compression/);
  assert.equal(r.findings.filter((f) => f.ruleId === 'lighthouse-cache-insight').length, 1);
  // The good page passes in its 13.x form too.
  const g = buildLighthouseReport([as13x(loadLhr('good-desktop'))], { preset: 'desktop', budgets: BUDGETS });
  for (const c of g.checklist) if (c.id !== 'lazy-loading') assert.equal(c.status, 'pass', c.id);
});

test('rule levels from .perfauditrc.json: "off" drops a rule (its item is then judged by the others), a level replaces the severity', () => {
  const r = buildLighthouseReport([loadLhr('slow-mobile')], {
    preset: 'mobile',
    budgets: BUDGETS,
    rules: { 'lighthouse-uses-text-compression': 'off', 'lighthouse-modern-image-formats': 'error', 'lighthouse-interactive': 'warning' },
  });
  assert.ok(!r.findings.some((f) => f.ruleId === 'lighthouse-uses-text-compression'));
  assert.equal(status(r).compression, 'unknown');
  assert.ok(r.findings.filter((f) => f.ruleId === 'lighthouse-modern-image-formats').every((f) => f.severity === 'error'));
  assert.equal(r.findings.find((f) => f.ruleId === 'lighthouse-interactive')!.severity, 'warning');
});

test('budgets come from the config: generous budgets pass, the page-level findings disappear', () => {
  const r = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: { pageLoadMs: 60_000, timeToInteractiveMs: 60_000 } });
  assert.equal(status(r)['page-load'], 'pass');
  assert.equal(status(r)['time-to-interactive'], 'pass');
  assert.ok(!r.findings.some((f) => /largest-contentful-paint|interactive/.test(f.ruleId)));
});

test('a run warning that the page did not finish loading: passes are not trusted (unknown), failures stand', () => {
  const lhr = loadLhr('good-desktop');
  lhr.runWarnings = ['The page loaded too slowly to finish within the time limit. Results may be incomplete.'];
  const r = buildLighthouseReport([lhr], { preset: 'desktop', budgets: BUDGETS });
  assert.equal(r.reliable, false);
  for (const c of r.checklist) assert.equal(c.status, 'unknown', c.id);
  assert.deepEqual(r.warnings, lhr.runWarnings);
  const slow = loadLhr('slow-mobile');
  slow.runWarnings = [...lhr.runWarnings];
  assert.equal(status(buildLighthouseReport([slow], { preset: 'mobile', budgets: BUDGETS })).compression, 'fail');
});

test('a result whose audits errored: items unknown, the audit errors are listed as warnings', () => {
  const lhr = loadLhr('error-desktop');
  assert.equal(lhr.runtimeError?.code, 'ERRORED_DOCUMENT_REQUEST');
  assert.match(lhr.runtimeError.message, /Status code: 500/);
  const r = buildLighthouseReport([lhr], { preset: 'desktop', budgets: BUDGETS });
  for (const c of r.checklist) assert.equal(c.status, 'unknown', c.id);
  assert.ok(r.warnings.some((w) => /uses-text-compression could not run: .*Status code: 500/.test(w)));
  assert.deepEqual(r.findings, []);
});

test('every rule has a unique id lighthouse-<audit>, a checklist item and area "lighthouse"', () => {
  const ids = LIGHTHOUSE_RULE_METAS.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length);
  const items = new Set(CHECKLIST.map((c) => c.id));
  for (const m of LIGHTHOUSE_RULE_METAS) {
    assert.match(m.id, /^lighthouse-[a-z-]+$/);
    assert.ok(items.has(m.checklistItem));
    assert.equal(m.domain, 'lighthouse');
    assert.equal(m.fixable, false);
  }
  for (const r of LIGHTHOUSE_AUDIT_RULES) assert.equal(r.meta.id, `lighthouse-${r.audit}`);
});

test('trimLhr keeps what the mapping reads and is idempotent; parseLhr rejects what is not an LHR', () => {
  const lhr = loadLhr('slow-mobile');
  const t = trimLhr(lhr);
  assert.deepEqual(trimLhr(t), t);
  assert.deepEqual(buildLighthouseReport([t], { preset: 'mobile', budgets: BUDGETS }).findings, buildLighthouseReport([lhr], { preset: 'mobile', budgets: BUDGETS }).findings);
  assert.ok(isFailing(t.audits['uses-text-compression']));
  assert.throws(() => parseLhr(null), /not a Lighthouse result/);
  assert.throws(() => parseLhr({ audits: {} }), /no lighthouseVersion/);
  assert.throws(() => parseLhr({ lighthouseVersion: '12.8.2' }), /no audits/);
  const minimal = parseLhr({ lighthouseVersion: '12.8.2', audits: { x: { score: 'bad' } } });
  assert.equal(minimal.audits.x.score, null);
  assert.deepEqual(minimal.runWarnings, []);
});
