/**
 * Every file gatherer (config analyzers, bundles…), and the one test of which workspace files the
 * audit reads (used by the CLI's loader, the extension's watcher and the engine).
 */
import type { FileGatherer } from '../rules/rule.js';
import { sqlFileKind } from '../sql/analyze.js';
import { CONFIG_FILE } from '../config.js';
import { APACHE_GATHERERS } from './apache.js';
import { HOSTING_GATHERERS } from './hosting.js';
import { NGINX_GATHERERS } from './nginx.js';
import { BUNDLE_GATHERERS } from './bundle.js';
import { SERVER_GATHERERS } from '../rules/server/index.js';
import { POOL_GATHERERS } from '../rules/pool/index.js';

export const ALL_GATHERERS: readonly FileGatherer[] = [...APACHE_GATHERERS, ...HOSTING_GATHERERS, ...NGINX_GATHERERS, ...SERVER_GATHERERS, ...POOL_GATHERERS, ...BUNDLE_GATHERERS];

export function isRelevantPath(path: string, gatherers: readonly FileGatherer[] = ALL_GATHERERS): boolean {
  if (sqlFileKind(path) !== undefined) return true;
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === CONFIG_FILE) return true;
  return gatherers.some((g) => g.matches(path));
}
