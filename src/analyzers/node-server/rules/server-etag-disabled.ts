import type { FileRule } from '../../../kernel/contracts.js';
import type { ServerArtifact } from '../gather.js';
import { removeEtagDisableFix, staticEtagOnFix } from '../fixes.js';
import { staticLabel } from './shared.js';

export const serverEtagDisabled: FileRule<ServerArtifact> = {
  kind: 'file',
  gatherer: 'server',
  meta: {
    id: 'server-etag-disabled',
    title: 'Responses carry ETags',
    failureTitle: 'ETags disabled on a Node server',
    description: "`app.set('etag', false)` / `app.disable('etag')` in Express (or NestJS on Express), or `etag: false` on static serving: browsers cannot revalidate with If-None-Match, so unchanged responses are downloaded again in full.",
    domain: 'node-server',
    checklistItem: 'browser-caching',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    for (const e of a.etagDisabled) {
      const stmt = e.statement;
      ctx.report({
        span: e.span,
        message: `\`${e.how}\` turns ETags off: browsers cannot revalidate with If-None-Match, so every unchanged response is sent again in full instead of a 304. Express's default weak ETags are computed from the body and work behind a load balancer; remove this line.`,
        ...(stmt ? { fixes: [removeEtagDisableFix(ctx.text, ctx.path, e.how, stmt)] } : {}),
        data: { kind: 'app' },
      });
    }
    for (const s of a.statics) {
      if (s.etag?.value !== false) continue;
      ctx.report({
        span: s.etag.valueSpan,
        message: `${staticLabel(s)} is configured with \`etag: false\`: browsers cannot revalidate these files with If-None-Match${s.options?.props.lastModified ? '' : ' (only Last-Modified is left)'}, and a changed file with the same modification time is never noticed. Remove \`etag: false\`.`,
        fixes: [staticEtagOnFix(ctx.path, s.etag.valueSpan)],
        data: { kind: 'static', lib: s.lib },
      });
    }
  },
};
