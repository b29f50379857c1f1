/** The Node server rules (Express, Fastify, Koa, NestJS, Next.js custom servers) and their gatherer. */
import type { FileGatherer, FileRule } from '../../kernel/contracts.js';
import { servedCodeOnly } from '../../kernel/served-code.js';
import { serverGatherer } from './gather.js';
import { desktopServerAsInfo } from './loopback.js';
import { serverCompressionMissing } from './rules/server-compression-missing.js';
import { serverStaticCacheMissing } from './rules/server-static-cache-missing.js';
import { serverEtagDisabled } from './rules/server-etag-disabled.js';
import { serverResponseCachingMissing } from './rules/server-response-caching-missing.js';
import type { Analyzer } from '../../kernel/contracts.js';

export const SERVER_RULES: FileRule[] = [serverCompressionMissing, serverStaticCacheMissing, serverEtagDisabled, serverResponseCachingMissing].map((r) => servedCodeOnly(desktopServerAsInfo(r)));

export const SERVER_GATHERERS: FileGatherer[] = [serverGatherer];

/** The Node server analyzer: Express, Fastify, Koa, NestJS and Next.js servers (and their package.json, tsconfig, next.config). */
export const nodeServerAnalyzer: Analyzer = {
  id: 'node-server',
  title: 'Node.js servers',
  watch: ['*.ts', '*.tsx', '*.js', '*.jsx', '*.mjs', '*.cjs', '*.mts', '*.cts', 'package.json', 'tsconfig.json', 'tsconfig.*.json'],
  rules: SERVER_RULES,
  gatherers: SERVER_GATHERERS,
};
