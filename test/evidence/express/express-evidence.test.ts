/**
 * Evidence against the real thing: Express fixture apps (test/fixtures/node-server/express-evidence/*)
 * are audited, started on 127.0.0.1, and asked for a ~11 KB JavaScript asset with
 * `Accept-Encoding: gzip`. Our verdicts must agree with the headers the server actually sends:
 *   server-compression-missing reported  ⇔  the response is not gzip-encoded (no compression
 *   middleware, or one registered after the static middleware);
 *   server-static-cache-missing reported ⇔  max-age is 0 (or < 7 days for content-hashed dirs),
 *   and the max-age we predict from the code equals the one sent.
 * Two more apps are the fixtures with our quick fixes applied. Prints the agreement table.
 *
 * Run: node --import tsx --test test/evidence/express/express-evidence.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runRules } from '../../unit/node-server/tester.js';
import { applyFix, type Files } from '../../helpers/rule-tester.js';
import { SERVER_GATHERERS, SERVER_RULES } from '../../../src/analyzers/node-server/index.js';
import { serverFacts } from '../../../src/analyzers/node-server/server-model.js';
import { staticVerdict } from '../../../src/analyzers/node-server/rules/server-static-cache-missing.js';
import { HASHED_MIN_MAX_AGE, isHashedDir } from '../../../src/analyzers/node-server/rules/shared.js';
import type { Finding, Fix } from '../../../src/kernel/model.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'node-server', 'express-evidence');
const ASSET = path.join(FIXTURES, 'app.js');

interface Case {
  label: string;
  fixture: string;
  staticDir: string;
  url: string;
  /** Apply our preferred quick fixes before starting the app. */
  fixed?: boolean;
}

const CASES: Case[] = [
  { label: 'plain', fixture: 'plain', staticDir: 'public', url: '/app.js' },
  { label: 'with-compression', fixture: 'with-compression', staticDir: 'public', url: '/app.js' },
  { label: 'hashed-immutable', fixture: 'hashed-immutable', staticDir: 'dist/assets', url: '/assets/app.js' },
  { label: 'hashed-short', fixture: 'hashed-short', staticDir: 'dist/assets', url: '/assets/app.js' },
  { label: 'invalid-max-age', fixture: 'invalid-max-age', staticDir: 'public', url: '/app.js' },
  { label: 'plain + our fixes', fixture: 'plain', staticDir: 'public', url: '/app.js', fixed: true },
  { label: 'hashed-short + our fixes', fixture: 'hashed-short', staticDir: 'dist/assets', url: '/assets/app.js', fixed: true },
  // compression() registered after express.static: the static files go out before it runs
  { label: 'compression-late', fixture: 'compression-late', staticDir: 'public', url: '/app.js' },
  { label: 'compression-late + our fixes', fixture: 'compression-late', staticDir: 'public', url: '/app.js', fixed: true },
];

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** All preferred fixes of the findings, merged into one (edits per file; they do not overlap). */
function mergeFixes(findings: Finding[]): Fix {
  const byFile = new Map<string, NonNullable<Fix['changes'][number]['edits']>>();
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.preferred) ?? f.fixes[0];
    for (const ch of fix?.changes ?? []) byFile.set(ch.file, [...(byFile.get(ch.file) ?? []), ...(ch.edits ?? [])]);
  }
  return { title: 'all', changes: [...byFile].map(([file, edits]) => ({ file, edits })) };
}

async function audit(files: Files): Promise<Finding[]> {
  return runRules(SERVER_RULES, SERVER_GATHERERS, undefined, { name: 'evidence', files });
}

