import { engineWith } from '../../helpers/engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../../src/kernel/settings.js';
import type { SqlRule } from '../../../src/analyzers/sql/gather.js';
import { ALL_RULES } from '../../../src/analyzers/registry.js';

const SCHEMA = 'CREATE TABLE t (id int PRIMARY KEY, k text);\n';

test('incremental: a CREATE INDEX added in another file clears the finding in the query file', async () => {
  const e = engineWith();
  e.setFile('db/migrations/001.sql', SCHEMA);
  e.setFile('q.sql', "SELECT id FROM t WHERE k = 'a';");
  let r = await e.run();
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'missing-index').map((f) => f.file), ['q.sql']);
  e.setFile('db/migrations/002.sql', 'CREATE INDEX t_k_idx ON t (k);');
  r = await e.run();
  assert.equal(r.findings.filter((f) => f.ruleId === 'missing-index').length, 0);
  e.removeFile('db/migrations/002.sql');
  r = await e.run();
  assert.equal(r.findings.filter((f) => f.ruleId === 'missing-index').length, 1);
});

test('cached fixes follow the migration files: a new migration without DDL moves the next number', async () => {
  const e = engineWith();
  e.setFile('db/migrations/001_init.sql', SCHEMA);
  e.setFile('q.sql', "SELECT id FROM t WHERE k = 'a';");
  const fixFile = async (): Promise<string[]> => (await e.run()).findings.filter((f) => f.ruleId === 'missing-index').flatMap((f) => f.fixes[0].changes.map((c) => c.file));
  assert.deepEqual(await fixFile(), ['db/migrations/002_t_k_idx.sql']);
  e.setFile('db/migrations/002_data.sql', "UPDATE t SET k = 'b';");
  assert.deepEqual(await fixFile(), ['db/migrations/003_t_k_idx.sql']);
  e.removeFile('db/migrations/002_data.sql');
  assert.deepEqual(await fixFile(), ['db/migrations/002_t_k_idx.sql']);
});

test('unchanged content is not re-analysed (setFile reports no change)', () => {
  const e = engineWith();
  assert.equal(e.setFile('a.sql', 'SELECT 1;'), true);
  assert.equal(e.setFile('a.sql', 'SELECT 1;'), false);
  assert.equal(e.setFile('a.sql', 'SELECT 2;'), true);
});

test('a throwing rule becomes one rule-error finding per file; others still run', async () => {
  const boom: SqlRule = { kind: 'project', analysis: 'sql', meta: { ...ALL_RULES[0].meta, id: 'boom' }, check() { throw new Error('kaboom'); } };
  const e = engineWith([boom, ...ALL_RULES]);
  e.setFile('s.sql', SCHEMA);
  e.setFile('q.sql', "SELECT id FROM t WHERE k = 'a';");
  const r = await e.run();
  const errors = r.findings.filter((f) => f.ruleId === 'rule-error');
  assert.equal(errors.length, 2);
  assert.match(errors[0].message, /Rule boom failed on this file: kaboom/);
  assert.ok(r.findings.some((f) => f.ruleId === 'missing-index'));
});

test('cancellation stops the run with CancelledError', async () => {
  const e = engineWith();
  for (let i = 0; i < 50; i++) e.setFile(`f${i}.sql`, SCHEMA.repeat(200));
  await assert.rejects(e.run({ token: { isCancellationRequested: true } }), { name: 'CancelledError' });
});

test('oversized and binary files are skipped with one info finding, not parsed', async () => {
  const config = defaultSettings();
  config.maxFileSizeKb = 1;
  const e = engineWith();
  e.setSettings(config);
  e.setFile('big.sql', 'SELECT 1;\n'.repeat(500));
  e.setFile('bin.sql', 'SELECT \u0000\u0001\u0002');
  const r = await e.run();
  assert.deepEqual(r.findings.map((f) => [f.file, f.ruleId, f.severity]), [['big.sql', 'file-skipped', 'info'], ['bin.sql', 'file-skipped', 'info']]);
  assert.match(r.findings[0].message, /over the 1 KB limit/);
});

