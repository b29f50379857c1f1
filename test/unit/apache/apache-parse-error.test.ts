import { configRuleTests } from './config-rule-tester.js';

configRuleTests('apache-parse-error', {
  valid: [
    { name: 'nested sections, quotes, continuations and comments', files: { 'httpd.conf': '# main\n<VirtualHost *:80>\n  ServerName "example.com"\n  <Directory "/var/www/html">\n    Options Indexes \\\n            FollowSymLinks\n    AllowOverride All\n  </Directory>\n  <IfModule mod_headers.c>\n    Header set X-Frame-Options "DENY"\n  </IfModule>\n</VirtualHost>\n' } },
    { name: 'section names are case-insensitive', files: { '.htaccess': '<ifmodule mod_rewrite.c>\nRewriteEngine on\n</IfModule>\n' } },
    { name: 'unknown directives inside <IfModule> are not reported (the module may be absent)', files: { '.htaccess': '<IfModule mod_pagespeed_custom.c>\n  FancyCustomDirective on\n</IfModule>\n' } },
    { name: 'third-party module directives (mod_php, ModSecurity)', files: { '.htaccess': 'php_value upload_max_filesize 64M\nSecRuleEngine On\n' } },
    { name: 'a comment line ending in a backslash', files: { '.htaccess': '# see C:\\\nRewriteEngine On\n' } },
  ],
  invalid: [
    {
      name: 'a section never closed',
      files: { '.htaccess': '<IfModule mod_deflate.c>\n  AddOutputFilterByType DEFLATE text/css\n' },
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 25, severity: 'warning', message: /<IfModule mod_deflate\.c> is never closed: add <\/IfModule>/, data: { kind: 'unclosed-section' } }],
    },
    {
      name: 'a closing tag with no opening tag',
      files: { '.htaccess': 'RewriteEngine On\n</IfModule>\n' },
      errors: [{ line: 2, column: 1, endColumn: 12, message: /<\/IfModule> closes a section that was never opened/, data: { kind: 'unmatched-close' } }],
    },
    {
      name: 'sections closed in the wrong order',
      files: { 'httpd.conf': '<VirtualHost *:80>\n  <Directory /var/www>\n</VirtualHost>\n' },
      errors: [{ line: 3, column: 1, endColumn: 15, message: /Expected <\/Directory> \(to close <Directory> on line 2\), but found <\/VirtualHost>/, data: { kind: 'mismatched-close' } }],
    },
    {
      name: 'nginx syntax pasted into an .htaccess',
      files: { '.htaccess': 'gzip on;\nlocation /assets/ {\n  expires 1y;\n}\n' },
      errors: [
        { line: 1, column: 1, endColumn: 5, severity: 'warning', message: /"gzip" is not an Apache directive: this line looks like nginx syntax/, data: { kind: 'nginx-syntax', directive: 'gzip' } },
        { line: 2, column: 1, endColumn: 20, message: /uses braces, which Apache does not understand/ },
        { line: 3, column: 3, endColumn: 10, data: { kind: 'nginx-syntax', directive: 'expires' } },
        { line: 4, column: 1, endColumn: 2, message: /uses braces/ },
      ],
    },
    {
      name: 'an unknown directive at the top level (info)',
      files: { '.htaccess': 'RewriteEngine On\nCompressStatic on\n' },
      errors: [{ line: 2, column: 1, endColumn: 15, severity: 'info', message: /Unknown directive "CompressStatic": .* every request to this folder fails with 500 Internal Server Error/ }],
    },
    {
      name: 'Apache 2.2 directives removed in 2.4',
      files: { 'apache2/apache2.conf': 'LockFile ${APACHE_LOCK_DIR}/accept.lock\n' },
      errors: [{ line: 1, column: 1, endColumn: 9, severity: 'info', message: /Apache refuses to start/ }],
    },
    {
      name: 'an unterminated quote and a section tag without ">"',
      files: { '.htaccess': 'Header set X-Test "abc\n<FilesMatch "\\.css$"\n</FilesMatch>\n' },
      errors: [
        { line: 1, column: 19, endColumn: 23, message: /has no closing quote/, data: { kind: 'unterminated-quote' } },
        { line: 2, column: 1, endColumn: 21, message: /<FilesMatch> is missing its closing ">"/, data: { kind: 'bad-section-tag' } },
      ],
    },
    {
      name: 'a continuation at the end of the file',
      files: { '.htaccess': 'Options -Indexes \\\n' },
      errors: [{ line: 1, column: 18, endColumn: 19, data: { kind: 'continuation-at-eof' } }],
    },
  ],
});
