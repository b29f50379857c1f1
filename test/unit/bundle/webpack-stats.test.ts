import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWebpackStats, parseWebpackStats } from '../../../src/analyzers/bundle/webpack-stats.js';

/** webpack 5 shape: a ConcatenatedModule whose children also appear at top level as orphans. */
const webpack5 = {
  version: '5.90.0',
  outputPath: '/repo/dist',
  assets: [
    { name: 'main.3f9a.js', size: 1200, chunks: [179], chunkNames: ['main'] },
    { name: 'main.3f9a.css', size: 300, chunks: [179], chunkNames: ['main'] },
    { name: 'vendors.js', size: 70000, chunks: [216], chunkNames: ['vendors'] },
  ],
  chunks: [
    { id: 179, names: ['main'], files: ['main.3f9a.js', 'main.3f9a.css'], initial: true, entry: true },
    { id: 216, names: ['vendors'], files: ['vendors.js'], initial: true, entry: false },
  ],
  modules: [
    {
      identifier: '/repo/src/index.js|concat', name: './src/index.js + 2 modules', size: 900, chunks: [179],
      modules: [
        { identifier: '/repo/src/index.js', name: './src/index.js', size: 500, chunks: [] },
        { identifier: '/repo/src/a.js', name: './src/a.js', size: 300, chunks: [] },
        { identifier: '/repo/node_modules/tiny/index.js', name: './node_modules/tiny/index.js', size: 100, chunks: [] },
      ],
    },
    { identifier: '/repo/src/index.js', name: './src/index.js', size: 500, chunks: [], orphan: true },
    { identifier: '/repo/src/a.js', name: './src/a.js', size: 300, chunks: [], orphan: true },
    { identifier: '/repo/node_modules/tiny/index.js', name: './node_modules/tiny/index.js', size: 100, chunks: [], orphan: true },
    { identifier: 'css /repo/node_modules/css-loader/dist/cjs.js!/repo/src/app.css', name: 'css ./node_modules/css-loader/dist/cjs.js!./src/app.css', size: 250, chunks: [179], moduleType: 'css/mini-extract' },
    { identifier: '/repo/node_modules/lodash/lodash.js', name: './node_modules/lodash/lodash.js', size: 544098, chunks: [216] },
    { identifier: '/repo/node_modules/x/node_modules/lodash/lodash.js', name: './node_modules/x/node_modules/lodash/lodash.js', size: 500000, chunks: [216] },
  ],
  entrypoints: { main: { name: 'main', chunks: [216, 179], assets: [{ name: 'vendors.js', size: 70000 }, { name: 'main.3f9a.js', size: 1200 }, { name: 'main.3f9a.css', size: 300 }] } },
};

test('webpack 5 stats: concatenated modules counted once (orphans skipped), CSS modules kept out of JS assets', () => {
  const s = parseWebpackStats(webpack5);
  const main = s.assets.find((a) => a.name === 'main.3f9a.js')!;
  assert.deepEqual(main.modules.map((m) => [m.module, m.bytes, m.pkg ?? null]), [
    ['./src/index.js', 500, null],
    ['./src/a.js', 300, null],
    ['./node_modules/tiny/index.js', 100, 'tiny'],
  ]);
  assert.equal(main.modules.reduce((t, m) => t + m.bytes, 0), 900, 'the concatenated module is not counted on top of its children');
  const vendors = s.assets.find((a) => a.name === 'vendors.js')!;
  assert.deepEqual(vendors.modules.map((m) => m.pkgRoot), ['./node_modules/lodash', './node_modules/x/node_modules/lodash']);
  assert.deepEqual(s.entries, [{ name: 'main', assets: ['vendors.js', 'main.3f9a.js', 'main.3f9a.css'] }]);
  assert.equal(s.outputPath, '/repo/dist');
});

test('webpack 4 stats: string entrypoint assets, modules only under chunks; multi-compiler children', () => {
  const child = {
    assets: [{ name: 'app.js', size: 10, chunks: [0] }],
    chunks: [{ id: 0, files: ['app.js'], modules: [{ name: './src/app.js', size: 40 }, { name: 'multi ./src/app.js', size: 0 }] }],
    entrypoints: { app: { chunks: [0], assets: ['app.js', 'app.js.map', 'app.hot-update.js'] } },
  };
  const s = parseWebpackStats({ children: [child, { ...child, entrypoints: { admin: { assets: ['app.js'] } } }] });
  assert.equal(s.assets.length, 2);
  assert.deepEqual(s.assets[0].modules.map((m) => m.module), ['./src/app.js']);
  assert.deepEqual(s.entries.map((e) => [e.name, e.assets]), [['app', ['app.js', 'app.js.map']], ['admin', ['app.js']]]);
});

test('webpack stats: shapes that are not stats, and stats without modules', () => {
  assert.equal(isWebpackStats({ inputs: {}, outputs: {} }), false);
  assert.equal(isWebpackStats([]), false);
  assert.throws(() => parseWebpackStats({ hello: 1 }), /not a webpack stats file/);
  const s = parseWebpackStats({ assets: [{ name: 'a.js', size: 1 }], entrypoints: {} });
  assert.match(s.notes[0], /no module list/);
});
