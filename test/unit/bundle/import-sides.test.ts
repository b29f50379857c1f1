// Where dependencies are imported: browser-capable code or server code only (bundle/import-sides.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importSidesByDir, importSpecifiers, packageName, scanSpecifiers, serverOnlyDependencies } from '../../../src/analyzers/bundle/import-sides.js';

test('import specifiers of every form, package names of bare specifiers', () => {
  const code = 'import a from "a";\nimport "side/effect.css";\nexport { b } from \'@s/b/sub\';\nconst c = require("c");\nconst d = await import("d/x");\nimport type { T } from "./local";\n';
  assert.deepEqual(importSpecifiers(code), ['a', 'side/effect.css', '@s/b/sub', 'c', 'd/x']);
  assert.deepEqual(['a', 'side/effect.css', '@s/b/sub', './local', 'node:fs', '~/x', '@/components/x'].map(packageName), ['a', 'side', '@s/b', undefined, undefined, undefined, undefined]);
});

test('server files by folder, file name or a Node built-in; tests are not read; each file counts for its innermost project', () => {
  const files: Record<string, string> = {
    'server/api.ts': 'import koa from "koa";\nimport shared from "both";\n',
    'app/entry.server.tsx': 'import { renderToString } from "react-dom/server";\n',
    'app/lib/disk.ts': 'import fs from "fs";\nimport sharp from "sharp";\n',
    'app/index.tsx': 'import both from "both";\nimport react from "react";\n',
    'app/index.test.tsx': 'import only from "test-only";\n',
    'packages/ui/src/Button.tsx': 'import clsx from "clsx";\n',
  };
  const sides = importSidesByDir(Object.keys(files), (p) => files[p], '', ['', 'packages/ui']);
  const root = sides.get('')!;
  assert.deepEqual([...root.browser].sort(), ['both', 'react']);
  assert.deepEqual([...root.server].sort(), ['both', 'koa', 'react-dom', 'sharp']);
  assert.deepEqual(serverOnlyDependencies({ koa: '^2', both: '^1', react: '^18', 'react-dom': '^18', sharp: '^0.33', unused: '^1' }, root), ['koa', 'react-dom', 'sharp']);
  // react-dom is the app's renderer even when only its server entry names it.
  assert.deepEqual(serverOnlyDependencies({ koa: '^2', 'react-dom': '^18' }, root, (n) => n === 'react-dom'), ['koa']);
  assert.deepEqual([...sides.get('packages/ui')!.browser], ['clsx']);
});

// Type-only imports are erased by TypeScript: they never make a package part of a bundle.
const typeOnlyCases: [string, string, 'value' | 'type'][] = [
  ['import type', 'import type { SortableEvent } from "sortablejs";', 'type'],
  ['import type default', "import type Sortable from 'sortablejs';", 'type'],
  ['inline type specifiers only', 'import {\n  type SortableEvent,\n  type Options,\n} from "sortablejs";', 'type'],
  ['export type from', 'export type { SortableEvent } from "sortablejs";', 'type'],
  ['export type * from', 'export type * from "sortablejs";', 'type'],
  ['a value next to a type specifier', 'import { type SortableEvent, create } from "sortablejs";', 'value'],
  ['a default import next to type specifiers', 'import Sortable, { type SortableEvent } from "sortablejs";', 'value'],
  ['a default import named type', 'import type from "sortablejs";', 'value'],
  ['a value import', 'import Sortable from "sortablejs";', 'value'],
  ['an identifier that contains import', 'const reimport = 1;\nimport { typed } from "sortablejs";', 'value'],
  ['a re-export', 'export { default } from "sortablejs";', 'value'],
  ['a side-effect import', 'import "sortablejs";', 'value'],
];
for (const [name, code, kind] of typeOnlyCases) {
  test(`type-only imports: ${name} counts as a ${kind} import`, () => {
    const { specs, types } = scanSpecifiers(code);
    assert.deepEqual(kind === 'type' ? types : specs, ['sortablejs']);
    assert.deepEqual(kind === 'type' ? specs : types, []);
  });
}

