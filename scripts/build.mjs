// Bundles the extension and the CLI with esbuild; copies the PostgreSQL parser's WASM beside them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, chmodSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production') || process.env.CI === 'true';
const watch = process.argv.includes('--watch');

mkdirSync(path.join(root, 'dist'), { recursive: true });
copyFileSync(path.join(path.dirname(require.resolve('libpg-query')), 'libpg-query.wasm'), path.join(root, 'dist', 'libpg-query.wasm'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  metafile: true,
  mainFields: ['module', 'main'],
  define: { PERF_AUDITOR_VERSION: JSON.stringify(pkg.version) },
  // libpg-query's emscripten glue probes for these; they are never loaded in Node.
  // The MySQL/SQLite grammars (~0.5 MB) are loaded on first use from dist/node_modules, outside the bundle.
  external: ['vscode', 'node-sql-parser/build/*', '@babel/parser'],
};

// Ship the lazily loaded grammars (and their one dependency) beside the bundles.
const vendor = (pkgName, files) => {
  const from = path.dirname(require.resolve(`${pkgName}/package.json`));
  for (const f of files) {
    const to = path.join(root, 'dist', 'node_modules', pkgName, f);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(path.join(from, f), to);
  }
};
vendor('node-sql-parser', ['build/mysql.js', 'build/sqlite.js', 'LICENSE']);
vendor('big-integer', ['BigInteger.js', 'package.json', 'LICENSE']);
vendor('@babel/parser', ['lib/index.js', 'package.json', 'LICENSE']);
// The Lighthouse worker runs unbundled in a child process (Lighthouse is ESM-only and cannot be bundled).
copyFileSync(path.join(root, 'src/analyzers/lighthouse/run/worker.mjs'), path.join(root, 'dist', 'lighthouse-worker.mjs'));

const builds = [
  // The import-cost worker runs esbuild in a child process, off the extension host. esbuild stays
  // external: the extension passes the worker its own node_modules/esbuild (a runtime dependency, so
  // vsce packs it with its platform binary package @esbuild/<platform>).
  { ...common, entryPoints: { 'importcost-worker': path.join(root, 'src/analyzers/bundle/importcost/worker.ts') }, outdir: path.join(root, 'dist'), external: ['esbuild'] },
  { ...common, entryPoints: { extension: path.join(root, 'src/extension/main.ts') }, outdir: path.join(root, 'dist') },
  // Audits run in a worker thread with a per-file time budget (src/kernel/watchdog.ts), for the CLI and the extension.
  { ...common, entryPoints: { 'audit-worker': path.join(root, 'src/analyzers/audit-worker.ts') }, outdir: path.join(root, 'dist') },
  { ...common, entryPoints: { cli: path.join(root, 'src/cli/main.ts') }, outdir: path.join(root, 'dist'), banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync(path.join(root, 'dist', 'cli.js'), 0o755);
  writeFileSync(path.join(root, 'dist', 'meta.json'), JSON.stringify(results.map((r) => r.metafile)));
}
