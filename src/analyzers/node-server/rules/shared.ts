/** Wording and heuristics shared by the server-* rules. */
import type { Framework, ServerApp, StaticServe } from '../server-model.js';

export const FRAMEWORK_NAMES: Record<Framework, string> = { express: 'Express', fastify: 'Fastify', koa: 'Koa', nest: 'NestJS', next: 'Next.js' };

export function appLabel(app: ServerApp): string {
  const fw = app.framework === 'nest' && app.adapter === 'fastify' ? 'NestJS (Fastify adapter)' : FRAMEWORK_NAMES[app.framework];
  return `${fw} app${app.name ? ` \`${app.name}\`` : ''}`;
}

/**
 * Path segments of build output whose file names carry a content hash (Vite `dist/assets`, CRA
 * `build/static`, Remix `public/build`, Next `_next`): safe to cache for a year as immutable.
 */
export const HASHED_SEGMENTS = new Set(['dist', 'build', 'assets', '_next', '.output', 'bundles', 'immutable']);

export function isHashedDir(s: StaticServe): boolean {
  return s.dirSegments.some((x) => HASHED_SEGMENTS.has(x.toLowerCase()));
}

/** Hashed assets should be cached at least this long (seconds). */
export const HASHED_MIN_MAX_AGE = 7 * 86400;

export function staticLabel(s: StaticServe): string {
  switch (s.lib) {
    case 'express.static': return `express.static(${s.dirText ?? ''})`;
    case 'serve-static': return `serveStatic(${s.dirText ?? ''})`;
    case 'koa-static': return `koa-static (${s.dirText ?? ''})`;
    case '@fastify/static': return `@fastify/static${s.dirText ? ` (root ${s.dirText})` : ''}`;
    case 'nest useStaticAssets': return `useStaticAssets(${s.dirText ?? ''})`;
    case 'nest ServeStaticModule': return `ServeStaticModule${s.dirText ? ` (rootPath ${s.dirText})` : ''}`;
  }
}

/** Files a static folder can hold that change whenever someone edits them, and are no page asset. */
const DOCUMENT_EXTENSIONS = new Set(['md', 'markdown', 'txt', 'rst', 'adoc']);

/**
 * The files the workspace listing holds under a static call's folder, resolved from the server file's
 * folder and then each folder above it (a cwd-relative `path.resolve('public')` usually means the
 * package root); undefined when the folder is not a literal path, the listing is not known, or no
 * listed file is under it (build output that is not committed).
 */
export function staticFolderFiles(s: StaticServe, serverPath: string, listing: readonly string[] | undefined): { folder: string; files: string[] } | undefined {
  if (!listing || s.dirSegments.length === 0) return undefined;
  const parts = serverPath.split('/').slice(0, -1);
  for (let depth = parts.length; depth >= 0; depth--) {
    const folder: string[] = parts.slice(0, depth);
    let escaped = false;
    for (const seg of s.dirSegments) {
      if (seg === '..') {
        if (folder.length === 0) escaped = true;
        folder.pop();
      } else folder.push(seg);
    }
    if (escaped || folder.length === 0) continue;
    const prefix = `${folder.join('/')}/`;
    // Dotfiles (.gitkeep, .gitignore) are not served content.
    const files = listing.filter((p) => p.startsWith(prefix) && !p.slice(p.lastIndexOf('/') + 1).startsWith('.'));
    if (files.length > 0) return { folder: folder.join('/'), files };
  }
  return undefined;
}

/** True when every file is a document (Markdown, text) rather than a script, style, image or font. */
export function onlyDocuments(files: readonly string[]): boolean {
  return files.length > 0 && files.every((f) => {
    const base = f.slice(f.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    return dot > 0 && DOCUMENT_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
  });
}
