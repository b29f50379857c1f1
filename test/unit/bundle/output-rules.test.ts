import { minifiedJs, unminifiedJs, png, jpeg, gif, webp, metafile } from './fixtures.js';
import { outputRuleTests } from './bundle-rule-tester.js';

const rc = (o: unknown): string => `${JSON.stringify(o, null, 2)}\n`;

outputRuleTests('bundle-size-budget', {
  valid: [
    { name: 'no build output', files: { 'package.json': '{}' } },
    { name: 'a small bundle', files: { 'dist/app.js': minifiedJs(20) } },
    { name: 'a raised budget in .perfauditrc.json', files: { '.perfauditrc.json': rc({ budgets: { jsGzipKb: 2000 } }), 'dist/app.js': minifiedJs(800) } },
    { name: 'per-entry budget', files: { '.perfauditrc.json': rc({ bundle: { entryBudgets: [{ path: 'dist/admin*.js', jsGzipKb: 5000 }] } }), 'dist/admin.js': minifiedJs(800) } },
    {
      name: 'a lazy chunk is not part of the entry (HTML page lists the initial scripts)',
      files: { 'dist/index.html': '<script type="module" src="/assets/index.js"></script>', 'dist/assets/index.js': minifiedJs(20), 'dist/assets/editor.js': minifiedJs(800, 7) },
    },
  ],
  invalid: [
    {
      name: 'one big bundle, no manifest: finding on the jsGzipKb key of .perfauditrc.json',
      files: { '.perfauditrc.json': rc({ budgets: { jsGzipKb: 100 } }), 'dist/app.js': minifiedJs(500) },
      errors: [{ file: '.perfauditrc.json', line: 3, message: /^dist\/app\.js loads [\d.]+ KB of JavaScript gzip \(1 file, [\d.]+ KB raw\), over the 100 KB budget \(budgets\.jsGzipKb\)/, data: { kind: 'js', budgetKb: 100 } }],
    },
    {
      name: 'HTML page: scripts + modulepreload summed; CSS budget on package.json without a config',
      files: {
        'package.json': rc({ scripts: { build: 'vite build' } }),
        'dist/index.html': '<link rel="stylesheet" href="/assets/a.css"><link rel="modulepreload" href="/assets/vendor.js"><script type="module" src="/assets/index.js"></script><script src="https://cdn.example.com/x.js"></script>',
        'dist/assets/index.js': minifiedJs(400, 2),
        'dist/assets/vendor.js': minifiedJs(400, 3),
        'dist/assets/a.css': `${Array.from({ length: 6000 }, (_, i) => `.c${i.toString(36)}x{color:#${(i * 2654435761 % 16777216).toString(16).padStart(6, '0')};margin:${i % 97}px}`).join('')}\n`,
      },
      errors: [
        { file: 'package.json', line: 3, message: /entry "dist\/index\.html" loads [\d.]+ KB of JavaScript gzip \(2 files/, data: { files: ['dist/assets/vendor.js', 'dist/assets/index.js'] } },
        { file: 'package.json', line: 3, message: /of CSS gzip \(1 file\), over the 50 KB budget/ },
      ],
    },
    {
      name: 'esbuild metafile: entry + statically imported chunk, not the dynamic one',
      files: {
        'dist/meta.json': metafile({
          'dist/main.js': { entryPoint: 'src/main.ts', imports: [{ path: 'dist/chunk-A.js', kind: 'import-statement' }, { path: 'dist/lazy.js', kind: 'dynamic-import' }], inputs: { 'src/main.ts': 100 } },
          'dist/chunk-A.js': { inputs: { 'node_modules/react-dom/index.js': 100 } },
          'dist/lazy.js': { inputs: { 'src/lazy.ts': 100 } },
        }),
        'dist/main.js': minifiedJs(100, 4),
        'dist/chunk-A.js': minifiedJs(700, 5),
        'dist/lazy.js': minifiedJs(900, 6),
      },
      errors: [{ message: /entry "src\/main\.ts" \(dist\/meta\.json\) loads [\d.]+ KB of JavaScript gzip \(2 files[^]*Largest packages: react-dom/, data: { files: ['dist/main.js', 'dist/chunk-A.js'] } }],
    },
  ],
});

outputRuleTests('bundle-not-minified', {
  valid: [{ name: 'minified output', files: { 'dist/a.js': minifiedJs(50) } }, { name: 'small files are not judged', files: { 'dist/a.js': unminifiedJs(1) } }],
  invalid: [
    { name: 'a development build: one finding per folder', files: { 'package.json': rc({ scripts: { build: 'webpack' } }), 'build/static/js/a.js': unminifiedJs(20), 'build/static/js/b.js': unminifiedJs(10), 'dist/ok.js': minifiedJs(10) }, errors: [{ file: 'package.json', message: /^2 JS\/CSS files in build\/ \([\d.]+ KB\) are not minified, e\.g\. build\/static\/js\/a\.js/ }] },
  ],
});

outputRuleTests('bundle-duplicate-module', {
  valid: [{ name: 'one copy per output (two outputs may each have one)', files: { 'dist/meta.json': metafile({ 'dist/a.js': { inputs: { 'node_modules/lodash/lodash.js': 100 } }, 'dist/b.js': { inputs: { 'node_modules/lodash/lodash.js': 100 } } }), 'dist/a.js': 'a', 'dist/b.js': 'b' } }],
  invalid: [
    {
      name: 'two versions in one output (versions read from the installed package.json)',
      files: {
        'dist/meta.json': metafile({ 'dist/a.js': { inputs: { 'node_modules/lodash/lodash.js': 70000, 'node_modules/old/node_modules/lodash/index.js': 50000, 'src/a.js': 10 } } }),
        'dist/a.js': 'x',
        'node_modules/lodash/package.json': '{"version":"4.17.21"}',
        'node_modules/old/node_modules/lodash/package.json': '{"version":"3.10.1"}',
      },
      errors: [{ message: /^lodash is bundled 2 times in dist\/a\.js, at different versions: 4\.17\.21 at node_modules\/lodash \(68 KB\); 3\.10\.1 at node_modules\/old\/node_modules\/lodash \(49 KB\)\. The extra copies cost 49 KB/ }],
    },
    {
      name: 'pnpm: the same version twice (peer variants), versions from the path',
      files: {
        'dist/meta.json': metafile({ 'dist/a.js': { inputs: { 'node_modules/.pnpm/ui@1.0.0_react@17/node_modules/ui/index.js': 2000, 'node_modules/.pnpm/ui@1.0.0_react@18/node_modules/ui/index.js': 2000 } } }),
        'dist/a.js': 'x',
      },
      errors: [{ message: /^ui is bundled 2 times in dist\/a\.js, at the same version, installed twice/ }],
    },
  ],
});

outputRuleTests('bundle-cjs-module', {
  valid: [{ name: 'small CJS packages and React are not reported', files: { 'dist/meta.json': metafile({ 'dist/a.js': { inputs: { 'node_modules/tiny/index.js': 500, 'node_modules/react-dom/cjs/react-dom.production.min.js': 130000 } } }, { 'node_modules/tiny/index.js': 'cjs', 'node_modules/react-dom/cjs/react-dom.production.min.js': 'cjs' }), 'dist/a.js': 'x' } }],
  invalid: [
    {
      name: 'lodash as CommonJS: warning with the ESM alternative; an unknown package: info',
      files: { 'dist/meta.json': metafile({ 'dist/a.js': { inputs: { 'node_modules/lodash/lodash.js': 70000, 'node_modules/big-cjs/index.js': 20000, 'node_modules/esm-pkg/index.mjs': 50000 } } }, { 'node_modules/lodash/lodash.js': 'cjs', 'node_modules/big-cjs/index.js': 'cjs', 'node_modules/esm-pkg/index.mjs': 'esm' }), 'dist/a.js': 'x' },
      errors: [
        { severity: 'warning', message: /^lodash is bundled as CommonJS \(68 KB in dist\/a\.js\)[^]*lodash-es/ },
        { severity: 'info', message: /^big-cjs is bundled as CommonJS/ },
      ],
    },
  ],
});

outputRuleTests('bundle-stats-invalid', {
  valid: [{ name: 'a valid metafile', files: { 'dist/meta.json': metafile({ 'dist/a.js': { inputs: { 'src/a.js': 1 } } }), 'dist/a.js': 'x' } }, { name: 'a PWA manifest.json is not a build manifest', files: { 'dist/manifest.json': '{"name":"App","icons":[]}' } }],
  invalid: [
    { name: 'corrupt stats.json', files: { 'dist/stats.json': '{"assets": [', 'dist/a.js': 'x' }, errors: [{ severity: 'warning', message: /dist\/stats\.json is not valid JSON/ }] },
    { name: 'unrecognised meta.json', files: { 'dist/meta.json': '{"foo": 1}' }, errors: [{ message: /neither an esbuild metafile/ }] },
    { name: 'stale metafile', files: { 'dist/meta.json': metafile({ 'dist/gone.js': { inputs: { 'src/a.js': 1 } } }), 'dist/a.js': 'x' }, errors: [{ severity: 'info', message: /1 output named in a manifest is not on disk \(dist\/gone\.js/ }] },
    { name: 'missing source maps', files: { 'dist/a.js': minifiedJs(20) }, errors: [{ message: /1 JS file has no source map, metafile or stats \(dist\/a\.js\)/ }] },
    { name: 'a sourceMappingURL naming a map that is not there', files: { 'dist/a.js': `${minifiedJs(20)}//# sourceMappingURL=maps/a.js.map\n`, 'dist/b.js': minifiedJs(20, 2) }, errors: [{ message: /1 JS file names a source map \(\/\/# sourceMappingURL\) that does not exist \(dist\/a\.js → dist\/maps\/a\.js\.map\)/ }, { message: /1 JS file has no source map, metafile or stats \(dist\/b\.js\)/ }] },
    { name: 'a source map outside the output folder is used', files: { 'dist/a.js': `${minifiedJs(20)}//# sourceMappingURL=../maps/a.js.map\n`, 'maps/a.js.map': '{"version":3}' }, errors: [{ message: /the source map maps\/a\.js\.map of dist\/a\.js is unusable: not a source map/ }] },
    { name: 'a source map that is not one', files: { 'dist/a.js': `${minifiedJs(20)}//# sourceMappingURL=a.js.map\n`, 'dist/a.js.map': '{"version":3}' }, errors: [{ message: /the source map dist\/a\.js\.map of dist\/a\.js is unusable: not a source map/ }] },
    { name: 'over the size limit', files: { '.perfauditrc.json': rc({ bundle: { maxFileMb: 0.01 } }), 'dist/a.js': minifiedJs(20) }, errors: [{ message: /dist\/a\.js is 20 KB, over the 0\.01 MB limit \("bundle\.maxFileMb"\): raw size only/ }, { message: /no source map/ }] },
  ],
});

outputRuleTests('image-modern-formats', {
  valid: [
    { name: 'a WebP version beside it', files: { 'public/hero.png': png(1600, 900, 300_000), 'public/hero.webp': webp(90_000) } },
    { name: 'hashed names in the output still match', files: { 'dist/assets/hero-Bx12ab34.jpg': jpeg(800, 600, 80_000), 'dist/assets/hero-Cd56ef78.avif': webp(30_000) } },
    { name: 'small icons are fine', files: { 'public/icon.png': png(32, 32, 2_000) } },
    { name: 'favicons, touch and PWA icons, Open Graph cards: their format is set by the platforms that read them', files: { 'public/android-chrome-512x512.png': png(512, 512, 21_000), 'public/logo-pwa.png': png(512, 512, 220_000), 'public/apple-touch-icon.png': png(180, 180, 25_000), 'public/og-image.png': png(1200, 630, 90_000), 'static/img/social-card.jpg': jpeg(1200, 630, 120_000) } },
    { name: 'vendored libraries\' sprites and test fixtures', files: { 'static/js/src/vendor/ckeditor/skins/icons_hidpi.png': png(32, 2160, 21_000), 'test/fixtures/big.png': png(2000, 2000, 400_000) } },
    { name: 'bundle.ignoreImages', files: { '.perfauditrc.json': rc({ bundle: { ignoreImages: ['public/press/**'] } }), 'public/press/logo-print.png': png(4000, 4000, 900_000) } },
    { name: 'README pictures in a root assets/ folder, named only from Markdown', files: { 'assets/hero.png': png(1600, 900, 300_000), 'assets/star_repo.gif': gif(600, 400, 900_000), 'README.md': '![hero](./assets/hero.png)\n<img src="assets/star_repo.gif">\n', 'docs/setup.md': '![](../assets/hero.png)', 'src/App.tsx': 'export const App = () => <img src="/static/logo.png" />;\n' } },
    { name: 'source artwork in a root assets/ folder no code names (the app uses the 64 px export)', files: { 'assets/icons/feather512.png': png(512, 400, 40_000), 'assets/icons/feather64.png': png(64, 50, 3_000), 'src/config.rs': 'const ICON: &str = "icons/feather64.png";\n' } },
    { name: 'a bare name in a template means the app\'s own copy when the workspace has another file of that name', files: { 'assets/logo.png': png(800, 800, 90_000), 'app/static/logo.png': png(64, 64, 3_000), 'app/templates/layout.html': '<img src="{% static \'logo.png\' %}" alt="">\n' } },
    { name: 'a path that names another folder\'s file of the same name', files: { 'assets/logo.png': png(800, 800, 90_000), 'mobile/assets/images/logo.png': png(64, 64, 3_000), 'mobile/app.config.ts': 'export default { icon: "./assets/images/logo.png" };\n' } },
    { name: 'an app icon at a platform size, listed in a manifest the scan cannot read as one', files: { 'assets/icons/feather512.png': png(512, 512, 40_000), 'assets/icons/logo-192x192.png': png(192, 192, 22_000), 'src/config.rs': 'const ICONS: [&str; 2] = ["icons/feather512.png", "icons/logo-192x192.png"];\n' } },
  ],
  invalid: [
    {
      name: 'PNG and GIF without variants, reported once (public/ copied to dist/)',
      files: { 'public/hero.png': png(1600, 900, 300_000), 'dist/hero.png': png(1600, 900, 300_000), 'src/assets/anim.gif': gif(400, 300, 120_000) },
      errors: [
        { file: 'public/hero.png', message: /^public\/hero\.png \(293 KB, 1600×900 PNG\) has no WebP or AVIF version/ },
        { file: 'src/assets/anim.gif', message: /400×300 GIF\)[^]*<video>/ },
      ],
    },
    {
      name: 'root assets/ images the app names: from a template, JSX, a stylesheet, Rust code (a relative or bare path)',
      files: {
        'assets/hero.jpg': jpeg(1600, 900, 200_000), 'assets/img/bg.png': png(1920, 1080, 400_000), 'assets/banner.png': png(1200, 300, 90_000), 'assets/icons/feather512.png': png(512, 400, 40_000), 'images/team.jpg': jpeg(1200, 800, 150_000),
        'templates/index.html': '<img src="/assets/hero.jpg" alt="">\n', 'src/Home.jsx': 'import banner from "../assets/banner.png";\n', 'styles/site.scss': 'body { background: url("../assets/img/bg.png"); }\n', 'src/config.rs': 'const LOGO: &str = "icons/feather512.png";\n', 'app/views/about.html.erb': '<%= image_tag "team.jpg" %>\n',
      },
      errors: [{ file: 'assets/banner.png' }, { file: 'assets/hero.jpg' }, { file: 'assets/icons/feather512.png' }, { file: 'assets/img/bg.png' }, { file: 'images/team.jpg' }],
    },
    {
      name: 'images in served folders are judged whether or not a scanned file names them (public/, static/, src/assets/)',
      files: { 'public/screenshot.png': png(1600, 900, 300_000), 'static/img/docs/events.png': png(1200, 800, 120_000), 'src/assets/unused.jpg': jpeg(1200, 800, 150_000), 'README.md': '![](public/screenshot.png)\n' },
      errors: [{ file: 'public/screenshot.png' }, { file: 'src/assets/unused.jpg' }, { file: 'static/img/docs/events.png' }],
    },
  ],
});

outputRuleTests('image-oversized', {
  valid: [
    { name: 'under the limit', files: { 'public/a.jpg': jpeg(1200, 800, 200_000) } },
    { name: 'a README picture in a root assets/ folder', files: { 'assets/linkwarden-hero.png': png(2400, 1400, 1_200_000), 'README.md': '![](./assets/linkwarden-hero.png)\n' } },
    { name: 'an SVG font is a font, not an image', files: { 'static/fonts/MaterialIcons-Regular.svg': `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><defs><font id="m">${'<glyph unicode="a" d="M0 0h10v10z"/>'.repeat(9000)}</font></defs></svg>\n` } },
  ],
  invalid: [
    { name: 'a root assets/ GIF a component names', files: { 'assets/star_repo.gif': gif(600, 400, 900_000), 'src/Promo.vue': '<template><img src="@/../assets/star_repo.gif"></template>\n' }, errors: [{ file: 'assets/star_repo.gif', message: /over the 250 KB image limit/ }] },
    { name: 'a 6000 px JPEG', files: { 'public/photo.jpg': jpeg(6000, 4000, 2_400_000) }, errors: [{ file: 'public/photo.jpg', message: /^public\/photo\.jpg \(2\.29 MB, 6000×4000 JPEG\) is over the 250 KB image limit[^]*6000 px wide/, data: { width: 6000, height: 4000 } }] },
    { name: 'a configured limit', files: { '.perfauditrc.json': rc({ bundle: { imageMaxKb: 50 } }), 'static/a.webp': webp(60_000) }, errors: [{ file: 'static/a.webp', message: /over the 50 KB image limit/ }] },
  ],
});
