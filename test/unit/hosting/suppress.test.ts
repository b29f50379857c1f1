/** Suppression comments in the config formats these rules read (vercel.json cannot hold comments: rules are turned off in .perfauditrc.json). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../apache/config-rule-tester.js';

const VITE = JSON.stringify({ devDependencies: { vite: '5' } });

test('# comments in .htaccess', async () => {
  const found = await runRules({
    'a/.htaccess': '# perf-audit-disable-next-line apache-compression-missing\nRewriteEngine On\n',
    'b/.htaccess': '# perf-audit-disable-file apache-expires-missing, apache-compression-missing\nRewriteEngine On\n',
  });
  assert.deepEqual(found.map((f) => `${f.file} ${f.ruleId}`), ['a/.htaccess apache-expires-missing']);
});

test('# comments in netlify.toml and _headers, // in firebase.json', async () => {
  const found = await runRules({
    'package.json': VITE,
    'netlify.toml': '# perf-audit-disable-next-line hosting-static-cache-missing\n[build]\n  publish = "dist"\n',
    'cf/_headers': '# perf-audit-disable-file hosting-static-cache-missing\n/*\n  X-Frame-Options: DENY\n',
    'wrangler.toml': 'name = "x"\n',
    'firebase.json': '{\n  "hosting": {\n    // perf-audit-disable-next-line hosting-static-cache-missing\n    "public": "dist"\n  }\n}\n',
  });
  assert.deepEqual(found.map((f) => `${f.file} ${f.ruleId}`), []);
});

test('vercel.json: the rule is turned off in .perfauditrc.json', async () => {
  const files = { 'package.json': VITE, 'vercel.json': '{ "cleanUrls": true }' };
  assert.equal((await runRules(files)).length, 1);
  assert.equal((await runRules(files, undefined, (c) => { c.rules['hosting-static-cache-missing'] = 'off'; })).length, 0);
});
