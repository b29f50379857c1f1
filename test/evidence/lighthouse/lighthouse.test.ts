/**
 * Evidence: real Lighthouse (12.8.2) with the system Chromium against pages served on 127.0.0.1
 * (site.ts). Chromium's DNS is cut off (--host-resolver-rules) so all traffic stays on loopback.
 * Every Chromium profile of this suite is created under its own temp directory (TMPDIR), so "ours"
 * is exact: after each run no process names that directory and no profile is left in it.
 *
 *   node --import tsx --test test/evidence/lighthouse/lighthouse.test.ts      (~1-2 min)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runLighthouse, LighthouseRunError } from '../../../src/analyzers/lighthouse/run/runner.js';
import { processesWithArg } from '../../../src/analyzers/lighthouse/run/processes.js';
import { auditPage } from '../../../src/analyzers/lighthouse/run/session.js';
import { runLighthouseCli } from '../../../src/cli/lighthouse.js';
import { lighthouseData } from '../../../src/analyzers/lighthouse/map.js';
import type { Finding } from '../../../src/kernel/model.js';
import { startSite, type Site } from './site.js';
import { HOST_RULES } from './record.js';

const WORKSPACE = path.join(__dirname, '..', '..', 'fixtures', 'lighthouse', 'workspace');
const BUDGETS = { pageLoadMs: 3000, timeToInteractiveMs: 5000 };

let site: Site;
let suiteTmp: string;
let savedTmpdir: string | undefined;

before(async () => {
  site = await startSite();
  // Profiles are created in os.tmpdir() (read per call): point it at a directory of this suite.
  suiteTmp = mkdtempSync(path.join(tmpdir(), 'perf-lh-evidence-'));
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = suiteTmp;
  assert.equal(tmpdir(), suiteTmp);
});

after(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await site.close();
  rmSync(suiteTmp, { recursive: true, force: true });
});

/** Chromium processes of this suite, as `pgrep -af chromium` lists them. */
function ourChromium(): string[] {
  let out: string;
  try {
    out = execFileSync('pgrep', ['-af', 'chromium'], { encoding: 'utf8' });
  } catch {
    out = ''; // pgrep exits 1 when nothing matches
  }
  return out.split('\n').filter((l) => l.includes(suiteTmp));
}

function assertClean(): void {
  assert.deepEqual(ourChromium(), [], 'no Chromium of ours is running');
  assert.deepEqual(processesWithArg(suiteTmp), [], 'no process names our profile directory');
  assert.deepEqual(readdirSync(suiteTmp).filter((n) => n.startsWith('lighthouse.')), [], 'every lighthouse.* profile was removed');
}

const byRule = (fs: Finding[], id: string): Finding[] => fs.filter((f) => f.ruleId === id);

test('slow page, mobile, through the CLI: every mapped item fails, budgets missed, findings on the fixture workspace', async () => {
  let out = '';
  let err = '';
  const t0 = Date.now();
  const code = await runLighthouseCli([`${site.origin}/slow/`, '--preset', 'mobile', '--format', 'json', '--workspace', WORKSPACE, `--chrome-flag=${HOST_RULES}`], { out: (t) => (out += t), err: (t) => (err += t) });
  const ms = Date.now() - t0;
  assert.equal(code, 1, `exit 1: budgets (errors) missed\n${err}`);
  const j = JSON.parse(out) as { lighthouse: { version: string; runs: number; score: number; reliable: boolean }; checklist: { id: string; status: string }[]; findings: Finding[] };
  assert.equal(j.lighthouse.version, '12.8.2');
  assert.equal(j.lighthouse.reliable, true);
  assert.ok(j.lighthouse.score < 60, `score ${j.lighthouse.score}`);
  assert.deepEqual(Object.fromEntries(j.checklist.map((c) => [c.id, c.status])), {
    compression: 'fail',
    'lazy-loading': 'fail',
    'image-formats': 'fail',
    'bundle-size': 'fail',
    'browser-caching': 'fail',
    'page-load': 'fail',
    'time-to-interactive': 'fail',
  });
  const f = j.findings;
  const gzip = byRule(f, 'lighthouse-uses-text-compression')[0];
  assert.equal(gzip.file, 'deploy/nginx/nginx.conf');
  assert.equal(gzip.range.start.line, 6, '`gzip off;` is line 7');
  assert.equal(byRule(f, 'lighthouse-uses-long-cache-ttl')[0].file, 'deploy/nginx/nginx.conf');
  assert.deepEqual(byRule(f, 'lighthouse-modern-image-formats').map((x) => x.file).sort(), ['public/slow/gallery.png', 'public/slow/hero.png']);
  const lazy = byRule(f, 'lighthouse-offscreen-images')[0];
  assert.equal(`${lazy.file}:${lazy.range.start.line + 1}`, 'views/index.html:7');
  assert.equal(byRule(f, 'lighthouse-unused-javascript')[0].file, 'public/slow/app.js');
  assert.equal(byRule(f, 'lighthouse-largest-contentful-paint')[0].file, `${site.origin}/slow/`);
  assert.ok(f.every((x) => lighthouseData(x)?.page === `${site.origin}/slow/`));
  assertClean();
  process.stdout.write(`# slow page (CLI, mobile): ${ms} ms\n`);
});

