import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, markdownUrl, normalizeHistory, renderMarkdownReport, type HistoryEntry } from '../../../../src/kernel/report/markdown.js';
import { ruleDocsFileUrl as docsUrl } from '../../../../src/kernel/docs.js';
import { MALICIOUS_FILE, fabricatedAudit, finding, history } from './fixtures.js';

const DATE = '2025-01-06 10:00';
const lines = (md: string): string[] => md.split('\n');
/** Cell separators of a table row: pipes not escaped by a backslash. */
const unescapedPipes = (row: string): number => (row.match(/(?<!\\)(?:\\\\)*\|/g) ?? []).length;

test('markdown: header, summary and section order', () => {
  const md = renderMarkdownReport(fabricatedAudit(), { date: DATE, baseline: { new: 1, fixed: 2 } });
  assert.deepEqual(lines(md).slice(0, 9), [
    '# Perf Auditor Report',
    '',
    '- Date: 2025-01-06 10:00',
    '- Score: **33/100** (1 of 3 judged items passing)',
    '- Findings: 3 (0 errors, 2 warnings, 1 info, 0 hints)',
    '- Checklist: 1 pass, 2 fail, 20 unknown, 1 not applicable',
    '- Baseline: 1 new, 2 fixed',
    '- Scanned: 4 files, 7 SQL statements in 2 SQL files',
    '',
  ]);
  assert.deepEqual(lines(md).filter((l) => l.startsWith('#')), [
    '# Perf Auditor Report',
    '## Checklist',
    '### Frontend',
    '### Backend',
    '### Database',
    '### Operations',
    '## Findings',
    '### Optimized database queries (query-optimization)',
    '### Appropriate indexes (indexes)',
    '## Trend',
  ]);
  assert.ok(md.endsWith('\n'));
  assert.ok(!renderMarkdownReport(fabricatedAudit(), { date: DATE }).includes('Baseline'), 'no baseline line without a baseline');
  assert.ok(renderMarkdownReport(fabricatedAudit(), { date: DATE, title: 'Shop audit' }).startsWith('# Shop audit\n'));
});

test('markdown: checklist rows (exact)', () => {
  const md = lines(renderMarkdownReport(fabricatedAudit(), { date: DATE }));
  const expected = [
    '| Item | Status | Reason | Findings |',
    '| --- | --- | --- | ---: |',
    '| Compression (gzip/brotli) enabled | unknown | no evidence in this workspace yet | 0 |',
    '| Optimized database queries | FAIL | 1 problem found (+1 note) | 2 |',
    '| Endpoints profiled (p95 \\< 200 ms) | unknown | no evidence in this workspace yet | 0 |',
    '| Appropriate indexes | FAIL | 1 problem found | 1 |',
    '| Optimized table schemas | PASS | 3 table definitions checked; no problems found | 0 |',
    '| Tested backup and recovery | n/a | marked not applicable: managed \\| by \\*cloud\\* | 0 |',
  ];
  for (const row of expected) assert.ok(md.includes(row), `missing row: ${row}`);
  // 24 items in 4 tables of 6, in checklist order.
  const itemRows = md.filter((l) => /^\| (?!Item |---)/.test(l) && / \| (PASS|FAIL|unknown|n\/a) \| /.test(l));
  assert.equal(itemRows.length, 24);
  assert.equal(itemRows[0], expected[2]);
  assert.ok(itemRows.every((r) => unescapedPipes(r) === 5), 'every row has 4 cells');
});

test('markdown: finding rows (exact), sorted, rule linked to its docs', () => {
  const md = lines(renderMarkdownReport(fabricatedAudit(), { date: DATE }));
  const start = md.indexOf('### Optimized database queries (query-optimization)');
  assert.deepEqual(md.slice(start, start + 6), [
    '### Optimized database queries (query-optimization)',
    '',
    '| Location | Severity | Rule | Message |',
    '| --- | --- | --- | --- |',
    `| db/b.sql:1 | info | [select-star](${docsUrl('select-star')}) | SELECT \\* reads every column |`,
    `| db/queries.sql:12 | warning | [non-sargable-predicate](${docsUrl('non-sargable-predicate')}) | Function on column created\\_at prevents index use |`,
  ]);
  assert.ok(md.includes(`| db/queries.sql:3 | warning | [missing-index](${docsUrl('missing-index')}) | No index on orders(status) |`));
});

