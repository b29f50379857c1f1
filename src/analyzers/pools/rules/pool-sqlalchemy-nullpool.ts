import type { FileRule } from '../../../kernel/contracts.js';
import type { PoolArtifact } from '../gather.js';
import { nullPoolFix } from '../fixes.js';

export const poolSqlalchemyNullpool: FileRule<PoolArtifact> = {
  kind: 'file',
  gatherer: 'pool',
  meta: {
    id: 'pool-sqlalchemy-nullpool',
    title: 'SQLAlchemy engines pool connections',
    failureTitle: 'SQLAlchemy NullPool in a web application',
    description: '`poolclass=NullPool` on a SQLAlchemy engine of a Flask / FastAPI / Django / Starlette… application: every session checkout opens a new database connection and closes it afterwards.',
    domain: 'pools',
    checklistItem: 'connection-pooling',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    if (a.kind !== 'python' || !a.facts.nullPool.length) return;
    // NullPool is right behind PgBouncer (transaction pooling), in serverless functions and in tests.
    if (!a.webFramework || a.serverless || a.testFile || a.facts.mentionsPgbouncer) return;
    for (const u of a.facts.nullPool) {
      ctx.report({
        span: u.span,
        message: `NullPool opens a new database connection for every session checkout and closes it afterwards, so each request of this ${a.webFramework} application pays a connection handshake. Remove it to use SQLAlchemy's QueuePool (tune pool_size / max_overflow / pool_pre_ping), unless a pooler such as PgBouncer sits in front.`,
        fixes: [nullPoolFix(ctx.path, u.removal)],
        data: { form: u.form, framework: a.webFramework },
      });
    }
  },
};
