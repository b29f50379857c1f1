/** Helpers shared by the image rules (not a rule). */
import { globMatcher } from '../../../kernel/glob.js';
import type { BundleOutputArtifact } from '../artifact.js';
import { basename, formatBytes } from '../paths.js';
import type { ImageInfo } from '../types.js';

/**
 * Images to judge: build outputs that are copies of a source asset (same name and size, e.g.
 * public/ copied to dist/) are left out, so each image is reported once, at its source.
 */
export function judgedImages(a: BundleOutputArtifact): ImageInfo[] {
  const ignored = a.options.ignoreImages.length ? globMatcher(a.options.ignoreImages) : (): boolean => false;
  const inOutput = (p: string): boolean => a.analysis.outputDirs.some((d) => p.startsWith(`${d}/`));
  const sources = new Set(a.analysis.images.filter((i) => !inOutput(i.path)).map((i) => `${basename(i.path)}\u0000${i.bytes}`));
  return a.analysis.images.filter((i) => !ignored(i.path) && (!inOutput(i.path) || !sources.has(`${basename(i.path)}\u0000${i.bytes}`)));
}

export function describeImage(i: ImageInfo): string {
  const dims = i.width && i.height ? `, ${i.width}×${i.height}` : '';
  return `${i.path} (${formatBytes(i.bytes)}${dims} ${i.format.toUpperCase()})`;
}
