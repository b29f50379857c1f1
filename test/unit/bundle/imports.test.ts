import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findImports, isBareSpecifier, packageName } from '../../../src/analyzers/bundle/imports.js';

const code = `#!/usr/bin/env node
import React, { useState as useS, type FC } from 'react';
import * as path from "node:path";
import 'normalize.css';
import type { Foo } from './types';
export { map, filter } from 'lodash-es';
export * from '@scope/pkg/sub';
export * as ns from "ns-pkg";
import data from './data.json' with { type: 'json' };
const x = require('left-pad');
const y = await import(\`dayjs\`);
// import nope from 'commented';
const s = "import nope from 'string'";
obj.import('not-an-import');
import.meta.url;
export const z = 1;
export { local };
`;

test('findImports: every import form, with specifiers and spans', () => {
  const refs = findImports(code, { jsx: false });
  assert.deepEqual(refs.map((r) => [r.kind, r.specifier, r.defaultImport ?? null, r.namespace ?? null, r.named.map((n) => `${n.imported}>${n.local}${n.type ? ':type' : ''}`).join(','), r.typeOnly, r.star ?? false]), [
    ['import', 'react', 'React', null, 'useState>useS,FC>FC:type', false, false],
    ['import', 'node:path', null, 'path', '', false, false],
    ['side-effect', 'normalize.css', null, null, '', false, false],
    ['import', './types', null, null, 'Foo>Foo', true, false],
    ['export-from', 'lodash-es', null, null, 'map>map,filter>filter', false, false],
    ['export-from', '@scope/pkg/sub', null, null, '', false, true],
    ['export-from', 'ns-pkg', null, null, '', false, false],
    ['import', './data.json', 'data', null, '', false, false],
    ['require', 'left-pad', null, null, '', false, false],
    ['dynamic', 'dayjs', null, null, '', false, false],
  ]);
  const r0 = refs[0];
  assert.equal(code.slice(r0.span.start, r0.span.end), "import React, { useState as useS, type FC } from 'react';");
  assert.equal(code.slice(r0.specifierSpan.start, r0.specifierSpan.end), "'react'");
  assert.equal(code.slice(refs[7].span.start, refs[7].span.end), "import data from './data.json' with { type: 'json' };");
  assert.equal(code.slice(refs[8].span.start, refs[8].span.end), "require('left-pad')");
});

test('findImports: JSX files, and multi-line imports', () => {
  const jsx = "import { a,\n  b } from 'pkg'\nexport default () => <div>{'import x from \"y\"'}</div>;\n";
  const refs = findImports(jsx);
  assert.deepEqual(refs.map((r) => [r.specifier, r.named.length]), [['pkg', 2]]);
});

test('bare specifiers and package names', () => {
  for (const s of ['react', '@scope/x', '@scope/x/y', 'lodash/debounce']) assert.ok(isBareSpecifier(s), s);
  for (const s of ['./a', '../a', '/abs', 'node:fs', 'fs', 'fs/promises', 'https://x', '#internal', '~/x', '@scope']) assert.ok(!isBareSpecifier(s), s);
  assert.equal(packageName('@scope/x/y'), '@scope/x');
  assert.equal(packageName('lodash/debounce'), 'lodash');
});
