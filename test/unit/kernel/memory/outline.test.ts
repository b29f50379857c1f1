/** The Memory node's outline: the team's metrics, the audit and Lighthouse history, architecture and workflows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMemory, appendPerformanceData, updateInsights } from '../../../../src/kernel/memory/memory.js';
import { memoryOutline, OUTLINE_LIMITS } from '../../../../src/kernel/memory/outline.js';
import { localDate, localDateTime } from '../../../../src/kernel/memory/dates.js';
import { appendLighthouseRun, parseLighthouseHistory, type LighthouseHistoryEntry } from '../../../../src/analyzers/lighthouse/memory.js';

const PERF = `# Performance Data

## Infrastructure Performance Data

### System Performance
- **API p95**: 180 ms - within budget (2026-11-20)
- **DB CPU**: 45% - peak hours

| Date | p95 | Error rate |
| --- | ---: | ---: |
${Array.from({ length: 8 }, (_, i) => `| 2026-11-${String(10 + i).padStart(2, '0')} | ${170 + i} ms | 0.0${i}% |`).join('\n')}

### Reliability Metrics
- **Uptime**: 99.95% - last 30 days

### Cost Metrics
| Month | Spend |
| --- | --- |
| 2026-10 | $1,200 |

Last updated: 2026-11-21
`;

const LH = (date: string, score: number): LighthouseHistoryEntry => ({ date, url: 'http://localhost:3000/', preset: 'desktop', runs: 1, score, fcp: 800, lcp: 1200, tbt: 10, cls: 0, tti: 2000, budgets: 'load ✓ 3.0 s, TTI ✓ 5.0 s', failing: [], notes: 'Lighthouse 12.8.2' });

const find = (es: ReturnType<typeof memoryOutline>, label: string) => es.find((e) => e.label === label);

test('the team metrics of performance-data.md are shown by sub-section, newest rows, with last updated', () => {
  let perf = appendPerformanceData(PERF, { date: '2026-11-25', score: 80, items: [{ id: 'indexes', status: 'fail', findings: 2 }], totals: { findings: 2 } });
  for (let i = 0; i < 7; i++) perf = appendLighthouseRun(perf, LH(`2026-11-25 1${i}:00`, 90 + i));
  const files = [
    { name: 'performance-data.md', text: perf },
    { name: 'technical-architecture.md', text: '## Infrastructure Systems\n\n### Databases\n- **Postgres 16**: primary + 1 replica - eu-west\n\n| Service | Host |\n| --- | --- |\n| api | k8s |\n' },
    { name: 'workflows.md', text: '## Infrastructure Procedures\n- **Restore drill**: monthly - last 2026-11-02\n' },
  ];
  const out = memoryOutline(readMemory(files), files.map((f) => f.name), parseLighthouseHistory(perf));
  assert.deepEqual(out.map((e) => e.label), [
    'Performance data — team metrics',
    'Performance data — audit history',
    'Lighthouse runs',
    'Technical architecture — Infrastructure Systems',
    'Workflows — Infrastructure Procedures',
  ]);
  const team = find(out, 'Performance data — team metrics')!;
  assert.equal(team.file, '.superagent/memory/performance-data.md');
  assert.match(team.description!, /System Performance, Reliability Metrics, Cost Metrics · last updated 2026-11-21/);
  const sys = team.children!.find((c) => c.label === 'System Performance')!;
  assert.match(sys.description!, /2 bullets · 8 table rows · last 2026-11-20 \(newest shown, 3 more in the file\)/);
  // the bullets, then the newest rows of the team's table (not Perf Auditor's history table)
  assert.deepEqual(sys.children!.map((c) => c.label), ['API p95', 'DB CPU', '2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17']);
  assert.equal(sys.children![2].description, 'p95: 173 ms · Error rate: 0.03%');
  assert.deepEqual(team.children!.map((c) => c.label), ['System Performance', 'Reliability Metrics', 'Cost Metrics']);
  // Lighthouse: newest first, a few
  const lh = find(out, 'Lighthouse runs')!;
  assert.match(lh.description!, /^7 runs · last 2026-11-25 16:00, score 96$/);
  assert.equal(lh.children!.length, OUTLINE_LIMITS.lighthouse);
  assert.equal(lh.children![0].label, '2026-11-25 16:00');
  assert.match(lh.children![0].description!, /score 96 · LCP 1\.2 s · TTI 2\.0 s · desktop/);
  // audit history
  assert.match(find(out, 'Performance data — audit history')!.description!, /^1 audit · last 2026-11-25$/);
  // architecture: sub-section with the bullet and the table row
  const arch = find(out, 'Technical architecture — Infrastructure Systems')!;
  assert.deepEqual(arch.children!.map((c) => [c.label, c.children!.map((x) => x.label)]), [['Databases', ['Postgres 16', 'api']]]);
  assert.match(find(out, 'Workflows — Infrastructure Procedures')!.description!, /Section text · last updated 2026-11-02/);
});

test('what Perf Auditor wrote itself is not shown as team content; no files / no sections say so', () => {
  const audit = { score: 50, checklist: [{ item: { id: 'indexes', title: 'Appropriate indexes', group: 'Database' }, status: 'fail' as const, reason: 'x', findings: [{ severity: 'warning' as const }] }] };
  const ins = updateInsights(undefined, audit, '2026-11-25');
  const perf = appendPerformanceData(undefined, { date: '2026-11-25', score: 50, items: [], totals: { findings: 0 } });
  const out = memoryOutline(readMemory([{ name: 'insights.md', text: ins }, { name: 'performance-data.md', text: perf }]), ['insights.md', 'performance-data.md']);
  assert.deepEqual(out.map((e) => e.label), ['Insights — Infrastructure & Performance', 'Performance data — audit history']);
  assert.match(out[0].description!, /updated 2026-11-25/);
  assert.equal(memoryOutline(readMemory([]), [])[0].label, 'No memory files yet');
  assert.match(memoryOutline(readMemory([{ name: 'notes.md', text: '# x' }]), ['notes.md'])[0].label, /none with infrastructure sections yet/);
});

test('dates are local: the calendar day the user sees, not UTC', () => {
  const late = new Date(2026, 10, 25, 23, 59);
  assert.equal(localDate(late), '2026-11-25');
  assert.equal(localDateTime(late), '2026-11-25 23:59');
  const early = new Date(2026, 0, 1, 0, 5);
  assert.equal(localDate(early), '2026-01-01');
  assert.equal(localDateTime(early), '2026-01-01 00:05');
});
