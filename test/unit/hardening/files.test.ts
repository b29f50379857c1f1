/** The kernel's file layer (src/kernel/files.ts): every read and write path with planted links, FIFOs and devices. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localFileInside, readWorkspaceBytes, readWorkspaceFile, unsafeWriteTarget, writeOutputFile, writeWorkspaceFile } from '../../../src/kernel/files.js';

function setup(t: { after: (fn: () => void) => void }): { ws: string; out: string } {
  const base = mkdtempSync(path.join(tmpdir(), 'perf-audit-files-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const ws = path.join(base, 'ws');
  const out = path.join(base, 'outside');
  mkdirSync(path.join(ws, 'db'), { recursive: true });
  mkdirSync(out);
  writeFileSync(path.join(out, 'secret.txt'), 'outside secret\n');
  writeFileSync(path.join(ws, 'db', 'a.sql'), 'SELECT 1;\n');
  return { ws, out };
}

test('reads: a regular file inside, and a link whose target stays inside', async (t) => {
  const { ws } = setup(t);
  symlinkSync(path.join(ws, 'db', 'a.sql'), path.join(ws, 'alias.sql'));
  assert.deepEqual(await readWorkspaceFile(ws, 'db/a.sql', { maxBytes: 100 }), { ok: true, text: 'SELECT 1;\n', bytes: 10 });
  assert.equal((await readWorkspaceFile(ws, 'alias.sql', { maxBytes: 100 })).ok, true);
  assert.equal((await readWorkspaceFile(ws, path.join(ws, 'db/a.sql'), { maxBytes: 100 })).ok, true);
});

test('reads refuse links out of the workspace (file and folder), devices, FIFOs, loops, oversized and non-UTF-8 files', async (t) => {
  const { ws, out } = setup(t);
  symlinkSync(path.join(out, 'secret.txt'), path.join(ws, 'leak.sql'));
  symlinkSync(out, path.join(ws, 'linked'));
  symlinkSync('/dev/zero', path.join(ws, 'zero.sql'));
  symlinkSync(path.join(ws, 'l2'), path.join(ws, 'l1'));
  symlinkSync(path.join(ws, 'l1'), path.join(ws, 'l2'));
  const fifo = spawnSync('mkfifo', [path.join(ws, 'pipe.sql')]).status === 0;
  writeFileSync(path.join(ws, 'big.sql'), 'x'.repeat(2000));
  writeFileSync(path.join(ws, 'latin1.sql'), Buffer.from([0x41, 0xe9, 0xff]));
  const cases: [string, string][] = [
    ['leak.sql', 'outside'], ['linked/secret.txt', 'outside'], ['zero.sql', 'outside'], ['l1', 'link'],
    ['big.sql', 'too-large'], ['latin1.sql', 'not-text'], ['missing.sql', 'missing'], ['../outside/secret.txt', 'outside'], ['db', 'not-regular'],
    ...(fifo ? [['pipe.sql', 'not-regular'] as [string, string]] : []),
  ];
  for (const [file, refusal] of cases) {
    const r = await readWorkspaceFile(ws, file, { maxBytes: 1000 });
    assert.equal(r.ok, false, file);
    if (!r.ok) {
      assert.equal(r.refusal, refusal, `${file}: ${r.reason}`);
      assert.ok(r.reason.startsWith(file.startsWith('..') ? '..' : file.split('/')[0]), r.reason);
      assert.ok(!r.reason.includes('outside secret'));
    }
  }
  // The head of a large binary file, for image headers.
  const head = await readWorkspaceBytes(ws, 'big.sql', { maxBytes: 16, head: true });
  assert.ok(head.ok && head.bytes.length === 16);
});

test('writes: atomic, keep the mode, refuse a linked target, a linked folder, "..", absolute paths elsewhere and a changed file', async (t) => {
  const { ws, out } = setup(t);
  assert.equal((await writeWorkspaceFile(ws, 'reports/new.json', '{}\n')).ok, true);
  assert.equal(readFileSync(path.join(ws, 'reports/new.json'), 'utf8'), '{}\n');
  symlinkSync(path.join(out, 'secret.txt'), path.join(ws, 'report.json'));
  symlinkSync(out, path.join(ws, 'memory'));
  const refused: [string, string][] = [['report.json', 'link'], ['memory/insights.md', 'link'], ['../outside/x.txt', 'outside'], [path.join(out, 'y.txt'), 'outside'], ['db', 'not-regular']];
  for (const [file, refusal] of refused) {
    const r = await writeWorkspaceFile(ws, file, 'pwned\n');
    assert.equal(r.ok, false, file);
    if (!r.ok) assert.equal(r.refusal, refusal, `${file}: ${r.reason}`);
  }
  assert.equal(readFileSync(path.join(out, 'secret.txt'), 'utf8'), 'outside secret\n');
  assert.deepEqual(readdirSync(out).sort(), ['secret.txt']);
  assert.ok(lstatSync(path.join(ws, 'report.json')).isSymbolicLink());
  const changed = await writeWorkspaceFile(ws, 'db/a.sql', 'x', { expected: Buffer.from('other') });
  assert.equal(changed.ok ? 'written' : changed.refusal, 'changed');
  assert.equal((await writeWorkspaceFile(ws, 'db/a.sql', 'SELECT 2;\n', { expected: Buffer.from('SELECT 1;\n') })).ok, true);
  assert.deepEqual(readdirSync(path.join(ws, 'db')), ['a.sql'], 'no temporary file left');
});

test('unsafeWriteTarget and localFileInside: what an editor may write or analyse', async (t) => {
  const { ws, out } = setup(t);
  symlinkSync(out, path.join(ws, 'migrations'));
  symlinkSync(path.join(out, 'secret.txt'), path.join(ws, 'leak.sql'));
  assert.equal(await unsafeWriteTarget(ws, path.join(ws, 'db/003_idx.sql')), undefined);
  assert.equal(await unsafeWriteTarget(ws, path.join(ws, 'new/folder/x.sql')), undefined);
  assert.match((await unsafeWriteTarget(ws, path.join(ws, 'migrations/003_idx.sql')))!, /symbolic link/);
  assert.match((await unsafeWriteTarget(ws, path.join(ws, 'leak.sql')))!, /symbolic link/);
  assert.match((await unsafeWriteTarget(ws, path.join(out, 'x.sql')))!, /outside/);
  assert.equal(await localFileInside(ws, path.join(ws, 'db/a.sql')), true);
  assert.equal(await localFileInside(ws, path.join(ws, 'leak.sql')), false);
  assert.equal(await localFileInside(ws, path.join(ws, 'unsaved.sql')), true);
});

test('CLI outputs: a relative path never goes through a link; an absolute one is the user\'s choice', async (t) => {
  const { ws, out } = setup(t);
  symlinkSync(path.join(out, 'secret.txt'), path.join(ws, 'out.json'));
  const r = await writeOutputFile('out.json', 'report\n', ws);
  assert.equal(r.ok, false);
  assert.equal(readFileSync(path.join(out, 'secret.txt'), 'utf8'), 'outside secret\n');
  assert.equal((await writeOutputFile('fresh.json', 'report\n', ws)).ok, true);
  assert.equal((await writeOutputFile(path.join(out, 'chosen.json'), 'report\n', ws)).ok, true);
  assert.equal(readFileSync(path.join(out, 'chosen.json'), 'utf8'), 'report\n');
});
