import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNginx, guessConfDir, isMainConfig, isNginxPath, looksLikeNginx, parseCached } from '../../../src/analyzers/nginx/analyze.js';
import { allContexts, cachePolicy, flag, lookup, matchLocation, parseTime, staticLocationKind } from '../../../src/analyzers/nginx/context.js';
import { IncludeResolver, joinPath } from '../../../src/analyzers/nginx/include.js';
import type { Ctx } from '../../../src/analyzers/nginx/model.js';
import type { WorkspaceView } from '../../../src/kernel/contracts.js';

function ws(files: Record<string, string>): WorkspaceView {
  return { paths: () => Object.keys(files), textOf: (p) => files[p] };
}

function analyse(files: Record<string, string>, path: string) {
  const a = analyzeNginx(path, files[path], ws(files));
  assert.ok(a, `${path} is analysed`);
  return a;
}

const find = (root: Ctx, pred: (c: Ctx) => boolean): Ctx => {
  const c = allContexts(root).find(pred);
  assert.ok(c);
  return c;
};
const loc = (root: Ctx, pattern: string): Ctx => find(root, (c) => c.kind === 'location' && c.node?.d.args.map((a) => a.value).join(' ') === pattern);

test('which paths are nginx configs', () => {
  for (const p of ['nginx.conf', 'deploy/nginx.conf', 'etc/nginx/conf.d/app.conf', 'nginx/sites-enabled/default', 'sites-available/example.com', 'infra/app.nginx', 'docker/nginx/templates/default.conf.template', 'nginx/mime.types', 'nginx/proxy_params', 'ops/nginx-prod/site.conf', 'nginx.prod.conf']) {
    assert.ok(isNginxPath(p), p);
  }
  for (const p of ['app.conf', 'src/nginx.ts', 'sites-enabled/readme.md', 'sites-available/default.bak', 'mime.types', 'etc/supervisor/supervisord.conf', 'conf.d/notes.txt']) assert.ok(!isNginxPath(p), p);
  // conf.d/ and sites-*/ are shared with Apache, MySQL…: their content must look like nginx.
  assert.equal(looksLikeNginx('etc/apache2/sites-enabled/000-default.conf', '<VirtualHost *:80>\n  DocumentRoot /var/www\n</VirtualHost>\n'), false);
  assert.equal(looksLikeNginx('etc/mysql/conf.d/my.conf', '[mysqld]\nmax_connections = 100\n'), false);
  assert.equal(looksLikeNginx('conf.d/site.conf', 'server {\n  listen 80;\n}\n'), true);
  assert.equal(looksLikeNginx('nginx/odd.conf', 'anything'), true);
});

test('main configs and snippets', () => {
  assert.equal(isMainConfig(parseCached('a/nginx.conf', 'events {}\nhttp {}\n')), true);
  assert.equal(isMainConfig(parseCached('b/x.conf', 'worker_processes 2;\n')), true);
  // Many projects name their server-block file nginx.conf (COPY nginx.conf /etc/nginx/conf.d/default.conf).
  assert.equal(isMainConfig(parseCached('c/nginx.conf', 'server { listen 80; }\n')), false);
  assert.equal(guessConfDir('deploy/nginx/sites-enabled/app.conf'), 'deploy/nginx');
  assert.equal(guessConfDir('etc/nginx/conf.d/x/y.conf'), 'etc/nginx');
  assert.equal(guessConfDir('infra/app.nginx'), 'infra');
  assert.equal(guessConfDir('nginx/conf.d/templates/example.com.conf'), 'nginx');
  assert.equal(guessConfDir('conf.d/templates/a.conf'), '');
});

