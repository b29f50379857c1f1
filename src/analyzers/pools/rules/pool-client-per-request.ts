import type { FileRule } from '../../../kernel/contracts.js';
import type { PoolArtifact } from '../gather.js';
import type { ClientKind } from '../pool-model.js';
import { hoistClientFix } from '../fixes.js';

const LABEL: Record<ClientKind, string> = {
  'pg.Client': 'a new pg Client (a new PostgreSQL connection)',
  'pg.Pool': 'a new pg Pool',
  'mysql.createConnection': 'a new MySQL connection (createConnection)',
  'mysql.createPool': 'a new MySQL pool (createPool)',
  ioredis: 'a new Redis client (ioredis)',
  'redis.createClient': 'a new Redis client (createClient)',
  PrismaClient: 'a new PrismaClient (with its own connection pool)',
};

export const poolClientPerRequest: FileRule<PoolArtifact> = {
  kind: 'file',
  gatherer: 'pool',
  meta: {
    id: 'pool-client-per-request',
    title: 'Database clients are created once and shared',
    failureTitle: 'Database or Redis client created per request',
    description: 'A pg Client / Pool, mysql createConnection / createPool, Redis client or PrismaClient created inside a route handler, Nest controller method, Next.js route or a function they call: every request pays a TCP + TLS + authentication handshake, and bursts exhaust the database\'s connection limit.',
    domain: 'pools',
    checklistItem: 'connection-pooling',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    // Cloudflare Workers cannot share a connection between requests: a client per request is required there.
    if (a.kind !== 'js' || /(?:^|\/)wrangler\.(?:toml|jsonc?)$/.test(a.serverless ?? '')) return;
    const perRequest = a.facts.clients.filter((c) => c.perRequest);
    const hoistable = perRequest.filter((c) => c.hoist);
    for (const c of perRequest) {
      const where = c.perRequest!.how;
      const fix = c.hoist;
      ctx.report({
        span: c.span,
        message: `${where.includes('called from') ? `The helper ${where},` : `This ${where}`} creates ${LABEL[c.kind]} on every request: each one costs a connection handshake, and under load the database runs out of connections. Create it once at module level and reuse it${fix ? '' : c.noHoist ? ` (no automatic fix: ${c.noHoist})` : ''}.`,
        related: [{ file: ctx.path, span: c.perRequest!.handlerSpan, message: `runs per request (${where})` }],
        ...(fix ? { fixes: [hoistClientFix(ctx.path, fix, hoistable.length === 1)] } : {}),
        data: { kind: c.kind, module: c.module, how: where },
      });
    }
  },
};
