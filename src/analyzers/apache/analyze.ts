/**
 * What one parsed Apache configuration does for compression and browser caching: which media
 * types an output filter compresses, what mod_expires and `Header … Cache-Control` set for static
 * files, and whether an .htaccess only denies access (a protective file in a non-public folder).
 */
import type { ApacheConfig, ApacheDirective, ApacheNode, ApacheSection } from './parse.js';
import { ancestors, insideNegatedIfModule } from './parse.js';
import { linearRegex, type LinearRegex } from '../../kernel/regex.js';
import { cutTail } from '../../kernel/linear.js';

/** The media types a compression setup must cover, each with the names the same content goes by. */
export const COMPRESSIBLE: readonly { label: string; types: readonly string[]; ext: readonly string[] }[] = [
  { label: 'text/css', types: ['text/css'], ext: ['css'] },
  { label: 'application/javascript', types: ['application/javascript', 'text/javascript', 'application/x-javascript', 'application/ecmascript', 'text/ecmascript'], ext: ['js', 'mjs'] },
  { label: 'application/json', types: ['application/json'], ext: ['json'] },
  { label: 'image/svg+xml', types: ['image/svg+xml'], ext: ['svg'] },
];

const COMPRESS_FILTER = /^(deflate|brotli_compress)$/i;
const COMPRESSION_MODULES = /^(mod_)?(deflate|brotli|filter)(\.c|_module)?$/i;
const EXPIRES_MODULES = /^(mod_)?expires(\.c|_module)?$/i;
const HEADERS_MODULES = /^(mod_)?headers(\.c|_module)?$/i;

/** Fingerprinted and plain static file names used to decide whether a section applies to static files. */
const STATIC_FILES = ['app.3f9a2c1b.js', 'index-B4x9Qk2a.css', 'main.js', 'style.css', 'logo.svg', 'photo.png'];
const STATIC_URLS = ['/assets/index-B4x9Qk2a.js', '/static/js/main.3f9a2c1b.js', '/js/app.3f9a2c1b.js', '/css/style.css', '/build/app.js', '/style.css', '/main.js'];

export interface CompressionFacts {
  /** Labels of COMPRESSIBLE entries covered. */
  covered: Set<string>;
  /** A filter compresses every response (SetOutputFilter, FilterProvider, precompressed files…). */
  all: boolean;
  /** `AddOutputFilterByType DEFLATE|BROTLI_COMPRESS …` directives (where missing types can be added). */
  byType: ApacheDirective[];
  /** The directive that shows compression is on (for messages). */
  evidence?: ApacheDirective;
}

export interface CachingFacts {
  /** `ExpiresActive On` directives. */
  expiresOn: ApacheDirective[];
  /** `ExpiresActive Off` directives. */
  expiresOff: ApacheDirective[];
  /** ExpiresByType / ExpiresDefault that give CSS/JS/images a positive lifetime. */
  expiresRules: ApacheDirective[];
  /** `Header set Cache-Control "…max-age=N…"` with N > 0 that applies to static files. */
  cacheHeaders: ApacheDirective[];
  /** Those of the above giving static files under a week (`args[arg]` holds the lifetime). */
  shortLived: { d: ApacheDirective; seconds: number; arg: number }[];
}

/** Static files cached for less than this are reported (as nginx-static-cache-missing does). */
export const APACHE_LONG_LIVED = 7 * 86400;

export interface ApacheFacts {
  compression: CompressionFacts;
  caching: CachingFacts;
  /** `Require all denied` / `Deny from all` at the top level: the folder is not served. */
  deniesAll: boolean;
  virtualHosts: ApacheSection[];
}

function lower(d: ApacheDirective, i: number): string {
  return d.args[i]?.value.toLowerCase() ?? '';
}

