import type { FileRule } from '../../../kernel/contracts.js';
import type { PoolArtifact } from '../gather.js';
import { poolOptionsFix } from '../fixes.js';

export const poolOptionsMissing: FileRule<PoolArtifact> = {
  kind: 'file',
  gatherer: 'pool',
  meta: {
    id: 'pool-options-missing',
    title: 'Connection pools set their size and timeouts',
    failureTitle: 'Connection pool relies on default size and timeouts',
    description: 'A pg Pool without `max`, `idleTimeoutMillis` or `connectionTimeoutMillis` (pg waits forever for a free connection by default), or a mysql/mysql2 pool without `connectionLimit`: the pool\'s limits are implicit and a saturated pool hangs requests instead of failing fast.',
    domain: 'pools',
    checklistItem: 'connection-pooling',
    defaultSeverity: 'info',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    if (a.kind !== 'js') return;
    for (const p of a.facts.pools) {
      if ((p.lib !== 'pg' && p.lib !== 'mysql') || !p.missing.length || p.perRequest) continue;
      const waitsForever = p.lib === 'pg' && p.missing.includes('connectionTimeoutMillis');
      ctx.report({
        span: p.span,
        message: `This ${p.lib === 'pg' ? 'pg Pool' : 'MySQL pool'} does not set ${p.missing.map((k) => `\`${k}\``).join(', ')}${waitsForever ? ': when all connections are busy, pg waits forever for one (connectionTimeoutMillis defaults to 0), so requests hang instead of failing fast' : ''}. Set ${p.missing.length > 1 ? 'them' : 'it'} explicitly${p.lib === 'pg' ? ' (pg defaults: max 10, idleTimeoutMillis 10000)' : ' (default connectionLimit 10)'}, sizing the pool to the database's connection limit divided by the number of app instances.`,
        ...(p.addMissing ? { fixes: [poolOptionsFix(ctx.path, p, p.addMissing)] } : {}),
        data: { lib: p.lib, missing: p.missing },
      });
    }
  },
};
