/**
 * Evidence from a real Apache httpd (Debian's apache2, when installed): an .htaccess the rules flag
 * really serves uncompressed and uncached files, the quick fixes' blocks are valid Apache syntax that
 * turn on gzip and caching (a year for fingerprinted names), and files apache-parse-error reports make
 * Apache answer 500. Skipped when /usr/sbin/apache2 is not installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRules } from './config-rule-tester.js';
import { applyFix } from '../../helpers/rule-tester.js';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const available = existsSync(APACHE) && existsSync(join(MODULES, 'mod_deflate.so'));
const skip = available ? false : 'apache2 is not installed (apt-get install apache2)';

let dir = '';
let port = 0;
let server: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

function get(path: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { 'Accept-Encoding': 'gzip' }, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitUp(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await get('/index.html');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`apache did not start: ${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`);
}

function setHtaccess(text: string): void {
  writeFileSync(join(dir, 'www', '.htaccess'), text);
}

/** The .htaccess after applying the first fix of every finding of `ruleId`. */
async function fixed(text: string, ruleId: string): Promise<string> {
  const findings = await runRules({ '.htaccess': text }, ruleId);
  let files = { '.htaccess': text };
  for (const f of findings) if (f.fixes[0]) files = applyFix(files, f.fixes[0]) as typeof files;
  return files['.htaccess'];
}

