// The Lighthouse child process (forked by runner.ts; shipped unbundled, ESM, because Lighthouse is
// ESM-only and reads its files by path). One run per process:
//
//   parent → {type: 'run', url, preset, chromePath, chromeFlags, userDataDir, selfTimeoutMs}
//   child  → {type: 'progress', phase, message}
//            {type: 'chrome', pid, port}        as soon as Chromium listens (the parent kills its group on timeout)
//            {type: 'result', lhr}              the LHR without screenshots (runtimeError/runWarnings kept)
//            {type: 'error', code, message}     CHROME_LAUNCH_FAILED | LIGHTHOUSE_FAILED | IMPORT_FAILED
//
// Chromium is started by chrome-launcher as the leader of a new process group (detached), with the
// profile directory the parent created. Whatever happens here (success, error, the parent going
// away, the self-timeout), Chromium's whole group is killed and the profile removed before exit;
// the parent repeats that cleanup because this process may itself be killed.
import { rmSync } from 'node:fs';

/** @type {{ pid?: number, kill?: () => void } | undefined} */
let chrome;
/** @type {string | undefined} */
let profileDir;
let finished = false;

function send(msg) {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    try {
      process.send(msg, () => resolve());
    } catch {
      resolve();
    }
  });
}

function killChrome() {
  const pid = chrome?.pid;
  chrome = undefined;
  if (!pid) return;
  try {
    if (process.platform === 'win32') process.kill(pid, 'SIGKILL');
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function removeProfile() {
  if (!profileDir) return;
  try {
    rmSync(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch {
    // the parent retries
  }
}

async function finish(code) {
  if (finished) return;
  finished = true;
  killChrome();
  // Give the killed processes a moment to release the profile before removing it.
  await new Promise((r) => setTimeout(r, 100));
  removeProfile();
  process.exit(code);
}

/** Screenshots and filmstrips are most of an LHR's size and nothing here reads them. */
function stripLhr(lhr) {
  const out = { ...lhr, audits: { ...lhr.audits } };
  for (const id of ['screenshot-thumbnails', 'final-screenshot', 'full-page-screenshot', 'main-thread-tasks', 'network-requests', 'script-treemap-data']) delete out.audits[id];
  delete out.fullPageScreenshot;
  delete out.i18n;
  delete out.timing;
  return out;
}

async function run(msg) {
  let timer;
  if (msg.selfTimeoutMs > 0) {
    timer = setTimeout(() => void finish(4), msg.selfTimeoutMs);
    timer.unref?.();
  }
  profileDir = msg.userDataDir;
  let chromeLauncher;
  let lighthouse;
  let desktopConfig;
  try {
    chromeLauncher = await import('chrome-launcher');
    lighthouse = (await import('lighthouse')).default;
    desktopConfig = (await import('lighthouse/core/config/desktop-config.js')).default;
  } catch (e) {
    await send({ type: 'error', code: 'IMPORT_FAILED', message: `cannot load Lighthouse: ${e instanceof Error ? e.message : String(e)}` });
    return finish(3);
  }

  await send({ type: 'progress', phase: 'launching', message: 'starting Chromium' });
  try {
    chrome = await chromeLauncher.launch({
      chromePath: msg.chromePath,
      chromeFlags: msg.chromeFlags,
      userDataDir: msg.userDataDir,
      handleSIGINT: false,
      logLevel: 'silent',
      connectionPollInterval: 250,
      maxConnectionRetries: 80,
    });
  } catch (e) {
    await send({ type: 'error', code: 'CHROME_LAUNCH_FAILED', message: e instanceof Error ? e.message : String(e) });
    return finish(3);
  }
  await send({ type: 'chrome', pid: chrome.pid, port: chrome.port });

  await send({ type: 'progress', phase: 'auditing', message: 'loading the page' });
  try {
    const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] };
    const result = await lighthouse(msg.url, flags, msg.preset === 'desktop' ? desktopConfig : undefined);
    if (!result?.lhr) throw new Error('Lighthouse returned no result');
    await send({ type: 'result', lhr: stripLhr(result.lhr) });
  } catch (e) {
    const code = typeof e?.code === 'string' ? e.code : undefined;
    const message = typeof e?.friendlyMessage === 'string' ? e.friendlyMessage : e instanceof Error ? e.message : String(e);
    await send({ type: 'error', code: 'LIGHTHOUSE_FAILED', lighthouseCode: code, message });
    if (timer) clearTimeout(timer);
    return finish(3);
  }
  if (timer) clearTimeout(timer);
  return finish(0);
}

process.on('message', (msg) => {
  if (msg && msg.type === 'run') void run(msg);
  else if (msg && msg.type === 'stop') void finish(5);
});
// The parent went away (extension host closed, CLI killed): stop Chromium too.
process.on('disconnect', () => void finish(6));
process.on('SIGTERM', () => void finish(7));
process.on('SIGINT', () => void finish(7));
process.on('uncaughtException', (e) => {
  void send({ type: 'error', code: 'LIGHTHOUSE_FAILED', message: e instanceof Error ? e.message : String(e) }).then(() => finish(3));
});
process.on('unhandledRejection', (e) => {
  // Lighthouse leaves some protocol promises dangling when a page is torn down; report, do not crash.
  process.stderr.write(`lighthouse worker: unhandled rejection: ${e instanceof Error ? e.message : String(e)}\n`);
});
void send({ type: 'ready' });
