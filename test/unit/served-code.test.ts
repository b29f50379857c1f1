// Test code, fixtures, examples and docs get no findings about what users are served (nginx, Apache,
// hosting, Node servers, pools, bundles, images): one notion of test-like code, the kernel's code roles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCase } from '../helpers/rule-tester.js';

const nginx = 'http {\n    upstream app { server 127.0.0.1:8000; }\n    server {\n        listen 80;\n        location / { proxy_pass http://app; }\n        location /assets/ { root /srv; }\n    }\n}\n';
const apache = '<VirtualHost *:80>\n    DocumentRoot /var/www\n</VirtualHost>\n';
const express = "const express = require('express');\nconst app = express();\napp.use(express.static('public'));\napp.listen(3000);\n";
const frontendPkg = `${JSON.stringify({ name: 'app', dependencies: { moment: '^2.30.1', react: '^18' } }, null, 2)}\n`;

const served = {
  'deploy/nginx.conf': nginx,
  'deploy/apache.conf': apache,
  'src/server.js': express,
  'package.json': frontendPkg,
};
const unserved = {
  'e2e/federation/nginx.conf': nginx,
  'test/fixtures/apache.conf': apache,
  'examples/express/server.js': express,
  'docs/site/package.json': frontendPkg,
  'internal/testdata/nginx.conf': nginx,
};

test('the same configs, servers and manifests are judged where they are served', async () => {
  const rules = new Set((await runCase(undefined, { name: 'served', files: served })).map((f) => `${f.file}:${f.ruleId}`));
  for (const want of ['deploy/nginx.conf:nginx-gzip-disabled', 'deploy/apache.conf:apache-compression-missing', 'src/server.js:server-compression-missing', 'package.json:bundle-heavy-dependency']) assert.ok(rules.has(want), `${want} in ${[...rules].join(', ')}`);
});

test('…and not in tests, fixtures, examples and docs', async () => {
  const findings = await runCase(undefined, { name: 'unserved', files: unserved });
  assert.deepEqual(findings.filter((f) => f.severity !== 'info' || f.ruleId !== 'file-skipped').map((f) => `${f.file}:${f.ruleId}`), []);
});

test('settings paths.runtime bring a folder back', async () => {
  const findings = await runCase(undefined, { name: 'runtime override', files: { 'examples/express/server.js': express }, config: (c) => { c.paths = { runtime: ['examples/express/**'], oneOff: [], test: [] }; } });
  assert.ok(findings.some((f) => f.ruleId === 'server-compression-missing'));
});
