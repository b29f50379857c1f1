/** Lighthouse history in performance-data.md, next to the workspace-audit history of the memory module. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { appendLighthouseRun, lighthouseEntry, parseLighthouseHistory, type LighthouseHistoryEntry } from '../../../src/analyzers/lighthouse/memory.js';
import { buildLighthouseReport } from '../../../src/analyzers/lighthouse/map.js';
import { appendPerformanceData, parseHistory, MARKER_BEGIN, type PerfDataEntry } from '../../../src/kernel/memory/memory.js';
import { saveLighthouseToMemory } from '../../../src/analyzers/lighthouse/run/session.js';
import { BUDGETS, ORIGIN, loadLhr } from './helpers.js';

const SLOW = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: BUDGETS });
const GOOD = buildLighthouseReport([loadLhr('good-desktop')], { preset: 'desktop', budgets: BUDGETS });
const E1 = lighthouseEntry(SLOW, '2026-11-25 10:00');
const E2 = lighthouseEntry(GOOD, '2026-11-25 10:05');

const AUDIT: PerfDataEntry = { date: '2026-11-25', score: 70, items: [{ id: 'indexes', status: 'fail', findings: 2 }, { id: 'compression', status: 'pass', findings: 0 }], totals: { findings: 2 } };

test('a new file: the memory skeleton with the Lighthouse table under System Performance', () => {
  const t = appendLighthouseRun(undefined, E1);
  assert.ok(t.startsWith('# Performance Data\n\n## Infrastructure Performance Data\n\n### System Performance\n\n#### Lighthouse\n\n<!-- perf-auditor:begin -->\n| Run | URL | Preset |'), t);
  assert.ok(t.includes('\n### Reliability Metrics\n') && t.includes('\n### Cost Metrics\n'));
  assert.ok(t.endsWith('\n'));
  const h = parseLighthouseHistory(t);
  assert.equal(h.length, 1);
  assert.deepEqual({ ...h[0], notes: '' }, { ...E1, lcp: Math.round(E1.lcp!), fcp: Math.round(E1.fcp!), tti: Math.round(E1.tti!), tbt: Math.round(E1.tbt!), cls: Number(E1.cls!.toFixed(3)), notes: '' });
  assert.equal(h[0].url, `${ORIGIN}/slow/`);
  assert.deepEqual(h[0].failing, ['compression', 'lazy-loading', 'image-formats', 'bundle-size', 'browser-caching']);
  assert.match(h[0].budgets, /load ✗ 3\.0 s, TTI ✗ 5\.0 s/);
  assert.match(h[0].notes, /^Lighthouse 12\.8\.2, simulate throttling$/);
});

test('rows accumulate newest last (several runs a day are kept); an identical row is not added twice', () => {
  let t = appendLighthouseRun(undefined, E1);
  t = appendLighthouseRun(t, E2);
  t = appendLighthouseRun(t, E2);
  assert.deepEqual(parseLighthouseHistory(t).map((h) => h.date), ['2026-11-25 10:00', '2026-11-25 10:05']);
  const capped = appendLighthouseRun(appendLighthouseRun(t, { ...E2, date: 'x' }, 2), { ...E2, date: 'y' }, 2);
  assert.deepEqual(parseLighthouseHistory(capped).map((h) => h.date), ['x', 'y']);
});

test('coexists with the workspace-audit history: neither overwrites nor reads the other', () => {
  const both1 = appendLighthouseRun(appendPerformanceData(undefined, AUDIT), E1);
  const both2 = appendPerformanceData(appendLighthouseRun(undefined, E1), AUDIT);
  for (const t of [both1, both2]) {
    assert.equal(parseHistory(t).length, 1, t);
    assert.equal(parseHistory(t)[0].score, 70);
    assert.equal(parseLighthouseHistory(t).length, 1);
    assert.equal(t.split(MARKER_BEGIN).length - 1, 2);
  }
  // Re-applying either keeps the other's block.
  const again = appendPerformanceData(appendLighthouseRun(both2, E2), { ...AUDIT, date: '2026-11-26' });
  assert.equal(parseHistory(again).length, 2);
  assert.equal(parseLighthouseHistory(again).length, 2);
  // Before any Lighthouse table exists the audit history is not mistaken for one, and vice versa.
  assert.deepEqual(parseLighthouseHistory(appendPerformanceData(undefined, AUDIT)), []);
  assert.deepEqual(parseHistory(appendLighthouseRun(undefined, E1)), []);
});

test('user text, other sections, CRLF line endings and a missing trailing newline are kept', () => {
  const user = '# Team perf notes\r\n\r\nSome prose.\r\n\r\n## Infrastructure Performance Data\r\n\r\n### System Performance\r\n\r\n- p95 checkout: 180 ms\r\n\r\n### Cost Metrics\r\n\r\n- $120/month';
  const t = appendLighthouseRun(user, E1);
  assert.ok(t.startsWith('# Team perf notes\r\n\r\nSome prose.\r\n\r\n## Infrastructure Performance Data\r\n\r\n### System Performance\r\n\r\n- p95 checkout: 180 ms\r\n\r\n#### Lighthouse\r\n\r\n<!-- perf-auditor:begin -->\r\n'), JSON.stringify(t.slice(0, 300)));
  assert.ok(t.endsWith('\r\n\r\n### Cost Metrics\r\n\r\n- $120/month'));
  assert.ok(!/[^\r]\n/.test(t), 'only CRLF');
  // Removing our heading and block gives back the user's text.
  const withoutOurs = t.replace(/#### Lighthouse\r\n\r\n<!-- perf-auditor:begin -->[\s\S]*?<!-- perf-auditor:end -->\r\n\r\n/, '');
  assert.equal(withoutOurs, user);
  assert.equal(appendLighthouseRun(t, E1), t, 'idempotent for the same entry');
});

test('a file without the section gets it appended; pipes and line breaks in values are escaped', () => {
  const t = appendLighthouseRun('# Other\n\ntext\n', { ...E1, url: 'http://x/a|b', notes: 'line1\nline2' });
  assert.ok(t.startsWith('# Other\n\ntext\n\n## Infrastructure Performance Data\n\n### System Performance\n\n#### Lighthouse\n'));
  const h = parseLighthouseHistory(t);
  assert.equal(h[0].url, 'http://x/a|b');
  assert.equal(h[0].notes, 'line1 line2');
});

test('parseLighthouseHistory never throws and ignores foreign rows', () => {
  for (const bad of [undefined, '', 'garbage |||', '#### Lighthouse\n<!-- perf-auditor:begin -->\n| a |\n']) assert.deepEqual(parseLighthouseHistory(bad), []);
  const entry: LighthouseHistoryEntry = { ...E1, runs: null, score: null, fcp: null, lcp: null, tbt: null, cls: null, tti: null, failing: [] };
  const h = parseLighthouseHistory(appendLighthouseRun(undefined, entry))[0];
  assert.equal(h.score, null);
  assert.deepEqual(h.failing, []);
});

test('saveLighthouseToMemory writes .superagent/memory/performance-data.md atomically, keeping what is there', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'perf-lh-mem-'));
  try {
    const r1 = await saveLighthouseToMemory(root, SLOW, '2026-11-25 10:00');
    assert.equal(r1.status, 'written');
    assert.equal(r1.file, path.join(root, '.superagent', 'memory', 'performance-data.md'));
    const dir = path.join(root, '.superagent', 'memory');
    mkdirSync(dir, { recursive: true });
    writeFileSync(r1.file, readFileSync(r1.file, 'utf8') + '\nUser line.\n');
    const r2 = await saveLighthouseToMemory(root, GOOD, '2026-11-25 11:00');
    assert.equal(r2.status, 'written');
    const text = readFileSync(r1.file, 'utf8');
    assert.ok(text.endsWith('\nUser line.\n'));
    assert.deepEqual(parseLighthouseHistory(text).map((h) => [h.date, h.preset]), [['2026-11-25 10:00', 'mobile'], ['2026-11-25 11:00', 'desktop']]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a level-5 "Infrastructure Performance Data": the table goes under a level-6 Lighthouse heading next to System Performance, once', () => {
  const user = '# Notes\n\n##### Infrastructure Performance Data\n\nteam text\n\n## Other\n';
  let t = appendLighthouseRun(user, E1);
  t = appendLighthouseRun(t, E2);
  t = appendPerformanceData(t, AUDIT);
  t = appendLighthouseRun(t, { ...E2, date: '2026-11-25 12:00' });
  assert.deepEqual(parseLighthouseHistory(t).map((h) => h.date), ['2026-11-25 10:00', '2026-11-25 10:05', '2026-11-25 12:00']);
  assert.deepEqual(parseHistory(t).map((h) => h.date), ['2026-11-25']);
  assert.equal(t.match(/^###### Lighthouse$/gm)?.length, 1, t);
  assert.equal(t.match(/^###### System Performance$/gm)?.length, 1, t);
  assert.ok(t.startsWith('# Notes\n\n##### Infrastructure Performance Data\n\nteam text\n'), t);
  assert.ok(t.endsWith('\n## Other\n'), t);
  // A file damaged by an earlier version (one level-6 Lighthouse heading per run): the first is used, none added.
  const damaged = '##### Infrastructure Performance Data\n###### System Performance\n###### Lighthouse\n###### Lighthouse\n';
  const d = appendLighthouseRun(damaged, E1);
  assert.equal(d.match(/^###### Lighthouse$/gm)?.length, 2);
  assert.equal(parseLighthouseHistory(d).length, 1);
  assert.equal(appendLighthouseRun(d, E1), d);
});

test('saveLighthouseToMemory reports success only when the row is in the file', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'perf-lh-mem-'));
  try {
    const dir = path.join(root, '.superagent', 'memory');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'performance-data.md');
    writeFileSync(file, '##### Infrastructure Performance Data\n\nteam text\n');
    const r = await saveLighthouseToMemory(root, SLOW, '2026-11-25 10:00');
    assert.equal(r.status, 'written');
    assert.equal(parseLighthouseHistory(readFileSync(file, 'utf8')).length, 1);
    const again = await saveLighthouseToMemory(root, SLOW, '2026-11-25 10:00');
    assert.equal(again.status, 'unchanged');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
