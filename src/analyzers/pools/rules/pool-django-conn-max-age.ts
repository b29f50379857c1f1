import type { FileRule } from '../../../kernel/contracts.js';
import type { PoolArtifact } from '../gather.js';
import { CONN_MAX_AGE_FIX } from '../django.js';
import { connMaxAgeFix } from '../fixes.js';

export const poolDjangoConnMaxAge: FileRule<PoolArtifact> = {
  kind: 'file',
  gatherer: 'pool',
  meta: {
    id: 'pool-django-conn-max-age',
    title: 'Django keeps database connections open between requests',
    failureTitle: 'Django opens a new database connection for every request (CONN_MAX_AGE = 0)',
    description: 'A Django settings module whose database alias has `CONN_MAX_AGE` 0 or unset (Django\'s default, also dj_database_url\'s): every request opens and closes a database connection, adding a handshake to each request.',
    domain: 'pools',
    checklistItem: 'connection-pooling',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    if (a.kind !== 'python' || !a.facts.django || a.testFile) return;
    for (const p of a.facts.django.problems) {
      if (p.problem === 'absent' && a.connMaxAgeElsewhere) continue;
      const what = p.problem === 'zero' ? `sets CONN_MAX_AGE to 0` : p.problem === 'invalid' ? 'sets CONN_MAX_AGE to a string (Django adds it to a time: a TypeError on the first query)' : p.via === 'dj_database_url' ? 'uses dj_database_url without conn_max_age (it defaults to 0)' : 'does not set CONN_MAX_AGE (Django defaults to 0)';
      ctx.report({
        span: p.span,
        message: `Database "${p.alias}" ${what}: Django opens a new database connection for every request and closes it at the end. Set it to ${CONN_MAX_AGE_FIX} (seconds) to reuse connections, with CONN_HEALTH_CHECKS = True; on Django 5.1+ with PostgreSQL, OPTIONS {"pool": True} is an alternative.`,
        ...(p.fix ? { fixes: [connMaxAgeFix(ctx.path, p, p.fix)] } : {}),
        data: { alias: p.alias, problem: p.problem, via: p.via },
      });
    }
  },
};
