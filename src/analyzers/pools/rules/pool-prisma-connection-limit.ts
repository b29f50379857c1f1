import type { FileRule } from '../../../kernel/contracts.js';
import type { PoolArtifact } from '../gather.js';
import { prismaConnectionLimitFix } from '../fixes.js';

export const poolPrismaConnectionLimit: FileRule<PoolArtifact> = {
  kind: 'file',
  gatherer: 'pool',
  meta: {
    id: 'pool-prisma-connection-limit',
    title: 'Prisma uses a connection pool',
    failureTitle: 'Prisma connection_limit=1 on a long-running server',
    description: '`connection_limit=1` in a Prisma datasource URL (.env, schema.prisma, or a URL in code) outside a serverless deployment: the PrismaClient has a single connection, so concurrent requests queue behind each other.',
    domain: 'pools',
    checklistItem: 'connection-pooling',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    // Serverless (Vercel, Netlify, Serverless Framework, Zappa): Prisma recommends connection_limit=1.
    if (a.serverless) return;
    const limits = a.kind === 'js' ? a.facts.connectionLimits : a.kind === 'python' ? [] : a.connectionLimits;
    for (const l of limits) {
      if (l.value !== 1) continue;
      ctx.report({
        span: l.span,
        message: 'connection_limit=1 gives PrismaClient a single database connection: concurrent requests wait for each other. On a long-running server remove it (Prisma defaults to num_cpus × 2 + 1) or set it to what the database allows per instance; keep 1 only for serverless functions.',
        fixes: [prismaConnectionLimitFix(ctx.path, l.removal)],
        data: { value: l.value },
      });
    }
  },
};
