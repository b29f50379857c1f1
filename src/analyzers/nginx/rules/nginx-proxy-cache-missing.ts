import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { flag, headSpan, locationPattern, lookup, own } from '../context.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { label, locations } from './shared.js';

const API = /(^|[/^])(api|rest|public-api|v[0-9]+)(\/|\$|\\|$|\b)/i;
/** Paths whose responses are per-user, streaming or not GETs: not worth a shared cache. */
const UNCACHEABLE = /(graphql|websocket|socket|\bws\b|sockjs|events|\bsse\b|stream|auth|login|logout|oauth|session|token|admin|account|upload|webhook|hooks|cart|checkout|payment)/i;

export const nginxProxyCacheMissing: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-proxy-cache-missing',
    title: 'Proxied API responses can be cached by nginx',
    failureTitle: 'Proxied API locations without proxy_cache',
    description: 'A location that proxies an API (/api, /v1, …) with no proxy_cache: every request reaches the backend, even identical GETs a second apart. A short micro-cache absorbs bursts.',
    domain: 'nginx',
    checklistItem: 'response-caching',
    defaultSeverity: 'info',
    fixable: false,
  },
  check(ctx) {
    for (const l of locations(ctx.artifact)) {
      const pass = own(l, 'proxy_pass');
      const p = locationPattern(l);
      if (!pass.length || !p || p.modifier === '@' || !API.test(p.pattern) || UNCACHEABLE.test(p.pattern)) continue;
      const cache = flag(l, 'proxy_cache');
      if (cache && cache.value !== 'off') continue;
      const upgrade = (lookup(l, 'proxy_set_header')?.nodes ?? []).some((n) => n.d.args[0]?.value.toLowerCase() === 'upgrade');
      if (upgrade) continue;
      const d = pass[pass.length - 1].d;
      ctx.report({
        file: d.file,
        span: headSpan(d),
        message: `${label(l)} proxies an API with ${cache ? '"proxy_cache off"' : 'no proxy_cache'}: every request reaches the backend, even identical GETs a second apart. For responses that are the same for every user, a micro-cache (proxy_cache_path in http, then "proxy_cache api; proxy_cache_valid 200 1s; proxy_cache_lock on; proxy_cache_use_stale updating;") absorbs bursts; per-user responses should say "Cache-Control: private" and can ignore this.`,
        data: { location: p.pattern },
      });
    }
  },
};
