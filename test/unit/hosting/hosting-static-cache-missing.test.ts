import { configRuleTests } from '../apache/config-rule-tester.js';

const VITE = JSON.stringify({ name: 'web', devDependencies: { vite: '^5.4.0', '@vitejs/plugin-react': '^4.3.0' } });
const CRA = JSON.stringify({ dependencies: { react: '^18.3.0', 'react-scripts': '5.0.1' } });
const NEXT = JSON.stringify({ dependencies: { next: '15.0.0', react: '19.0.0' } });
const VUE_CLI = JSON.stringify({ devDependencies: { '@vue/cli-service': '~5.0.0' } });
const ANGULAR = JSON.stringify({ devDependencies: { '@angular/cli': '^18.0.0', '@angular/build': '^18.0.0' } });
const KIT = (adapter: string): string => JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', [adapter]: '^4.0.0', vite: '^5.0.0' } });
const IMM = 'public, max-age=31536000, immutable';

configRuleTests('hosting-static-cache-missing', {
  valid: [
    { name: 'vercel.json with an immutable rule for Vite\'s /assets/', files: { 'package.json': VITE, 'vercel.json': JSON.stringify({ headers: [{ source: '/assets/(.*)', headers: [{ key: 'Cache-Control', value: IMM }] }] }, null, 2) } },
    { name: 'vercel.json with a path-to-regexp named parameter', files: { 'package.json': VITE, 'vercel.json': JSON.stringify({ headers: [{ source: '/assets/:path*', headers: [{ key: 'cache-control', value: 'max-age=31536000' }] }] }) } },
    { name: 'Next.js on Vercel: /_next/static is immutable by default', files: { 'package.json': NEXT, 'vercel.json': '{\n  "cleanUrls": true\n}\n' } },
    { name: 'Next.js on Netlify: the runtime caches /_next/static', files: { 'package.json': NEXT, 'netlify.toml': '[build]\n  command = "next build"\n' } },
    { name: 'SvelteKit with adapter-cloudflare writes its own _headers rule', files: { 'package.json': KIT('@sveltejs/adapter-cloudflare'), 'static/_headers': '/*\n  X-Frame-Options: DENY\n', 'wrangler.toml': 'name = "app"\n' } },
    { name: 'netlify.toml judged with the _headers file in its tree', files: { 'package.json': VITE, 'netlify.toml': '[build]\n  publish = "dist"\n', 'public/_headers': `/assets/*\n  Cache-Control: ${IMM}\n` } },
    { name: 'netlify.toml inline headers array', files: { 'package.json': VITE, 'netlify.toml': `headers = [{ for = "/assets/*", values = { Cache-Control = "${IMM}" } }]\n` } },
    { name: 'firebase.json with an extglob for scripts and styles', files: { 'package.json': VITE, 'firebase.json': JSON.stringify({ hosting: { public: 'dist', headers: [{ source: '**/*.@(js|css)', headers: [{ key: 'Cache-Control', value: 'max-age=31536000' }] }] } }, null, 2) } },
    { name: 'firebase.json web frameworks integration ("source") configures caching itself', files: { 'package.json': VITE, 'firebase.json': '{ "hosting": { "source": "." } }' } },
    { name: 'legacy vercel.json routes with a cache header', files: { 'package.json': CRA, 'vercel.json': JSON.stringify({ routes: [{ src: '/static/(.*)', headers: { 'cache-control': IMM }, continue: true }, { handle: 'filesystem' }] }) } },
    { name: 'a too-short rule for a hashed folder is left to hosting-cache-too-short', files: { 'package.json': VITE, 'netlify.toml': '[[headers]]\n  for = "/assets/*"\n  [headers.values]\n    Cache-Control = "max-age=3600"\n' } },
    { name: 'unknown build tool, but scripts get a Cache-Control', files: { '_headers': '/*.js\n  Cache-Control: max-age=3600\n' } },
    { name: 'an API-only project (no output folder, no build tool) is not judged', files: { 'package.json': JSON.stringify({ dependencies: { express: '^4.21.0' } }), 'vercel.json': '{ "rewrites": [{ "source": "/(.*)", "destination": "/api" }] }', 'netlify.toml': '[functions]\n  directory = "netlify/functions"\n' } },
    { name: 'package.json above a monorepo app folder', files: { 'package.json': JSON.stringify({ workspaces: ['apps/*'] }), 'apps/web/package.json': VITE, 'apps/web/vercel.json': JSON.stringify({ headers: [{ source: '/assets/(.*)', headers: [{ key: 'Cache-Control', value: IMM }] }] }) } },
  ],
  invalid: [
    {
      name: 'X-Robots-Tag: noindex on every page (a preview deploy): info; noindex on one folder only: warning',
      files: {
        'package.json': VITE,
        'preview/package.json': VITE,
        'preview/netlify.toml': '[build]\n  publish = "dist-preview"\n\n[[headers]]\n  for = "/*"\n  [headers.values]\n    X-Frame-Options = "DENY"\n    X-Robots-Tag = "noindex"\n',
        'netlify.toml': '[build]\n  publish = "dist"\n\n[[headers]]\n  for = "/admin/*"\n  [headers.values]\n    X-Robots-Tag = "noindex"\n',
      },
      errors: [
        { file: 'netlify.toml', line: 4, column: 1, severity: 'warning' },
        { file: 'preview/netlify.toml', line: 4, column: 1, severity: 'info', message: /X-Robots-Tag: noindex on every page, so it looks like a preview or staging deploy/, data: { tool: 'Vite', folders: ['/assets/'], platform: 'netlify', state: 'missing', noindex: true } },
      ],
    },
    {
      name: 'Vite on Vercel, no headers: a "headers" entry for /assets/ is added',
      files: { 'package.json': VITE, 'vercel.json': '{\n  "outputDirectory": "dist",\n  "cleanUrls": true\n}\n' },
      errors: [{
        file: 'vercel.json', line: 2, column: 3, endColumn: 20, severity: 'warning',
        message: /^Vite fingerprints the files under \/assets\/\*, but vercel\.json gives them no long-lived Cache-Control: Vercel serves static files with "public, max-age=0, must-revalidate"/,
        data: { tool: 'Vite', folders: ['/assets/'], platform: 'vercel' },
        fixOutput: { 'vercel.json': '{\n  "outputDirectory": "dist",\n  "cleanUrls": true,\n  "headers": [\n    {\n      "source": "/assets/(.*)",\n      "headers": [\n        {\n          "key": "Cache-Control",\n          "value": "public, max-age=31536000, immutable"\n        }\n      ]\n    }\n  ]\n}\n' },
      }],
    },
    {
      name: 'Create React App on Vercel with a catch-all no-cache rule: appended after it (the preset only sets s-maxage)',
      files: { 'package.json': CRA, 'vercel.json': '{\n    "headers": [\n        { "source": "/(.*)", "headers": [{ "key": "Cache-Control", "value": "no-cache" }] }\n    ]\n}' },
      errors: [{
        line: 2, column: 5, endColumn: 14, message: /^Create React App fingerprints the files under \/static\/\*/,
        fixOutput: { 'vercel.json': '{\n    "headers": [\n        { "source": "/(.*)", "headers": [{ "key": "Cache-Control", "value": "no-cache" }] },\n        {\n            "source": "/static/(.*)",\n            "headers": [\n                {\n                    "key": "Cache-Control",\n                    "value": "public, max-age=31536000, immutable"\n                }\n            ]\n        }\n    ]\n}' },
      }],
    },
    {
      name: 'legacy "routes": a route with continue: true is inserted first',
      files: { 'package.json': CRA, 'vercel.json': '{\n  "routes": [\n    { "handle": "filesystem" },\n    { "src": "/(.*)", "dest": "/index.html" }\n  ]\n}\n' },
      errors: [{
        line: 2, column: 3, endColumn: 11,
        fixOutput: { 'vercel.json': '{\n  "routes": [\n    {\n      "src": "^/static/(.*)$",\n      "headers": {\n        "cache-control": "public, max-age=31536000, immutable"\n      },\n      "continue": true\n    },\n    { "handle": "filesystem" },\n    { "src": "/(.*)", "dest": "/index.html" }\n  ]\n}\n' },
      }],
    },
    {
      name: 'Vite on Netlify: a [[headers]] table is appended to netlify.toml',
      files: { 'package.json': VITE, 'netlify.toml': '[build]\n  command = "npm run build"\n  publish = "dist"\n' },
      errors: [{
        file: 'netlify.toml', line: 1, column: 1, endColumn: 8, message: /Netlify serves static files with "public, max-age=0, must-revalidate"/, data: { platform: 'netlify' },
        fixOutput: { 'netlify.toml': '[build]\n  command = "npm run build"\n  publish = "dist"\n\n[[headers]]\n  for = "/assets/*"\n  [headers.values]\n    Cache-Control = "public, max-age=31536000, immutable"\n' },
      }],
    },
    {
      name: 'Vue CLI on Netlify: /js/ and /css/',
      files: { 'package.json': VUE_CLI, 'netlify.toml': '[[headers]]\n  for = "/*"\n  [headers.values]\n    X-Frame-Options = "DENY"' },
      errors: [{
        line: 1, column: 1, endColumn: 12, message: /Vue CLI fingerprints the files under \/js\/\* and \/css\/\*/,
        fixOutput: { 'netlify.toml': '[[headers]]\n  for = "/*"\n  [headers.values]\n    X-Frame-Options = "DENY"\n\n[[headers]]\n  for = "/js/*"\n  [headers.values]\n    Cache-Control = "public, max-age=31536000, immutable"\n\n[[headers]]\n  for = "/css/*"\n  [headers.values]\n    Cache-Control = "public, max-age=31536000, immutable"\n' },
      }],
    },
    {
      name: 'Create React App with a _headers file (Netlify or Cloudflare Pages)',
      files: { 'package.json': CRA, 'public/_headers': '/*\n    X-Frame-Options: DENY\n' },
      errors: [{
        file: 'public/_headers', line: 1, column: 1, endColumn: 3, message: /Netlify and Cloudflare Pages serve static files/, data: { platform: 'netlify-or-cloudflare' },
        fixOutput: { 'public/_headers': '/*\n    X-Frame-Options: DENY\n\n/static/*\n    Cache-Control: public, max-age=31536000, immutable\n' },
      }],
    },
    {
      name: 'a _headers file with a wrangler config is Cloudflare Pages; SvelteKit with adapter-static is not handled',
      files: { 'package.json': KIT('@sveltejs/adapter-static'), 'wrangler.toml': 'name = "site"\n', 'static/_headers': '' },
      errors: [{ line: 1, column: 1, endColumn: 1, message: /^SvelteKit fingerprints the files under \/_app\/immutable\/\*.*Cloudflare Pages serves/, fixOutput: { 'static/_headers': '/_app/immutable/*\n  Cache-Control: public, max-age=31536000, immutable\n' } }],
    },
    {
      name: 'Firebase: a short max-age for **/*.@(js|css) is "too short", not "missing"',
      files: { 'package.json': VITE, 'firebase.json': '{\n  "hosting": {\n    "public": "dist",\n    "headers": [{ "source": "**/*.@(js|css)", "headers": [{ "key": "Cache-Control", "value": "max-age=600" }] }]\n  }\n}\n' },
      errors: [{
        line: 4, column: 5, endColumn: 14, data: { platform: 'firebase', state: 'too-short' },
        message: /^Vite fingerprints the files under \/assets\/\*, but firebase\.json gives them a browser lifetime of only 10 minutes \(max-age=600\), from the rule for "\*\*\/\*\.@\(js\|css\)" \(Cache-Control: max-age=600\): too short/,
        fixOutput: { 'firebase.json': '{\n  "hosting": {\n    "public": "dist",\n    "headers": [{ "source": "**/*.@(js|css)", "headers": [{ "key": "Cache-Control", "value": "max-age=600" }] },\n      {\n        "source": "/assets/**",\n        "headers": [\n          {\n            "key": "Cache-Control",\n            "value": "public, max-age=31536000, immutable"\n          }\n        ]\n      }]\n  }\n}\n' },
      }],
    },
    {
      name: 'Vercel: the same short rule by extension gets the same "too short" message',
      files: { 'package.json': VITE, 'vercel.json': '{ "headers": [{ "source": "/(.*)\\\\.(js|css)", "headers": [{ "key": "Cache-Control", "value": "no-cache" }] }] }\n' },
      errors: [{ line: 1, column: 3, data: { platform: 'vercel', state: 'too-short' }, message: /gives them no browser caching, from the rule for "\/\(\.\*\)\\\.\(js\|css\)" \(Cache-Control: no-cache\): too short/ }],
    },
    {
      name: 'Vite on Firebase: a hosting.headers entry is added',
      files: { 'package.json': VITE, 'firebase.json': '{\n  "hosting": {\n    "public": "dist",\n    "ignore": ["firebase.json"]\n  }\n}\n' },
      errors: [{
        line: 3, column: 5, endColumn: 13, message: /Firebase Hosting gives static files a one-hour browser cache/, data: { platform: 'firebase', state: 'missing' },
        fixOutput: { 'firebase.json': '{\n  "hosting": {\n    "public": "dist",\n    "ignore": ["firebase.json"],\n    "headers": [\n      {\n        "source": "/assets/**",\n        "headers": [\n          {\n            "key": "Cache-Control",\n            "value": "public, max-age=31536000, immutable"\n          }\n        ]\n      }\n    ]\n  }\n}\n' },
      }],
    },
    {
      name: 'firebase.json with several sites: each is judged',
      files: { 'package.json': VITE, 'firebase.json': '{\n  "hosting": [\n    { "target": "app", "public": "dist", "headers": [{ "source": "/assets/**", "headers": [{ "key": "Cache-Control", "value": "max-age=31536000" }] }] },\n    { "target": "admin", "public": "admin/dist" }\n  ]\n}\n' },
      errors: [{ line: 4, column: 26, endColumn: 34, message: /firebase\.json \(site "admin"\)/, fixOutput: { 'firebase.json': '{\n  "hosting": [\n    { "target": "app", "public": "dist", "headers": [{ "source": "/assets/**", "headers": [{ "key": "Cache-Control", "value": "max-age=31536000" }] }] },\n    { "target": "admin", "public": "admin/dist",\n      "headers": [\n        {\n          "source": "/assets/**",\n          "headers": [\n            {\n              "key": "Cache-Control",\n              "value": "public, max-age=31536000, immutable"\n            }\n          ]\n        }\n      ] }\n  ]\n}\n' } }],
    },
    {
      name: 'Angular: fingerprinted bundles at the root, no safe folder rule (no fix)',
      files: { 'package.json': ANGULAR, 'vercel.json': '{ "framework": "angular" }' },
      errors: [{ line: 1, column: 3, endColumn: 14, message: /^Angular fingerprints its bundles \(e\.g\. \/main-4F3A2B1C\.js\)/, noFix: true }],
    },
    {
      name: 'vercel.json "framework" is used when there is no package.json',
      files: { 'vercel.json': '{ "framework": "vite" }' },
      errors: [{ line: 1, column: 3, endColumn: 14, message: /^Vite fingerprints/ }],
    },
    {
      name: 'netlify.toml build.base points at the app folder',
      files: { 'netlify.toml': '[build]\n  base = "frontend"\n  publish = "dist"\n', 'frontend/package.json': VITE },
      errors: [{ line: 1, column: 1, endColumn: 8, message: /^Vite fingerprints/ }],
    },
    {
      name: 'unknown build tool and no Cache-Control for scripts: an info note without a fix',
      files: { 'netlify.toml': '[build]\n  publish = "public"\n' },
      errors: [{ line: 1, column: 1, endColumn: 8, severity: 'info', message: /^netlify\.toml sets no Cache-Control for scripts and stylesheets: Netlify serves static files/, noFix: true }],
    },
  ],
});
