/**
 * `include` resolution against the workspace. nginx resolves a relative include against its
 * configuration prefix (the directory of nginx.conf); configs kept in a repository also use paths
 * relative to the including file, and absolute paths of the server (`/etc/nginx/conf.d/*.conf`)
 * that correspond to the repository's copy of that tree. Tried in order, the first that names
 * existing workspace files wins:
 *   1. relative: <confDir>/<path>, then <dir of the including file>/<path>;
 *   2. absolute: the part after the last `nginx*` (or `openresty`) directory, and a following
 *      `conf/`, under <confDir> (`/etc/nginx/conf.d/x.conf` → <confDir>/conf.d/x.conf);
 *   3. absolute: the longest tail of at least two components that ends a workspace path
 *      (`/srv/app/deploy/site.conf` → `…/deploy/site.conf`).
 * Globs (`*`, `?`, `[…]`) are matched like glob(3): `*` does not cross `/` or match a leading dot,
 * results are sorted. A glob matching nothing is not an error for nginx, and is not reported.
 */
import { globMatcher } from '../../kernel/glob.js';

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Joins and normalizes workspace-relative posix paths; undefined when `..` leaves the workspace. */
export function joinPath(dir: string, rel: string): string | undefined {
  const out: string[] = dir ? dir.split('/').filter((s) => s && s !== '.') : [];
  for (const seg of rel.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** The last folder before the first glob segment of an include pattern (`/etc/nginx/h5bp/*.conf` → `h5bp`). */
export function globFolder(pattern: string): string | undefined {
  const parts = pattern.split('/');
  const first = parts.findIndex((s) => isGlob(s));
  const dir = parts.slice(0, first < 0 ? parts.length - 1 : first).filter((s) => s && s !== '.' && s !== '..');
  return dir[dir.length - 1];
}

/** Folders meant to be filled on the server or left empty (nginx's own drop-in convention). */
export const DROP_IN_FOLDERS = /^(conf\.d|sites-enabled|sites-available|modules-enabled|modules-available|default\.d|stream\.d|nginx|conf|openresty)$/;

export function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Files nginx distributions ship next to nginx.conf: not reported when a repository does not carry them. */
const STOCK = /(^|\/)(mime\.types|fastcgi_params|fastcgi\.conf|proxy_params|scgi_params|uwsgi_params|koi-utf|koi-win|win-utf|snippets\/fastcgi-php\.conf|snippets\/snakeoil\.conf)$/;

export function isStockInclude(pattern: string): boolean {
  return STOCK.test(pattern) || /(^|\/)modules-enabled\//.test(pattern);
}

export interface IncludeResolution {
  files: string[];
  glob: boolean;
  /** Workspace paths tried, for messages. */
  tried: string[];
}

/** nginx globs are the shell's (glob(3)): no braces, no globstar, no negation, no dot-files by a wildcard. */
const GLOB_OPTIONS = { posix: true } as const;

export class IncludeResolver {
  private readonly set: Set<string>;
  private readonly memo = new Map<string, IncludeResolution>();

  constructor(private readonly paths: readonly string[]) {
    this.set = new Set(paths);
  }

  /** Does any workspace path have a folder of this name (the last folder of an include's glob)? */
  hasFolder(name: string): boolean {
    return this.paths.some((p) => p.startsWith(`${name}/`) || p.includes(`/${name}/`));
  }

  private match(full: string): string[] {
    if (!isGlob(full)) return this.set.has(full) ? [full] : [];
    const m = globMatcher(full, GLOB_OPTIONS);
    return this.paths.filter((p) => m(p)).sort();
  }

  private suffix(comps: string[]): string[] {
    for (let k = comps.length; k >= 2; k--) {
      const suf = comps.slice(-k).join('/');
      let found: string[];
      if (isGlob(suf)) {
        const m = globMatcher(suf, GLOB_OPTIONS);
        const n = suf.split('/').length;
        found = this.paths.filter((p) => {
          const parts = p.split('/');
          return parts.length >= n && m(parts.slice(-n).join('/'));
        });
      } else found = this.paths.filter((p) => p === suf || p.endsWith(`/${suf}`));
      if (found.length) return found.sort();
    }
    return [];
  }

  resolve(pattern: string, fromFile: string, confDir: string): IncludeResolution {
    const key = `${pattern}\u0000${fromFile}\u0000${confDir}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const tried: string[] = [];
    const attempt = (full: string | undefined): string[] => {
      if (full === undefined || tried.includes(full)) return [];
      tried.push(full);
      return this.match(full);
    };
    let files: string[] = [];
    if (pattern.startsWith('/')) {
      const comps = pattern.split('/').filter(Boolean);
      let at = -1;
      comps.forEach((c, i) => {
        if (i < comps.length - 1 && /^(nginx|openresty)/i.test(c)) at = i;
      });
      if (at >= 0) {
        let rest = comps.slice(at + 1);
        if (rest[0] === 'conf' && rest.length > 1) rest = rest.slice(1);
        files = attempt(joinPath(confDir, rest.join('/')));
      }
      if (!files.length) {
        tried.push(`…/${comps.slice(-2).join('/')}`);
        files = this.suffix(comps);
      }
    } else {
      files = attempt(joinPath(confDir, pattern));
      if (!files.length) files = attempt(joinPath(dirname(fromFile), pattern));
    }
    const r = { files, glob: isGlob(pattern), tried };
    this.memo.set(key, r);
    return r;
  }
}
