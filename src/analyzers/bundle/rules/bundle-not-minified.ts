import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_OUTPUT_GATHERER_ID, type BundleOutputArtifact } from '../artifact.js';
import { formatBytes } from '../paths.js';

export const bundleNotMinified: FileRule<BundleOutputArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_OUTPUT_GATHERER_ID,
  meta: {
    id: 'bundle-not-minified',
    title: 'Build outputs are minified',
    failureTitle: 'A JS or CSS build output is not minified',
    description: 'A JavaScript or CSS file in a build output folder has short lines, indentation and comments: it was not minified, which typically makes it 2–3x larger before compression.',
    domain: 'bundle',
    checklistItem: 'bundle-size',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const a = ctx.artifact.analysis;
    const files = a.files.filter((f) => (f.kind === 'js' || f.kind === 'css') && f.minified === false && f.bytes >= 4096);
    // One finding per output folder: a development build has many unminified chunks, one fix.
    const byDir = new Map<string, typeof files>();
    for (const f of files) {
      const dir = a.outputDirs.find((d) => f.path.startsWith(`${d}/`)) ?? '.';
      byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
    }
    for (const [dir, list] of byDir) {
      list.sort((x, y) => y.bytes - x.bytes);
      const total = list.reduce((s, f) => s + f.bytes, 0);
      const names = list.slice(0, 3).map((f) => `${f.path} (${formatBytes(f.bytes)})`).join(', ');
      ctx.report({
        span: ctx.artifact.spans.anchor,
        message: `${list.length === 1 ? names : `${list.length} JS/CSS files in ${dir}/ (${formatBytes(total)})`} ${list.length === 1 ? 'is' : 'are'} not minified${list.length > 1 ? `, e.g. ${names}` : ''}. Build for production (NODE_ENV=production, webpack --mode production, vite build, esbuild --minify) or, if this is a development build, keep it out of the deployed folder.`,
        related: list.slice(0, 10).map((f) => ({ file: f.path, span: { start: 0, end: 0 }, message: `${f.path}: not minified (${formatBytes(f.bytes)})` })),
        data: { dir, files: list.map((f) => f.path), bytes: total },
      });
    }
  },
};
