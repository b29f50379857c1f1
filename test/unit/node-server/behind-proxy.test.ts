// server-compression-missing judged with the workspace's reverse proxy (nginx artifacts, read by gatherer id).
import { ruleTests } from '../../helpers/rule-tester.js';

const app = "const express = require('express');\nconst app = express();\napp.get('/api/items', (req, res) => res.json([]));\napp.listen(3000);\n";
const proxy = (gzip: string): string => `http {\n    ${gzip}\n    server {\n        listen 80;\n        server_name shop.example.com;\n        location / { proxy_pass http://127.0.0.1:3000; }\n    }\n}\n`;

ruleTests('server-compression-missing', {
  valid: [],
  invalid: [
    {
      name: 'behind an nginx that gzips what it proxies: information, pointing at the proxy',
      files: { 'server.js': app, 'deploy/nginx.conf': proxy('gzip on;') },
      errors: [{ file: 'server.js', line: 2, column: 13, severity: 'info', message: /deploy\/nginx\.conf proxies to a backend with gzip on/, data: { proxy: 'deploy/nginx.conf' } }],
    },
    {
      name: 'an nginx proxy without gzip changes nothing',
      files: { 'server.js': app, 'deploy/nginx.conf': proxy('gzip off;') },
      errors: [{ file: 'server.js', line: 2, column: 13, severity: 'warning', message: /sends responses uncompressed/ }],
    },
    {
      name: 'a test harness proxy does not count',
      files: { 'server.js': app, 'e2e/nginx.conf': proxy('gzip on;') },
      errors: [{ file: 'server.js', line: 2, column: 13, severity: 'warning' }],
    },
  ],
});
