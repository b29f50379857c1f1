/** Reads a workspace folder from disk for the CLI and benchmarks (the extension feeds files itself). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SETTINGS_FILE, ignoreMatcher, parseSettingsWith, type SettingsProblem, type PerfAuditSettings } from './settings.js';
import type { AnalyzerRegistry } from './registry.js';
import { throwIfCancelled, type CancellationToken } from './cancel.js';
import { toPosix } from './text.js';

export interface LoadedWorkspace {
  root: string;
  settings: PerfAuditSettings;
  settingsProblems: SettingsProblem[];
  files: { path: string; text: string }[];
  /** Files over maxFileSizeKb: not read, reported as skipped. */
  oversized: { path: string; bytes: number }[];
  /** Files not read, with why. */
  unreadable: { path: string; reason: string }[];
}

export async function loadSettings(registry: AnalyzerRegistry, root: string): Promise<{ settings: PerfAuditSettings; problems: SettingsProblem[] }> {
  const parse = (text: string): { settings: PerfAuditSettings; problems: SettingsProblem[] } => parseSettingsWith(text, registry.knownRuleIds);
  try {
    const text = await fs.readFile(path.join(root, SETTINGS_FILE), 'utf8');
    return parse(text);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return parse('{}');
    return { ...parse('{}'), problems: [{ message: `${SETTINGS_FILE}: ${(e as Error).message}`, offset: 0 }] };
  }
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
    const text = await fs.readFile(abs, 'utf8');
    return { root: path.dirname(abs), settings: config, settingsProblems: problems, files: [{ path: path.basename(abs), text }], oversized, unreadable };
  }
  const limit = config.maxFileSizeKb * 1024;
  /** Every file of the workspace that is not ignored, read or not. */
  const listing: string[] = [];
  const pending: Promise<void>[] = [];
  const readOne = async (childRel: string): Promise<void> => {
    try {
      const st = await fs.stat(path.join(abs, childRel));
      // Oversized files are registered (the engine reports them as skipped) but not read.
      if (st.size > limit) oversized.push({ path: childRel, bytes: st.size });
      else files.push({ path: childRel, text: await fs.readFile(path.join(abs, childRel), 'utf8') });
    } catch (e) {
      unreadable.push({ path: childRel, reason: (e as Error).message });
    }
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
      } else if (ent.isFile() && !ignored(childRel)) {
        listing.push(childRel);
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
  return { root: abs, settings: config, settingsProblems: problems, files, oversized, unreadable };
}
