/** The nginx analyzer's rules and gatherer, registered in rules/index.ts and gatherers/index.ts. */
import type { FileRule } from '../rule.js';
import { NGINX_GATHERERS } from '../../gatherers/nginx.js';
import { nginxGzipDisabled } from './nginx-gzip-disabled.js';
import { nginxGzipTypesIncomplete } from './nginx-gzip-types-incomplete.js';
import { nginxBrotliMissing } from './nginx-brotli-missing.js';
import { nginxStaticCacheMissing } from './nginx-static-cache-missing.js';
import { nginxAddHeaderInheritance } from './nginx-add-header-inheritance.js';
import { nginxUpstreamKeepaliveMissing } from './nginx-upstream-keepalive-missing.js';
import { nginxProxyCacheMissing } from './nginx-proxy-cache-missing.js';
import { nginxSendfileOff } from './nginx-sendfile-off.js';
import { nginxHttp2Missing } from './nginx-http2-missing.js';
import { nginxParseError } from './nginx-parse-error.js';

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
];

export { NGINX_GATHERERS };
