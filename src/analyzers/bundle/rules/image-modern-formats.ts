import type { FileRule } from '../../../kernel/contracts.js';
import { BUNDLE_OUTPUT_GATHERER_ID, type BundleOutputArtifact } from '../artifact.js';
import { hasModernVariant, isRaster } from '../images.js';
import { describeImage, isPlatformImage, isSizedAppIcon, judgedImages } from './image-shared.js';

export const imageModernFormats: FileRule<BundleOutputArtifact> = {
  kind: 'file',
  gatherer: BUNDLE_OUTPUT_GATHERER_ID,
  meta: {
    id: 'image-modern-formats',
    title: 'Large images have WebP/AVIF versions',
    failureTitle: 'A large PNG/JPEG/GIF image has no WebP or AVIF version',
    description: 'A PNG, JPEG or GIF image (in a build output or a source asset folder) of at least `bundle.modernImageMinKb` (20 KB) has no WebP or AVIF file with the same name beside it. Favicons, touch and PWA manifest icons (by name, or square at an icon size their name ends with: `logo-512.png`), tiles and Open Graph / Twitter card images (whose format the platforms set), vendored libraries\' assets, fonts and test fixtures are left out, and so are images in an asset folder the app does not serve as it is (a root `assets/`, `images/`, `img/`) that no code, markup, template or stylesheet names (README pictures, source artwork).',
    domain: 'bundle',
    checklistItem: 'image-formats',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const min = ctx.artifact.options.modernImageMinKb * 1024;
    for (const img of judgedImages(ctx.artifact)) {
      if (!isRaster(img) || img.bytes < min || hasModernVariant(img) || isPlatformImage(img.path) || isSizedAppIcon(img)) continue;
      const advice = img.format === 'gif'
        ? 'Animated GIFs are far larger than animated WebP/AVIF or a muted looping <video> (MP4/WebM): convert it.'
        : 'WebP is typically 25–35% smaller than JPEG/PNG at the same quality, AVIF often 50%. Generate .webp/.avif versions (sharp, squoosh, an image plugin of your bundler or framework) and serve them with <picture> or your image CDN.';
      ctx.report({ span: { start: 0, end: 0 }, file: img.path, message: `${describeImage(img)} has no WebP or AVIF version. ${advice}`, data: { bytes: img.bytes, format: img.format } });
    }
  },
};
