// run() for an extension-tests entry (suite/index.ts, suite-untrusted/index.ts): runs the tests
// registered on `mocha` (mocha-setup.ts), writes the results to PERF_AUDITOR_TEST_RESULTS and, on
// failure, waits for the runner's screenshot before it rejects.
import * as fs from 'fs';
import * as path from 'path';
import { log, mocha } from './mocha-setup';

interface Failure {
  title: string;
  error: string;
}

export interface SuiteResults {
  total: number;
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  failures: Failure[];
}

export function run(): Promise<void> {
  const started = Date.now();
  const results: SuiteResults = { total: 0, passed: 0, failed: 0, pending: 0, durationMs: 0, failures: [] };

  return new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      results.durationMs = Date.now() - started;
      const file = process.env.PERF_AUDITOR_TEST_RESULTS;
      if (file) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(results, null, 2));
      }
      log(`suite: ${results.passed} passed, ${results.failed} failed, ${results.pending} pending`);
      if (failures === 0) {
        resolve();
        return;
      }
      // Give the runner time to take a screenshot while our diagnostics are still shown.
      void waitForFile(process.env.PERF_AUDITOR_TEST_SCREENSHOT_DONE, 15_000).then(() =>
        reject(new Error(`${failures} integration test(s) failed`)),
      );
    });
    results.total = runner.total;
    runner.on('pass', () => { results.passed++; });
    runner.on('pending', () => { results.pending++; });
    runner.on('fail', (test, err: unknown) => {
      results.failed++;
      const e = err as { stack?: string; message?: string } | undefined;
      results.failures.push({ title: test.fullTitle(), error: e?.stack ?? e?.message ?? String(err) });
    });
  });
}

async function waitForFile(file: string | undefined, timeoutMs: number): Promise<void> {
  if (!file) return;
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
}
