import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auditSources } from '../../../src/analyzers/index.js';
import { createBaseline, diffBaseline, parseBaseline } from '../../../src/kernel/baseline.js';

const SCHEMA = { path: 's.sql', text: 'CREATE TABLE t (id int PRIMARY KEY, a text, b text);' };

test('diff: moved lines stay unchanged, new findings are new, gone ones are fixed (multiset)', async () => {
  const before = await auditSources([SCHEMA, { path: 'q.sql', text: "SELECT id FROM t WHERE a = 'x';\nSELECT id FROM t WHERE a = 'y';" }]);
  const baseline = parseBaseline(JSON.stringify(createBaseline(before.findings, '2026-01-01T00:00:00Z')));
  assert.equal(baseline.findings.length, 2);
  const after = await auditSources([SCHEMA, { path: 'q.sql', text: "\n\nSELECT id FROM t WHERE a = 'x';\nSELECT id FROM t WHERE b = 'z';" }]);
  const d = diffBaseline(after.findings, baseline);
  assert.deepEqual(d.unchanged.map((f) => f.range.start.line), [2]);
  assert.deepEqual(d.added.map((f) => f.data?.column), ['b']);
  assert.deepEqual(d.fixed.map((e) => e.line), [2]);
});

test('parseBaseline rejects other JSON', () => {
  assert.throws(() => parseBaseline('{"a":1}'), /not a perf-audit baseline/);
});

const cli = path.resolve('dist/cli.js');
test('CLI --write-baseline / --baseline: fails only on new findings', { skip: !existsSync(cli) && 'run npm run build first' }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-audit-bl-'));
  writeFileSync(path.join(dir, 's.sql'), SCHEMA.text);
  writeFileSync(path.join(dir, 'q.sql'), "SELECT id FROM t WHERE a = 'x';");
  const bl = path.join(dir, 'baseline.json');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, dir, ...args], { encoding: 'utf8' });
  assert.equal(run('--write-baseline', bl, '--fail-on', 'none').status, 0);
  assert.equal(run('--baseline', bl, '--fail-on', 'warning').status, 0);
  writeFileSync(path.join(dir, 'q.sql'), "SELECT id FROM t WHERE b = 'x';");
  const r = run('--baseline', bl, '--fail-on', 'warning');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /1 new, 0 unchanged, 1 fixed/);
  const j = JSON.parse(run('--baseline', bl, '-f', 'json').stdout);
  assert.equal(j.baseline.new, 1);
  assert.equal(j.findings.find((f: { ruleId: string }) => f.ruleId === 'missing-index').baselineState, 'new');
  assert.equal(run('--baseline', path.join(dir, 'nope.json')).status, 2);
});
