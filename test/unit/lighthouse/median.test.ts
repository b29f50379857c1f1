/** Several runs: Lighthouse's median-run choice, per-metric medians, budgets against the median. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, medianRunIndex, summarizeMetrics } from '../../../src/analyzers/lighthouse/median.js';
import { buildLighthouseReport } from '../../../src/analyzers/lighthouse/map.js';
import { BUDGETS, loadLhr, withValues } from './helpers.js';

const FCP = 'first-contentful-paint';
const TTI = 'interactive';
const LCP = 'largest-contentful-paint';

test('median of finite values; even counts average the middle two; none → null', () => {
  const cases: [number[], number | null][] = [
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[5], 5],
    [[], null],
    [[NaN, 7, Infinity], 7],
  ];
  for (const [values, want] of cases) assert.equal(median(values), want, JSON.stringify(values));
});

test('the median run is the one closest to the median FCP and TTI (as Lighthouse picks it)', () => {
  const base = loadLhr('good-desktop');
  const runs = [
    withValues(base, { [FCP]: 900, [TTI]: 3000 }),
    withValues(base, { [FCP]: 1000, [TTI]: 2000 }),
    withValues(base, { [FCP]: 1100, [TTI]: 2100 }),
  ];
  // Medians FCP 1000, TTI 2100: runs 1 and 2 are both 100² away; the tie goes to the smaller TTI (run 1).
  assert.equal(medianRunIndex(runs), 1);
  assert.equal(medianRunIndex([runs[0]]), 0);
  const far = [withValues(base, { [FCP]: 500, [TTI]: 500 }), withValues(base, { [FCP]: 1000, [TTI]: 1000 }), withValues(base, { [FCP]: 5000, [TTI]: 9000 })];
  assert.equal(medianRunIndex(far), 1);
});

test('runs without FCP or TTI are skipped; none valid → the first run; no runs → error', () => {
  const base = loadLhr('good-desktop');
  const broken = withValues(base, {});
  delete broken.audits[FCP].numericValue;
  assert.equal(medianRunIndex([broken, withValues(base, { [FCP]: 1, [TTI]: 1 })]), 1);
  assert.equal(medianRunIndex([broken]), 0);
  assert.throws(() => medianRunIndex([]), /no Lighthouse runs/);
});

test('metrics: per-run values, median, min and max; budgets use the median', () => {
  const base = loadLhr('good-desktop');
  const runs = [withValues(base, { [LCP]: 2000 }, 0.9), withValues(base, { [LCP]: 4000 }, 0.5), withValues(base, { [LCP]: 3500 }, 0.6)];
  const m = summarizeMetrics(runs, 0).find((x) => x.id === LCP)!;
  assert.deepEqual(m.values, [2000, 4000, 3500]);
  assert.equal(m.median, 3500);
  assert.equal(m.min, 2000);
  assert.equal(m.max, 4000);
  const r = buildLighthouseReport(runs, { preset: 'desktop', budgets: BUDGETS });
  assert.equal(r.runs, 3);
  assert.deepEqual(r.scores, [90, 50, 60]);
  const b = r.budgets.find((x) => x.id === 'page-load')!;
  assert.equal(b.valueMs, 3500);
  assert.equal(b.status, 'fail');
  const f = r.findings.find((x) => x.ruleId === 'lighthouse-largest-contentful-paint')!;
  assert.match(f.message, /median of 3 runs 3\.5 s \(2\.0 s, 4\.0 s, 3\.5 s\)/);
  // One good run out of three does not pass the budget; two do.
  const ok = buildLighthouseReport([runs[0], withValues(base, { [LCP]: 2900 }), runs[1]], { preset: 'desktop', budgets: BUDGETS });
  assert.equal(ok.budgets.find((x) => x.id === 'page-load')!.status, 'pass');
});

test('run warnings of every run are reported, numbered', () => {
  const base = loadLhr('good-desktop');
  const a = withValues(base, {});
  a.runWarnings = ['w1'];
  const b = withValues(base, {});
  b.runWarnings = ['w2'];
  assert.deepEqual(buildLighthouseReport([a, b], { preset: 'desktop', budgets: BUDGETS }).warnings, ['Run 1: w1', 'Run 2: w2']);
});