test('rule levels from config: off and severity override', async () => {
  const config = defaultSettings();
  config.rules['missing-index'] = 'error';
  config.rules['missing-primary-key'] = 'off';
  const e = engineWith();
  e.setSettings(config);
  e.setFile('s.sql', 'CREATE TABLE t (id int, k text);');
  e.setFile('q.sql', "SELECT id FROM t WHERE k = 'a';");
  const r = await e.run();
  assert.deepEqual(r.findings.map((f) => [f.ruleId, f.severity]), [['missing-index', 'error']]);
});

test('garbage input never throws', async () => {
  const e = engineWith();
  e.setFile('a.sql', ');;;(((\'"`$$ SELECT FROM ;; CREATE TABLE (');
  e.setFile('b.ts', 'db.query(`SELECT ${');
  e.setFile('c.prisma', 'model { @@index([ }');
  const r = await e.run();
  assert.ok(r.findings.every((f) => f.ruleId !== 'rule-error'));
});

test('ignore globs from the config exclude files from the audit', async () => {
  const config = defaultSettings();
  config.ignore.push('legacy/**');
  const e = engineWith();
  e.setSettings(config);
  e.setFile('s.sql', SCHEMA);
  e.setFile('legacy/q.sql', "SELECT id FROM t WHERE k = 'a';");
  e.setFile('node_modules/x/q.sql', "SELECT id FROM t WHERE k = 'a';");
  e.setFile('q.sql', "SELECT id FROM t WHERE k = 'b';");
  const r = await e.run();
  assert.deepEqual(r.findings.map((f) => f.file), ['q.sql']);
});

test('file gatherers and file rules: cached per content, workspace-dependent re-gathering, coverage', async () => {
  const { auditEngine } = await import('../../../src/kernel/audit.js');
  let gathers = 0;
  const gatherer = {
    id: 'kv', description: 'kv files', workspaceDependent: true,
    matches: (p: string) => p.endsWith('.kv'),
    gather: (_p: string, text: string, ws: { paths(): string[] }) => {
      gathers++;
      return text.includes('skip') ? undefined : { lines: text.split('\n'), siblings: ws.paths().filter((x) => x.endsWith('.kv')).length };
    },
  };
  const rule = {
    kind: 'file' as const, gatherer: 'kv',
    meta: { ...ALL_RULES[0].meta, id: 'kv-off', checklistItem: 'compression' as const },
    check(ctx: { artifact: { lines: string[] }; report: (r: { span: { start: number; end: number }; message: string }) => void; text: string }) {
      const at = ctx.text.indexOf('gzip off');
      if (at >= 0) ctx.report({ span: { start: at, end: at + 8 }, message: 'gzip is off' });
    },
  };
  const e = engineWith([rule], [gatherer]);
  e.setFile('a.kv', 'x\ngzip off\n');
  e.setFile('b.kv', 'skip me');
  let audit = await auditEngine(e);
  assert.deepEqual(audit.findings.map((f) => [f.file, f.ruleId, f.range.start.line, f.checklistItem]), [['a.kv', 'kv-off', 1, 'compression']]);
  assert.equal(audit.stats.gathered.kv, 1);
  assert.equal(gathers, 2);
  await e.run();
  assert.equal(gathers, 2, 'unchanged files are not gathered again');
  e.setFile('c.kv', 'gzip on');
  await e.run();
  assert.equal(gathers, 5, 'a workspace-dependent gatherer re-gathers when another matching file changes');
  e.setFile('a.kv', 'gzip on');
  audit = await auditEngine(e);
  assert.equal(audit.findings.length, 0);
  assert.equal(audit.checklist.find((r) => r.item.id === 'compression')!.status, 'pass');
  assert.match(audit.checklist.find((r) => r.item.id === 'compression')!.reason, /kv files \(2\) checked/);
});
