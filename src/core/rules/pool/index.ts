/** The connection-pooling rules (Node clients and pools, Prisma, Django, SQLAlchemy) and their gatherer. */
import type { FileGatherer, FileRule } from '../rule.js';
import { poolGatherer } from '../../gatherers/pool.js';
import { poolClientPerRequest } from './pool-client-per-request.js';
import { poolOptionsMissing } from './pool-options-missing.js';
import { poolOptionsExtreme } from './pool-options-extreme.js';
import { poolPrismaConnectionLimit } from './pool-prisma-connection-limit.js';
import { poolDjangoConnMaxAge } from './pool-django-conn-max-age.js';
import { poolSqlalchemyNullpool } from './pool-sqlalchemy-nullpool.js';

export const POOL_RULES: FileRule[] = [poolClientPerRequest, poolOptionsMissing, poolOptionsExtreme, poolPrismaConnectionLimit, poolDjangoConnMaxAge, poolSqlalchemyNullpool];

export const POOL_GATHERERS: FileGatherer[] = [poolGatherer];
