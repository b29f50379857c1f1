import { engineWith } from '../../helpers/engine.js';
/** Bad input never crashes or hangs the nginx analyzer: it becomes clear findings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultSettings } from '../../../src/kernel/settings.js';
import { auditEngine } from '../../../src/kernel/audit.js';
import { NGINX_GATHERERS, NGINX_RULES } from '../../../src/analyzers/nginx/index.js';
import { nginxGatherer } from '../../../src/analyzers/nginx/gather.js';
import type { Finding } from '../../../src/kernel/model.js';
import { runNginx } from './tester.js';

const summary = (fs: Finding[]): string[] => fs.map((f) => `${f.ruleId} ${f.file}:${f.range.start.line + 1} ${f.message.slice(0, 60)}`);

test('broken braces: parse errors, the rest still analysed, no rule errors', async () => {
  const found = await runNginx(undefined, { files: { 'nginx.conf': 'events {}\nhttp {\n    gzip off;\n    server {\n        location / {\n            root /srv;\n    }\n}\n}\n}\n' } } as never);
  assert.ok(!found.some((f) => f.ruleId === 'rule-error'), summary(found).join('\n'));
  assert.ok(found.some((f) => f.ruleId === 'nginx-parse-error' && /Unexpected "}"/.test(f.message)));
  assert.ok(found.some((f) => f.ruleId === 'nginx-gzip-disabled'), 'directives before the error are still checked');
});

test('unknown directives are not errors', async () => {
  const found = await runNginx('nginx-parse-error', { name: '', files: { 'nginx.conf': 'load_module x.so;\nevents {}\nhttp { vhost_traffic_status_zone; more_set_headers "A: b"; server { foo_bar 1 2 3; } }\n' } });
  assert.deepEqual(summary(found), []);
});

test('a binary file: skipped by the engine, an error artifact from the gatherer', async () => {
  const text = `http {\u0000\u0001\u0002 gzip on; }`;
  const found = await runNginx(undefined, { name: '', files: { 'nginx/nginx.conf': text } });
  assert.deepEqual(found.map((f) => [f.ruleId, f.severity]), [['file-skipped', 'info']]);
  assert.match(found[0].message, /binary/);
  const a = nginxGatherer.gather('nginx/nginx.conf', text, { paths: () => [], textOf: () => undefined });
  assert.deepEqual(a?.diagnostics.map((d) => d.kind), ['binary']);
});

test('a binary included file is reported on the include', async () => {
  const found = await runNginx('nginx-parse-error', { name: '', files: { 'nginx/nginx.conf': 'events {}\nhttp { include blob.inc; }\n', 'nginx/blob.inc': 'PNG\u0000\u0000\u0001' } });
  assert.deepEqual(found.map((f) => [f.file, f.data?.kind, f.severity]), [['nginx/nginx.conf', 'include-binary', 'warning']]);
});

test('include loops (self, glob, mutual) are reported and do not hang', async () => {
  const t0 = performance.now();
  const found = await runNginx('nginx-parse-error', {
    name: '',
    files: {
      'nginx/nginx.conf': 'events {}\nhttp { include nginx.conf; include conf.d/*.conf; }\n',
      'nginx/conf.d/a.conf': 'include conf.d/*.conf;\n',
      'nginx/conf.d/b.conf': 'server { include conf.d/a.conf; }\n',
    },
  });
  assert.ok(performance.now() - t0 < 3000);
  assert.ok(found.length >= 2 && found.every((f) => f.data?.kind === 'include-loop' && f.severity === 'error'), summary(found).join('\n'));
  assert.ok(found.some((f) => /nginx\/nginx\.conf → nginx\/nginx\.conf/.test(f.message)));
});

test('include fan-out is bounded', async () => {
  const files: Record<string, string> = { 'nginx/nginx.conf': `events {}\nhttp {\n${'    include l1.conf;\n'.repeat(60)}}\n` };
  for (let i = 1; i < 6; i++) files[`nginx/l${i}.conf`] = `${`include l${i + 1}.conf;\n`.repeat(60)}gzip on;\n`;
  files['nginx/l6.conf'] = 'add_header X 1;\n';
  const t0 = performance.now();
  const found = await runNginx('nginx-parse-error', { name: '', files });
  assert.ok(performance.now() - t0 < 5000, `took ${(performance.now() - t0).toFixed(0)} ms`);
  assert.ok(found.some((f) => f.data?.kind === 'include-limit'), summary(found).join('\n'));
});

test('a 5 MB config: skipped over maxFileSizeKb, analysed in bounded time when allowed', async () => {
  const unit = 'server {\n    listen 80;\n    root /srv;\n    location ~* \\.(css|js)$ { expires 7d; }\n    location /api/ { proxy_pass http://127.0.0.1:3000; }\n}\n';
  const text = `events {}\nhttp {\n    gzip on;\n    sendfile on;\n    tcp_nopush on;\n${unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length))}}\n`;
  const skipped = await runNginx(undefined, { name: '', files: { 'nginx/nginx.conf': text } });
  assert.deepEqual(skipped.map((f) => f.ruleId), ['file-skipped']);
  const t0 = performance.now();
  const found = await runNginx(undefined, { name: '', files: { 'nginx/nginx.conf': text }, config: (c) => void (c.maxFileSizeKb = 8192) });
  const ms = performance.now() - t0;
  assert.ok(ms < 20_000, `took ${ms.toFixed(0)} ms`);
  assert.ok(!found.some((f) => f.ruleId === 'rule-error'));
  assert.ok(found.some((f) => f.ruleId === 'nginx-gzip-types-incomplete'));
});

test('Apache and other programs\' files in conf.d / sites-enabled are not nginx configs', async () => {
  const engine = engineWith(NGINX_RULES, NGINX_GATHERERS);
  engine.setFile('etc/apache2/sites-enabled/000-default.conf', '<VirtualHost *:80>\n    DocumentRoot /var/www/html\n</VirtualHost>\n');
  engine.setFile('etc/supervisor/conf.d/app.conf', '[program:app]\ncommand=/usr/bin/app\n');
  const r = await engine.run();
  assert.deepEqual(r.findings, []);
  assert.equal(r.stats.gathered.nginx, 0);
});

test('the checklist counts nginx configs as evidence for the items the nginx rules cover', async () => {
  const engine = engineWith(NGINX_RULES, NGINX_GATHERERS);
  engine.setSettings(defaultSettings());
  engine.setFile('nginx/nginx.conf', 'events {}\nhttp {\n    gzip on;\n    gzip_types text/css application/javascript application/json image/svg+xml;\n    sendfile on;\n    tcp_nopush on;\n    server { listen 80; root /srv; location ~* \\.(css|js)$ { expires 1y; } }\n}\n');
  const audit = await auditEngine(engine);
  const item = (id: string) => audit.checklist.find((r) => r.item.id === id)!;
  assert.equal(item('compression').status, 'pass');
  assert.match(item('compression').reason, /nginx configs \(1\) checked/);
  assert.equal(item('browser-caching').status, 'pass');
});

test('garbage never throws, never makes a rule fail (property)', async () => {
  const alphabet = fc.constantFrom('{', '}', ';', '"', "'", '\\', '#', '$', ' ', '\n', 'http', 'server', 'location', '~*', '\\.(css|js)$', '/assets/', 'gzip', 'on', 'off', 'expires', '1y', 'add_header', 'Cache-Control', 'upstream', 'u', 'proxy_pass', 'http://u', 'listen', '443', 'ssl', 'include', '*.conf', 'a.conf', 'if', '($x)', 'load_module', 'brotli');
  await fc.assert(fc.asyncProperty(fc.array(alphabet, { maxLength: 80 }), fc.array(alphabet, { maxLength: 30 }), async (a, b) => {
    const found = await runNginx(undefined, { name: '', files: { 'nginx/nginx.conf': `events {}\n${a.join(' ')}`, 'nginx/a.conf': b.join(' ') } });
    assert.deepEqual(found.filter((f) => f.ruleId === 'rule-error').map((f) => f.message), []);
  }), { numRuns: 150 });
});
