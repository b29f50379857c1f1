// Entry point loaded by the VS Code extension host (extensionTestsPath).
// The test modules are bundled into this file; their order is the run order.
import * as fs from 'fs';
import * as path from 'path';
import { log, mocha } from './mocha-setup';
import './activation.test';
import './commands.test';
import './typescript-sql.test';
import './audit-api.test'; // read-only: must run before sql-file.test changes the workspace
import './cli-parity.test'; // read-only: the editor's diagnostics equal perf-audit's JSON for the untouched demo
import './tree.test'; // read-only: the checklist view of the untouched demo
import './sql-file.test'; // applies a quick fix that changes the workspace (writes a 003 migration)
import './editing.test'; // after it: edits orders.sql and adds a file, restoring both itself
import './checklist-marks.test'; // creates .perfauditrc.json, deletes it at the end
import './memory.test'; // creates .superagent/memory, deletes it at the end
import './baseline.test'; // writes .perfaudit-baseline.json, edits orders.sql; restores both
import '../../evidence/lighthouse/vscode.suite'; // real Lighthouse from the extension (~25 s)
import './bundle.test'; // writes a small dist/, .perfauditrc.json, node_modules and a TS file; deletes them and re-analyses
import './sidebar.test'; // last: the runner screenshots the side bar (sidebar.png)

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
