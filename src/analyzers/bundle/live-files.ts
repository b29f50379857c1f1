/**
 * Which code files of a project an entry point reaches through relative and alias imports: a
 * component that no route, layout or other file imports (left behind after a redesign) never reaches
 * a bundle, and neither do the packages only it imports.
 *
 * Entries are known only for frameworks whose routing is by file: Next.js (every file under `app/`
 * and `pages/`, or `src/app/` and `src/pages/`), plus every file directly in the project's folder or
 * directly in its `src/` (configs, `middleware.ts`, `instrumentation.ts`, env modules). Whenever the
 * graph may miss an edge, the answer is "unknown" and every file counts as reachable: an import
 * through an alias that does not resolve, a bare specifier that may be an alias of a project folder,
 * a computed import (a template string, `import.meta.glob`, `require.context`), an MDX file whose
 * text was not read, or a project whose files were not all read.
 */
import { parse as parseJsonc } from 'jsonc-parser';
import { tooDeeplyNested } from '../../kernel/json.js';
import { readPackageJson } from './heavy.js';
import { dirname, packageName, posixJoin } from './paths.js';

/** A project's code file: its path relative to the project folder and what it imports. */
export interface ProjectCodeFile {
  rel: string;
  specs: readonly string[];
  types: readonly string[];
  /** It computes an import path (template-string import, `import.meta.glob`, `require.context`). */
  dynamic: boolean;
}

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte', '.astro', '.mdx'];
/** Imports of built files written with the output extension (`./util.js` for util.ts). */
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/** Whether a file's text computes an import path the graph cannot follow (plain substring tests). */
export function computesImports(text: string): boolean {
  return text.includes('import.meta.glob') || text.includes('require.context') || text.includes('import(`') || text.includes('require(`');
}

interface Aliases {
  /** `paths` patterns (`@/*`) with their targets, relative to the project folder. */
  paths: { prefix: string; suffix: string; wildcard: boolean; targets: string[] }[];
  /** baseUrl relative to the project folder, when set. */
  baseUrl?: string;
}

/** compilerOptions.paths and baseUrl of the project's tsconfig.json (undefined when it cannot be read as JSON). */
function readAliases(text: string | undefined): Aliases | undefined {
  if (text === undefined) return { paths: [] };
  if (tooDeeplyNested(text)) return undefined;
  const json = parseJsonc(text, [], { allowTrailingComma: true }) as { compilerOptions?: { paths?: unknown; baseUrl?: unknown } } | undefined;
  if (!json || typeof json !== 'object') return undefined;
  const o = json.compilerOptions ?? {};
  const base = typeof o.baseUrl === 'string' ? posixJoin(o.baseUrl) : undefined;
  const paths: Aliases['paths'] = [];
  if (o.paths && typeof o.paths === 'object') {
    for (const [key, list] of Object.entries(o.paths as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      const star = key.indexOf('*');
      const targets = list.filter((t): t is string => typeof t === 'string').map((t) => posixJoin(base ?? '', t));
      paths.push(star < 0 ? { prefix: key, suffix: '', wildcard: false, targets } : { prefix: key.slice(0, star), suffix: key.slice(star + 1), wildcard: true, targets });
    }
  }
  // TypeScript takes the pattern with the longest prefix.
  paths.sort((a, b) => b.prefix.length - a.prefix.length);
  return { paths, ...(base !== undefined ? { baseUrl: base } : {}) };
}

/** A Next.js route, layout or special file, or a file directly in the project's folder or in src/. */
function isEntry(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.length === 1 || (parts.length === 2 && parts[0] === 'src')) return true;
  const top = parts[0] === 'src' ? parts[1] : parts[0];
  return top === 'app' || top === 'pages';
}

/**
 * The project-relative paths of the code files an entry reaches, or undefined when that is not known
 * (then every file counts as reachable). `project` is the project's folder in the workspace; `all`
 * says every code file of the project was read; `exists` tells whether a workspace path exists.
 */
