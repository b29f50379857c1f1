import { configRuleTests } from './config-rule-tester.js';

const BLOCK = [
  '# Browser caching for static files (Perf Auditor: apache-expires-missing)',
  '<IfModule mod_expires.c>',
  '  ExpiresActive On',
  '  ExpiresByType text/css "access plus 1 week"',
  '  ExpiresByType text/javascript "access plus 1 week"',
  '  ExpiresByType application/javascript "access plus 1 week"',
  '  ExpiresByType image/svg+xml "access plus 1 month"',
  '  ExpiresByType image/png "access plus 1 month"',
  '  ExpiresByType image/jpeg "access plus 1 month"',
  '  ExpiresByType image/gif "access plus 1 month"',
  '  ExpiresByType image/webp "access plus 1 month"',
  '  ExpiresByType image/avif "access plus 1 month"',
  '  ExpiresByType font/woff2 "access plus 1 month"',
  '</IfModule>',
  '<IfModule mod_headers.c>',
  '  # Fingerprinted files (app.3f9a2c1b.js, index-B4x9Qk2a.css) never change: cache them for a year.',
  '  <FilesMatch "[.-](?=[A-Za-z0-9_]*[0-9])[A-Za-z0-9_]{8,}\\.(css|js|mjs|woff2?|svg|png|jpe?g|gif|webp|avif)$">',
  '    Header set Cache-Control "public, max-age=31536000, immutable"',
  '  </FilesMatch>',
  '</IfModule>',
  '',
].join('\n');

/** The block with another indentation unit. */
function indented(unit: string): string {
  return BLOCK.replace(/^((?: {2})+)/gm, (m) => unit.repeat(m.length / 2));
}

