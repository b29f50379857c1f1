import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeBundle } from '../../../src/analyzers/bundle/analyze.js';
import { memoryFileReader } from '../../../src/analyzers/bundle/reader.js';
import { defaultBundleOptions, parseBundleOptions, budgetFor } from '../../../src/analyzers/bundle/options.js';
import { compressedSizes, looksMinified } from '../../../src/analyzers/bundle/sizes.js';
import { imageHeader } from '../../../src/analyzers/bundle/images.js';
import { parseSourceMapJson, sourceMapSizes, sourceMappingUrl } from '../../../src/analyzers/bundle/sourcemap.js';
import { packageOf } from '../../../src/analyzers/bundle/paths.js';
import { htmlPageAssets, parseViteManifest } from '../../../src/analyzers/bundle/entries.js';
import { gif, jpeg, minifiedJs, png, unminifiedJs, webp } from './fixtures.js';

test('packageOf: npm, scoped, nested, pnpm, loaders, webpack:// and app code', () => {
  const cases: [string, string | undefined, string | undefined, string | undefined][] = [
    ['node_modules/lodash/lodash.js', 'lodash', 'node_modules/lodash', undefined],
    ['../../node_modules/@babel/runtime/helpers/x.js', '@babel/runtime', '../../node_modules/@babel/runtime', undefined],
    ['node_modules/a/node_modules/b/index.js', 'b', 'node_modules/a/node_modules/b', undefined],
    ['node_modules/.pnpm/react-dom@18.3.1_react@18.3.1/node_modules/react-dom/index.js', 'react-dom', 'node_modules/.pnpm/react-dom@18.3.1_react@18.3.1/node_modules/react-dom', '18.3.1'],
    ['node_modules/.pnpm/@scope+ui@2.0.0/node_modules/@scope/ui/x.js', '@scope/ui', 'node_modules/.pnpm/@scope+ui@2.0.0/node_modules/@scope/ui', '2.0.0'],
    ['./node_modules/css-loader/dist/cjs.js!./src/a.css', undefined, undefined, undefined],
    ['webpack://app/./node_modules/react/index.js?abc', 'react', 'webpack://app/./node_modules/react', undefined],
    ['C:\\app\\node_modules\\vue\\index.js', 'vue', 'C:/app/node_modules/vue', undefined],
    ['src/index.ts', undefined, undefined, undefined],
  ];
  for (const [p, name, root, version] of cases) {
    const r = packageOf(p);
    assert.deepEqual([r?.name, r?.root, r?.version], [name, root, version], p);
  }
});

test('sizes: gzip and brotli, approximate brotli above the q11 limit; minification heuristic', async () => {
  const js = new TextEncoder().encode(minifiedJs(40));
  const s = await compressedSizes(js);
  assert.ok(s.gzip > 0 && s.gzip < js.length && s.brotli! < s.gzip, JSON.stringify(s));
  assert.equal(s.brotliApprox, undefined);
  const approx = await compressedSizes(js, { brotliMaxQ11Bytes: 1000 });
  assert.equal(approx.brotliApprox, true);
  assert.equal((await compressedSizes(js, { brotli: false })).brotli, undefined);
  assert.equal(looksMinified(minifiedJs(20)), true);
  assert.equal(looksMinified(unminifiedJs(20)), false);
  assert.equal(looksMinified('a=1'), undefined);
});

test('image headers: PNG, JPEG, GIF, WebP dimensions', () => {
  assert.deepEqual(imageHeader(png(640, 480, 100)), { format: 'png', width: 640, height: 480 });
  assert.deepEqual(imageHeader(jpeg(1920, 1080, 100)), { format: 'jpeg', width: 1920, height: 1080 });
  assert.deepEqual(imageHeader(gif(10, 20, 100)), { format: 'gif', width: 10, height: 20 });
  assert.equal(imageHeader(webp(100)).format, 'webp');
  assert.equal(imageHeader(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')).format, 'svg');
  assert.equal(imageHeader(new Uint8Array([1, 2, 3])).format, 'other');
  assert.equal(imageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff])).format, 'jpeg', 'truncated JPEG');
});

