/**
 * Every file gatherer (config analyzers, bundles…), and the one test of which workspace files the
 * audit reads (used by the CLI's loader, the extension's watcher and the engine).
 */
import type { FileGatherer, WorkspaceView } from '../kernel/contracts.js';
import { isNginxPath, unreadIncludes } from './nginx/analyze.js';
import { sqlFileKind } from './sql/analyze.js';
import { CONFIG_FILE } from '../kernel/settings.js';
import { APACHE_GATHERERS } from './apache/gather.js';
import { HOSTING_GATHERERS } from './hosting/gather.js';
import { NGINX_GATHERERS } from './nginx/gather.js';
import { BUNDLE_GATHERERS } from './bundle/gather.js';
import { SERVER_GATHERERS } from './node-server/index.js';
import { POOL_GATHERERS } from './pools/index.js';

export const ALL_GATHERERS: readonly FileGatherer[] = [...APACHE_GATHERERS, ...HOSTING_GATHERERS, ...NGINX_GATHERERS, ...SERVER_GATHERERS, ...POOL_GATHERERS, ...BUNDLE_GATHERERS];

export function isRelevantPath(path: string, gatherers: readonly FileGatherer[] = ALL_GATHERERS): boolean {
  if (sqlFileKind(path) !== undefined) return true;
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === CONFIG_FILE) return true;
  return gatherers.some((g) => g.matches(path));
}

/** A file whose change may change what is included (an nginx config): includedPathsToRead is asked again. */
export function mayIncludeFiles(path: string): boolean {
  return isNginxPath(path);
}

/**
 * Files the audited files read although their paths are not relevant on their own (what nginx
 * configs include: `snippets/gzip.conf`, `h5bp/*.conf`, `*.inc`), resolved against `listing` (every
 * file of the workspace) and not yet in `ws`. The CLI loader and the extension read these too, and
 * call this again after reading them until nothing new is returned.
 */
export function includedPathsToRead(ws: WorkspaceView, listing: readonly string[]): string[] {
  return unreadIncludes(ws, listing);
}
