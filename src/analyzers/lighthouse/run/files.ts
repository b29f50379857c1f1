/**
 * The workspace as `locateFindings` reads it, from the file system (CLI, tests): a bounded walk
 * listing paths (no reads), and lazy reads of text files.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceFiles } from '../locate.js';

const SKIP = new Set(['node_modules', '.git', '.hg', '.svn', 'coverage', '.cache', '.vscode-test', '.next', '.nuxt', '.turbo', '.superagent', 'bower_components', '__pycache__', '.venv', 'venv', 'target']);
export const MAX_WALK_FILES = 20_000;
export const MAX_READ_BYTES = 1024 * 1024;

export async function listFiles(root: string, maxFiles = MAX_WALK_FILES): Promise<string[]> {
  const out: string[] = [];
  const queue: string[] = [''];
  while (queue.length && out.length < maxFiles) {
    const rel = queue.shift()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) queue.push(p);
      } else if (e.isFile()) {
        out.push(p);
        if (out.length >= maxFiles) break;
      }
    }
  }
  return out;
}

/** Reads a text file (undefined when missing, larger than MAX_READ_BYTES or binary). */
export async function readText(file: string): Promise<string | undefined> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || st.size > MAX_READ_BYTES) return undefined;
    const buf = await fs.readFile(file);
    if (buf.includes(0)) return undefined;
    return buf.toString('utf8');
  } catch {
    return undefined;
  }
}

export async function fsWorkspace(root: string, maxFiles = MAX_WALK_FILES): Promise<WorkspaceFiles> {
  const paths = await listFiles(root, maxFiles);
  return { paths, read: (p) => readText(path.join(root, ...p.split('/'))) };
}
