import type { FileRule, PendingFix } from '../../../kernel/contracts.js';
import { HOSTING_GATHERER_ID } from '../gather.js';
import type { HostingArtifact } from '../model.js';
import { dependenciesNear, detectLayout, ALWAYS_HASHED_DIRS, type AssetLayout } from '../layout.js';
import { cachedLong, PLATFORM_DEFAULT, rulesFor, sitesOf, type JudgedSite, type PlatformKey } from '../sites.js';
import { literalPrefix } from '../patterns.js';
import { describeSeconds, isLongLived, IMMUTABLE_VALUE, parseCacheControl } from '../cache-control.js';
import { firebaseFix, headersFileFix, netlifyTomlFix, vercelFix } from '../fixes.js';

/** Plain static file URLs for a site whose build tool is unknown. */
const GENERIC_SAMPLES = ['/app.js', '/style.css', '/assets/app.js', '/assets/style.css', '/static/app.js', '/static/style.css', '/js/app.js', '/css/style.css', '/build/app.js'];

function handledBy(layout: AssetLayout, platform: PlatformKey): string | undefined {
  if (platform === 'netlify-or-cloudflare') return layout.handled.netlify ?? layout.handled.cloudflare;
  return layout.handled[platform];
}

/** A sample is dealt with when a rule caches it long, or when a hashed-folder rule caches it too briefly (hosting-cache-too-short reports that). */
function addressed(judged: JudgedSite, url: string, hashedDirs: string[]): boolean {
  if (cachedLong(judged.rules, url)) return true;
  return rulesFor(judged.rules, url).some((r) => r.rule.cacheControl && !isLongLived(r.rule.cacheControl.value) && hashedDirs.some((d) => literalPrefix(r.rule.pattern, r.rule.kind).startsWith(d)));
}

/**
 * When every missing sample is matched by a rule that sets a Cache-Control (a short one, or
 * hosting-cache-too-short would have it), what that rule gives them: the finding then says "too
 * short", not "missing", whatever the platform and however the rule is written (an extension glob too).
 */
function shortLifetime(judged: JudgedSite, missing: string[]): string | undefined {
  let first: { value: string; pattern: string } | undefined;
  for (const u of missing) {
    const cc = rulesFor(judged.rules, u).map((r) => ({ cc: r.rule.cacheControl, pattern: r.rule.pattern })).find((x) => x.cc);
    if (!cc?.cc) return undefined;
    first ??= { value: cc.cc.value, pattern: cc.pattern };
  }
  if (!first) return undefined;
  const secs = parseCacheControl(first.value).browserSeconds;
  const now = secs === undefined ? 'no browser lifetime (no max-age)' : secs === 0 ? 'no browser caching' : `a browser lifetime of only ${describeSeconds(secs)} (max-age=${secs})`;
  return `${now}, from the rule for "${first.pattern}" (Cache-Control: ${first.value})`;
}

const CATCH_ALL = new Set(['/*', '/**', '/(.*)', '/:path*', '/:path(.*)', '**', '/']);

/**
 * A site that sends `X-Robots-Tag: noindex` on every page tells search engines it is not the public
 * site: a preview, staging or internal deploy (vikunja's netlify.toml for pull-request previews).
 */
