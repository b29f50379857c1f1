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
    { name: 'tests, fixtures and docs are not served', files: { 'internal/reader/testdata/page.html': '<img src="a.png"><p>x</p><img src="b.png">\n', 'e2e/fixtures/page.html': '<img src="a.png"><p>x</p><img src="b.png">\n', 'docs/guide.html': '<img src="a.png"><p>x</p><img src="b.png">\n' } },
    { name: 'logos (two theme variants, in a sidebar) are above the fold', files: { 'templates/layout.html': '<aside class="navbar"><a href="/"><img src="logo-dark.svg" class="hide-dark"><img src="logo-light.svg" class="hide-light"></a></aside>\n<main><img src="hero.png"></main>\n', 'templates/login.html': '<div class="card"><img src="/img/logo_purple.png"><h2>Sign in</h2><p>x</p><img src="{% static \'logo_bright.svg\' %}" alt="Logo"></div>\n' } },
    { name: 'side-by-side previews with no text block between them are one first screen', files: { 'templates/appearance.html': '<div class="row"><div class="col"><label><img src="theme-light.png"></label><label><input type="radio"> Light</label></div><div class="col"><label><img src="theme-dark.png"></label></div><div class="col"><label><img src="theme-system.png"></label></div></div>\n' } },
    { name: 'icons with a small explicit size (attributes or Tailwind classes)', files: { 'src/Fields.tsx': 'export const F = ({ a, b }: { a: string; b: string }) => (\n  <form>\n    <img src={a} alt="" width={48} height={48} />\n    <p>or</p>\n    <img src={b} height={48} width={48} />\n    <p>or</p>\n    <img className="mr-2 h-4 w-4" src="/static/ms.svg" alt="" />\n    <p>x</p>\n    <img src="/sso.png" height="24" />\n  </form>\n);\n' } },
    { name: 'images named icons by their class (sized by a stylesheet)', files: { 'templates/integrations.html': '<h1>Integrations</h1>\n<ul>\n<li><img src="/static/img/email.png" class="icon" alt="Email icon"><h2>Email</h2><p>Get an email.</p></li>\n<li><img src="/static/img/slack.png" class="integration-icon" alt="Slack"><h2>Slack</h2><p>Post to a channel.</p></li>\n</ul>\n' } },
    { name: 'data: URI placeholders and base64 images have nothing to download', files: { 'src/Image.tsx': 'export const Img = ({ w, h, sig }: { w: number; h: number; sig: { imageAsBase64: string } }) => (\n  <div>\n    <img src="/big.png" alt="" />\n    <p>x</p>\n    <img alt="" src={`data:image/svg+xml;charset=UTF-8,${encodeURIComponent(String(w + h))}`} />\n    <img src={sig.imageAsBase64} alt="" />\n  </div>\n);\n' } },
    { name: 'email templates and markup rendered to an image on the server', files: { 'templates/emails/report.html': '<img src="a.png"><p>x</p><img src="b.png">\n', 'packages/email/templates/welcome.tsx': 'import { Body } from "@react-email/components";\nexport const W = () => <Body><img src="/a.png" /><p>x</p><img src="/b.png" /></Body>;\n', 'app/routes/share.opengraph.tsx': 'import satori from "satori";\nexport const og = () => satori(<div><img src="/a.png" /><p>x</p><img src="/b.png" /></div>, { width: 1200, height: 630, fonts: [] });\n' } },
    { name: 'next/image is lazy by default', files: { 'src/P.tsx': 'import Image from "next/image";\nexport const P = () => (<><Image src="/a.png" alt="" /><Image src="/b.png" alt="" /></>);\n' } },
  ],
  invalid: [
    {
      name: 'an icon in the alt text or a word containing icon in the class does not make a screenshot an icon',
      files: { 'templates/help.html': '<h1>Setup</h1>\n<img src="step1.png" alt="Step 1">\n<p>Then choose an icon for the bot.</p>\n<img src="step2.png" class="iconic-shot" alt="Choose an icon">\n' },
      errors: [{ file: 'templates/help.html', line: 4, column: 1, severity: 'warning' }],
    },
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
      files: { 'src/Page.vue': '<template>\n  <img :src="hero">\n  <h2>Team</h2>\n  <img src="/team.jpg">\n</template>\n' },
      errors: [{ line: 4, column: 3 }],
    },
    {
      name: 'a step-by-step guide: every screenshot after the first, each below its own paragraph',
      files: { 'templates/add_chat.html': '{% extends "base.html" %}\n<div class="row"><div class="col"><p>Open the space.</p></div><div class="col"><img src="{% static \'img/setup_1.png\' %}"></div></div>\n<div class="row"><div class="col"><p>Click Add webhook.</p></div><div class="col"><img src="{% static \'img/setup_2.png\' %}"></div></div>\n<div class="row"><div class="col"><p>Copy the URL.</p></div><div class="col"><img src="{% static \'img/setup_3.png\' %}"></div></div>\n' },
      errors: [{ line: 3, column: 83 }, { line: 4, column: 78 }],
    },
    {
      name: 'a feature folder named email/ is not an email template',
      files: { 'hc/integrations/email/templates/add_email.html': '<img src="email.png">\n<p>Get an email when a check goes down.</p>\n<img src="setup_email_2.png">\n' },
      errors: [{ line: 3, column: 1 }],
    },
    {
      name: 'a sentence of instructions in a bare div separates two screenshots',
      files: { 'templates/add_api.html': '<div class="step"><img src="setup_1.png"></div>\n<div class="step">Select API in the grid of offered integration types.</div>\n<div class="step"><img src="setup_2.png"></div>\n' },
      errors: [{ line: 3, column: 19 }],
    },
    {
      name: 'a large image in a second component of the file, after its text',
      files: { 'src/Card.tsx': 'export const Card = ({ img }: { img: string }) => <img src={img} alt="" />;\nexport const Story = ({ a, b }: { a: string; b: string }) => (\n  <div>\n    <img src={a} alt="" />\n    <p>Later that day</p>\n    <img src={b} alt="" />\n  </div>\n);\n' },
      errors: [{ line: 6, column: 5 }],
    },
    {
      name: 'an icon-sized attribute on one side only does not make a large image tiny',
      files: { 'index.html': '<img src="hero.jpg">\n<p>Intro</p>\n<img src="chart.png" width="800" height="40">\n' },
      errors: [{ line: 3, column: 1 }],
    },
  ],
});
