/**
 * The artifact the bundle-output rules check: one analysis of the build outputs, plus where
 * project-wide findings are anchored (`.perfauditrc.json`'s budget keys, else package.json).
 * These rules are FileRules whose gatherer id (`bundle-output`) is not an engine gatherer: the
 * engine holds text files only, so bundle/findings.ts runs them over an analysis instead.
 */
import type { Span } from '../../kernel/model.js';
import type { BundleOptions } from './options.js';
import type { BundleAnalysis } from './types.js';
import type { ImageReferences } from './image-refs.js';

export const BUNDLE_OUTPUT_GATHERER_ID = 'bundle-output';

export interface BundleOutputArtifact {
  analysis: BundleAnalysis;
  options: BundleOptions;
  budgets: { jsGzipKb: number; cssGzipKb: number };
  /** In the anchor file (the rule context's `path` / `text`). */
  spans: { anchor: Span; jsBudget?: Span; cssBudget?: Span };
  /**
   * Image paths the workspace's code, markup and styles name (image-refs.ts). Absent when the
   * caller read no workspace text (the extension's Analyze Bundle): every image is judged then.
   */
  references?: ImageReferences;
}
