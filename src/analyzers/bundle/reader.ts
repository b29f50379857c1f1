/** File readers for the bundle analyzer: Node's fs under a root folder (CLI, benchmarks) and an in-memory map (tests). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BundleFileReader, DirEntry } from './types.js';
import { isInside, readWorkspaceBytes, realRootOf } from '../../kernel/files.js';

/** The largest build file read whole (the analysis itself stops earlier, at bundle.maxFileMb). */
const MAX_BUNDLE_FILE_BYTES = 512 * 1024 * 1024;

function inside(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  if (abs !== root && !abs.startsWith(root + path.sep)) throw new Error(`path outside the workspace: ${rel}`);
  return abs;
}

/** Reads under `root`; symbolic links to folders are not followed (no cycles, no escaping the workspace). */
export function nodeFileReader(root: string): BundleFileReader {
  const base = path.resolve(root);
  return {
    async readDir(rel) {
      try {
        const entries = await fs.readdir(inside(base, rel), { withFileTypes: true });
        return entries.filter((e) => e.isFile() || e.isDirectory()).map((e): DirEntry => ({ name: e.name, kind: e.isDirectory() ? 'dir' : 'file' }));
      } catch {
        return undefined;
      }
    },
    // Files are read through the kernel's file layer: links that leave the workspace, FIFOs and
    // devices are refused (a linked stats.json must not bring /etc/passwd into a report).
    async stat(rel) {
      try {
        const real = await fs.realpath(inside(base, rel));
        if (!isInside(await realRootOf(base), real)) return undefined;
        const st = await fs.stat(real);
        return st.isFile() ? { size: st.size } : undefined;
      } catch {
        return undefined;
      }
    },
    async readFile(rel) {
      const r = await readWorkspaceBytes(base, inside(base, rel), { maxBytes: MAX_BUNDLE_FILE_BYTES });
      if (!r.ok) throw new Error(r.reason);
      return r.bytes;
    },
    async readHead(rel, bytes) {
      const r = await readWorkspaceBytes(base, inside(base, rel), { maxBytes: bytes, head: true });
      if (!r.ok) throw new Error(r.reason);
      return r.bytes;
    },
  };
}

/** An in-memory workspace: path → contents (string or bytes). */
export function memoryFileReader(files: Record<string, string | Uint8Array>): BundleFileReader {
  const data = new Map(Object.entries(files).map(([p, v]) => [p, typeof v === 'string' ? new TextEncoder().encode(v) : v]));
  return {
    readDir(dir) {
      const prefix = dir ? `${dir}/` : '';
      const out = new Map<string, DirEntry>();
      for (const p of data.keys()) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length).split('/');
        out.set(rest[0], { name: rest[0], kind: rest.length > 1 ? 'dir' : 'file' });
      }
      return Promise.resolve(out.size || !dir ? [...out.values()] : undefined);
    },
    stat(p) {
      const d = data.get(p);
      return Promise.resolve(d ? { size: d.length } : undefined);
    },
    readFile(p) {
      const d = data.get(p);
      return d ? Promise.resolve(d) : Promise.reject(new Error(`ENOENT: ${p}`));
    },
  };
}
