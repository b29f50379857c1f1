#!/usr/bin/env node
// Runs the integration suite (test/integration/suite) inside a real VS Code:
// code-server 4.139.1 (= VS Code 1.139.1) on 127.0.0.1, driven by headless
// Chromium through playwright-core, with the smoke-test driver payload that
// makes the workbench run extensionTestsPath in the extension host.
// Works without internet; the tools live in .vscode-test/ (see
// scripts/install-vscode-test-tools.sh, called automatically when missing).
//
// Usage: npm run build && node test/integration/run-code-server.mjs [--untrusted]
// (`npm run test:integration` runs both runs through run-integration.mjs.)
//   --untrusted                    (or PERF_AUDITOR_TEST_MODE=untrusted) the Workspace Trust run: the
//                                  demo copy gets links out of the workspace and a workspace setting
//                                  asking for memory writes (shared.mjs, plantUntrustedFixture), opens
//                                  in Restricted Mode (trust enabled, no prompt) with db/leak.sql open,
//                                  and runs suite-untrusted/ instead of suite/; afterwards the runner
//                                  checks that the folders outside the workspace are byte-identical
//                                  (counted as one more test). Its logs and failure picture are named
//                                  *-untrusted.* in out/integration.
// Env:
//   PERF_AUDITOR_TEST_TIMEOUT_MS   hard timeout for the whole run (default 300000)
//   PERF_AUDITOR_TEST_GREP         only run tests whose full title matches
//   PERF_AUDITOR_EXTENSION_PATH    extension under test (default: repo root)
//   PERF_AUDITOR_TEST_KEEP=1       keep the temp folder (workspace copy, logs)
//   PERF_AUDITOR_SCREENSHOT=<png>  instead of the tests, run suite/screenshot.ts (opens
//                                  orders.sql, the Problems panel and the checklist view) and
//                                  save a screenshot of the workbench to <png> (the README's
//                                  docs/images/screenshot.png: `node scripts/screenshot.mjs`)
//   PERF_AUDITOR_TEST_VERBOSE=1    also echo code-server's own output and workbench info logs
// The suite's side bar test (suite/sidebar.test.ts) logs "sidebar: ready"; the runner then expands
// Database in the Perf Auditor view, saves out/integration/sidebar.png, checks the PNG and the
// rendered rows (see checkSidebar) and writes its verdict to PERF_AUDITOR_TEST_SIDEBAR_DONE.
//   VSCODE_TEST_TOOLS_DIR          tools folder (default: <repo>/.vscode-test)

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { decodePng, pngHeader, regionStats } from './png.mjs';
import {
  OUTSIDE_MARKER, OUTSIDE_TABLE, OUT_DIR, ROOT, SCREENSHOT_SRC, UNTRUSTED_SRC, UsageError, bundleSuite, diffSnapshots, extensionPath,
  plantUntrustedFixture, prepareTempWorkspace, readResults, snapshotTree,
} from './shared.mjs';

