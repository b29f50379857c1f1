/**
 * The extension finds and watches files with WATCH_GLOB (core/gatherers/watched.ts): every path the
 * core considers relevant (isRelevantPath, i.e. the CLI's loader) must match it, or the extension
 * would miss files the CLI reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';
import { REGISTRY } from '../../../src/analyzers/registry.js';

const isRelevantPath = (p: string): boolean => REGISTRY.isRelevantPath(p);
const isWatchedPath = REGISTRY.isWatchedPath;
const WATCH_GLOB = REGISTRY.watchGlob;

/** VS Code's glob: `*` and `**` match dot files too. */
const vscodeGlob = picomatch(WATCH_GLOB, { dot: true });

/** Paths each gatherer and the SQL analyzer are meant to read, in the places projects keep them. */
const REPRESENTATIVE = [
  'db/schema.sql', 'migrations/001.ddl', 'x.psql', 'x.pgsql', 'prisma/schema.prisma', '.perfauditrc.json',
  'src/app.ts', 'src/App.tsx', 'server.js', 'a.jsx', 'a.mjs', 'a.cjs', 'a.mts', 'a.cts', 'index.html', 'page.htm', 'App.vue', 'A.svelte', 'p.astro',
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'tsconfig.json', 'tsconfig.build.json', 'packages/api/tsconfig.app.json',
  'nginx.conf', 'deploy/nginx-prod.conf', 'site.nginx', 'nginx/conf.d/app.conf', 'conf.d/default.conf.template', 'etc/nginx/sites-available/example.com', 'sites-enabled/default',
  'nginx/mime.types', 'nginx/fastcgi_params', 'openresty/conf/app.conf',
  '.htaccess', 'public/.htaccess', 'httpd.conf', 'apache2/apache2.conf', 'apache/vhost.conf', 'etc/apache2/mods-enabled/deflate.load', 'etc/apache2/conf-enabled/security',
  'etc/httpd/conf.d/ssl', 'vhosts/example', 'vhosts.d/site', 'vhost.d/site', 'mods-available/expires.load', 'conf-available/x',
  'vercel.json', 'netlify.toml', 'public/_headers', 'firebase.json', 'wrangler.toml', 'wrangler.json', 'wrangler.jsonc',
  'app/settings.py', 'manage.py', '.env', '.env.production', '.env.local', 'api/.env.development.local',
  'requirements.txt', 'requirements-dev.txt', 'requirements.prod.txt', 'pyproject.toml', 'Pipfile', 'setup.cfg',
  'serverless.yml', 'serverless.yaml', 'zappa_settings.json',
];

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === 'node_modules') continue;
    if (e.isDirectory()) walk(join(dir, e.name), out);
    else if (e.isFile()) out.push(relative(process.cwd(), join(dir, e.name)).replace(/\\/g, '/'));
  }
}

const CORPUS = (() => {
  const out = [...REPRESENTATIVE];
  for (const d of ['examples', 'test/fixtures', 'test/evidence']) walk(d, out);
  return out;
})();

test('every path the core considers relevant matches the extension\'s watch glob', () => {
  const relevant = CORPUS.filter((p) => isRelevantPath(p));
  assert.ok(relevant.length > 100, `the corpus has relevant paths (${relevant.length})`);
  const missed = relevant.filter((p) => !vscodeGlob(p));
  assert.deepEqual(missed, []);
});

test('the representative paths are relevant to some gatherer (the table stays meaningful)', () => {
  const notRelevant = REPRESENTATIVE.filter((p) => !isRelevantPath(p));
  assert.deepEqual(notRelevant, []);
});

test('isWatchedPath (the extension\'s live-edit filter) agrees with WATCH_GLOB', () => {
  for (const p of [...CORPUS, 'deploy/snippets/gzip.conf', 'deploy/gzip.inc', 'README.md', 'src/a.ts.bak', 'img/logo.png', 'sites-enabled']) {
    assert.equal(isWatchedPath(p), vscodeGlob(p), p);
  }
  // Includes of nginx configs outside nginx-named folders are watched.
  assert.ok(vscodeGlob('deploy/snippets/gzip.conf') && vscodeGlob('deploy/gzip.inc') && vscodeGlob('deploy/h5bp/basic.conf'));
});
