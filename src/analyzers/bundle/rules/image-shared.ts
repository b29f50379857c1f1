/** Helpers shared by the image rules (not a rule). */
import { globMatcher } from '../../../kernel/glob.js';
import { conventionalCodeRole } from '../../../kernel/code-role.js';
import type { BundleOutputArtifact } from '../artifact.js';
import { basename, formatBytes } from '../paths.js';
import type { ImageInfo } from '../types.js';
import { isServedFolder } from '../image-refs.js';

/**
 * Images to judge: build outputs that are copies of a source asset (same name and size, e.g.
 * public/ copied to dist/) are left out, so each image is reported once, at its source. An image in
 * an asset folder the app does not serve as it is (a root `assets/`, `images/`, `img/`) is judged
 * only when the app's code, markup or styles name it: README pictures, screenshots and source
 * artwork (a 512 px master of the icons the app uses) live there too, and no user downloads them.
 */
export function judgedImages(a: BundleOutputArtifact): ImageInfo[] {
  const globIgnored = a.options.ignoreImages.length ? globMatcher(a.options.ignoreImages) : (): boolean => false;
  const inOutput = (p: string): boolean => a.analysis.outputDirs.some((d) => p.startsWith(`${d}/`));
  const refs = a.references;
  const unserved = (p: string): boolean => {
    if (!refs || inOutput(p)) return false;
    const dir = a.options.assetDirs.find((d) => p.startsWith(`${d}/`));
    return dir !== undefined && !isServedFolder(dir) && !refs.has(p);
  };
  const ignored = (p: string): boolean => globIgnored(p) || notAnAssetToJudge(p) || unserved(p);
  const sources = new Set(a.analysis.images.filter((i) => !inOutput(i.path)).map((i) => `${basename(i.path)}\u0000${i.bytes}`));
  return a.analysis.images.filter((i) => !ignored(i.path) && (!inOutput(i.path) || !sources.has(`${basename(i.path)}\u0000${i.bytes}`)));
}

export function describeImage(i: ImageInfo): string {
  const dims = i.width && i.height ? `, ${i.width}×${i.height}` : '';
  return `${i.path} (${formatBytes(i.bytes)}${dims} ${i.format.toUpperCase()})`;
}

/**
 * Files that are not the project's own page images: SVG fonts (`fonts/…svg`, icon fonts), vendored
 * libraries' assets (`vendor/`, `third_party/`: not the project's to re-encode), and test fixtures.
 */
function notAnAssetToJudge(path: string): boolean {
  const dirs = path.toLowerCase().split('/').slice(0, -1);
  if (dirs.some((d) => d === 'font' || d === 'fonts' || d === 'webfonts')) return true;
  if (dirs.some((d) => d === 'vendor' || d === 'vendors' || d === 'third_party' || d === 'third-party' || d === 'node_modules' || d === 'bower_components')) return true;
  return conventionalCodeRole(path) === 'test';
}

/**
 * Icons and cards whose format is set by the platforms that read them: favicons, apple-touch-icon,
 * Android/PWA manifest icons, Windows tiles, and Open Graph / Twitter card images (PNG or JPEG only
 * for many crawlers and iOS). A WebP or AVIF version would not be used.
 */
export function isPlatformImage(path: string): boolean {
  const base = basename(path).toLowerCase();
  return /^(?:favicon|apple-touch-icon|android-chrome|android-icon|mstile|safari-pinned-tab|icon-\d+|icons?-\d+x\d+|maskable|logo-?pwa|pwa-|og-?image|opengraph|twitter-?(?:card|image)|social-?(?:card|preview|image))/.test(base) || /[-_.](?:pwa|og|opengraph)(?:[-_.]|$)/.test(base);
}

/** Square sizes of app icons (PWA manifest, Android launcher, iOS touch icons, store icons). */
const ICON_SIZES = new Set([16, 24, 32, 36, 44, 48, 57, 60, 64, 72, 76, 96, 114, 120, 128, 144, 152, 160, 167, 180, 192, 256, 384, 512, 1024]);

/**
 * An app icon at a platform size: a square image of an icon size whose name ends with that size
 * (`plumeFeather512.png`, `logo-192.png`, `icon_512x512.png`). Manifests list these as PNG (the
 * format Android, iOS and the stores take), usually from code the scan cannot read as a manifest.
 */
export function isSizedAppIcon(img: ImageInfo): boolean {
  if (!img.width || img.width !== img.height || !ICON_SIZES.has(img.width)) return false;
  const stem = basename(img.path).replace(/\.[a-z]+$/i, '');
  const n = String(img.width);
  return (stem.endsWith(n) && !/\d/.test(stem.charAt(stem.length - n.length - 1))) || stem.endsWith(`${n}x${n}`);
}
