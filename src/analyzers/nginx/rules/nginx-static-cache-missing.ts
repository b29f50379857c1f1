import type { FileRule, PendingFix } from '../../../kernel/contracts.js';
import type { NginxArtifact } from '../analyze.js';
import { allContexts, cachePolicy, headSpan, inheritsFrom, isStaticHandler, LONG_LIVED, locationPattern, lookup, matchLocation, ONE_YEAR, own, staticLocationKind, type CachePolicy, type StaticLocationKind } from '../context.js';
import { directiveText, insertAtBlockStart, replaceDirective, type SpanEdit } from '../fixes.js';
import type { Ctx } from '../model.js';
import { NGINX_GATHERER_ID } from '../gather.js';
import { fixes, fixOf, human, label, servers, textOf, type NginxRuleContext } from './shared.js';

const IMMUTABLE_HEADER = 'add_header Cache-Control "public, immutable";';

function isCacheControl(n: { d: { args: { value: string }[] } }): boolean {
  return n.d.args[0]?.value.toLowerCase() === 'cache-control';
}

/** `expires 1y;` + `add_header Cache-Control "public, immutable";`, repeating inherited add_headers the new one would drop. */
function hashedFix(ctx: NginxRuleContext, l: Ctx, pol: CachePolicy): PendingFix | undefined {
  const d = l.node!.d;
  const text = textOf(ctx, d.file);
  const edits: SpanEdit[] = [];
  const inserts: string[] = [];
  const ccChange = !pol.immutable || (pol.header !== null && !(pol.header !== undefined && pol.header >= ONE_YEAR));
  const headerYear = !ccChange && pol.header !== null && pol.header !== undefined && pol.header >= ONE_YEAR;
  if (!(pol.expires !== null && pol.expires !== undefined && pol.expires >= ONE_YEAR) && !headerYear) {
    const ownExp = own(l, 'expires');
    if (ownExp.length) edits.push(replaceDirective(text, ownExp[ownExp.length - 1].d, ['expires 1y;']));
    else inserts.push('expires 1y;');
  }
  if (ccChange) {
    const ownHeaders = own(l, 'add_header');
    const ownCc = ownHeaders.filter(isCacheControl);
    if (ownCc.length) edits.push(replaceDirective(text, ownCc[0].d, [IMMUTABLE_HEADER]));
    else {
      if (!ownHeaders.length) {
        const parent = inheritsFrom(l);
        const inherited = parent ? lookup(parent, 'add_header')?.nodes ?? [] : [];
        for (const n of inherited) if (!isCacheControl(n)) inserts.push(directiveText(textOf(ctx, n.d.file), n.d));
      }
      inserts.push(IMMUTABLE_HEADER);
    }
  }
  if (inserts.length) {
    const insert = insertAtBlockStart(text, d, inserts);
    if (!insert) return undefined;
    edits.push(insert);
  }
  return fixOf('Cache for a year as immutable (expires 1y; Cache-Control "public, immutable")', edits.map((edit) => ({ file: d.file, edit })));
}

/** `expires 7d;` for assets whose names are not content-hashed. */
function plainFix(ctx: NginxRuleContext, l: Ctx, pol: CachePolicy): PendingFix | undefined {
  if (pol.nodes.some((n) => n.d.name === 'add_header')) return undefined;
  const d = l.node!.d;
  const text = textOf(ctx, d.file);
  const ownExp = own(l, 'expires');
  const edit = ownExp.length ? replaceDirective(text, ownExp[ownExp.length - 1].d, ['expires 7d;']) : insertAtBlockStart(text, d, ['expires 7d;']);
  return fixOf('Cache for 7 days (expires 7d;)', [{ file: d.file, edit }]);
}

function withPreferred(f: PendingFix | undefined, preferred: boolean): PendingFix | undefined {
  if (!f) return undefined;
  const { preferred: _p, ...rest } = f;
  return preferred ? { ...rest, preferred: true } : rest;
}

function describe(kind: StaticLocationKind, l: Ctx): string {
  if (kind.extensions) return `static assets (${kind.extensions.slice(0, 6).join(', ')}${kind.extensions.length > 6 ? ', …' : ''})`;
  return `the assets under ${locationPattern(l)?.pattern ?? 'it'}`;
}

