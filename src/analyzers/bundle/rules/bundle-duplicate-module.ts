import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_OUTPUT_GATHERER_ID, type BundleOutputArtifact } from '../artifact.js';
import { formatBytes } from '../paths.js';

export const bundleDuplicateModule: FileRule<BundleOutputArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_OUTPUT_GATHERER_ID,
  meta: {
    id: 'bundle-duplicate-module',
    title: 'Each package is bundled once per output',
    failureTitle: 'A package is bundled more than once in the same output',
    description: 'One output file (per its esbuild metafile, webpack stats or source map) contains modules of the same package from two or more install locations — different versions, or the same version installed twice — so its code ships twice.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const a = ctx.artifact.analysis;
    // package → output → root → bytes
    const found = new Map<string, Map<string, Map<string, number>>>();
    for (const b of a.breakdowns) {
      for (const m of b.modules) {
        if (!m.pkg || !m.pkgRoot) continue;
        let outs = found.get(m.pkg);
        if (!outs) found.set(m.pkg, (outs = new Map()));
        let roots = outs.get(b.output);
        if (!roots) outs.set(b.output, (roots = new Map()));
        roots.set(m.pkgRoot, (roots.get(m.pkgRoot) ?? 0) + m.bytes);
      }
    }
    for (const [pkg, outs] of found) {
      const dup = [...outs].filter(([, roots]) => roots.size > 1);
      if (!dup.length) continue;
      const versions = a.packages.find((p) => p.name === pkg)?.versions ?? {};
      const [output, roots] = dup[0];
      const copies = [...roots].sort((x, y) => y[1] - x[1]).map(([r, bytes]) => `${versions[r] ? `${versions[r]} at ` : ''}${r} (${formatBytes(bytes)})`);
      const extra = [...roots.values()].sort((x, y) => y - x).slice(1).reduce((s, n) => s + n, 0);
      const distinct = new Set(Object.values(versions));
      const kind = distinct.size > 1 ? 'at different versions' : distinct.size === 1 && Object.keys(versions).length === roots.size ? 'at the same version, installed twice' : 'from several install locations';
      ctx.report({
        span: ctx.artifact.spans.anchor,
        message: `${pkg} is bundled ${roots.size} times in ${output}, ${kind}: ${copies.join('; ')}${dup.length > 1 ? ` (and in ${dup.length - 1} more output${dup.length > 2 ? 's' : ''})` : ''}. The extra copies cost ${formatBytes(extra)}. Align the dependency ranges and deduplicate (npm dedupe / pnpm dedupe / yarn dedupe), or alias it to one copy (resolve.alias / "overrides").`,
        related: [{ file: output, span: { start: 0, end: 0 }, message: `${output}: ${roots.size} copies of ${pkg}` }],
        data: { package: pkg, output, roots: [...roots.keys()], extraBytes: extra },
      });
    }
  },
};
