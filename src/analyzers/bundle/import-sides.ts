/**
 * Where a project's dependencies are imported: from code that can run in a browser, or only from
 * server code. A full-stack app (one package.json for its client and its server) lists both kinds in
 * `dependencies`; a dependency the app imports only from server files is never bundled for the
 * browser, nor is anything only it requires.
 *
 * A file is server code when its path says so (a `server/`, `backend/`, `worker/`, `cli/`, `scripts/`,
 * `migrations/`… folder, a `*.server.ts` / `server.ts` file, a Next.js `pages/api/…` or `app/…/route.ts`
 * file), when it imports a Node built-in (`fs`, `node:crypto`, `child_process`…), `server-only` or a
 * database client, or when it starts with "use server". Type-only imports (`import type …`) are erased
 * by TypeScript and never count as a use. Tests, fixtures and examples are not read at all.
 */
import { conventionalCodeRole, isTestLike } from '../../kernel/code-role.js';

const CODE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;
const SKIPPED = /(?:^|\/)(?:node_modules|dist|build|out|coverage|\.next|\.nuxt|\.output|vendor|bower_components|public|static)\//;
const SERVER_DIRS = new Set(['server', 'servers', 'backend', 'worker', 'workers', 'cli', 'bin', 'scripts', 'migrations', 'migration', 'seeds', 'seeders', 'jobs', 'queues', 'cron', 'server-only']);
/** Imports that mark a file as server code: Next.js's `server-only` guard and database clients. */
const SERVER_MARKERS = new Set(['server-only', '@prisma/client', 'pg', 'mysql2', 'mysql2/promise', 'better-sqlite3', 'mongodb', 'mongoose']);
/** A `"use server"` directive (Next.js / React server actions): the client only gets a reference to call. */
const USE_SERVER = /^(?:\s|\/\/[^\n]*\n)*["']use server["']/;
const NODE_BUILTINS = new Set(['assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'fs', 'fs/promises', 'http', 'http2', 'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib']);
/** Files read per project at most, and their size: enough for evidence, bounded for huge repositories. */
const MAX_FILES = 20_000;
const MAX_CHARS = 400_000;

/**
 * Whether the `import`/`export` statement that ends at `at` (just before its `from`) is type-only:
 * `import type …`, `export type …`, or `import { type A, type B }` — TypeScript erases it, so it
 * brings nothing into a bundle. Reads back at most 1,000 characters to the statement's keyword.
 */
function typeOnlyBefore(code: string, at: number): boolean {
  const before = code.slice(Math.max(0, at - 1000), at);
  const i = Math.max(before.lastIndexOf('import'), before.lastIndexOf('export'));
  if (i < 0 || /\w/.test(before[i - 1] ?? '')) return false;
  const clause = before.slice(i + 6).trim();
  if (/^type\s+[\w${*]/.test(clause)) return true;
  if (!clause.startsWith('{') || !clause.endsWith('}')) return false;
  const names = clause.slice(1, -1).split(',').map((n) => n.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => /^type\s/.test(n));
}

/** Value and type-only specifiers of a file's imports. */
export function scanSpecifiers(code: string): { specs: string[]; types: string[] } {
  const specs: string[] = [];
  const types: string[] = [];
  for (const m of code.matchAll(/\b(?:from|require\s*\(|import\s*\(|import)\s*(["'])([^"'\n]{1,200})\1/g)) {
    if (m[0].startsWith('from') && typeOnlyBefore(code, m.index)) types.push(m[2]);
    else specs.push(m[2]);
  }
  return { specs, types };
}

/** `import … from "x"`, `import "x"`, `export … from "x"`, `require("x")`, `import("x")`: the specifiers (type-only imports left out). */
export function importSpecifiers(code: string): string[] {
  return scanSpecifiers(code).specs;
}

/** Specifiers per file, remembered while its text is the same (an edit elsewhere re-reads the project). */
const specCache = new Map<string, { text: string; scan: { specs: string[]; types: string[] } }>();
function memoSpecifiers(path: string, text: string): { specs: string[]; types: string[] } {
  const hit = specCache.get(path);
  if (hit && hit.text === text) return hit.scan;
  const scan = scanSpecifiers(text);
  if (specCache.size > 50_000) specCache.clear();
  specCache.set(path, { text, scan });
  return scan;
}

/** The package a bare specifier names ("@scope/pkg/sub" → "@scope/pkg"), or undefined for relative paths, aliases and built-ins. */
export function packageName(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec.startsWith('~') || spec.startsWith('#') || spec.includes(':')) return undefined;
  const parts = spec.split('/');
  if (spec.startsWith('@')) return parts.length >= 2 && parts[0].length > 1 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0] || undefined;
}

function isServerPath(rel: string): boolean {
  const parts = rel.toLowerCase().split('/');
  const base = parts.pop() ?? '';
  // Next.js API routes (pages/api/…) and route handlers (app/…/route.ts), SvelteKit endpoints (+server.ts).
  const nextServer = parts.some((p, i) => p === 'pages' && parts[i + 1] === 'api') || (parts.includes('app') && /^route\.[cm]?[jt]s$/.test(base));
  return nextServer || parts.some((p) => SERVER_DIRS.has(p)) || /\.server\.[cm]?[jt]sx?$/.test(base) || /^(?:server|\+server)\.[cm]?[jt]s$/.test(base);
}

export interface ImportSides {
  /** Packages imported from at least one file that may run in a browser. */
  browser: Set<string>;
  /** Packages imported from server files. */
  server: Set<string>;
  /** Packages imported for their types only (`import type …`), which TypeScript erases. */
  types: Set<string>;
}

/** Calls `visit` for each code file under `base` (tests, builds and dependencies left out) with its specifiers and whether it is server code. */
function scanCode(paths: readonly string[], textOf: (p: string) => string | undefined, base: string, visit: (rel: string, specs: string[], server: (projectRel: string) => boolean, types: string[]) => void): number {
  const prefix = base ? `${base}/` : '';
  let read = 0;
  for (const p of paths) {
    if (read >= MAX_FILES) break;
    if (!p.startsWith(prefix) || !CODE.test(p) || /\.d\.[cm]?ts$/.test(p)) continue;
    const rel = p.slice(prefix.length);
    if (SKIPPED.test(rel) || isTestLike(conventionalCodeRole(rel))) continue;
    const text = textOf(p);
    read++;
    if (text === undefined || text.length > MAX_CHARS) continue;
    const { specs, types } = memoSpecifiers(p, text);
    const builtin = specs.some((s) => s.startsWith('node:') || NODE_BUILTINS.has(s) || SERVER_MARKERS.has(s)) || USE_SERVER.test(text.slice(0, 200));
    visit(rel, specs, (projectRel) => builtin || isServerPath(projectRel), types);
  }
  return read;
}

/**
 * Import sides per project folder: each code file counts for the innermost of `dirs` that holds it
 * ('' is the lockfile's folder). Reads through `textOf` (the kernel's file layer).
 */
export function importSidesByDir(paths: readonly string[], textOf: (p: string) => string | undefined, base: string, dirs: readonly string[]): Map<string, ImportSides> {
  const out = new Map<string, ImportSides>(dirs.map((d) => [d, { browser: new Set(), server: new Set(), types: new Set() }]));
  const sorted = [...dirs].sort((a, b) => b.length - a.length);
  scanCode(paths, textOf, base, (rel, specs, isServer, types) => {
    const dir = sorted.find((d) => d === '' || rel.startsWith(`${d}/`));
    if (dir === undefined) return;
    const server = isServer(dir ? rel.slice(dir.length + 1) : rel);
    const sides = out.get(dir)!;
    for (const s of specs) {
      const name = packageName(s);
      if (name && !NODE_BUILTINS.has(name)) (server ? sides.server : sides.browser).add(name);
    }
    for (const s of types) {
      const name = packageName(s);
      if (name) sides.types.add(name);
    }
  });
  return out;
}

export interface PackageImports {
  /** Code files read (0: the project has no code in the workspace, so nothing is known). */
  files: number;
  /** Per package of interest: the specifiers browser-capable code imports it with ("core-js/stable"), and whether server code imports it. */
  byName: Record<string, { browser: string[]; server: boolean }>;
}

/** How the code under `base` imports the packages `names` (a bounded read, like importSidesByDir). */
export function packageImports(paths: readonly string[], textOf: (p: string) => string | undefined, base: string, names: ReadonlySet<string>): PackageImports {
  const byName: PackageImports['byName'] = {};
  const files = scanCode(paths, textOf, base, (rel, specs, isServer) => {
    for (const s of specs) {
      const name = packageName(s);
      if (!name || !names.has(name)) continue;
      const e = (byName[name] ??= { browser: [], server: false });
      if (isServer(rel)) e.server = true;
      else if (!e.browser.includes(s)) e.browser.push(s);
    }
  });
  return { files, byName };
}

/**
 * Dependencies imported only from server code or only for their types (imported somewhere, never as
 * a value from browser code). UI
 * frameworks (`keep`) stay: a framework imports them in the browser for the app (Next.js never
 * makes the app import react-dom, though its server code may import react-dom/server).
 */
export function serverOnlyDependencies(deps: Record<string, string>, sides: ImportSides | undefined, keep: (name: string) => boolean = () => false): string[] {
  if (!sides) return [];
  const names = Object.keys(deps);
  return names.filter((n) => !sides.browser.has(n) && !keep(n) && (sides.server.has(n) || sides.types.has(n) || unusedUmbrella(n, names, sides)));
}

/**
 * An umbrella package (`radix-ui`) listed beside the scoped packages it re-exports (`@radix-ui/react-*`),
 * which the code imports one by one, the umbrella never: it reaches no bundle, and its own, often
 * older, copies of those packages do not either. Only when the project's code was read.
 */
function unusedUmbrella(name: string, deps: readonly string[], sides: ImportSides): boolean {
  if (name.startsWith('@') || sides.browser.size + sides.server.size === 0) return false;
  const scope = `@${name}/`;
  return deps.some((d) => d.startsWith(scope) && sides.browser.has(d));
}
