/**
 * The runner's fast paths (no Chromium started): Chromium discovery and its messages, URL checks,
 * the reachability probe, and the CLI's usage errors and exit codes. Real runs are in
 * test/evidence/lighthouse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { commonChromePaths, findChrome, installAdvice } from '../../../src/analyzers/lighthouse/run/chrome.js';
import { LighthouseRunError, defaultWorkerPath, probeUrl, runLighthouse, validateUrl } from '../../../src/analyzers/lighthouse/run/runner.js';
import { runLighthouseCli } from '../../../src/cli/lighthouse.js';
import { existsSync } from 'node:fs';

const exe = (set: string[]) => (p: string): boolean => set.includes(p);

test('findChrome: setting, then CHROME_PATH, then common paths; an explicit path that does not exist is an error', () => {
  const env = { PATH: '/usr/bin:/bin' };
  assert.deepEqual(findChrome({ configured: '/opt/c/chrome', env, platform: 'linux', isExecutable: exe(['/opt/c/chrome', '/usr/bin/chromium']) }), { found: true, path: '/opt/c/chrome', source: 'setting' });
  assert.deepEqual(findChrome({ env: { ...env, CHROME_PATH: '/x/chrome' }, platform: 'linux', isExecutable: exe(['/x/chrome', '/usr/bin/chromium']) }), { found: true, path: '/x/chrome', source: 'CHROME_PATH' });
  assert.deepEqual(findChrome({ env, platform: 'linux', isExecutable: exe(['/usr/bin/google-chrome', '/usr/bin/chromium']) }), { found: true, path: '/usr/bin/chromium', source: 'system' });
  assert.deepEqual(findChrome({ env, platform: 'linux', isExecutable: exe(['/snap/bin/chromium']) }), { found: true, path: '/snap/bin/chromium', source: 'system' });

  const bad = findChrome({ configured: '/nope/chrome', env, platform: 'linux', isExecutable: exe(['/usr/bin/chromium']) });
  assert.equal(bad.found, false);
  assert.match(!bad.found ? bad.message : '', /"perfAuditor\.lighthouse\.chromePath" is set to \/nope\/chrome, which is not an executable file/);
  const badEnv = findChrome({ env: { CHROME_PATH: '/nope' }, platform: 'linux', isExecutable: exe(['/usr/bin/chromium']) });
  assert.match(!badEnv.found ? badEnv.message : '', /CHROME_PATH is set to \/nope/);
});

test('findChrome: none found → install advice for the platform', () => {
  const none = (platform: NodeJS.Platform): string => {
    const r = findChrome({ env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', HOME: '/Users/u' }, platform, isExecutable: () => false });
    assert.equal(r.found, false);
    return r.found ? '' : r.message;
  };
  assert.match(none('linux'), /No Chrome or Chromium found\. .*sudo apt-get install chromium.*"perfAuditor\.lighthouse\.chromePath".*CHROME_PATH/);
  assert.match(none('darwin'), /brew install --cask chromium/);
  assert.match(none('win32'), /Google Chrome.*Edge/);
  assert.match(installAdvice('linux', '--chrome-path'), /point "--chrome-path"/);
  assert.ok(commonChromePaths('win32', { LOCALAPPDATA: 'C:\\L' }).includes('C:\\L\\Google\\Chrome\\Application\\chrome.exe'));
  assert.ok(commonChromePaths('darwin', {}).includes('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'));
});

test('validateUrl: http(s) only, with a message that says what to type', () => {
  assert.equal(validateUrl(' http://localhost:3000 ').href, 'http://localhost:3000/');
  for (const [bad, msg] of [['localhost:3000', /not http and https|http and https pages only/], ['not a url', /is not a URL/], ['file:///etc/passwd', /http and https pages only/], ['javascript:alert(1)', /http and https pages only/]] as const) {
    assert.throws(() => validateUrl(bad), (e: unknown) => e instanceof LighthouseRunError && e.code === 'INVALID_URL' && msg.test(e.message), bad);
  }
});

test('probeUrl: a listening port passes, a closed one is UNREACHABLE with "connection refused"', async () => {
  const server = http.createServer((_q, s) => s.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await probeUrl(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
  } finally {
    server.close();
  }
  await assert.rejects(probeUrl(new URL('http://127.0.0.1:1/')), (e: unknown) => e instanceof LighthouseRunError && e.code === 'UNREACHABLE' && /nothing is listening on 127\.0\.0\.1:1 \(connection refused\)/.test(e.message));
});

test('runLighthouse fails fast, before starting Chromium, on a bad URL, a missing Chromium or an unreachable host', async () => {
  const t0 = Date.now();
  await assert.rejects(runLighthouse({ url: 'ftp://x' }), { code: 'INVALID_URL' });
  await assert.rejects(runLighthouse({ url: 'http://127.0.0.1:1/', chromePath: '/nonexistent/chrome' }), (e: unknown) => e instanceof LighthouseRunError && e.code === 'CHROME_NOT_FOUND' && /install/i.test(e.message));
  // Any executable will do as "Chromium" here: the probe fails before it would be started.
  await assert.rejects(runLighthouse({ url: 'http://127.0.0.1:1/', chromePath: process.execPath }), { code: 'UNREACHABLE' });
  assert.ok(Date.now() - t0 < 3000);
  assert.ok(existsSync(defaultWorkerPath()), defaultWorkerPath());
});

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runLighthouseCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

test('CLI: usage errors exit 2 with a message; Lighthouse that cannot run exits 3', async () => {
  const cases: [string[], number, RegExp][] = [
    [[], 2, /give exactly one URL/],
    [['http://a', 'http://b'], 2, /give exactly one URL/],
    [['http://localhost', '--preset', 'tablet'], 2, /unknown --preset "tablet"/],
    [['http://localhost', '--runs', '0'], 2, /--runs must be a whole number from 1 to 10/],
    [['http://localhost', '--timeout', 'x'], 2, /--timeout must be a number of seconds/],
    [['http://localhost', '--format', 'xml'], 2, /unknown --format "xml"/],
    [['http://localhost', '--fail-on', 'bad'], 2, /unknown --fail-on/],
    [['http://localhost', '--workspace', '/nonexistent-dir'], 2, /no such directory/],
    [['http://localhost', '--bogus'], 2, /Unknown option '--bogus'/],
    [['localhost:3000', '--no-locate'], 2, /http and https pages only|not a URL/],
    [['http://127.0.0.1:1/', '--chrome-path', '/nonexistent/chrome', '--no-locate'], 3, /"--chrome-path" is set to \/nonexistent\/chrome.*apt-get install chromium/],
    [['http://127.0.0.1:1/', '--chrome-path', process.execPath, '--no-locate'], 3, /Cannot reach http:\/\/127\.0\.0\.1:1: nothing is listening/],
  ];
  for (const [argv, code, msg] of cases) {
    const r = await cli(argv);
    assert.equal(r.code, code, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, msg, argv.join(' '));
    assert.equal(r.out, '');
  }
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: perf-audit lighthouse <url> \[options\]/);
  assert.match(help.out, /3 Lighthouse could not run/);
});

test('probeUrl honours the abort signal: an aborted check ends at once with CANCELLED (before or while connecting)', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(probeUrl(new URL('http://127.0.0.1:1/'), 60_000, ac.signal), { code: 'CANCELLED' });
  // Aborted while connecting (the refusal arrives later, asynchronously): CANCELLED, not UNREACHABLE.
  const live = new AbortController();
  const p = probeUrl(new URL('http://127.0.0.1:1/'), 60_000, live.signal);
  live.abort();
  await assert.rejects(p, { code: 'CANCELLED' });
  // runLighthouse passes its signal to the check
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(runLighthouse({ url: 'http://10.255.255.1:81/', chromePath: process.execPath, signal: pre.signal }), { code: 'CANCELLED' });
});

test('CLI --baseline / --write-baseline: only new findings gate the exit code; text, JSON and SARIF say what is new', async () => {
  const { buildLighthouseReport } = await import('../../../src/analyzers/lighthouse/map.js');
  const { loadLhr, BUDGETS } = await import('./helpers.js');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const path = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-lh-baseline-'));
  const fake = (name: 'slow-mobile' | 'good-desktop') => () => {
    const report = buildLighthouseReport([loadLhr(name)], { preset: name === 'slow-mobile' ? 'mobile' : 'desktop', budgets: BUDGETS });
    return Promise.resolve({ report, run: { lhrs: [], durationsMs: [], chrome: { path: '/usr/bin/chromium', source: 'setting' as const }, settings: { url: report.url, preset: report.preset, runs: 1, timeoutMs: 1000 } } });
  };
  const run = async (argv: string[], name: 'slow-mobile' | 'good-desktop') => {
    let out = '';
    let err = '';
    const code = await runLighthouseCli([...argv, '--no-locate'], { out: (t) => (out += t), err: (t) => (err += t), auditPage: fake(name) });
    return { code, out, err };
  };
  try {
    const file = path.join(dir, 'baseline.json');
    const first = await run(['http://127.0.0.1:8080/slow/', '--write-baseline', file], 'slow-mobile');
    assert.equal(first.code, 1, first.err); // budgets missed: errors
    assert.ok(JSON.parse(readFileSync(file, 'utf8')).findings.length > 0);
    const same = await run(['http://127.0.0.1:8080/slow/', '--baseline', file], 'slow-mobile');
    assert.equal(same.code, 0, 'nothing new: passes although errors remain');
    assert.match(same.out, /Compared with the baseline: 0 new, \d+ unchanged, 0 fixed/);
    const json = JSON.parse((await run(['http://127.0.0.1:8080/slow/', '--baseline', file, '--format', 'json'], 'slow-mobile')).out) as { baseline: { new: number }; findings: { baselineState: string }[] };
    assert.equal(json.baseline.new, 0);
    assert.ok(json.findings.every((f) => f.baselineState === 'unchanged'));
    // An empty baseline: every finding is new, and fails the gate.
    const empty = path.join(dir, 'empty.json');
    await run(['http://127.0.0.1:8080/good/', '--write-baseline', empty], 'good-desktop');
    const regress = await run(['http://127.0.0.1:8080/slow/', '--baseline', empty, '--format', 'sarif'], 'slow-mobile');
    assert.equal(regress.code, 1);
    const sarif = JSON.parse(regress.out) as { runs: { results: { baselineState: string }[] }[] };
    assert.ok(sarif.runs[0].results.length > 0 && sarif.runs[0].results.every((x) => x.baselineState === 'new'));
    // Fixed findings are listed when the page got better.
    const better = await run(['http://127.0.0.1:8080/slow/', '--baseline', file], 'good-desktop');
    assert.equal(better.code, 0);
    assert.match(better.out, /0 new, 0 unchanged, [1-9]\d* fixed/);
    // An unreadable baseline is a usage error, before any run.
    const bad = await run(['http://127.0.0.1:8080/slow/', '--baseline', path.join(dir, 'missing.json')], 'slow-mobile');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /cannot use baseline/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
