import type { Analyzer, FileRule } from '../../kernel/contracts.js';
import { servedCodeOnly } from '../../kernel/served-code.js';
import { BUNDLE_GATHERERS } from './gather.js';
import { bundleHeavyDependency } from './rules/bundle-heavy-dependency.js';
import { bundleDuplicatePackage } from './rules/bundle-duplicate-package.js';
import { bundleLodashFullImport } from './rules/bundle-lodash-full-import.js';
import { bundleSizeBudget } from './rules/bundle-size-budget.js';
import { bundleNotMinified } from './rules/bundle-not-minified.js';
import { bundleDuplicateModule } from './rules/bundle-duplicate-module.js';
import { bundleCjsModule } from './rules/bundle-cjs-module.js';
import { bundleStatsInvalid } from './rules/bundle-stats-invalid.js';
import { imageModernFormats } from './rules/image-modern-formats.js';
import { imageOversized } from './rules/image-oversized.js';

/** Rules the engine runs over text files (gatherers: BUNDLE_GATHERERS in gather.ts). */
export const BUNDLE_RULES: FileRule[] = ([bundleHeavyDependency, bundleDuplicatePackage, bundleLodashFullImport] as FileRule[]).map(servedCodeOnly);

/**
 * Rules over the build outputs (bundle/analyze.ts): run by bundle/findings.ts, not the
 * engine (their gatherer id `bundle-output` is not an engine gatherer, so the engine skips them even
 * when they are registered for docs, `--rules`, SARIF metadata and rule levels).
 */
export const BUNDLE_OUTPUT_RULES: FileRule[] = [bundleSizeBudget, bundleNotMinified, bundleDuplicateModule, bundleCjsModule, bundleStatsInvalid, imageModernFormats, imageOversized];

export const ALL_BUNDLE_RULES: FileRule[] = [...BUNDLE_RULES, ...BUNDLE_OUTPUT_RULES];

/** The bundle analyzer: package manifests, lockfiles and imports in the workspace; build output (sizes, budgets, images) through Analyze Bundle and the CLI. */
export const bundleAnalyzer: Analyzer = {
  id: 'bundle',
  title: 'Bundles and dependencies',
  watch: ['*.ts', '*.tsx', '*.js', '*.jsx', '*.mjs', '*.cjs', '*.mts', '*.cts', 'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'],
  rules: ALL_BUNDLE_RULES,
  gatherers: BUNDLE_GATHERERS,
};
