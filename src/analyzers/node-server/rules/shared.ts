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
