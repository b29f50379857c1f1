// Where dependencies are imported: browser-capable code or server code only (bundle/import-sides.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importSidesByDir, importSpecifiers, packageName, serverOnlyDependencies } from '../../../src/analyzers/bundle/import-sides.js';

test('import specifiers of every form, package names of bare specifiers', () => {
  const code = 'import a from "a";\nimport "side/effect.css";\nexport { b } from \'@s/b/sub\';\nconst c = require("c");\nconst d = await import("d/x");\nimport type { T } from "./local";\n';
  assert.deepEqual(importSpecifiers(code), ['a', 'side/effect.css', '@s/b/sub', 'c', 'd/x', './local']);
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
