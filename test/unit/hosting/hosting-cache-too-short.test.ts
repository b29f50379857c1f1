import { configRuleTests } from '../apache/config-rule-tester.js';

const VITE = JSON.stringify({ devDependencies: { vite: '^5.4.0' } });
const ANGULAR = JSON.stringify({ devDependencies: { '@angular/cli': '^18.0.0' } });
const CRA = JSON.stringify({ dependencies: { 'react-scripts': '5.0.1' } });
const IMM = 'public, max-age=31536000, immutable';

configRuleTests('hosting-cache-too-short', {
  valid: [
    { name: 'a year for Vite\'s /assets/', files: { 'package.json': VITE, 'netlify.toml': `[[headers]]\n  for = "/assets/*"\n  [headers.values]\n    Cache-Control = "${IMM}"\n` } },
    { name: 'a short lifetime for HTML or everything is not about fingerprinted files', files: { 'package.json': VITE, '_headers': '/*\n  Cache-Control: public, max-age=0, must-revalidate\n/index.html\n  Cache-Control: no-cache\n' } },
    { name: 'Angular copies /assets/ unhashed: a short lifetime there is fine', files: { 'package.json': ANGULAR, 'vercel.json': JSON.stringify({ headers: [{ source: '/assets/(.*)', headers: [{ key: 'Cache-Control', value: 'max-age=3600' }] }] }) } },
    { name: 'exactly one day', files: { 'vercel.json': JSON.stringify({ headers: [{ source: '/_next/static/(.*)', headers: [{ key: 'Cache-Control', value: 'public, max-age=86400' }] }] }) } },
  ],
  invalid: [
    {
      name: 'Next.js /_next/static/ with max-age=0 in vercel.json (JSON string replaced)',
      files: { 'vercel.json': '{\n  "headers": [\n    {\n      "source": "/_next/static/(.*)",\n      "headers": [{ "key": "Cache-Control", "value": "public, max-age=0, must-revalidate" }]\n    }\n  ]\n}\n' },
      errors: [{
        line: 5, column: 54, endColumn: 90, severity: 'info',
        message: /^Files under \/_next\/static\/ are fingerprinted, but this rule gives them no browser caching \("public, max-age=0, must-revalidate"\)/,
        data: { folder: '/_next/static/', maxAge: 0 },
        fixOutput: { 'vercel.json': '{\n  "headers": [\n    {\n      "source": "/_next/static/(.*)",\n      "headers": [{ "key": "Cache-Control", "value": "public, max-age=31536000, immutable" }]\n    }\n  ]\n}\n' },
      }],
    },
    {
      name: 'Vite /assets/ for an hour in netlify.toml (TOML string replaced)',
      files: { 'package.json': VITE, 'netlify.toml': '[[headers]]\n  for = "/assets/*"\n  [headers.values]\n    Cache-Control = \'max-age=3600\'\n' },
      errors: [{
        line: 4, column: 21, endColumn: 35, message: /fingerprinted by Vite, but this rule gives them a browser lifetime of only 1 hour \(max-age=3600\)/, data: { maxAge: 3600 },
        fixOutput: { 'netlify.toml': '[[headers]]\n  for = "/assets/*"\n  [headers.values]\n    Cache-Control = "public, max-age=31536000, immutable"\n' },
      }],
    },
    {
      name: '_headers no-cache on /_app/immutable/* (raw value replaced)',
      files: { '_headers': '/_app/immutable/*\n  Cache-Control: no-cache\n  X-Robots-Tag: noindex\n' },
      errors: [{ line: 2, column: 18, endColumn: 26, fixOutput: { '_headers': '/_app/immutable/*\n  Cache-Control: public, max-age=31536000, immutable\n  X-Robots-Tag: noindex\n' } }],
    },
    {
      name: 'the Create React App preset copied into routes sets only s-maxage: no browser lifetime',
      files: { 'package.json': CRA, 'vercel.json': '{ "routes": [{ "src": "/static/(.*)", "headers": { "cache-control": "s-maxage=31536000, immutable" }, "continue": true }] }' },
      errors: [{ line: 1, column: 69, endColumn: 99, message: /gives them no browser lifetime \(no max-age\)/, data: { maxAge: null } }],
    },
    {
      name: 'firebase.json glob for /_nuxt/** with 10 minutes',
      files: { 'firebase.json': '{ "hosting": { "headers": [{ "source": "/_nuxt/**", "headers": [{ "key": "cache-control", "value": "max-age=600" }] }] } }' },
      errors: [{ line: 1, column: 100, endColumn: 113, message: /only 10 minutes/ }],
    },
    {
      name: 'a value that cannot be located exactly (inline TOML on several lines) is reported without a fix',
      files: { 'package.json': VITE, 'netlify.toml': 'headers = [\n  { for = "/assets/*", values = { "Cache-Control" = "max-age=60" } },\n]\n' },
      errors: [{ line: 1, column: 1, endColumn: 12, noFix: true }],
    },
  ],
});
