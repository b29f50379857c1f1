// The Perf Auditor side bar as the user sees it. The suite opens the view container and logs
// "sidebar: ready"; the runner (run-code-server.mjs, which drives the browser) expands Database,
// saves out/integration/sidebar.png, checks the picture (PNG header and size, a side bar that is
// not blank) and the rendered rows, and writes its verdict to PERF_AUDITOR_TEST_SIDEBAR_DONE.
// Skipped when the runner has no browser to look with (run-electron.mjs).
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { log } from './mocha-setup';
import { extensionApi, treeNode, waitFor, waitForTree } from './helpers';

interface Verdict {
  ok: boolean;
  error?: string;
  png?: string;
}

describe('the Perf Auditor side bar (screenshot)', () => {
  it('shows the checklist with Database expanded (out/integration/sidebar.png, checked by the runner)', async function () {
    const done = process.env.PERF_AUDITOR_TEST_SIDEBAR_DONE;
    if (!done) this.skip();
    const api = await extensionApi();
    await waitForTree(api, 'the checklist view with Appropriate indexes and Memory', (t) =>
      treeNode(t, 'Database', 'Appropriate indexes') && treeNode(t, 'Memory') ? true : undefined,
    );
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.view.extension.perfAuditor');
    await vscode.commands.executeCommand('notifications.clearAll');
    log('sidebar: ready');
    const text = await waitFor('the runner to check the side bar screenshot', () => (fs.existsSync(done) ? fs.readFileSync(done, 'utf8') : undefined), 50_000);
    const verdict = JSON.parse(text) as Verdict;
    assert.ok(verdict.ok, `side bar check failed: ${verdict.error ?? '(no reason given)'}`);
    assert.ok(verdict.png, 'the runner reported no screenshot file');
    assert.ok(fs.existsSync(verdict.png), `${verdict.png} does not exist`);
  });
});