test('a dependency imported only for its types (in a .vue script too) is not a browser dependency; a value import is', () => {
  const files: Record<string, string> = {
    'src/components/Nav.vue': '<template><div /></template>\n<script setup lang="ts">\nimport type { SortableEvent } from "sortablejs";\nimport draggable from "vuedraggable";\n</script>\n',
    'src/routes/Page.svelte': '<script lang="ts">\n  import { type Options } from "flatpickr";\n</script>\n',
    'src/lib/both.ts': 'import type { A } from "both";\n',
    'src/lib/both-value.ts': 'import { a } from "both";\n',
  };
  const root = importSidesByDir(Object.keys(files), (p) => files[p], '', ['']).get('')!;
  assert.deepEqual([...root.types].sort(), ['both', 'flatpickr', 'sortablejs']);
  assert.deepEqual([...root.browser].sort(), ['both', 'vuedraggable']);
  assert.deepEqual(serverOnlyDependencies({ sortablejs: '^1.15', vuedraggable: '^4', flatpickr: '^4', both: '^1' }, root), ['sortablejs', 'flatpickr']);
});

// Server code by its framework's conventions or by what it imports.
const serverFileCases: [string, string, string, boolean][] = [
  ['a Next.js API route', 'pages/api/links/[id].ts', 'import pkg from "pkg";\n', true],
  ['a Next.js API route under src/', 'src/pages/api/index.ts', 'import pkg from "pkg";\n', true],
  ['a Next.js route handler', 'app/api/links/route.ts', 'import pkg from "pkg";\n', true],
  ['a SvelteKit endpoint', 'src/routes/api/+server.ts', 'import pkg from "pkg";\n', true],
  ['a server-only guarded module', 'lib/data.ts', 'import "server-only";\nimport pkg from "pkg";\n', true],
  ['a Prisma client user', 'lib/preview.ts', 'import { PrismaClient } from "@prisma/client";\nimport pkg from "pkg";\n', true],
  ['a server action file', 'app/actions.ts', '"use server";\nimport pkg from "pkg";\n', true],
  ['a server action file after a comment', 'app/actions.ts', '// actions\n\'use server\';\nimport pkg from "pkg";\n', true],
  ['a Next.js page', 'pages/links/[id].tsx', 'import pkg from "pkg";\n', false],
  ['a client component', 'app/links/LinkCard.tsx', '"use client";\nimport pkg from "pkg";\n', false],
  ['a TanStack route file outside app/', 'src/routes/posts/route.ts', 'import pkg from "pkg";\n', false],
  ['a type-only import of Prisma types', 'lib/format.ts', 'import type { Link } from "@prisma/client";\nimport pkg from "pkg";\n', false],
];
for (const [name, path, code, server] of serverFileCases) {
  test(`server code: ${name} is ${server ? 'server' : 'browser-capable'} code`, () => {
    const root = importSidesByDir([path], () => code, '', ['']).get('')!;
    assert.equal(root.server.has('pkg'), server);
    assert.equal(root.browser.has('pkg'), !server);
  });
}

test('an umbrella package listed beside the scoped packages it re-exports, never imported itself, is not bundled', () => {
  const sides = { browser: new Set(['@radix-ui/react-avatar', 'react']), server: new Set<string>(), types: new Set<string>(), dead: new Set<string>(), files: 2 };
  assert.deepEqual(serverOnlyDependencies({ 'radix-ui': '^1', '@radix-ui/react-avatar': '^1', react: '^18', lodash: '^4' }, sides), ['radix-ui']);
  // imported itself, or no scoped sibling imported: kept
  const used = { browser: new Set(['radix-ui']), server: new Set<string>(), types: new Set<string>(), dead: new Set<string>(), files: 1 };
  assert.deepEqual(serverOnlyDependencies({ 'radix-ui': '^1', '@radix-ui/react-avatar': '^1' }, used), []);
});
