/**
 * The one way Perf Auditor touches a workspace's files. Every repository is treated as hostile:
 * - reads accept only regular files whose real path (every link resolved) stays inside the workspace,
 *   open without blocking (a FIFO or device never hangs a read) and stop at the size limit whatever
 *   the file claims its size is (/proc, /dev/zero);
 * - writes refuse a target that is a link or not a regular file, any folder on the way that is a link,
 *   and any path outside the workspace; they write a temporary file in the same folder and rename it,
 *   so a reader never sees half a file and a link is never followed.
 * The CLI's own outputs (-o, --write-baseline) go through writeOutputFile: the same rules relative to
 * the current folder, unless the user named an absolute path.
 */
import { constants as C, promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

export type FileRefusal = 'missing' | 'outside' | 'link' | 'not-regular' | 'too-large' | 'not-text' | 'changed' | 'io';

export type ReadOutcome =
  | { ok: true; text: string; bytes: number }
  /** `reason` names the file; `why` is the same without the name (for messages attached to the file). */
  | { ok: false; refusal: FileRefusal; reason: string; why: string };

function refused(refusal: FileRefusal, name: string, why: string): { ok: false; refusal: FileRefusal; reason: string; why: string } {
  return { ok: false, refusal, reason: `${name} ${why}`, why };
}

export type WriteOutcome =
  | { ok: true; path: string }
  | { ok: false; refusal: FileRefusal; reason: string };

const errCode = (e: unknown): string | undefined => (typeof e === 'object' && e !== null ? (e as { code?: string }).code : undefined);
const errMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** `child` is `root` or below it (both absolute, normalized). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const realRoots = new Map<string, string>();

/** The real path of a workspace root (cached: roots do not move during an audit). */
export async function realRootOf(root: string): Promise<string> {
  const abs = path.resolve(root);
  let real = realRoots.get(abs);
  if (!real) {
    real = await fs.realpath(abs);
    realRoots.set(abs, real);
  }
  return real;
}

/** `file`'s real path is a regular file inside `root` (or it does not exist yet): what an editor's unsaved text may stand for. */
export async function localFileInside(root: string, file: string): Promise<boolean> {
  try {
    const real = await fs.realpath(file);
    if (!isInside(await realRootOf(root), real)) return false;
    return (await fs.stat(real)).isFile();
  } catch (e) {
    return errCode(e) === 'ENOENT';
  }
}

/** Strict UTF-8 (a BOM is kept); undefined for binary data or invalid text. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads `file` (absolute, or relative to `root`) when it is a regular file of at most `maxBytes`
 * whose real path is inside `root`. Never throws, never blocks on a FIFO, never reads past the limit.
 * The text must be UTF-8.
 */
export async function readWorkspaceFile(root: string, file: string, opts: ReadOptions): Promise<ReadOutcome> {
  const r = await readWorkspaceBytes(root, file, opts);
  if (!r.ok) return r;
  const text = decodeUtf8(r.bytes);
  if (text === undefined) return refused('not-text', r.name, 'is not UTF-8 text (binary, or another encoding); not read');
  return { ok: true, text, bytes: r.bytes.length };
}

/** readWorkspaceFile for binary content: the bytes, with the same checks. */
export interface ReadOptions {
  maxBytes: number;
  /**
   * The path came from a walk that never entered a link (readdir entries that are regular files):
   * no folder on the way is a link, so resolving the real path is skipped. The file itself is still
   * opened without following a link and checked to be regular.
   */
  walked?: boolean;
}

export async function readWorkspaceBytes(root: string, file: string, opts: ReadOptions & { head?: boolean }): Promise<{ ok: true; bytes: Buffer; name: string } | ReturnType<typeof refused>> {
  const name = path.isAbsolute(file) ? path.relative(root, file) || file : file;
  let realRoot: string;
  let real: string;
  try {
    if (opts.walked && !path.isAbsolute(file) && !file.split(/[\\/]/).includes('..')) {
      real = path.resolve(root, file);
      realRoot = path.resolve(root);
    } else {
      realRoot = await realRootOf(root);
      real = await fs.realpath(path.resolve(root, file));
    }
  } catch (e) {
    if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return refused('missing', name, 'does not exist');
    if (errCode(e) === 'ELOOP') return refused('link', name, 'is a symbolic link loop; not read');
    return refused('io', name, `cannot be read (${errMessage(e)})`);
  }
  if (!isInside(realRoot, real)) return refused('outside', name, 'links outside the workspace; not read');
  let fh: fs.FileHandle | undefined;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
    fh = await fs.open(real, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK);
    const st: Stats = await fh.stat();
    if (!st.isFile()) return refused('not-regular', name, 'is not a regular file (a FIFO, device, socket or folder); not read');
    if (st.size > opts.maxBytes && !opts.head) return refused('too-large', name, `is ${Math.ceil(st.size / 1024)} KB, over the ${Math.floor(opts.maxBytes / 1024)} KB limit; not read`);
    // Read at most maxBytes + 1 whatever the size said (files that grow, pseudo-files reporting 0).
    // One read of size + 1 bytes ends a regular file (a short read is its end); a file that grew is
    // read on, up to the limit.
    let buf = Buffer.allocUnsafe(Math.min(opts.maxBytes + 1, st.size + 1));
    let len = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, len, buf.length - len, len);
      len += bytesRead;
      if (bytesRead === 0 || len < buf.length || buf.length > opts.maxBytes) break;
      const bigger = Buffer.allocUnsafe(Math.min(opts.maxBytes + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    if (len > opts.maxBytes) {
      if (opts.head) return { ok: true, bytes: buf.subarray(0, opts.maxBytes), name };
      return refused('too-large', name, `is over the ${Math.floor(opts.maxBytes / 1024)} KB limit; not read`);
    }
    return { ok: true, bytes: buf.subarray(0, len), name };
  } catch (e) {
    if (errCode(e) === 'ELOOP') return refused('link', name, 'changed into a symbolic link while being read; not read');
    if (errCode(e) === 'EISDIR') return refused('not-regular', name, 'is a folder');
    return refused('io', name, `cannot be read (${errMessage(e)})`);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

export interface WriteOptions {
  /** What the file must hold now: its bytes (null: it must not exist), or a test of them; else the write is refused as 'changed'. */
  expected?: Buffer | null | ((current: Buffer | null) => boolean);
  /** Create missing folders (default true). */
  createFolders?: boolean;
}

/**
 * The folders from `root` down to `target`'s folder, each checked without following links: a link
 * or a non-folder on the way refuses the write. Missing folders are created when `create` is set.
 */
async function checkFolders(realRoot: string, targetDir: string, create: boolean): Promise<WriteOutcome | undefined> {
  const rel = path.relative(realRoot, targetDir);
  let cur = realRoot;
  for (const part of rel ? rel.split(path.sep) : []) {
    cur = path.join(cur, part);
    let st: Stats | undefined;
    try {
      st = await fs.lstat(cur);
    } catch (e) {
      if (errCode(e) !== 'ENOENT') return { ok: false, refusal: 'io', reason: `${path.relative(realRoot, cur)}: ${errMessage(e)}` };
    }
    if (!st) {
      if (!create) return { ok: false, refusal: 'missing', reason: `${path.relative(realRoot, cur)} does not exist` };
      try {
        await fs.mkdir(cur);
      } catch (e) {
        if (errCode(e) !== 'EEXIST') return { ok: false, refusal: 'io', reason: `cannot create ${path.relative(realRoot, cur)} (${errMessage(e)})` };
      }
      st = await fs.lstat(cur);
    }
    if (st.isSymbolicLink()) return { ok: false, refusal: 'link', reason: `${path.relative(realRoot, cur)} is a symbolic link; Perf Auditor does not write through links` };
    if (!st.isDirectory()) return { ok: false, refusal: 'not-regular', reason: `${path.relative(realRoot, cur)} is not a folder` };
  }
  return undefined;
}

/**
 * Writes `text` to `file` (relative to `root`, or absolute inside it) atomically: a temporary file in
 * the same folder, fsync, rename. Refuses a path outside the workspace, a link anywhere on the way or
 * as the target, and a target that is not a regular file. `expectedBytes` (optional) must equal the
 * file's current content (null: the file must not exist) — checked again just before the rename.
 */
export async function writeWorkspaceFile(root: string, file: string, text: string, opts: WriteOptions = {}): Promise<WriteOutcome> {
  let realRoot: string;
  try {
    realRoot = await realRootOf(root);
  } catch (e) {
    return { ok: false, refusal: 'io', reason: `the workspace folder cannot be resolved (${errMessage(e)})` };
  }
  // Lexical containment first: `..` or an absolute path elsewhere never reaches the file system.
  const lexical = path.resolve(path.resolve(root), file);
  if (!isInside(path.resolve(root), lexical) && !isInside(realRoot, lexical)) return { ok: false, refusal: 'outside', reason: `${file} is outside the workspace; not written` };
  const target = isInside(realRoot, lexical) ? lexical : path.join(realRoot, path.relative(path.resolve(root), lexical));
  return writeCheckedFile(realRoot, target, text, opts);
}

async function writeCheckedFile(base: string, target: string, text: string, opts: WriteOptions): Promise<WriteOutcome> {
  const name = path.relative(base, target) || path.basename(target);
  const dir = path.dirname(target);
  const bad = await checkFolders(base, dir, opts.createFolders ?? true);
  if (bad) return bad;
  let mode = 0o666;
  let tmp: string | undefined;
  try {
    const current = await currentTarget(target);
    if (current.kind === 'link') return { ok: false, refusal: 'link', reason: `${name} is a symbolic link; Perf Auditor does not write through links` };
    if (current.kind === 'other') return { ok: false, refusal: 'not-regular', reason: `${name} is not a regular file; not written` };
    if (opts.expected !== undefined && !sameContent(current, opts.expected)) return { ok: false, refusal: 'changed', reason: `${name} changed on disk since it was read; not written` };
    if (current.kind === 'file') mode = current.mode;
    tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const fh = await fs.open(tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, mode);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    const again = await currentTarget(target);
    if (again.kind === 'link' || again.kind === 'other' || (opts.expected !== undefined && !sameContent(again, opts.expected))) {
      return { ok: false, refusal: again.kind === 'link' ? 'link' : 'changed', reason: `${name} changed on disk while being written; not written` };
    }
    // rename replaces the directory entry itself: it never follows a link planted meanwhile.
    await fs.rename(tmp, target);
    tmp = undefined;
    return { ok: true, path: target };
  } catch (e) {
    return { ok: false, refusal: 'io', reason: `${name} cannot be written (${errMessage(e)})` };
  } finally {
    if (tmp) await fs.unlink(tmp).catch(() => undefined);
  }
}

type Current = { kind: 'missing' } | { kind: 'link' } | { kind: 'other' } | { kind: 'file'; mode: number; bytes: Buffer };

async function currentTarget(target: string): Promise<Current> {
  let st: Stats;
  try {
    st = await fs.lstat(target);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  if (st.isSymbolicLink()) return { kind: 'link' };
  if (!st.isFile()) return { kind: 'other' };
  const fh = await fs.open(target, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK);
  try {
    return { kind: 'file', mode: st.mode & 0o7777, bytes: await fh.readFile() };
  } finally {
    await fh.close();
  }
}

function sameContent(current: Current, expected: Buffer | null | ((current: Buffer | null) => boolean)): boolean {
  if (typeof expected === 'function') return current.kind === 'missing' ? expected(null) : current.kind === 'file' && expected(current.bytes);
  if (expected === null) return current.kind === 'missing';
  return current.kind === 'file' && current.bytes.equals(expected);
}

/**
 * Why writing `file` (absolute) would leave the workspace or go through a link — undefined when it is
 * safe. For editors that write through their own API (VS Code's WorkspaceEdit follows links): ask
 * this first. Folders that do not exist yet are fine (they will be created inside the workspace).
 */
export async function unsafeWriteTarget(root: string, file: string): Promise<string | undefined> {
  let realRoot: string;
  try {
    realRoot = await realRootOf(root);
  } catch (e) {
    return `the workspace folder cannot be resolved (${errMessage(e)})`;
  }
  const lexical = path.resolve(file);
  const base = isInside(path.resolve(root), lexical) ? path.resolve(root) : isInside(realRoot, lexical) ? realRoot : undefined;
  if (!base) return `${file} is outside the workspace`;
  let cur = base;
  for (const part of path.relative(base, lexical).split(path.sep).filter(Boolean)) {
    cur = path.join(cur, part);
    let st: Stats;
    try {
      st = await fs.lstat(cur);
    } catch (e) {
      if (errCode(e) === 'ENOENT') return undefined;
      return `${path.relative(base, cur)}: ${errMessage(e)}`;
    }
    if (st.isSymbolicLink()) return `${path.relative(base, cur)} is a symbolic link; Perf Auditor does not write through links`;
    if (cur !== lexical && !st.isDirectory()) return `${path.relative(base, cur)} is not a folder`;
    if (cur === lexical && !st.isFile()) return `${path.relative(base, cur)} is not a regular file`;
  }
  return undefined;
}

/**
 * Writes a CLI output (-o, --write-baseline). A relative path follows the workspace rules relative to
 * the current folder (no link on the way or as the target: a repository checked out in CI cannot
 * redirect the report); an absolute path is the user's explicit choice and is written as named
 * (`-o /dev/stdout` works).
 */
export async function writeOutputFile(file: string, text: string, cwd: string = process.cwd()): Promise<WriteOutcome> {
  if (path.isAbsolute(file)) {
    try {
      await fs.writeFile(file, text, 'utf8');
      return { ok: true, path: file };
    } catch (e) {
      return { ok: false, refusal: 'io', reason: `${file} cannot be written (${errMessage(e)})` };
    }
  }
  return writeWorkspaceFile(cwd, file, text, { createFolders: false });
}
