/**
 * Rule documentation ships with Perf Auditor (docs/rules/<id>.md beside dist/ in the extension and
 * the npm package), so every link works offline and no link points at a site that does not exist.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The docs page of a rule, relative to the package root. */
export function ruleDocsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

let packageRoot: string | undefined;

/** The installed package's root: the folder holding docs/ (dist/../ in a build, the repository when run from sources). */
export function installedPackageRoot(): string {
  if (packageRoot) return packageRoot;
  const candidates = [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')];
  packageRoot = candidates.find((c) => existsSync(path.join(c, 'docs', 'rules'))) ?? candidates[0];
  return packageRoot;
}

/** The absolute path of a rule's bundled docs page. */
export function ruleDocsFile(ruleId: string): string {
  return path.join(installedPackageRoot(), ruleDocsPath(ruleId));
}

/** A file: URL of a rule's bundled docs page (for reports opened on this machine). */
export function ruleDocsFileUrl(ruleId: string): string {
  return pathToFileURL(ruleDocsFile(ruleId)).href;
}
