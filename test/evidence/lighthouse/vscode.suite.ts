/**
 * "Perf Auditor: Run Lighthouse" in a real VS Code (the integration suite: add
 * `import './vscode.suite';` to test/integration/suite/index.ts, after
 * memory.test and before sidebar.test). Uses the demo workspace's nginx/nginx.conf, adds an image
 * under public/ and removes what it created. Real Lighthouse and the system Chromium, pages on
 * 127.0.0.1 (site.ts), Chromium's DNS cut off. ~25 s.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeValue, describeTree, extensionApi, treeNode, waitFor, waitForTree, workspaceUri } from '../../integration/suite/helpers';
import { startSite, type Site } from './site';

const HOST_RULES = '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost';
const MEMORY = '.superagent/memory/performance-data.md';

interface CommandResult {
  ok: boolean;
  error?: { code: string; message: string };
  score?: number | null;
  checklist?: { id: string; status: string }[];
  diagnostics?: number;
  savedTo?: string;
}

/** Deletes a workspace path, ignoring one that is already gone. */
async function remove(rel: string, recursive = false): Promise<void> {
  try {
    await vscode.workspace.fs.delete(workspaceUri(rel), { recursive });
  } catch {
    // already gone
  }
}

async function exists(rel: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(workspaceUri(rel));
    return true;
  } catch {
    return false;
  }
}