test('good page, desktop, 2 runs: the median run is reported and every item passes', async () => {
  const t0 = Date.now();
  const { report, run } = await auditPage({ url: `${site.origin}/good/`, preset: 'desktop', runs: 2, timeoutMs: 90_000, chromeFlags: [HOST_RULES], budgets: BUDGETS });
  assert.equal(run.lhrs.length, 2);
  assert.equal(report.runs, 2);
  assert.ok(report.medianRun === 0 || report.medianRun === 1);
  for (const m of report.metrics) assert.equal(m.values.length, 2, m.id);
  for (const c of report.checklist) assert.equal(c.status, 'pass', `${c.id}: ${c.reason}`);
  assert.deepEqual(report.findings, []);
  assert.ok(report.score !== null && report.score >= 90, `score ${report.score}`);
  assert.deepEqual(report.warnings, []);
  assert.equal(run.chrome.path.length > 0, true);
  assertClean();
  process.stdout.write(`# good page (2 runs, desktop): ${Date.now() - t0} ms (${run.durationsMs.join(' + ')})\n`);
});

test('hung page: the hard timeout stops Lighthouse, kills Chromium\'s process group and removes the profile', async () => {
  const t0 = Date.now();
  let sawChromium = 0;
  const probe = setInterval(() => {
    sawChromium = Math.max(sawChromium, ourChromium().length);
  }, 1000);
  try {
    await assert.rejects(runLighthouse({ url: `${site.origin}/hung/`, preset: 'desktop', timeoutMs: 20_000, chromeFlags: [HOST_RULES] }), (e: unknown) => {
      assert.ok(e instanceof LighthouseRunError);
      assert.equal(e.code, 'TIMEOUT');
      assert.match(e.message, /did not finish within 20 s .*Chromium was stopped and its profile removed/);
      return true;
    });
  } finally {
    clearInterval(probe);
  }
  const ms = Date.now() - t0;
  assert.ok(sawChromium > 0, 'Chromium was running during the run');
  assert.ok(ms >= 20_000 && ms < 30_000, `ended at the timeout (${ms} ms)`);
  assertClean();
  process.stdout.write(`# hung page: timed out after ${ms} ms; up to ${sawChromium} Chromium processes, none left\n`);
});

test('a page answering 500: Lighthouse\'s runtimeError is surfaced, not a result', async () => {
  await assert.rejects(runLighthouse({ url: `${site.origin}/error/`, timeoutMs: 60_000, chromeFlags: [HOST_RULES] }), (e: unknown) => {
    assert.ok(e instanceof LighthouseRunError);
    assert.equal(e.code, 'RUNTIME_ERROR');
    assert.equal(e.lighthouseCode, 'ERRORED_DOCUMENT_REQUEST');
    assert.match(e.message, /Lighthouse could not audit .*\/error\/: .*\(Status code: 500\) \(ERRORED_DOCUMENT_REQUEST\)/);
    return true;
  });
  assertClean();
});

test('an unreachable URL (127.0.0.1:1): a clear error within a second, no Chromium started', async () => {
  const t0 = Date.now();
  await assert.rejects(runLighthouse({ url: 'http://127.0.0.1:1/', chromeFlags: [HOST_RULES] }), (e: unknown) => {
    assert.ok(e instanceof LighthouseRunError);
    assert.equal(e.code, 'UNREACHABLE');
    assert.equal(e.message, 'Cannot reach http://127.0.0.1:1: nothing is listening on 127.0.0.1:1 (connection refused). Start the server, or check the port.');
    return true;
  });
  assert.ok(Date.now() - t0 < 1000);
  let err = '';
  assert.equal(await runLighthouseCli(['http://127.0.0.1:1/', '--no-locate'], { out: () => undefined, err: (t) => (err += t) }), 3);
  assert.match(err, /^perf-audit lighthouse: Cannot reach http:\/\/127\.0\.0\.1:1: nothing is listening/);
  assertClean();
});

test('cancelling a run stops Chromium and removes the profile', async () => {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const t0 = Date.now();
  await assert.rejects(
    runLighthouse({
      url: `${site.origin}/slow/`,
      preset: 'mobile',
      chromeFlags: [HOST_RULES],
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'auditing') timer ??= setTimeout(() => ac.abort(), 1500);
      },
    }),
    { code: 'CANCELLED' },
  );
  assert.ok(Date.now() - t0 < 15_000);
  assertClean();
});
