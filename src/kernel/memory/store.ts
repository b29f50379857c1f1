/**
 * File I/O for the workspace memory (`.superagent/memory/*.md`): bounded, decoding-safe reads with
 * a content hash per file, and atomic writes that never overwrite a file changed on disk since it
 * was read. The only part of the memory layer that touches the file system (node:fs/promises);
 * no `vscode`.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const MEMORY_DIR = path.join('.superagent', 'memory');
/** Files larger than this are skipped (with a warning) and never rewritten. */
export const MAX_MEMORY_FILE_BYTES = 1024 * 1024;
/** At most this many *.md files are read from the directory. */
export const MAX_MEMORY_FILES = 100;

export interface StoredMemoryFile {
  /** File name, e.g. "insights.md". */
  name: string;
  /** Absolute path. */
  path: string;
  /** Decoded UTF-8 text (a BOM is kept as U+FEFF). */
  text: string;
  /** sha256 (hex) of the bytes on disk; pass it back to writeMemoryFile. */
  hash: string;
  mtimeMs: number;
  size: number;
}

export interface MemoryDirRead {
  dir: string;
  exists: boolean;
  files: StoredMemoryFile[];
  warnings: string[];
}

export type ReadFileResult =
  | { status: 'ok'; file: StoredMemoryFile }
  | { status: 'missing' }
  | { status: 'skipped'; reason: string };

export type WriteResult =
  | { status: 'written'; hash: string }
  /** The file already had exactly this content: nothing was written. */
  | { status: 'unchanged'; hash: string }
  /** The file on disk is not the one that was read (currentHash null: it does not exist): nothing was written. */
  | { status: 'conflict'; currentHash: string | null }
  | { status: 'error'; message: string };

export type UpdateResult = WriteResult & { attempts: number; text?: string };

export function memoryDir(root: string): string {
  return path.join(root, MEMORY_DIR);
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function hashText(text: string): string {
  return hashBytes(Buffer.from(text, 'utf8'));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isCode = (e: unknown, code: string) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;

/** Decode strict UTF-8 (keeping a BOM); undefined for binary or invalid text. */
function decode(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Read one memory file: 'skipped' when too large, binary or not UTF-8 (it must then not be rewritten). */
export async function readMemoryFile(file: string, opts: { maxBytes?: number } = {}): Promise<ReadFileResult> {
  const maxBytes = opts.maxBytes ?? MAX_MEMORY_FILE_BYTES;
  const name = path.basename(file);
  let st;
  try {
    st = await fs.stat(file);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return { status: 'missing' };
    return { status: 'skipped', reason: `${name}: cannot be read (${message(e)})` };
  }
  if (!st.isFile()) return { status: 'skipped', reason: `${name}: not a regular file` };
  if (st.size > maxBytes) return { status: 'skipped', reason: `${name}: skipped, larger than ${Math.round(maxBytes / 1024)} KB` };
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return { status: 'missing' };
    return { status: 'skipped', reason: `${name}: cannot be read (${message(e)})` };
  }
  if (bytes.length > maxBytes) return { status: 'skipped', reason: `${name}: skipped, larger than ${Math.round(maxBytes / 1024)} KB` };
  const text = decode(bytes);
  if (text === undefined) return { status: 'skipped', reason: `${name}: skipped, not UTF-8 text` };
  return { status: 'ok', file: { name, path: path.resolve(file), text, hash: hashBytes(bytes), mtimeMs: st.mtimeMs, size: bytes.length } };
}

/** Read `<root>/.superagent/memory/*.md` (not recursive), sorted by name. Never throws. */
export async function readMemoryDir(root: string, opts: { maxBytes?: number; maxFiles?: number } = {}): Promise<MemoryDirRead> {
  const dir = memoryDir(root);
  const out: MemoryDirRead = { dir, exists: false, files: [], warnings: [] };
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.toLowerCase().endsWith('.md')).sort();
    out.exists = true;
  } catch (e) {
    if (!isCode(e, 'ENOENT') && !isCode(e, 'ENOTDIR')) out.warnings.push(`${MEMORY_DIR}: cannot be read (${message(e)})`);
    return out;
  }
  const maxFiles = opts.maxFiles ?? MAX_MEMORY_FILES;
  if (names.length > maxFiles) {
    out.warnings.push(`${MEMORY_DIR}: ${names.length} markdown files, only the first ${maxFiles} read`);
    names = names.slice(0, maxFiles);
  }
  for (const n of names) {
    const r = await readMemoryFile(path.join(dir, n), opts);
    if (r.status === 'ok') out.files.push(r.file);
    else if (r.status === 'skipped') out.warnings.push(r.reason);
  }
  return out;
}

