/** The images analyzer: `<img>` elements in HTML, JSX, Vue, Svelte and Astro markup. */
import type { Analyzer } from '../../kernel/contracts.js';
import { imageMarkupGatherer, imageReferenceGatherer } from './gather.js';
import { imageLazyLoading } from './rules/image-lazy-loading.js';

export const imagesAnalyzer: Analyzer = {
  id: 'images',
  title: 'Images in markup',
  watch: ['*.html', '*.htm', '*.vue', '*.svelte', '*.astro', '*.jsx', '*.tsx', '*.js', '*.mjs'],
  rules: [imageLazyLoading],
  gatherers: [imageMarkupGatherer, imageReferenceGatherer],
};
