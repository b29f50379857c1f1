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
import { computesImports, reachableFiles, type ProjectCodeFile } from './live-files.js';
import { packageName } from './paths.js';

export { packageName };

const CODE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;
const SKIPPED = /(?:^|\/)(?:node_modules|dist|build|out|coverage|\.next|\.nuxt|\.output|vendor|bower_components|public|static)\//;
const SERVER_DIRS = new Set(['server', 'servers', 'backend', 'worker', 'workers', 'cli', 'bin', 'scripts', 'migrations', 'migration', 'seeds', 'seeders', 'jobs', 'queues', 'cron', 'server-only']);
/** Imports that mark a file as server code: Next.js's `server-only` guard and database clients. */
const SERVER_MARKERS = new Set(['server-only', '@prisma/client', 'pg', 'mysql2', 'mysql2/promise', 'better-sqlite3', 'mongodb', 'mongoose']);
/** A `"use server"` directive (Next.js / React server actions): the client only gets a reference to call. */
const USE_SERVER = /^(?:\s|\/\/[^\n]*\n)*["']use server["']/;
/** Server frameworks: a package that depends on one, and that nothing bundles, is a server app. */
const SERVER_FRAMEWORKS = new Set(['express', 'koa', 'fastify', 'hono', '@hono/node-server', '@nestjs/core', '@hapi/hapi', 'restify', 'elysia']);
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
type Scan = { specs: string[]; types: string[]; dynamic: boolean };
const specCache = new Map<string, { text: string; scan: Scan }>();
function memoSpecifiers(path: string, text: string): Scan {
  const hit = specCache.get(path);
  if (hit && hit.text === text) return hit.scan;
  const scan = { ...scanSpecifiers(text), dynamic: computesImports(text) };
  if (specCache.size > 50_000) specCache.clear();
  specCache.set(path, { text, scan });
  return scan;
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
  /** Packages imported from code files no entry point reaches (live-files.ts): no bundle holds them. */
  dead: Set<string>;
  /** Code files read. */
  files: number;
}

/**
 * Calls `visit` for each code file under `base` (tests, builds and dependencies left out) with its
 * specifiers and whether it is server code, and `skip` for a code file it did not read (too large,
 * unreadable, or over the file budget).
 */
function scanCode(paths: readonly string[], textOf: (p: string) => string | undefined, base: string, visit: (rel: string, specs: string[], server: (projectRel: string) => boolean, types: string[], dynamic: boolean) => void, skip?: (rel: string) => void): number {
  const prefix = base ? `${base}/` : '';
  let read = 0;
  for (const p of paths) {
    if (read >= MAX_FILES && !skip) break;
    if (!p.startsWith(prefix) || !CODE.test(p) || /\.d\.[cm]?ts$/.test(p)) continue;
    const rel = p.slice(prefix.length);
    if (SKIPPED.test(rel) || isTestLike(conventionalCodeRole(rel))) continue;
    if (read >= MAX_FILES) {
      skip?.(rel);
      continue;
    }
    const text = textOf(p);
    read++;
    if (text === undefined || text.length > MAX_CHARS) {
      skip?.(rel);
      continue;
    }
    const { specs, types, dynamic } = memoSpecifiers(p, text);
    const builtin = specs.some((s) => s.startsWith('node:') || NODE_BUILTINS.has(s) || SERVER_MARKERS.has(s)) || USE_SERVER.test(text.slice(0, 200));
    visit(rel, specs, (projectRel) => builtin || isServerPath(projectRel), types, dynamic);
  }
  return read;
}

export interface SidesOptions {
  /** Every path of the workspace (read or not), when known: tells whether an import's target exists. */
  listing?: readonly string[];
  /** Project folders whose code is all server code (a server app: see serverApp()). */
  serverApps?: ReadonlySet<string>;
}

/**
 * Import sides per project folder: each code file counts for the innermost of `dirs` that holds it
 * ('' is the lockfile's folder). Reads through `textOf` (the kernel's file layer).
 */
export function importSidesByDir(paths: readonly string[], textOf: (p: string) => string | undefined, base: string, dirs: readonly string[], opts: SidesOptions = {}): Map<string, ImportSides> {
  const sorted = [...dirs].sort((a, b) => b.length - a.length);
  const innermost = (rel: string): string | undefined => sorted.find((d) => d === '' || rel.startsWith(`${d}/`));
  const perDir = new Map<string, { file: ProjectCodeFile; server: boolean }[]>(dirs.map((d) => [d, []]));
  const incomplete = new Set<string>();
  scanCode(paths, textOf, base, (rel, specs, isServer, types, dynamic) => {
    const dir = innermost(rel);
    if (dir === undefined) return;
    const projectRel = dir ? rel.slice(dir.length + 1) : rel;
    perDir.get(dir)!.push({ file: { rel: projectRel, specs, types, dynamic }, server: opts.serverApps?.has(dir) === true || isServer(projectRel) });
  }, (rel) => {
    const dir = innermost(rel);
    if (dir !== undefined) incomplete.add(dir);
  });
  const known = new Set(opts.listing ?? paths);
  const out = new Map<string, ImportSides>();
  for (const [dir, files] of perDir) {
    const sides: ImportSides = { browser: new Set(), server: new Set(), types: new Set(), dead: new Set(), files: files.length };
    out.set(dir, sides);
    const project = [base, dir].filter(Boolean).join('/');
    const live = reachableFiles(project, files.map((f) => f.file), !incomplete.has(dir) && !hasMdx(known, project), textOf, (p) => known.has(p));
    for (const { file, server } of files) {
      const into = live && !live.has(file.rel) ? sides.dead : server ? sides.server : sides.browser;
      for (const s of file.specs) {
        const name = packageName(s);
        if (name && !NODE_BUILTINS.has(name)) into.add(name);
      }
      for (const s of file.types) {
        const name = packageName(s);
        if (name) sides.types.add(name);
      }
    }
  }
  return out;
}

/** MDX pages import components, but the audit does not read them: their imports are unknown. */
function hasMdx(paths: ReadonlySet<string>, project: string): boolean {
  const prefix = project ? `${project}/` : '';
  for (const p of paths) if (p.endsWith('.mdx') && p.startsWith(prefix) && !p.includes('/node_modules/')) return true;
  return false;
}

/**
 * A workspace member that is a server app: not bundled itself (no bundler or UI framework), no other
 * member depends on it, and its folder is named like a server (`apps/server`, `backend`,
 * `worker`) or it depends on a server framework. Its code runs only on a server.
 */
export function serverApp(dir: string, deps: Record<string, string>, dependedOn: boolean, frontend: boolean): boolean {
  if (frontend || dependedOn || !dir) return false;
  return SERVER_DIRS.has(dir.slice(dir.lastIndexOf('/') + 1).toLowerCase()) || Object.keys(deps).some((d) => SERVER_FRAMEWORKS.has(d));
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

/** Where the whole workspace imports packages: from server apps' code, and from any other project's code. */
export interface WorkspaceSides {
  /** Packages the code of server apps imports. */
  serverApps: ReadonlySet<string>;
  /** Packages any other project's code imports (browser, server-looking or type-only, reachable or not). */
  others: ReadonlySet<string>;
}

export function workspaceSides(sides: ReadonlyMap<string, ImportSides>, serverApps: ReadonlySet<string>): WorkspaceSides {
  const apps = new Set<string>();
  const others = new Set<string>();
  for (const [dir, s] of sides) {
    const into = serverApps.has(dir) ? apps : others;
    for (const set of [s.browser, s.server, s.types, s.dead]) for (const n of set) into.add(n);
  }
  return { serverApps: apps, others };
}

/**
 * Dependencies imported only from server code or only for their types (imported somewhere, never as
 * a value from browser code), or only from files no entry point reaches. UI
 * frameworks (`keep`) stay: a framework imports them in the browser for the app (Next.js never
 * makes the app import react-dom, though its server code may import react-dom/server).
 *
 * With `workspace` (every project of the lockfile), also a dependency the project's code (read) never
 * imports, that only server apps of the workspace import (serverApp()): listed by mistake, or copied
 * from the server's package.json, it reaches no bundle through this project. A dependency no code anywhere imports
 * stays (tslib injected by compilers, a stylesheet package imported from SCSS, a peer dependency).
 */
export function serverOnlyDependencies(deps: Record<string, string>, sides: ImportSides | undefined, keep: (name: string) => boolean = () => false, workspace?: WorkspaceSides): string[] {
  if (!sides) return [];
  const names = Object.keys(deps);
  const serverElsewhere = (n: string): boolean => !!workspace && sides.files > 0 && workspace.serverApps.has(n) && !workspace.others.has(n);
  return names.filter((n) => !sides.browser.has(n) && !keep(n) && (sides.server.has(n) || sides.types.has(n) || sides.dead.has(n) || unusedUmbrella(n, names, sides) || serverElsewhere(n)));
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
