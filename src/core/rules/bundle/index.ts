import type { FileRule } from '../rule.js';
import { bundleHeavyDependency } from './bundle-heavy-dependency.js';
import { bundleDuplicatePackage } from './bundle-duplicate-package.js';
import { bundleLodashFullImport } from './bundle-lodash-full-import.js';
import { imageLazyLoading } from './image-lazy-loading.js';
import { bundleSizeBudget } from './bundle-size-budget.js';
import { bundleNotMinified } from './bundle-not-minified.js';
import { bundleDuplicateModule } from './bundle-duplicate-module.js';
import { bundleCjsModule } from './bundle-cjs-module.js';
import { bundleStatsInvalid } from './bundle-stats-invalid.js';
import { imageModernFormats } from './image-modern-formats.js';
import { imageOversized } from './image-oversized.js';

/** Rules the engine runs over text files (gatherers: BUNDLE_GATHERERS in gatherers/bundle.ts). */
export const BUNDLE_RULES: FileRule[] = [bundleHeavyDependency, bundleDuplicatePackage, bundleLodashFullImport, imageLazyLoading];

/**
 * Rules over the build outputs (core/bundle/analyze.ts): run by core/bundle/findings.ts, not the
 * engine (their gatherer id `bundle-output` is not an engine gatherer, so the engine skips them even
 * when they are registered in ALL_RULES for docs, `--rules`, SARIF metadata and rule levels).
 */
export const BUNDLE_OUTPUT_RULES: FileRule[] = [bundleSizeBudget, bundleNotMinified, bundleDuplicateModule, bundleCjsModule, bundleStatsInvalid, imageModernFormats, imageOversized];

export const ALL_BUNDLE_RULES: FileRule[] = [...BUNDLE_RULES, ...BUNDLE_OUTPUT_RULES];
