/** Memory updates (insights.md, performance-data.md) and reading: table-driven cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendPerformanceData,
  INSIGHTS_SUBSECTIONS,
  MARKER_BEGIN,
  MARKER_END,
  parseHistory,
  readMemory,
  trendEntries,
  updateInsights,
  type AuditLike,
  type PerfDataEntry,
} from '../../../../src/kernel/memory/memory.js';
import { CHECKLIST, type ItemStatus } from '../../../../src/kernel/checklist.js';

const STATUSES: ItemStatus[] = ['pass', 'fail', 'unknown', 'not-applicable'];

function audit(score = 60, pick: (i: number) => ItemStatus = (i) => STATUSES[i % 4]): AuditLike {
  return {
    score,
    checklist: CHECKLIST.map((item, i) => {
      const status = pick(i);
      return { item, status, reason: `reason ${i}`, findings: status === 'fail' ? Array.from({ length: (i % 3) + 1 }, () => ({ severity: 'warning' as const })) : [] };
    }),
  };
}

const A = audit();
const D = '2024-05-01';

/** Text with every marker block (begin..end lines) removed, for comparing what is outside them. */
function withoutBlocks(text: string): string {
  return text.replace(/^[ \t]*<!-- perf-auditor:begin -->[^\n]*\n(?:(?![ \t]*<!-- perf-auditor:end -->)[^\n]*\n)*?[ \t]*<!-- perf-auditor:end -->[^\n]*(\n|$)/gm, '');
}