test('options: defaults, overrides and problems; per-entry budgets', () => {
  assert.deepEqual(parseBundleOptions(undefined).options, defaultBundleOptions());
  const { options, problems } = parseBundleOptions('{ // c\n "bundle": { "outputDirs": ["./web/dist/"], "imageMaxKb": 100, "brotli": false, "entryBudgets": [{ "path": "admin*", "jsGzipKb": 300 }, { "path": 1 }], "timeoutMs": -1 } }');
  assert.deepEqual(options.outputDirs, ['web/dist']);
  assert.equal(options.imageMaxKb, 100);
  assert.equal(options.brotli, false);
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.deepEqual(budgetFor({ name: 'admin', js: [], css: [] }, options, { jsGzipKb: 170, cssGzipKb: 50 }), { jsGzipKb: 300, cssGzipKb: 50, matched: 'admin*' });
  assert.deepEqual(budgetFor({ name: 'main', js: [], css: [] }, options, { jsGzipKb: 170, cssGzipKb: 50 }), { jsGzipKb: 170, cssGzipKb: 50 });
  assert.deepEqual(parseBundleOptions('{"bundle": 3}').problems, ['.perfauditrc.json: "bundle" must be an object']);
});

test('entries: Vite manifest (imports and CSS, recursively) and HTML pages', () => {
  const m = parseViteManifest({
    'index.html': { file: 'assets/index-a.js', isEntry: true, imports: ['_vendor.js'], css: ['assets/index-a.css'], dynamicImports: ['src/lazy.ts'] },
    '_vendor.js': { file: 'assets/vendor-b.js', css: ['assets/vendor-b.css'] },
    'src/lazy.ts': { file: 'assets/lazy-c.js', isDynamicEntry: true },
  });
  assert.deepEqual(m, [{ name: 'index.html', js: ['assets/index-a.js', 'assets/vendor-b.js'], css: ['assets/index-a.css', 'assets/vendor-b.css'] }]);
  assert.deepEqual(htmlPageAssets('<!-- <script src="x.js"></script> --><script src="./a.js?v=1"></script><script src="//cdn/x.js"></script><link rel="preload stylesheet" href="/s.css"><link rel="icon" href="/i.png">', 'dist/sub/page.html', 'dist'), { js: ['dist/sub/a.js'], css: ['dist/s.css'] });
});

test('analyze: Vite build with .vite/manifest.json and a source map breakdown', async () => {
  // A hand-made map: line 1 "AAAA;" = [0,0,0,0] → source 0 from column 0; "KACA" → column 5, source 1.
  const a = await analyzeBundle(memoryFileReader({
    'dist/.vite/manifest.json': JSON.stringify({ 'index.html': { file: 'assets/index.js', isEntry: true, css: ['assets/index.css'] } }),
    'dist/index.html': '<script type="module" src="/assets/index.js"></script><link rel="stylesheet" href="/assets/index.css">',
    'dist/assets/index.js': 'hello world\n//# sourceMappingURL=index.js.map\n',
    'dist/assets/index.js.map': JSON.stringify({ version: 3, sources: ['../../src/main.ts', '../../node_modules/vue/dist/vue.js'], mappings: 'AAAA,KCAA' }),
    'dist/assets/index.css': 'body{}',
  }));
  assert.deepEqual(a.outputDirs, ['dist']);
  assert.deepEqual(a.entries.map((e) => [e.name, e.via, e.js, e.css]), [['index.html', 'vite-manifest', ['dist/assets/index.js'], ['dist/assets/index.css']]], 'the HTML page describing the same files is not a second entry');
  const b = a.breakdowns[0];
  assert.equal(b.source, 'source-map');
  assert.deepEqual(b.modules.map((m) => [m.module, m.bytes, m.pkg ?? null]), [['../../src/main.ts', 5, null], ['../../node_modules/vue/dist/vue.js', 6, 'vue']]);
  assert.deepEqual(a.packages.map((p) => [p.name, p.bytes]), [['vue', 6]]);
  assert.deepEqual(a.problems, []);
});

