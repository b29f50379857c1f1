import type { FileRule } from '../../../kernel/contracts.js';
import type { ServerArtifact } from '../gather.js';
import type { Framework } from '../server-model.js';

const HOW: Record<Framework, string> = {
  express: "`res.set('Cache-Control', 'public, max-age=60')`, apicache / route-cache middleware, or a Redis / LRU cache around the query",
  fastify: "`reply.header('Cache-Control', 'public, max-age=60')`, @fastify/caching, or a Redis / LRU cache around the query",
  koa: "`ctx.set('Cache-Control', 'public, max-age=60')`, koa-cash, or a Redis / LRU cache around the query",
  nest: "`@UseInterceptors(CacheInterceptor)` with `@CacheTTL()`, `@Header('Cache-Control', 'public, max-age=60')`, or a cache in the service",
  next: '`export const revalidate = 60`, a `Cache-Control` header on the response, or `unstable_cache` around the query',
};

export const serverResponseCachingMissing: FileRule<ServerArtifact> = {
  kind: 'file',
  gatherer: 'server',
  meta: {
    id: 'server-response-caching-missing',
    title: 'Database-backed GET endpoints are cached',
    failureTitle: 'GET endpoints query the database on every request without caching',
    description: 'A public, read-only GET route handler that queries the database (pool.query, Prisma, Knex, Sequelize, TypeORM, Mongoose…) and neither sets Cache-Control nor reads a cache: every request costs a database round trip, even for data that changes rarely. Handlers that write or lock rows, run behind authentication or session middleware, health checks and login/OAuth/email-link flows are not candidates.',
    domain: 'node-server',
    checklistItem: 'response-caching',
    defaultSeverity: 'info',
    fixable: false,
  },
  check(ctx) {
    for (const r of ctx.artifact.routes) {
      // Only a public, read-only response may be cached for everyone: not one that writes, needs a login or session, or is a probe or a login flow.
      if (r.method !== 'GET' || !r.db || r.caching || r.notPublic) continue;
      const what = r.path !== undefined ? `GET ${r.path}` : 'This GET handler';
      ctx.report({
        span: r.span,
        message: `${what} queries the database (${r.db.text}) on every request and sends no Cache-Control header nor reads a cache. If the data may be a little stale, cache the response or the query result: ${HOW[r.framework]}.`,
        related: [{ file: ctx.path, span: r.db.span, message: `database call: ${r.db.text}` }],
        data: { framework: r.framework, ...(r.path !== undefined ? { path: r.path } : {}), dbCall: r.db.text },
      });
    }
  },
};
