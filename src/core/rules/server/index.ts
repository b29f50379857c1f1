/** The Node server rules (Express, Fastify, Koa, NestJS, Next.js custom servers) and their gatherer. */
import type { FileGatherer, FileRule } from '../rule.js';
import { serverGatherer } from '../../gatherers/server.js';
import { serverCompressionMissing } from './server-compression-missing.js';
import { serverStaticCacheMissing } from './server-static-cache-missing.js';
import { serverEtagDisabled } from './server-etag-disabled.js';
import { serverResponseCachingMissing } from './server-response-caching-missing.js';

export const SERVER_RULES: FileRule[] = [serverCompressionMissing, serverStaticCacheMissing, serverEtagDisabled, serverResponseCachingMissing];

export const SERVER_GATHERERS: FileGatherer[] = [serverGatherer];
