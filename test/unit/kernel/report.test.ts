import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auditSources } from '../../../src/analyzers/index.js';
import { toSarif } from '../../../src/kernel/report/sarif.js';
import { ALL_RULES } from '../../../src/analyzers/registry.js';

test('SARIF 2.1.0: rules with help URIs, results with locations, fixes and fingerprints', async () => {
  const r = await auditSources([
    { path: 'db/migrations/001.sql', text: 'CREATE TABLE t (id int PRIMARY KEY, k text);' },
    { path: 'q.sql', text: "SELECT id FROM t WHERE k = 'a';" },
  ]);
  const sarif = toSarif(r.findings, ALL_RULES.map((x) => x.meta), { version: '1.2.3', root: '/w' }) as any;
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'perf-audit');
  const mi = run.tool.driver.rules.find((x: any) => x.id === 'missing-index');
  assert.equal(mi.helpUri, undefined, 'no help URI: the docs ship with the package, no web page exists');
  assert.match(mi.help.text, /docs\/rules\/missing-index\.md/);
  const res = run.results.find((x: any) => x.ruleId === 'missing-index');
  assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'missing-index');
  assert.equal(res.level, 'warning');
  assert.deepEqual(res.locations[0].physicalLocation.artifactLocation, { uri: 'q.sql', uriBaseId: 'SRCROOT' });
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 1, startColumn: 24, endLine: 1, endColumn: 25 });
  // 001.sql is an applied migration: the index goes into a new 002.sql
  assert.match(res.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, /CREATE INDEX CONCURRENTLY t_k_idx ON t \(k\);/);
  assert.match(res.partialFingerprints['perfAuditor/v1'], /^[0-9a-f]{8}$/);
});

const cli = path.resolve('dist/cli.js');

test('CLI: exit codes and formats', { skip: !existsSync(cli) && 'run npm run build first' }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-audit-'));
  writeFileSync(path.join(dir, 'schema.sql'), 'CREATE TABLE t (id int PRIMARY KEY, k text);');
  writeFileSync(path.join(dir, 'q.sql'), "SELECT id FROM t WHERE k = 'a';");
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  let r = run(dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /q\.sql\n {2}1:24 +warning No index on t\(k\)/);
  // Each rule that reported something, with its local docs page (shipped in the package, works offline).
  const docs = /\nRule documentation\n {2}missing-index +(\S+)\n/.exec(r.stdout);
  assert.ok(docs, r.stdout);
  assert.ok(docs[1].endsWith(path.join('docs', 'rules', 'missing-index.md')) && path.isAbsolute(docs[1]) && existsSync(docs[1]), docs[1]);
  assert.doesNotMatch(r.stdout, /https?:\/\//, 'no web link in the text report');
  r = run(dir, '--fail-on', 'warning');
  assert.equal(r.status, 1);
  r = run(dir, '--format', 'json');
  const json = JSON.parse(r.stdout);
  assert.equal(json.findings[0].ruleId, 'missing-index');
  assert.ok(existsSync(json.findings[0].docs), `docs: ${json.findings[0].docs}`);
  assert.ok(json.checklist.some((c: any) => c.id === 'indexes' && c.status === 'fail'));
  r = run(dir, '-f', 'sarif');
  assert.equal(JSON.parse(r.stdout).version, '2.1.0');
  assert.equal(run(dir, '--format', 'xml').status, 2);
  assert.equal(run(path.join(dir, 'missing')).status, 2);
  assert.equal(run('--help').status, 0);
});
