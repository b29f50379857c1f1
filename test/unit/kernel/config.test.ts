import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSettings } from '../../../src/analyzers/index.js';
import { ignoreMatcher } from '../../../src/kernel/settings.js';
import { ALL_RULES } from '../../../src/analyzers/registry.js';

test('parses levels, dialect, budgets, ignore globs; JSON with comments and trailing commas', () => {
  const { settings: config, problems } = parseSettings(`{
    // comment
    "rules": { "select-star": "off", "perf-auditor/missing-index": ["error"], "x": "loud", "select-star-x": "off", "unbounded-select": "loud" },
    "sql": { "dialect": "postgres", "smallTables": ["Countries"] },
    "budgets": { "jsGzipKb": 120, "nope": 1 },
    "ignore": ["legacy/**"],
  }`);
  assert.equal(config.rules['select-star'], 'off');
  assert.equal(config.rules['missing-index'], 'error');
  assert.equal(config.sql.dialect, 'postgresql');
  assert.deepEqual(config.sql.smallTables, ['countries']);
  assert.equal(config.sql.orm, true);
  assert.equal(config.budgets.jsGzipKb, 120);
  assert.equal(config.budgets.cssGzipKb, 50);
  assert.ok(ignoreMatcher(config)('legacy/a.sql'));
  assert.ok(ignoreMatcher(config)('node_modules/x/a.sql'));
  assert.ok(!ignoreMatcher(config)('db/a.sql'));
  assert.deepEqual(problems.map((p) => p.message), [
    '.perfauditrc.json:3:79: unknown rule "x" (perf-audit --rules lists them)',
    '.perfauditrc.json:3:92: unknown rule "select-star-x" (perf-audit --rules lists them)',
    '.perfauditrc.json:3:116: rule "unbounded-select" has an invalid level "loud" (use off, error, warning, info or hint)',
    '.perfauditrc.json:5:35: unknown or invalid budget "nope"',
  ]);
});

test('invalid JSON keeps the defaults and reports where', () => {
  const { settings: config, problems } = parseSettings('{ "rules": ');
  assert.deepEqual(config.rules, {});
  assert.ok(problems.length >= 1);
  assert.match(problems[0].message, /^\.perfauditrc\.json:1:12: expected a value/);
});

test('config problems say where (line:column) and what, in words', () => {
  const cases: [string, string[]][] = [
    ['{ "rules": { "select-star": "off" "missing-index": "error" } }', ['.perfauditrc.json:1:35: expected "," between entries near "\\"missing-index\\""']],
    ['{\n  "rules": { "select-star": "off" },\n  @\n}', ['.perfauditrc.json:3:3: unexpected character near "@"']],
    ['{ "rules": ', ['.perfauditrc.json:1:12: expected a value at the end of the file', '.perfauditrc.json:1:12: expected "}" at the end of the file']],
    ['{\n  "ignore": "legacy/**"\n}', ['.perfauditrc.json:2:3: "ignore" must be an array of glob strings, e.g. ["legacy/**"]; got "legacy/**"']],
    ['{ "ignore": ["a/**", 3] }', ['.perfauditrc.json:1:22: "ignore" entries must be glob strings; ignoring 3']],
    ['[]', ['.perfauditrc.json: expected an object']],
    ['{ "sql": { "orm": "no" } }', ['.perfauditrc.json:1:12: "sql.orm" must be true or false; got "no"; ORM calls are analysed']],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseSettings(text).problems.map((p) => p.message), expected, text);
  assert.deepEqual(parseSettings('{ "ignore": "legacy/**" }').settings.ignore, parseSettings('{}').settings.ignore);
  assert.equal(parseSettings('{ "sql": { "orm": "no" } }').settings.sql.orm, true);
  assert.equal(parseSettings('{ "sql": { "orm": false } }').settings.sql.orm, false);
});

test('the contributed JSON schema knows every rule', () => {
  const schema = JSON.parse(readFileSync('schemas/perfauditrc.schema.json', 'utf8')) as { properties: { rules: { properties: Record<string, unknown> } } };
  for (const r of ALL_RULES) assert.ok(r.meta.id in schema.properties.rules.properties, `schema lacks ${r.meta.id}: run npm run generate`);
});

test('dialect detection counts constructs outside string literals and comments', async () => {
  const { detectDialect } = await import('../../../src/analyzers/sql/analyze.js');
  assert.equal(detectDialect('q.sql', "SELECT id FROM company_name WHERE country_code = '[us]'"), 'postgresql');
  assert.equal(detectDialect('q.sql', "SELECT id FROM t WHERE email = 'bob@example.com' -- AUTO_INCREMENT"), 'postgresql');
  assert.equal(detectDialect('q.sql', 'CREATE TABLE `t` (id INT AUTO_INCREMENT) ENGINE=InnoDB;'), 'mysql');
  assert.equal(detectDialect('q.sql', 'CREATE TABLE [t] (id INTEGER PRIMARY KEY AUTOINCREMENT);'), 'sqlite');
  assert.equal(detectDialect('q.sql', 'CREATE TABLE t (id bigserial, doc jsonb);'), 'postgresql');
  assert.equal(detectDialect('db/mysql/q.sql', 'SELECT 1'), 'mysql');
  assert.equal(detectDialect('q.sql', '-- dialect: sqlite\nSELECT 1'), 'sqlite');
});

