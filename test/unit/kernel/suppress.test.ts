import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disableNextLineComment } from '../../../src/analyzers/index.js';
import { parseSuppressions } from '../../../src/kernel/suppress.js';

test('next-line, same-line and file directives, with and without rule lists', () => {
  const text = [
    '-- perf-audit-disable-next-line missing-index, select-star', // 0
    'SELECT * FROM t WHERE a = 1;', // 1
    'SELECT 1; // perf-audit-disable-line perf-auditor/select-star', // 2
    '/* perf-audit-disable-next-line */', // 3
    'SELECT 2;', // 4
    'SELECT 3;', // 5
  ].join('\n');
  const s = parseSuppressions(text);
  assert.equal(s.isSuppressed('missing-index', 1), true);
  assert.equal(s.isSuppressed('select-star', 1), true);
  assert.equal(s.isSuppressed('unbounded-select', 1), false);
  assert.equal(s.isSuppressed('select-star', 2), true);
  assert.equal(s.isSuppressed('missing-index', 2), false);
  assert.equal(s.isSuppressed('anything', 4), true);
  assert.equal(s.isSuppressed('anything', 5), false);
});

test('file-wide directive', () => {
  const s = parseSuppressions('# perf-audit-disable-file gzip-disabled\nserver {}\n');
  assert.equal(s.isSuppressed('gzip-disabled', 1), true);
  assert.equal(s.isSuppressed('other', 1), false);
});

test('inside a multi-line SQL template the disable comment is an SQL comment, and it works', async () => {
  const { auditSources } = await import('../../../src/analyzers/index.js');
  const host = 'const r = await db.query(`\n  SELECT *\n  FROM users\n`);\n';
  const c = disableNextLineComment('src/a.ts', 'select-star', '  ', host, 1);
  assert.equal(c, '  -- perf-audit-disable-next-line select-star\n');
  assert.equal(disableNextLineComment('src/a.ts', 'select-star', '', host, 0), '// perf-audit-disable-next-line select-star\n');
  const fixed = host.replace('\n  SELECT', `\n${c}  SELECT`);
  const files = [{ path: 's.sql', text: 'CREATE TABLE users (id int PRIMARY KEY);' }];
  const before = await auditSources([...files, { path: 'src/a.ts', text: host }]);
  const after = await auditSources([...files, { path: 'src/a.ts', text: fixed }]);
  assert.equal(before.findings.filter((f) => f.ruleId === 'select-star').length, 1);
  assert.equal(after.findings.filter((f) => f.ruleId === 'select-star').length, 0);
});

test('comment syntax per file type', () => {
  assert.equal(disableNextLineComment('db/q.sql', 'missing-index', '  '), '  -- perf-audit-disable-next-line missing-index\n');
  assert.equal(disableNextLineComment('src/a.ts', 'select-star', ''), '// perf-audit-disable-next-line select-star\n');
  assert.equal(disableNextLineComment('nginx/nginx.conf', 'x', ''), '# perf-audit-disable-next-line x\n');
});

test('JSON files offer no comment; config-like folders use #', async () => {
  const { supportsSuppressionComments } = await import('../../../src/kernel/suppress.js');
  assert.equal(supportsSuppressionComments('vercel.json'), false);
  assert.equal(supportsSuppressionComments('firebase.json'), false);
  assert.equal(supportsSuppressionComments('tsconfig.json'), true);
  assert.equal(supportsSuppressionComments('db/q.sql'), true);
  assert.equal(disableNextLineComment('etc/apache2/sites-enabled/site', 'x', ''), '# perf-audit-disable-next-line x\n');
});
