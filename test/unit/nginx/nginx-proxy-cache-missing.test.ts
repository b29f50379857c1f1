import { conf, nginxRuleTests } from './tester.js';

nginxRuleTests('nginx-proxy-cache-missing', {
  valid: [
    { name: 'micro-cached API', files: { 'nginx.conf': conf('http {', '    proxy_cache_path /var/cache/nginx keys_zone=api:10m;', '    server {', '        location /api/ { proxy_cache api; proxy_cache_valid 200 1s; proxy_pass http://app; }', '    }', '}') } },
    { name: 'cache set for the server', files: { 'nginx.conf': conf('server {', '    proxy_cache api;', '    location /api/ { proxy_pass http://app; }', '}') } },
    { name: 'not an API path', files: { 'nginx.conf': conf('server {', '    location / { proxy_pass http://app; }', '}') } },
    { name: 'auth endpoints are per-user', files: { 'nginx.conf': conf('server {', '    location /api/auth/ { proxy_pass http://app; }', '}') } },
    { name: 'WebSockets', files: { 'nginx.conf': conf('server {', '    location /api/live { proxy_set_header Upgrade $http_upgrade; proxy_pass http://app; }', '}') } },
  ],
  invalid: [
    { name: 'an API location without proxy_cache', files: { 'nginx.conf': conf('server {', '    location /api/ {', '        proxy_pass http://app;', '    }', '}') }, errors: [{ file: 'nginx.conf', line: 3, column: 9, endColumn: 30, severity: 'info', message: /location \/api\/ proxies an API with no proxy_cache/, noFix: true }] },
    { name: 'proxy_cache off', files: { 'nginx.conf': conf('server {', '    proxy_cache api;', '    location ~ ^/v2/ { proxy_cache off; proxy_pass http://app; }', '}') }, errors: [{ file: 'nginx.conf', line: 3, column: 41, message: /"proxy_cache off"/ }] },
  ],
});
