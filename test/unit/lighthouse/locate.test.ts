/** Findings back to the workspace: the config line or file responsible, table-driven. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildLighthouseReport, lighthouseData } from '../../../src/analyzers/lighthouse/map.js';
import { locateFindings, matchResource, unhashedName } from '../../../src/analyzers/lighthouse/locate.js';
import { fsWorkspace } from '../../../src/analyzers/lighthouse/run/files.js';
import type { Finding } from '../../../src/kernel/model.js';
import { BUDGETS, FIXTURES, ORIGIN, as13x, loadLhr, memWorkspace } from './helpers.js';

const SLOW = buildLighthouseReport([loadLhr('slow-mobile')], { preset: 'mobile', budgets: BUDGETS }).findings;
const byRule = (fs: Finding[], id: string): Finding[] => fs.filter((f) => f.ruleId === id);
const at = (f: Finding | undefined): string => (f ? `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}` : 'none');

const NGINX_OFF = 'http {\n    gzip off;\n    server {\n        listen 80;\n        location /static/ { root /srv; }\n    }\n}\n';
const EXPRESS = "const express = require('express');\nconst app = express();\napp.use(express.static('public'));\napp.listen(3000);\n";

interface Case {
  name: string;
  files: Record<string, string>;
  compression: string;
  caching: string;
}

const SERVER_CASES: Case[] = [
  { name: 'nginx gzip off → that directive; no expires → the static location', files: { 'deploy/nginx.conf': NGINX_OFF }, compression: 'deploy/nginx.conf:2:5', caching: 'deploy/nginx.conf:5:9' },
  { name: 'nginx gzip on → the directive (types/min length are then the issue)', files: { 'nginx/default.conf': 'server {\n  listen 80;\n  gzip on;\n  expires 1h;\n}\n' }, compression: 'nginx/default.conf:3:3', caching: 'nginx/default.conf:4:3' },
  { name: 'nginx without gzip → the http block; without expires → the server block', files: { 'nginx.conf': 'events {}\nhttp {\n  server { listen 80; }\n}\n' }, compression: 'nginx.conf:2:1', caching: 'nginx.conf:3:3' },
  { name: 'a commented-out gzip line does not count', files: { 'nginx.conf': 'http {\n  # gzip on;\n  server {\n  }\n}\n' }, compression: 'nginx.conf:1:1', caching: 'nginx.conf:3:3' },
  { name: 'Express only → the express() line / the express.static call', files: { 'server.js': EXPRESS }, compression: 'server.js:2:1', caching: 'server.js:3:1' },
  { name: 'Express with compression() → that call', files: { 'src/app.ts': "import express from 'express';\nimport compression from 'compression';\nconst app = express();\napp.use(compression({ threshold: 100000 }));\n" }, compression: 'src/app.ts:4:1', caching: 'src/app.ts:3:1' },
  { name: 'plain node http server → createServer', files: { 'index.mjs': "import http from 'node:http';\nhttp.createServer((req, res) => res.end('x')).listen(8000);\n" }, compression: 'index.mjs:2:1', caching: 'index.mjs:2:1' },
  { name: 'nginx and Express: nginx (in front) wins', files: { 'server.js': EXPRESS, 'deploy/nginx.conf': NGINX_OFF }, compression: 'deploy/nginx.conf:2:5', caching: 'deploy/nginx.conf:5:9' },
  { name: 'the file listening on the audited port (8080) wins', files: { 'deploy/nginx.conf': NGINX_OFF, 'server.js': EXPRESS.replace('3000', 'process.env.PORT || 8080') }, compression: 'server.js:2:1', caching: 'server.js:3:1' },
  { name: 'Apache .htaccess', files: { 'public/.htaccess': 'RewriteEngine On\n<IfModule mod_deflate.c>\n  AddOutputFilterByType DEFLATE text/html\n</IfModule>\n' }, compression: 'public/.htaccess:2:1', caching: 'public/.htaccess:1:1' },
  { name: 'no server config in the workspace → stays on the page URL', files: { 'README.md': '# app', 'lib/util.js': 'module.exports = 1;\n' }, compression: `${ORIGIN}/slow/:1:1`, caching: `${ORIGIN}/slow/:1:1` },
  { name: 'node_modules is never a candidate', files: { 'node_modules/express/index.js': EXPRESS }, compression: `${ORIGIN}/slow/:1:1`, caching: `${ORIGIN}/slow/:1:1` },
];

for (const c of SERVER_CASES) {
  test(`server findings: ${c.name}`, async () => {
    const out = await locateFindings(SLOW, memWorkspace(c.files));
    assert.equal(at(byRule(out, 'lighthouse-uses-text-compression')[0]), c.compression);
    assert.equal(at(byRule(out, 'lighthouse-uses-long-cache-ttl')[0]), c.caching);
  });
}

test('located findings keep the Lighthouse message, add why this line, and are marked located', async () => {
  const out = await locateFindings(SLOW, memWorkspace({ 'deploy/nginx.conf': NGINX_OFF, 'server.js': EXPRESS }));
  const f = byRule(out, 'lighthouse-uses-text-compression')[0];
  assert.match(f.message, /^Lighthouse: 2 text responses sent without compression .*\(gzip is off here\.\)$/);
  assert.equal(lighthouseData(f)?.located, true);
  assert.deepEqual(lighthouseData(f)?.urls, [`${ORIGIN}/slow/app.js`, `${ORIGIN}/slow/`]);
  assert.deepEqual(f.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 13 } });
  // The Express app is the other candidate: a related location.
  assert.deepEqual(f.related.map((r) => `${r.file}:${r.range.start.line + 1}`), ['server.js:2']);
});

test('resources: images and scripts land on the workspace file with that name; budgets stay on the page', async () => {
  const ws = memWorkspace({ 'public/slow/hero.png': '', 'assets/gallery.png': '', 'public/slow/app.js': 'x', 'other/hero.png': '' });
  const out = await locateFindings(SLOW, ws);
  assert.deepEqual(byRule(out, 'lighthouse-modern-image-formats').map(at).sort(), ['assets/gallery.png:1:1', 'public/slow/hero.png:1:1']);
  assert.deepEqual(byRule(out, 'lighthouse-unused-javascript').map(at), ['public/slow/app.js:1:1']);
  assert.equal(at(byRule(out, 'lighthouse-largest-contentful-paint')[0]), `${ORIGIN}/slow/:1:1`);
  assert.equal(at(byRule(out, 'lighthouse-total-byte-weight')[0]), `${ORIGIN}/slow/:1:1`);
  // Located first (by file), then those still on URLs.
  const firstUrl = out.findIndex((f) => !lighthouseData(f)?.located);
  assert.ok(out.slice(firstUrl).every((f) => !lighthouseData(f)?.located));
});

test('off-screen images point at the <img> that loads them, with the image as related location', async () => {
  const out = await locateFindings(SLOW, memWorkspace({
    'public/slow/gallery.png': '',
    'src/pages/Home.tsx': 'export function Home() {\n  return (\n    <main>\n      <img src="/slow/gallery.png" alt="" />\n    </main>\n  );\n}\n',
  }));
  const f = byRule(out, 'lighthouse-offscreen-images')[0];
  assert.equal(at(f), 'src/pages/Home.tsx:4:7');
  assert.equal(f.range.end.character, '      <img src="/slow/gallery.png" alt="" />'.length);
  assert.match(f.message, /add loading="lazy"/);
  assert.deepEqual(f.related.map((r) => r.file), ['public/slow/gallery.png']);
});

test('matchResource: exact name, bundler hashes, longest path suffix, public folders preferred', () => {
  const cases: [string, string[], string | undefined][] = [
    [`${ORIGIN}/img/hero.png`, ['src/img/hero.png', 'public/img/hero.png', 'docs/hero.png'], 'public/img/hero.png'],
    [`${ORIGIN}/assets/hero.3f9a1c.webp`, ['src/assets/hero.webp', 'README.md'], 'src/assets/hero.webp'],
    [`${ORIGIN}/assets/index-BxY7a3kq.js`, ['src/index.js', 'dist/assets/index-BxY7a3kq.js'], 'dist/assets/index-BxY7a3kq.js'],
    [`${ORIGIN}/static/js/main.js?v=3`, ['a/main.js', 'static/js/main.js'], 'static/js/main.js'],
    [`${ORIGIN}/a%20b.png`, ['public/a b.png'], 'public/a b.png'],
    [`${ORIGIN}/slow/`, ['index.html'], undefined],
    [`${ORIGIN}/x.png`, ['node_modules/pkg/x.png'], undefined],
    ['data:image/png;base64,AAAA', ['x.png'], undefined],
  ];
  for (const [url, paths, want] of cases) assert.equal(matchResource(url, paths), want, url);
  assert.equal(unhashedName('hero.3f9a1c.webp'), 'hero.webp');
  assert.equal(unhashedName('app-8c1d2e9f.js'), 'app.js');
  assert.equal(unhashedName('jquery.min.js'), undefined);
  assert.equal(unhashedName('hero.png'), undefined);
});

test('a suppression comment on the line a finding lands on drops it', async () => {
  const conf = 'http {\n    gzip off; # perf-audit-disable-line lighthouse-uses-text-compression\n}\n';
  const out = await locateFindings(SLOW, memWorkspace({ 'nginx.conf': conf }));
  assert.equal(byRule(out, 'lighthouse-uses-text-compression').length, 0);
  assert.equal(byRule(out, 'lighthouse-uses-long-cache-ttl').length, 1);
});

test('13.x insight findings are located the same way', async () => {
  const r = buildLighthouseReport([as13x(loadLhr('slow-mobile'))], { preset: 'mobile', budgets: BUDGETS });
  const out = await locateFindings(r.findings, memWorkspace({ 'deploy/nginx.conf': NGINX_OFF, 'public/slow/hero.png': '' }));
  assert.equal(at(byRule(out, 'lighthouse-document-latency-insight')[0]), 'deploy/nginx.conf:2:5');
  assert.equal(at(byRule(out, 'lighthouse-cache-insight')[0]), 'deploy/nginx.conf:5:9');
  assert.ok(byRule(out, 'lighthouse-image-delivery-insight').some((f) => at(f) === 'public/slow/hero.png:1:1'));
});

test('the fixture workspace on disk: nginx gzip line, images, the <img> of the off-screen image', async () => {
  const root = path.join(FIXTURES, 'workspace');
  const out = await locateFindings(SLOW, await fsWorkspace(root));
  const conf = readFileSync(path.join(root, 'deploy/nginx/nginx.conf'), 'utf8').split('\n');
  const gzip = byRule(out, 'lighthouse-uses-text-compression')[0];
  assert.equal(gzip.file, 'deploy/nginx/nginx.conf');
  assert.equal(conf[gzip.range.start.line].trim(), 'gzip off;');
  assert.equal(at(byRule(out, 'lighthouse-offscreen-images')[0]), 'views/index.html:7:3');
  assert.deepEqual(byRule(out, 'lighthouse-modern-image-formats').map((f) => f.file).sort(), ['public/slow/gallery.png', 'public/slow/hero.png']);
});

test('reads are bounded to candidate files (images are matched by name, never read)', async () => {
  const files: Record<string, string> = { 'deploy/nginx.conf': NGINX_OFF };
  for (let i = 0; i < 50; i++) files[`public/img/photo${i}.png`] = '';
  const ws = memWorkspace(files);
  await locateFindings(SLOW, ws);
  assert.ok(!ws.reads.some((p) => p.endsWith('.png')), ws.reads.join(', '));
});
