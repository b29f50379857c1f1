import { conf, nginxRuleTests } from './tester.js';

nginxRuleTests('nginx-add-header-inheritance', {
  valid: [
    { name: 'no add_header below', files: { 'nginx.conf': conf('http {', '    add_header X-Frame-Options DENY;', '    server { location / { root /srv; } }', '}') } },
    { name: 'the location repeats the inherited headers', files: { 'nginx.conf': conf('server {', '    add_header X-Frame-Options DENY;', '    location /a/ {', '        add_header X-Frame-Options DENY;', '        add_header X-Extra 1;', '    }', '}') } },
    { name: 'the location overrides the only inherited header', files: { 'nginx.conf': conf('server {', '    add_header Cache-Control no-cache;', '    location /assets/ { add_header cache-control "public, immutable"; }', '}') } },
    { name: 'add_header_inherit merge (nginx 1.29.3)', files: { 'nginx.conf': conf('http {', '    add_header_inherit merge;', '    add_header X-Frame-Options DENY;', '    server { add_header X-Extra 1; }', '}') } },
    { name: 'nothing above to drop', files: { 'nginx.conf': conf('server {', '    location / { add_header X-Extra 1; }', '}') } },
    { name: 'suppressed', files: { 'nginx.conf': conf('server {', '    add_header X-Frame-Options DENY;', '    location / {', '        # perf-audit-disable-next-line nginx-add-header-inheritance', '        add_header X-Extra 1;', '    }', '}') } },
  ],
  invalid: [
    {
      name: 'a location with its own add_header drops the server\'s Cache-Control and security headers',
      files: { 'nginx.conf': conf('server {', '    add_header Cache-Control "no-cache";', '    add_header Strict-Transport-Security "max-age=63072000" always;', '    location /api/ {', '        add_header X-Api 1;', '        proxy_pass http://app;', '    }', '}') },
      errors: [{
        file: 'nginx.conf', line: 5, column: 9, endColumn: 27, message: /inherits none of those of this server block \(nginx\.conf:2\): its responses are sent without Cache-Control, Strict-Transport-Security/,
        data: { dropped: ['Cache-Control', 'Strict-Transport-Security'], cacheControl: true },
        fixOutput: { 'nginx.conf': conf('server {', '    add_header Cache-Control "no-cache";', '    add_header Strict-Transport-Security "max-age=63072000" always;', '    location /api/ {', '        add_header Cache-Control "no-cache";', '        add_header Strict-Transport-Security "max-age=63072000" always;', '        add_header X-Api 1;', '        proxy_pass http://app;', '    }', '}') },
      }],
    },
    {
      name: 'headers from http dropped by a server, the location then inherits the server\'s',
      files: { 'nginx/nginx.conf': conf('events {}', 'http {', '    add_header X-Frame-Options SAMEORIGIN;', '    include conf.d/*.conf;', '}'), 'nginx/conf.d/site.conf': conf('server {', '    add_header X-Site 1;', '    location / { root /srv; }', '}') },
      errors: [{ file: 'nginx/conf.d/site.conf', line: 2, column: 5, message: /inherits none of those of the http block \(nginx\/nginx\.conf:3\)/, data: { dropped: ['X-Frame-Options'], cacheControl: false }, fixOutput: { 'nginx/conf.d/site.conf': conf('server {', '    add_header X-Frame-Options SAMEORIGIN;', '    add_header X-Site 1;', '    location / { root /srv; }', '}') } }],
    },
    {
      name: 'only a diagnostic header dropped: info',
      files: { 'nginx.conf': conf('server {', '    location / {', '        add_header X-Cached $upstream_cache_status;', '        location /system/ { add_header Cache-Control "public, max-age=2419200"; }', '    }', '}') },
      errors: [{ file: 'nginx.conf', line: 4, column: 29, severity: 'info', data: { dropped: ['X-Cached'], cacheControl: false } }],
    },
    {
      name: 'an if block in a location',
      files: { 'nginx.conf': conf('server {', '    location / {', '        add_header X-A 1;', '        if ($arg_debug) { add_header X-Debug 1; }', '    }', '}') },
      errors: [{ file: 'nginx.conf', line: 4, column: 27, data: { dropped: ['X-A'] } }],
    },
  ],
});