test('include resolution: conf dir, including file, /etc/nginx convention, suffix, globs sorted', () => {
  const r = new IncludeResolver(['nginx/nginx.conf', 'nginx/conf.d/b.conf', 'nginx/conf.d/a.conf', 'nginx/conf.d/.hidden.conf', 'nginx/snippets/ssl.conf', 'other/conf.d/z.conf', 'srv/app/deploy/site.conf', 'nginx/sites-enabled/x/y.conf']);
  assert.deepEqual(r.resolve('conf.d/*.conf', 'nginx/nginx.conf', 'nginx').files, ['nginx/conf.d/a.conf', 'nginx/conf.d/b.conf']);
  assert.deepEqual(r.resolve('/etc/nginx/conf.d/*.conf', 'nginx/nginx.conf', 'nginx').files, ['nginx/conf.d/a.conf', 'nginx/conf.d/b.conf']);
  assert.deepEqual(r.resolve('/usr/local/nginx/conf/snippets/ssl.conf', 'nginx/nginx.conf', 'nginx').files, ['nginx/snippets/ssl.conf']);
  assert.deepEqual(r.resolve('../snippets/ssl.conf', 'nginx/conf.d/a.conf', 'nowhere').files, ['nginx/snippets/ssl.conf']);
  assert.deepEqual(r.resolve('/opt/app/deploy/site.conf', 'nginx/nginx.conf', 'nginx').files, ['srv/app/deploy/site.conf']);
  assert.deepEqual(r.resolve('sites-enabled/*', 'nginx/nginx.conf', 'nginx').files, [], '* does not cross directories');
  const miss = r.resolve('missing.conf', 'nginx/nginx.conf', 'nginx');
  assert.deepEqual([miss.files, miss.glob, miss.tried], [[], false, ['nginx/missing.conf']]);
  assert.equal(joinPath('a', '../../x'), undefined);
});

test('inheritance: nearest level wins, array directives are all-or-nothing per level', () => {
  const text = [
    'http {',
    '  gzip on; expires 1h;',
    '  add_header A 1; add_header B 2;',
    '  proxy_set_header Host $host;',
    '  server {',
    '    gzip off;',
    '    location /a/ { add_header C 3; }',
    '    location /b/ { expires 7d; location /b/c/ { proxy_set_header X 1; } }',
    '    location /d/ { if ($x) { add_header D 4; } }',
    '  }',
    '}',
  ].join('\n');
  const a = analyse({ 'nginx.conf': text }, 'nginx.conf');
  const root = a.root!;
  assert.equal(flag(loc(root, '/a/'), 'gzip')?.value, 'off');
  assert.equal(flag(loc(root, '/a/'), 'gzip')?.ctx.kind, 'server');
  assert.deepEqual(lookup(loc(root, '/a/'), 'add_header')!.nodes.map((n) => n.d.args[0].value), ['C']);
  assert.deepEqual(lookup(loc(root, '/b/'), 'add_header')!.nodes.map((n) => n.d.args[0].value), ['A', 'B']);
  assert.equal(flag(loc(root, '/b/c/'), 'expires')?.value, '7d');
  assert.deepEqual(lookup(loc(root, '/b/c/'), 'proxy_set_header')!.nodes.map((n) => n.d.args[0].value), ['X']);
  const iff = find(root, (c) => c.kind === 'if');
  assert.deepEqual(lookup(iff, 'add_header')!.nodes.map((n) => n.d.args[0].value), ['D']);
  assert.equal(flag(iff, 'gzip')?.value, 'off');
});

test('cache policy from expires and add_header Cache-Control', () => {
  const policy = (body: string) => cachePolicy(loc(analyse({ 'n.conf': `server { location /x/ { ${body} } }` }, 'n.conf').root!, '/x/'));
  assert.deepEqual([policy('').none, policy('').maxAge], [true, 0]);
  assert.equal(policy('expires 1y;').maxAge, 31536000);
  assert.equal(policy('expires max;').maxAge, 315360000);
  assert.equal(policy('expires epoch;').maxAge, 0);
  assert.equal(policy('expires -1;').maxAge, 0);
  assert.equal(policy('expires $e;').maxAge, undefined);
  assert.equal(policy('expires off;').none, true);
  assert.equal(policy('add_header Cache-Control "public, max-age=600";').maxAge, 600);
  assert.deepEqual([policy('expires 1y; add_header Cache-Control "public, immutable";').maxAge, policy('expires 1y; add_header Cache-Control "public, immutable";').immutable], [31536000, true]);
  assert.equal(policy('expires 1y; add_header Cache-Control no-cache;').maxAge, 0);
  assert.equal(parseTime('1y6M'), 31536000 + 6 * 2592000);
  assert.equal(parseTime('1h 30m'), 5400);
  assert.equal(parseTime('soon'), undefined);
});

