import { conf, nginxRuleTests } from './tester.js';

nginxRuleTests('nginx-sendfile-off', {
  valid: [
    { name: 'sendfile and tcp_nopush on', files: { 'nginx.conf': conf('events {}', 'http {', '    sendfile on;', '    tcp_nopush on;', '    server { root /srv; }', '}') } },
    { name: 'a proxy-only config does not serve files', files: { 'nginx.conf': conf('events {}', 'http {', '    server { location / { proxy_pass http://app; } }', '}') } },
    { name: 'a snippet without a main config: distribution defaults turn sendfile on', files: { 'conf.d/site.conf': conf('server {', '    root /srv;', '}') } },
    {
      name: 'loader: sendfile on in h5bp/*.conf, included by an absolute glob, read although not an nginx path',
      loader: true,
      files: {
        'deploy/nginx.conf': conf('http {', '    include snippets/gzip.conf;', '    include /etc/nginx/h5bp/*.conf;', '    server { listen 80; root /srv; }', '}'),
        'deploy/snippets/gzip.conf': conf('gzip on;'),
        'deploy/h5bp/perf.conf': conf('sendfile on;', 'tcp_nopush on;'),
      },
    },
    { name: 'sendfile off for proxied locations only', files: { 'nginx.conf': conf('events {}', 'http {', '    sendfile on;', '    tcp_nopush on;', '    server { root /srv; location /api/ { sendfile off; proxy_pass http://app; } }', '}') } },
  ],
  invalid: [
    {
      name: 'sendfile not set in the main config',
      files: { 'nginx.conf': conf('events {}', 'http {', '    server {', '        root /srv/www;', '    }', '}') },
      errors: [{ file: 'nginx.conf', line: 2, column: 1, endColumn: 5, data: { state: 'missing' }, fixOutput: { 'nginx.conf': conf('events {}', 'http {', '    sendfile on;', '    tcp_nopush on;', '    server {', '        root /srv/www;', '    }', '}') } }],
    },
    {
      name: 'sendfile off in a server that serves files',
      files: { 'conf.d/site.conf': conf('server {', '    sendfile off;', '    root /srv;', '}') },
      errors: [{ file: 'conf.d/site.conf', line: 2, column: 5, data: { state: 'off' }, fixOutput: { 'conf.d/site.conf': conf('server {', '    sendfile on;', '    tcp_nopush on;', '    root /srv;', '}') } }],
    },
    {
      name: 'sendfile on without tcp_nopush: info',
      files: { 'nginx.conf': conf('events {}', 'http {', '    sendfile on; # kernel copies', '    server { root /srv; }', '}') },
      errors: [{ file: 'nginx.conf', line: 3, column: 5, severity: 'info', data: { state: 'tcp_nopush' }, fixOutput: { 'nginx.conf': conf('events {}', 'http {', '    sendfile on; # kernel copies', '    tcp_nopush on;', '    server { root /srv; }', '}') } }],
    },
  ],
});
