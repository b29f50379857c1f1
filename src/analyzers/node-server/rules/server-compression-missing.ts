import type { FileRule, RuleReport } from '../../../kernel/contracts.js';
import type { ServerArtifact } from '../gather.js';
import { callCompressionFactoryFix, compressionFix, moveCompressionFix } from '../fixes.js';
import { appLabel } from './shared.js';
import { codeRoleOf, isTestLike } from '../../../kernel/code-role.js';

export const serverCompressionMissing: FileRule<ServerArtifact> = {
  kind: 'file',
  gatherer: 'server',
  meta: {
    id: 'server-compression-missing',
    title: 'Node servers compress responses',
    failureTitle: 'Node server without compression middleware',
    description: 'An Express, Fastify, Koa or NestJS app (or a Next.js custom server with `compress: false`) that registers no compression middleware sends HTML, JSON, JS and CSS uncompressed, typically 3–10× larger than gzip or brotli.',
    domain: 'node-server',
    checklistItem: 'compression',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const a = ctx.artifact;
    if (!a.apps.length) return;
    for (const u of a.uses) {
      if (u.kind === 'compression' && u.notCalled) {
        ctx.report({
          span: u.span,
          severity: 'error',
          message: `\`${ctx.text.slice(u.span.start, u.span.end)}\` is passed to use() without being called: it is a factory, so the server calls it with (req, res, next) as options and every request hangs. Call it: \`${ctx.text.slice(u.span.start, u.span.end)}()\`.`,
          fixes: [callCompressionFactoryFix(ctx.path, u.notCalled.insertAt)],
          data: { reason: 'not-called' },
        });
      }
    }
    for (const u of a.uses) {
      if (u.kind !== 'compression' || !u.late) continue;
      const line = ctx.text.slice(0, u.late.first.start).split('\n').length;
      const mw = ctx.text.slice(u.span.start, u.span.end).replace(/\s+/g, ' ');
      ctx.report({
        span: u.span,
        message: `\`${mw.length > 40 ? `${mw.slice(0, 37)}…` : mw}\` is registered after \`${u.late.firstText}\` (line ${line}): ${u.late.framework === 'koa' ? 'Koa' : 'Express'} runs middleware in registration order, so the responses of the routes and static files registered before it are sent uncompressed. Register compression before the first route and static middleware.`,
        related: [{ file: ctx.path, span: u.late.first, message: 'answered before compression runs' }],
        ...(u.late.move ? { fixes: [moveCompressionFix(ctx.path, u.late.move)] } : {}),
        data: { reason: 'after-routes' },
      });
    }
    if (a.uses.some((u) => u.kind === 'compression' && !u.notCalled && !u.globalOff)) return;
    if (a.compressionElsewhere) return;
    const next = a.apps.find((x) => x.framework === 'next');
    if (next) {
      // Next.js compresses what it serves unless next.config sets compress: false.
      if (!a.nextCompressDisabled) return;
      ctx.report({
        span: next.span,
        message: `This Next.js custom server serves uncompressed responses: ${a.nextCompressDisabled.file} sets \`compress: false\` and the server registers no compression middleware. Remove \`compress: false\`, or compress in front of it (a reverse proxy or CDN) and turn this rule off.`,
        related: [{ file: a.nextCompressDisabled.file, span: a.nextCompressDisabled.span, message: 'compression turned off here' }],
        data: { framework: 'next' },
      });
      return;
    }
    const globalOff = a.uses.find((u) => u.kind === 'compression' && u.globalOff);
    // A reverse proxy in the workspace that compresses what it proxies (nginx: gzip on where proxy_pass is; read by gatherer id).
    const proxy = ctx.artifactsOf<{ compressesProxied?: { file: string; span: { start: number; end: number } } }>('nginx')
      .map((x) => x.artifact.compressesProxied).find((x) => x && !isTestLike(codeRoleOf(ctx.settings, x.file)));
    // Precompressed static files (express-static-gzip, @fastify/static preCompressed): the assets, the bulk of the bytes, are compressed already.
    const precompressed = /express-static-gzip|expressStaticGzip|serve-static-gzip|preCompressed\s*:\s*true/.exec(ctx.text)?.[0];
    const pkgText = a.packageJson ? ctx.ws.textOf(a.packageJson.path) : undefined;
    for (const app of a.apps) {
      const label = appLabel(app);
      const how = app.framework === 'koa' ? '`app.use(compress())` (koa-compress)'
        : app.framework === 'fastify' || (app.framework === 'nest' && app.adapter === 'fastify') ? '`app.register(fastifyCompress)` (@fastify/compress)'
        : '`app.use(compression())` (the compression package)';
      const report: RuleReport = {
        span: app.span,
        message: globalOff
          ? `${label} registers @fastify/compress with \`global: false\`: responses are compressed only where a route opts in. Remove \`global: false\` unless a reverse proxy or CDN compresses responses.`
          : proxy
            ? `${label} registers no compression middleware, but ${proxy.file} proxies to a backend with gzip on: if this app runs behind that nginx, browsers get compressed responses and nothing is needed. If it is also reached directly, add ${how}.`
            : precompressed
            ? `${label} serves its static files precompressed (${precompressed}), but its other responses (HTML, JSON) go out uncompressed: no compression middleware is registered. Add ${how} before the routes, or turn this rule off if a reverse proxy or CDN compresses responses.`
            : `${label} sends responses uncompressed: no compression middleware is registered. Add ${how} before the routes, or turn this rule off if a reverse proxy or CDN compresses responses.`,
        ...((precompressed || proxy) && !globalOff ? { severity: 'info' as const } : {}),
        ...(proxy ? { related: [{ file: proxy.file, span: proxy.span, message: 'nginx compresses the responses it proxies here' }] } : {}),
        data: { framework: app.framework, ...(app.adapter ? { adapter: app.adapter } : {}), ...(precompressed ? { precompressed: true } : {}), ...(proxy ? { proxy: proxy.file } : {}) },
      };
      const fix = globalOff ? undefined : compressionFix(app, a, ctx.text, ctx.path, pkgText);
      if (fix) report.fixes = [fix];
      ctx.report(report);
    }
  },
};
