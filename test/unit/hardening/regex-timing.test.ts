/**
 * Regexes over workspace text run on attacker-controlled input. Each case feeds an exported function
 * the input that made its former regex backtrack (or rescan from every start position): quadratic,
 * seconds to minutes at these sizes (50–200 KB). Rewritten (eslint regexp/no-super-linear-*), each
 * call takes milliseconds; the bound is generous for slow, shared CI machines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeApache } from '../../../src/analyzers/apache/gather.js';
import { expiresSeconds } from '../../../src/analyzers/apache/analyze.js';
import { looksLikeNginx } from '../../../src/analyzers/nginx/analyze.js';
import { parseDuration } from '../../../src/analyzers/node-server/server-model.js';
import { parsePnpmLock } from '../../../src/analyzers/bundle/lockfiles.js';
import { sourceMapSizes } from '../../../src/analyzers/bundle/sourcemap.js';
import { packageOf } from '../../../src/analyzers/bundle/paths.js';
import { parseMarkdown } from '../../../src/kernel/memory/markdown.js';
import { majorOf } from '../../../src/lang/javascript/edits.js';

const BUDGET_MS = 1500;

function timed<T>(name: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  assert.ok(ms < BUDGET_MS, `${name} took ${ms.toFixed(0)} ms`);
  return out;
}

const spaces = (n: number): string => ' '.repeat(n);

test('Apache detection: a directive followed by 60 KB of spaces, and 60 KB of blank lines', () => {
  // Was `\s+[^;{]*$` (spaces go to either side) and `^\s*` (from every line start to the end of the run).
  assert.equal(timed('spaces', () => looksLikeApache(`ServerName${spaces(60_000)};`)), false);
  assert.equal(timed('blank lines', () => looksLikeApache(`${'\n'.repeat(60_000)}x`)), false);
});

test('nginx detection: 196 KB of `}server` without a `;` or `{`', () => {
  // Was `[^\n=]*[;{]` after every directive name: each rescanned the rest of the line.
  assert.equal(timed('nginx marker', () => looksLikeNginx('conf.d/site.conf', '}server'.repeat(28_000))), false);
});

test('mod_expires spec: 100 KB of spaces before a line separator', () => {
  // Was `\s+(.+)$`: the spaces could go to either side, and `.` stops at U+2028.
  assert.equal(timed('expires', () => expiresSeconds(`access plus${spaces(100_000)}1 day\u2028x`)), undefined);
});

test('ms-style duration: 100 KB of digits then a letter', () => {
  // Was `(?:\d+)?\.?\d+`: the digits could be split between the two runs every way.
  assert.equal(timed('duration', () => parseDuration(`${'1'.repeat(100_000)}x`)), undefined);
});

test('markdown heading: 100 KB of spaces before the last word', () => {
  // Was `^[ \t]*#*[ \t]*$` and `[ \t]+#+[ \t]*$` (tried from every space).
  const doc = timed('heading', () => parseMarkdown(`# a${spaces(100_000)}x\n`));
  assert.equal(doc.lines[0].headingLevel, 1);
});

test('package.json range: 100 KB of digits then a letter', () => {
  // Was `(\d+)(?:\.|$|\s|x)` tried from every digit.
  assert.equal(timed('majorOf', () => majorOf(`${'1'.repeat(100_000)}a`)), undefined);
});

test('pnpm lockfile: a key with 100 KB of spaces before a carriage return in its value', () => {
  // Was `:(?:\s+(.*))?$`: the spaces could go to either side, and `.` stops at \r.
  const lock = timed('pnpm', () => parsePnpmLock(`lockfileVersion: 6\npackages:\n  a:${spaces(100_000)}x\ry\n`));
  assert.equal(lock?.packages.length, 0);
});

test('sourceMappingURL comment: 100 KB of spaces and no `*/`', () => {
  // Was `[^*]+?[ \t]*\*\/`: each extra character of the lazy run retried the spaces.
  const code = `/*# sourceMappingURL=${spaces(100_000)}x`;
  const sizes = timed('source map', () => sourceMapSizes(code, { sources: [], mappings: '' }));
  assert.equal(sizes.unmapped, code.length);
});

test('module path: 100 KB of `?` on a line before the last', () => {
  // Was `[?#].*$`: from every `?`, `.*` ran to the line break and failed.
  const ref = timed('packageOf', () => packageOf(`${'?'.repeat(100_000)}\nnode_modules/left-pad/index.js`));
  assert.equal(ref?.name, 'left-pad');
});
