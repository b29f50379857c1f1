import type { FileRule } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { allContexts, flag, headSpan, inheritsFrom, lookup, own } from '../context.js';
import { directiveText, insertAtBlockEnd, insertBefore, replaceDirective, type SpanEdit } from '../fixes.js';
import type { Ctx, ENode } from '../model.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { fixes, fixOf, levels, textOf, type NginxRuleContext } from './shared.js';

interface Proxy {
  ctx: Ctx;
  node: ENode;
  scheme: string;
  host: string;
  port?: string;
}

const TARGET = /^(https?):\/\/(\[[^\]]+\]|[^/:$?]+)(?::(\d+))?(?:[/?].*)?$/i;

function proxies(a: NginxArtifact): Proxy[] {
  const out: Proxy[] = [];
  for (const c of levels(a)) {
    for (const n of own(c, 'proxy_pass')) {
      const v = n.d.args[0]?.value ?? '';
      const m = TARGET.exec(v);
      if (!m || v.includes('$')) continue;
      out.push({ ctx: c, node: n, scheme: m[1].toLowerCase(), host: m[2], ...(m[3] ? { port: m[3] } : {}) });
    }
  }
  return out;
}

/** The edits that make a proxying location use an upstream's idle connections: HTTP/1.1 and an empty Connection header. */
function proxyEdits(ctx: NginxRuleContext, p: Proxy): { file: string; edit: SpanEdit | undefined }[] | undefined {
  if (p.ctx.kind !== 'location') return undefined; // proxy_http_version is not allowed in "if"
  const d = p.node.d;
  const text = textOf(ctx, d.file);
  const out: { file: string; edit: SpanEdit | undefined }[] = [];
  const lines: string[] = [];
  const version = flag(p.ctx, 'proxy_http_version');
  if (version?.value !== '1.1') {
    const mine = own(p.ctx, 'proxy_http_version');
    if (mine.length && mine[mine.length - 1].d.file === d.file) out.push({ file: d.file, edit: replaceDirective(text, mine[mine.length - 1].d, ['proxy_http_version 1.1;']) });
    else lines.push('proxy_http_version 1.1;');
  }
  if (!connectionCleared(p.ctx)) {
    // A proxy_set_header here would stop the enclosing levels' proxy_set_header from applying: repeat them.
    if (!own(p.ctx, 'proxy_set_header').length) {
      const parent = inheritsFrom(p.ctx);
      for (const n of (parent && lookup(parent, 'proxy_set_header')?.nodes) || []) {
        if (n.d.args[0]?.value.toLowerCase() !== 'connection') lines.push(directiveText(textOf(ctx, n.d.file), n.d));
      }
    }
    lines.push('proxy_set_header Connection "";');
  }
  if (lines.length) out.push({ file: d.file, edit: insertBefore(text, d, lines) });
  return out;
}

/**
 * A Connection header other than nginx's default "close" applies here: `proxy_set_header
 * Connection ""` (or a variable from a map, or "upgrade", as WebSocket setups do).
 */
function connectionCleared(c: Ctx): boolean {
  const h = (lookup(c, 'proxy_set_header')?.nodes ?? []).filter((n) => n.d.args[0]?.value.toLowerCase() === 'connection');
  const v = h[h.length - 1]?.d.args[1]?.value;
  return v !== undefined && v.trim().toLowerCase() !== 'close';
}

export const nginxUpstreamKeepaliveMissing: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-upstream-keepalive-missing',
    title: 'nginx keeps connections to upstreams alive',
    failureTitle: 'nginx opens a new upstream connection for every request',
    description: 'An upstream block without keepalive, or a proxy_pass to a keepalive upstream without proxy_http_version 1.1 and an empty Connection header: nginx connects (TCP, and TLS for https) to the backend for every request.',
    domain: 'nginx',
    checklistItem: 'connection-pooling',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    const own_ = levels(a).filter((c) => c.kind === 'upstream' && c.node);
    const external = a.root?.parent ? allContexts(a.root.parent).filter((c) => c.kind === 'upstream' && c.node) : [];
    const byName = new Map<string, Ctx>();
    for (const u of [...external, ...own_]) byName.set(u.node!.d.args[0]?.value ?? '', u);
    const ps = proxies(a);
    for (const u of own_) {
      if (own(u, 'keepalive').length) continue;
      const d = u.node!.d;
      const name = d.args[0]?.value ?? '';
      const users = ps.filter((p) => p.host === name && !p.port);
      const https = users.some((p) => p.scheme === 'https');
      const edits = [{ file: d.file, edit: insertAtBlockEnd(textOf(ctx, d.file), d, ['keepalive 32;']) }];
      for (const p of users) edits.push(...(proxyEdits(ctx, p) ?? []));
      ctx.report({
        file: d.file,
        span: headSpan(d),
        message: `upstream ${name} has no keepalive: nginx opens a new ${https ? 'TCP and TLS' : 'TCP'} connection to a backend for every proxied request and closes it afterwards, adding a handshake to each request's latency and leaving sockets in TIME_WAIT.${users.length ? ' Add "keepalive", and have the locations that proxy to it use HTTP/1.1 with an empty Connection header.' : ''}`,
        fixes: fixes(fixOf(users.length ? `Add "keepalive 32;" to upstream ${name} and HTTP/1.1 keep-alive to the ${users.length === 1 ? 'location' : 'locations'} using it` : `Add "keepalive 32;" to upstream ${name}`, edits)),
        data: { kind: 'upstream', upstream: name },
      });
    }
    for (const p of ps) {
      const u = p.port ? undefined : byName.get(p.host);
      const d = p.node.d;
      if (!u) {
        // A bare name could be an upstream declared in a file outside the workspace.
        if (!p.port && !/[.:[]/.test(p.host) && p.host !== 'localhost') continue;
        // A literal address: nginx cannot keep connections to it alive (keepalive exists only in upstream blocks).
        const target = `${p.host}${p.port ? `:${p.port}` : ''}`;
        ctx.report({
          file: d.file,
          span: headSpan(d),
          severity: 'info',
          message: `proxy_pass goes straight to ${target}, not to an upstream block, so nginx cannot keep connections to it alive: every request opens a new connection. Declare \`upstream app { server ${target}; keepalive 32; }\`, proxy_pass to http://app, and set \`proxy_http_version 1.1;\` and \`proxy_set_header Connection "";\`.`,
          data: { kind: 'direct', target },
        });
        continue;
      }
      if (!own(u, 'keepalive').length) continue; // reported on the upstream
      const version = flag(p.ctx, 'proxy_http_version')?.value === '1.1';
      const conn = connectionCleared(p.ctx);
      if (version && conn) continue;
      const problem = [!version ? 'speaks HTTP/1.0 to the backend (nginx\'s default for proxying)' : '', !conn ? 'sends "Connection: close"' : ''].filter(Boolean).join(' and ');
      const edits = proxyEdits(ctx, p);
      ctx.report({
        file: d.file,
        span: headSpan(d),
        message: `upstream ${p.host} keeps idle connections (keepalive), but this proxy_pass ${problem}, so every request still opens a new connection. Set \`proxy_http_version 1.1;\` and \`proxy_set_header Connection "";\`.`,
        fixes: fixes(edits && edits.length ? fixOf('Use HTTP/1.1 with an empty Connection header for this proxy_pass', edits) : undefined),
        data: { kind: 'proxy', upstream: p.host },
      });
    }
  },
};
