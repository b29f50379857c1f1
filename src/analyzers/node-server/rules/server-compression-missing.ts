import type { FileRule, PendingFix, RuleReport } from '../../../kernel/contracts.js';
import type { ServerArtifact } from '../gather.js';
import type { ServerApp } from '../server-model.js';
import { addDependenciesEdit, importStatement, majorOf, readPackageJson, type TextEditSpan } from '../../../lang/javascript/edits.js';
import { appLabel } from './shared.js';

/** Published versions the fix declares (checked with `npm view`). */
export const COMPRESSION_VERSIONS = {
  compression: '^1.8.2',
  '@types/compression': '^1.8.1',
  'koa-compress': '^5.2.2',
  '@types/koa-compress': '^4.0.7',
  /** @fastify/compress 9.x needs fastify 5; 7.x is the line for fastify 4. */
  fastifyCompress: { 5: '^9.2.0', 4: '^7.0.3' } as Record<number, string>,
};

interface Plan {
  module: string;
  local: string;
  use: (app: string, local: string) => string;
  deps: { name: string; version: string; dev?: boolean }[];
  namespace: boolean;
}

function planFor(app: ServerApp, a: ServerArtifact): Plan | undefined {
  const ts = a.fix.typescript;
  // TypeScript without esModuleInterop (the NestJS default) needs `import * as` for CommonJS packages.
  const cjsNamespace = ts && a.fix.moduleStyle === 'esm' && (a.fix.namespaceImports || (app.framework === 'nest' ? a.esModuleInterop !== true : a.esModuleInterop === false));
  if (app.framework === 'express' || (app.framework === 'nest' && app.adapter !== 'fastify')) {
    return {
      module: 'compression', local: 'compression', namespace: cjsNamespace,
      use: (n, l) => `${n}.use(${l}())`,
      deps: [{ name: 'compression', version: COMPRESSION_VERSIONS.compression }, ...(ts ? [{ name: '@types/compression', version: COMPRESSION_VERSIONS['@types/compression'], dev: true }] : [])],
    };
  }
  if (app.framework === 'koa') {
    return {
      module: 'koa-compress', local: 'compress', namespace: cjsNamespace,
      use: (n, l) => `${n}.use(${l}())`,
      deps: [{ name: 'koa-compress', version: COMPRESSION_VERSIONS['koa-compress'] }, ...(ts ? [{ name: '@types/koa-compress', version: COMPRESSION_VERSIONS['@types/koa-compress'], dev: true }] : [])],
    };
  }
  if (app.framework === 'fastify' || app.framework === 'nest') {
    const nestMajor = majorOf(a.deps['@nestjs/platform-fastify']);
    const fastifyMajor = majorOf(a.deps.fastify) ?? (nestMajor !== undefined ? (nestMajor >= 11 ? 5 : 4) : 5);
    const version = COMPRESSION_VERSIONS.fastifyCompress[fastifyMajor];
    if (!version) return undefined;
    return {
      module: '@fastify/compress', local: app.framework === 'nest' ? 'compression' : 'fastifyCompress', namespace: false,
      use: app.framework === 'nest' ? (n, l) => `await ${n}.register(${l})` : (n, l) => `${n}.register(${l})`,
      deps: [{ name: '@fastify/compress', version }],
    };
  }
  return undefined;
}

function buildFix(app: ServerApp, a: ServerArtifact, text: string, path: string, pkgText: string | undefined): PendingFix | undefined {
  if (!app.name || app.insertAfter === undefined) return undefined;
  const plan = planFor(app, a);
  if (!plan) return undefined;
  const f = a.fix;
  let local = Object.entries(f.imports).find(([, b]) => b.source === plan.module && (b.imported === 'default' || b.imported === '*'))?.[0];
  const edits: TextEditSpan[] = [];
  let importText = '';
  if (!local) {
    local = [plan.local, `${plan.local}Middleware`].find((n) => !f.topLevel.includes(n) && n !== app.name);
    if (!local) return undefined;
    importText = importStatement({ local, source: plan.module, style: f.moduleStyle, namespace: plan.namespace, quote: f.quote, semi: f.semi }) + f.eol;
  }
  const semi = f.semi ? ';' : '';
  const lead = app.insertAfter === text.length && !/[\r\n]$/.test(text) ? f.eol : '';
  const useText = `${lead}${app.indent}${plan.use(app.name, local)}${semi}${f.eol}`;
  if (importText && f.importAt === app.insertAfter) edits.push({ span: { start: f.importAt, end: f.importAt }, newText: importText + useText });
  else {
    if (importText) edits.push({ span: { start: f.importAt, end: f.importAt }, newText: importText });
    edits.push({ span: { start: app.insertAfter, end: app.insertAfter }, newText: useText });
  }
  const changes: PendingFix['changes'] = [{ file: path, edits }];
  let addsDep = false;
  if (a.packageJson && pkgText !== undefined && !a.packageJson.error) {
    const pkgEdit = addDependenciesEdit(readPackageJson(a.packageJson.path, pkgText), plan.deps);
    if (pkgEdit) {
      changes.push({ file: a.packageJson.path, edits: [pkgEdit] });
      addsDep = true;
    }
  }
  return {
    title: `Add ${plan.use(app.name, local)}${addsDep ? ` and the ${plan.module} dependency` : ''}`,
    preferred: true,
    changes,
  };
}

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
          fixes: [{ title: 'Call the compression factory', preferred: true, changes: [{ file: ctx.path, edits: [{ span: { start: u.notCalled.insertAt, end: u.notCalled.insertAt }, newText: '()' }] }] }],
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
        ...(u.late.move ? { fixes: [{ title: 'Move the compression middleware before the first route', preferred: true, changes: [{ file: ctx.path, edits: u.late.move }] }] } : {}),
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
          : `${label} sends responses uncompressed: no compression middleware is registered. Add ${how} before the routes, or turn this rule off if a reverse proxy or CDN compresses responses.`,
        data: { framework: app.framework, ...(app.adapter ? { adapter: app.adapter } : {}) },
      };
      const fix = globalOff ? undefined : buildFix(app, a, ctx.text, ctx.path, pkgText);
      if (fix) report.fixes = [fix];
      ctx.report(report);
    }
  },
};