/** Current hash of the file (null when it does not exist). */
async function currentHash(file: string): Promise<string | null> {
  try {
    return hashBytes(await fs.readFile(file));
  } catch (e) {
    if (isCode(e, 'ENOENT')) return null;
    throw e;
  }
}

/** Write through a symlink to its target (rename would replace the link itself). */
async function resolveTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Atomically replace `file` with `newText` (UTF-8): temp file in the same directory, fsync, rename.
 * Refuses ('conflict', nothing written) when the file's current bytes do not hash to `expectedHash`
 * (null: the file must not exist). The directory is created when missing. The check is repeated
 * just before the rename; a writer racing within that window can still be lost (no OS locking).
 */
export async function writeMemoryFile(file: string, newText: string, expectedHash: string | null): Promise<WriteResult> {
  const target = await resolveTarget(file);
  const dir = path.dirname(target);
  let tmp: string | undefined;
  try {
    const before = await currentHash(target);
    if (before !== expectedHash) return { status: 'conflict', currentHash: before };
    const bytes = Buffer.from(newText, 'utf8');
    const hash = hashBytes(bytes);
    if (before === hash) return { status: 'unchanged', hash };
    await fs.mkdir(dir, { recursive: true });
    let mode: number | undefined;
    try {
      mode = (await fs.stat(target)).mode & 0o7777;
    } catch {
      mode = undefined;
    }
    tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const fh = await fs.open(tmp, 'wx', mode ?? 0o666);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (mode !== undefined) await fs.chmod(tmp, mode).catch(() => undefined);
    const again = await currentHash(target);
    if (again !== expectedHash) {
      await fs.unlink(tmp).catch(() => undefined);
      tmp = undefined;
      return { status: 'conflict', currentHash: again };
    }
    await fs.rename(tmp, target);
    tmp = undefined;
    await syncDir(dir);
    return { status: 'written', hash };
  } catch (e) {
    if (tmp) await fs.unlink(tmp).catch(() => undefined);
    return { status: 'error', message: message(e) };
  }
}

async function syncDir(dir: string): Promise<void> {
  // Persist the rename; not possible on every platform (e.g. Windows), so best effort.
  try {
    const fh = await fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * Read the file, apply `transform` (undefined: the file does not exist) and write the result
 * atomically. When the file changes between the read and the write, it is read again and the
 * transform re-applied to the newer text (our transforms only touch our own blocks, so that is the
 * merge), up to `retries` more times; after that the result is 'conflict' and nothing is written.
 * A file that is too large or not UTF-8 is never rewritten ('error').
 */
export async function updateMemoryFile(
  file: string,
  transform: (current: string | undefined) => string,
  opts: { retries?: number; maxBytes?: number } = {},
): Promise<UpdateResult> {
  const retries = Math.max(0, opts.retries ?? 1);
  let last: WriteResult = { status: 'error', message: 'not attempted' };
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const r = await readMemoryFile(await resolveTarget(file), opts);
    if (r.status === 'skipped') return { status: 'error', message: r.reason, attempts: attempt };
    const current = r.status === 'ok' ? r.file.text : undefined;
    let text: string;
    try {
      text = transform(current);
    } catch (e) {
      return { status: 'error', message: `update failed: ${message(e)}`, attempts: attempt };
    }
    last = await writeMemoryFile(file, text, r.status === 'ok' ? r.file.hash : null);
    if (last.status !== 'conflict') return { ...last, attempts: attempt, ...(last.status === 'error' ? {} : { text }) };
  }
  return { ...last, attempts: retries + 1 };
}
