import { engineWith } from '../../helpers/engine.js';
/** The server and pool gatherers on real shapes and on bad input: no throw, no hang, bounded time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { serverFacts, parseDuration } from '../../../src/analyzers/node-server/server-model.js';
import { poolFacts } from '../../../src/analyzers/pools/pool-model.js';
import { parseJs, unparseableReason } from '../../../src/lang/javascript/ast.js';
import { matchesServerPath, serverGatherer } from '../../../src/analyzers/node-server/gather.js';
import { matchesPoolPath, pythonPoolFacts } from '../../../src/analyzers/pools/gather.js';
import { SERVER_GATHERERS, SERVER_RULES } from '../../../src/analyzers/node-server/index.js';
import { POOL_GATHERERS, POOL_RULES } from '../../../src/analyzers/pools/index.js';

const ws = (files: Record<string, string>) => ({ paths: () => Object.keys(files), textOf: (p: string) => files[p] });

test('paths: sources and project files match; dependencies, builds, declarations and minified files do not', () => {
  for (const p of ['server.js', 'src/main.ts', 'app.mjs', 'x.cts', 'pages/api/a.tsx', 'package.json', 'tsconfig.json', 'apps/api/tsconfig.build.json']) assert.ok(matchesServerPath(p), p);
  for (const p of ['node_modules/express/index.js', 'dist/server.js', 'a/build/x.js', 'types.d.ts', 'vendor.min.js', 'node_modules/x/package.json', 'README.md']) assert.ok(!matchesServerPath(p), p);
  for (const p of ['settings.py', '.env', '.env.production', 'prisma/schema.prisma', 'requirements.txt', 'pyproject.toml', 'vercel.json', 'db.js']) assert.ok(matchesPoolPath(p), p);
  for (const p of ['.venv/lib/x.py', 'node_modules/a/.env', 'notes.txt']) assert.ok(!matchesPoolPath(p), p);
});

test('artifact: an Express app, its middleware in order, statics, routes and package info', () => {
  const files = {
    'package.json': '{ "dependencies": { "express": "^4.21.2", "compression": "^1.8.2" } }',
    'src/server.ts': "import express from 'express';\nimport helmet from 'helmet';\nconst app = express();\napp.use(helmet());\napp.use(express.static('public', { maxAge: '2h', etag: false }));\napp.get('/x', (req, res) => res.send('x'));\n",
  };
  const a = serverGatherer.gather('src/server.ts', files['src/server.ts'], ws(files))!;
  assert.equal(a.apps.length, 1);
  assert.deepEqual({ framework: a.apps[0].framework, name: a.apps[0].name }, { framework: 'express', name: 'app' });
  assert.deepEqual(a.uses.map((u) => u.kind), ['other', 'other']);
  assert.equal(a.statics[0].maxAge, 2 * 3600 * 1000);
  assert.equal(a.statics[0].etag?.value, false);
  assert.deepEqual(a.routes.map((r) => [r.method, r.path, !!r.db]), [['GET', '/x', false]]);
  assert.deepEqual(a.deps, { express: '^4.21.2', compression: '^1.8.2' });
  assert.equal(a.packageJson?.path, 'package.json');
  assert.equal(a.fix.moduleStyle, 'esm');
  assert.equal(serverGatherer.gather('package.json', files['package.json'], ws(files)), undefined);
  assert.equal(serverGatherer.gather('src/util.ts', 'export const x = 1;', ws(files)), undefined);
});

test('ms durations as the `ms` package reads them', () => {
  assert.equal(parseDuration('1y'), 365.25 * 86400000);
  assert.equal(parseDuration('7 days'), 7 * 86400000);
  assert.equal(parseDuration('1.5h'), 5400000);
  assert.equal(parseDuration('100'), 100);
  assert.equal(parseDuration('forever'), undefined);
});

test('bad input: minified, oversized, unparseable and binary files are skipped quickly', () => {
  const minified = `var express=require("express");${'var a=function(){return 1};'.repeat(5000)}`;
  let t = performance.now();
  assert.equal(serverFacts('bundle.js', minified), undefined);
  assert.match(unparseableReason(minified)!, /minified/);
  const huge = `const express = require('express');\n${'// padding padding padding\n'.repeat(60000)}`;
  assert.equal(serverFacts('huge.js', huge), undefined);
  assert.match(unparseableReason(huge)!, /larger than/);
  assert.ok(performance.now() - t < 3000, `skipping took ${performance.now() - t} ms`);
  t = performance.now();
  for (const bad of ["const express = require('express'); app.get('/', (req, res) => { res.send('x' });", 'import express from "express"; const app = express(; <<<>>>', '\u0000\u0001express\u0002', '((((((((((', "require('express')" + '('.repeat(5000)]) {
    assert.equal(serverFacts('bad.js', bad), undefined);
    assert.equal(poolFacts('bad.js', bad.replace('express', 'pg')), undefined);
  }
  assert.ok('error' in parseJs('x.ts', 'let x: = ;'));
  assert.ok(performance.now() - t < 2000);
});

test('bad input: deeply nested expressions do not overflow our walkers', () => {
  const deep = `const express = require('express');\nconst app = express();\napp.use(express.static(${"'a' + ".repeat(3000)}'public'));\n`;
  const f = serverFacts('deep.js', deep);
  assert.ok(f === undefined || f.statics.length === 1);
  const nested = `const { Pool } = require('pg');\nnew Pool({ max: ${'('.repeat(200)}1${')'.repeat(200)} });\n`;
  assert.doesNotThrow(() => poolFacts('n.js', nested));
});

test('bad input: random text around server and pool keywords never throws', () => {
  const words = ['express', 'require', "'express'", "'pg'", '(', ')', '{', '}', 'app', '.use', '.get', "'/x'", ',', 'async', '=>', 'new', 'Client', 'Pool', 'await', ';', '\n', 'const', '=', 'compression()', 'static', '`', "'", '"', 'connection_limit=1', 'max:', '0', '@Get()', 'class', 'DATABASES', 'NullPool', 'poolclass=', '#', '"""', '[', ']', ':'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...words), { maxLength: 80 }), (parts) => {
      const text = `import express from 'express';\nimport { Client } from 'pg';\n${parts.join(' ')}`;
      serverFacts('f.ts', text);
      poolFacts('f.ts', text);
      pythonPoolFacts('settings.py', `DATABASES = ${parts.join(' ')}\nengine = create_engine(x, poolclass=NullPool ${parts.join('')}`);
    }),
    { numRuns: 300 },
  );
});

test('engine: a workspace of bad files gives no rule errors and finishes promptly', async () => {
  const e = engineWith([...SERVER_RULES, ...POOL_RULES], [...SERVER_GATHERERS, ...POOL_GATHERERS]);
  e.setFile('package.json', '{ "dependencies": ');
  e.setFile('server.js', "const express = require('express');\nconst app = express(\n");
  e.setFile('min.js', `require("express");${'x();'.repeat(5000)}`);
  e.setFile('settings.py', 'DATABASES = {{{{ "default": [[[ \n"""unterminated');
  e.setFile('.env', 'DATABASE_URL=\u0000\u0001');
  e.setFile('tsconfig.json', '{');
  const t = performance.now();
  const r = await e.run();
  assert.ok(performance.now() - t < 5000);
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'rule-error').map((f) => f.message), []);
});

test('re-gathering after an edit reuses parsed files (memoised by content)', async () => {
  const e = engineWith([...SERVER_RULES, ...POOL_RULES], [...SERVER_GATHERERS, ...POOL_GATHERERS]);
  const server = "const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nconst app = express();\napp.get('/p', async (req, res) => res.json((await pool.query('SELECT 1')).rows));\n";
  for (let i = 0; i < 300; i++) e.setFile(`src/routes/r${i}.js`, `const express = require('express');\nconst router = express.Router();\nrouter.get('/r${i}', (req, res) => res.send('${i}'));\nmodule.exports = router;\n`);
  for (let i = 0; i < 1000; i++) e.setFile(`src/lib/m${i}.js`, `export function f${i}(a, b) { return a + b * ${i}; }\n`);
  e.setFile('src/server.js', server);
  let t = performance.now();
  await e.run();
  const cold = performance.now() - t;
  e.setFile('src/lib/m1.js', 'export const changed = true;\n');
  t = performance.now();
  const r = await e.run();
  const warm = performance.now() - t;
  assert.ok(r.findings.some((f) => f.ruleId === 'server-compression-missing'));
  assert.ok(warm < Math.max(250, cold / 2), `cold ${cold.toFixed(0)} ms, after one edit ${warm.toFixed(0)} ms`);
});
