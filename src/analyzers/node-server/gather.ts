/**
 * The Node server gatherer: JS/TS files that create an Express / Fastify / Koa / NestJS app or a
 * Next.js custom server, register its middleware, serve static files or declare routes.
 *
 * Workspace-dependent: a server file's findings also depend on its package.json (is `compression`
 * installed? the fix adds it), on tsconfig.json (import style of the fix), on next.config.* and on
 * other files of the same package that register compression. The per-file parse is memoised by
 * content, so re-gathering after another file changes costs a lookup, not a parse.
 */
import type { FileGatherer, WorkspaceView } from '../../kernel/contracts.js';
import type { Span } from '../../kernel/model.js';
import { isSourcePath, isTestPath, parseJs } from '../../lang/javascript/ast.js';
import { dependencyRange, dirOf, joinPath, nearestFile, nearestPackageJson } from '../../lang/javascript/edits.js';
import { mayBeServerFile, serverFacts, type ServerFacts } from './server-model.js';
import { baseOf } from '../../kernel/text.js';
import { textMemo } from '../../kernel/memo.js';

export const SERVER_GATHERER_ID = 'server';

export interface ServerArtifact extends ServerFacts {
  /** The nearest package.json (the fix adds dependencies there). */
  packageJson?: { path: string; error?: string };
  /** Declared versions of the packages the fixes care about (from package.json). */
  deps: Record<string, string>;
  /** Another file of the same package registers compression (e.g. a middleware module). */
  compressionElsewhere?: { file: string; span: Span };
  /** next.config.* sets `compress: false`. */
  nextCompressDisabled?: { file: string; span: Span };
  /** tsconfig.json enables esModuleInterop / allowSyntheticDefaultImports (default imports of CJS packages). */
  esModuleInterop?: boolean;
}

const DEP_NAMES = ['compression', '@types/compression', 'express', 'fastify', '@fastify/compress', 'fastify-compress', 'koa', 'koa-compress', '@types/koa-compress', '@nestjs/core', '@nestjs/platform-fastify', 'next', 'typescript'];

// Per-file facts by path, reused while the text is the same string (the engine keeps the object).
const memo = textMemo();

/** Why a file that looks like a server (imports express, fastify, koa…) could not be parsed, or undefined. */
function serverFileProblem(path: string, text: string): string | undefined {
  if (!mayBeServerFile(path, text)) return undefined;
  const parsed = parseJs(path, text);
  return 'error' in parsed ? `it could not be parsed (${parsed.error.replace(/Maximum call stack size exceeded/, 'nested too deeply')})` : undefined;
}

export function memoServerFacts(path: string, text: string): ServerFacts | undefined {
  return memo(path, text, () => serverFacts(path, text));
}

export function matchesServerPath(path: string): boolean {
  if (isSourcePath(path)) return true;
  if (/(?:^|\/)node_modules\//.test(path)) return false;
  const b = baseOf(path);
  return b === 'package.json' || /^tsconfig(?:\.[\w-]+)?\.json$/.test(b);
}

/** Another source file of the same package that registers compression (bounded scan). */
function compressionElsewhere(path: string, pkgDir: string | undefined, ws: WorkspaceView): { file: string; span: Span } | undefined {
  const prefix = pkgDir ? `${pkgDir}/` : '';
  let checked = 0;
  for (const p of ws.paths()) {
    if (p === path || !p.startsWith(prefix) || !isSourcePath(p) || isTestPath(p)) continue;
    const t = ws.textOf(p);
    if (!t || !/compress|shrink-ray/.test(t)) continue;
    if (++checked > 300) break;
    const use = memoServerFacts(p, t)?.uses.find((u) => u.kind === 'compression' && !u.notCalled && !u.globalOff);
    if (use) return { file: p, span: use.span };
  }
  return undefined;
}

function nextCompressDisabled(pkgDir: string, ws: WorkspaceView): { file: string; span: Span } | undefined {
  for (const name of ['next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts', 'next.config.mts']) {
    const p = joinPath(pkgDir, name);
    const t = ws.textOf(p);
    if (t === undefined) continue;
    const m = /\bcompress\s*:\s*false\b/.exec(t);
    return m ? { file: p, span: { start: m.index, end: m.index + m[0].length } } : undefined;
  }
  return undefined;
}

export const serverGatherer: FileGatherer<ServerArtifact> = {
  id: SERVER_GATHERER_ID,
  description: 'Node server files',
  workspaceDependent: true,
  matches: matchesServerPath,
  gather(path, text, ws, problems) {
    // Test code is gathered (settings may declare it runtime); the rules skip it by the kernel's code roles.
    if (!isSourcePath(path)) return undefined;
    const facts = memoServerFacts(path, text);
    if (!facts) {
      // A server file we cannot read (nested too deeply, a giant line): said once, not guessed at.
      const why = isTestPath(path) ? undefined : serverFileProblem(path, text);
      if (why) problems?.add(`it looks like a server but ${why}; its middleware is unknown to the audit`);
      return undefined;
    }
    const pkg = nearestPackageJson(path, ws);
    const deps: Record<string, string> = {};
    for (const d of DEP_NAMES) {
      const v = dependencyRange(pkg, d);
      if (v !== undefined) deps[d] = v;
    }
    const out: ServerArtifact = { ...facts, deps, ...(pkg ? { packageJson: { path: pkg.path, ...(pkg.error ? { error: pkg.error } : {}) } } : {}) };
    const pkgDir = pkg ? dirOf(pkg.path) : dirOf(path);
    const needsCompression = facts.apps.length > 0 && !facts.uses.some((u) => u.kind === 'compression' && !u.notCalled && !u.globalOff);
    if (needsCompression) {
      const other = compressionElsewhere(path, pkg ? pkgDir : undefined, ws);
      if (other) out.compressionElsewhere = other;
    }
    if (facts.apps.some((a) => a.framework === 'next')) {
      const off = nextCompressDisabled(pkgDir, ws);
      if (off) out.nextCompressDisabled = off;
    }
    if (facts.fix.typescript) {
      const ts = nearestFile(path, 'tsconfig.json', ws);
      if (ts) out.esModuleInterop = /"(?:esModuleInterop|allowSyntheticDefaultImports)"\s*:\s*true/.test(ts.text);
    }
    return out;
  },
};