function start(dir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(dir, 'server.js')], {
      cwd: dir,
      env: { ...process.env, PORT: '0', NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 10 s: ${err}`)), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

function get(port: number, url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, headers: { 'Accept-Encoding': 'gzip' }, timeout: 5000 }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

function maxAgeOf(cc: string | undefined): number | undefined {
  const m = /max-age=(\d+)/.exec(cc ?? '');
  return m ? Number(m[1]) : undefined;
}

interface Row {
  app: string;
  compressionFinding: boolean;
  contentEncoding: string;
  compressionAgrees: boolean;
  staticFinding: string;
  cacheControl: string;
  predictedMaxAge: string;
  staticAgrees: boolean;
}

test('Express evidence: our compression and static-cache verdicts agree with the headers sent', { timeout: 120_000 }, async () => {
  const rows: Row[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), 'perf-audit-express-'));
  try {
    for (const c of CASES) {
      let files: Files = {
        'server.js': readFileSync(path.join(FIXTURES, c.fixture, 'server.js'), 'utf8'),
        'package.json': readFileSync(path.join(FIXTURES, c.fixture, 'package.json'), 'utf8'),
      };
      if (c.fixed) files = applyFix(files, mergeFixes(await audit(files)));
      const findings = await audit(files);
      assert.ok(!findings.some((f) => f.ruleId === 'rule-error'), findings.map((f) => f.message).join('\n'));
      const dir = path.join(tmp, c.label.replace(/\W+/g, '-'));
      mkdirSync(path.join(dir, c.staticDir), { recursive: true });
      for (const [p, t] of Object.entries(files)) writeFileSync(path.join(dir, p), t);
      copyFileSync(ASSET, path.join(dir, c.staticDir, 'app.js'));
      writeFileSync(path.join(dir, c.staticDir, 'index.html'), '<!doctype html><script src="app.js"></script>\n');

      const { child, port } = await start(dir);
      try {
        const res = await get(port, c.url);
        assert.equal(res.status, 200, `${c.label}: GET ${c.url}`);
        const gzip = res.headers['content-encoding'] === 'gzip';
        const compressionFinding = findings.some((f) => f.ruleId === 'server-compression-missing');
        const staticFindings = findings.filter((f) => f.ruleId === 'server-static-cache-missing');
        const st = serverFacts('server.js', files['server.js'])!.statics[0];
        const predicted = staticVerdict(st).maxAgeSeconds;
        const sent = maxAgeOf(res.headers['cache-control']);
        const longEnough = sent !== undefined && (isHashedDir(st) ? sent >= HASHED_MIN_MAX_AGE : sent > 0);
        rows.push({
          app: c.label,
          compressionFinding,
          contentEncoding: res.headers['content-encoding'] ?? '(none)',
          compressionAgrees: compressionFinding === !gzip,
          staticFinding: staticFindings.length ? String(staticFindings[0].data?.problem) : 'no',
          cacheControl: res.headers['cache-control'] ?? '(none)',
          predictedMaxAge: predicted === undefined ? '?' : String(predicted),
          staticAgrees: (staticFindings.length > 0) === !longEnough && (predicted === undefined || predicted === sent),
        });
        if (c.fixed && isHashedDir(st)) {
          // The fix keeps HTML revalidated while hashed files are immutable.
          const html = await get(port, c.url.replace(/app\.js$/, 'index.html'));
          assert.equal(html.headers['cache-control'], 'no-cache', `${c.label}: index.html Cache-Control`);
        }
      } finally {
        child.kill('SIGKILL');
        children.delete(child);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const header = '| app | compression finding | Content-Encoding sent | agree | static-cache finding | Cache-Control sent | predicted max-age | agree |';
  const lines = [header, '|---|---|---|---|---|---|---|---|', ...rows.map((r) => `| ${r.app} | ${r.compressionFinding ? 'yes' : 'no'} | ${r.contentEncoding} | ${r.compressionAgrees ? '✔' : '✘'} | ${r.staticFinding} | ${r.cacheControl} | ${r.predictedMaxAge} | ${r.staticAgrees ? '✔' : '✘'} |`)];
  console.log(`\nExpress evidence (Accept-Encoding: gzip, ~11 KB .js asset):\n${lines.join('\n')}\n`);
  assert.equal(rows.length, CASES.length);
  for (const r of rows) {
    assert.ok(r.compressionAgrees, `${r.app}: compression verdict disagrees with Content-Encoding ${r.contentEncoding}`);
    assert.ok(r.staticAgrees, `${r.app}: static-cache verdict disagrees with Cache-Control ${r.cacheControl}`);
  }
  // Both kinds of verdict occur, so agreement is not vacuous.
  assert.ok(rows.some((r) => r.compressionFinding) && rows.some((r) => !r.compressionFinding));
  assert.ok(rows.some((r) => r.staticFinding !== 'no') && rows.some((r) => r.staticFinding === 'no'));
});
