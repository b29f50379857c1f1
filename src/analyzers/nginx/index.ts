/** The nginx analyzer's rules and gatherer, registered in rules/index.ts and gatherers/index.ts. */
import type { FileRule } from '../../kernel/contracts.js';
import { servedCodeOnly } from '../../kernel/served-code.js';
import { localSetupAsInfo } from './local-setup.js';
import { NGINX_GATHERERS } from './gather.js';
import { nginxGzipDisabled } from './rules/nginx-gzip-disabled.js';
import { nginxGzipTypesIncomplete } from './rules/nginx-gzip-types-incomplete.js';
import { nginxBrotliMissing } from './rules/nginx-brotli-missing.js';
import { nginxStaticCacheMissing } from './rules/nginx-static-cache-missing.js';
import { nginxAddHeaderInheritance } from './rules/nginx-add-header-inheritance.js';
import { nginxUpstreamKeepaliveMissing } from './rules/nginx-upstream-keepalive-missing.js';
import { nginxProxyCacheMissing } from './rules/nginx-proxy-cache-missing.js';
import { nginxSendfileOff } from './rules/nginx-sendfile-off.js';
import { nginxHttp2Missing } from './rules/nginx-http2-missing.js';
import { nginxParseError } from './rules/nginx-parse-error.js';
import type { Analyzer } from '../../kernel/contracts.js';
import { isNginxPath, MAX_INCLUDE_DEPTH, unreadIncludes } from './analyze.js';

export const NGINX_RULES: FileRule[] = [
  nginxGzipDisabled,
  nginxGzipTypesIncomplete,
  nginxBrotliMissing,
  nginxStaticCacheMissing,
  nginxAddHeaderInheritance,
  nginxUpstreamKeepaliveMissing,
  nginxProxyCacheMissing,
  nginxSendfileOff,
  nginxHttp2Missing,
  nginxParseError,
].map((r) => servedCodeOnly(localSetupAsInfo(r)));

export { NGINX_GATHERERS };

/** The nginx analyzer: nginx.conf and site files, with their includes followed. */
export const nginxAnalyzer: Analyzer = {
  id: 'nginx',
  title: 'nginx configs',
  watch: ['*.conf', '*.conf.template', '*.nginx', '*.inc', 'mime.types', '*_params', 'sites-available/**', 'sites-enabled/**', 'conf.d/**', 'vhost/**', 'vhosts/**', 'vhost.d/**', 'vhosts.d/**'],
  rules: NGINX_RULES,
  gatherers: NGINX_GATHERERS,
  includes: { mayIncludeFiles: isNginxPath, pathsToRead: unreadIncludes, maxDepth: MAX_INCLUDE_DEPTH },
};