test('MySQL scripts without backticks are recognised (executable comments, USE, ENUM columns)', async () => {
  const { detectDialect } = await import('../../../src/analyzers/sql/analyze.js');
  assert.equal(detectDialect('e.sql', "USE employees;\nSELECT 'x' as 'INFO';\n/*!50503 set default_storage_engine = InnoDB */;\nCREATE TABLE e (gender ENUM ('M','F') NOT NULL);"), 'mysql');
  assert.equal(detectDialect('p.sql', "CREATE TYPE mood AS ENUM ('sad', 'ok');"), 'postgresql');
});

test('checklist marks: parsed, validated, and written back without disturbing the file', async () => {
  const { setChecklistOverride } = await import('../../../src/kernel/settings.js');
  const { settings: config, problems } = parseSettings('{ "checklist": { "cdn": { "status": "not-applicable", "reason": "internal tool" }, "nope": { "status": "pass" }, "backups": { "status": "maybe" } } }');
  assert.deepEqual(config.checklist, { cdn: { status: 'not-applicable', reason: 'internal tool' } });
  assert.deepEqual(problems.map((p) => p.message), ['.perfauditrc.json:1:84: unknown checklist item "nope"', '.perfauditrc.json:1:114: checklist item "backups" needs "status": "pass" or "not-applicable"']);
  const original = '{\n  // team settings\n  "rules": { "select-star": "off" }\n}\n';
  const marked = setChecklistOverride(original, 'backups', { status: 'pass', reason: 'restore drill 2026-11', date: '2026-11-25' });
  assert.ok(marked.startsWith('{\n  // team settings\n  "rules": { "select-star": "off" },'));
  assert.deepEqual(parseSettings(marked).settings.checklist.backups, { status: 'pass', reason: 'restore drill 2026-11', date: '2026-11-25' });
  const cleared = setChecklistOverride(marked, 'backups', undefined);
  assert.deepEqual(parseSettings(cleared).settings.checklist, {});
  assert.ok(cleared.includes('// team settings'));
  assert.deepEqual(parseSettings(setChecklistOverride('', 'cdn', { status: 'not-applicable', reason: 'x' })).settings.checklist.cdn, { status: 'not-applicable', reason: 'x' });
});

test('manual marks win over derived status and say why', async () => {
  const { checklistStatus } = await import('../../../src/kernel/checklist.js');
  const res = checklistStatus([], new Map(), { cdn: { status: 'not-applicable', reason: 'internal tool', date: '2026-11-25T10:00:00Z' } });
  const cdn = res.find((r) => r.item.id === 'cdn')!;
  assert.equal(cdn.status, 'not-applicable');
  assert.equal(cdn.reason, 'marked not applicable on 2026-11-25: internal tool');
  assert.equal(cdn.manual, true);
});

test('external evidence (Lighthouse) joins the checklist; hand marks win', async () => {
  const { checklistStatus, mergeEvidence } = await import('../../../src/kernel/checklist.js');
  const base = checklistStatus([], new Map([['compression', 'nginx configs (1) checked']]), { cdn: { status: 'not-applicable', reason: 'x' } });
  const lhFinding = { ruleId: 'lighthouse-uses-long-cache-ttl', severity: 'warning' as const, message: 'm', file: 'a', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, checklistItem: 'browser-caching' as const, fixes: [], related: [] };
  const merged = mergeEvidence(base, { source: 'Lighthouse', items: [{ id: 'browser-caching', status: 'fail', reason: '3 assets' }, { id: 'image-formats', status: 'pass', reason: 'ok' }, { id: 'compression', status: 'fail', reason: 'no gzip' }, { id: 'cdn', status: 'fail', reason: 'no' }], findings: [lhFinding] });
  const get = (id: string) => merged.find((r) => r.item.id === id)!;
  assert.deepEqual([get('browser-caching').status, get('browser-caching').reason, get('browser-caching').findings.length], ['fail', 'Lighthouse: 3 assets', 1]);
  assert.deepEqual([get('image-formats').status, get('image-formats').reason], ['pass', 'Lighthouse: ok']);
  assert.equal(get('compression').status, 'fail');
  assert.equal(get('cdn').status, 'not-applicable');
});

test('CLI: a closed stdout pipe (EPIPE) ends the process quietly; other stream errors still throw', async () => {
  const { exitQuietlyOnEpipe } = await import('../../../src/cli/main.js');
  const { PassThrough } = await import('node:stream');
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  const exits: number[] = [];
  exitQuietlyOnEpipe(stream, (c) => exits.push(c));
  stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  assert.deepEqual(exits, [0]);
  assert.throws(() => stream.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' })), /EIO/);
});
