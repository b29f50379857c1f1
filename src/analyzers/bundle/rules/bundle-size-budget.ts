import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_OUTPUT_GATHERER_ID, type BundleOutputArtifact } from '../artifact.js';
import { budgetFor } from '../options.js';
import { formatBytes } from '../paths.js';
import type { BundleEntry } from '../types.js';

function topPackages(a: BundleOutputArtifact, files: string[]): string {
  const by = new Map<string, number>();
  let pre = false;
  for (const b of a.analysis.breakdowns) {
    if (!files.includes(b.output)) continue;
    pre ||= b.preMinification;
    for (const m of b.modules) if (m.pkg) by.set(m.pkg, (by.get(m.pkg) ?? 0) + m.bytes);
  }
  const top = [...by].sort((x, y) => y[1] - x[1]).slice(0, 3);
  return top.length ? ` Largest packages${pre ? ' (pre-minification)' : ''}: ${top.map(([n, b]) => `${n} ${formatBytes(b)}`).join(', ')}.` : '';
}

function describe(e: BundleEntry): string {
  return e.via === 'file' ? e.name : `entry "${e.name}"${e.from && e.from !== e.name ? ` (${e.from})` : ''}`;
}

export const bundleSizeBudget: FileRule<BundleOutputArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_OUTPUT_GATHERER_ID,
  meta: {
    id: 'bundle-size-budget',
    title: 'Entries stay within their JS and CSS budgets',
    failureTitle: 'An entry loads more JS or CSS than its budget',
    description: 'The JavaScript (or CSS) an entry loads up front — the entry file and the chunks it imports statically, or the scripts and stylesheets of an HTML page — is larger, gzip-compressed, than `budgets.jsGzipKb` (170 KB) or `budgets.cssGzipKb` (50 KB).',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const a = ctx.artifact;
    for (const e of a.analysis.entries) {
      const b = budgetFor(e, a.options, a.budgets);
      const key = b.matched ? `bundle.entryBudgets "${b.matched}"` : undefined;
      if (e.js.length && e.jsGzip > b.jsGzipKb * 1024) {
        ctx.report({
          span: a.spans.jsBudget ?? a.spans.anchor,
          message: `${describe(e)} loads ${formatBytes(e.jsGzip)} of JavaScript gzip (${e.js.length} file${e.js.length === 1 ? '' : 's'}, ${formatBytes(e.jsBytes)} raw), over the ${b.jsGzipKb} KB budget (${key ?? 'budgets.jsGzipKb'}) by ${formatBytes(e.jsGzip - b.jsGzipKb * 1024)}.${topPackages(a, e.js)} Split routes with dynamic import(), drop or replace heavy dependencies, and check that production builds are minified.`,
          related: e.js.slice(0, 5).map((p) => ({ file: p, span: { start: 0, end: 0 }, message: `${p}: ${formatBytes(a.analysis.files.find((f) => f.path === p)?.gzip ?? 0)} gzip` })),
          data: { entry: e.name, kind: 'js', gzip: e.jsGzip, budgetKb: b.jsGzipKb, files: e.js },
        });
      }
      if (e.css.length && e.cssGzip > b.cssGzipKb * 1024) {
        ctx.report({
          span: a.spans.cssBudget ?? a.spans.anchor,
          message: `${describe(e)} loads ${formatBytes(e.cssGzip)} of CSS gzip (${e.css.length} file${e.css.length === 1 ? '' : 's'}), over the ${b.cssGzipKb} KB budget (${key ?? 'budgets.cssGzipKb'}) by ${formatBytes(e.cssGzip - b.cssGzipKb * 1024)}. Remove unused CSS (PurgeCSS / Tailwind content globs), split per route, and minify.`,
          related: e.css.slice(0, 5).map((p) => ({ file: p, span: { start: 0, end: 0 }, message: p })),
          data: { entry: e.name, kind: 'css', gzip: e.cssGzip, budgetKb: b.cssGzipKb, files: e.css },
        });
      }
    }
  },
};
