/** Images in markup: HTML / JSX / Vue / Svelte files with `<img>` elements, and where each one sits on the page. */
import type { FileGatherer } from '../../kernel/contracts.js';
import { htmlImages, jsxImages, type ImgTag } from './markup.js';

export const IMAGE_MARKUP_GATHERER_ID = 'image-markup';

export interface MarkupArtifact {
  kind: 'html' | 'jsx';
  images: ImgTag[];
}

export const imageMarkupGatherer: FileGatherer<MarkupArtifact> = {
  id: IMAGE_MARKUP_GATHERER_ID,
  description: 'HTML/JSX files with images',
  matches: (p) => /\.(html?|vue|svelte|astro|jsx|tsx|js|mjs)$/i.test(p),
  gather(path, text) {
    if (!/<img\b/i.test(text)) return undefined;
    const html = /\.(html?|vue|svelte|astro)$/i.test(path);
    const images = html ? htmlImages(text, { templates: !/\.html?$/i.test(path) }) : jsxImages(text);
    return images.length ? { kind: html ? 'html' : 'jsx', images } : undefined;
  },
};

