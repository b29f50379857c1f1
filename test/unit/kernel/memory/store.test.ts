/** Memory file I/O: bounded reads, atomic writes, conflict detection and the retry-merge. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MEMORY_FILE_BYTES, memoryDir, readMemoryDir, readMemoryFile, updateMemoryFile, writeMemoryFile } from '../../../../src/kernel/memory/store.js';
import { MARKER_BEGIN, updateInsights, type AuditLike } from '../../../../src/kernel/memory/memory.js';
import { CHECKLIST } from '../../../../src/kernel/checklist.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function tempRoot(t: { after: (fn: () => void) => void }): string {
  const root = mkdtempSync(join(tmpdir(), 'perf-memory-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

const audit: AuditLike = { score: 80, checklist: [{ item: CHECKLIST[0], status: 'pass', reason: 'ok', findings: [] }] };
const noTempFiles = (dir: string) => assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);

test('readMemoryDir: missing directory is empty, not an error', async (t) => {
  const r = await readMemoryDir(tempRoot(t));
  assert.equal(r.exists, false);
  assert.deepEqual(r.files, []);
  assert.deepEqual(r.warnings, []);
});

test('readMemoryDir: reads *.md exactly (BOM, CRLF), skips large, binary and non-UTF-8 files with warnings', async (t) => {
  const root = tempRoot(t);
  const dir = memoryDir(root);
  mkdirSync(dir, { recursive: true });
  const insights = '\uFEFF# Insights\r\n\r\n## Infrastructure & Performance\r\n- é 🚀\r\n';
  writeFileSync(join(dir, 'insights.md'), insights, 'utf8');
  writeFileSync(join(dir, 'big.md'), Buffer.alloc(MAX_MEMORY_FILE_BYTES + 1, 0x61));
  writeFileSync(join(dir, 'binary.md'), Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02]));
  writeFileSync(join(dir, 'latin1.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  writeFileSync(join(dir, 'notes.txt'), 'not markdown');
  mkdirSync(join(dir, 'folder.md'));
  const r = await readMemoryDir(root);
  assert.equal(r.exists, true);
  assert.deepEqual(r.files.map((f) => f.name), ['insights.md']);
  const f = r.files[0];
  assert.equal(f.text, insights);
  assert.equal(f.hash, sha(readFileSync(join(dir, 'insights.md'))));
  assert.equal(f.size, Buffer.byteLength(insights));
  assert.ok(f.mtimeMs > 0);
  assert.equal(r.warnings.length, 4, r.warnings.join('\n'));
  assert.ok(r.warnings.some((w) => w.startsWith('big.md') && /larger than/.test(w)));
  assert.ok(r.warnings.some((w) => w.startsWith('binary.md') && /not UTF-8/.test(w)));
  assert.ok(r.warnings.some((w) => w.startsWith('latin1.md') && /not UTF-8/.test(w)));
  assert.ok(r.warnings.some((w) => w.startsWith('folder.md')));
});

test('writeMemoryFile: creates the directory and the file (expected hash null), leaves no temp file', async (t) => {
  const root = tempRoot(t);
  const file = join(memoryDir(root), 'insights.md');
  const r = await writeMemoryFile(file, 'héllo\r\n', null);
  assert.equal(r.status, 'written');
  assert.equal(readFileSync(file, 'utf8'), 'héllo\r\n');
  assert.equal(r.status === 'written' && r.hash, sha('héllo\r\n'));
  noTempFiles(memoryDir(root));
  // Same content again: nothing written.
  const again = await writeMemoryFile(file, 'héllo\r\n', sha('héllo\r\n'));
  assert.equal(again.status, 'unchanged');
});

test('writeMemoryFile: a file changed since it was read is never overwritten', async (t) => {
  const root = tempRoot(t);
  const file = join(memoryDir(root), 'insights.md');
  mkdirSync(memoryDir(root), { recursive: true });
  writeFileSync(file, 'v1\n');
  const read = await readMemoryFile(file);
  assert.equal(read.status, 'ok');
  if (read.status !== 'ok') return;
  writeFileSync(file, 'v2 by the user\n'); // changed between our read and our write
  const r = await writeMemoryFile(file, 'ours\n', read.file.hash);
  assert.deepEqual(r, { status: 'conflict', currentHash: sha('v2 by the user\n') });
  assert.equal(readFileSync(file, 'utf8'), 'v2 by the user\n');
  noTempFiles(memoryDir(root));
  // Expected absent but it exists → conflict too; deleted since read → conflict.
  assert.equal((await writeMemoryFile(file, 'x', null)).status, 'conflict');
  rmSync(file);
  assert.deepEqual(await writeMemoryFile(file, 'x', read.file.hash), { status: 'conflict', currentHash: null });
  assert.equal(existsSync(file), false);
});

test('updateMemoryFile: on conflict re-reads and re-applies the transform (merge), keeping the user edit', async (t) => {
  const root = tempRoot(t);
  const file = join(memoryDir(root), 'insights.md');
  mkdirSync(memoryDir(root), { recursive: true });
  writeFileSync(file, '# Team\n\n## Decisions\n- use postgres\n');
  let calls = 0;
  const r = await updateMemoryFile(file, (current) => {
    calls++;
    // The user saves the file while we compute our update (only the first time).
    if (calls === 1) writeFileSync(file, '# Team\n\n## Decisions\n- use postgres\n- add a cache (new)\n');
    return updateInsights(current, audit, '2024-05-01');
  });
  assert.equal(r.status, 'written');
  assert.equal(r.attempts, 2);
  assert.equal(calls, 2);
  const disk = readFileSync(file, 'utf8');
  assert.ok(disk.startsWith('# Team\n\n## Decisions\n- use postgres\n- add a cache (new)\n\n## Infrastructure & Performance\n'));
  assert.ok(disk.includes(MARKER_BEGIN));
  assert.equal(disk, updateInsights('# Team\n\n## Decisions\n- use postgres\n- add a cache (new)\n', audit, '2024-05-01'));
  assert.equal(r.text, disk);
  noTempFiles(memoryDir(root));
});

test('updateMemoryFile: gives up with conflict after the retry, never overwriting', async (t) => {
  const root = tempRoot(t);
  const file = join(memoryDir(root), 'insights.md');
  mkdirSync(memoryDir(root), { recursive: true });
  writeFileSync(file, 'start\n');
  let n = 0;
  const r = await updateMemoryFile(file, (current) => {
    writeFileSync(file, `user edit ${++n}\n`);
    return updateInsights(current, audit, '2024-05-01');
  });
  assert.equal(r.status, 'conflict');
  assert.equal(r.attempts, 2);
  assert.equal(readFileSync(file, 'utf8'), 'user edit 2\n');
});

test('updateMemoryFile: creates a missing file; refuses to rewrite a non-UTF-8 file; transform errors are reported', async (t) => {
  const root = tempRoot(t);
  const file = join(memoryDir(root), 'performance-data.md');
  const r = await updateMemoryFile(file, (current) => {
    assert.equal(current, undefined);
    return 'new\n';
  });
  assert.equal(r.status, 'written');
  assert.equal(readFileSync(file, 'utf8'), 'new\n');

  const bad = join(memoryDir(root), 'workflows.md');
  const bytes = Buffer.from([0x61, 0xff, 0x0a]);
  writeFileSync(bad, bytes);
  const r2 = await updateMemoryFile(bad, () => 'x');
  assert.equal(r2.status, 'error');
  assert.deepEqual(readFileSync(bad), bytes);

  const r3 = await updateMemoryFile(file, () => {
    throw new Error('boom');
  });
  assert.equal(r3.status, 'error');
  assert.equal(readFileSync(file, 'utf8'), 'new\n');
});

test('writeMemoryFile: keeps the file mode; never writes through a symlinked file or folder', { skip: process.platform === 'win32' }, async (t) => {
  const root = tempRoot(t);
  const dir = memoryDir(root);
  mkdirSync(dir, { recursive: true });
  const own = join(dir, 'insights.md');
  writeFileSync(own, 'a\n');
  chmodSync(own, 0o640);
  assert.equal((await writeMemoryFile(own, 'b\n', sha('a\n'))).status, 'written');
  assert.equal(readFileSync(own, 'utf8'), 'b\n');
  assert.equal(statSync(own).mode & 0o777, 0o640);
  // A planted link to a file outside: refused, the outside file untouched, the link kept.
  const outside = mkdtempSync(join(tmpdir(), 'perf-audit-outside-'));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  const victim = join(outside, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  const link = join(dir, 'performance-data.md');
  symlinkSync(victim, link);
  const r = await writeMemoryFile(link, 'b\n', sha('precious\n'));
  assert.equal(r.status, 'error');
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is kept');
  const u = await updateMemoryFile(link, (cur) => `${cur ?? ''}x\n`);
  assert.equal(u.status, 'error');
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  // A memory folder linked outside: nothing is created there.
  const root2 = tempRoot(t);
  mkdirSync(join(root2, '.superagent'), { recursive: true });
  symlinkSync(outside, join(root2, '.superagent', 'memory'));
  const r2 = await writeMemoryFile(join(memoryDir(root2), 'insights.md'), 'x\n', null);
  assert.equal(r2.status, 'error');
  assert.deepEqual(readdirSync(outside), ['victim.txt']);
  noTempFiles(dir);
  noTempFiles(root);
});
