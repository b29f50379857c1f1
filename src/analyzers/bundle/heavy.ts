/**
 * Known heavy browser dependencies with lighter replacements, and whether a package.json describes
 * code that is bundled for the browser at all (a Node server's dependencies are not shipped).
 */
import { parseJsonText } from '../../kernel/json.js';

export interface HeavyPackage {
  name: string;
  /** Typical minified+gzip cost when bundled (KB), for messages. */
  gzipKb: number;
  why: string;
  alternatives: string;
}

export const HEAVY_PACKAGES: readonly HeavyPackage[] = [
  { name: 'moment', gzipKb: 72, why: 'is not tree-shakable and bundles every locale unless told otherwise (in maintenance mode since 2020)', alternatives: 'dayjs (2 KB, a moment-like API) or date-fns (tree-shakable functions)' },
  { name: 'moment-timezone', gzipKb: 100, why: 'ships the IANA time zone database on top of moment', alternatives: 'date-fns-tz, dayjs with its timezone plugin, or Intl.DateTimeFormat' },
  { name: 'lodash', gzipKb: 25, why: 'is CommonJS: importing it (even `import { debounce } from "lodash"`) bundles the whole library', alternatives: 'per-method imports (lodash/debounce), lodash-es (tree-shakable) or native methods' },
  { name: 'underscore', gzipKb: 7, why: 'is bundled whole', alternatives: 'native Array/Object methods or lodash-es' },
  { name: 'jquery', gzipKb: 30, why: 'is bundled whole for DOM helpers modern browsers have natively', alternatives: 'native DOM APIs (querySelector, fetch, classList)' },
  { name: 'core-js', gzipKb: 60, why: 'imported whole polyfills every feature, including those your browser targets support', alternatives: 'useBuiltIns: "usage" in @babel/preset-env, or polyfills for your browserslist only' },
];

export function heavyPackage(name: string): HeavyPackage | undefined {
  return HEAVY_PACKAGES.find((h) => h.name === name);
}

/** Packages whose duplication in a bundle matters even when they are not direct dependencies. */
export const BUNDLE_SENSITIVE = new Set(['react', 'react-dom', 'vue', 'lodash', 'lodash-es', 'moment', 'core-js', '@babel/runtime', 'tslib', 'regenerator-runtime', 'date-fns', 'rxjs', 'bn.js', 'immer', 'styled-components', '@emotion/react']);

const FRONTEND = /^(webpack|vite|esbuild|rollup|parcel|@parcel\/core|next|nuxt|react-scripts|@angular\/core|@angular\/cli|vue|svelte|@sveltejs\/kit|react|react-dom|preact|solid-js|astro|gatsby|@remix-run\/react|browserify|@vitejs\/.+|@rsbuild\/core|@rspack\/core|turbopack|snowpack|ember-cli|lit)$/;

/** A bundler, a UI framework or its renderer: a package that marks a project as bundled for the browser. */
export function isFrontendSignal(name: string): boolean {
  return FRONTEND.test(name);
}

export interface PackageJsonInfo {
  name?: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** Why we think it is bundled for the browser (first signal found), or undefined. */
  frontend?: string;
}

/** Why package.json text cannot be read (invalid or too deeply nested JSON, not an object), or undefined. */
export function packageJsonProblem(text: string): string | undefined {
  let j: unknown;
  try {
    j = parseJsonText(text);
  } catch (e) {
    return (e as Error).message;
  }
  return !j || typeof j !== 'object' || Array.isArray(j) ? 'not a JSON object' : undefined;
}

export function readPackageJson(text: string): PackageJsonInfo | undefined {
  let j: unknown;
  try {
    j = parseJsonText(text);
  } catch {
    return undefined;
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) return undefined;
  const o = j as Record<string, unknown>;
  const rec = (v: unknown): Record<string, string> => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {});
  const dependencies = rec(o.dependencies);
  const devDependencies = rec(o.devDependencies);
  const signal = [...Object.keys(dependencies), ...Object.keys(devDependencies)].find((n) => FRONTEND.test(n));
  const frontend = signal ?? (o.browserslist !== undefined ? 'browserslist' : typeof o.browser === 'string' || (o.browser && typeof o.browser === 'object') ? '"browser" field' : undefined);
  return { ...(typeof o.name === 'string' ? { name: o.name } : {}), dependencies, devDependencies, ...(frontend ? { frontend } : {}) };
}
