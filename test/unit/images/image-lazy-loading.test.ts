// image-lazy-loading: table-driven cases run through the engine with the images analyzer's gatherer.
import { ruleTests } from '../../helpers/rule-tester.js';
import { imagesAnalyzer } from '../../../src/analyzers/images/index.js';

function imageRuleTests(ruleId: string, cases: Parameters<typeof ruleTests>[1]): void {
  ruleTests(ruleId, cases, { rules: imagesAnalyzer.rules, gatherers: imagesAnalyzer.gatherers });
}

imageRuleTests('image-lazy-loading', {
  valid: [
    { name: 'the first image and header images are eager on purpose', files: { 'index.html': '<header><img src="logo.svg"></header>\n<main><img src="hero.jpg"></main>\n' } },
    { name: 'explicit loading, fetchpriority, lazysizes', files: { 'index.html': '<img src="a.jpg"><img src="b.jpg" loading="eager"><img src="c.jpg" fetchpriority="high"><img data-src="d.jpg" class="lazyload">\n' } },
    { name: 'images in comments and scripts do not count', files: { 'index.html': '<img src="a.jpg">\n<!-- <img src="b.jpg"> -->\n<script>const t = \'<img src="c.jpg">\';</script>\n' } },
    { name: 'a component with one image', files: { 'src/Avatar.jsx': 'export const Avatar = ({ u }) => <img src={u.photo} alt="" />;\n' } },
    { name: 'next/image is lazy by default', files: { 'src/P.tsx': 'import Image from "next/image";\nexport const P = () => (<><Image src="/a.png" alt="" /><Image src="/b.png" alt="" /></>);\n' } },
  ],
  invalid: [
    {
      name: 'HTML: the second content image',
      files: { 'index.html': '<body>\n  <img src="hero.jpg">\n  <p>Text</p>\n  <img src="gallery.jpg" alt="g">\n</body>\n' },
      errors: [{ line: 4, column: 3, endColumn: 7, message: /<img src="gallery\.jpg"> is not the first image/, fixOutput: { 'index.html': '<body>\n  <img src="hero.jpg">\n  <p>Text</p>\n  <img loading="lazy" src="gallery.jpg" alt="g">\n</body>\n' } }],
    },
    {
      name: 'JSX: images rendered in a list, even the first',
      files: { 'src/Gallery.tsx': 'export function Gallery({ items }: { items: { src: string }[] }) {\n  return <ul>{items.map((i) => <li key={i.src}><img src={i.src} alt="" /></li>)}</ul>;\n}\n' },
      errors: [{ line: 2, column: 48, message: /<img> is rendered in a list/, data: { inList: true }, fixOutput: { 'src/Gallery.tsx': 'export function Gallery({ items }: { items: { src: string }[] }) {\n  return <ul>{items.map((i) => <li key={i.src}><img loading="lazy" src={i.src} alt="" /></li>)}</ul>;\n}\n' } }],
    },
    {
      name: 'Vue template',
      files: { 'src/Page.vue': '<template>\n  <img :src="hero">\n  <img src="/team.jpg">\n</template>\n' },
      errors: [{ line: 3, column: 3 }],
    },
  ],
});
