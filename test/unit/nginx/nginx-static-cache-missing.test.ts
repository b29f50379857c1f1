import { conf, nginxRuleTests } from './tester.js';

const wrap = (...body: string[]): string => conf('http {', '    server {', '        root /srv/www;', ...body.map((l) => `        ${l}`), '    }', '}');

nginxRuleTests('nginx-static-cache-missing', {
  valid: [
    { name: 'extension location cached for a year', files: { 'nginx.conf': wrap('location ~* \\.(?:css|js|png)$ { expires 1y; }') } },
    { name: 'hashed assets: expires 1y + immutable', files: { 'nginx.conf': wrap('location /assets/ {', '    expires 1y;', '    add_header Cache-Control "public, immutable";', '}') } },
    { name: 'hashed assets: one Cache-Control header with max-age and immutable', files: { 'nginx.conf': wrap('location ^~ /_next/static/ { add_header Cache-Control "public, max-age=31536000, immutable"; }') } },
    { name: 'expires inherited from the server', files: { 'nginx.conf': wrap('expires 30d;', 'location ~* \\.(css|js)$ { }') } },
    { name: 'a proxied asset path: the backend sets its headers', files: { 'nginx.conf': wrap('location /static/ { proxy_pass http://app; }') } },
    { name: 'a lifetime from a variable cannot be judged', files: { 'nginx.conf': wrap('location ~* \\.(css|js)$ { expires $asset_expiry; }') } },
    { name: 'a proxy-only server', files: { 'nginx.conf': conf('http {', '    server {', '        location / { proxy_pass http://app; }', '    }', '}') } },
    { name: 'a catch-all static server with a long expiry', files: { 'nginx.conf': wrap('expires 7d;', 'location / { try_files $uri $uri/ =404; }') } },
    { name: 'a location for pages, not assets', files: { 'nginx.conf': wrap('location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; }', 'location ~* \\.(css|js)$ { expires max; }') } },
    { name: 'suppressed', files: { 'nginx.conf': wrap('# perf-audit-disable-next-line nginx-static-cache-missing', 'location ~* \\.(css|js)$ { }') } },
  ],
  invalid: [
    {
      name: 'extension location without caching: expires 7d inserted',
      files: { 'nginx.conf': wrap('location ~* \\.(?:css|js|woff2)$ {', '    access_log off;', '}') },
      errors: [{
        file: 'nginx.conf', line: 4, column: 9, endColumn: 40, message: /serves static assets \(css, js, woff2\) with no Cache-Control or Expires header/, data: { state: 'missing', hashed: false },
        fixOutput: { 'nginx.conf': wrap('location ~* \\.(?:css|js|woff2)$ {', '    expires 7d;', '    access_log off;', '}') },
      }],
    },
    {
      name: 'a short expires is replaced',
      files: { 'nginx.conf': wrap('location ~* \\.(css|js)$ { expires 1h; }') },
      errors: [{ file: 'nginx.conf', line: 4, column: 9, message: /max-age of only 1 hour/, data: { state: 'short', maxAge: 3600 }, fixOutput: { 'nginx.conf': wrap('location ~* \\.(css|js)$ { expires 7d; }') } }],
    },
    {
      name: 'assets under /assets/ without caching: days, or (second fix) a year + immutable repeating the server\'s add_header, since /assets/ names are not always hashed',
      files: { 'nginx.conf': conf('http {', '    server {', '        add_header X-Frame-Options DENY always;', '        location /assets/ {', '            root /srv/dist;', '        }', '    }', '}') },
      errors: [{
        file: 'nginx.conf', line: 4, column: 9, endColumn: 26, data: { state: 'missing', hashed: false, hashedGuess: true },
        message: /Cache them for days \("expires 7d;"\), or for a year with "immutable" if the build puts a content hash in their file names \(nothing in this config shows that it does\)/,
        fixTitle: /a year as immutable/,
        fixOutput: { 'nginx.conf': conf('http {', '    server {', '        add_header X-Frame-Options DENY always;', '        location /assets/ {', '            expires 1y;', '            add_header X-Frame-Options DENY always;', '            add_header Cache-Control "public, immutable";', '            root /srv/dist;', '        }', '    }', '}') },
      }],
    },
    {
      name: 'a framework folder whose names are always hashed (Next.js): a year + immutable',
      files: { 'nginx.conf': wrap('location /_next/static/ { root /srv/app/.next; }') },
      errors: [{ file: 'nginx.conf', line: 4, column: 9, data: { state: 'missing', hashed: true }, message: /Their file names are content-hashed/ }],
    },
    {
      name: 'hashed assets cached 30 days without immutable: info',
      files: { 'nginx.conf': wrap('location /_next/static/ { expires 30d; }') },
      errors: [{ file: 'nginx.conf', line: 4, column: 9, severity: 'info', data: { state: 'not-immutable' }, fixOutput: { 'nginx.conf': wrap('location /_next/static/ { add_header Cache-Control "public, immutable"; expires 1y; }') } }],
    },
    {
      name: 'a hash in the regex marks the assets as fingerprinted',
      files: { 'nginx.conf': wrap('location ~* "\\.[0-9a-f]{8}\\.(js|css)$" { expires 7d; }') },
      errors: [{ file: 'nginx.conf', line: 4, column: 9, severity: 'info', data: { hashed: true } }],
    },
    {
      name: 'caching disabled by an inherited Cache-Control: no-store',
      files: { 'nginx.conf': wrap('add_header Cache-Control no-store;', 'location ~* \\.(css|js)$ { }') },
      errors: [{ file: 'nginx.conf', line: 5, column: 9, data: { state: 'disabled' }, noFix: true }],
    },
    {
      name: 'a static server with no asset location: reported on location /, no fix',
      files: { 'sites-enabled/app': conf('server {', '    listen 80;', '    root /var/www/app;', '    location / {', '        try_files $uri /index.html;', '    }', '}') },
      errors: [{ file: 'sites-enabled/app', line: 4, column: 5, endColumn: 15, message: /serves the static files of \/var\/www\/app/, data: { state: 'catch-all' }, noFix: true }],
    },
  ],
});