test('markdown: no findings, empty history', () => {
  const audit = { ...fabricatedAudit(), findings: [] };
  const md = renderMarkdownReport(audit, { date: DATE, history: [] });
  assert.match(md, /## Findings\n\nNo findings\.\n/);
  assert.match(md, /## Trend\n\nNo audit history recorded yet\.\n$/);
});

test('markdown: trend table sorted by date, invalid entries dropped', () => {
  const bad = [
    { date: '2025-02-01', score: Number.NaN, findings: 1, failing: [] },
    { date: '', score: 1, findings: 1, failing: [] },
    { date: '2025-02-02', score: 10, findings: Infinity, failing: [] },
    { date: '2025-02-03', score: 10, findings: 1, failing: 'indexes' },
  ] as unknown as HistoryEntry[];
  const md = lines(renderMarkdownReport(fabricatedAudit(), { date: DATE, history: [...history(5), ...bad] }));
  const start = md.indexOf('## Trend');
  assert.deepEqual(md.slice(start + 2), [
    '| Date | Score | Findings | Failing items |',
    '| --- | ---: | ---: | --- |',
    '| 2025-01-01 | 0 | 12 | indexes, query-optimization, schema |',
    '| 2025-01-02 | 33.3 | 9 | indexes, schema |',
    '| 2025-01-03 | 33 | 0 | indexes |',
    '| 2025-01-04 | 100 | 5 | — |',
    '| 2025-01-05 | 50 | 3 | indexes, query-optimization |',
    '| 2025-02-03 | 10 | 1 | — |',
    '',
  ]);
  assert.equal(normalizeHistory(undefined).length, 0);
});

const ESCAPES: [string, string][] = [
  ['plain text 1.2-3', 'plain text 1.2-3'],
  ['a|b', 'a\\|b'],
  ['*bold* _em_', '\\*bold\\* \\_em\\_'],
  ['`code`', '\\`code\\`'],
  ['[link](http://x)', '\\[link\\](http://x)'],
  ['![img](x)', '\\!\\[img\\](x)'],
  ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert(1)\\>'],
  ['&lt; &amp;', '\\&lt; \\&amp;'],
  ['~~strike~~ $math$', '\\~\\~strike\\~\\~ \\$math\\$'],
  ['# heading', '\\# heading'],
  ['back\\slash', 'back\\\\slash'],
  ['line1\nline2\r\nline3\tx', 'line1 line2 line3 x'],
];

test('escapeMarkdown', () => {
  for (const [input, expected] of ESCAPES) assert.equal(escapeMarkdown(input), expected, JSON.stringify(input));
});

test('markdownUrl keeps link destinations inside (...)', () => {
  assert.equal(markdownUrl('https://x/a b(c)<d>.md'), 'https://x/a%20b%28c%29%3Cd%3E.md');
  assert.equal(markdownUrl(docsUrl('missing-index')), docsUrl('missing-index'));
});

test('markdown: user-derived text is escaped (file names, messages, reasons, history)', () => {
  const evil = finding(MALICIOUS_FILE, 4, 'missing-index', 'error', 'x | y *z* <script>alert(1)</script> [a](javascript:alert(1))\nnext', 'indexes');
  const md = renderMarkdownReport(fabricatedAudit([evil]), {
    date: '<b>today</b>',
    title: 'Report | *mine*',
    history: [{ date: '2025-01-01 <i>', score: 1, findings: 1, failing: ['a|b'] }],
  });
  const row = lines(md).find((l) => l.includes('onerror'));
  assert.equal(row, `| \\<img src=x onerror=alert(1)\\>.sql:5 | error | [missing-index](${docsUrl('missing-index')}) | x \\| y \\*z\\* \\<script\\>alert(1)\\</script\\> \\[a\\](javascript:alert(1)) next |`);
  assert.equal(unescapedPipes(row), 5);
  assert.ok(md.startsWith('# Report \\| \\*mine\\*\n'));
  assert.ok(md.includes('- Date: \\<b\\>today\\</b\\>'));
  assert.ok(md.includes('| 2025-01-01 \\<i\\> | 1 | 1 | a\\|b |'));
  // No raw HTML tag survives: every "<" is escaped.
  assert.ok(!/(?<!\\)</.test(md));
});

test('markdown: deterministic (input order does not matter)', () => {
  const a = fabricatedAudit();
  const shuffled = { ...a, findings: [...a.findings].reverse(), checklist: [...a.checklist].reverse() };
  const h = history(5);
  const one = renderMarkdownReport(a, { date: DATE, history: h });
  assert.equal(renderMarkdownReport(a, { date: DATE, history: h }), one);
  assert.equal(renderMarkdownReport(shuffled, { date: DATE, history: [...h].reverse() }), one);
});

test('markdown: measured budgets are listed after their group\'s items, marked as budgets', () => {
  const budgets = [
    { id: 'time-to-interactive', group: 'Frontend' as const, title: 'Time to interactive < 5.0 s', status: 'pass' as const, reason: 'Lighthouse: 2.1 s', findings: [] },
    { id: 'page-load', group: 'Frontend' as const, title: 'Page load < 3.0 s', status: 'fail' as const, reason: 'Lighthouse: 4.2 s | slow', findings: [finding('http://127.0.0.1:8080/', 0, 'lighthouse-largest-contentful-paint', 'error', 'LCP 4.2 s', 'bundle-size')] },
  ];
  const md = lines(renderMarkdownReport(fabricatedAudit(), { date: DATE, budgets }));
  const frontend = md.slice(md.indexOf('### Frontend'), md.indexOf('### Backend'));
  assert.deepEqual(frontend.slice(-3, -1), [
    '| Page load \\< 3.0 s (budget) | FAIL | Lighthouse: 4.2 s \\| slow | 1 |',
    '| Time to interactive \\< 5.0 s (budget) | PASS | Lighthouse: 2.1 s | 0 |',
  ]);
  assert.ok(!lines(renderMarkdownReport(fabricatedAudit(), { date: DATE })).some((l) => l.includes('(budget)')));
});
