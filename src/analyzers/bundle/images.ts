/**
 * Image facts from the first bytes of the file (format, dimensions) and the checks on them:
 * raster images over a size limit, and PNG/JPEG/GIF images with no WebP/AVIF variant beside them.
 */
import { basename, dirname, extname } from './paths.js';
import type { ImageInfo } from './types.js';

export const RASTER = new Set(['.png', '.jpg', '.jpeg', '.gif']);
export const MODERN = new Set(['.webp', '.avif']);
export const IMAGE_EXTS = new Set([...RASTER, ...MODERN, '.svg']);

function u16be(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
}
function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

/** Format and dimensions from the file header (a prefix of the file is enough; 64 KB covers JPEG EXIF). */
export function imageHeader(b: Uint8Array): { format: ImageInfo['format']; width?: number; height?: number } {
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    return { format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
  }
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let o = 2;
    while (o + 9 < b.length) {
      if (b[o] !== 0xff) {
        o++;
        continue;
      }
      const marker = b[o + 1];
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        o += 2;
        continue;
      }
      const len = u16be(b, o + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { format: 'jpeg', height: u16be(b, o + 5), width: u16be(b, o + 7) };
      if (len < 2) break;
      o += 2 + len;
    }
    return { format: 'jpeg' };
  }
  if (b.length >= 30 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') {
    const chunk = String.fromCharCode(...b.subarray(12, 16));
    if (chunk === 'VP8X') return { format: 'webp', width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)) };
    if (chunk === 'VP8 ') return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
      return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    return { format: 'webp' };
  }
  if (b.length >= 12 && String.fromCharCode(...b.subarray(4, 8)) === 'ftyp' && /^avi[fs]/.test(String.fromCharCode(...b.subarray(8, 12)))) return { format: 'avif' };
  if (b.length >= 5 && /<svg|<\?xml/i.test(new TextDecoder().decode(b.subarray(0, Math.min(b.length, 512))))) return { format: 'svg' };
  return { format: 'other' };
}

/** Base name without extension and hash-free (hero.3f9a2c.png → hero) for matching variants. */
function stem(path: string): string {
  const b = basename(path);
  const noExt = b.slice(0, b.length - extname(b).length);
  return noExt.replace(/[.-][0-9a-f]{6,}$/i, '').replace(/[.-][A-Za-z0-9_-]{8}$/, (m) => (/\d/.test(m) ? '' : m)).toLowerCase();
}

/** Fills `variants` of each image: files in the same folder with the same stem in another format. */
export function linkVariants(images: ImageInfo[]): void {
  const groups = new Map<string, ImageInfo[]>();
  for (const img of images) {
    const k = `${dirname(img.path)}\u0000${stem(img.path)}`;
    groups.set(k, [...(groups.get(k) ?? []), img]);
  }
  for (const g of groups.values()) for (const img of g) img.variants = g.filter((o) => o !== img).map((o) => o.path);
}

export function hasModernVariant(img: ImageInfo): boolean {
  return img.variants.some((v) => MODERN.has(extname(v)));
}

export function isRaster(img: ImageInfo): boolean {
  return img.format === 'png' || img.format === 'jpeg' || img.format === 'gif';
}
