/**
 * The audit watchdog (src/kernel/watchdog.ts): a file whose analysis runs over its time budget is
 * skipped with a file-skipped info naming it and the budget, the worker is restarted, and the rest of
 * the workspace is audited as usual — through the CLI (dist/cli.js) and through the host directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuditWorkerHost } from '../../../src/analyzers/index.js';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** 20,000 statements: far over a 150 ms budget on any machine, well under a second to build. */
function slowSql(): string {
  let s = '';
  for (let i = 0; i < 20_000; i++) s += `SELECT id FROM users WHERE email = 'a${i}' AND id > ${i};\n`;
  return s;
}

test('CLI: a file over its time budget becomes file-skipped; the other files are still audited', { skip: !existsSync(CLI) && 'run npm run build first', timeout: 60_000 }, (t) => {
  const ws = mkdtempSync(path.join(tmpdir(), 'perf-audit-watchdog-'));
  t.after(() => rmSync(ws, { recursive: true, force: true }));
  mkdirSync(path.join(ws, 'db'));
  writeFileSync(path.join(ws, 'db', 'schema.sql'), 'CREATE TABLE users (id int PRIMARY KEY, email text);\n');
  writeFileSync(path.join(ws, 'db', 'slow.sql'), slowSql());
  writeFileSync(path.join(ws, 'db', 'query.sql'), "SELECT id FROM users WHERE email = 'x';\n");
  const r = spawnSync(process.execPath, [CLI, ws, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, PERF_AUDITOR_FILE_BUDGET_MS: '150' }, timeout: 30_000 });
  assert.equal(r.signal, null);
  assert.ok([0, 1].includes(r.status ?? -1), r.stderr);
  const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; message: string }[] }).findings;
  const skipped = findings.filter((f) => f.ruleId === 'file-skipped');
  assert.deepEqual(skipped.map((f) => f.file), ['db/slow.sql']);
  assert.match(skipped[0].message, /ran over the 150 ms time budget/);
  assert.ok(findings.some((f) => f.ruleId === 'missing-index' && f.file === 'db/query.sql'), 'the other files are audited');
});

test('host: files are synced incrementally, a skipped file is audited again once its content changes', { timeout: 60_000 }, async () => {
  const host = createAuditWorkerHost({ budgetMs: 150 });
  try {
    host.setFile('db/schema.sql', 'CREATE TABLE users (id int PRIMARY KEY, email text);\n');
    host.setFile('db/slow.sql', slowSql());
    const first = (await host.audit())!;
    assert.deepEqual(first.findings.filter((f) => f.ruleId === 'file-skipped').map((f) => f.file), ['db/slow.sql']);
    assert.equal(host.setFile('db/slow.sql', "SELECT id FROM users WHERE email = 'x';\n"), true);
    const second = (await host.audit())!;
    assert.deepEqual(second.findings.filter((f) => f.file === 'db/slow.sql').map((f) => f.ruleId), ['missing-index']);
    host.removeFile('db/slow.sql');
    const third = (await host.audit())!;
    assert.equal(third.findings.filter((f) => f.file === 'db/slow.sql').length, 0);
  } finally {
    host.dispose();
  }
});
