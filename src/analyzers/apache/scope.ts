/**
 * Which Apache files are judged together, and on which file a "missing" finding goes.
 *
 * - Server configs (httpd.conf, apache2.conf, mods-enabled/*.conf, virtual hosts…) are one group:
 *   a setting in any of them counts for all, and one finding goes on the primary file (httpd.conf /
 *   apache2.conf, else the first file with a <VirtualHost>, else the first file by path).
 * - When the workspace has server configs, .htaccess files are not judged on their own: the server
 *   config is the place for compression and caching (and .htaccess inherits it).
 * - Without server configs, each top-most .htaccess (no .htaccess in a parent folder) is judged
 *   with the .htaccess files below it. An .htaccess that denies all access (`Require all denied`,
 *   `Deny from all`) guards a folder that is not served and is skipped.
 */
import type { ApacheArtifact } from './gather.js';

export interface ApacheFile {
  path: string;
  artifact: ApacheArtifact;
}

export interface ApacheScope {
  /** The file the finding goes on. */
  primary: ApacheFile;
  /** Every file whose settings count for the primary file. */
  members: ApacheFile[];
}

const STRUCTURAL = new Set(['unclosed-section', 'mismatched-close', 'unmatched-close', 'too-deep']);

function dir(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

function primaryRank(f: ApacheFile): number {
  const b = f.path.slice(f.path.lastIndexOf('/') + 1);
  if (/^(httpd|apache2?)\.conf$/i.test(b)) return 0;
  if (f.artifact.facts.virtualHosts.length) return 1;
  return 2;
}

/**
 * The scope `path` is the primary file of, or undefined when the file is judged as part of
 * another file's scope (or not at all).
 */
export function apacheScopeOf(path: string, all: readonly ApacheFile[]): ApacheScope | undefined {
  const self = all.find((f) => f.path === path);
  // A file Apache refuses (a section never closed or closed by the wrong tag) is only reported by apache-parse-error.
  if (!self || self.artifact.config.errors.some((e) => STRUCTURAL.has(e.kind))) return undefined;
  const servers = all.filter((f) => f.artifact.kind === 'server');
  if (self.artifact.kind === 'server') {
    const sorted = [...servers].sort((a, b) => primaryRank(a) - primaryRank(b) || a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
    return sorted[0]?.path === path ? { primary: self, members: servers } : undefined;
  }
  if (servers.length || self.artifact.facts.deniesAll) return undefined;
  const served = all.filter((f) => f.artifact.kind === 'htaccess' && !f.artifact.facts.deniesAll);
  const d = dir(path);
  if (served.some((f) => f.path !== path && d.startsWith(dir(f.path)))) return undefined;
  return { primary: self, members: served.filter((f) => dir(f.path).startsWith(d)) };
}
