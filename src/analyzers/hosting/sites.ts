/**
 * Which header rules apply to a site, across files: a netlify.toml is judged together with the
 * `_headers` files in its folder tree (Netlify reads both); a `_headers` file with no netlify.toml
 * above it is a site of its own (Netlify or Cloudflare Pages: Cloudflare when a wrangler config is
 * in its tree). vercel.json and each firebase.json "hosting" entry are sites of their own.
 */
import type { FileRuleContext } from '../../kernel/contracts.js';
import type { HeaderRule, HostingArtifact, HostingSite } from './model.js';
import { compilePattern } from './patterns.js';
import { isLongLived } from './cache-control.js';
import { baseOf } from '../../kernel/text.js';

export type PlatformKey = 'vercel' | 'netlify' | 'cloudflare' | 'netlify-or-cloudflare' | 'firebase';

export const PLATFORM_DEFAULT: Record<PlatformKey, string> = {
  vercel: 'Vercel serves static files with "public, max-age=0, must-revalidate"',
  netlify: 'Netlify serves static files with "public, max-age=0, must-revalidate"',
  cloudflare: 'Cloudflare Pages serves static files with "public, max-age=0, must-revalidate"',
  'netlify-or-cloudflare': 'Netlify and Cloudflare Pages serve static files with "public, max-age=0, must-revalidate"',
  firebase: 'Firebase Hosting gives static files a one-hour browser cache',
};

export interface SiteRule {
  path: string;
  rule: HeaderRule;
}

export interface JudgedSite {
  site: HostingSite;
  platform: PlatformKey;
  /** Header rules of every file serving this site. */
  rules: SiteRule[];
  /** `_headers` files judged with a netlify.toml. */
  headersFiles: { path: string; artifact: HostingArtifact }[];
}

function dir(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

/** The sites the checked file is responsible for (none when another file judges it). */
export function sitesOf(ctx: FileRuleContext<HostingArtifact>): JudgedSite[] {
  const a = ctx.artifact;
  if (a.invalid) return [];
  const all = ctx.artifactsOf<HostingArtifact>('hosting');
  const own = (site: HostingSite): SiteRule[] => site.rules.map((rule) => ({ path: ctx.path, rule }));
  switch (a.platform) {
    case 'vercel':
      return a.sites.map((site) => ({ site, platform: 'vercel', rules: own(site), headersFiles: [] }));
    case 'firebase':
      return a.sites.map((site) => ({ site, platform: 'firebase', rules: own(site), headersFiles: [] }));
    case 'netlify': {
      const tomls = all.filter((x) => x.artifact.platform === 'netlify').map((x) => dir(x.path));
      const mine = dir(ctx.path);
      const headersFiles = all.filter((x) => {
        if (x.artifact.platform !== 'headers' || x.artifact.invalid) return false;
        const d = dir(x.path);
        // The deepest netlify.toml above the _headers file is this one.
        const owner = tomls.filter((t) => d.startsWith(t)).sort((p, q) => q.length - p.length)[0];
        return owner === mine;
      });
      return a.sites.map((site) => ({
        site, platform: 'netlify', headersFiles,
        rules: [...own(site), ...headersFiles.flatMap((h) => h.artifact.sites.flatMap((s) => s.rules.map((rule) => ({ path: h.path, rule }))))],
      }));
    }
    case 'headers': {
      const d = dir(ctx.path);
      if (all.some((x) => x.artifact.platform === 'netlify' && d.startsWith(dir(x.path)))) return [];
      const cloudflare = ctx.ws.paths().some((p) => /^wrangler\.(toml|json|jsonc)$/.test(baseOf(p)) && (d.startsWith(dir(p)) || dir(p).startsWith(d)));
      return a.sites.map((site) => ({ site, platform: cloudflare ? 'cloudflare' : 'netlify-or-cloudflare', rules: own(site), headersFiles: [] }));
    }
    default:
      return [];
  }
}

const compiled = new WeakMap<HeaderRule, (url: string) => boolean>();

function matcher(rule: HeaderRule): (url: string) => boolean {
  let m = compiled.get(rule);
  if (!m) {
    m = compilePattern(rule.pattern, rule.kind);
    compiled.set(rule, m);
  }
  return m;
}

/** Rules whose pattern matches the URL path. */
export function rulesFor(rules: readonly SiteRule[], url: string): SiteRule[] {
  return rules.filter((r) => matcher(r.rule)(url));
}

/** Does some rule give the URL a long-lived Cache-Control? */
export function cachedLong(rules: readonly SiteRule[], url: string): boolean {
  return rulesFor(rules, url).some((r) => r.rule.cacheControl && isLongLived(r.rule.cacheControl.value));
}