test('insights: absent file → a new document with the section, the nine sub-sections and Last updated', () => {
  const t = updateInsights(undefined, A, D);
  assert.ok(t.startsWith('# Insights\n\n## Infrastructure & Performance\n\n### System Architecture\n'));
  const subs = [...t.matchAll(/^### (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(subs, [...INSIGHTS_SUBSECTIONS]);
  assert.ok(t.endsWith(`${MARKER_END}\n\nLast updated: ${D}\n`));
  assert.match(t, /### Performance Optimization\n<!-- perf-auditor:begin -->\n- \*\*Compression \(gzip\/brotli\) enabled\*\*: pass - reason 0\n- \*\*Lazy loading\*\*: fail \(2 findings\) - /);
  assert.match(t, /### Performance Benchmarks\n<!-- perf-auditor:begin -->\n- \*\*Perf audit score\*\*: 60\/100 \(2024-05-01\) - 6 pass, 6 fail, 6 unknown, 6 not applicable; /);
  assert.match(t, /### Disaster Recovery\n<!-- perf-auditor:begin -->\n- \*\*Tested backup and recovery\*\*: /);
  assert.match(t, /### Security & Compliance\n<!-- perf-auditor:begin -->\n(- .*\n)*- \*\*Not yet assessed\*\*: unknown - TLS encryption\n/);
  assert.equal(updateInsights('', A, D), t);
  assert.equal(updateInsights('\uFEFF', A, D), '\uFEFF' + t);
});

interface InsightsCase {
  name: string;
  before: string;
  /** Exact expected text, when pinned. */
  after?: string;
  check?: (after: string, before: string) => void;
}

const small: AuditLike = {
  score: 50,
  checklist: [
    { item: CHECKLIST.find((c) => c.id === 'indexes')!, status: 'fail', reason: '2 problems found', findings: [{ severity: 'warning' }, { severity: 'error' }] },
    { item: CHECKLIST.find((c) => c.id === 'health-checks')!, status: 'pass', reason: 'checked', findings: [] },
  ],
};
/** Same sub-sections as `small`, other results. */
const smallLater: AuditLike = { score: 100, checklist: small.checklist.map((r) => ({ ...r, status: 'pass', findings: [] })) };
const PO = [MARKER_BEGIN, '- **Appropriate indexes**: fail (2 findings) - queries scan whole tables as data grows', MARKER_END];
const RM = [MARKER_BEGIN, '- **Health checks**: pass - checked', MARKER_END];
const PB = [MARKER_BEGIN, `- **Perf audit score**: 50/100 (${D}) - 1 pass, 1 fail, 0 unknown, 0 not applicable; 2 findings (1 error, 1 warning)`, MARKER_END];

const INSIGHTS_CASES: InsightsCase[] = [
  {
    name: 'sub-sections present, user bullets kept, Last updated rewritten in place',
    before: ['# Team', '', '## Infrastructure & Performance', '', '### Performance Optimization', '- **CDN**: done - fast', '', '### Reliability & Monitoring', '', '### Performance Benchmarks', '- **p95**: 180 ms - ok', '', 'Last updated: 2023-01-01', '', '## Other', 'keep'].join('\n'),
    after: ['# Team', '', '## Infrastructure & Performance', '', '### Performance Optimization', '- **CDN**: done - fast', ...PO, '', '### Reliability & Monitoring', ...RM, '', '### Performance Benchmarks', '- **p95**: 180 ms - ok', ...PB, '', 'Last updated: 2024-05-01', '', '## Other', 'keep'].join('\n'),
  },
  {
    name: 'CRLF file: inserted lines use CRLF',
    before: '## Infrastructure & Performance\r\n### Performance Optimization\r\n- **a**: b - c\r\n',
    check: (t) => {
      assert.ok(!/[^\r]\n/.test(t), 'no bare LF');
      assert.ok(t.startsWith('## Infrastructure & Performance\r\n### Performance Optimization\r\n- **a**: b - c\r\n<!-- perf-auditor:begin -->\r\n'));
      assert.ok(t.endsWith('\r\n\r\nLast updated: 2024-05-01\r\n'));
    },
  },
  {
    name: 'BOM and no trailing newline preserved',
    before: '\uFEFF# Notes\n\nsome text',
    check: (t, b) => {
      assert.ok(t.startsWith(b + '\n\n## Infrastructure & Performance\n'));
      assert.ok(t.endsWith('Last updated: 2024-05-01'));
      assert.ok(t.startsWith('\uFEFF'));
    },
  },
  {
    name: 'section missing: appended at the end after one blank line',
    before: '# Notes\n\n## Decisions\n- use postgres\n\n\n',
    check: (t, b) => {
      assert.ok(t.startsWith(b + '## Infrastructure & Performance\n\n### System Architecture\n'));
    },
  },
  {
    name: 'sub-section missing: appended at the end of the section, before the next section and Last updated',
    before: ['## Infrastructure & Performance', '### System Architecture', '- **Monolith**: stable - simple', '', '*Last updated: 2023-01-01*', '## Next', 'x', ''].join('\n'),
    after: ['## Infrastructure & Performance', '### System Architecture', '- **Monolith**: stable - simple', '', '### Performance Optimization', ...PO, '', '### Reliability & Monitoring', ...RM, '', '### Performance Benchmarks', ...PB, '', '*Last updated: 2024-05-01*', '## Next', 'x', ''].join('\n'),
  },
  {
    name: 'markers present: only the block content changes, user bullets around it stay',
    before: ['## Infrastructure & Performance', '### Performance Optimization', '- u1', MARKER_BEGIN, '- old', '- older', MARKER_END, '- u2', '', '### Reliability & Monitoring', '  <!--  perf-auditor:begin  -->  ', 'stale', '<!-- perf-auditor:end -->', '### Performance Benchmarks', 'Last updated: x'].join('\n'),
    after: ['## Infrastructure & Performance', '### Performance Optimization', '- u1', ...PO, '- u2', '', '### Reliability & Monitoring', ...RM, '### Performance Benchmarks', ...PB, '', 'Last updated: 2024-05-01'].join('\n'),
  },
  {
    name: 'heading and markers inside code fences are not ours',
    before: ['# Doc', '```md', '## Infrastructure & Performance', '### Performance Optimization', MARKER_BEGIN, 'example', MARKER_END, '```', ''].join('\n'),
    check: (t, b) => {
      assert.ok(t.startsWith(b + '\n## Infrastructure & Performance\n'));
    },
  },
  {
    name: 'markers inside a code fence in our sub-section are user text',
    before: ['## Infrastructure & Performance', '### Performance Optimization', '~~~md', MARKER_BEGIN, '- example', MARKER_END, '~~~', ''].join('\n'),
    check: (t) => assert.ok(t.includes(['### Performance Optimization', '~~~md', MARKER_BEGIN, '- example', MARKER_END, '~~~', ...PO, ''].join('\n'))),
  },
  {
    name: 'end without begin, and a begin cut off by a heading, are left alone',
    before: ['## Infrastructure & Performance', '### Performance Optimization', MARKER_END, '- a', MARKER_BEGIN, '#### Detail', MARKER_END, '- b', ''].join('\n'),
    check: (t) => assert.ok(t.includes(['### Performance Optimization', MARKER_END, '- a', MARKER_BEGIN, ...PO, '', '#### Detail', MARKER_END, '- b', ''].join('\n'))),
  },
  {
    name: 'begin without end: left alone, a fresh block added after it',
    before: ['## Infrastructure & Performance', '### Performance Optimization', MARKER_BEGIN, '- user text after a broken marker', '', '### Reliability & Monitoring', MARKER_END, '- user', ''].join('\n'),
    check: (t) => {
      assert.ok(t.includes(['### Performance Optimization', MARKER_BEGIN, '- user text after a broken marker', ...PO, '', '### Reliability & Monitoring', MARKER_END, '- user', ...RM, ''].join('\n')));
    },
  },
  {
    name: 'several blocks in one sub-section: the first is updated, the others removed',
    before: ['## Infrastructure & Performance', '### Performance Optimization', MARKER_BEGIN, 'a', MARKER_END, 'user', MARKER_BEGIN, 'b', MARKER_END, ''].join('\n'),
    check: (t) => assert.ok(t.includes(['### Performance Optimization', ...PO, 'user', '', '### Reliability'].join('\n'))),
  },
  {
    name: 'Last updated in emphasis forms; one in another section is not ours',
    before: ['## Other', 'Last updated: 1999', '## Infrastructure & Performance', '**Last updated:** 2000', '### Disaster Recovery', '- x', '', '**Last updated:**2001   ', '## Z'].join('\n'),
    check: (t) => {
      assert.ok(t.includes('## Other\nLast updated: 1999\n'));
      assert.ok(t.includes('**Last updated:** 2000\n'));
      assert.ok(t.includes('**Last updated:**2024-05-01   \n## Z'));
    },
  },
  {
    name: 'section heading at another level, sub-sections one level deeper',
    before: ['# Notes', '### Infrastructure and performance ###', '#### performance optimization', '- mine', '## After', ''].join('\n'),
    check: (t) => {
      assert.ok(t.includes(['#### performance optimization', '- mine', ...PO, '', '#### Reliability & Monitoring', ...RM, '', '#### Performance Benchmarks', ...PB, '', 'Last updated: 2024-05-01', '', '## After', ''].join('\n')));
    },
  },
];

for (const c of INSIGHTS_CASES) {
  test(`insights: ${c.name}`, () => {
    const t = updateInsights(c.before, small, D);
    if (c.after !== undefined) assert.equal(t, c.after);
    c.check?.(t, c.before);
    assert.equal(updateInsights(t, small, D), t, 'idempotent');
    // A later audit only changes our blocks and the date.
    const later = updateInsights(t, smallLater, '2024-06-01');
    assert.equal(withoutBlocks(later).replace(/2024-06-01/g, D), withoutBlocks(t));
  });
}

test('insights: user text with marker-like content and newlines in reasons stays one line per bullet', () => {
  const weird: AuditLike = {
    score: 10,
    checklist: [{ item: { id: 'indexes', title: 'Idx **x**', group: 'Database' }, status: 'pass', reason: `line1\nline2 ${MARKER_END} | ok`, findings: [] }],
  };
  const t = updateInsights(undefined, weird, ' 2024-01-01\n');
  assert.ok(t.includes(`- **Idx x**: pass - line1 line2 ${MARKER_END} | ok\n`));
  assert.ok(t.includes('Last updated: 2024-01-01\n'));
  assert.equal(updateInsights(t, weird, '2024-01-01'), t);
});

// ------------------------------------------------------------------------------------------------
// performance-data.md

function entry(date: string, score: number, failing: [string, number][] = [], settings?: string): PerfDataEntry {
  return {
    date,
    score,
    ...(settings !== undefined ? { settings } : {}),
    items: [...failing.map(([id, n]) => ({ id, status: 'fail' as const, findings: n })), { id: 'cdn', status: 'pass', findings: 0 }, { id: 'backups', status: 'unknown', findings: 0 }],
    totals: { findings: failing.reduce((s, [, n]) => s + n, 0) },
  };
}

test('performance data: absent → new file with the table; history parses back', () => {
  const t = appendPerformanceData(undefined, entry(D, 72, [['indexes', 5], ['schema', 2]], 'pg | strict'));
  assert.equal(
    t,
    [
      '# Performance Data',
      '',
      '## Infrastructure Performance Data',
      '',
      '### System Performance',
      MARKER_BEGIN,
      '| Date | Score | Findings | Pass | Fail | Unknown | N/A | Failing items (findings) | Notes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      '| 2024-05-01 | 72 | 7 | 1 | 2 | 1 | 0 | indexes (5), schema (2) | pg \\| strict |',
      MARKER_END,
      '',
      '### Reliability Metrics',
      '',
      '### Cost Metrics',
      '',
    ].join('\n'),
  );
  const h = parseHistory(t);
  assert.equal(h.length, 1);
  assert.deepEqual({ ...h[0], raw: undefined }, { date: D, score: 72, findings: 7, pass: 1, fail: 2, unknown: 1, notApplicable: 0, failing: [{ id: 'indexes', findings: 5 }, { id: 'schema', findings: 2 }], notes: 'pg | strict', raw: undefined });
  assert.deepEqual(trendEntries(h), [{ date: D, score: 72, findings: 7, failing: ['indexes', 'schema'] }]);
});

test('performance data: rows appended newest last, same date replaced, capped, user content kept', () => {
  const user = ['# PD', '## Infrastructure Performance Data', '### System Performance', '- **p95**: 210 ms - over budget', '', '| Metric | Value |', '|---|---|', '| rps | 120 |', '', '### Reliability Metrics', '- uptime 99.9%', ''].join('\r\n');
  let t = user;
  for (const [i, d] of ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'].entries()) t = appendPerformanceData(t, entry(d, 50 + i, [['indexes', i]]), 3);
  assert.deepEqual(parseHistory(t).map((e) => [e.date, e.score]), [['2024-01-03', 52], ['2024-01-04', 53], ['2024-01-05', 54]]);
  const again = appendPerformanceData(t, entry('2024-01-05', 99), 3);
  assert.deepEqual(parseHistory(again).map((e) => [e.date, e.score]), [['2024-01-03', 52], ['2024-01-04', 53], ['2024-01-05', 99]]);
  assert.equal(appendPerformanceData(again, entry('2024-01-05', 99), 3), again, 'idempotent');
  assert.equal(withoutBlocks(t.replace(/\r\n/g, '\n')), user.replace(/\r\n/g, '\n'));
  assert.ok(!/[^\r]\n/.test(t), 'CRLF kept');
  const r = readMemory([{ name: 'performance-data.md', text: t }]).performanceData;
  assert.deepEqual(r.bullets.map((b) => [b.subsection, b.raw, b.ours]), [['System Performance', '- **p95**: 210 ms - over budget', false], ['Reliability Metrics', '- uptime 99.9%', false]]);
  assert.deepEqual(r.tables.map((x) => [x.ours, x.header[0], x.rows.length]), [[false, 'Metric', 1], [true, 'Date', 3]]);
  assert.equal(r.history.length, 3);
});

test('performance data: unparseable rows inside our table are kept; history parser is robust', () => {
  const t = appendPerformanceData(undefined, entry('2024-01-01', 1));
  const edited = t.replace('| 2024-01-01 |', '| hand-edited row | x |\n| 2024-01-01 |');
  const next = appendPerformanceData(edited, entry('2024-01-02', 2));
  assert.ok(next.includes('| hand-edited row | x |\n| 2024-01-01 |'));
  assert.deepEqual(parseHistory(next).map((e) => [e.date, e.score]), [['hand-edited row', null], ['2024-01-01', 1], ['2024-01-02', 2]]);
  for (const junk of ['', '|||', `${MARKER_BEGIN}\n| Date |\n| x`, '\u0000\uFFFF', '## Infrastructure Performance Data\n### System Performance\n<!-- perf-auditor:begin -->\n']) {
    assert.doesNotThrow(() => parseHistory(junk));
  }
  assert.deepEqual(parseHistory(undefined as unknown as string), []);
});

// ------------------------------------------------------------------------------------------------
// readMemory

test('readMemory: bullets, topics, ours, Last updated, other files; robust to garbage', () => {
  const insights = updateInsights(['## Infrastructure & Performance', '### Capacity Planning & Scaling', '- **Peak load**: 2k rps — measured in March', '- plain note', '```', '- not a bullet (code)', '```', ''].join('\n'), A, D);
  const v = readMemory([
    { name: '/ws/.superagent/memory/insights.md', text: insights },
    { name: 'technical-architecture.md', text: '## Infrastructure Systems\n- **DB**: Postgres 16 - primary store\n### Queue\n* SQS\n' },
    { name: 'workflows.md', text: '# W\n## Other\n- x\n' },
    { name: 'notes.md', text: 'ignored' },
  ]);
  assert.equal(v.insights.found, true);
  assert.equal(v.insights.lastUpdated, D);
  const user = v.insights.bullets.filter((b) => !b.ours);
  assert.deepEqual(user.map((b) => [b.subsection, b.topic, b.status, b.impact]), [['Capacity Planning & Scaling', 'Peak load', '2k rps', 'measured in March'], ['Capacity Planning & Scaling', undefined, undefined, undefined]]);
  const idx = v.insights.bullets.find((b) => b.itemId === 'schema');
  assert.ok(idx?.ours);
  assert.equal(idx.status, 'fail (2 findings)');
  assert.equal(idx.impact, 'table design costs storage and query speed');
  assert.deepEqual(v.architecture.bullets.map((b) => [b.subsection, b.text]), [['', '**DB**: Postgres 16 - primary store'], ['Queue', 'SQS']]);
  assert.equal(v.workflows.found, false);
  assert.equal(v.performanceData.found, false);

  const garbage = readMemory([
    { name: 'insights.md', text: '\u0000## Infrastructure & Performance\n<!-- perf-auditor:begin' },
    { name: 'performance-data.md', text: 42 as unknown as string },
    null as unknown as { name: string; text: string },
    { name: undefined as unknown as string, text: 'x' },
  ]);
  assert.equal(garbage.insights.found, false);
  assert.ok(garbage.warnings.length >= 1);
  assert.doesNotThrow(() => readMemory(undefined as unknown as []));
});

test('insights: removing a duplicate block never pairs stray markers around it into a new block (found by fast-check)', () => {
  const doc = [
    '## Infrastructure & Performance',
    '### Capacity Planning & Scaling',
    MARKER_BEGIN,
    MARKER_END,
    MARKER_BEGIN, // stray: the next begin pairs with the end after it
    MARKER_BEGIN,
    MARKER_END,
    '  <!--perf-auditor:end-->', // stray end
  ].join('\n');
  const once = updateInsights(doc, A, D);
  assert.equal(updateInsights(once, A, D), once, 'idempotent');
  // The stray markers are user lines: still there, in order, after the update.
  const lines = once.split('\n');
  const strayBegin = lines.lastIndexOf(MARKER_BEGIN, lines.indexOf('  <!--perf-auditor:end-->'));
  assert.ok(strayBegin > 0 && lines.includes('  <!--perf-auditor:end-->'));
});

test('performance data: a same-date row before newer rows moves last, so the cap never drops the row just written (found by fast-check)', () => {
  let t = appendPerformanceData(undefined, entry('', 10), 1); // date "unknown"
  t = appendPerformanceData(t, entry('2020-01-01', 20), 2);
  const next = appendPerformanceData(t, entry('', 30), 1);
  assert.deepEqual(parseHistory(next).map((e) => [e.date, e.score]), [['unknown', 30]]);
  assert.equal(appendPerformanceData(next, entry('', 30), 1), next, 'idempotent');
});

test('insights: a duplicate block that ends a file without a final newline never costs the line before it its CRLF', () => {
  // Mixed endings (LF mostly, CRLF on the user's line), no final newline, a stale second block at the
  // very end. Removed first, it would take the CRLF of "user", and the sub-sections added after it
  // would end that line with the file's usual LF. Duplicates go last, once nothing follows them.
  const before = ['## Infrastructure & Performance\n', '### Performance Optimization\n', `${MARKER_BEGIN}\n`, 'a\n', `${MARKER_END}\n`, 'user\r\n', `${MARKER_BEGIN}\n`, 'b\n', MARKER_END].join('');
  const t = updateInsights(before, A, D);
  assert.ok(t.includes('\nuser\r\n'), 'the user line keeps its CRLF');
  assert.ok(!t.includes(`${MARKER_BEGIN}\nb\n`), 'the stale block is gone');
  assert.ok(!t.endsWith('\n'), 'still no final newline');
  assert.equal(updateInsights(t, A, D), t, 'idempotent');
  // Nothing of ours follows the duplicate: it stays rather than take the CRLF; a later append keeps it too.
  const full = updateInsights(undefined, A, D).replace(/\n$/, '');
  const last = `${full}\r\nuser\r\n${MARKER_BEGIN}\nb\n${MARKER_END}`;
  const u = updateInsights(last, A, D);
  assert.ok(u.includes('\r\nuser\r\n'));
  assert.equal(updateInsights(u, A, D), u, 'idempotent');
});