test('location matching follows nginx: exact, ^~, regex in order, longest prefix, nested', () => {
  const text = [
    'server {',
    '  location = / { }',
    '  location / { }',
    '  location ^~ /static/ { }',
    '  location /assets/ { location ~ \\.map$ { } }',
    '  location ~* \\.(css|js)$ { }',
    '  location ~ \\.js$ { }',
    '  location @fallback { }',
    '}',
  ].join('\n');
  const server = find(analyse({ 'n.conf': text }, 'n.conf').root!, (c) => c.kind === 'server');
  const at = (uri: string): string | undefined => matchLocation(server, uri)?.node?.d.args.map((a) => a.value).join(' ');
  assert.equal(at('/'), '= /');
  assert.equal(at('/index.html'), '/');
  assert.equal(at('/static/app.js'), '^~ /static/');
  assert.equal(at('/assets/app.js'), '~* \\.(css|js)$', 'regex beats a plain prefix');
  assert.equal(at('/assets/app.js.map'), '~ \\.map$', 'regex nested in the longest prefix first');
  assert.equal(at('/assets/logo.png'), '/assets/');
  assert.equal(at('/APP.CSS'), '~* \\.(css|js)$');
});

test('static asset locations', () => {
  const kinds = (pattern: string) => staticLocationKind(loc(analyse({ 'n.conf': `server { location ${pattern} { } }` }, 'n.conf').root!, pattern.replace(/"/g, '')));
  assert.deepEqual(kinds('~* \\.(?:css|js)$'), { extensions: ['css', 'js'], hashed: false });
  assert.equal(kinds('/assets/')?.hashed, true);
  assert.equal(kinds('/_next/static')?.hashed, true);
  assert.equal(kinds('~* "\\.[0-9a-f]{8}\\.js$"')?.hashed, true);
  assert.equal(kinds('~ ^/(assets|packs|avatars)/')?.hashed, true, 'a regex on asset directories');
  assert.equal(kinds('/api/'), undefined);
  assert.equal(kinds('~ \\.php$'), undefined);
  assert.equal(kinds('~ .*'), undefined, 'a catch-all regex is not an asset location');
});

test('a snippet included by nginx.conf is covered; an orphan snippet inherits the nearest nginx.conf http block', () => {
  const files = {
    'deploy/nginx/nginx.conf': 'events {}\nhttp {\n  gzip on;\n  include conf.d/*.conf;\n  include /etc/nginx/sites-enabled/*;\n}\n',
    'deploy/nginx/conf.d/a.conf': 'server { listen 80; }\n',
    'deploy/nginx/sites-available/b.conf': 'server { listen 81; location / { } }\n',
  };
  const a = analyse(files, 'deploy/nginx/conf.d/a.conf');
  assert.equal(a.coveredBy, 'deploy/nginx/nginx.conf');
  assert.equal(a.root, undefined);
  const b = analyse(files, 'deploy/nginx/sites-available/b.conf');
  assert.equal(b.coveredBy, undefined);
  assert.equal(b.assumedParent, 'deploy/nginx/nginx.conf');
  assert.equal(flag(loc(b.root!, '/'), 'gzip')?.value, 'on');
  assert.equal(flag(loc(b.root!, '/'), 'gzip')?.ctx.external, true);
  const main = analyse(files, 'deploy/nginx/nginx.conf');
  assert.deepEqual(main.files, ['deploy/nginx/nginx.conf', 'deploy/nginx/conf.d/a.conf']);
});

test('sites-available/x is covered when its enabled copy (a symlink in the repository) is included', () => {
  const site = 'server { listen 80; root /srv; }\n';
  const files = { 'nginx/nginx.conf': 'events {}\nhttp { include sites-enabled/*; }\n', 'nginx/sites-enabled/app': site, 'nginx/sites-available/app': site, 'nginx/sites-available/other': 'server { listen 81; }\n' };
  assert.equal(analyse(files, 'nginx/sites-available/app').coveredBy, 'nginx/nginx.conf');
  assert.equal(analyse(files, 'nginx/sites-available/other').coveredBy, undefined);
});

test('a snippet of locations is read as a server\'s content', () => {
  const a = analyse({ 'nginx/snippets/static.conf': 'location /assets/ { expires 1y; }\n' }, 'nginx/snippets/static.conf');
  assert.equal(a.root!.kind, 'server');
  assert.equal(a.root!.children[0].kind, 'location');
});

test('brotli: load_module through an include, or brotli directives', () => {
  assert.equal(analyse({ 'nginx/nginx.conf': 'include modules-enabled/*.conf;\nevents {}\n', 'nginx/modules-enabled/50-brotli.conf': 'load_module modules/ngx_http_brotli_filter_module.so;\n' }, 'nginx/nginx.conf').brotli, 'module');
  assert.equal(analyse({ 'nginx.conf': 'http { brotli_types text/css; }\n' }, 'nginx.conf').brotli, 'directives');
  assert.equal(analyse({ 'nginx.conf': 'http { brotli_static on; }\n' }, 'nginx.conf').brotli, undefined);
});
