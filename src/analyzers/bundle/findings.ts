/**
 * Runs the bundle-output rules over an analysis and turns their reports into Findings, the way the
 * engine does for file rules (rule levels from the config, a throwing rule → one rule-error finding,
 * suppression comments honoured), plus the checklist coverage the analysis provides.
 */
import type { ChecklistItemId, Finding, Fix, Range, Severity } from '../../kernel/model.js';
import { compareFindings, SEVERITY_ORDER } from '../../kernel/model.js';
import type { ExternalItemEvidence } from '../../kernel/checklist.js';
import type { PerfAuditSettings } from '../../kernel/settings.js';
import { SETTINGS_FILE } from '../../kernel/settings.js';
import type { FileRule, PendingFix, RuleReport } from '../../kernel/contracts.js';
import { BUNDLE_OUTPUT_RULES } from './index.js';
import { filterSuppressed } from '../../kernel/suppress.js';
import { LineIndex } from '../../kernel/text.js';
import type { Span } from '../../kernel/model.js';
import type { BundleOutputArtifact } from './artifact.js';
import type { BundleOptions } from './options.js';
import type { BundleAnalysis } from './types.js';
import type { ImageReferences } from './image-refs.js';
import { firstLineSpan, propertySpan } from './json-spans.js';

export interface BundleFindingsInput {
  settings: PerfAuditSettings;
  options: BundleOptions;
  /** Workspace text files the findings may point into (.perfauditrc.json, package.json). */
  textOf: (path: string) => string | undefined;
  rules?: readonly FileRule[];
  /** Image paths the workspace's code, markup and styles name: images in an unserved asset folder (a root assets/) that none names are not judged. */
  references?: ImageReferences;
}

/** Where project-wide findings go: .perfauditrc.json (at the budget keys), else package.json (at scripts.build). */
export function bundleAnchor(textOf: (p: string) => string | undefined, analysis: BundleAnalysis): { path: string; text: string; spans: BundleOutputArtifact['spans'] } {
  const cfg = textOf(SETTINGS_FILE);
  if (cfg !== undefined) {
    const jsBudget = propertySpan(cfg, ['budgets', 'jsGzipKb']);
    const cssBudget = propertySpan(cfg, ['budgets', 'cssGzipKb']);
    return { path: SETTINGS_FILE, text: cfg, spans: { anchor: propertySpan(cfg, ['budgets']) ?? firstLineSpan(cfg), ...(jsBudget ? { jsBudget } : {}), ...(cssBudget ? { cssBudget } : {}) } };
  }
  const pkg = textOf('package.json');
  if (pkg !== undefined) return { path: 'package.json', text: pkg, spans: { anchor: propertySpan(pkg, ['scripts', 'build']) ?? firstLineSpan(pkg) } };
  const first = analysis.files.find((f) => f.kind === 'js' || f.kind === 'css')?.path ?? analysis.outputDirs[0] ?? SETTINGS_FILE;
  return { path: first, text: '', spans: { anchor: { start: 0, end: 0 } } };
}

export function bundleFindings(analysis: BundleAnalysis, input: BundleFindingsInput): Finding[] {
  const { settings: config, options } = input;
  const anchor = bundleAnchor(input.textOf, analysis);
  const artifact: BundleOutputArtifact = { analysis, options, budgets: { jsGzipKb: config.budgets.jsGzipKb, cssGzipKb: config.budgets.cssGzipKb }, spans: anchor.spans, ...(input.references ? { references: input.references } : {}) };
  const lines = new Map<string, LineIndex | undefined>();
  const textOf = (p: string): string | undefined => (p === anchor.path ? anchor.text : input.textOf(p));
  const toRange = (file: string, span: Span): Range => {
    if (!lines.has(file)) {
      const t = textOf(file);
      lines.set(file, t !== undefined ? new LineIndex(t) : undefined);
    }
    const li = lines.get(file);
    return li ? li.rangeOf(span.start, span.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  };
  const toFix = (f: PendingFix): Fix => ({
    title: f.title,
    ...(f.preferred ? { preferred: true } : {}),
    changes: f.changes.map((c) => ({ file: c.file, ...(c.create ? { create: c.create } : {}), ...(c.edits ? { edits: c.edits.map((e) => ({ range: toRange(c.file, e.span), newText: e.newText })) } : {}) })),
  });
  const out: Finding[] = [];
  for (const rule of input.rules ?? BUNDLE_OUTPUT_RULES) {
    const level = config.rules[rule.meta.id];
    if (level === 'off') continue;
    const report = (r: RuleReport): void => {
      const file = r.file ?? anchor.path;
      const severity: Severity = level ?? r.severity ?? rule.meta.defaultSeverity;
      out.push({
        ruleId: rule.meta.id, severity, message: r.message, file, range: toRange(file, r.span), checklistItem: rule.meta.checklistItem,
        fixes: (r.fixes ?? []).map(toFix),
        related: (r.related ?? []).map((x) => ({ file: x.file, range: toRange(x.file, x.span), message: x.message })),
        ...(r.data ? { data: r.data } : {}),
      });
    };
    try {
      rule.check({ path: anchor.path, text: anchor.text, artifact, settings: config, ws: { paths: () => [], textOf: (p) => textOf(p) }, artifactsOf: () => [], report });
    } catch (e) {
      out.push({ ruleId: 'rule-error', severity: 'error', file: anchor.path, message: `Rule ${rule.meta.id} failed on the bundle analysis: ${(e as Error).message}. Please report this bug.`, range: toRange(anchor.path, anchor.spans.anchor), checklistItem: rule.meta.checklistItem, fixes: [], related: [] });
    }
  }
  return filterSuppressed(out, textOf).sort(compareFindings);
}

/** Checklist items the analysis gives evidence for (merge into audit.coverage before checklistStatus). */
export function bundleCoverage(analysis: BundleAnalysis, config?: PerfAuditSettings): Map<ChecklistItemId, string> {
  const out = new Map<ChecklistItemId, string>();
  const on = (id: string): boolean => config?.rules[id] !== 'off';
  const code = analysis.files.filter((f) => f.kind === 'js' || f.kind === 'css');
  if (code.length && on('bundle-size-budget')) out.set('bundle-size', `${code.length} JS/CSS build outputs in ${analysis.entries.length} entries sized against the budgets`);
  const raster = analysis.images.length;
  if (raster && (on('image-modern-formats') || on('image-oversized'))) out.set('image-formats', `${raster} images checked for size and WebP/AVIF versions`);
  return out;
}

/**
 * The analysis as checklist evidence for `mergeEvidence(audit.checklist, …)` (checklist.ts): an
 * item with a warning or error finding fails, an item the analysis covered without one passes
 * (settling "unknown"), hand marks win.
 */
export function bundleEvidence(analysis: BundleAnalysis, findings: Finding[], config?: PerfAuditSettings): ExternalItemEvidence {
  const covered = bundleCoverage(analysis, config);
  const ids = new Set<ChecklistItemId>([...covered.keys(), ...findings.map((f) => f.checklistItem)]);
  const items = [...ids].map((id) => {
    const serious = findings.filter((f) => f.checklistItem === id && SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER.warning);
    if (serious.length) return { id, status: 'fail' as const, reason: `${serious.length} problem${serious.length === 1 ? '' : 's'} in the build output` };
    return covered.has(id) ? { id, status: 'pass' as const, reason: covered.get(id)! } : { id, status: 'unknown' as const, reason: 'only notes from the bundle analysis' };
  });
  return { source: 'bundle analysis', items, findings };
}
