// extensionTestsPath entry for the README screenshot (PERF_AUDITOR_SCREENSHOT=<png>, see
// run-code-server.mjs and scripts/screenshot.mjs): not a test. Arranges the workbench, waits
// for the diagnostics and the checklist, logs "screenshot: ready" and waits for the runner.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extensionApi, openDocument, rangeOf, waitFor, waitForDiagnostic } from './helpers';

const ORDERS_SQL = 'db/queries/orders.sql';

function log(message: string): void {
  const file = process.env.PERF_AUDITOR_TEST_LOG;
  if (file) fs.appendFileSync(file, `${message}\n`);
}

function writeResults(ok: boolean, error?: unknown): void {
  const file = process.env.PERF_AUDITOR_TEST_RESULTS;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const failures = ok ? [] : [{ title: 'screenshot', error: error instanceof Error ? error.stack ?? error.message : String(error) }];
  fs.writeFileSync(file, JSON.stringify({ total: 1, passed: ok ? 1 : 0, failed: ok ? 0 : 1, pending: 0, durationMs: 0, failures }, null, 2));
}

async function setting(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
}

async function arrange(): Promise<void> {
  const api = await extensionApi();
  await waitFor('the first audit', () => api.lastAudit());

  await setting('workbench', 'colorTheme', process.env.PERF_AUDITOR_SCREENSHOT_THEME || 'Default Dark Modern');
  await setting('window', 'commandCenter', false); // it would read "[Extension Development Host] demo"
  await setting('editor', 'hover.above', false); // keep the query above the squiggle visible
  await setting('editor', 'minimap.enabled', false);
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');

  // The checklist in the side bar. (The runner expands "Appropriate indexes" and hovers the
  // squiggle on status with the mouse: keyboard-driven list/hover commands race the rendering.)
  await vscode.commands.executeCommand('workbench.view.extension.perfAuditor');

  // The Problems panel below the editor.
  await vscode.commands.executeCommand('workbench.actions.view.problems');

  const doc = await openDocument(ORDERS_SQL);
  const status = rangeOf(doc, "WHERE status = 'pending'", 'status');
  await waitForDiagnostic(doc.uri, 'missing-index', status);
  await waitForDiagnostic(doc.uri, 'non-sargable-predicate', rangeOf(doc, "LIKE '%smith%'", "'%smith%'"));

  await vscode.window.showTextDocument(doc, { preview: false, selection: new vscode.Range(status.start, status.start) });
  await vscode.commands.executeCommand('notifications.clearAll');
}

export async function run(): Promise<void> {
  try {
    await arrange();
  } catch (err) {
    log(`screenshot: setup failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    writeResults(false, err);
    throw err;
  }
  log('screenshot: ready');
  const done = process.env.PERF_AUDITOR_TEST_SCREENSHOT_DONE;
  await waitFor('the runner to take the screenshot', () => (done && fs.existsSync(done) ? true : undefined), 60_000);
  writeResults(true);
}