configRuleTests('apache-expires-missing', {
  valid: [
    { name: 'a short ExpiresDefault is overridden by a week for CSS and JS by type', files: { '.htaccess': 'ExpiresActive On\nExpiresDefault "access plus 1 hour"\nExpiresByType text/css "access plus 1 month"\n' } },
    { name: 'a short ExpiresByType overridden by a long Cache-Control header', files: { '.htaccess': 'ExpiresActive On\nExpiresByType text/css "access plus 1 hour"\nHeader set Cache-Control "public, max-age=31536000"\n' } },
    { name: 'a short lifetime for HTML is fine', files: { '.htaccess': 'ExpiresActive On\nExpiresByType text/html "access plus 0 seconds"\nExpiresByType text/css "access plus 1 week"\n' } },
    { name: 'mod_expires with ExpiresByType for CSS', files: { '.htaccess': '<IfModule mod_expires.c>\n  ExpiresActive on\n  ExpiresByType text/css "access plus 1 year"\n</IfModule>\n' } },
    { name: 'ExpiresByType with the A<seconds> syntax', files: { '.htaccess': 'ExpiresActive On\nExpiresByType application/javascript A2592000\n' } },
    { name: 'ExpiresDefault', files: { '.htaccess': 'ExpiresActive On\nExpiresDefault "access plus 1 month"\n' } },
    { name: 'Header set Cache-Control for static files in FilesMatch', files: { '.htaccess': '<FilesMatch "\\.(css|js|png|svg)$">\n  Header set Cache-Control "max-age=604800, public"\n</FilesMatch>\n' } },
    { name: 'Header always set Cache-Control in a LocationMatch of a virtual host', files: { 'httpd.conf': '<VirtualHost *:443>\n  <LocationMatch "^/assets/">\n    Header always set Cache-Control "public, max-age=31536000, immutable"\n  </LocationMatch>\n</VirtualHost>\n' } },
    { name: 'ExpiresActive in apache2.conf and ExpiresByType in a vhost file: judged together', files: { 'apache2/apache2.conf': 'ExpiresActive On\n', 'apache2/sites-enabled/000-default.conf': '<VirtualHost *:80>\n  ExpiresByType image/png "access plus 1 month"\n</VirtualHost>\n' } },
    { name: 'a protective .htaccess is not judged', files: { 'vendor-data/.htaccess': 'Require all denied\n' } },
  ],
  invalid: [
    {
      name: 'a 10-minute ExpiresByType for CSS and JavaScript (nginx flags under 7 days too)',
      files: { '.htaccess': '<IfModule mod_expires.c>\n  ExpiresActive On\n  ExpiresByType text/css "access plus 10 minutes"\n  ExpiresByType application/javascript A600\n  ExpiresByType image/png "access plus 1 month"\n</IfModule>\n' },
      errors: [
        {
          file: '.htaccess', line: 3, column: 3, endColumn: 50, severity: 'warning', message: /^ExpiresByType text\/css gives static files a browser lifetime of only 10 minutes/, data: { reason: 'too-short', seconds: 600 },
          fixOutput: { '.htaccess': '<IfModule mod_expires.c>\n  ExpiresActive On\n  ExpiresByType text/css "access plus 1 week"\n  ExpiresByType application/javascript A600\n  ExpiresByType image/png "access plus 1 month"\n</IfModule>\n' },
        },
        { file: '.htaccess', line: 4, column: 3, message: /^ExpiresByType application\/javascript gives static files a browser lifetime of only 10 minutes/, fixOutput: { '.htaccess': '<IfModule mod_expires.c>\n  ExpiresActive On\n  ExpiresByType text/css "access plus 10 minutes"\n  ExpiresByType application/javascript A604800\n  ExpiresByType image/png "access plus 1 month"\n</IfModule>\n' } },
      ],
    },
    {
      name: 'a one-hour Cache-Control header for static files',
      files: { '.htaccess': '<FilesMatch "\\.(css|js)$">\n  Header set Cache-Control "public, max-age=3600"\n</FilesMatch>\n' },
      errors: [{ file: '.htaccess', line: 2, column: 3, message: /^This Cache-Control header gives static files a browser lifetime of only 1 hour/, fixOutput: { '.htaccess': '<FilesMatch "\\.(css|js)$">\n  Header set Cache-Control "public, max-age=604800"\n</FilesMatch>\n' } }],
    },
    {
      name: 'a one-day ExpiresDefault with no ExpiresByType',
      files: { '.htaccess': 'ExpiresActive On\nExpiresDefault "access plus 1 day"\n' },
      errors: [{ file: '.htaccess', line: 2, column: 1, data: { reason: 'too-short', seconds: 86400 }, fixOutput: { '.htaccess': 'ExpiresActive On\nExpiresDefault "access plus 1 week"\n' } }],
    },
    {
      name: 'a Laravel public/.htaccess with only rewrites: mod_expires block and 1-year immutable for fingerprinted files',
      files: { 'public/.htaccess': '<IfModule mod_rewrite.c>\n    RewriteEngine On\n    RewriteRule ^ index.php [L]\n</IfModule>\n' },
      errors: [{
        line: 1, column: 1, endColumn: 25, severity: 'warning', message: /No browser caching for static files in this Apache config/, data: { reason: 'missing' },
        fixOutput: { 'public/.htaccess': '<IfModule mod_rewrite.c>\n    RewriteEngine On\n    RewriteRule ^ index.php [L]\n</IfModule>\n\n' + indented('    ') },
      }],
    },
    {
      name: 'ExpiresByType without ExpiresActive On does nothing: ExpiresActive On is inserted above it',
      files: { '.htaccess': '<IfModule mod_expires.c>\n  ExpiresByType text/css "access plus 1 year"\n  ExpiresByType application/javascript "access plus 1 year"\n</IfModule>\n' },
      errors: [{
        line: 2, column: 3, endColumn: 46, message: /ExpiresByType has no effect without "ExpiresActive On"/, data: { reason: 'expires-inactive' },
        fixOutput: { '.htaccess': '<IfModule mod_expires.c>\n  ExpiresActive On\n  ExpiresByType text/css "access plus 1 year"\n  ExpiresByType application/javascript "access plus 1 year"\n</IfModule>\n' },
      }],
    },
    {
      name: 'ExpiresActive Off: turned on',
      files: { '.htaccess': 'ExpiresActive Off\nExpiresByType text/css "access plus 1 year"\n' },
      errors: [{ line: 1, column: 1, endColumn: 18, message: /ExpiresActive Off disables/, fixOutput: { '.htaccess': 'ExpiresActive On\nExpiresByType text/css "access plus 1 year"\n' } }],
    },
    {
      name: 'Cache-Control only for HTML, and no-cache for everything, is not static caching',
      files: { '.htaccess': '<FilesMatch "\\.(html|php)$">\n  Header set Cache-Control "max-age=600"\n</FilesMatch>\nHeader set Cache-Control "no-cache"\n' },
      errors: [{ line: 1, column: 1, endColumn: 29 }],
    },
    {
      name: 'ExpiresByType with a zero lifetime is not caching',
      files: { '.htaccess': 'ExpiresActive On\nExpiresByType text/css "access plus 0 seconds"\n' },
      errors: [{ line: 1, column: 1, endColumn: 17, data: { reason: 'missing' } }],
    },
  ],
});
