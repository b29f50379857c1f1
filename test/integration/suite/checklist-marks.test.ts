// Marking checklist items by hand (perfAuditor.markItemNotApplicable / markItemDone with an item
// id and a reason, perfAuditor.clearItemMark): the marks go to .perfauditrc.json and the view
// shows them. Changes the workspace (creates .perfauditrc.json) and deletes the file at the end.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  type PerfAuditorApi,
  type TreeSnapshot,
  deletePath,
  describeTree,
  extensionApi,
  fileExists,
  readText,
  today,
  treeItem,
  treeNode,
  waitFor,
  waitForTree,
  workspaceUri,
} from './helpers';

const CONFIG = '.perfauditrc.json';
const CDN = 'Static assets via CDN';
const BACKUPS = 'Tested backup and recovery';

interface Mark {
  status: string;
  reason: string;
  date?: string;
}

async function readChecklist(): Promise<Record<string, Mark>> {
  const text = await readText(workspaceUri(CONFIG));
  let config: { checklist?: Record<string, Mark> };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (err) {
    throw new Error(`${CONFIG} is not JSON: ${JSON.stringify(text)}`, { cause: err });
  }
  assert.deepStrictEqual(Object.keys(config), ['checklist'], `${CONFIG}: ${text}`);
  return config.checklist ?? {};
}

/** Waits until the item `title` is rendered with `contextValue`; returns it. */
function waitForItem(api: PerfAuditorApi, title: string, contextValue: string): Promise<TreeSnapshot> {
  return waitForTree(api, `"${title}" shown as ${contextValue}`, (t) => {
    const item = treeItem(t, title);
    return item?.contextValue === contextValue ? item : undefined;
  });
}

describe('marking checklist items by hand', () => {
  let api: PerfAuditorApi;
  const config = workspaceUri(CONFIG);

  before(async () => {
    api = await extensionApi();
    assert.strictEqual(await fileExists(config), false, `${CONFIG} exists before the test`);
    await waitForItem(api, CDN, 'item.unknown');
    await waitForItem(api, BACKUPS, 'item.unknown');
  });

  after(async () => {
    await deletePath(config);
    // If the extension kept marks of the deleted file (see the last test), make it re-read its
    // configuration (any perfAuditor.* setting change does) so later tests start from the fixture.
    if (api.lastAudit()?.checklist.some((r) => r.manual)) {
      const settings = vscode.workspace.getConfiguration('perfAuditor');
      await settings.update('debounceMs', 301, vscode.ConfigurationTarget.Global);
      await settings.update('debounceMs', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the marks to be gone after a configuration reload', () => (api.lastAudit()?.checklist.some((r) => r.manual) ? undefined : true));
    }
  });

  it(`markItemNotApplicable('cdn', reason) writes ${CONFIG} and shows "n/a (by hand)"`, async () => {
    await vscode.commands.executeCommand('perfAuditor.markItemNotApplicable', 'cdn', 'internal tool');
    assert.strictEqual(await fileExists(config), true, `${CONFIG} was not created`);
    assert.deepStrictEqual(await readChecklist(), { cdn: { status: 'not-applicable', reason: 'internal tool', date: today() } });
    const item = await waitForItem(api, CDN, 'item.not-applicable.manual');
    assert.ok(item.description?.includes('n/a') && item.description.includes('(by hand)'), `description "${item.description}"`);
    assert.strictEqual(item.description, 'n/a (by hand)');
    assert.strictEqual(item.icon, 'circle-slash');
    const cdn = api.lastAudit()?.checklist.find((r) => r.item.id === 'cdn');
    assert.strictEqual(cdn?.status, 'not-applicable');
    assert.strictEqual(cdn.manual, true);
    assert.strictEqual(cdn.reason, `marked not applicable on ${today()}: internal tool`);
  });

  it("markItemDone('backups', reason) adds a pass mark next to it: \"pass (by hand)\", item.pass.manual", async () => {
    await vscode.commands.executeCommand('perfAuditor.markItemDone', 'backups', 'restore drill passed');
    assert.deepStrictEqual(await readChecklist(), {
      cdn: { status: 'not-applicable', reason: 'internal tool', date: today() },
      backups: { status: 'pass', reason: 'restore drill passed', date: today() },
    });
    const item = await waitForItem(api, BACKUPS, 'item.pass.manual');
    assert.strictEqual(item.description, 'pass (by hand)');
    assert.strictEqual(item.icon, 'pass');
    const tree = await api.treeSnapshot(2);
    assert.strictEqual(treeNode(tree, 'Operations')?.description, '1 pass · 0 fail', describeTree(tree));
    assert.strictEqual(treeItem(tree, CDN)?.contextValue, 'item.not-applicable.manual', 'the cdn mark should stay');
  });

  it("clearItemMark('cdn') removes the cdn mark only: the item is unknown again", async () => {
    await vscode.commands.executeCommand('perfAuditor.clearItemMark', 'cdn');
    assert.deepStrictEqual(await readChecklist(), { backups: { status: 'pass', reason: 'restore drill passed', date: today() } });
    const item = await waitForItem(api, CDN, 'item.unknown');
    assert.strictEqual(item.description, 'unknown');
    assert.strictEqual(item.icon, 'circle-large-outline');
    assert.strictEqual(treeItem(await api.treeSnapshot(2), BACKUPS)?.contextValue, 'item.pass.manual', 'the backups mark should stay');
  });

  it(`clearing the last mark and deleting ${CONFIG} returns the view to the derived states`, async () => {
    await vscode.commands.executeCommand('perfAuditor.clearItemMark', 'backups');
    assert.deepStrictEqual(await readChecklist(), {}, 'no marks should be left');
    const item = await waitForItem(api, BACKUPS, 'item.unknown');
    assert.strictEqual(item.description, 'unknown');
    await deletePath(config);
    const tree = await waitForTree(api, 'Operations to show no pass', (t) => (treeNode(t, 'Operations')?.description === '0 pass · 0 fail' ? t : undefined), 2);
    for (const title of [CDN, BACKUPS]) assert.strictEqual(treeItem(tree, title)?.contextValue, 'item.unknown', `${title}:\n${describeTree(tree)}`);
    assert.deepStrictEqual((api.lastAudit()?.checklist ?? []).filter((r) => r.manual).map((r) => r.item.id), [], 'items still marked by hand');
  });

  // Pending: src/extension/ctx.ts fileDeleted() does not reload the configuration when
  // .perfauditrc.json is deleted (fileChanged() does), so its marks stay until some later
  // watcher "change" event happens to reload it — this test passes or fails depending on
  // the file watcher's event order. Enable when fileDeleted() handles .perfauditrc.json.
  it(`deleting ${CONFIG} drops the marks it held`, async () => {
    await vscode.commands.executeCommand('perfAuditor.markItemDone', 'backups', 'restore drill passed');
    await waitForItem(api, BACKUPS, 'item.pass.manual');
    await deletePath(config);
    const item = await waitForItem(api, BACKUPS, 'item.unknown');
    assert.strictEqual(item.description, 'unknown');
  });
});
