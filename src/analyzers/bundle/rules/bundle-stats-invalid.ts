import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_OUTPUT_GATHERER_ID, type BundleOutputArtifact } from '../artifact.js';

export const bundleStatsInvalid: FileRule<BundleOutputArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_OUTPUT_GATHERER_ID,
  meta: {
    id: 'bundle-stats-invalid',
    title: 'Build manifests and source maps are usable',
    failureTitle: 'A build manifest or source map could not be used',
    description: 'The bundle analysis could not use part of the build output: a corrupt or unrecognised stats/metafile, a manifest that names files no longer on disk, bundles without source maps (no per-module breakdown), files over the size limit, or the time budget running out.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'info',
    fixable: false,
  },
  check(ctx) {
    for (const p of ctx.artifact.analysis.problems) {
      ctx.report({
        span: ctx.artifact.spans.anchor,
        severity: p.kind === 'corrupt' ? 'warning' : 'info',
        message: `Bundle analysis: ${p.message}`,
        related: [{ file: p.file, span: { start: 0, end: 0 }, message: p.message }],
        data: { kind: p.kind, file: p.file },
      });
    }
  },
};
