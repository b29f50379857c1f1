/** kernel/glob.ts: picomatch's syntax, RE2's linear time (every glob here comes from a workspace). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatcher } from '../../../src/kernel/glob.js';

const CASES: [glob: string, matches: string[], not: string[]][] = [
  ['**/node_modules/**', ['node_modules', 'node_modules/', 'node_modules/x', 'a/node_modules/x/y'], ['node_modulesx', 'a/b']],
  ['db/dumps/**', ['db/dumps', 'db/dumps/a.sql'], ['db/dumpsx', 'x/db/dumps']],
  ['**/*.min.js', ['x.min.js', 'lib/x.min.js'], ['x.js']],
  ['src/{a,b}/*.ts', ['src/a/x.ts', 'src/b/x.ts'], ['src/c/x.ts', 'src/a/b/x.ts']],
  ['a/{b,c/{d,e}}/f', ['a/b/f', 'a/c/d/f'], ['a/c/f']],
  ['[abc]?.sql', ['ax.sql'], ['dx.sql', 'a.sql']],
  ['x[!a]y', ['xby'], ['xay']],
  ['**/*.@(js|css)', ['a/b.js', 'c.css'], ['a.png']],
  ['*.+(png|jpg)', ['a.png'], ['a.gif']],
  ['.env*', ['.env', '.env.local'], ['x.env']],
  ['a\\*b', ['a*b'], ['axb']],
];

test('globs match as picomatch does (dot-files included)', () => {
  for (const [g, yes, no] of CASES) {
    const m = globMatcher(g);
    for (const p of yes) assert.equal(m(p), true, `${g} should match ${p}`);
    for (const p of no) assert.equal(m(p), false, `${g} should not match ${p}`);
  }
  assert.equal(globMatcher(['a/**', '!b/**'])('c/x'), true, 'a negated glob in a list matches what it excludes not');
});

test('nginx globs (posix): no globstar, no braces, a wildcard skips dot-files', () => {
  const m = globMatcher('conf.d/*.conf', { posix: true });
  assert.equal(m('conf.d/a.conf'), true);
  assert.equal(m('conf.d/.hidden.conf'), false);
  assert.equal(globMatcher('{a,b}.conf', { posix: true })('a.conf'), false);
});

test('catastrophic globs run in linear time (picomatch: 145 s on this one)', () => {
  const t0 = performance.now();
  for (const g of ['*a*a*a*a*a*a*a*a*a*a*a*a*b', `${'*'.repeat(200)}b`, `${'**/'.repeat(100)}x`, `${'{a,'.repeat(9)}b${'}'.repeat(9)}`]) {
    const m = globMatcher(g);
    m('a'.repeat(5000));
    m(`${'a/'.repeat(2000)}y`);
  }
  assert.ok(performance.now() - t0 < 2000, `took ${(performance.now() - t0).toFixed(0)} ms`);
});
