/**
 * The quick fixes of the pool-* rules. Their edits are computed with the facts (pool-model.ts,
 * django.ts, sqlalchemy.ts); here they become fixes with their titles.
 */
import type { PendingFix } from '../../kernel/contracts.js';
import type { TextEditSpan } from '../../lang/javascript/edits.js';
import { CONN_MAX_AGE_FIX, type ConnMaxAgeProblem } from './django.js';
import { MYSQL_POOL_DEFAULTS, PG_POOL_DEFAULTS, type ClientCreation, type PoolOptions } from './pool-model.js';

/** Creates the client once at module level (`preferred` when it is the file's only hoistable client). */
export function hoistClientFix(path: string, hoist: NonNullable<ClientCreation['hoist']>, preferred: boolean): PendingFix {
  return { title: hoist.title, preferred, changes: [{ file: path, edits: hoist.edits }] };
}

/** Sets CONN_MAX_AGE (or passes conn_max_age to dj_database_url when the alias has none) to CONN_MAX_AGE_FIX. */
export function connMaxAgeFix(path: string, p: Pick<ConnMaxAgeProblem, 'via' | 'problem'>, edit: TextEditSpan): PendingFix {
  return { title: p.via === 'dj_database_url' && p.problem === 'absent' ? `Pass conn_max_age=${CONN_MAX_AGE_FIX}` : `Set CONN_MAX_AGE to ${CONN_MAX_AGE_FIX}`, preferred: true, changes: [{ file: path, edits: [edit] }] };
}

/** Adds the pg / mysql pool options the pool relies on defaults for, with explicit values. */
export function poolOptionsFix(path: string, p: Pick<PoolOptions, 'lib' | 'missing'>, edits: TextEditSpan[]): PendingFix {
  const defaults = p.lib === 'pg' ? PG_POOL_DEFAULTS : MYSQL_POOL_DEFAULTS;
  return { title: `Set ${p.missing.map((k) => `${k}: ${defaults[k]}`).join(', ')}`, preferred: true, changes: [{ file: path, edits }] };
}

/** Removes `connection_limit=1` from a Prisma datasource URL. */
export function prismaConnectionLimitFix(path: string, removal: TextEditSpan): PendingFix {
  return { title: 'Remove connection_limit=1 (use Prisma\'s default pool size)', preferred: true, changes: [{ file: path, edits: [removal] }] };
}

/** Removes `poolclass=NullPool` (and the NullPool import when nothing else uses it). */
export function nullPoolFix(path: string, removal: TextEditSpan[]): PendingFix {
  return { title: 'Remove poolclass=NullPool (use the default QueuePool)', preferred: true, changes: [{ file: path, edits: removal }] };
}
