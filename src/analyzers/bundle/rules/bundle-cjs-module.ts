import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_OUTPUT_GATHERER_ID, type BundleOutputArtifact } from '../artifact.js';
import { formatBytes } from '../paths.js';

/** CommonJS packages with an ES module replacement. */
const ESM_ALTERNATIVE: Record<string, string> = {
  lodash: 'lodash-es (or lodash/<method> imports)',
  moment: 'dayjs or date-fns',
  underscore: 'lodash-es or native methods',
  'crypto-js': 'the Web Crypto API',
  axios: 'fetch, or axios 1.x built as ESM',
  uuid: 'crypto.randomUUID() or uuid 9+ (ESM)',
  classnames: 'clsx (ESM)',
};

/** CommonJS packages with no ESM build that every app of their framework ships; flagging them helps nobody. */
const UNAVOIDABLE = new Set(['react', 'react-dom', 'scheduler', 'react-is', 'prop-types', 'object-assign', 'use-sync-external-store', 'react/jsx-runtime']);

const MIN_BYTES = 10 * 1024;

export const bundleCjsModule: FileRule<BundleOutputArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_OUTPUT_GATHERER_ID,
  meta: {
    id: 'bundle-cjs-module',
    title: 'Large dependencies are ES modules (tree-shakable)',
    failureTitle: 'A large CommonJS dependency blocks tree shaking',
    description: 'An esbuild metafile shows a package bundled from CommonJS modules (10 KB or more in one output): bundlers cannot remove its unused exports, so all of it ships.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'info',
    fixable: false,
  },
  check(ctx) {
    const by = new Map<string, { bytes: number; outputs: Set<string> }>();
    for (const b of ctx.artifact.analysis.breakdowns) {
      if (b.source !== 'esbuild-metafile') continue;
      const perPkg = new Map<string, number>();
      for (const m of b.modules) if (m.pkg && m.format === 'cjs') perPkg.set(m.pkg, (perPkg.get(m.pkg) ?? 0) + m.bytes);
      for (const [pkg, bytes] of perPkg) {
        if (bytes < MIN_BYTES || UNAVOIDABLE.has(pkg)) continue;
        const cur = by.get(pkg) ?? { bytes: 0, outputs: new Set<string>() };
        cur.bytes = Math.max(cur.bytes, bytes);
        cur.outputs.add(b.output);
        by.set(pkg, cur);
      }
    }
    for (const [pkg, { bytes, outputs }] of [...by].sort((x, y) => y[1].bytes - x[1].bytes)) {
      const alt = ESM_ALTERNATIVE[pkg];
      const first = [...outputs][0];
      ctx.report({
        span: ctx.artifact.spans.anchor,
        severity: alt ? 'warning' : 'info',
        message: `${pkg} is bundled as CommonJS (${formatBytes(bytes)} in ${first}${outputs.size > 1 ? ` and ${outputs.size - 1} more output${outputs.size > 2 ? 's' : ''}` : ''}): its unused exports cannot be tree-shaken. ${alt ? `Use ${alt}.` : 'Check whether it ships an ES module build ("module" / "exports") your bundler is not picking, or import only the submodules you use.'}`,
        related: [{ file: first, span: { start: 0, end: 0 }, message: `${first}: ${pkg} ${formatBytes(bytes)} (CommonJS)` }],
        data: { package: pkg, bytes, outputs: [...outputs] },
      });
    }
  },
};
