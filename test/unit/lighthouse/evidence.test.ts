/**
 * A Lighthouse report as sidebar-checklist evidence: budget verdicts are rows of their own (never
 * folded into an item), and no item passes while carrying a failing finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLighthouseReport, lighthouseData } from '../../../src/analyzers/lighthouse/map.js';
import { lighthouseEvidence } from '../../../src/analyzers/lighthouse/evidence.js';
import { budgetRows, checklistStatus, evidenceFor, mergeEvidence, withoutItem, type ItemResult } from '../../../src/kernel/checklist.js';
import { SEVERITY_ORDER } from '../../../src/kernel/model.js';
import { loadLhr, ORIGIN } from './helpers.js';

const DATE = '2026-11-25 14:05';
const byId = (rs: ItemResult[]): Record<string, ItemResult> => Object.fromEntries(rs.map((r) => [r.item.id, r]));
const failing = (r: ItemResult): number => r.findings.filter((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER.warning).length;

test('good page over both budgets (100 ms): the budget rows fail, bundle-size does not pass with budget findings', () => {
  const report = buildLighthouseReport([loadLhr('good-desktop')], { preset: 'desktop', budgets: { pageLoadMs: 100, timeToInteractiveMs: 100 } });
  assert.equal(report.checklist.find((c) => c.id === 'page-load')?.status, 'fail');
  assert.equal(report.checklist.find((c) => c.id === 'time-to-interactive')?.status, 'fail');
  const ev = lighthouseEvidence(report, DATE);
  // Budget rows: in the Frontend group, failing, with the two budget findings.
  assert.deepEqual(ev.budgets?.map((b) => [b.id, b.group, b.status, b.findings.map((f) => f.ruleId)]), [
    ['page-load', 'Frontend', 'fail', ['lighthouse-largest-contentful-paint']],
    ['time-to-interactive', 'Frontend', 'fail', ['lighthouse-interactive']],
  ]);
  assert.match(ev.budgets[0].reason, /^Lighthouse run of 2026-11-25 14:05 \(http:\/\/127\.0\.0\.1:8080\/good\/?, desktop\): LCP .* over the 100 ms budget/);
  // The items carry no budget finding; budget ids are not items.
  assert.ok(ev.findings.every((f) => lighthouseData(f)?.budget === undefined));
  assert.ok(!ev.items.some((i) => i.id === 'page-load' || i.id === 'time-to-interactive'));

  const merged = byId(mergeEvidence(checklistStatus([], new Map()), ev));
  assert.equal(merged['bundle-size'].status, 'pass');
  assert.equal(failing(merged['bundle-size']), 0, 'bundle-size passes only without failing findings');
  assert.match(merged['bundle-size'].reason, /^Lighthouse run of 2026-11-25 14:05 /);
  const rows = budgetRows([ev]);
  assert.deepEqual(rows.map((r) => [r.id, r.status]), [['page-load', 'fail'], ['time-to-interactive', 'fail']]);
  assert.equal(rows[0].reason.match(/Lighthouse run of/g)?.length, 1, 'the source is named once');
});

test('invariant: over every fixture and budget, no merged item passes while carrying a failing finding', () => {
  for (const name of ['good-desktop', 'slow-mobile', 'error-desktop'] as const) {
    for (const budget of [1, 100, 3000, 1e9]) {
      const report = buildLighthouseReport([loadLhr(name)], { preset: name === 'slow-mobile' ? 'mobile' : 'desktop', budgets: { pageLoadMs: budget, timeToInteractiveMs: budget } });
      const ev = lighthouseEvidence(report, DATE);
      for (const r of mergeEvidence(checklistStatus([], new Map()), ev)) {
        if (r.status === 'pass') assert.equal(failing(r), 0, `${name} ${budget}: ${r.item.id} passes with failing findings`);
      }
      for (const b of ev.budgets ?? []) if (b.status === 'pass') assert.equal(b.findings.length, 0);
    }
  }
});

test('mergeEvidence: a pass that arrives with failing findings fails the item', () => {
  const report = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: { pageLoadMs: 3000, timeToInteractiveMs: 5000 } });
  const ev = lighthouseEvidence(report, DATE);
  const contradictory = { ...ev, items: ev.items.map((i) => (i.id === 'compression' ? { ...i, status: 'pass' as const } : i)) };
  const r = byId(mergeEvidence(checklistStatus([], new Map()), contradictory)).compression;
  assert.equal(r.status, 'fail');
  assert.match(r.reason, /problem/);
  assert.ok(failing(r) > 0);
});

test('evidenceFor / withoutItem: which outside evidence decided an item, and clearing it', () => {
  const report = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: { pageLoadMs: 3000, timeToInteractiveMs: 5000 } });
  const ev = lighthouseEvidence(report, DATE);
  assert.equal(ev.target, report.url);
  assert.ok(report.url.startsWith(`${ORIGIN}/slow`));
  assert.equal(ev.preset, 'mobile');
  const evidence = new Map([['lighthouse', ev]]);
  const merged = byId(mergeEvidence(checklistStatus([], new Map()), ev));
  assert.equal(merged.compression.status, 'fail');
  assert.deepEqual(evidenceFor(merged.compression, evidence).map((e) => e.key), ['lighthouse']);
  assert.deepEqual(evidenceFor(merged.indexes, evidence), []);
  const cleared = byId(mergeEvidence(checklistStatus([], new Map()), withoutItem(ev, 'compression')));
  assert.equal(cleared.compression.status, 'unknown');
  assert.equal(cleared.compression.findings.length, 0);
  assert.equal(cleared['browser-caching'].status, 'fail');
});
