import { conf, nginxRuleTests } from './tester.js';

const ALL = 'text/css application/javascript application/json image/svg+xml';

nginxRuleTests('nginx-gzip-types-incomplete', {
  valid: [
    { name: 'all four types listed', files: { 'nginx.conf': conf('http {', '    gzip on;', `    gzip_types ${ALL};`, '    server { listen 80; }', '}') } },
    { name: 'text/javascript is enough when the types mapping is not known', files: { 'nginx.conf': conf('http {', '    gzip on;', '    gzip_types text/css text/javascript application/json image/svg+xml;', '}') } },
    { name: 'gzip_types *', files: { 'nginx.conf': conf('http {', '    gzip on;', '    gzip_types *;', '}') } },
    { name: 'gzip off: nginx-gzip-disabled reports it instead', files: { 'nginx.conf': conf('http {', '    gzip off;', '}') } },
    { name: 'types split over two lines and a server override', files: { 'nginx.conf': conf('http {', '    gzip on;', '    gzip_types text/css', '               application/javascript application/json image/svg+xml;', '    server { gzip_types *; }', '}') } },
    { name: 'suppressed', files: { 'nginx.conf': conf('http {', '    # perf-audit-disable-next-line nginx-gzip-types-incomplete', '    gzip on;', '}') } },
  ],
  invalid: [
    {
      name: 'gzip on without gzip_types (Debian\'s stock nginx.conf): only text/html is compressed',
      files: { 'nginx/nginx.conf': conf('http {', '\tsendfile on;', '\tgzip on;', '\tinclude /etc/nginx/conf.d/*.conf;', '}') },
      errors: [{
        file: 'nginx/nginx.conf', line: 3, column: 2, endColumn: 9, message: /gzip_types is not set, so nginx compresses only text\/html: CSS, JS, JSON, SVG/,
        data: { missing: ['text/css', 'application/javascript', 'application/json', 'image/svg+xml'] },
        fixOutput: { 'nginx/nginx.conf': conf('http {', '\tsendfile on;', '\tgzip on;', '\tgzip_types text/css text/plain text/javascript application/javascript application/json image/svg+xml;', '\tinclude /etc/nginx/conf.d/*.conf;', '}') },
      }],
    },
    {
      name: 'gzip_types lacks CSS: the missing types are appended',
      files: { 'nginx.conf': conf('http {', '    gzip on;', '    gzip_types application/javascript application/json image/svg+xml; # text only', '}') },
      errors: [{ file: 'nginx.conf', line: 3, column: 5, data: { missing: ['text/css'] }, fixOutput: { 'nginx.conf': conf('http {', '    gzip on;', '    gzip_types application/javascript application/json image/svg+xml text/css; # text only', '}') } }],
    },
    {
      name: 'the types block the config includes decides the JavaScript type',
      files: {
        'nginx/nginx.conf': conf('http {', '    include mime.types;', '    gzip on;', '    gzip_types text/css text/javascript application/json image/svg+xml;', '}'),
        'nginx/mime.types': conf('types {', '    text/css css;', '    application/javascript js;', '}'),
      },
      errors: [{ file: 'nginx/nginx.conf', line: 4, column: 5, message: /does not list application\/javascript:/, data: { missing: ['application/javascript'] }, fixOutput: { 'nginx/nginx.conf': conf('http {', '    include mime.types;', '    gzip on;', '    gzip_types text/css text/javascript application/json image/svg+xml application/javascript;', '}') } }],
    },
    {
      name: 'reported in the included file that sets gzip_types',
      files: { 'nginx/nginx.conf': conf('events {}', 'http {', '    include conf.d/*.conf;', '    server { listen 80; }', '}'), 'nginx/conf.d/gzip.conf': conf('gzip on;', 'gzip_types text/plain;') },
      errors: [{ file: 'nginx/conf.d/gzip.conf', line: 2, column: 1, data: { missing: ['text/css', 'application/javascript', 'application/json', 'image/svg+xml'] } }],
    },
    {
      name: 'a server\'s own gzip_types replaces the http list',
      files: { 'nginx.conf': conf('http {', '    gzip on;', `    gzip_types ${ALL};`, '    server {', '        gzip_types text/plain;', '    }', '}') },
      errors: [{ file: 'nginx.conf', line: 5, column: 9, message: /responses of this server block and below/ }],
    },
  ],
});