const TOOLS = process.env.VSCODE_TEST_TOOLS_DIR || path.join(ROOT, '.vscode-test');
const NODE24 = path.join(TOOLS, 'node24/node_modules/.bin/node');
const CODE_SERVER = path.join(TOOLS, 'cs/node_modules/code-server/out/node/entry.js');
const CHROMIUM = '/usr/bin/chromium';
const INSTALL_SCRIPT = path.join(ROOT, 'scripts/install-vscode-test-tools.sh');
const UNTRUSTED = process.argv.includes('--untrusted') || process.env.PERF_AUDITOR_TEST_MODE === 'untrusted';
/** Suffix of this run's files in out/integration (the untrusted run keeps the normal run's apart). */
const TAG = UNTRUSTED ? '-untrusted' : '';
const SCREENSHOT = path.join(OUT_DIR, `failure${TAG}.png`);
const SIDEBAR_SHOT = path.join(OUT_DIR, 'sidebar.png');
const VIEWPORT = { width: 1400, height: 900 };
const TIMEOUT_MS = Number(process.env.PERF_AUDITOR_TEST_TIMEOUT_MS) || 5 * 60_000;
const VERBOSE = process.env.PERF_AUDITOR_TEST_VERBOSE === '1';
const KEEP = process.env.PERF_AUDITOR_TEST_KEEP === '1';
const README_SHOT = process.env.PERF_AUDITOR_SCREENSHOT ? path.resolve(process.env.PERF_AUDITOR_SCREENSHOT) : undefined;

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[run-code-server${UNTRUSTED ? ' untrusted' : ''} +${elapsed()}] ${msg}`);

// ---------------------------------------------------------------- cleanup --
let serverProc; // code-server (leader of its own process group)
let browser; // playwright Browser
let tmpDir;
let cleaning;
let stopping;

function killServerSync(signal) {
  if (serverProc && serverProc.exitCode === null && serverProc.signalCode === null) {
    try {
      process.kill(-serverProc.pid, signal); // whole group: server, extension host, pty host, watchers
    } catch {
      try { serverProc.kill(signal); } catch { /* already gone */ }
    }
  }
}

/** Closes the browser and stops code-server (with its extension host). */
async function stopProcesses() {
  stopping ??= (async () => {
    if (browser) {
      await Promise.race([browser.close().catch(() => {}), delay(5000)]);
    }
    if (serverProc) {
      const exited = new Promise((resolve) => {
        if (serverProc.exitCode !== null || serverProc.signalCode !== null) resolve();
        else serverProc.once('exit', resolve);
      });
      killServerSync('SIGTERM');
      if (await Promise.race([exited.then(() => true), delay(5000).then(() => false)]) === false) {
        killServerSync('SIGKILL');
        await Promise.race([exited, delay(2000)]);
      }
      // The group may outlive its leader (extension host shutting down).
      try { process.kill(-serverProc.pid, 'SIGKILL'); } catch { /* group gone */ }
    }
  })();
  return stopping;
}

async function cleanup() {
  cleaning ??= (async () => {
    await stopProcesses();
    if (tmpDir && !KEEP) fs.rmSync(tmpDir, { recursive: true, force: true });
    else if (tmpDir) say(`kept ${tmpDir}`);
  })();
  return cleaning;
}

// Last resort if the process exits without running cleanup() to completion.
// (playwright kills the browser it launched in its own 'exit' handler.)
process.on('exit', () => {
  if (serverProc) { try { process.kill(-serverProc.pid, 'SIGKILL'); } catch { /* gone */ } }
});
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => {
    say(`received ${sig}, cleaning up`);
    void cleanup().finally(() => process.exit(code));
  });
}
process.on('unhandledRejection', (err) => fatal(err));
process.on('uncaughtException', (err) => fatal(err));

async function fatal(err) {
  console.error(`[run-code-server] ERROR: ${err instanceof UsageError ? err.message : err?.stack || err}`);
  console.log('0 passed, 1 failed');
  await cleanup();
  process.exit(1);
}

// ---------------------------------------------------------------- helpers --
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Streams what is appended to `file` to `onText`; returns a function that flushes and stops. */
function tailFile(file, onText) {
  let pos = 0;
  const flush = () => {
    let fd;
    try {
      fd = fs.openSync(file, 'r');
      const size = fs.fstatSync(fd).size;
      if (size > pos) {
        const buf = Buffer.alloc(size - pos);
        fs.readSync(fd, buf, 0, buf.length, pos);
        pos = size;
        onText(buf.toString('utf8'));
      }
    } catch { /* not there yet */ } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  };
  const interval = setInterval(flush, 200);
  return () => { clearInterval(interval); flush(); };
}

function toolsPresent() {
  return fs.existsSync(NODE24) && fs.existsSync(CODE_SERVER) && fs.existsSync(CHROMIUM);
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

async function waitForHealthz(base, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`code-server exited early (code ${proc.exitCode}, signal ${proc.signalCode})`);
    }
    if (await httpOk(`${base}/healthz`)) return;
    await delay(250);
  }
  throw new Error(`code-server did not answer ${base}/healthz within ${timeoutMs / 1000}s`);
}

// ---------------------------------------------------------- side bar shot --
/**
 * With the Perf Auditor view container open (the suite opened it): expands Database, saves a
 * screenshot of the page to SIDEBAR_SHOT and checks it: a PNG of the viewport's size whose side
 * bar region is not blank, taken while the view rendered the rows "Appropriate indexes" (under
 * Database) and "Memory". Returns a summary; throws with the reason otherwise.
 */
async function checkSidebar(page) {
  // The view container's part and, inside it, the Checklist view's tree.
  const sidebar = page.locator('.part.sidebar');
  await sidebar.waitFor({ state: 'visible', timeout: 10_000 })
    .catch(() => { throw new Error('the side bar is not visible'); });
  const title = (await sidebar.locator('.composite.title').first().textContent({ timeout: 5_000 }).catch(() => ''))?.trim() ?? '';
  if (!/perf auditor/i.test(title)) throw new Error(`the side bar shows "${title}", not the Perf Auditor view container`);
  const view = sidebar.locator('.pane-body').filter({ has: page.locator('.monaco-list-row', { hasText: 'Database' }) }).first();
  const row = (label, level) => view.locator(`.monaco-list-row[aria-level="${level}"]`, { hasText: label }).first();
  const database = row('Database', 1);
  await database.waitFor({ state: 'visible', timeout: 10_000 })
    .catch(() => { throw new Error('no "Database" row in the Perf Auditor view'); });
  if ((await database.getAttribute('aria-expanded')) !== 'true') await database.click();
  await view.locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]', { hasText: 'Database' }).first()
    .waitFor({ state: 'visible', timeout: 5_000 })
    .catch(() => { throw new Error('the "Database" row did not expand'); });
  for (const [label, level] of [['Appropriate indexes', 2], ['Memory', 1]]) {
    await row(label, level).waitFor({ state: 'visible', timeout: 5_000 }).catch(async () => {
      const rows = await view.locator('.monaco-list-row').allTextContents().catch(() => []);
      throw new Error(`the Perf Auditor view has no visible "${label}" row (level ${level}); rows: ${JSON.stringify(rows)}`);
    });
  }
  // The row under Database must be the indexes item, below the Database row.
  const [dbBox, idxBox, sideBox] = await Promise.all([database.boundingBox(), row('Appropriate indexes', 2).boundingBox(), sidebar.boundingBox()]);
  if (!dbBox || !idxBox || !sideBox) throw new Error('the side bar rows have no layout box');
  if (idxBox.y <= dbBox.y) throw new Error('"Appropriate indexes" is not shown below "Database"');

  await page.addStyleTag({ content: '*{animation:none!important;transition:none!important}' });
  await page.evaluate(() => new Promise((r) => globalThis.requestAnimationFrame(() => globalThis.requestAnimationFrame(r))));
  fs.mkdirSync(path.dirname(SIDEBAR_SHOT), { recursive: true });
  await page.screenshot({ path: SIDEBAR_SHOT, timeout: 10_000 });

  // The file: a PNG of the viewport's size.
  if (!fs.existsSync(SIDEBAR_SHOT)) throw new Error(`${SIDEBAR_SHOT} was not written`);
  const buf = fs.readFileSync(SIDEBAR_SHOT);
  const h = pngHeader(buf);
  if (h.width !== VIEWPORT.width || h.height !== VIEWPORT.height) {
    throw new Error(`sidebar.png is ${h.width}x${h.height}, expected ${VIEWPORT.width}x${VIEWPORT.height}`);
  }
  // Not blank: the left ~300 px (activity bar and side bar) hold text and icons on a background.
  const img = decodePng(buf);
  const x1 = Math.min(300, Math.round(sideBox.x + sideBox.width));
  const left = regionStats(img, 0, 0, x1, img.height);
  // The side bar's rows alone, without the activity bar and title: text on a plain background.
  const rows = regionStats(img, Math.round(sideBox.x), Math.round(dbBox.y), x1, Math.round(idxBox.y + idxBox.height));
  if (left.stdDev < 8 || left.distinctColors < 16) {
    throw new Error(`the side bar region (0..${x1} px) looks blank: luminance std dev ${left.stdDev.toFixed(1)}, ${left.distinctColors} colours`);
  }
  if (rows.stdDev < 8 || rows.distinctColors < 8) {
    throw new Error(`the Database rows look blank in the picture: luminance std dev ${rows.stdDev.toFixed(1)}, ${rows.distinctColors} colours`);
  }
  return `${h.width}x${h.height}; left ${x1} px: std dev ${left.stdDev.toFixed(1)}, ${left.distinctColors} colours; ` +
    `Database rows: std dev ${rows.stdDev.toFixed(1)}, ${rows.distinctColors} colours`;
}

// ------------------------------------------------------------------- main --
async function main() {
  // 1. Tools.
  if (!toolsPresent()) {
    say('test tools missing, running scripts/install-vscode-test-tools.sh');
    const r = spawnSync('bash', [INSTALL_SCRIPT], { stdio: 'inherit' });
    if (r.status !== 0 || !toolsPresent()) throw new UsageError('installing the VS Code test tools failed');
  }
  const extPath = extensionPath();
  if (UNTRUSTED && README_SHOT) throw new UsageError('PERF_AUDITOR_SCREENSHOT is not supported with --untrusted');

  // 2. Bundle the suite.
  const suiteOut = UNTRUSTED
    ? await bundleSuite(UNTRUSTED_SRC, path.join(OUT_DIR, 'suite-untrusted/index.js'))
    : await bundleSuite(README_SHOT ? SCREENSHOT_SRC : undefined);
  for (const f of [SCREENSHOT, ...(UNTRUSTED ? [] : [SIDEBAR_SHOT]), `code-server${TAG}.log`, `suite${TAG}.log`, `results${TAG}.json`]) {
    fs.rmSync(path.resolve(OUT_DIR, f), { force: true });
  }

  // 3. Fresh copy of the demo workspace and an isolated code-server profile.
  let workspace;
  ({ tmpDir, workspace } = prepareTempWorkspace());
  // Untrusted run: links out of the workspace, a hostile workspace setting, and what lies outside.
  const fixture = UNTRUSTED ? plantUntrustedFixture(tmpDir, workspace) : undefined;
  const data = path.join(tmpDir, 'data');
  for (const d of ['user/User', 'ext', 'xdg-config', 'xdg-data', 'xdg-cache']) {
    fs.mkdirSync(path.join(data, d), { recursive: true });
  }
  fs.writeFileSync(path.join(data, 'user/User/settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    // The untrusted run opens the folder in Restricted Mode: trust on, no prompt asking to trust it.
    ...(UNTRUSTED ? {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.untrustedFiles': 'open',
      'security.workspace.trust.emptyWindow': false,
    } : { 'security.workspace.trust.enabled': false }),
    'typescript.disableAutomaticTypeAcquisition': true,
    'npm.fetchOnlinePackageInfo': false,
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
  }, null, 2));
  const port = await freePort();
  const configFile = path.join(data, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const resultsFile = path.join(tmpDir, 'results.json');
  const suiteLog = path.join(tmpDir, 'suite.log');
  fs.writeFileSync(suiteLog, '');
  const serverLog = path.join(tmpDir, 'code-server.log');

  // Settles with the suite's exit code, or a string when the run broke down.
  let resolveExit;
  const exited = new Promise((resolve) => { resolveExit = resolve; });

  // 4. Start code-server.
  const base = `http://127.0.0.1:${port}`;
  say(`starting code-server on ${base}`);
  const logStream = fs.createWriteStream(serverLog);
  serverProc = spawn(NODE24, [
    CODE_SERVER,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(UNTRUSTED ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', path.join(data, 'user'),
    '--extensions-dir', path.join(data, 'ext'),
    '--config', configFile,
    '--vscode-option', 'enable-smoke-test-driver',
  ], {
    cwd: tmpDir,
    detached: true, // own process group, killed as a whole
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${path.dirname(NODE24)}${path.delimiter}${process.env.PATH}`,
      XDG_CONFIG_HOME: path.join(data, 'xdg-config'),
      XDG_DATA_HOME: path.join(data, 'xdg-data'),
      XDG_CACHE_HOME: path.join(data, 'xdg-cache'),
      EXTENSIONS_GALLERY: JSON.stringify({
        serviceUrl: 'http://127.0.0.1:9/gallery',
        itemUrl: 'http://127.0.0.1:9/item',
      }),
    },
  });
  for (const stream of [serverProc.stdout, serverProc.stderr]) {
    stream.on('data', (chunk) => {
      logStream.write(chunk);
      if (VERBOSE) process.stdout.write(String(chunk).replace(/^(?=.)/gm, '[code-server] '));
    });
  }
  serverProc.on('exit', (code, signal) => {
    if (cleaning || stopping) return;
    say(`code-server exited unexpectedly (code ${code}, signal ${signal})`);
    resolveExit('code-server exited');
  });
  await waitForHealthz(base, serverProc, 60_000);
  say('code-server is up');

  // 5. Chromium.
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    handleSIGINT: false, // our handlers close it (and stop code-server)
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();

  await page.exposeFunction('codeAutomationLog', (level, message) => {
    // The extension gallery is pointed at 127.0.0.1:9 on purpose: drop its connection errors.
    if (!VERBOSE && /127\.0\.0\.1:9\b/.test(message)) return;
    // The suite's own rejection ("N integration test(s) failed") is already reported.
    if (!VERBOSE && /integration test\(s\) failed/.test(message)) return;
    if (level === 'error' || VERBOSE) console.log(`[workbench ${level}] ${message}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    resolveExit(code);
  });
  if (VERBOSE) page.on('console', (msg) => console.log(`[browser console] ${msg.text()}`));
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  page.on('crash', () => resolveExit('the workbench page crashed'));
  // On failure the suite waits (up to 15 s) for screenshotDone before it
  // returns, so the screenshot shows the diagnostics of the live extension.
  const screenshotDone = path.join(tmpDir, 'screenshot.done');
  let screenshot;
  const takeScreenshot = () => {
    screenshot ??= (async () => {
      fs.mkdirSync(OUT_DIR, { recursive: true });
      await page.keyboard.press('Control+Shift+M').catch(() => {}); // Problems panel
      await delay(500);
      await page.screenshot({ path: SCREENSHOT, timeout: 10_000 });
      say(`screenshot: ${path.relative(ROOT, SCREENSHOT)}`);
    })()
      .catch((err) => say(`screenshot failed: ${err.message}`))
      .finally(() => fs.writeFileSync(screenshotDone, ''));
    return screenshot;
  };
  // Screenshot mode: suite/screenshot.ts logs "screenshot: ready" once the workbench shows what
  // it should, then waits (up to 60 s) for screenshotDone before it returns.
  let readmeShot;
  const takeReadmeShot = () => {
    readmeShot ??= (async () => {
      // Wait for what the picture is about, rendered: squiggles, Problems rows, checklist rows.
      for (const selector of [
        '.monaco-editor .squiggly-warning',
        '.markers-panel .monaco-list-row',
        '.pane-body .monaco-list-row[aria-level="2"]',
      ]) {
        await page.waitForSelector(selector, { state: 'visible', timeout: 15_000 })
          .catch(() => { throw new Error(`the screenshot view never showed ${selector}`); });
      }
      // The checklist item the diagnostics belong to, expanded to its findings.
      const item = (expanded) => page.locator(`.pane-body .monaco-list-row[aria-expanded="${expanded}"]`, { hasText: 'Appropriate indexes' });
      if (await item(false).count()) await item(false).first().click();
      await item(true).first().waitFor({ state: 'visible', timeout: 10_000 });
      // A click on the topmost warning squiggle (status in orders.sql) puts the cursor there (the
      // light bulb shows) and the mouse resting on it shows its hover.
      const boxes = (await Promise.all((await page.locator('.monaco-editor .squiggly-warning').all()).map((l) => l.boundingBox())))
        .filter(Boolean).sort((a, b) => a.y - b.y);
      if (!boxes.length) throw new Error('no warning squiggle to hover');
      const [x, y] = [boxes[0].x + boxes[0].width / 2, boxes[0].y + boxes[0].height / 2];
      await page.mouse.click(x, y);
      await page.locator('.monaco-editor [class*="lightBulb"], .monaco-editor [class*="light-bulb"], .monaco-editor [class*="lightbulb"]')
        .first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => say('note: no light bulb shown'));
      await page.mouse.move(x + 2, y, { steps: 2 }); // the hover follows mouse moves, not clicks
      await page.locator('.monaco-hover', { hasText: 'No index on' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      // Nothing should animate or blink in the picture.
      await page.addStyleTag({ content: '*{animation:none!important;transition:none!important}.cursors-layer{display:none!important}' +
        // The title would read "[Extension Development Host] …".
        '.titlebar .window-title{visibility:hidden!important}' });
      await page.evaluate(() => new Promise((r) => globalThis.requestAnimationFrame(() => globalThis.requestAnimationFrame(r))));
      fs.mkdirSync(path.dirname(README_SHOT), { recursive: true });
      await page.screenshot({ path: README_SHOT, timeout: 10_000 });
      say(`screenshot: ${path.relative(ROOT, README_SHOT)} (${Math.round(fs.statSync(README_SHOT).size / 1024)} KB)`);
      return true;
    })()
      .catch((err) => { say(`screenshot failed: ${err.message}`); return false; })
      .finally(() => fs.writeFileSync(screenshotDone, ''));
    return readmeShot;
  };
  // Side bar test: see checkSidebar (at most ~45 s); the verdict goes to sidebarDone, which the test waits for.
  const sidebarDone = path.join(tmpDir, 'sidebar.done');
  let sidebarShot;
  const takeSidebarShot = () => {
    sidebarShot ??= checkSidebar(page)
      .then((summary) => {
        say(`sidebar: ${path.relative(ROOT, SIDEBAR_SHOT)} (${summary})`);
        return { ok: true, png: SIDEBAR_SHOT };
      }, (err) => {
        say(`sidebar check failed: ${err.message}`);
        return { ok: false, error: err.message, ...(fs.existsSync(SIDEBAR_SHOT) ? { png: SIDEBAR_SHOT } : {}) };
      })
      .then((verdict) => fs.writeFileSync(sidebarDone, JSON.stringify(verdict)));
    return sidebarShot;
  };
  const stopTail = tailFile(suiteLog, (text) => {
    process.stdout.write(text);
    if (README_SHOT && /^screenshot: ready$/m.test(text)) void takeReadmeShot();
    if (/^sidebar: ready$/m.test(text)) void takeSidebarShot();
    if (/^suite: \d+ passed, [1-9]\d* failed/m.test(text)) void takeScreenshot();
  });

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const extensionEnvironment = {
    PERF_AUDITOR_TEST_WORKSPACE: workspace,
    PERF_AUDITOR_TEST_RESULTS: resultsFile,
    PERF_AUDITOR_TEST_LOG: suiteLog,
    PERF_AUDITOR_TEST_SCREENSHOT_DONE: screenshotDone,
    PERF_AUDITOR_TEST_SIDEBAR_DONE: sidebarDone,
    ...(fixture ? {
      PERF_AUDITOR_TEST_OUTSIDE: fixture.outside,
      PERF_AUDITOR_TEST_OUTSIDE_MEMORY: fixture.outsideMemory,
      PERF_AUDITOR_TEST_OUTSIDE_TABLE: OUTSIDE_TABLE,
      PERF_AUDITOR_TEST_OUTSIDE_MARKER: OUTSIDE_MARKER,
    } : {}),
    ...(process.env.PERF_AUDITOR_TEST_GREP ? { PERF_AUDITOR_TEST_GREP: process.env.PERF_AUDITOR_TEST_GREP } : {}),
  };
  const payload = [
    ['extensionDevelopmentPath', remote(extPath)],
    ['extensionTestsPath', remote(suiteOut)],
    ['extensionEnvironment', JSON.stringify(extensionEnvironment)],
    // The untrusted run starts with the link out of the workspace open in an editor (as a restored
    // editor would be): the extension's first audit must not take its text either.
    ...(UNTRUSTED ? [['openFile', remote(path.join(workspace, 'db/leak.sql'))]] : []),
  ];
  const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  say('opening the workbench');
  await page.goto(url);

  // 6. Wait for the suite (hard timeout).
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS); });
  const exitCode = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  stopTail();

  // 7. Results.
  const results = readResults(resultsFile);
  let passed = results?.passed ?? 0;
  let failed = results?.failed ?? 0;
  if (README_SHOT && !(await (readmeShot ?? false))) {
    console.log(`[run-code-server] no screenshot was saved to ${README_SHOT}`);
    failed = Math.max(failed, 1);
  }
  if (exitCode === 'timeout') {
    console.log(`[run-code-server] TIMEOUT: the suite did not finish within ${TIMEOUT_MS / 1000}s`);
    failed = Math.max(failed, 1);
  } else if (typeof exitCode === 'string') {
    console.log(`[run-code-server] ${exitCode} before the suite finished`);
    failed = Math.max(failed, 1);
  } else if (!results) {
    console.log(`[run-code-server] the suite wrote no results (extension host exit code ${exitCode})`);
    failed = Math.max(failed, 1);
  } else if (exitCode !== 0 && failed === 0) {
    console.log(`[run-code-server] extension host exit code ${exitCode} although no test failed`);
    failed = 1;
  }
  if (results && results.total !== undefined && passed + failed + (results.pending ?? 0) === 0) {
    console.log('[run-code-server] no tests ran');
    failed = Math.max(failed, 1);
  }
  if (failed > 0) await takeScreenshot();
  if (fixture) {
    // With code-server (and the extension host) stopped: the folders outside the workspace hold
    // exactly what was planted, byte for byte, and nothing new.
    await stopProcesses();
    const changes = diffSnapshots(fixture.snapshot, snapshotTree([fixture.outside, fixture.outsideMemory]));
    if (changes.length) {
      console.log(`[run-code-server] FAILED: the folders outside the workspace changed:\n  ${changes.join('\n  ')}`);
      failed++;
    } else {
      say(`outside the workspace: unchanged (${fixture.snapshot.size} entries byte-identical, nothing new): 1 more passed`);
      passed++;
    }
  }
  if (failed > 0) {
    // Keep the logs of the failed run next to the screenshot.
    for (const [from, name] of [[serverLog, `code-server${TAG}.log`], [suiteLog, `suite${TAG}.log`], [resultsFile, `results${TAG}.json`]]) {
      try { fs.copyFileSync(from, path.join(OUT_DIR, name)); } catch { /* not written */ }
    }
    say(`logs: ${path.relative(ROOT, OUT_DIR)}/{code-server${TAG}.log,suite${TAG}.log,results${TAG}.json}`);
  }
  await cleanup();
  say(`done (${typeof exitCode === 'string' ? exitCode : `extension host exit code ${exitCode}`})`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch(fatal);
