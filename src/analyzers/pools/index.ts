/** The connection-pooling rules (Node clients and pools, Prisma, Django, SQLAlchemy) and their gatherer. */
import type { FileGatherer, FileRule } from '../../kernel/contracts.js';
import { servedCodeOnly } from '../../kernel/served-code.js';
import { poolGatherer } from './gather.js';
import { poolClientPerRequest } from './rules/pool-client-per-request.js';
import { poolOptionsMissing } from './rules/pool-options-missing.js';
import { poolOptionsExtreme } from './rules/pool-options-extreme.js';
import { poolPrismaConnectionLimit } from './rules/pool-prisma-connection-limit.js';
import { poolDjangoConnMaxAge } from './rules/pool-django-conn-max-age.js';
import { poolSqlalchemyNullpool } from './rules/pool-sqlalchemy-nullpool.js';
import type { Analyzer } from '../../kernel/contracts.js';

export const POOL_RULES: FileRule[] = [poolClientPerRequest, poolOptionsMissing, poolOptionsExtreme, poolPrismaConnectionLimit, poolDjangoConnMaxAge, poolSqlalchemyNullpool].map(servedCodeOnly);

export const POOL_GATHERERS: FileGatherer[] = [poolGatherer];

/** The connection-pool analyzer: Node clients and pools, Prisma, Django settings, SQLAlchemy engines, .env URLs. */
export const poolsAnalyzer: Analyzer = {
  id: 'pools',
  title: 'Database connection pools',
  watch: ['*.ts', '*.tsx', '*.js', '*.jsx', '*.mjs', '*.cjs', '*.mts', '*.cts', '*.py', 'package.json', 'requirements*.txt', 'pyproject.toml', 'Pipfile', 'setup.cfg', 'serverless.yml', 'serverless.yaml', 'zappa_settings.json', '.env', '.env.*'],
  rules: POOL_RULES,
  gatherers: POOL_GATHERERS,
};
