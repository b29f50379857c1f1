/**
 * Text-file gatherers of the bundle analyzer (build outputs themselves are binary or huge and go
 * through core/bundle/analyze.ts instead). Each returns an artifact only where there is something
 * to judge, so the checklist counts real evidence:
 * - bundle-manifest: a frontend package.json (one with a bundler / framework) that lists a known heavy package;
 * - bundle-lockfile: the lockfile of a frontend project (package-lock.json, pnpm-lock.yaml, yarn.lock);
 *   it also matches package.json so that a change there re-checks the lockfile;
 * - bundle-imports: JS/TS files that import all of lodash;
 * - bundle-markup: HTML / JSX / Vue / Svelte files with `<img>` elements.
 */
import type { FileGatherer } from '../rules/rule.js';
import { readPackageJson, heavyPackage, type PackageJsonInfo } from '../bundle/heavy.js';
import { lockfileKind, parseLockfile, type Lockfile } from '../bundle/lockfiles.js';
import { findImports, type ImportRef } from '../bundle/imports.js';
import { htmlImages, jsxImages, type ImgTag } from '../bundle/img-lazy.js';
import { dirname, posixJoin } from '../bundle/paths.js';

export const BUNDLE_MANIFEST_GATHERER_ID = 'bundle-manifest';
export const BUNDLE_LOCKFILE_GATHERER_ID = 'bundle-lockfile';
export const BUNDLE_IMPORTS_GATHERER_ID = 'bundle-imports';
export const BUNDLE_MARKUP_GATHERER_ID = 'bundle-markup';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

export const bundleManifestGatherer: FileGatherer<PackageJsonInfo> = {
  id: BUNDLE_MANIFEST_GATHERER_ID,
  description: 'frontend package.json files',
  // tsconfig.json is read by the lodash rule (esModuleInterop); matching it makes the engine load it.
  matches: (p) => base(p) === 'package.json' || base(p) === 'tsconfig.json',
  gather(path, text) {
    if (base(path) !== 'package.json') return undefined;
    const info = readPackageJson(text);
    if (!info?.frontend) return undefined;
    return Object.keys(info.dependencies).some((n) => heavyPackage(n)) ? info : undefined;
  },
};

export interface LockfileArtifact {
  lock: Lockfile;
  /** The package.json beside the lockfile. */
  pkg: PackageJsonInfo;
  pkgPath: string;
}

export const bundleLockfileGatherer: FileGatherer<LockfileArtifact> = {
  id: BUNDLE_LOCKFILE_GATHERER_ID,
  description: 'lockfiles of frontend projects',
  workspaceDependent: true,
  matches: (p) => lockfileKind(p) !== undefined || base(p) === 'package.json',
  gather(path, text, ws) {
    if (!lockfileKind(path)) return undefined;
    const pkgPath = posixJoin(dirname(path), 'package.json');
    const pkgText = ws.textOf(pkgPath);
    const pkg = pkgText !== undefined ? readPackageJson(pkgText) : undefined;
    if (!pkg?.frontend) return undefined;
    const lock = parseLockfile(path, text);
    return lock && lock.packages.length ? { lock, pkg, pkgPath } : undefined;
  },
};

export interface ImportsArtifact {
  /** Imports of the whole lodash package (not lodash/method, not lodash-es). */
  lodash: ImportRef[];
}

const CODE = /\.(m|c)?[jt]sx?$/;

export const bundleImportsGatherer: FileGatherer<ImportsArtifact> = {
  id: BUNDLE_IMPORTS_GATHERER_ID,
  description: 'JS/TS files importing all of lodash',
  matches: (p) => CODE.test(p) && !p.endsWith('.d.ts'),
  gather(path, text) {
    if (!/['"`]lodash['"`]/.test(text)) return undefined;
    const lodash = findImports(text, { jsx: !/\.(m|c)?ts$/.test(path) }).filter((i) => i.specifier === 'lodash' && !i.typeOnly);
    return lodash.length ? { lodash } : undefined;
  },
};

export interface MarkupArtifact {
  kind: 'html' | 'jsx';
  images: ImgTag[];
}

export const bundleMarkupGatherer: FileGatherer<MarkupArtifact> = {
  id: BUNDLE_MARKUP_GATHERER_ID,
  description: 'HTML/JSX files with images',
  matches: (p) => /\.(html?|vue|svelte|astro|jsx|tsx|js|mjs)$/i.test(p),
  gather(path, text) {
    if (!/<img\b/i.test(text)) return undefined;
    const html = /\.(html?|vue|svelte|astro)$/i.test(path);
    const images = html ? htmlImages(text, { templates: !/\.html?$/i.test(path) }) : jsxImages(text);
    return images.length ? { kind: html ? 'html' : 'jsx', images } : undefined;
  },
};

export const BUNDLE_GATHERERS: FileGatherer[] = [bundleManifestGatherer, bundleLockfileGatherer, bundleImportsGatherer, bundleMarkupGatherer];