export function reachableFiles(project: string, files: readonly ProjectCodeFile[], all: boolean, textOf: (p: string) => string | undefined, exists: (p: string) => boolean): Set<string> | undefined {
  if (!all || !files.length || files.some((f) => f.dynamic)) return undefined;
  const pkgText = textOf(posixJoin(project, 'package.json'));
  const pkg = pkgText !== undefined ? readPackageJson(pkgText) : undefined;
  if (!pkg || !('next' in pkg.dependencies || 'next' in pkg.devDependencies)) return undefined;
  const aliases = readAliases(textOf(posixJoin(project, 'tsconfig.json')));
  if (!aliases) return undefined;
  const byRel = new Map(files.map((f) => [f.rel, f]));
  // Top folders of the project's code: a bare specifier starting with one may be an alias of it.
  const folders = new Set<string>();
  for (const f of files) {
    const parts = f.rel.split('/');
    if (parts.length > 1) folders.add(parts[0]);
    if (parts.length > 2 && parts[0] === 'src') folders.add(parts[1]);
  }
  const resolveFile = (target: string): string | undefined => {
    if (byRel.has(target)) return target;
    for (const e of EXTENSIONS) if (byRel.has(target + e)) return target + e;
    for (const e of EXTENSIONS) if (byRel.has(`${target}/index${e}`)) return `${target}/index${e}`;
    const dot = target.lastIndexOf('.');
    for (const e of JS_TO_TS[dot > target.lastIndexOf('/') ? target.slice(dot) : ''] ?? []) if (byRel.has(target.slice(0, dot) + e)) return target.slice(0, dot) + e;
    return undefined;
  };
  /** A target that is not code the graph knows: an asset or a file that exists outside it is fine; nothing at all is not. */
  const existsAt = (target: string): boolean => {
    const p = posixJoin(project, target);
    return exists(p) || EXTENSIONS.some((e) => exists(p + e) || exists(`${p}/index${e}`));
  };
  const live = new Set<string>();
  const queue: string[] = [];
  const reach = (rel: string): void => {
    if (live.has(rel)) return;
    live.add(rel);
    queue.push(rel);
  };
  for (const f of files) if (isEntry(f.rel)) reach(f.rel);
  if (!queue.length) return undefined;
  for (let i = 0; i < queue.length; i++) {
    const file = byRel.get(queue[i])!;
    const from = dirname(file.rel);
    for (const spec of [...file.specs, ...file.types]) {
      if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
        // Unresolved relative imports are assets (CSS, images) or generated files: no code of ours.
        const hit = resolveFile(posixJoin(from, spec));
        if (hit) reach(hit);
        continue;
      }
      const alias = aliases.paths.find((a) => (a.wildcard ? spec.startsWith(a.prefix) && spec.endsWith(a.suffix) && spec.length >= a.prefix.length + a.suffix.length : spec === a.prefix));
      if (alias) {
        const middle = alias.wildcard ? spec.slice(alias.prefix.length, spec.length - alias.suffix.length) : '';
        const targets = alias.targets.map((t) => (alias.wildcard ? t.replace('*', middle) : t));
        const hit = targets.map(resolveFile).find((t) => t !== undefined);
        if (hit) reach(hit);
        // Not code the graph holds but a file that exists (a stylesheet, a test-like module): no edge to follow.
        if (hit || targets.some(existsAt)) continue;
        // Nothing there: TypeScript goes on to node_modules (a `"*"` mapping); an alias of nothing is unknown.
        if (!packageName(spec)) return undefined;
      }
      if (aliases.baseUrl !== undefined) {
        const hit = resolveFile(posixJoin(aliases.baseUrl, spec));
        if (hit) {
          reach(hit);
          continue;
        }
      }
      if (spec.startsWith('node:') || spec.startsWith('data:') || spec.startsWith('http:') || spec.startsWith('https:')) continue;
      const first = spec.split('/')[0];
      // `@/x`, `~/x`, `#x`, `/x`: an alias this project's tsconfig does not declare; `components/x`: maybe one.
      if (first === '@' || first === '~' || first === '' || spec.startsWith('#') || spec.startsWith('~') || folders.has(first)) return undefined;
    }
  }
  return live;
}
