// A config that answers only to loopback names is a local or test setup: its warnings become information.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCase } from '../../helpers/rule-tester.js';

const conf = (name: string): string => `http {\n    upstream lemmy-alpha { server lemmy_alpha:8541; }\n    server {\n        listen 8540;\n        server_name ${name};\n        location / { proxy_pass http://lemmy-alpha; }\n    }\n}\n`;

test('loopback-only server names: info with the reason', async () => {
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) {
    const f = await runCase(undefined, { name, files: { 'docker/federation/nginx.conf': conf(name) } });
    const nginx = f.filter((x) => x.ruleId.startsWith('nginx-'));
    assert.ok(nginx.some((x) => x.ruleId === 'nginx-upstream-keepalive-missing'), name);
    for (const x of nginx) {
      assert.equal(x.severity, 'info', `${name}: ${x.ruleId}`);
      assert.match(x.message, /answers only to localhost \/ 127\.0\.0\.1: a local or test setup/);
    }
  }
});

test('a public name (even an example.com template) keeps its warnings', async () => {
  const f = await runCase(undefined, { name: 'public', files: { 'contrib/nginx.conf': conf('netbox.example.com') } });
  assert.ok(f.some((x) => x.ruleId === 'nginx-upstream-keepalive-missing' && x.severity === 'warning'));
  assert.ok(f.some((x) => x.ruleId === 'nginx-gzip-disabled' && x.severity === 'warning'));
});
