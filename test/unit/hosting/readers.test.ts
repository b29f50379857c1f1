/** Hosting config readers, pattern matching and Cache-Control parsing; bad input never throws and stays bounded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePattern, literalPrefix } from '../../../src/analyzers/hosting/patterns.js';
import { isLongLived, parseCacheControl } from '../../../src/analyzers/hosting/cache-control.js';
import { readFirebaseJson, readVercelJson } from '../../../src/analyzers/hosting/json.js';
import { readNetlifyToml } from '../../../src/analyzers/hosting/netlify.js';
import { readHeadersFile } from '../../../src/analyzers/hosting/headers-file.js';
import { detectLayout } from '../../../src/analyzers/hosting/layout.js';
import { hostingGatherer } from '../../../src/analyzers/hosting/gather.js';
import { runRules } from '../apache/config-rule-tester.js';

test('path patterns of each platform', () => {
  const m = (p: string, k: Parameters<typeof compilePattern>[1], u: string): boolean => compilePattern(p, k)(u);
  // vercel.json source (path-to-regexp)
  assert.ok(m('/assets/(.*)', 'path-to-regexp', '/assets/index-B4x9Qk2a.js'));
  assert.ok(m('/assets/:path*', 'path-to-regexp', '/assets/a/b.js'));
  assert.ok(m('/:path*', 'path-to-regexp', '/x.css'));
  assert.ok(m('/(.*)\\.(js|css)', 'path-to-regexp', '/static/js/main.3f9a2c1b.js'));
  assert.ok(m('/static/:slug*', 'path-to-regexp', '/static/css/main.css'));
  assert.ok(!m('/assets/:file', 'path-to-regexp', '/assets/a/b.js'));
  assert.ok(!m('/api/(.*)', 'path-to-regexp', '/assets/a.js'));
  assert.ok(!m('/broken/(', 'path-to-regexp', '/broken/('));
  // routes src / firebase regex
  assert.ok(m('^/static/(.*)$', 'regex', '/static/js/a.js'));
  assert.ok(m('/.*\\.(js|css)', 'regex', '/a/b.css'));
  assert.ok(!m('/static/', 'regex', '/static/js/a.js'));
  // netlify / _headers
  assert.ok(m('/assets/*', 'splat', '/assets/index.js'));
  assert.ok(m('/*', 'splat', '/x/y.js'));
  assert.ok(m('/:lang/assets/*', 'splat', '/en/assets/a.js'));
  assert.ok(m('https://example.com/assets/*', 'splat', '/assets/a.js'));
  assert.ok(!m('/assets/*.css', 'splat', '/assets/a.js'));
  // firebase globs
  assert.ok(m('**/*.@(js|css)', 'glob', '/assets/index-B4x9Qk2a.js'));
  assert.ok(m('/assets/**', 'glob', '/assets/a/b.js'));
  assert.ok(m('assets/**', 'glob', '/assets/a.js'));
  assert.ok(!m('**/*.html', 'glob', '/assets/a.js'));
  assert.equal(literalPrefix('/assets/(.*)', 'path-to-regexp'), '/assets/');
  assert.equal(literalPrefix('/_next/static/:path*', 'path-to-regexp'), '/_next/static/');
  assert.equal(literalPrefix('^/static/(.*)$', 'regex'), '/static/');
  assert.equal(literalPrefix('assets/**', 'glob'), '/assets/');
  assert.equal(literalPrefix('/*', 'splat'), '/');
});

test('Cache-Control values', () => {
  assert.deepEqual(parseCacheControl('public, max-age=31536000, immutable'), { immutable: true, browserSeconds: 31536000 });
  assert.equal(parseCacheControl('max-age=3600, no-cache').browserSeconds, 0);
  assert.equal(parseCacheControl('s-maxage=600').browserSeconds, undefined);
  assert.equal(parseCacheControl('MAX-AGE="600"').browserSeconds, 600);
  assert.ok(isLongLived('max-age=86400'));
  assert.ok(!isLongLived('no-store'));
  assert.ok(!isLongLived('immutable'));
});

test('build layouts', () => {
  assert.equal(detectLayout({ vite: '5' })?.hashedDirs[0], '/assets/');
  assert.equal(detectLayout({ next: '15' })?.handled.vercel !== undefined, true);
  assert.equal(detectLayout({ '@sveltejs/kit': '2', '@sveltejs/adapter-static': '3' })?.handled.vercel, undefined);
  assert.deepEqual(detectLayout({ '@angular/cli': '18' })?.hashedDirs, []);
  assert.equal(detectLayout({}, 'create-react-app')?.tool, 'Create React App');
  assert.equal(detectLayout({ express: '4' }), undefined);
});

