/** The Apache parser and gatherer: structure and spans, path matching, and bad input (never throws, bounded time). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseApacheConfig, type ApacheSection } from '../../../src/analyzers/apache/parse.js';
import { analyzeApache, expiresSeconds } from '../../../src/analyzers/apache/analyze.js';
import { apacheGatherer, matchesApachePath } from '../../../src/analyzers/apache/gather.js';
import { runRules } from './config-rule-tester.js';

const ws = { paths: () => [], textOf: () => undefined };
const slice = (text: string, s: { start: number; end: number }): string => text.slice(s.start, s.end);

test('directives, nested sections, quoted arguments and continuations with exact spans', () => {
  const text = '<IfModule mod_deflate.c>\n  <FilesMatch "\\.(css|js)$">\n    AddOutputFilterByType DEFLATE \\\n      text/css "application/javascript"\n  </FilesMatch>\n</IfModule>\n';
  const c = parseApacheConfig(text);
  assert.deepEqual(c.errors, []);
  assert.equal(c.nodes.length, 1);
  const outer = c.nodes[0] as ApacheSection;
  assert.equal(outer.name, 'IfModule');
  assert.equal(slice(text, outer.openSpan), '<IfModule mod_deflate.c>');
  assert.equal(slice(text, outer.closeSpan!), '</IfModule>');
  assert.equal(slice(text, outer.span), text.trimEnd());
  const inner = outer.children[0] as ApacheSection;
  assert.equal(inner.args[0].value, '\\.(css|js)$');
  const d = c.directives[0];
  assert.equal(d.parent, inner);
  assert.deepEqual(d.args.map((a) => a.value), ['DEFLATE', 'text/css', 'application/javascript']);
  assert.equal(slice(text, d.span), 'AddOutputFilterByType DEFLATE \\\n      text/css "application/javascript"');
  assert.equal(slice(text, d.args[2].span), '"application/javascript"');
  assert.equal(d.indent, '    ');
});

test('escaped quotes inside quoted arguments; single quotes', () => {
  const c = parseApacheConfig('Header set X "a \\"b\\" c"\nRequire expr \'%{REMOTE_ADDR} == "1.2.3.4"\'\n');
  assert.deepEqual(c.errors, []);
  assert.equal(c.directives[0].args[2].value, 'a "b" c');
  assert.equal(c.directives[1].args[1].value, '%{REMOTE_ADDR} == "1.2.3.4"');
});

test('CRLF, CR-only and mixed line ends', () => {
  for (const eol of ['\r\n', '\r', '\n']) {
    const text = ['<Directory />', '  Require all denied', '</Directory>', 'ExpiresActive On'].join(eol);
    const c = parseApacheConfig(text);
    assert.deepEqual(c.errors, [], JSON.stringify(eol));
    assert.deepEqual(c.directives.map((d) => d.name), ['Require', 'ExpiresActive']);
  }
});

test('analysis: mod_expires time specs', () => {
  assert.equal(expiresSeconds('access plus 1 year'), 31536000);
  assert.equal(expiresSeconds('access plus 1 month 2 days'), 2592000 + 2 * 86400);
  assert.equal(expiresSeconds('M3600'), 3600);
  assert.equal(expiresSeconds('modification plus 5 hours 3 minutes'), 5 * 3600 + 180);
  assert.equal(expiresSeconds('access plus'), undefined);
  assert.equal(expiresSeconds('tomorrow'), undefined);
});

test('analysis: protective .htaccess and virtual hosts', () => {
  assert.equal(analyzeApache(parseApacheConfig('Require all denied\n')).deniesAll, true);
  assert.equal(analyzeApache(parseApacheConfig('<Files secret>\nRequire all denied\n</Files>\n')).deniesAll, false);
  assert.equal(analyzeApache(parseApacheConfig('<VirtualHost *:80>\n</VirtualHost>\n<VirtualHost *:443>\n</VirtualHost>\n')).virtualHosts.length, 2);
});

test('paths the gatherer reads', () => {
  for (const p of ['.htaccess', 'public/.htaccess', 'httpd.conf', 'docker/apache2.conf', 'etc/apache2/sites-available/000-default.conf', 'etc/httpd/conf.d/ssl.conf', 'deploy/apache-vhost.conf', 'etc/apache2/mods-enabled/deflate.conf', 'etc/apache2/sites-enabled/example.com', 'config/vhosts/app.conf']) {
    assert.ok(matchesApachePath(p), p);
  }
  for (const p of ['nginx.conf', 'etc/nginx/nginx.conf', 'app.conf', 'htaccess.txt', 'etc/apache2/sites-available/README.md', 'supervisord.conf']) {
    assert.ok(!matchesApachePath(p), p);
  }
});

test('files shared with nginx (sites-enabled, conf.d) are read only when they are Apache', () => {
  assert.equal(apacheGatherer.gather('etc/nginx/sites-enabled/default', 'server {\n  listen 80;\n  root /var/www;\n}\n', ws), undefined);
  assert.equal(apacheGatherer.gather('conf.d/app.conf', 'upstream app {\n  server 127.0.0.1:3000;\n}\n', ws), undefined);
  assert.equal(apacheGatherer.gather('sites-enabled/notes', 'just some text\n', ws), undefined);
  assert.equal(apacheGatherer.gather('sites-enabled/example.com', '<VirtualHost *:80>\n  ServerName example.com\n</VirtualHost>\n', ws)?.kind, 'server');
  // An .htaccess is Apache whatever it contains (nginx lines in it are reported by apache-parse-error).
  assert.equal(apacheGatherer.gather('.htaccess', 'gzip on;\n', ws)?.kind, 'htaccess');
});

test('bad input never throws and spans stay inside the text', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
    const c = parseApacheConfig(text);
    for (const e of c.errors) assert.ok(e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end);
    for (const d of c.directives) assert.ok(d.span.start >= 0 && d.span.end <= text.length);
    analyzeApache(c);
  }), { numRuns: 2000 });
  const pieces = fc.constantFrom('<IfModule a>', '</IfModule>', '<Directory "/x">', '</Directory>', '"', "'", '\\', '\n', '\r\n', ' ', '#', 'Header set Cache-Control "max-age=1"', 'ExpiresActive On', '>', '<', '</>', '<>', '{', '}', ';');
  fc.assert(fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
    const text = parts.join('');
    const c = parseApacheConfig(text);
    for (const e of c.errors) assert.ok(e.span.end <= text.length);
  }), { numRuns: 3000 });
});

test('deep nesting is capped, not recursed', () => {
  const text = '<IfModule a>\n'.repeat(5000) + '</IfModule>\n'.repeat(5000);
  const c = parseApacheConfig(text);
  assert.ok(c.errors.some((e) => e.kind === 'too-deep'));
  assert.ok(c.errors.length <= 50);
});

test('a 5 MB config parses in bounded time', () => {
  const chunk = '<VirtualHost *:80>\n  ServerName a.example\n  <Directory "/var/www">\n    Options -Indexes \\\n      +FollowSymLinks\n  </Directory>\n  Header set Cache-Control "max-age=60"\n</VirtualHost>\n';
  const text = chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length));
  const t0 = performance.now();
  const c = parseApacheConfig(text);
  analyzeApache(c);
  const ms = performance.now() - t0;
  assert.equal(c.errors.length, 0);
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
  // Many errors stay capped.
  const broken = parseApacheConfig('</IfModule>\n'.repeat(200000));
  assert.equal(broken.errors.length, 50);
});

test('binary content is skipped by the engine with a clear diagnostic, other bad input gives parse errors', async () => {
  const found = await runRules({ '.htaccess': 'RewriteEngine\u0000\u0001\u0002 On', 'apache2/apache2.conf': '\u00ff\u00fe<<<>>>\u0007 </x>\n' });
  assert.deepEqual(found.filter((f) => f.file === '.htaccess').map((f) => f.ruleId), ['file-skipped']);
  assert.match(found.find((f) => f.file === '.htaccess')!.message, /binary/);
  assert.ok(found.some((f) => f.file === 'apache2/apache2.conf' && f.ruleId === 'apache-parse-error'));
  assert.ok(!found.some((f) => f.ruleId === 'rule-error'));
});

test('an oversized file is skipped by the engine; raised limit: audited in bounded time', async () => {
  const big = 'Header set X-A "1"\n'.repeat(Math.ceil((5 * 1024 * 1024) / 19));
  const skipped = await runRules({ '.htaccess': big });
  assert.deepEqual(skipped.map((f) => f.ruleId), ['file-skipped']);
  const t0 = performance.now();
  const found = await runRules({ '.htaccess': big }, undefined, (c) => { c.maxFileSizeKb = 8192; });
  assert.ok(performance.now() - t0 < 10000);
  assert.deepEqual(found.map((f) => f.ruleId).sort(), ['apache-compression-missing', 'apache-expires-missing']);
});
