import { conf, nginxRuleTests } from './tester.js';

nginxRuleTests('nginx-gzip-disabled', {
  valid: [
    { name: 'gzip on in http', files: { 'nginx/nginx.conf': conf('events {}', 'http {', '    gzip on;', '    server { listen 80; }', '}') } },
    { name: 'gzip on in every server', files: { 'nginx/nginx.conf': conf('events {}', 'http {', '    server { listen 80; gzip on; }', '}') } },
    { name: 'gzip on in an included conf.d file', files: { 'nginx/nginx.conf': conf('events {}', 'http {', '    include /etc/nginx/conf.d/*.conf;', '}'), 'nginx/conf.d/gzip.conf': conf('gzip on;') } },
    { name: 'snippet inherits gzip from the workspace nginx.conf', files: { 'deploy/nginx/nginx.conf': conf('events {}', 'http {', '    gzip on;', '    include sites-enabled/*;', '}'), 'deploy/nginx/sites-available/app.conf': conf('server {', '    listen 80;', '}') } },
    { name: 'gzip off in a location for downloads is deliberate', files: { 'nginx.conf': conf('http {', '    gzip on;', '    server {', '        location /downloads/ { gzip off; }', '    }', '}') } },
    { name: 'a main config without an http block', files: { 'nginx.conf': conf('events {}', 'stream {', '    server { listen 12345; }', '}') } },
    { name: 'suppressed', files: { 'nginx.conf': conf('http {', '    # perf-audit-disable-next-line nginx-gzip-disabled', '    gzip off;', '}') } },
    { name: 'a redirect-only server (port 80 → https) needs no gzip', files: { 'sites-enabled/app.conf': conf('server {', '    listen 80;', '    location /.well-known/acme-challenge/ { root /var/www/acme; }', '    location / { return 301 https://$host$request_uri; }', '}', 'server {', '    listen 443 ssl http2;', '    gzip on;', '}') } },
    { name: 'a conf.d file of another program is not read as nginx', files: { 'etc/mysql/conf.d/my.conf': conf('[mysqld]', 'server-id = 1') } },
    {
      name: 'loader: gzip on in snippets/gzip.conf, which is not an nginx path on its own, read because nginx.conf includes it',
      loader: true,
      files: {
        'deploy/nginx.conf': conf('http {', '    include snippets/gzip.conf;', '    include /etc/nginx/h5bp/*.conf;', '    server { listen 80; root /srv; }', '}'),
        'deploy/snippets/gzip.conf': conf('gzip on; gzip_types text/css application/javascript application/json image/svg+xml;'),
      },
    },
    { name: 'loader: gzip on in an included *.inc file', loader: true, files: { 'deploy/nginx.conf': conf('http {', '    include gzip.inc;', '    server { listen 80; }', '}'), 'deploy/gzip.inc': conf('gzip on;') } },
    {
      name: 'loader: an included *.inc that includes another one',
      loader: true,
      files: { 'ops/nginx.conf': conf('http {', '    include common/perf.inc;', '    server { listen 80; }', '}'), 'ops/common/perf.inc': conf('include common/gzip.inc;'), 'ops/common/gzip.inc': conf('gzip on;') },
    },
  ],
  invalid: [
    {
      name: 'gzip missing in http: the gzip block is inserted',
      files: { 'nginx/nginx.conf': conf('events {}', 'http {', '    include mime.types;', '    server { listen 80; }', '}') },
      errors: [{
        file: 'nginx/nginx.conf', line: 2, column: 1, endColumn: 5, message: /gzip is never turned on for the http block/, data: { level: 'http', state: 'missing' },
        fixOutput: { 'nginx/nginx.conf': conf('events {}', 'http {', '    gzip on;', '    gzip_types text/css text/plain text/javascript application/javascript application/json image/svg+xml;', '    gzip_min_length 256;', '    gzip_vary on;', '    include mime.types;', '    server { listen 80; }', '}') },
      }],
    },
    {
      name: 'gzip off in http: replaced, gzip_types already set is kept',
      files: { 'nginx.conf': conf('http {', '\tgzip off;', '\tgzip_types text/css;', '}') },
      errors: [{ file: 'nginx.conf', line: 2, column: 2, endColumn: 10, data: { state: 'off' }, fixOutput: { 'nginx.conf': conf('http {', '\tgzip on;', '\tgzip_min_length 256;', '\tgzip_vary on;', '\tgzip_types text/css;', '}') } }],
    },
    {
      name: 'a server turns gzip off although http has it on',
      files: { 'nginx.conf': conf('http {', '  gzip on;', '  server {', '    listen 80;', '    gzip off;', '  }', '}') },
      errors: [{ file: 'nginx.conf', line: 5, column: 5, message: /gzip is off for this server block: every response of this server/, fixOutput: { 'nginx.conf': conf('http {', '  gzip on;', '  server {', '    listen 80;', '    gzip on;', '    gzip_types text/css text/plain text/javascript application/javascript application/json image/svg+xml;', '    gzip_min_length 256;', '    gzip_vary on;', '  }', '}') } }],
    },
    {
      name: 'a static-asset location turns gzip off',
      files: { 'nginx.conf': conf('http {', '  gzip on;', '  server {', '    location ~* \\.(css|js)$ { gzip off; }', '  }', '}') },
      errors: [{ file: 'nginx.conf', line: 4, column: 31, message: /location ~\* .*the responses of this location/ }],
    },
    {
      name: 'a snippet with no main config in the workspace: reported on each server',
      files: { 'conf.d/default.conf': conf('server {', '    listen 80;', '    root /usr/share/nginx/html;', '}', 'server {', '    listen 81;', '    gzip on;', '}') },
      errors: [{
        file: 'conf.d/default.conf', line: 1, column: 1, endColumn: 7, message: /No main nginx\.conf in the workspace/,
        fixOutput: { 'conf.d/default.conf': conf('server {', '    gzip on;', '    gzip_types text/css text/plain text/javascript application/javascript application/json image/svg+xml;', '    gzip_min_length 256;', '    gzip_vary on;', '    listen 80;', '    root /usr/share/nginx/html;', '}', 'server {', '    listen 81;', '    gzip on;', '}') },
      }],
    },
    {
      name: 'the snippet is included by nginx.conf: reported once, on the http block',
      files: { 'nginx/nginx.conf': conf('events {}', 'http {', '    include sites-enabled/*.conf;', '}'), 'nginx/sites-enabled/a.conf': conf('server { listen 80; }'), 'nginx/sites-enabled/b.conf': conf('server { listen 81; }') },
      errors: [{ file: 'nginx/nginx.conf', line: 2, column: 1 }],
    },
    {
      name: 'loader: gzip off in an included *.inc file is reported there, and fixed there',
      loader: true,
      files: { 'deploy/nginx.conf': conf('http {', '    include gzip.inc;', '    server { listen 80; }', '}'), 'deploy/gzip.inc': conf('gzip off;') },
      errors: [{ file: 'deploy/gzip.inc', line: 1, column: 1, endColumn: 9, data: { state: 'off' }, fixOutput: { 'deploy/gzip.inc': conf('gzip on;', 'gzip_types text/css text/plain text/javascript application/javascript application/json image/svg+xml;', 'gzip_min_length 256;', 'gzip_vary on;') } }],
    },
    {
      name: 'loader: a *.inc file nothing includes is not read',
      loader: true,
      files: { 'deploy/nginx.conf': conf('http {', '    server { listen 80; }', '}'), 'deploy/gzip.inc': conf('gzip on;') },
      errors: [{ file: 'deploy/nginx.conf', line: 1, column: 1, data: { state: 'missing' } }],
    },
    {
      name: 'a one-line http block stays on one line',
      files: { 'nginx.conf': conf('events {} http { server { listen 80; } }') },
      errors: [{ file: 'nginx.conf', line: 1, column: 11, fixOutput: { 'nginx.conf': conf('events {} http { gzip on; gzip_types text/css text/plain text/javascript application/javascript application/json image/svg+xml; gzip_min_length 256; gzip_vary on; server { listen 80; } }') } }],
    },
  ],
});
