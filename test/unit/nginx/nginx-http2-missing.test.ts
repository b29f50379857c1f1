import { conf, nginxRuleTests } from './tester.js';

nginxRuleTests('nginx-http2-missing', {
  valid: [
    { name: 'listen … ssl http2', files: { 'nginx.conf': conf('server {', '    listen 443 ssl http2;', '}') } },
    { name: 'http2 on (nginx 1.25.1+)', files: { 'nginx.conf': conf('server {', '    listen 443 ssl;', '    http2 on;', '}') } },
    { name: 'plain HTTP', files: { 'nginx.conf': conf('server {', '    listen 80;', '}') } },
    { name: 'QUIC listener', files: { 'nginx.conf': conf('server {', '    listen 443 quic reuseport;', '    listen 443 ssl http2;', '}') } },
    { name: 'http2 enabled on the same socket by another server', files: { 'nginx.conf': conf('http {', '    server { listen 443 ssl http2 default_server; }', '    server { listen 443 ssl; server_name b.example; }', '}') } },
  ],
  invalid: [
    {
      name: 'listen 443 ssl: http2 added to the listen line',
      files: { 'sites-available/default': conf('server {', '    listen 443 ssl;', '    listen [::]:443 ssl;', '    ssl_certificate /etc/ssl/a.pem;', '}') },
      errors: [
        { file: 'sites-available/default', line: 2, column: 5, endColumn: 19, data: { listen: '443' }, fixOutput: { 'sites-available/default': conf('server {', '    listen 443 ssl http2;', '    listen [::]:443 ssl;', '    ssl_certificate /etc/ssl/a.pem;', '}') } },
        { file: 'sites-available/default', line: 3, column: 5, fixTitle: /http2 on/, fixOutput: { 'sites-available/default': conf('server {', '    listen 443 ssl;', '    listen [::]:443 ssl;', '    http2 on;', '    ssl_certificate /etc/ssl/a.pem;', '}') } },
      ],
    },
  ],
});
