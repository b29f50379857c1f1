/** The Node server rules (Express, Fastify, Koa, NestJS, Next.js custom servers) and their gatherer. */
import type { FileGatherer, FileRule } from '../../kernel/contracts.js';
import { serverGatherer } from './gather.js';
import { serverCompressionMissing } from './rules/server-compression-missing.js';
import { serverStaticCacheMissing } from './rules/server-static-cache-missing.js';
import { serverEtagDisabled } from './rules/server-etag-disabled.js';
import { serverResponseCachingMissing } from './rules/server-response-caching-missing.js';

export const SERVER_RULES: FileRule[] = [serverCompressionMissing, serverStaticCacheMissing, serverEtagDisabled, serverResponseCachingMissing];

export const SERVER_GATHERERS: FileGatherer[] = [serverGatherer];
