import type { FileRule } from '../../../kernel/contracts.js';
import type { PoolArtifact } from '../gather.js';

const LIB: Record<string, string> = { pg: 'pg Pool', mysql: 'MySQL pool', knex: 'knex pool', sequelize: 'Sequelize pool', typeorm: 'TypeORM pool' };
/** Each library's default pool size (TypeORM passes its driver's: pg and mysql2 both use 10). */
export const DEFAULT_MAX: Record<string, number> = { pg: 10, mysql: 10, knex: 10, sequelize: 5, typeorm: 10 };
/** Above this, one app instance alone would take most of a default PostgreSQL (max_connections 100) or MySQL (151) server. */
export const MAX_POOL_SIZE = 100;

export const poolOptionsExtreme: FileRule<PoolArtifact> = {
  kind: 'file',
  gatherer: 'pool',
  meta: {
    id: 'pool-options-extreme',
    title: 'Connection pool sizes are sane',
    failureTitle: 'Connection pool size is extreme or inconsistent',
    description: 'A pool (pg, mysql, knex, Sequelize, TypeORM) whose max is 1 (every query waits for the previous one), below 1, above 100 (more connections than a default database server accepts), or whose min exceeds its max (knex/tarn throws at startup).',
    domain: 'pools',
    checklistItem: 'connection-pooling',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const a = ctx.artifact;
    if (a.kind !== 'js') return;
    for (const p of a.facts.pools) {
      const label = LIB[p.lib];
      const max = p.max;
      if (max && p.min && p.min.value > max.value) {
        ctx.report({ span: p.min.span, severity: 'error', message: `This ${label} has min ${p.min.value} greater than max ${max.value}${p.lib === 'knex' ? ': tarn throws "min must be <= max" when the pool is created' : ': the pool cannot honour both'}. Set min ≤ max (min 0 is often best: idle connections are closed by firewalls).`, data: { lib: p.lib, problem: 'min-over-max' } });
        continue;
      }
      if (!max) continue;
      if (max.value < 1) {
        ctx.report({ span: max.span, severity: 'error', message: `This ${label} has ${max.key} ${max.value}: it can never hand out a connection, so every query waits forever or fails.`, data: { lib: p.lib, problem: 'below-one' } });
      } else if (max.value === 1 && !p.sqlite) {
        ctx.report({ span: max.span, message: `This ${label} has ${max.key} 1: every query waits for the one connection, so concurrent requests are served one at a time. Use the default (${DEFAULT_MAX[p.lib]}) or size it to the database's connection limit divided by the app instances.`, data: { lib: p.lib, problem: 'one' } });
      } else if (max.value > MAX_POOL_SIZE) {
        ctx.report({ span: max.span, message: `This ${label} allows ${max.value} connections (${max.key}): more than a default PostgreSQL (100) or MySQL (151) server accepts from all clients together, and past a few per CPU core the database only gets slower. Use a smaller pool (10–30) per instance, and PgBouncer / RDS Proxy in front for many instances.`, data: { lib: p.lib, problem: 'too-large' } });
      }
    }
  },
};