/** Seconds of an mod_expires time spec: `A2592000`, `M60`, `"access plus 1 month 2 days"`. */
export function expiresSeconds(spec: string): number | undefined {
  const s = spec.trim().toLowerCase();
  const code = /^[am](\d+)$/.exec(s);
  if (code) return Number(code[1]);
  const m = /^(access|now|modification)\s+plus\s+(\S.*)$/.exec(s);
  if (!m) return undefined;
  const units: Record<string, number> = { year: 31536000, month: 2592000, week: 604800, day: 86400, hour: 3600, minute: 60, second: 1 };
  let total = 0;
  const parts = m[2].split(/\s+/);
  if (parts.length % 2) return undefined;
  for (let i = 0; i < parts.length; i += 2) {
    const n = Number(parts[i]);
    const unit = units[parts[i + 1].replace(/s$/, '')];
    if (!Number.isFinite(n) || unit === undefined) return undefined;
    total += n * unit;
  }
  return total;
}

/** Browser lifetime a Cache-Control value gives, in seconds (0 for no-store/no-cache), or undefined. */
export function cacheControlSeconds(value: string): number | undefined {
  const v = value.toLowerCase();
  if (/(^|[,\s])(no-store|no-cache)\b/.test(v)) return 0;
  const m = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** A PCRE pattern on RE2 (linear time; RE2 reads a leading `(?i)` itself); undefined when RE2 cannot read it. */
function pcre(pattern: string, caseInsensitive = false): LinearRegex | undefined {
  return linearRegex(pattern, { caseInsensitive });
}

/** A `<Files>` wildcard (`*`, `?`) as a linear-time matcher. */
function wildcard(pattern: string): LinearRegex {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return linearRegex(`^${re}$`) ?? { test: () => false };
}

/**
 * Does a section (and every section around it) let a directive apply to static files? `<FilesMatch>`
 * / `<Files>` / `<LocationMatch>` / `<Location>` are tested against sample static file names and
 * URLs; other sections (VirtualHost, Directory, If…) are assumed to.
 */
export function appliesToStatic(node: ApacheNode): boolean {
  for (const s of ancestors(node)) {
    const arg = s.args[0]?.value ?? '';
    const isRegex = s.args[0] && s.args.length > 1 && s.args[0].value === '~';
    const pat = isRegex ? s.args[1]?.value ?? '' : arg;
    if (s.lname === 'filesmatch' || (s.lname === 'files' && isRegex)) {
      const re = pcre(pat);
      if (re && !STATIC_FILES.some((f) => re.test(f))) return false;
    } else if (s.lname === 'files') {
      const re = wildcard(pat);
      if (!STATIC_FILES.some((f) => re.test(f))) return false;
    } else if (s.lname === 'locationmatch' || (s.lname === 'location' && isRegex)) {
      const re = pcre(pat);
      if (re && !STATIC_URLS.some((u) => re.test(u))) return false;
    } else if (s.lname === 'location') {
      if (!STATIC_URLS.some((u) => u.startsWith(cutTail(pat, '*')) || pat === '/')) return false;
    } else if (s.lname === 'limit' || s.lname === 'limitexcept') {
      return false;
    }
  }
  return true;
}

const HEADER_ACTIONS = new Set(['set', 'append', 'merge', 'add', 'setifempty']);

/** `Header [always|onsuccess] set Cache-Control "value" …` → the value. */
export function headerCacheControl(d: ApacheDirective): string | undefined {
  if (d.lname !== 'header') return undefined;
  let i = 0;
  if (/^(always|onsuccess)$/i.test(d.args[0]?.value ?? '')) i = 1;
  if (!HEADER_ACTIONS.has(lower(d, i))) return undefined;
  if (lower(d, i + 1) !== 'cache-control') return undefined;
  return d.args[i + 2]?.value;
}

export function analyzeApache(config: ApacheConfig): ApacheFacts {
  const compression: CompressionFacts = { covered: new Set(), all: false, byType: [] };
  const caching: CachingFacts = { expiresOn: [], expiresOff: [], expiresRules: [], cacheHeaders: [], shortLived: [] };
  let deniesAll = false;
  let grantsAll = false;
  const cover = (labelOf: (c: (typeof COMPRESSIBLE)[number]) => boolean, d: ApacheDirective): void => {
    for (const c of COMPRESSIBLE) if (labelOf(c)) compression.covered.add(c.label);
    compression.evidence ??= d;
  };
  for (const d of config.directives) {
    const negatedCompression = insideNegatedIfModule(d, COMPRESSION_MODULES);
    switch (d.lname) {
      case 'addoutputfilterbytype': {
        if (negatedCompression) break;
        const filters = (d.args[0]?.value ?? '').split(/[;,]/);
        if (!filters.some((f) => COMPRESS_FILTER.test(f.trim()))) break;
        const types = new Set(d.args.slice(1).map((a) => a.value.toLowerCase()));
        compression.byType.push(d);
        cover((c) => c.types.some((t) => types.has(t)), d);
        break;
      }
      case 'addoutputfilter': {
        if (negatedCompression) break;
        const filters = (d.args[0]?.value ?? '').split(/[;,]/);
        if (!filters.some((f) => COMPRESS_FILTER.test(f.trim()))) break;
        const exts = new Set(d.args.slice(1).map((a) => a.value.toLowerCase().replace(/^\./, '')));
        cover((c) => c.ext.some((e) => exts.has(e)), d);
        break;
      }
      case 'setoutputfilter':
      case 'filterprovider': {
        if (negatedCompression) break;
        const filterArg = d.lname === 'setoutputfilter' ? d.args[0]?.value : d.args[1]?.value;
        if ((filterArg ?? '').split(/[;,]/).some((f) => COMPRESS_FILTER.test(f.trim()))) {
          compression.all = true;
          compression.evidence ??= d;
        }
        break;
      }
      case 'mod_gzip_on':
        if (/^yes$/i.test(d.args[0]?.value ?? '')) {
          compression.all = true;
          compression.evidence ??= d;
        }
        break;
      case 'rewriterule':
        // Precompressed files: RewriteRule ^(.+)\.js$ $1.js.gz / .br
        if (/\.(gz|br)$/i.test(d.args[1]?.value ?? '')) {
          compression.all = true;
          compression.evidence ??= d;
        }
        break;
      case 'expiresactive':
        if (insideNegatedIfModule(d, EXPIRES_MODULES)) break;
        if (/^on$/i.test(d.args[0]?.value ?? '')) caching.expiresOn.push(d);
        else if (/^off$/i.test(d.args[0]?.value ?? '')) caching.expiresOff.push(d);
        break;
      case 'expiresbytype': {
        if (insideNegatedIfModule(d, EXPIRES_MODULES)) break;
        const type = lower(d, 0);
        const secs = expiresSeconds(d.args[1]?.value ?? '');
        if (secs && /^(text\/css|text\/javascript|application\/(x-)?javascript|application\/ecmascript|image\/|font\/|application\/font)/.test(type)) {
          caching.expiresRules.push(d);
          if (secs < APACHE_LONG_LIVED) caching.shortLived.push({ d, seconds: secs, arg: 1 });
        }
        break;
      }
      case 'expiresdefault': {
        if (insideNegatedIfModule(d, EXPIRES_MODULES)) break;
        const secs = expiresSeconds(d.args[0]?.value ?? '');
        if (secs && appliesToStatic(d)) {
          caching.expiresRules.push(d);
          if (secs < APACHE_LONG_LIVED) caching.shortLived.push({ d, seconds: secs, arg: 0 });
        }
        break;
      }
      case 'header': {
        if (insideNegatedIfModule(d, HEADERS_MODULES)) break;
        const v = headerCacheControl(d);
        if (v === undefined) break;
        const secs = cacheControlSeconds(v);
        if (secs && appliesToStatic(d)) {
          caching.cacheHeaders.push(d);
          const arg = d.args.findIndex((a) => a.value.toLowerCase() === 'cache-control') + 1;
          if (secs < APACHE_LONG_LIVED && arg > 0) caching.shortLived.push({ d, seconds: secs, arg });
        }
        break;
      }
      case 'require':
        if (!d.parent && lower(d, 0) === 'all') {
          if (lower(d, 1) === 'denied') deniesAll = true;
          else if (lower(d, 1) === 'granted') grantsAll = true;
        }
        break;
      case 'deny':
        if (!d.parent && lower(d, 0) === 'from' && lower(d, 1) === 'all') deniesAll = true;
        break;
      case 'allow':
        if (!d.parent && lower(d, 0) === 'from' && lower(d, 1) === 'all') grantsAll = true;
        break;
      default:
        break;
    }
  }
  return {
    compression,
    caching,
    deniesAll: deniesAll && !grantsAll,
    virtualHosts: config.sections.filter((s) => s.lname === 'virtualhost'),
  };
}