function noindexEverywhere(path: string, text: string, judged: JudgedSite): boolean {
  const m = /x-robots-tag["']?\s*[=:]\s*["']?[^"'\n]{0,80}noindex/i.exec(text);
  if (!m) return false;
  let owner: string | undefined;
  let at = -1;
  for (const { path: p, rule } of judged.rules) {
    if (p === path && rule.patternSpan.start < m.index && rule.patternSpan.start > at) {
      owner = rule.pattern;
      at = rule.patternSpan.start;
    }
  }
  return owner !== undefined && CATCH_ALL.has(owner);
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function buildFix(path: string, text: string, artifact: HostingArtifact, judged: JudgedSite, dirs: string[], textOf: (p: string) => string | undefined): PendingFix | undefined {
  const folders = dirs.map((d) => `${d}*`).join(' and ');
  const title = `Cache ${folders} for a year (Cache-Control: ${IMMUTABLE_VALUE})`;
  const fix = (file: string, edit: { span: { start: number; end: number }; newText: string } | undefined): PendingFix | undefined =>
    edit ? { title, preferred: true, changes: [{ file, edits: [edit] }] } : undefined;
  switch (artifact.platform) {
    case 'vercel':
      return fix(path, vercelFix(text, artifact, dirs));
    case 'firebase':
      return fix(path, firebaseFix(text, judged.site, dirs));
    case 'netlify': {
      if (artifact.appendableToml) return fix(path, netlifyTomlFix(text, dirs));
      const h = judged.headersFiles[0];
      const ht = h && textOf(h.path);
      return h && ht !== undefined ? fix(h.path, headersFileFix(ht, dirs)) : undefined;
    }
    case 'headers':
      return fix(path, headersFileFix(text, dirs));
    default:
      return undefined;
  }
}

export const hostingStaticCacheMissing: FileRule<HostingArtifact> = {
  kind: 'file',
  gatherer: HOSTING_GATHERER_ID,
  meta: {
    id: 'hosting-static-cache-missing',
    title: 'Hosting config caches fingerprinted assets',
    failureTitle: 'Hosting config gives fingerprinted assets no long-lived Cache-Control',
    description: 'vercel.json, netlify.toml, `_headers` or firebase.json sets no long-lived Cache-Control for the build\'s fingerprinted asset folder (/assets/, /static/…), and neither the platform nor the framework does: browsers revalidate every script and stylesheet on every visit.',
    domain: 'hosting',
    checklistItem: 'browser-caching',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    for (const judged of sitesOf(ctx)) {
      if (judged.site.frameworkBuild) continue;
      const { deps } = dependenciesNear(ctx.path, ctx.ws, ctx.artifact.base);
      const layout = detectLayout(deps, ctx.artifact.framework);
      const file = fileName(ctx.path);
      const platformDefault = PLATFORM_DEFAULT[judged.platform];
      const siteName = judged.site.name ? ` (site "${judged.site.name}")` : '';
      if (layout) {
        if (handledBy(layout, judged.platform)) continue;
        const hashedDirs = [...layout.hashedDirs, ...ALWAYS_HASHED_DIRS];
        const missing = layout.samples.filter((u) => !addressed(judged, u, hashedDirs));
        if (!missing.length) continue;
        const dirs = layout.hashedDirs.filter((d) => missing.some((u) => u.startsWith(d)));
        const where = dirs.length ? `the files under ${dirs.map((d) => `${d}*`).join(' and ')}` : `its bundles (e.g. ${missing[0]})`;
        const fix = dirs.length ? buildFix(ctx.path, ctx.text, ctx.artifact, judged, dirs, (p) => ctx.ws.textOf(p)) : undefined;
        const short = shortLifetime(judged, missing);
        const preview = noindexEverywhere(ctx.path, ctx.text, judged);
        ctx.report({
          span: judged.site.anchor,
          ...(preview ? { severity: 'info' as const } : {}),
          message: preview
            ? `${layout.tool} fingerprints ${where}, and ${file}${siteName} gives them ${short ?? 'no long-lived Cache-Control'}; it also sends X-Robots-Tag: noindex on every page, so it looks like a preview or staging deploy, where this matters little. If it serves real visitors, cache them for a year: Cache-Control: ${IMMUTABLE_VALUE}.`
            : short
            ? `${layout.tool} fingerprints ${where}, but ${file}${siteName} gives them ${short}: too short for files whose names change with their content, so browsers revalidate scripts and stylesheets again and again. Cache them for a year: Cache-Control: ${IMMUTABLE_VALUE}.`
            : `${layout.tool} fingerprints ${where}, but ${file}${siteName} gives them no long-lived Cache-Control: ${platformDefault}, so browsers revalidate every script and stylesheet on each visit. Cache them for a year: Cache-Control: ${IMMUTABLE_VALUE}.`,
          fixes: fix ? [fix] : [],
          data: { tool: layout.tool, folders: dirs, platform: judged.platform, state: short ? 'too-short' : 'missing', ...(preview ? { noindex: true } : {}) },
        });
        continue;
      }
      // Unknown build tool: only note it for a static site (an output folder, or a _headers file)
      // where no rule sets a Cache-Control for scripts or styles at all.
      if (ctx.artifact.platform !== 'headers' && !judged.site.outputDir) continue;
      const anyCache = GENERIC_SAMPLES.some((u) => rulesFor(judged.rules, u).some((r) => r.rule.cacheControl));
      if (anyCache) continue;
      ctx.report({
        span: judged.site.anchor,
        severity: 'info',
        message: `${file}${siteName} sets no Cache-Control for scripts and stylesheets: ${platformDefault}. If your build fingerprints file names (name.3f9a2c1b.js), give that folder Cache-Control: ${IMMUTABLE_VALUE}.`,
        data: { tool: null, folders: [], platform: judged.platform },
      });
    }
  },
};
