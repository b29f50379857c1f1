/**
 * Finds the package an import resolves to the way Node does: `node_modules/<name>` in the importing
 * file's folder and each parent (nested installs, hoisted workspaces), following symbolic links to
 * the real folder (pnpm's `.pnpm/<name>@<version>/node_modules/<name>`). Results are cached briefly.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseJsonText } from '../../../kernel/json.js';

export interface ResolvedPackage {
  name: string;
  version: string;
  /** Real folder of the package. */
  dir: string;
  peerDependencies: string[];
  /** Ships ES modules a bundler would pick (type: module, a "module" field, or an "import" condition). */
  esm: boolean;
}

const TTL_MS = 10_000;

export class PackageResolver {
  private readonly cache = new Map<string, { at: number; value: Promise<ResolvedPackage | undefined> }>();

  resolve(fromDir: string, name: string): Promise<ResolvedPackage | undefined> {
    const key = `${fromDir}\u0000${name}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = this.lookup(fromDir, name);
    this.cache.set(key, { at: Date.now(), value });
    if (this.cache.size > 5000) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  clear(): void {
    this.cache.clear();
  }

  private async lookup(fromDir: string, name: string): Promise<ResolvedPackage | undefined> {
    for (let dir = path.resolve(fromDir); ; ) {
      if (path.basename(dir) !== 'node_modules') {
        const candidate = path.join(dir, 'node_modules', name, 'package.json');
        try {
          const text = await fs.readFile(candidate, 'utf8');
          const pkg = parseJsonText(text) as { version?: unknown; peerDependencies?: Record<string, unknown>; type?: unknown; module?: unknown; exports?: unknown };
          const real = await fs.realpath(path.dirname(candidate));
          const esm = pkg.type === 'module' || typeof pkg.module === 'string' || (!!pkg.exports && typeof pkg.exports === 'object' && JSON.stringify(pkg.exports).includes('"import"'));
          return { name, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0', dir: real, peerDependencies: Object.keys(pkg.peerDependencies ?? {}), esm };
        } catch {
          // not here: try the parent folder
        }
      }
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}
