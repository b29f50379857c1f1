/**
 * The Lighthouse audits this extension maps onto the checklist, as rules (`lighthouse-<audit>`):
 * meta for docs, SARIF and rule levels, and how a failing audit becomes findings.
 *
 * Versions: Lighthouse 12.x reports the classic audits (uses-text-compression, uses-long-cache-ttl,
 * modern-image-formats, uses-optimized-images, uses-responsive-images, offscreen-images…) and, in a
 * hidden group, the *-insight audits that Lighthouse 13.x keeps in their place. An insight rule
 * only runs when none of the classic audits it replaces is in the LHR, so a 12.x result is read
 * through the classic audits and a 13.x result through the insights, never both.
 */
import type { ChecklistItemId, Severity } from '../../kernel/model.js';
import type { RuleMeta } from '../../kernel/contracts.js';
import type { BudgetId, LhrAudit, LhrTableItem } from './types.js';
import { checklistValue, formatBytes, formatMs, isFailing, savingsBytes, savingsMs, shortUrl, tableItems } from './lhr.js';

/** Where the responsible config lives: the server (compression, caching), the resource's own file, or nowhere (page-level). */
export type LighthouseTarget = 'server' | 'resource' | 'page';

export interface LighthouseAuditRule {
  meta: RuleMeta;
  /** The Lighthouse audit read. */
  audit: string;
  /** For 13.x insights: the 12.x audits it replaces (the rule is skipped when one of them is present). */
  replaces?: string[];
  target: LighthouseTarget;
  /** Does the audit fail, for this rule? Default: score < 0.9 on a judged audit. */
  failing?: (a: LhrAudit) => boolean;
  /** Rows that become findings (resource rules). Default: rows with a URL. */
  rows?: (a: LhrAudit) => LhrTableItem[];
  /** The finding message for the whole audit (server/page rules) or one row (resource rules). */
  message: (a: LhrAudit, page: string, row?: LhrTableItem) => string;
}

export interface LighthouseBudgetRule {
  meta: RuleMeta;
  budget: BudgetId;
  /** The Lighthouse metric audit compared with the budget. */
  audit: string;
  budgetKey: 'pageLoadMs' | 'timeToInteractiveMs';
  title: string;
}

function meta(id: string, checklistItem: ChecklistItemId, defaultSeverity: Severity, title: string, failureTitle: string, description: string): RuleMeta {
  return { id, title, failureTitle, description, domain: 'lighthouse', checklistItem, defaultSeverity, fixable: false };
}

const rowsWithUrl = (a: LhrAudit): LhrTableItem[] => tableItems(a).filter((r) => typeof r.url === 'string' && r.url !== '');

function topUrls(a: LhrAudit, page: string, n = 3): string {
  const rows = rowsWithUrl(a);
  const shown = rows.slice(0, n).map((r) => `${shortUrl(String(r.url), page)}${typeof r.wastedBytes === 'number' && r.wastedBytes > 0 ? ` (${formatBytes(r.wastedBytes)})` : ''}`);
  return shown.join(', ') + (rows.length > n ? ` and ${rows.length - n} more` : '');
}

