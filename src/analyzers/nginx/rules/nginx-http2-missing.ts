import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { allContexts, flag, headSpan, own } from '../context.js';
import { insertAfter } from '../fixes.js';
import type { NginxDirective } from '../model.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { fixes, fixOf, servers, textOf } from './shared.js';

/** `443`, `*:443`, `0.0.0.0:443` → "*:443"; `[::]:443` stays; `unix:` paths as is. */
function socketOf(addr: string): string {
  if (/^\d+$/.test(addr)) return `*:${addr}`;
  if (/^(\*|0\.0\.0\.0):\d+$/.test(addr)) return `*:${addr.slice(addr.lastIndexOf(':') + 1)}`;
  if (/^[^:[\]]+$/.test(addr)) return `${addr}:80`;
  return addr;
}

export const nginxHttp2Missing: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-http2-missing',
    title: 'TLS listeners negotiate HTTP/2',
    failureTitle: 'TLS listeners without HTTP/2',
    description: 'A `listen … ssl` without http2: browsers talk HTTP/1.1 over TLS, opening up to six connections (six TLS handshakes) per origin and queueing requests on them instead of multiplexing them on one.',
    domain: 'nginx',
    checklistItem: 'tls-encryption',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    // Before nginx 1.25.1, http2 on one listen of an address:port enables it for every server on that socket.
    const h2Sockets = new Set<string>();
    const root = a.root?.parent ? [a.root.parent, a.root] : a.root ? [a.root] : [];
    for (const r of root) {
      for (const c of allContexts(r)) {
        if (c.kind !== 'server') continue;
        for (const n of own(c, 'listen')) if (n.d.args.slice(1).some((x) => x.value === 'http2')) h2Sockets.add(socketOf(n.d.args[0]?.value ?? ''));
      }
    }
    for (const s of servers(a)) {
      if (flag(s, 'http2')?.value === 'on') continue;
      const legacySsl = flag(s, 'ssl')?.value === 'on';
      for (const n of own(s, 'listen')) {
        const d: NginxDirective = n.d;
        const addr = d.args[0]?.value ?? '';
        const params = d.args.slice(1).map((x) => x.value.toLowerCase());
        const tls = params.includes('ssl') || (legacySsl && /(^|:)443$/.test(addr));
        if (!tls || params.includes('quic') || params.includes('http2') || h2Sockets.has(socketOf(addr))) continue;
        const last = d.args[d.args.length - 1];
        const text = textOf(ctx, d.file);
        ctx.report({
          file: d.file,
          span: headSpan(d),
          message: `This TLS listener (listen ${d.args.map((x) => x.raw).join(' ')}) does not enable HTTP/2: browsers fall back to HTTP/1.1, opening up to six connections per origin — each with its own TLS handshake — and queueing requests on them instead of multiplexing them on one.`,
          fixes: fixes(
            fixOf('Add http2 to the listen directive', [{ file: d.file, edit: { span: { start: last.span.end, end: last.span.end }, newText: ' http2' } }]),
            fixOf('Add "http2 on;" (nginx 1.25.1 or later)', [{ file: d.file, edit: insertAfter(text, d, ['http2 on;']) }], false),
          ),
          data: { listen: addr },
        });
      }
    }
  },
};
