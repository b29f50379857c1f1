/**
 * Watched files: the globs (matched against a workspace-relative path below any folder) of the files
 * the audit may read. The registry unions every analyzer's `watch` globs with the kernel's own files;
 * the extension's file search, watcher and live-edit filter use the result, so the CLI and the editor
 * read the same files.
 */

/** Perf Auditor's own files in a workspace. */
export const KERNEL_WATCHED_GLOBS: readonly string[] = ['.perfauditrc.json', '.perfaudit-baseline.json'];

/** The glob for VS Code's file search and watcher. */
export function watchGlobOf(globs: readonly string[]): string {
  return `**/{${globs.join(',')}}`;
}

function globToRegExp(glob: string): string {
  return glob.split('**').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*');
}

/** A test of a path (workspace-relative or a URI path, `/` separators) against the globs, ignoring case as some gatherers do. */
export function watchedPathTest(globs: readonly string[]): (path: string) => boolean {
  const re = new RegExp(`(?:^|/)(?:${globs.map(globToRegExp).join('|')})$`, 'i');
  return (path) => re.test(path);
}
