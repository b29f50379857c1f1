import { configRuleTests } from './config-rule-tester.js';

const WP = '# BEGIN WordPress\n<IfModule mod_rewrite.c>\nRewriteEngine On\nRewriteRule ^index\\.php$ - [L]\n</IfModule>\n# END WordPress\n';
const BLOCK = '# Compress text responses (Perf Auditor: apache-compression-missing)\n<IfModule mod_deflate.c>\n  <IfModule mod_filter.c>\n    AddOutputFilterByType DEFLATE text/html text/plain text/css text/javascript application/javascript application/json image/svg+xml\n  </IfModule>\n</IfModule>\n';

configRuleTests('apache-compression-missing', {
  valid: [
    {
      name: 'h5bp-style AddOutputFilterByType with continuation lines',
      files: { 'public/.htaccess': '<IfModule mod_deflate.c>\n  <IfModule mod_filter.c>\n    AddOutputFilterByType DEFLATE "text/css" \\\n                                  "text/javascript" \\\n                                  "application/json" \\\n                                  "image/svg+xml"\n  </IfModule>\n</IfModule>\n' },
    },
    { name: 'SetOutputFilter DEFLATE compresses everything', files: { '.htaccess': 'SetOutputFilter DEFLATE\n' } },
    { name: 'brotli and deflate together', files: { '.htaccess': 'AddOutputFilterByType BROTLI_COMPRESS;DEFLATE text/css application/javascript application/json image/svg+xml\n' } },
    { name: 'AddOutputFilter by extension', files: { '.htaccess': 'AddOutputFilter DEFLATE css js json svg\n' } },
    { name: 'mod_filter FilterProvider chain', files: { 'httpd.conf': 'FilterDeclare COMPRESS\nFilterProvider COMPRESS DEFLATE "%{CONTENT_TYPE} =~ m#^(text/|application/(javascript|json)|image/svg)#"\nFilterChain COMPRESS\n' } },
    { name: 'precompressed files served by RewriteRule', files: { '.htaccess': 'RewriteCond %{HTTP:Accept-Encoding} gzip\nRewriteCond %{REQUEST_FILENAME}.gz -f\nRewriteRule ^(.+)\\.(js|css)$ $1.$2.gz [L]\n' } },
    {
      name: 'server configs are judged together: compression in mods-enabled/deflate.conf counts for apache2.conf',
      files: {
        'etc/apache2/apache2.conf': 'ServerRoot "/etc/apache2"\nIncludeOptional mods-enabled/*.conf\n',
        'etc/apache2/mods-enabled/deflate.conf': '<IfModule mod_filter.c>\n\tAddOutputFilterByType DEFLATE text/css text/javascript application/json image/svg+xml\n</IfModule>\n',
      },
    },
    {
      name: 'an .htaccess in a sub-folder inherits compression from the top-most one',
      files: { 'public/.htaccess': 'AddOutputFilterByType DEFLATE text/css application/javascript application/json image/svg+xml\n', 'public/uploads/.htaccess': 'Options -Indexes\n' },
    },
    { name: 'a protective .htaccess (deny all) is not judged', files: { 'storage/.htaccess': 'Require all denied\n', 'app/.htaccess': 'Order deny,allow\nDeny from all\n' } },
    {
      name: 'with a server config, .htaccess files are not judged on their own',
      files: { 'docker/apache/vhost.conf': '<VirtualHost *:80>\n  SetOutputFilter DEFLATE\n</VirtualHost>\n', 'public/.htaccess': 'RewriteEngine On\n' },
    },
    { name: 'a file Apache refuses is left to apache-parse-error', files: { '.htaccess': '<IfModule mod_rewrite.c>\nRewriteEngine On\n' } },
    { name: 'nginx content in sites-enabled is not an Apache config', files: { 'sites-enabled/default': 'server {\n  listen 80;\n  gzip on;\n}\n' } },
    { name: 'compression inside <IfModule !mod_deflate.c> does not count, but SetOutputFilter elsewhere does', files: { '.htaccess': '<IfModule !mod_deflate.c>\n  AddOutputFilterByType DEFLATE text/css\n</IfModule>\nSetOutputFilter DEFLATE\n' } },
  ],
  invalid: [
    {
      name: 'WordPress .htaccess without compression: block appended after the WordPress markers',
      files: { 'public/.htaccess': WP },
      errors: [{
        file: 'public/.htaccess', line: 2, column: 1, endLine: 2, endColumn: 25, severity: 'warning', message: /No compression in this Apache config: CSS, JavaScript, JSON and SVG are sent uncompressed/,
        data: { missing: ['text/css', 'application/javascript', 'application/json', 'image/svg+xml'] },
        fixOutput: { 'public/.htaccess': `${WP}\n${BLOCK}` },
      }],
    },
    {
      name: 'a virtual host without compression: the finding is on <VirtualHost>, the block keeps the file\'s tab indentation',
      files: { 'apache/sites-available/app.conf': '<VirtualHost *:80>\n\tServerName example.com\n\t<Directory /var/www>\n\t\tAllowOverride None\n\t</Directory>\n</VirtualHost>' },
      errors: [{
        line: 1, column: 1, endLine: 1, endColumn: 19,
        fixOutput: { 'apache/sites-available/app.conf': '<VirtualHost *:80>\n\tServerName example.com\n\t<Directory /var/www>\n\t\tAllowOverride None\n\t</Directory>\n</VirtualHost>\n\n' + BLOCK.replace(/^ {4}/gm, '\t\t').replace(/^ {2}/gm, '\t') },
      }],
    },
    {
      name: 'Debian default deflate.conf misses JSON and SVG: the types are added to the last DEFLATE line',
      files: {
        'apache2/apache2.conf': '<Directory /var/www/>\n\tRequire all granted\n</Directory>\n',
        'apache2/mods-enabled/deflate.conf': '<IfModule mod_filter.c>\n\tAddOutputFilterByType DEFLATE text/html text/plain text/xml text/css text/javascript\n\tAddOutputFilterByType DEFLATE application/x-javascript application/javascript application/ecmascript\n\tAddOutputFilterByType DEFLATE application/xml\n</IfModule>\n',
      },
      errors: [{
        file: 'apache2/mods-enabled/deflate.conf', line: 4, column: 2, endLine: 4, endColumn: 47,
        message: /Compression is on, but not for application\/json, image\/svg\+xml/, data: { missing: ['application/json', 'image/svg+xml'] },
        fixOutput: { 'apache2/mods-enabled/deflate.conf': '<IfModule mod_filter.c>\n\tAddOutputFilterByType DEFLATE text/html text/plain text/xml text/css text/javascript\n\tAddOutputFilterByType DEFLATE application/x-javascript application/javascript application/ecmascript\n\tAddOutputFilterByType DEFLATE application/xml application/json image/svg+xml\n</IfModule>\n' },
      }],
    },
    {
      name: 'JavaScript missing: both of its names are added (Debian maps .js to text/javascript)',
      files: { '.htaccess': 'AddOutputFilterByType DEFLATE text/html text/css application/json image/svg+xml\r\n' },
      errors: [{ line: 1, column: 1, endColumn: 80, message: /not for application\/javascript/, fixOutput: { '.htaccess': 'AddOutputFilterByType DEFLATE text/html text/css application/json image/svg+xml text/javascript application/javascript\r\n' } }],
    },
    {
      name: 'each top-most .htaccess tree is judged on its own (no server config)',
      files: { 'site-a/.htaccess': 'SetOutputFilter DEFLATE\n', 'site-b/.htaccess': 'DirectoryIndex index.html\n', 'site-b/docs/.htaccess': 'Options -Indexes\n' },
      errors: [{ file: 'site-b/.htaccess', line: 1, column: 1, endColumn: 26 }],
    },
    {
      name: 'CRLF file without a final newline',
      files: { '.htaccess': 'Options -Indexes\r\nDirectoryIndex index.php' },
      errors: [{ line: 1, column: 1, fixOutput: { '.htaccess': `Options -Indexes\r\nDirectoryIndex index.php\r\n\r\n${BLOCK.replace(/\n/g, '\r\n')}` } }],
    },
    {
      name: 'compression inside <IfModule !mod_deflate.c> does not count',
      files: { '.htaccess': '<IfModule !mod_deflate.c>\n  AddOutputFilterByType DEFLATE text/css\n</IfModule>\n' },
      errors: [{ line: 1, column: 1, endColumn: 26, message: /No compression/ }],
    },
    {
      name: 'an empty .htaccess: the finding is at the start',
      files: { '.htaccess': '# nothing here\n' },
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 1, fixOutput: { '.htaccess': `# nothing here\n\n${BLOCK}` } }],
    },
  ],
});