before(async () => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), 'perf-audit-apache-'));
  port = await freePort();
  const www = join(dir, 'www');
  mkdirSync(www);
  const body = (line: string): string => line.repeat(200);
  writeFileSync(join(www, 'index.html'), `<!doctype html>${body('<p>hello</p>\n')}`);
  writeFileSync(join(www, 'style.css'), body('body { color: #333; margin: 0 auto; }\n'));
  writeFileSync(join(www, 'app.3f9a2c1b.js'), body('console.log("fingerprinted bundle");\n'));
  writeFileSync(join(www, 'data.json'), `[${body('{"id":1,"name":"x"},')}{}]`);
  writeFileSync(join(www, 'icon.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${body('<path d="M0 0h10v10H0z"/>')}</svg>`);
  const mods = ['mpm_event', 'authz_core', 'mime', 'dir', 'rewrite', 'filter', 'deflate', 'expires', 'headers'];
  writeFileSync(join(dir, 'httpd.conf'), [
    `ServerRoot "${dir}"`,
    `Listen 127.0.0.1:${port}`,
    'ServerName localhost',
    `PidFile "${join(dir, 'httpd.pid')}"`,
    `ErrorLog "${join(dir, 'error.log')}"`,
    `Mutex file:${dir} default`,
    ...mods.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`),
    'TypesConfig /etc/mime.types',
    `DocumentRoot "${www}"`,
    `<Directory "${www}">`,
    '  AllowOverride All',
    '  Require all granted',
    '</Directory>',
    '',
  ].join('\n'));
  setHtaccess('');
  server = spawn(APACHE, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], { stdio: 'ignore', env: { ...process.env, APACHE_RUN_DIR: dir } });
  await waitUp();
});

after(() => {
  if (server?.pid) {
    server.kill('SIGTERM');
    const t = setTimeout(() => server?.kill('SIGKILL'), 3000);
    t.unref();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const WORDPRESS = readFileSync(join(__dirname, '..', '..', 'fixtures', 'apache', 'wordpress', '.htaccess'), 'utf8');

test('a flagged .htaccess really serves files uncompressed and without a lifetime', { skip }, async () => {
  const findings = await runRules({ '.htaccess': WORDPRESS });
  assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['apache-compression-missing', 'apache-expires-missing']);
  setHtaccess(WORDPRESS);
  for (const p of ['/style.css', '/app.3f9a2c1b.js', '/data.json', '/icon.svg']) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-encoding'], undefined, p);
    assert.equal(r.headers['cache-control'], undefined, p);
  }
});

test('after both quick fixes: gzip for CSS, JS, JSON, SVG; a week for CSS, a year (immutable) for fingerprinted files; HTML untouched', { skip }, async () => {
  const text = await fixed(await fixed(WORDPRESS, 'apache-compression-missing'), 'apache-expires-missing');
  assert.deepEqual(await runRules({ '.htaccess': text }), []);
  setHtaccess(text);
  for (const p of ['/style.css', '/app.3f9a2c1b.js', '/data.json', '/icon.svg', '/index.html']) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-encoding'], 'gzip', p);
  }
  assert.equal((await get('/style.css')).headers['cache-control'], 'max-age=604800');
  assert.equal((await get('/icon.svg')).headers['cache-control'], 'max-age=2592000');
  assert.equal((await get('/app.3f9a2c1b.js')).headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal((await get('/index.html')).headers['cache-control'], undefined);
});

test('the partial-types fix makes JSON and SVG compressed', { skip }, async () => {
  const partial = '<IfModule mod_deflate.c>\n  AddOutputFilterByType DEFLATE text/html text/css text/javascript\n</IfModule>\n';
  setHtaccess(partial);
  assert.equal((await get('/data.json')).headers['content-encoding'], undefined);
  setHtaccess(await fixed(partial, 'apache-compression-missing'));
  assert.equal((await get('/data.json')).headers['content-encoding'], 'gzip');
  assert.equal((await get('/icon.svg')).headers['content-encoding'], 'gzip');
});

test('ExpiresByType without ExpiresActive On sends no lifetime until the fix adds it', { skip }, async () => {
  const inactive = '<IfModule mod_expires.c>\n  ExpiresByType text/css "access plus 1 year"\n</IfModule>\n';
  setHtaccess(inactive);
  assert.equal((await get('/style.css')).headers['cache-control'], undefined);
  setHtaccess(await fixed(inactive, 'apache-expires-missing'));
  assert.equal((await get('/style.css')).headers['cache-control'], 'max-age=31536000');
});

test('what apache-parse-error reports makes Apache answer 500; what it accepts does not', { skip }, async () => {
  const broken = [
    '<IfModule mod_deflate.c>\nAddOutputFilterByType DEFLATE text/css\n</IfModul>\n', 'gzip on;\n', 'location /assets/ {\n}\n', '</IfModule>\n',
    '<FilesMatch "\\.css$"\n</FilesMatch>\n', '<Files app.js>\n', '<IfModule mod_not_loaded.c>\n', 'CompressStatic on\n',
  ];
  for (const text of broken) {
    const found = await runRules({ '.htaccess': text }, 'apache-parse-error');
    assert.ok(found.some((f) => f.severity !== 'info' || /Unknown directive/.test(f.message)), text);
    setHtaccess(text);
    assert.equal((await get('/style.css')).status, 500, text);
  }
  // Tolerated by Apache, reported as info: an unterminated quote, a continuation on the last line.
  for (const text of ['Header set X-A "abc\n', 'Options -Indexes \\\n']) {
    assert.deepEqual((await runRules({ '.htaccess': text }, 'apache-parse-error')).map((f) => f.severity), ['info'], text);
    setHtaccess(text);
    assert.equal((await get('/style.css')).status, 200, text);
  }
  // An unclosed <IfModule> of a loaded module is accepted, but breaks where the module is missing.
  setHtaccess('<IfModule mod_deflate.c>\n');
  assert.equal((await get('/style.css')).status, 200);
  assert.match((await runRules({ '.htaccess': '<IfModule mod_deflate.c>\n' }, 'apache-parse-error'))[0].message, /only accepts this while the condition holds/);
  const fine = '<ifmodule mod_deflate.c>\n  AddOutputFilterByType DEFLATE \\\n    text/css\n</IfModule>\n<IfModule mod_not_loaded.c>\n  SomeThirdPartyDirective on\n</IfModule>\n';
  assert.deepEqual(await runRules({ '.htaccess': fine }, 'apache-parse-error'), []);
  setHtaccess(fine);
  assert.equal((await get('/style.css')).status, 200);
});