/**
 * A plain prefix location (`location /assets/`) loses to regex locations: `/assets/app.1a2b3c4d.js`
 * goes to `location ~* \.js$` when there is one. Returns the location that really serves hashed
 * JS or CSS files under the prefix, when it is another one.
 */
function shadowedBy(server: Ctx, l: Ctx): { by: Ctx; ext: string } | undefined {
  const p = locationPattern(l);
  if (!p || p.modifier !== '') return undefined;
  const base = p.pattern.endsWith('/') ? p.pattern : `${p.pattern}/`;
  for (const ext of ['js', 'css']) {
    const m = matchLocation(server, `${base}app.3f9a1c2b.${ext}`);
    if (m && m !== l && !allContexts(l).includes(m)) return { by: m, ext };
  }
  return undefined;
}

function checkStatic(ctx: NginxRuleContext, server: Ctx, l: Ctx, kind: StaticLocationKind): void {
  const d = l.node!.d;
  const shadow = kind.hashed ? shadowedBy(server, l) : undefined;
  if (shadow) {
    const pol = cachePolicy(shadow.by);
    if (pol.maxAge === undefined || (pol.maxAge >= ONE_YEAR && pol.immutable)) return;
    const own_ = cachePolicy(l);
    const ownOk = own_.maxAge !== undefined && own_.maxAge >= ONE_YEAR && own_.immutable;
    const arg = d.args[0];
    const edits = [{ file: d.file, edit: { span: { start: arg.span.start, end: arg.span.start }, newText: '^~ ' } }];
    const extra = ownOk ? undefined : hashedFix(ctx, l, own_);
    const lifetime = pol.none ? 'with no Cache-Control or Expires header' : pol.maxAge === 0 ? 'with caching disabled' : `with a max-age of ${human(pol.maxAge)}${pol.immutable ? '' : ' and without "immutable"'}`;
    ctx.report({
      file: d.file,
      span: headSpan(d),
      message: `Hashed .${shadow.ext} files under ${locationPattern(l)?.pattern} are not served by ${label(l)} but by ${label(shadow.by)} (nginx checks regex locations before using a plain prefix match), ${lifetime}. Make it "location ^~ ${locationPattern(l)?.pattern}" so that it wins${ownOk ? '' : ', and cache its assets for a year with "immutable"'}.`,
      ...(pol.maxAge >= LONG_LIVED ? { severity: 'info' as const } : {}),
      fixes: fixes(fixOf(ownOk ? `Use "location ^~ ${locationPattern(l)?.pattern}" so that regex locations do not take its assets` : `Use "location ^~ ${locationPattern(l)?.pattern}" and cache its assets for a year as immutable`, [...edits, ...(extra ? extra.changes.flatMap((c) => (c.edits ?? []).map((edit) => ({ file: c.file, edit }))) : [])])),
      data: { state: 'shadowed', hashed: true, by: label(shadow.by), ...(pol.maxAge !== undefined ? { maxAge: pol.maxAge } : {}) },
    });
    return;
  }
  const pol = cachePolicy(l);
  if (pol.maxAge === undefined) return;
  // Only a hash in the pattern or a framework's folder shows the names are hashed; /static/ may hold plain names.
  const hashed = kind.hashed && !kind.guessed;
  const ok = hashed ? pol.maxAge >= ONE_YEAR && pol.immutable : pol.maxAge >= LONG_LIVED;
  if (ok) return;
  const state = pol.none ? 'missing' : pol.maxAge === 0 ? 'disabled' : pol.maxAge < LONG_LIVED ? 'short' : 'not-immutable';
  const what = describe(kind, l);
  const advice = hashed
    ? ' Their file names are content-hashed (a build tool\'s asset directory), so they can be cached for a year with "immutable".'
    : kind.guessed
      ? ' Cache them for days ("expires 7d;"), or for a year with "immutable" if the build puts a content hash in their file names (nothing in this config shows that it does).'
      : ' Cache them for days ("expires 7d;"), or for a year with "immutable" if their file names are content-hashed.';
  const message =
    state === 'missing' ? `${label(l)} serves ${what} with no Cache-Control or Expires header: browsers revalidate or download them again on every visit.${advice}`
      : state === 'disabled' ? `${label(l)} serves ${what} with caching disabled (Cache-Control: no-cache, no-store or max-age=0): browsers revalidate or download them on every visit.${advice}`
        : state === 'short' ? `${label(l)} serves ${what} with a max-age of only ${human(pol.maxAge)} (less than ${human(LONG_LIVED)}): browsers revalidate or download them again after that.${advice}`
          : `${label(l)} serves content-hashed assets with a max-age of ${human(pol.maxAge)}${pol.immutable ? '' : ' and without "immutable"'}: hashed file names never change, so a year with "immutable" also saves the revalidation requests browsers make on reload.`;
  ctx.report({
    file: d.file,
    span: headSpan(d),
    message,
    ...(state === 'not-immutable' ? { severity: 'info' as const } : {}),
    fixes: hashed
      ? fixes(hashedFix(ctx, l, pol))
      : fixes(state === 'missing' || (state === 'short' && own(l, 'expires').length) ? plainFix(ctx, l, pol) : undefined, kind.guessed ? withPreferred(hashedFix(ctx, l, pol), false) : undefined),
    data: { state, hashed, ...(kind.guessed ? { hashedGuess: true } : {}), ...(pol.maxAge !== undefined ? { maxAge: pol.maxAge } : {}) },
  });
}

