#!/usr/bin/env node
// Runs the integration suite in desktop VS Code downloaded by
// @vscode/test-electron (needs internet: update.code.visualstudio.com).
// Without internet use run-code-server.mjs (`npm run test:integration`).
// On Linux without a display, run it under xvfb-run.
//
// Usage: npm run build && node test/integration/run-electron.mjs
// Env: VSCODE_TEST_VERSION (default: stable), PERF_AUDITOR_TEST_GREP,
//      PERF_AUDITOR_EXTENSION_PATH, PERF_AUDITOR_TEST_KEEP=1

import fs from 'node:fs';
import path from 'node:path';
import { ROOT, UsageError, bundleSuite, extensionPath, prepareTempWorkspace, readResults } from './shared.mjs';

const KEEP = process.env.PERF_AUDITOR_TEST_KEEP === '1';

async function main() {
  const extPath = extensionPath();
  const suiteOut = await bundleSuite();
  const { tmpDir, workspace } = prepareTempWorkspace();
  const resultsFile = path.join(tmpDir, 'results.json');
  const { runTests } = await import('@vscode/test-electron');
  let exitCode = 1;
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION || 'stable',
      cachePath: path.join(ROOT, '.vscode-test'),
      extensionDevelopmentPath: extPath,
      extensionTestsPath: suiteOut,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: {
        PERF_AUDITOR_TEST_WORKSPACE: workspace,
        PERF_AUDITOR_TEST_RESULTS: resultsFile,
        ...(process.env.PERF_AUDITOR_TEST_GREP ? { PERF_AUDITOR_TEST_GREP: process.env.PERF_AUDITOR_TEST_GREP } : {}),
      },
    });
    exitCode = 0;
  } catch (err) {
    const msg = String(err?.message ?? err);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|download|update\.code\.visualstudio\.com|Failed to get/i.test(msg)
        && !fs.existsSync(resultsFile)) {
      console.error(
        `[run-electron] could not download VS Code (${msg.split('\n')[0]}).\n` +
          '[run-electron] This route needs internet access to update.code.visualstudio.com.\n' +
          '[run-electron] Offline, use `npm run test:integration` (code-server + headless Chromium).',
      );
      console.log('0 passed, 1 failed');
      if (!KEEP) fs.rmSync(tmpDir, { recursive: true, force: true });
      process.exit(1);
    }
    if (!fs.existsSync(resultsFile)) console.error(`[run-electron] ERROR: ${err?.stack ?? err}`);
  }
  const results = readResults(resultsFile);
  const passed = results?.passed ?? 0;
  let failed = results?.failed ?? 0;
  if (!results) {
    console.error('[run-electron] the suite wrote no results');
    failed = Math.max(failed, 1);
  } else if (exitCode !== 0 && failed === 0) {
    failed = 1;
  }
  if (!KEEP) fs.rmSync(tmpDir, { recursive: true, force: true });
  else console.log(`[run-electron] kept ${tmpDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(`[run-electron] ERROR: ${err instanceof UsageError ? err.message : err?.stack ?? err}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