test('analyze: webpack stats resolve assets through the output path; stats give pre-minification breakdowns', async () => {
  const a = await analyzeBundle(memoryFileReader({
    'stats.json': JSON.stringify({ outputPath: '/ws/build', assets: [{ name: 'main.js', size: 9 }], chunks: [{ id: 1, files: ['main.js'] }], modules: [{ name: './src/a.js', size: 700, chunks: [1] }, { name: './node_modules/react/index.js', size: 300, chunks: [1] }], entrypoints: { main: { assets: ['main.js'] } } }),
    'build/main.js': 'minified!',
  }), { root: '/ws' });
  assert.deepEqual(a.manifests, [{ path: 'stats.json', kind: 'webpack-stats' }]);
  assert.deepEqual(a.entries.map((e) => [e.name, e.js]), [['main', ['build/main.js']]]);
  assert.equal(a.breakdowns[0].preMinification, true);
  assert.deepEqual(a.breakdowns[0].modules.map((m) => m.bytes), [700, 300]);
});

test('analyze: inline (data:) source maps', async () => {
  const map = Buffer.from(JSON.stringify({ version: 3, sources: ['node_modules/x/i.js'], mappings: 'AAAA' })).toString('base64');
  const a = await analyzeBundle(memoryFileReader({ 'out/a.js': `var a=1;\n//# sourceMappingURL=data:application/json;base64,${map}\n` }));
  assert.deepEqual(a.breakdowns.map((b) => [b.output, b.modules.map((m) => [m.pkg, m.bytes])]), [['out/a.js', [['x', 8]]]]);
});

test('bad input: corrupt mappings, index maps, garbage JSON give clear messages', () => {
  assert.throws(() => parseSourceMapJson('{"version":3,"sections":[]}'), /indexed source maps/);
  assert.throws(() => parseSourceMapJson('nope'), /not valid JSON/);
  assert.throws(() => sourceMapSizes('abc', { sources: ['a'], mappings: 'A!AA' }), /invalid character in "mappings"/);
  assert.throws(() => sourceMapSizes('abc', { sources: ['a'], mappings: 'AA' }), /segment with 2 fields/);
  assert.equal(sourceMappingUrl('x\n//# sourceMappingURL=a.js.map\n'), 'a.js.map');
  assert.equal(sourceMappingUrl('x\n/*# sourceMappingURL=a.css.map */'), 'a.css.map');
});

test('bad input: a 10 MB minified bundle with a 20 MB source map is analysed in bounded time', async () => {
  const line = 'x'.repeat(100);
  const code = `${Array.from({ length: 100_000 }, () => line).join('\n')}\n//# sourceMappingURL=big.js.map\n`;
  // Every line: 10 segments alternating between two sources.
  const seg = 'AAAA,UCAA,UDAA,UCAA,UDAA,UCAA,UDAA,UCAA,UDAA,UCAA';
  const map = JSON.stringify({ version: 3, sources: ['src/a.js', 'node_modules/big/b.js'], mappings: Array.from({ length: 100_000 }, (_, i) => (i === 0 ? seg : `ADAA,${seg.slice(5)}`)).join(';') });
  const t0 = performance.now();
  const a = await analyzeBundle(memoryFileReader({ 'dist/big.js': code, 'dist/big.js.map': map }), { options: { ...defaultBundleOptions(), brotli: false } });
  const ms = performance.now() - t0;
  assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
  const b = a.breakdowns[0];
  assert.equal(b.modules.reduce((s, m) => s + m.bytes, 0), 100 * 100_000);
  assert.deepEqual(a.packages.map((p) => p.name), ['big']);
});

test('bad input: the time budget cuts the analysis with a message instead of waiting', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`dist/c${i}.js`] = minifiedJs(200, i + 1);
  const a = await analyzeBundle(memoryFileReader(files), { options: { ...defaultBundleOptions(), timeoutMs: 50 } });
  assert.equal(a.truncated, true);
  assert.ok(a.problems.some((p) => p.kind === 'timeout' && /time budget ran out/.test(p.message)), JSON.stringify(a.problems));
  assert.ok(a.files.length === 40 && a.files.some((f) => f.gzip === undefined), 'raw sizes for all, compression for some');
});

test('analyze: cancellation', async () => {
  await assert.rejects(analyzeBundle(memoryFileReader({ 'dist/a.js': 'x' }), { token: { isCancellationRequested: true } }), /cancelled/);
});
