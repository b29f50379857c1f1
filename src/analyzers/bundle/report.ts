/** Plain-text and JSON views of a bundle analysis (CLI `perf-audit bundle`, the extension's output channel). */
import type { Finding } from '../../kernel/model.js';
import type { PerfAuditSettings } from '../../kernel/settings.js';
import { budgetFor, type BundleOptions } from './options.js';
import { formatBytes } from './paths.js';
import type { BundleAnalysis, OutputFile } from './types.js';

function pad(s: string, n: number, right = false): string {
  if (s.length >= n) return s;
  return right ? ' '.repeat(n - s.length) + s : s + ' '.repeat(n - s.length);
}

function table(rows: string[][], rightCols: number[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => pad(c, widths[i], rightCols.includes(i))).join('  ').trimEnd()).join('\n');
}

export interface BundleTextOptions {
  config: PerfAuditSettings;
  options: BundleOptions;
  /** At most this many files / packages per table. */
  top?: number;
  color?: boolean;
}

export function formatBundleText(a: BundleAnalysis, findings: Finding[], o: BundleTextOptions): string {
  const top = o.top ?? 20;
  const red = (s: string): string => (o.color ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string): string => (o.color ? `\u001b[2m${s}\u001b[22m` : s);
  const out: string[] = [];
  if (!a.outputDirs.length) {
    out.push(`No build output found (looked for ${o.options.outputDirs.join(', ')}). Build the project first, or set "bundle.outputDirs" in .perfauditrc.json.`);
  } else {
    const code = a.files.filter((f) => f.kind === 'js' || f.kind === 'css' || f.kind === 'html');
    const total = (k: keyof OutputFile): number => code.reduce((s, f) => s + ((f[k] as number | undefined) ?? 0), 0);
    out.push(`Build output: ${a.outputDirs.join(', ')} — ${a.files.length} files, JS/CSS/HTML ${formatBytes(total('bytes'))} raw, ${formatBytes(total('gzip'))} gzip${a.files.some((f) => f.brotli !== undefined) ? `, ${formatBytes(total('brotli'))} brotli` : ''}`);
    if (a.manifests.length) out.push(dim(`Manifests: ${a.manifests.map((m) => `${m.path} (${m.kind})`).join(', ')}`));
    out.push('');
    const rows = [['file', 'raw', 'gzip', 'brotli', '']];
    const sorted = [...a.files].filter((f) => f.kind !== 'map').sort((x, y) => y.bytes - x.bytes);
    for (const f of sorted.slice(0, top)) {
      rows.push([f.path, formatBytes(f.bytes), f.gzip !== undefined ? formatBytes(f.gzip) : '-', f.brotli !== undefined ? `${f.brotliApprox ? '~' : ''}${formatBytes(f.brotli)}` : '-', f.minified === false ? 'not minified' : '']);
    }
    out.push(table(rows, [1, 2, 3]));
    if (sorted.length > top) out.push(dim(`… ${sorted.length - top} more files`));
    if (a.entries.length) {
      out.push('', 'Entries (what loads up front, gzip):');
      const er = [['entry', 'JS', 'budget', 'CSS', 'budget', 'via']];
      for (const e of a.entries.slice(0, top * 2)) {
        const b = budgetFor(e, o.options, o.config.budgets);
        const jsOver = e.jsGzip > b.jsGzipKb * 1024;
        const cssOver = e.cssGzip > b.cssGzipKb * 1024;
        er.push([e.name, e.js.length ? formatBytes(e.jsGzip) : '-', e.js.length ? (jsOver ? red(`> ${b.jsGzipKb} KB`) : `${b.jsGzipKb} KB`) : '', e.css.length ? formatBytes(e.cssGzip) : '-', e.css.length ? (cssOver ? red(`> ${b.cssGzipKb} KB`) : `${b.cssGzipKb} KB`) : '', e.via]);
      }
      out.push(table(er, [1, 3]));
    }
    if (a.packages.length) {
      const pre = a.breakdowns.some((b) => b.preMinification);
      out.push('', `Largest packages (${pre ? 'webpack stats: pre-minification sizes' : 'minified bytes in output'}):`);
      const pr = [['package', 'bytes', 'modules', '']];
      for (const p of a.packages.slice(0, top)) pr.push([p.name, formatBytes(p.bytes), String(p.modules), p.roots.length > 1 ? red(`${p.roots.length} copies`) : '']);
      out.push(table(pr, [1, 2]));
    }
  }
  if (a.problems.length) {
    out.push('', 'Notes:');
    for (const p of a.problems) out.push(`  - ${p.message}`);
  }
  out.push('');
  if (findings.length) {
    out.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}:`);
    for (const f of findings) out.push(`  ${f.severity.padEnd(7)} ${f.file}:${f.range.start.line + 1}  ${f.ruleId}  ${f.message}`);
  } else out.push('No bundle findings.');
  out.push(dim(`Analysed in ${(a.durationMs / 1000).toFixed(2)} s${a.truncated ? ' (time budget reached: partial)' : ''}.`));
  return out.join('\n');
}

/** A JSON-safe summary (module lists trimmed to the largest 200 per output). */
export function bundleJson(a: BundleAnalysis): unknown {
  return {
    ...a,
    breakdowns: a.breakdowns.map((b) => ({ ...b, modules: [...b.modules].sort((x, y) => y.bytes - x.bytes).slice(0, 200), moduleCount: b.modules.length })),
  };
}