function savings(a: LhrAudit): string {
  const b = savingsBytes(a);
  const ms = savingsMs(a);
  const parts = [b ? `est. ${formatBytes(b)}` : '', ms ? `~${formatMs(ms)} faster` : ''].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

const n = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/** Audits mapped to checklist items. Order: checklist order, classic audit before its insight. */
export const LIGHTHOUSE_AUDIT_RULES: readonly LighthouseAuditRule[] = [
  {
    meta: meta('lighthouse-uses-text-compression', 'compression', 'warning', 'Text responses are compressed', 'Text responses are sent without compression',
      'Lighthouse (uses-text-compression) found HTML, JavaScript, CSS or other text responses sent without gzip/brotli.'),
    audit: 'uses-text-compression',
    target: 'server',
    message: (a, page) => `Lighthouse: ${n(rowsWithUrl(a).length, 'text response')} sent without compression${savings(a)}: ${topUrls(a, page)}. Enable gzip or brotli for text types.`,
  },
  {
    meta: meta('lighthouse-document-latency-insight', 'compression', 'warning', 'The document is compressed', 'The HTML document is sent without compression',
      'Lighthouse 13 (document-latency-insight, the replacement of uses-text-compression) found the HTML document sent without compression. 13.x checks only the document, not scripts or styles.'),
    audit: 'document-latency-insight',
    replaces: ['uses-text-compression'],
    target: 'server',
    failing: (a) => checklistValue(a, 'usesCompression')?.value === false,
    message: (a, page) => {
      const extra = a.details?.debugData as { uncompressedResponseBytes?: number } | undefined;
      return `Lighthouse: the HTML document ${shortUrl(page)} is sent without compression${extra?.uncompressedResponseBytes ? ` (${formatBytes(extra.uncompressedResponseBytes)} could be saved)` : ''}. Enable gzip or brotli for text types.`;
    },
  },
  {
    meta: meta('lighthouse-uses-long-cache-ttl', 'browser-caching', 'warning', 'Static assets have a long cache lifetime', 'Static assets are served without a long cache lifetime',
      'Lighthouse (uses-long-cache-ttl) found scripts, styles, images or fonts with no or a short Cache-Control lifetime.'),
    audit: 'uses-long-cache-ttl',
    target: 'server',
    message: (a, page) => `Lighthouse: ${n(rowsWithUrl(a).length, 'static resource')} without a long cache lifetime${savings(a)}: ${cacheList(a, page)}. Serve hashed assets with Cache-Control: public, max-age=31536000, immutable.`,
  },
  {
    meta: meta('lighthouse-cache-insight', 'browser-caching', 'warning', 'Static assets have a long cache lifetime', 'Static assets are served without a long cache lifetime',
      'Lighthouse 13 (cache-insight, the replacement of uses-long-cache-ttl) found static resources with no or a short cache lifetime.'),
    audit: 'cache-insight',
    replaces: ['uses-long-cache-ttl'],
    target: 'server',
    message: (a, page) => `Lighthouse: ${n(rowsWithUrl(a).length, 'static resource')} without a long cache lifetime${savings(a)}: ${cacheList(a, page)}. Serve hashed assets with Cache-Control: public, max-age=31536000, immutable.`,
  },
  {
    meta: meta('lighthouse-modern-image-formats', 'image-formats', 'warning', 'Images use modern formats', 'Images could be served as WebP or AVIF',
      'Lighthouse (modern-image-formats) estimated that images would be significantly smaller as WebP or AVIF.'),
    audit: 'modern-image-formats',
    target: 'resource',
    message: (_a, page, r) => `Lighthouse: image ${shortUrl(String(r?.url), page)}${bytesOf(r)} would be ${formatBytes(r?.wastedBytes)} smaller as WebP or AVIF.`,
  },
  {
    meta: meta('lighthouse-uses-optimized-images', 'image-formats', 'warning', 'Images are efficiently encoded', 'Images are not efficiently encoded',
      'Lighthouse (uses-optimized-images) found JPEG images that would be significantly smaller re-encoded at quality 85.'),
    audit: 'uses-optimized-images',
    target: 'resource',
    message: (_a, page, r) => `Lighthouse: image ${shortUrl(String(r?.url), page)}${bytesOf(r)} would be ${formatBytes(r?.wastedBytes)} smaller with efficient encoding (quality 85).`,
  },
  {
    meta: meta('lighthouse-uses-responsive-images', 'image-formats', 'warning', 'Images are sized for their display', 'Images are larger than their displayed size',
      'Lighthouse (uses-responsive-images) found images much larger than the size they are displayed at.'),
    audit: 'uses-responsive-images',
    target: 'resource',
    message: (_a, page, r) => `Lighthouse: image ${shortUrl(String(r?.url), page)}${bytesOf(r)} is larger than it is displayed: ${formatBytes(r?.wastedBytes)} could be saved with a fitting size (srcset/sizes).`,
  },
  {
    meta: meta('lighthouse-image-delivery-insight', 'image-formats', 'warning', 'Images are delivered efficiently', 'Images could be delivered smaller',
      'Lighthouse 13 (image-delivery-insight, the replacement of modern-image-formats, uses-optimized-images, uses-responsive-images and efficient-animated-content) found images that could be smaller.'),
    audit: 'image-delivery-insight',
    replaces: ['modern-image-formats', 'uses-optimized-images', 'uses-responsive-images'],
    target: 'resource',
    message: (_a, page, r) => {
      const reasons = (r?.subItems?.items ?? []).map((s) => s.reason).filter((s): s is string => !!s);
      return `Lighthouse: image ${shortUrl(String(r?.url), page)}${bytesOf(r)} could be ${formatBytes(r?.wastedBytes)} smaller${reasons.length ? `: ${reasons.join(' ')}` : '.'}`;
    },
  },
  {
    meta: meta('lighthouse-offscreen-images', 'lazy-loading', 'warning', 'Off-screen images are lazy-loaded', 'Off-screen images load before they are needed',
      'Lighthouse (offscreen-images) found images below the fold or hidden that load up front instead of lazily. Lighthouse 13 has no replacement audit.'),
    audit: 'offscreen-images',
    target: 'resource',
    message: (_a, page, r) => `Lighthouse: off-screen image ${shortUrl(String(r?.url), page)}${bytesOf(r)} loads up front: lazy-load it (loading="lazy") to defer ${formatBytes(r?.wastedBytes)}.`,
  },
  {
    meta: meta('lighthouse-unused-javascript', 'bundle-size', 'warning', 'Scripts carry little unused code', 'Scripts ship a lot of unused JavaScript',
      'Lighthouse (unused-javascript) measured, with code coverage, scripts whose code mostly does not run on this page.'),
    audit: 'unused-javascript',
    target: 'resource',
    message: (_a, page, r) => `Lighthouse: script ${shortUrl(String(r?.url), page)}: ${formatBytes(r?.wastedBytes)}${typeof r?.totalBytes === 'number' ? ` of ${formatBytes(r.totalBytes)}` : ''} is unused on this page. Split the bundle (dynamic import) or remove dead code.`,
  },
  {
    meta: meta('lighthouse-unminified-javascript', 'bundle-size', 'warning', 'Scripts are minified', 'Scripts are not minified',
      'Lighthouse (unminified-javascript) found scripts that would be significantly smaller minified.'),
    audit: 'unminified-javascript',
    target: 'resource',
    message: (_a, page, r) => `Lighthouse: script ${shortUrl(String(r?.url), page)}${bytesOf(r)} is not minified: ${formatBytes(r?.wastedBytes)} could be saved.`,
  },
  {
    meta: meta('lighthouse-total-byte-weight', 'bundle-size', 'info', 'The page transfers a modest amount of data', 'The page transfers a lot of data',
      'Lighthouse (total-byte-weight) found a large total transfer size. Reported as info: the size of JavaScript alone is judged by the other bundle-size rules.'),
    audit: 'total-byte-weight',
    target: 'page',
    message: (a, page) => `Lighthouse: the page transfers ${formatBytes(a.numericValue)} in total; largest: ${topUrls({ ...a, details: { ...a.details, items: rowsWithUrl(a).map((r) => ({ url: r.url, wastedBytes: r.totalBytes })) } }, page)}.`,
  },
];

function bytesOf(r: LhrTableItem | undefined): string {
  return typeof r?.totalBytes === 'number' ? ` (${formatBytes(r.totalBytes)})` : '';
}

function cacheList(a: LhrAudit, page: string): string {
  const rows = rowsWithUrl(a);
  const shown = rows.slice(0, 3).map((r) => `${shortUrl(String(r.url), page)} (${typeof r.cacheLifetimeMs === 'number' && r.cacheLifetimeMs > 0 ? formatTtl(r.cacheLifetimeMs) : 'no cache lifetime'})`);
  return shown.join(', ') + (rows.length > 3 ? ` and ${rows.length - 3} more` : '');
}

function formatTtl(ms: number): string {
  const s = ms / 1000;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400 * 2) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/**
 * Budgets from `.perfauditrc.json` compared with the median of the runs. The checklist has no item of
 * its own for them, and a slow page is not evidence about one item (LCP may be images, the server or
 * scripts): their verdicts are budget rows of their own (report.checklist, and in the sidebar budget
 * rows in the Frontend group, see evidence.ts), which never decide an item's status. Their findings
 * still name `bundle-size` (BUDGET_CHECKLIST_ITEM) as the nearest item, because a finding needs one
 * (SARIF properties, baselines).
 */
export const BUDGET_CHECKLIST_ITEM: ChecklistItemId = 'bundle-size';

export const LIGHTHOUSE_BUDGET_RULES: readonly LighthouseBudgetRule[] = [
  {
    meta: meta('lighthouse-largest-contentful-paint', BUDGET_CHECKLIST_ITEM, 'error', 'The page loads within the budget', 'The page loads slower than the budget',
      'The median Largest Contentful Paint (when the main content has loaded) over the Lighthouse runs is above budgets.pageLoadMs (default 3000 ms).'),
    budget: 'page-load',
    audit: 'largest-contentful-paint',
    budgetKey: 'pageLoadMs',
    title: 'Page load (LCP) within budget',
  },
  {
    meta: meta('lighthouse-interactive', BUDGET_CHECKLIST_ITEM, 'error', 'The page is interactive within the budget', 'The page becomes interactive later than the budget',
      'The median Time to Interactive over the Lighthouse runs is above budgets.timeToInteractiveMs (default 5000 ms).'),
    budget: 'time-to-interactive',
    audit: 'interactive',
    budgetKey: 'timeToInteractiveMs',
    title: 'Time to interactive within budget',
  },
];

/** Every Lighthouse rule's meta (docs pages, SARIF rules, `perf-audit --rules`). */
export const LIGHTHOUSE_RULE_METAS: readonly RuleMeta[] = [...LIGHTHOUSE_AUDIT_RULES.map((r) => r.meta), ...LIGHTHOUSE_BUDGET_RULES.map((r) => r.meta)];

/** The checklist items Lighthouse results speak to, in checklist order. */
export const LIGHTHOUSE_ITEMS: readonly ChecklistItemId[] = ['compression', 'lazy-loading', 'image-formats', 'bundle-size', 'browser-caching'];

/**
 * Lighthouse 13's insight audits and the classic audits each replaces (from the audits'
 * `replacesAudits` meta in Lighthouse 13.x). 12.x reports both; lists and reports show an insight
 * only when none of its classic audits is in the LHR.
 */
export const INSIGHT_REPLACES: Readonly<Record<string, readonly string[]>> = {
  'cache-insight': ['uses-long-cache-ttl'],
  'cls-culprits-insight': ['layout-shifts'],
  'document-latency-insight': ['redirects', 'server-response-time', 'uses-text-compression'],
  'dom-size-insight': ['dom-size'],
  'duplicated-javascript-insight': ['duplicated-javascript'],
  'font-display-insight': ['font-display'],
  'image-delivery-insight': ['modern-image-formats', 'uses-optimized-images', 'efficient-animated-content', 'uses-responsive-images'],
  'inp-breakdown-insight': ['work-during-interaction'],
  'lcp-breakdown-insight': ['largest-contentful-paint-element'],
  'lcp-discovery-insight': ['prioritize-lcp-image', 'lcp-lazy-loaded'],
  'legacy-javascript-insight': ['legacy-javascript'],
  'modern-http-insight': ['uses-http2'],
  'network-dependency-tree-insight': ['critical-request-chains', 'uses-rel-preconnect'],
  'render-blocking-insight': ['render-blocking-resources'],
  'third-parties-insight': ['third-party-summary'],
  'viewport-insight': ['viewport'],
};

/** Is this audit an insight whose classic audits are also in the LHR (a 12.x result)? */
export function isShadowedInsight(auditId: string, audits: Record<string, LhrAudit>): boolean {
  return (INSIGHT_REPLACES[auditId] ?? []).some((id) => audits[id] !== undefined);
}

/** Should this rule read this LHR? (Insights only when the classic audits they replace are absent.) */
export function ruleApplies(rule: LighthouseAuditRule, audits: Record<string, LhrAudit>): boolean {
  if (!audits[rule.audit]) return false;
  return !(rule.replaces ?? []).some((id) => audits[id] !== undefined);
}

export function ruleFails(rule: LighthouseAuditRule, a: LhrAudit): boolean {
  if (rule.failing) return ['numeric', 'binary', 'metricSavings'].includes(a.scoreDisplayMode) && rule.failing(a);
  return isFailing(a);
}
