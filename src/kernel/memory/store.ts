/**
 * File I/O for the workspace memory (`.superagent/memory/*.md`): bounded, decoding-safe reads with
 * a content hash per file, and atomic writes that never overwrite a file changed on disk since it
 * was read. The only part of the memory layer that touches the file system (node:fs/promises);
 * no `vscode`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { readWorkspaceBytes, writeWorkspaceFile, decodeUtf8 } from '../files.js';

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

/**
 * Read one memory file: 'skipped' when too large, binary, not UTF-8, not a regular file, or a link
 * that leaves the workspace (it must then not be rewritten).
 */
export async function readMemoryFile(file: string, opts: { maxBytes?: number } = {}): Promise<ReadFileResult> {
  const maxBytes = opts.maxBytes ?? MAX_MEMORY_FILE_BYTES;
  const name = path.basename(file);
  const root = workspaceOf(file);
  let st;
  try {
    st = await fs.lstat(file);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return { status: 'missing' };
    return { status: 'skipped', reason: `${name}: cannot be read (${message(e)})` };
  }
  if (st.isSymbolicLink()) return { status: 'skipped', reason: `${name}: a symbolic link; Perf Auditor neither reads nor rewrites linked memory files` };
  const r = await readWorkspaceBytes(root, path.resolve(file), { maxBytes });
  if (!r.ok) {
    if (r.refusal === 'missing') return { status: 'missing' };
    if (r.refusal === 'too-large') return { status: 'skipped', reason: `${name}: skipped, larger than ${Math.round(maxBytes / 1024)} KB` };
    return { status: 'skipped', reason: `${name}: ${r.why}` };
  }
  const text = decodeUtf8(r.bytes);
  if (text === undefined) return { status: 'skipped', reason: `${name}: skipped, not UTF-8 text` };
  return { status: 'ok', file: { name, path: path.resolve(file), text, hash: hashBytes(r.bytes), mtimeMs: st.mtimeMs, size: r.bytes.length } };
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

/**
 * The workspace a memory file belongs to: `<root>/.superagent/memory/<name>` → `<root>` (any other
 * path: its own folder). Writes never leave it and never follow a link (kernel/files.ts).
 */
function workspaceOf(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return path.basename(dir) === 'memory' && path.basename(path.dirname(dir)) === '.superagent' ? path.dirname(path.dirname(dir)) : dir;
}

/**
 * Atomically replace `file` with `newText` (UTF-8): temp file in the same directory, fsync, rename.
 * Refuses ('conflict', nothing written) when the file's current bytes do not hash to `expectedHash`
 * (null: the file must not exist). The directory is created when missing. The check is repeated
 * just before the rename; a writer racing within that window can still be lost (no OS locking).
 * A memory file or folder that is a symbolic link is never written through ('error'): a repository
 * could link insights.md to any file the user can write.
 */
export async function writeMemoryFile(file: string, newText: string, expectedHash: string | null): Promise<WriteResult> {
  const root = workspaceOf(file);
  const hash = hashText(newText);
  let before: string | null = null;
  const r = await writeWorkspaceFile(root, path.relative(root, path.resolve(file)), newText, {
    expected: (current) => {
      before = current === null ? null : hashBytes(current);
      return before === expectedHash && before !== hash;
    },
  });
  if (r.ok) {
    await syncDir(path.dirname(r.path));
    return { status: 'written', hash };
  }
  if (r.refusal === 'changed') return before === hash && before === expectedHash ? { status: 'unchanged', hash } : { status: 'conflict', currentHash: before };
  return { status: 'error', message: r.reason };
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
    const r = await readMemoryFile(file, opts);
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
