/** The connection-pooling rules (Node clients and pools, Prisma, Django, SQLAlchemy) and their gatherer. */
import type { FileGatherer, FileRule } from '../../kernel/contracts.js';
import { poolGatherer } from './gather.js';
import { poolClientPerRequest } from './rules/pool-client-per-request.js';
import { poolOptionsMissing } from './rules/pool-options-missing.js';
import { poolOptionsExtreme } from './rules/pool-options-extreme.js';
import { poolPrismaConnectionLimit } from './rules/pool-prisma-connection-limit.js';
import { poolDjangoConnMaxAge } from './rules/pool-django-conn-max-age.js';
import { poolSqlalchemyNullpool } from './rules/pool-sqlalchemy-nullpool.js';

export const POOL_RULES: FileRule[] = [poolClientPerRequest, poolOptionsMissing, poolOptionsExtreme, poolPrismaConnectionLimit, poolDjangoConnMaxAge, poolSqlalchemyNullpool];

export const POOL_GATHERERS: FileGatherer[] = [poolGatherer];
