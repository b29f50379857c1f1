import { conf, nginxRuleTests } from './tester.js';

nginxRuleTests('nginx-parse-error', {
  valid: [
    { name: 'unknown directives are fine', files: { 'nginx.conf': conf('http {', '    more_set_headers "Server: x";', '    my_module_directive a b c;', '}') } },
    { name: 'a glob include matching nothing is fine for nginx', files: { 'nginx.conf': conf('http {', '    include conf.d/*.conf;', '}') } },
    { name: 'a glob include of a folder the workspace has, matching nothing, is fine', files: { 'nginx.conf': conf('http {', '    include h5bp/*.conf;', '}'), 'h5bp/README.md': '# empty for now\n' } },
    { name: 'a glob include of a system drop-in folder (sites-enabled) is fine', files: { 'nginx.conf': conf('http {', '    include /etc/nginx/sites-enabled/*;', '}') } },
    { name: 'stock files of nginx packages are not expected in the repository', files: { 'nginx.conf': conf('http {', '    include mime.types;', '    include /etc/nginx/proxy_params;', '}') } },
    {
      name: 'loader: includes of snippets/*.conf and *.inc resolve',
      loader: true,
      files: { 'deploy/nginx.conf': conf('http {', '    include snippets/gzip.conf;', '    include gzip.inc;', '}'), 'deploy/snippets/gzip.conf': conf('gzip on;'), 'deploy/gzip.inc': conf('gzip_vary on;') },
    },
    { name: 'Lua blocks are read opaquely', files: { 'nginx.conf': conf('http {', '    server {', '        location / {', '            content_by_lua_block {', '                local s = "}" -- {', '                ngx.say([[{]])', '            }', '        }', '    }', '}') } },
    { name: 'quoted strings with escapes and ${var}', files: { 'nginx.conf': conf('http {', '    log_format main \'$remote_addr "${request}" \\\'x\\\'\';', '    add_header X-A "a;b{c}";', '}') } },
  ],
  invalid: [
    {
      name: 'a missing "}" is placed by indentation',
      files: { 'nginx.conf': conf('http {', '    server {', '        location / {', '            root /srv;', '', '    }', '}') },
      errors: [{ file: 'nginx.conf', line: 3, column: 9, endColumn: 17, severity: 'error', message: /The "location" block is missing its "}": the "}" on line 6 is indented like an enclosing block/ }],
    },
    {
      name: 'an extra "}"',
      files: { 'nginx.conf': conf('http {', '}', '}') },
      errors: [{ file: 'nginx.conf', line: 3, column: 1, message: /Unexpected "}"/ }],
    },
    {
      name: 'a missing ";" between two lines, recovered',
      files: { 'nginx.conf': conf('http {', '    gzip on', '    gzip_types text/css;', '}') },
      errors: [{ file: 'nginx.conf', line: 2, column: 10, endColumn: 12, message: /Missing ";" at the end of the "gzip" directive/ }],
    },
    {
      name: 'a directive before "}" without ";"',
      files: { 'nginx.conf': conf('server { listen 80 }') },
      errors: [{ file: 'nginx.conf', line: 1, column: 10, endColumn: 19, message: /"listen" directive is not terminated by ";"/ }],
    },
    {
      name: 'a missing include: a warning on the include, not fatal',
      files: { 'nginx/nginx.conf': conf('events {}', 'http {', '    include snippets/headers.conf;', '    gzip on;', '}') },
      errors: [{ file: 'nginx/nginx.conf', line: 3, column: 13, severity: 'warning', message: /Included file "snippets\/headers\.conf" is not in the workspace \(looked for "nginx\/snippets\/headers\.conf"\)/, data: { kind: 'include-missing' } }],
    },
    {
      name: 'a glob include of a folder the repository does not carry: an info that its settings are not analysed',
      loader: true,
      files: { 'deploy/nginx.conf': conf('http {', '    include /etc/nginx/h5bp/*.conf;', '    server { listen 80; }', '}') },
      errors: [{ file: 'deploy/nginx.conf', line: 2, column: 13, endColumn: 35, severity: 'info', message: /Included files "\/etc\/nginx\/h5bp\/\*\.conf" match nothing in the workspace \(it has no "h5bp" folder\): the directives they hold on the server are not analysed/, data: { kind: 'include-missing' } }],
    },
    {
      name: 'loader: a missing *.inc is still reported',
      loader: true,
      files: { 'deploy/nginx.conf': conf('http {', '    include gzip.inc;', '}') },
      errors: [{ file: 'deploy/nginx.conf', line: 2, column: 13, severity: 'warning', message: /Included file "gzip\.inc" is not in the workspace \(looked for "deploy\/gzip\.inc"\)/, data: { kind: 'include-missing' } }],
    },
    {
      name: 'loader: a syntax error in an included *.inc is reported in that file',
      loader: true,
      files: { 'deploy/nginx.conf': conf('http {', '    include gzip.inc;', '}'), 'deploy/gzip.inc': conf('gzip on', 'gzip_vary on;') },
      errors: [{ file: 'deploy/gzip.inc', line: 1, column: 6, endColumn: 8, message: /Missing ";" at the end of the "gzip" directive/ }],
    },
    {
      name: 'loader: an included file over maxFileSizeKb is not read',
      loader: true,
      config: (c) => { c.maxFileSizeKb = 1; },
      files: { '.perfauditrc.json': '{ "maxFileSizeKb": 1 }', 'deploy/nginx.conf': conf('http {', '    include big.inc;', '}'), 'deploy/big.inc': conf(...Array.from({ length: 100 }, (_, i) => `# padding line ${i} of an oversized include`)) },
      errors: [{ file: 'deploy/nginx.conf', line: 2, column: 13, severity: 'warning', message: /Included file "deploy\/big\.inc" could not be read \(or is over the "maxFileSizeKb" limit\)/, data: { kind: 'include-missing' } }],
    },
    {
      name: 'an include loop',
      files: { 'nginx/nginx.conf': conf('events {}', 'http { include conf.d/a.conf; }'), 'nginx/conf.d/a.conf': conf('include conf.d/b.conf;'), 'nginx/conf.d/b.conf': conf('include conf.d/a.conf;') },
      errors: [{ file: 'nginx/conf.d/b.conf', line: 1, column: 9, severity: 'error', message: /Include loop: nginx\/conf\.d\/a\.conf → nginx\/conf\.d\/b\.conf → nginx\/conf\.d\/a\.conf/, data: { kind: 'include-loop' } }],
    },
    {
      name: 'a syntax error in an included non-nginx file is reported there',
      files: { 'nginx/nginx.conf': conf('events {}', 'http { include ../common/headers.inc; }'), 'common/headers.inc': conf('add_header X-A 1') },
      errors: [{ file: 'common/headers.inc', line: 1, column: 1, message: /not terminated by ";" \(the file ends\)/ }],
    },
    {
      name: 'an unterminated string',
      files: { 'nginx.conf': conf('http {', '    add_header X-A "open;', '}') },
      errors: [{ file: 'nginx.conf', line: 2, column: 20, endColumn: 26, message: /Unterminated double-quoted string/ }],
    },
  ],
});