describe('lighthouse', function () {
  this.timeout(120_000);
  let site: Site;
  let hadPublic = false;
  let hadMemoryDir = false;
  let memoryBefore: Uint8Array | undefined;

  before(async () => {
    await activateExtension();
    site = await startSite();
    await vscode.workspace.getConfiguration('perfAuditor.lighthouse').update('chromeFlags', [HOST_RULES], vscode.ConfigurationTarget.Global);
    hadPublic = await exists('public');
    hadMemoryDir = await exists('.superagent');
    memoryBefore = (await exists(MEMORY)) ? await vscode.workspace.fs.readFile(workspaceUri(MEMORY)) : undefined;
    await vscode.workspace.fs.writeFile(workspaceUri('public/slow/hero.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  after(async () => {
    await site?.close();
    await vscode.workspace.getConfiguration('perfAuditor.lighthouse').update('chromeFlags', undefined, vscode.ConfigurationTarget.Global);
    if (!hadPublic) await remove('public', true);
    if (!hadMemoryDir) await remove('.superagent', true);
    else if (memoryBefore) await vscode.workspace.fs.writeFile(workspaceUri(MEMORY), memoryBefore);
    else await remove(MEMORY);
  });

  it('registers perfAuditor.runLighthouse and perfAuditor.showLighthouseReport', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    assert.ok(all.has('perfAuditor.runLighthouse') && all.has('perfAuditor.showLighthouseReport'));
  });

  it('an unreachable URL: a clear error, no report', async () => {
    const r = await vscode.commands.executeCommand<CommandResult>('perfAuditor.runLighthouse', { url: 'http://127.0.0.1:1/', noReport: true });
    assert.strictEqual(r.ok, false);
    assert.strictEqual(r.error?.code, 'UNREACHABLE');
    assert.match(r.error.message, /nothing is listening on 127\.0\.0\.1:1 \(connection refused\)/);
  });

  it('slow page (mobile): items fail, diagnostics on nginx.conf and the image, report panel, memory row', async () => {
    const r = await vscode.commands.executeCommand<CommandResult>('perfAuditor.runLighthouse', { url: `${site.origin}/slow/`, preset: 'mobile' });
    assert.strictEqual(r.ok, true, JSON.stringify(r));
    const st = Object.fromEntries((r.checklist ?? []).map((c) => [c.id, c.status]));
    for (const id of ['compression', 'lazy-loading', 'image-formats', 'bundle-size', 'browser-caching', 'page-load', 'time-to-interactive']) assert.strictEqual(st[id], 'fail', id);

    // The demo's nginx.conf has no gzip directive and no cache lifetime for /assets/.
    const conf = await waitFor('Lighthouse diagnostics on nginx/nginx.conf', () => {
      const d = vscode.languages.getDiagnostics(workspaceUri('nginx/nginx.conf')).filter((x) => String(codeValue(x)).startsWith('lighthouse-'));
      return d.length >= 2 ? d : undefined;
    });
    const line = (rule: string): number | undefined => conf.find((d) => codeValue(d) === rule)?.range.start.line;
    assert.strictEqual(line('lighthouse-uses-text-compression'), 4, '`http {` (line 5)');
    assert.strictEqual(line('lighthouse-uses-long-cache-ttl'), 18, '`location /assets/ {` (line 19)');
    assert.ok(conf.every((d) => d.source === 'perf-auditor'));
    const png = vscode.languages.getDiagnostics(workspaceUri('public/slow/hero.png'));
    assert.ok(png.some((d) => codeValue(d) === 'lighthouse-modern-image-formats'), 'the PNG has an image-format diagnostic');

    const tab = await waitFor('the Lighthouse report tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Lighthouse'));
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.strictEqual(r.savedTo, MEMORY);
    const mem = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(MEMORY)));
    assert.match(mem, /^#### Lighthouse$/m);
    assert.ok(mem.includes(`| ${site.origin}/slow/ | mobile | 1 |`), mem);
  });

  it('the sidebar: budget rows under Frontend, bundle-size without budget findings, URL findings not as workspace paths, the run named in reasons', async () => {
    const api = await extensionApi();
    const tree = await waitForTree(api, 'the budget rows in the Frontend group', (t) => (treeNode(t, 'Frontend', 'Page load < 3.0 s (budget)') ? t : undefined));
    const frontend = treeNode(tree, 'Frontend');
    assert.ok(frontend);
    const load = treeNode(tree, 'Frontend', 'Page load < 3.0 s (budget)');
    const tti = treeNode(tree, 'Frontend', 'Time to interactive < 5.0 s (budget)');
    assert.ok(load && tti, describeTree(tree));
    for (const row of [load, tti]) {
      assert.strictEqual(row.contextValue, 'budget.fail');
      assert.match(row.description ?? '', /^fail · 1 · budget$/);
      assert.strictEqual(row.children.length, 1);
      // On the page URL: shown as the URL (a click opens the Lighthouse report), never as <ws>/http:/…
      assert.strictEqual(row.children[0].contextValue, 'finding.url');
      assert.strictEqual(row.children[0].description, `${site.origin}/slow/`);
    }
    // The group counts the budget rows too.
    const items = frontend.children.filter((c) => c.contextValue?.startsWith('item.'));
    const rows = frontend.children.filter((c) => c.contextValue?.startsWith('budget.'));
    assert.strictEqual(rows.length, 2);
    const count = (st: string): number => [...items, ...rows].filter((c) => c.contextValue?.split('.')[1] === st).length;
    assert.strictEqual(frontend.description, `${count('pass')} pass · ${count('fail')} fail`);
    // bundle-size fails on its JavaScript audits; the budget findings are not its children.
    const bundle = treeNode(tree, 'Frontend', 'JS bundles minimized and within budget');
    assert.ok(bundle);
    assert.match(bundle.description ?? '', /^fail/);
    assert.ok(!bundle.children.some((c) => /budget/.test(c.label)), describeTree([bundle]));
    const audit = api.lastAudit();
    const bs = audit?.checklist.find((r) => r.item.id === 'bundle-size');
    assert.ok(bs && !bs.findings.some((f) => f.ruleId === 'lighthouse-largest-contentful-paint' || f.ruleId === 'lighthouse-interactive'));
    assert.match(bs.reason, /Lighthouse run of \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(/);
  });

  it('Re-run Analyzers on an item Lighthouse failed: "clear" drops that verdict only', async () => {
    const api = await extensionApi();
    const before = api.lastAudit()?.checklist.find((r) => r.item.id === 'lazy-loading');
    assert.strictEqual(before?.status, 'fail');
    assert.match(before.reason, /Lighthouse run of/);
    await vscode.commands.executeCommand('perfAuditor.rerunItem', 'lazy-loading', 'clear');
    const after = await waitFor('lazy-loading without the Lighthouse verdict', () => {
      const r = api.lastAudit()?.checklist.find((x) => x.item.id === 'lazy-loading');
      return r && !/Lighthouse/.test(r.reason) ? r : undefined;
    });
    assert.notStrictEqual(after.status, 'fail');
    assert.ok(!after.findings.some((f) => f.ruleId.startsWith('lighthouse-')));
    // the other items keep theirs
    assert.match(api.lastAudit()?.checklist.find((r) => r.item.id === 'image-formats')?.reason ?? '', /Lighthouse run of/);
  });

  it('a hung page ends at the timeout with a TIMEOUT error', async () => {
    const t0 = Date.now();
    const r = await vscode.commands.executeCommand<CommandResult>('perfAuditor.runLighthouse', { url: `${site.origin}/hung/`, timeoutSeconds: 10, noReport: true });
    assert.strictEqual(r.ok, false);
    assert.strictEqual(r.error?.code, 'TIMEOUT');
    assert.ok(Date.now() - t0 < 25_000);
  });
});
