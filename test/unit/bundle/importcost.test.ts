import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ImportCostService, entryCode, type ImportCost } from '../../../src/analyzers/bundle/importcost/index.js';
import { findImports } from '../../../src/analyzers/bundle/imports.js';

const ROOT = path.join(__dirname, '..', '..', '..');
const WORKER = path.join(ROOT, 'src/analyzers/bundle/importcost/worker.ts');
const FILE = path.join(ROOT, 'test/fixtures/bundle/app/src/index.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'perf-audit-ic-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const svc = new ImportCostService({ workerPath: WORKER, execArgv: ['--import', 'tsx'] });
after(() => svc.dispose());

test('entry code: sorted named imports, stable across local names; CommonJS through require', () => {
  const [a, b, c, d] = findImports("import { b as x, a } from 'p';\nimport { a, b } from 'p';\nimport D, * as ns from 'p';\nexport * from 'p';\n");
  assert.equal(entryCode(a), 'import { a as n0, b as n1 } from "p";\nconsole.log(n0, n1);');
  assert.equal(entryCode(a), entryCode(b));
  assert.equal(entryCode(c), 'import d, * as ns from "p";\nconsole.log(d, ns);');
  assert.equal(entryCode(d), 'export * from "p";');
  assert.equal(entryCode(a, { cjs: true }), 'const m = require("p");\nconsole.log(m);');
  assert.equal(entryCode(findImports("import 'p';")[0], { cjs: true }), 'require("p");');
});

test('import cost: sizes per import line, tree-shaken named imports, errors for missing packages', async () => {
  const text = "import dayjs from 'dayjs';\nimport { addDays } from 'date-fns';\nimport { addDays as a2, format, parseISO } from 'date-fns';\nimport type { X } from 'types-only';\nimport './local.js';\nimport nope from 'no-such-package-xyz';\nimport fs from 'node:fs';\n";
  const streamed: ImportCost[] = [];
  const costs = await svc.compute(FILE, text, { onResult: (c) => streamed.push(c) });
  assert.deepEqual(costs.map((c) => [c.line, c.name, c.error === undefined]), [[0, 'dayjs', true], [1, 'date-fns', true], [2, 'date-fns', true], [5, 'no-such-package-xyz', false]]);
  assert.equal(streamed.length, 4);
  const [dayjs, one, three] = costs;
  assert.ok(dayjs.gzip! > 2500 && dayjs.gzip! < 4500, `dayjs ${dayjs.gzip}`);
  assert.ok(one.size! < three.size!, 'more named imports, more code');
  assert.ok(three.gzip! < 20_000, 'date-fns is tree-shaken');
  assert.match(costs[3].error!, /not installed/);
  assert.equal(svc.esbuildVersion, (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')) as { version: string }).version);
});

test('import cost: cache by package + version + import shape; concurrent requests share builds', async () => {
  const text = "import { format } from 'date-fns';\n";
  const [a, b] = await Promise.all([svc.compute(FILE, text), svc.compute(FILE, `\n\n${text}`)]);
  assert.equal(a[0].gzip, b[0].gzip);
  assert.equal(b[0].line, 2);
  const c = await svc.compute(path.join(ROOT, 'test/fixtures/bundle/app/other.ts'), "import { format as f } from 'date-fns'\n");
  assert.equal(c[0].cached, true, 'another file, another local name: same cache entry');
});

test('import cost: cancellation rejects with AbortError and leaves the service usable', async () => {
  const ac = new AbortController();
  const p = svc.compute(FILE, "import { formatDistance, formatRelative } from 'date-fns';\n", { signal: ac.signal });
  ac.abort();
  await assert.rejects(p, { name: 'AbortError' });
  const again = await svc.compute(FILE, "import { formatDistance } from 'date-fns';\n");
  assert.ok(again[0].gzip! > 0);
  await assert.rejects(svc.compute(FILE, "import x from 'dayjs';", { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('import cost: a hung worker is killed after the timeout; a missing esbuild is a clear error', async () => {
  const hung = path.join(tmp, 'hung-worker.js');
  writeFileSync(hung, "process.send({ type: 'ready', esbuild: 'fake' }); process.on('message', () => {}); setInterval(() => {}, 1000);\n");
  const s1 = new ImportCostService({ workerPath: hung, timeoutMs: 300 });
  try {
    const t0 = performance.now();
    const r = await s1.compute(FILE, "import dayjs from 'dayjs';\n");
    assert.match(r[0].error!, /bundling took more than 0 s|bundling took more than/);
    assert.ok(performance.now() - t0 < 5000);
  } finally {
    s1.dispose();
  }
  const s2 = new ImportCostService({ workerPath: WORKER, execArgv: ['--import', 'tsx'], esbuildPath: path.join(tmp, 'no-esbuild-here') });
  try {
    const r = await s2.compute(FILE, "import dayjs from 'dayjs';\n");
    assert.match(r[0].error!, /esbuild could not be loaded/);
  } finally {
    s2.dispose();
  }
});

test('import cost: a caller that joins a build while the worker starts keeps it alive when the first caller cancels', async () => {
  // A worker that takes 100 ms to start and 300 ms per build, and logs what it is sent.
  const slow = path.join(tmp, 'slow-worker.js');
  const log = path.join(tmp, 'slow-worker.log');
  writeFileSync(slow, `const fs = require('fs');
setTimeout(() => process.send({ type: 'ready', esbuild: 'fake' }), 100);
process.on('message', (m) => {
  fs.appendFileSync(${JSON.stringify(log)}, m.type + ' ' + (m.jobs || m.keys).length + '\\n');
  if (m.type === 'build') for (const j of m.jobs) setTimeout(() => process.send({ type: 'result', key: j.key, size: 1000, gzip: 500, ms: 300 }), 300);
});
`);
  const s = new ImportCostService({ workerPath: slow });
  try {
    const text = "import dayjs from 'dayjs';\n";
    const first = new AbortController();
    const second = new AbortController();
    const a = s.compute(FILE, text, { signal: first.signal });
    const b = s.compute(FILE, text, { signal: second.signal });
    // Abort the first caller after the job was sent to the worker (ready at 100 ms) and before its result (at ~400 ms).
    await new Promise((r) => setTimeout(r, 250));
    first.abort();
    await assert.rejects(a, { name: 'AbortError' });
    const [cost] = await b;
    assert.equal(cost.error, undefined, `the second caller still gets the size: ${cost.error}`);
    assert.equal(cost.gzip, 500);
    // Both callers cancel: the job is dropped and the worker told so.
    const c1 = new AbortController();
    const c2 = new AbortController();
    const other = "import { format } from 'date-fns';\n";
    const c = s.compute(FILE, other, { signal: c1.signal });
    const d = s.compute(FILE, other, { signal: c2.signal });
    await new Promise((r) => setTimeout(r, 50));
    c1.abort();
    c2.abort();
    await assert.rejects(c, { name: 'AbortError' });
    await assert.rejects(d, { name: 'AbortError' });
    // Started again after both cancelled: a fresh build, not the dropped one.
    const [again] = await s.compute(FILE, other);
    assert.equal(again.gzip, 500);
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['build 1', 'build 1', 'cancel 1', 'build 1'], 'one build per key; the cancel only when nobody waits');
  } finally {
    s.dispose();
  }
});

test('import cost: a worker whose esbuild cannot start reports why (unavailable)', async () => {
  const broken = path.join(tmp, 'broken-worker.js');
  writeFileSync(broken, "process.send({ type: 'fatal', error: 'esbuild 0.0.0 could not start its binary: no @esbuild/linux-x64' }, () => process.exit(1));\n");
  const s = new ImportCostService({ workerPath: broken });
  try {
    const [cost] = await s.compute(FILE, "import dayjs from 'dayjs';\n");
    assert.match(cost.error!, /could not start its binary/);
    assert.match(s.unavailable!, /could not start its binary/);
  } finally {
    s.dispose();
  }
});
