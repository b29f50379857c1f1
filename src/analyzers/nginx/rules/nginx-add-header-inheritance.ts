import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { flag, headSpan, inheritsFrom, lookup, own } from '../context.js';
import { directiveText, insertBefore } from '../fixes.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { fixes, fixOf, label, levels, textOf, where } from './shared.js';

const KINDS = new Set(['server', 'location', 'if', 'limit_except']);

/** Headers whose loss matters: caching, security policies, CORS. Others (X-Cached, X-Served-By…) are reported at info. */
const IMPORTANT = /^(cache-control|expires|vary|strict-transport-security|content-security-policy(-report-only)?|x-frame-options|x-content-type-options|referrer-policy|permissions-policy|cross-origin-[a-z-]+-policy|x-xss-protection|access-control-[a-z-]+)$/i;

export const nginxAddHeaderInheritance: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-add-header-inheritance',
    title: 'add_header directives reach every level they are meant for',
    failureTitle: 'add_header in a block silently drops the headers set above it',
    description: 'A server or location with its own add_header inherits none of the add_header directives of the enclosing levels: the Cache-Control or security headers set there are silently not sent for its responses.',
    domain: 'nginx',
    checklistItem: 'browser-caching',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const c of levels(ctx.artifact)) {
      if (!KINDS.has(c.kind)) continue;
      const mine = own(c, 'add_header');
      if (!mine.length) continue;
      const mode = flag(c, 'add_header_inherit')?.value;
      if (mode === 'merge' || mode === 'off') continue;
      const parent = inheritsFrom(c);
      const above = parent && lookup(parent, 'add_header');
      if (!above) continue;
      const names = new Set(mine.map((n) => n.d.args[0]?.value.toLowerCase()));
      const dropped = above.nodes.filter((n) => !names.has(n.d.args[0]?.value.toLowerCase()));
      if (!dropped.length) continue;
      const first = mine[0].d;
      const list = dropped.map((n) => n.d.args[0]?.value ?? '?');
      const text = (f: string): string => textOf(ctx, f);
      const cc = list.some((h) => h.toLowerCase() === 'cache-control');
      const important = list.some((h) => IMPORTANT.test(h));
      ctx.report({
        file: first.file,
        span: headSpan(first),
        message: `${label(c)} has its own add_header, so it inherits none of those of ${label(above.ctx)} (${where(above.nodes[0], (f) => ctx.ws.textOf(f))}): its responses are sent without ${list.join(', ')}.${cc ? ' Without that Cache-Control, browsers do not cache them as intended.' : ''} Repeat them here (or, with nginx 1.29.3 or later, set "add_header_inherit merge;").`,
        ...(important ? {} : { severity: 'info' as const }),
        related: dropped.map((n) => ({ file: n.d.file, span: headSpan(n.d), message: `not sent for responses of ${label(c)}` })),
        fixes: fixes(fixOf(`Repeat the inherited add_header directives (${list.join(', ')}) here`, [{ file: first.file, edit: insertBefore(text(first.file), first, dropped.map((n) => directiveText(text(n.d.file), n.d))) }])),
        data: { dropped: list, cacheControl: cc },
      });
    }
  },
};
