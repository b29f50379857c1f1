import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_OUTPUT_GATHERER_ID, type BundleOutputArtifact } from '../artifact.js';
import { describeImage, judgedImages } from './image-shared.js';

export const imageOversized: FileRule<BundleOutputArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_OUTPUT_GATHERER_ID,
  meta: {
    id: 'image-oversized',
    title: 'Images are within the size limit',
    failureTitle: 'An image is over the size limit',
    description: 'An image (in a build output or a source asset folder) is larger than `bundle.imageMaxKb` (250 KB). SVG fonts (in a fonts folder), vendored libraries\' assets and test fixtures are left out, and so are images in an asset folder the app does not serve as it is (a root `assets/`, `images/`, `img/`) that no code, markup, template or stylesheet names (README pictures, source artwork).',
    domain: 'bundle',
    checklistItem: 'image-formats',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const max = ctx.artifact.options.imageMaxKb * 1024;
    for (const img of judgedImages(ctx.artifact)) {
      if (img.bytes <= max) continue;
      const big = img.width && img.width > 2560 ? ` At ${img.width} px wide it is larger than any screen shows it: resize it (and serve sizes with srcset).` : ' Resize it to the largest size it is displayed at (serve smaller ones with srcset) and compress it.';
      ctx.report({ span: { start: 0, end: 0 }, file: img.path, message: `${describeImage(img)} is over the ${ctx.artifact.options.imageMaxKb} KB image limit ("bundle.imageMaxKb").${big}`, data: { bytes: img.bytes, width: img.width ?? null, height: img.height ?? null } });
    }
  },
};
