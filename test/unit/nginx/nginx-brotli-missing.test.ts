import { conf, nginxRuleTests } from './tester.js';

const MAIN = (...http: string[]): string => conf('load_module modules/ngx_http_brotli_filter_module.so;', 'events {}', 'http {', ...http.map((l) => `    ${l}`), '}');

nginxRuleTests('nginx-brotli-missing', {
  valid: [
    { name: 'no brotli module: nothing to say', files: { 'nginx.conf': conf('events {}', 'http {', '    gzip on;', '}') } },
    { name: 'brotli on with its types', files: { 'nginx.conf': MAIN('brotli on;', 'brotli_types text/css application/javascript application/json image/svg+xml;') } },
    { name: 'brotli_static only (no filter module known)', files: { 'nginx.conf': conf('events {}', 'http {', '    brotli_static on;', '}') } },
  ],
  invalid: [
    {
      name: 'module loaded, brotli never turned on',
      files: { 'nginx.conf': MAIN('gzip on;', 'server { listen 80; }') },
      errors: [{ file: 'nginx.conf', line: 3, column: 1, severity: 'info', message: /The brotli filter module is loaded, but brotli is never turned on for the http block/, fixOutput: { 'nginx.conf': MAIN('brotli on;', 'brotli_comp_level 5;', 'brotli_types text/css text/plain text/javascript application/javascript application/json image/svg+xml;', 'gzip on;', 'server { listen 80; }') } }],
    },
    {
      name: 'module loaded through modules-enabled, brotli off',
      files: { 'nginx/nginx.conf': conf('include /etc/nginx/modules-enabled/*.conf;', 'events {}', 'http {', '    brotli off;', '}'), 'nginx/modules-enabled/50-mod-http-brotli-filter.conf': conf('load_module modules/ngx_http_brotli_filter_module.so;') },
      errors: [{ file: 'nginx/nginx.conf', line: 4, column: 5, data: { state: 'off' } }],
    },
    {
      name: 'brotli on without brotli_types',
      files: { 'nginx.conf': MAIN('brotli on;') },
      errors: [{ file: 'nginx.conf', line: 4, column: 5, data: { state: 'types' }, fixOutput: { 'nginx.conf': MAIN('brotli on;', 'brotli_types text/css text/plain text/javascript application/javascript application/json image/svg+xml;') } }],
    },
  ],
});
