import { conf, nginxRuleTests } from './tester.js';

nginxRuleTests('nginx-upstream-keepalive-missing', {
  valid: [
    {
      name: 'keepalive, HTTP/1.1 and an empty Connection header',
      files: { 'nginx.conf': conf('http {', '    upstream app { server 127.0.0.1:3000; keepalive 16; }', '    proxy_http_version 1.1;', '    proxy_set_header Connection "";', '    server { location / { proxy_pass http://app; } }', '}') },
    },
    {
      name: 'WebSocket locations set Connection from a map',
      files: { 'nginx.conf': conf('http {', '    upstream app { server 127.0.0.1:3000; keepalive 16; }', '    server { location /ws { proxy_http_version 1.1; proxy_set_header Connection $connection_upgrade; proxy_pass http://app; } }', '}') },
    },
    {
      name: 'the common WebSocket-ready proxy block (Connection "upgrade")',
      files: { 'sites-available/app': conf('upstream app_server { server 127.0.0.1:3000; keepalive 8; }', 'server {', '    location / {', '        proxy_pass http://app_server;', '        proxy_http_version 1.1;', '        proxy_set_header Upgrade $http_upgrade;', "        proxy_set_header Connection 'upgrade';", '    }', '}') },
    },
    { name: 'a bare name may be an upstream declared elsewhere', files: { 'conf.d/app.conf': conf('server {', '    location / { proxy_pass http://app; }', '}') } },
    { name: 'proxy_pass with variables', files: { 'conf.d/app.conf': conf('server {', '    location / { proxy_pass http://$backend:8080; }', '}') } },
    { name: 'suppressed', files: { 'nginx.conf': conf('http {', '    # perf-audit-disable-next-line nginx-upstream-keepalive-missing', '    upstream app { server 127.0.0.1:3000; }', '}') } },
  ],
  invalid: [
    {
      name: 'upstream without keepalive: keepalive added, and HTTP/1.1 to the location using it (keeping its inherited proxy_set_header)',
      files: { 'nginx.conf': conf('http {', '    upstream backend {', '        least_conn;', '        server 10.0.0.1:8080;', '    }', '    server {', '        proxy_set_header Host $host;', '        location /api/ {', '            proxy_pass http://backend/;', '        }', '    }', '}') },
      errors: [{
        file: 'nginx.conf', line: 2, column: 5, endColumn: 21, message: /upstream backend has no keepalive: nginx opens a new TCP connection/, data: { kind: 'upstream', upstream: 'backend' },
        fixOutput: { 'nginx.conf': conf('http {', '    upstream backend {', '        least_conn;', '        server 10.0.0.1:8080;', '        keepalive 32;', '    }', '    server {', '        proxy_set_header Host $host;', '        location /api/ {', '            proxy_http_version 1.1;', '            proxy_set_header Host $host;', '            proxy_set_header Connection "";', '            proxy_pass http://backend/;', '        }', '    }', '}') },
      }],
    },
    {
      name: 'keepalive upstream, but the location speaks HTTP/1.0',
      files: { 'nginx.conf': conf('http {', '    upstream app { server unix:/run/app.sock; keepalive 8; }', '    server {', '        location / {', '            proxy_set_header Connection "";', '            proxy_http_version 1.0;', '            proxy_pass http://app;', '        }', '    }', '}') },
      errors: [{ file: 'nginx.conf', line: 7, column: 13, message: /speaks HTTP\/1\.0/, data: { kind: 'proxy' }, fixOutput: { 'nginx.conf': conf('http {', '    upstream app { server unix:/run/app.sock; keepalive 8; }', '    server {', '        location / {', '            proxy_set_header Connection "";', '            proxy_http_version 1.1;', '            proxy_pass http://app;', '        }', '    }', '}') } }],
    },
    {
      name: 'proxy_pass straight to an address: info, no fix',
      files: { 'sites-enabled/app.conf': conf('server {', '    location / { proxy_pass http://127.0.0.1:3000; }', '}') },
      errors: [{ file: 'sites-enabled/app.conf', line: 2, column: 18, severity: 'info', data: { kind: 'direct', target: '127.0.0.1:3000' }, noFix: true }],
    },
  ],
});
