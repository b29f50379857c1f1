/** Reads a workspace folder from disk for the CLI and benchmarks (the extension feeds files itself). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SETTINGS_FILE, ignoreMatcher, parseSettingsWith, type SettingsProblem, type PerfAuditSettings } from './settings.js';
import type { AnalyzerRegistry } from './registry.js';
import { throwIfCancelled, type CancellationToken } from './cancel.js';
import { toPosix } from './text.js';
import { readWorkspaceFile } from './files.js';

/** .perfauditrc.json larger than this is not read (it is a few lines in practice). */
const MAX_SETTINGS_BYTES = 1024 * 1024;

export interface LoadedWorkspace {
  root: string;
  settings: PerfAuditSettings;
  settingsProblems: SettingsProblem[];
  files: { path: string; text: string }[];
  /** Files over maxFileSizeKb: not read, reported as skipped. */
  oversized: { path: string; bytes: number }[];
  /** Files not read, with why (without the file's name): links out of the workspace, FIFOs, devices, invalid UTF-8. */
  unreadable: { path: string; reason: string }[];
  /** Every file of the folder that is not ignored, read or not (absent for a single file). */
  listing?: string[];
}

export async function loadSettings(registry: AnalyzerRegistry, root: string): Promise<{ settings: PerfAuditSettings; problems: SettingsProblem[] }> {
  const parse = (text: string): { settings: PerfAuditSettings; problems: SettingsProblem[] } => parseSettingsWith(text, registry.knownRuleIds);
  const r = await readWorkspaceFile(root, SETTINGS_FILE, { maxBytes: MAX_SETTINGS_BYTES });
  if (r.ok) return parse(r.text);
  if (r.refusal === 'missing') return parse('{}');
  return { ...parse('{}'), problems: [{ message: `${r.reason}; using the default settings`, offset: 0 }] };
}

/**
 * Walks `root` (iteratively, no symlink following), returning the files rules care about: those
 * relevant by their path, then the files these include (nginx `include snippets/gzip.conf;`), read
 * with the same limits.
 */
export async function loadWorkspace(registry: AnalyzerRegistry, root: string, token?: CancellationToken): Promise<LoadedWorkspace> {
  const abs = path.resolve(root);
  const isDir = (await fs.stat(abs)).isDirectory();
  const { settings: config, problems } = await loadSettings(registry, isDir ? abs : path.dirname(abs));
  const ignored = ignoreMatcher(config);
  const files: LoadedWorkspace['files'] = [];
  const oversized: LoadedWorkspace['oversized'] = [];
  const unreadable: LoadedWorkspace['unreadable'] = [];
  const stat = await fs.stat(abs);
  const stack: string[] = stat.isDirectory() ? [''] : [];
  if (!stat.isDirectory()) {
    // A single file audited on its own.
    const name = path.basename(abs);
    const r = await readWorkspaceFile(path.dirname(abs), name, { maxBytes: config.maxFileSizeKb * 1024 });
    if (r.ok) files.push({ path: name, text: r.text });
    else if (r.refusal === 'too-large') oversized.push({ path: name, bytes: stat.size });
    else unreadable.push({ path: name, reason: r.why });
    return { root: path.dirname(abs), settings: config, settingsProblems: problems, files, oversized, unreadable };
  }
  const limit = config.maxFileSizeKb * 1024;
  /** Every file of the workspace that is not ignored, read or not. */
  const listing: string[] = [];
  const pending: Promise<void>[] = [];
  // Through the kernel's file layer: regular files inside the workspace only, bounded, FIFO-safe.
  // Oversized files are registered (the engine reports them as skipped) but not read.
  const walkedFiles = new Set<string>();
  const readOne = async (childRel: string): Promise<void> => {
    const r = await readWorkspaceFile(abs, childRel, { maxBytes: limit, walked: walkedFiles.has(childRel) });
    if (r.ok) files.push({ path: childRel, text: r.text });
    else if (r.refusal === 'too-large') oversized.push({ path: childRel, bytes: await fs.lstat(path.join(abs, childRel)).then((s) => s.size, () => limit + 1) });
    else if (r.refusal !== 'missing') unreadable.push({ path: childRel, reason: r.why });
  };
  while (stack.length) {
    throwIfCancelled(token);
    const rel = stack.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(abs, rel), { withFileTypes: true });
    } catch (e) {
      unreadable.push({ path: rel || '.', reason: (e as Error).message });
      continue;
    }
    for (const ent of entries) {
      const childRel = toPosix(rel ? `${rel}/${ent.name}` : ent.name);
      if (ent.isDirectory()) {
        if (!ignored(`${childRel}/`) && !ignored(`${childRel}/x`)) stack.push(childRel);
      } else if ((ent.isFile() || ent.isSymbolicLink() || ent.isFIFO() || ent.isCharacterDevice() || ent.isBlockDevice()) && !ignored(childRel)) {
        // Links to folders are never entered; links to files are read only when their target is a
        // regular file inside the workspace (readOne refuses the rest, naming the file).
        if (ent.isSymbolicLink() && await fs.stat(path.join(abs, childRel)).then((s) => s.isDirectory(), () => false)) continue;
        listing.push(childRel);
        if (ent.isFile()) walkedFiles.add(childRel);
        if (!registry.isRelevantPath(childRel)) continue;
        pending.push(readOne(childRel));
        if (pending.length >= 64) await Promise.all(pending.splice(0));
      }
    }
  }
  await Promise.all(pending);
  // Included files, and the files those include in turn (bounded like nginx's include nesting).
  for (let round = 0; round <= registry.maxIncludeDepth; round++) {
    throwIfCancelled(token);
    const texts = new Map(files.map((f) => [f.path, f.text]));
    const held = [...texts.keys(), ...oversized.map((f) => f.path), ...unreadable.map((f) => f.path)];
    const more = registry.includedPathsToRead({ paths: () => held, textOf: (p) => texts.get(p) }, listing);
    if (!more.length) break;
    await Promise.all(more.map(readOne));
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { root: abs, settings: config, settingsProblems: problems, files, oversized, unreadable, listing };
}
