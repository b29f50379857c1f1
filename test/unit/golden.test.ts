// The CLI's findings on the demo and the SQL corpus equal the recorded golden files: restructuring
// changes nothing by accident; a deliberate change is made with `npm run golden:update` and its diff
// reviewed in the commit that makes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
// @ts-expect-error plain ESM script without types
import { GOLDEN_CASES, goldenFile, goldenLines } from '../../scripts/golden.mjs';

for (const c of GOLDEN_CASES as { name: string; target: string }[]) {
  test(`golden: perf-audit --format json on ${c.name} is unchanged`, { skip: !existsSync(c.target) && `${c.target} is absent` }, () => {
    const expected = (readFileSync(goldenFile(c.name), 'utf8')).split('\n');
    const actual = (goldenLines(c.target) as string).split('\n');
    const firstDiff = expected.findIndex((l, k) => l !== actual[k]);
    assert.equal(actual.length, expected.length, `finding count changed: ${expected.length - 1} → ${actual.length - 1}`);
    assert.equal(firstDiff, -1, `line ${firstDiff + 1} differs:\n- ${expected[firstDiff]}\n+ ${actual[firstDiff]}`);
  });
}
