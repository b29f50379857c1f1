/** Realistic Apache and hosting config folders under test/fixtures: the findings each produces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runRules } from './config-rule-tester.js';

const ROOT = join(__dirname, '..', '..', 'fixtures');

function load(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const EXPECTED: Record<string, string[]> = {
  'apache/wordpress': ['.htaccess:4 apache-compression-missing', '.htaccess:4 apache-expires-missing'],
  'apache/h5bp': [],
  'apache/debian': ['apache2.conf:2 apache-expires-missing', 'mods-enabled/deflate.conf:6 apache-compression-missing'],
  'apache/broken': ['.htaccess:2 apache-parse-error', '.htaccess:4 apache-parse-error'],
  'apache/nginx-in-sites-enabled': [],
  'apache/partial': ['.htaccess:2 apache-compression-missing', '.htaccess:5 apache-expires-missing'],
  'hosting/vite-vercel': ['vercel.json:5 hosting-static-cache-missing'],
  'hosting/cra-netlify': ['netlify.toml:13 hosting-cache-too-short'],
  'hosting/next-vercel': ['vercel.json:5 hosting-cache-too-short'],
  'hosting/vite-firebase': [],
  'hosting/sveltekit-pages': ['static/_headers:1 hosting-static-cache-missing'],
  'hosting/hugo-netlify': ['netlify.toml:1 hosting-static-cache-missing'],
  'hosting/broken': ['netlify.toml:2 hosting-config-invalid', 'vercel.json:4 hosting-config-invalid'],
};

for (const [dir, expected] of Object.entries(EXPECTED)) {
  test(`fixtures/${dir}`, async () => {
    const found = await runRules(load(join(ROOT, dir)));
    assert.deepEqual(found.map((f) => `${f.file}:${f.range.start.line + 1} ${f.ruleId}`), expected, found.map((f) => f.message).join('\n'));
  });
}