/** A server whose catch-all location serves the files (JS and CSS included) with no long-lived caching. */
function checkCatchAll(ctx: NginxRuleContext, server: Ctx): void {
  const locs = server.children.filter((c) => c.kind === 'location');
  const target = locs.find((c) => {
    const p = locationPattern(c);
    return p?.pattern === '/' && (p.modifier === '' || p.modifier === '^~');
  }) ?? (locs.length ? undefined : server);
  if (!target?.node || !isStaticHandler(target) || (target !== server && !isStaticHandler(server))) return;
  const root = lookup(target, 'root') ?? lookup(target, 'alias');
  if (!root) return;
  const pol = cachePolicy(target);
  if (pol.maxAge === undefined || pol.maxAge >= LONG_LIVED) return;
  const dir = root.nodes[root.nodes.length - 1].d.args[0]?.value ?? '';
  ctx.report({
    file: target.node.d.file,
    span: headSpan(target.node.d),
    message: `${label(target)} serves the static files of ${dir} — JavaScript, CSS and images included — ${pol.none ? 'with no Cache-Control or Expires header' : `with a max-age of only ${human(pol.maxAge)}`}, and no location of this server gives assets a longer lifetime: browsers revalidate or download them on every visit. Add a location for the assets (e.g. \`location ~* \\.(?:css|js|png|svg|woff2)$ { expires 7d; }\`, or a year with "immutable" for content-hashed file names) and keep HTML short-lived.`,
    data: { state: 'catch-all', ...(pol.maxAge !== undefined ? { maxAge: pol.maxAge } : {}) },
  });
}

export const nginxStaticCacheMissing: FileRule<NginxArtifact> = {
  kind: 'file',
  gatherer: NGINX_GATHERER_ID,
  meta: {
    id: 'nginx-static-cache-missing',
    title: 'Static assets get a long-lived Cache-Control',
    failureTitle: 'Static assets served without long-lived caching',
    description: 'An nginx location that serves static assets (JS, CSS, images, fonts, or a build tool\'s hashed asset directory) with no expires / Cache-Control, caching disabled, or a max-age under 7 days; content-hashed assets should be cached for a year with "immutable".',
    domain: 'nginx',
    checklistItem: 'browser-caching',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const server of servers(ctx.artifact)) {
      const statics = allContexts(server)
        .filter((c) => c.kind === 'location' && !c.external && c.node)
        .map((l) => ({ l, kind: staticLocationKind(l) }))
        .filter((x): x is { l: Ctx; kind: StaticLocationKind } => !!x.kind && isStaticHandler(x.l));
      for (const { l, kind } of statics) checkStatic(ctx, server, l, kind);
      if (!statics.length) checkCatchAll(ctx, server);
    }
  },
};
