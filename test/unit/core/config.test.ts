import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig, ignoreMatcher } from '../../../src/core/config.js';
import { ALL_RULES } from '../../../src/core/rules/index.js';

test('parses levels, dialect, budgets, ignore globs; JSON with comments and trailing commas', () => {
  const { config, problems } = parseConfig(`{
    // comment
    "rules": { "select-star": "off", "perf-auditor/missing-index": ["error"], "x": "loud" },
    "sql": { "dialect": "postgres", "smallTables": ["Countries"] },
    "budgets": { "jsGzipKb": 120, "nope": 1 },
    "ignore": ["legacy/**"],
  }`);
  assert.equal(config.rules['select-star'], 'off');
  assert.equal(config.rules['missing-index'], 'error');
  assert.equal(config.sql.dialect, 'postgresql');
  assert.deepEqual(config.sql.smallTables, ['countries']);
  assert.equal(config.budgets.jsGzipKb, 120);
  assert.equal(config.budgets.cssGzipKb, 50);
  assert.ok(ignoreMatcher(config)('legacy/a.sql'));
  assert.ok(ignoreMatcher(config)('node_modules/x/a.sql'));
  assert.ok(!ignoreMatcher(config)('db/a.sql'));
  assert.deepEqual(problems.map((p) => p.message), [
    '.perfauditrc.json: rule "x" has an invalid level "loud" (use off, error, warning, info or hint)',
    '.perfauditrc.json: unknown or invalid budget "nope"',
  ]);
});

test('invalid JSON keeps the defaults and reports where', () => {
  const { config, problems } = parseConfig('{ "rules": ');
  assert.deepEqual(config.rules, {});
  assert.ok(problems.length >= 1);
  assert.match(problems[0].message, /\.perfauditrc\.json: /);
});

test('the contributed JSON schema knows every rule', () => {
  const schema = JSON.parse(readFileSync('schemas/perfauditrc.schema.json', 'utf8')) as { properties: { rules: { properties: Record<string, unknown> } } };
  for (const r of ALL_RULES) assert.ok(r.meta.id in schema.properties.rules.properties, `schema lacks ${r.meta.id}`);
});
