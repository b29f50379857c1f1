/**
 * Files derived from the analyzer registry stay in step with it: the rule tables in README.md and
 * the rule ids of schemas/perfauditrc.schema.json (scripts/generate.ts). A rule added, renamed or
 * re-titled without `npm run generate` fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generatedFiles, generateReadme, generateSchema, README_FILE, RULES_END, RULES_START, SCHEMA_FILE, staleFiles } from '../../scripts/generate.js';
import { REGISTRY } from '../../src/analyzers/registry.js';
import { AnalyzerRegistry } from '../../src/kernel/registry.js';

const ROOT = join(__dirname, '..', '..');

test('generated files are up to date (run npm run generate)', () => {
  const stale = staleFiles(ROOT);
  assert.deepEqual(stale, [], `out of date: ${stale.join(', ')}; run npm run generate`);
});

test('the schema accepts exactly the known rule ids, with and without the perf-auditor/ prefix', () => {
  const file = generatedFiles(ROOT).find((f) => f.path === SCHEMA_FILE)!;
  const schema = JSON.parse(file.expected) as { properties: { rules: { propertyNames: { enum: string[] }; properties: Record<string, { description: string }> } } };
  const ids = [...REGISTRY.knownRuleIds];
  assert.deepEqual(new Set(schema.properties.rules.propertyNames.enum), new Set([...ids, ...ids.map((id) => `perf-auditor/${id}`)]));
  for (const m of REGISTRY.ruleMetas) assert.ok(schema.properties.rules.properties[m.id]?.description.startsWith(m.failureTitle), `${m.id} has its failureTitle as description`);
});

test('the README lists every engine rule once, linked to its local docs page', () => {
  const readme = generatedFiles(ROOT).find((f) => f.path === README_FILE)!.expected;
  const block = readme.slice(readme.indexOf(RULES_START), readme.indexOf(RULES_END));
  for (const r of REGISTRY.rules) {
    const m = r.meta;
    const rows = block.split('\n').filter((l) => l.startsWith(`| [\`${m.id}\`](docs/rules/${m.id}.md) |`));
    assert.equal(rows.length, 1, `one row for ${m.id}`);
    assert.ok(rows[0].endsWith(`| \`${m.defaultSeverity}\` | ${m.fixable ? 'Yes' : 'No'} |`), `${m.id}: severity and quick fix`);
  }
  for (const a of REGISTRY.analyzers) assert.ok(block.includes(`\n### ${a.title}\n`), `a heading for ${a.id}`);
});

test('a rule added to the registry makes the check fail; the text outside the markers is kept', () => {
  const files = generatedFiles(ROOT);
  const schema = files.find((f) => f.path === SCHEMA_FILE)!.expected;
  const readme = files.find((f) => f.path === README_FILE)!.expected;
  const extra = { ...REGISTRY.rules[0], meta: { ...REGISTRY.rules[0].meta, id: 'extra-rule', failureTitle: 'Something | else' } };
  const [first, ...rest] = REGISTRY.analyzers;
  const bigger = new AnalyzerRegistry([{ ...first, rules: [...first.rules, extra] }, ...rest]);
  assert.notEqual(generateSchema(schema, bigger), schema);
  const newReadme = generateReadme(readme, bigger);
  assert.notEqual(newReadme, readme);
  assert.ok(newReadme.includes('| [`extra-rule`](docs/rules/extra-rule.md) | Something \\| else |'), 'cells escape |');
  assert.equal(newReadme.slice(0, newReadme.indexOf(RULES_START)), readme.slice(0, readme.indexOf(RULES_START)));
  assert.equal(newReadme.slice(newReadme.indexOf(RULES_END)), readme.slice(readme.indexOf(RULES_END)));
  assert.throws(() => generateReadme(readme.replace(RULES_END, ''), bigger), /markers/);
});