test('readers locate rules, values and problems', () => {
  const v = readVercelJson('{ "headers": [{ "source": "/a/(.*)", "headers": [{ "key": "cache-control", "value": "max-age=1" }] }] }');
  assert.equal(v.sites[0].rules[0].cacheControl?.value, 'max-age=1');
  const n = readNetlifyToml('[[headers]]\n  for = "/x/*"\n  values.Cache-Control = "max-age=5"\n[[headers]]\n  for = "/y/*"\n  [headers.values]\n    "cache-control" = \'max-age=6\'\n');
  assert.deepEqual(n.sites[0].rules.map((r) => [r.pattern, r.cacheControl?.value, r.cacheControl?.editable]), [['/x/*', 'max-age=5', undefined], ['/y/*', 'max-age=6', undefined]]);
  const multi = readNetlifyToml('[build]\n  command = """\nnpm run build\n[[headers]]\n"""\n[[headers]]\n  for = "/z/*"\n');
  assert.equal(multi.appendableToml, true, 'a [[headers]] line inside a multi-line string is not a table');
  const h = readHeadersFile('/a/*\r\n  Cache-Control: max-age=9\r\n/b/*\r\n  ! Cache-Control\r\n');
  assert.deepEqual(h.sites[0].rules.map((r) => [r.pattern, r.cacheControl?.value ?? null, r.detachesCacheControl ?? false]), [['/a/*', 'max-age=9', false], ['/b/*', null, true]]);
  const f = readFirebaseJson('{ "hosting": { "headers": [{ "regex": "^/x/.*$", "headers": [{ "key": "Cache-Control", "value": "max-age=7" }] }] } }');
  assert.equal(f.sites[0].rules[0].kind, 'regex');
});

test('the gatherer reads only the four configs (package.json and wrangler files are context)', () => {
  const ws = { paths: () => [], textOf: () => undefined };
  for (const p of ['vercel.json', 'apps/web/netlify.toml', 'public/_headers', 'firebase.json', 'package.json', 'wrangler.toml']) assert.ok(hostingGatherer.matches(p), p);
  for (const p of ['headers', '_headers.txt', 'vercel.json.bak', 'netlify.yml']) assert.ok(!hostingGatherer.matches(p), p);
  assert.equal(hostingGatherer.gather('package.json', '{}', ws), undefined);
});

test('bad input never throws', () => {
  const readers = [readVercelJson, readFirebaseJson, readNetlifyToml, readHeadersFile];
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
    for (const r of readers) {
      const a = r(text);
      for (const p of a.problems) assert.ok(p.span.start >= 0 && p.span.end <= text.length && p.span.start <= p.span.end, JSON.stringify(p));
    }
  }), { numRuns: 1500 });
  const pieces = fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '[[headers]]', 'for = "/a/*"', '\n', '  ', 'Cache-Control: x', '/x/*', '"headers"', '"source"', '#', '//', '"""', "'''", '=', '\\');
  fc.assert(fc.property(fc.array(pieces, { maxLength: 50 }), (parts) => {
    const text = parts.join('');
    for (const r of readers) r(text);
  }), { numRuns: 3000 });
  for (const p of ['{"a":'.repeat(5000), '['.repeat(100000), 'a = ' + '['.repeat(5000), '[[headers]]\n'.repeat(2000)]) for (const r of readers) r(p);
});

test('a 5 MB hosting config is read in bounded time', () => {
  const entry = '{ "source": "/p/(.*)", "headers": [{ "key": "Cache-Control", "value": "max-age=60" }] },\n';
  const json = `{ "headers": [\n${entry.repeat(Math.ceil((5 * 1024 * 1024) / entry.length))}{ "source": "/z", "headers": [] }\n] }`;
  const toml = '[[headers]]\n  for = "/p/*"\n  [headers.values]\n    Cache-Control = "max-age=60"\n'.repeat(Math.ceil((5 * 1024 * 1024) / 75));
  const headers = '/p/*\n  Cache-Control: max-age=60\n'.repeat(Math.ceil((5 * 1024 * 1024) / 30));
  for (const [name, fn] of [['vercel.json', () => readVercelJson(json)], ['netlify.toml', () => readNetlifyToml(toml)], ['_headers', () => readHeadersFile(headers)]] as const) {
    const t0 = performance.now();
    const a = fn();
    const ms = performance.now() - t0;
    assert.equal(a.problems.length, 0, name);
    assert.ok(ms < 8000, `${name} took ${ms.toFixed(0)} ms`);
  }
});

test('binary and oversized files: skipped by the engine with a clear diagnostic', async () => {
  const found = await runRules({ 'vercel.json': '{\u0000\u0001}', 'netlify.toml': '#'.repeat(3 * 1024 * 1024) });
  assert.deepEqual(found.map((f) => [f.file, f.ruleId]), [['netlify.toml', 'file-skipped'], ['vercel.json', 'file-skipped']]);
  assert.ok(!found.some((f) => f.ruleId === 'rule-error'));
});

test('a 5 MB _headers and netlify.toml are audited by the rules in bounded time (limit raised)', async () => {
  const headers = '/p/*\n  Cache-Control: max-age=60\n'.repeat(Math.ceil((5 * 1024 * 1024) / 30));
  const toml = '[[headers]]\n  for = "/p/*"\n  [headers.values]\n    Cache-Control = "max-age=60"\n'.repeat(Math.ceil((5 * 1024 * 1024) / 75));
  const t0 = performance.now();
  const found = await runRules({ 'package.json': '{"devDependencies":{"vite":"5"}}', 'netlify.toml': toml, 'public/_headers': headers, 'vercel.json': `{"headers":[${'{"source":"/p/(.*)","headers":[]},'.repeat(120000)}{"source":"/z","headers":[]}]}` }, undefined, (c) => { c.maxFileSizeKb = 8192; });
  const ms = performance.now() - t0;
  assert.deepEqual(found.map((f) => `${f.file} ${f.ruleId}`), ['netlify.toml hosting-static-cache-missing', 'vercel.json hosting-static-cache-missing']);
  assert.ok(ms < 20000, `took ${ms.toFixed(0)} ms`);
});
