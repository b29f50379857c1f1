// perfAuditor.recordBaseline and the "Since baseline" node: a finding added by an unsaved edit
// shows as new. Changes the workspace (writes .perfaudit-baseline.json, edits orders.sql) and puts
// both back at the end.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  type PerfAuditorApi,
  deletePath,
  describeTree,
  extensionApi,
  fileExists,
  openDocument,
  rangeOf,
  readText,
  treeNode,
  waitFor,
  waitForDiagnostic,
  waitForTree,
  workspaceUri,
} from './helpers';

const BASELINE = '.perfaudit-baseline.json';
const ORDERS_SQL = 'db/queries/orders.sql';
const STATEMENT = "SELECT id FROM audit_log WHERE action = 'x';";

describe('baseline: perfAuditor.recordBaseline and "Since baseline"', () => {
  let api: PerfAuditorApi;
  let doc: vscode.TextDocument;
  let original: string;
  const baseline = workspaceUri(BASELINE);

  before(async () => {
    api = await extensionApi();
    assert.strictEqual(await fileExists(baseline), false, `${BASELINE} exists before the test`);
    doc = await openDocument(ORDERS_SQL);
    original = doc.getText();
    assert.ok(!original.includes(STATEMENT), `${ORDERS_SQL} already contains ${STATEMENT}`);
  });

  after(async () => {
    if (doc.getText() !== original) {
      const e = new vscode.WorkspaceEdit();
      e.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      assert.strictEqual(await vscode.workspace.applyEdit(e), true, `restoring ${ORDERS_SQL} failed`);
    }
    if (doc.isDirty) assert.strictEqual(await doc.save(), true, `saving ${ORDERS_SQL} failed`);
    await deletePath(baseline);
    await waitForTree(api, 'the "Since baseline" node to go', (t) => (treeNode(t, 'Since baseline') ? undefined : true), 1);
  });

  it(`writes ${BASELINE} with the current findings; the view shows "0 new · 0 fixed"`, async () => {
    const audit = await waitFor('an audit', () => api.lastAudit());
    await vscode.commands.executeCommand('perfAuditor.recordBaseline');
    assert.strictEqual(await fileExists(baseline), true, `${BASELINE} was not written`);
    const recorded = JSON.parse(await readText(baseline)) as { version: number; created: string; findings: { fingerprint: string; file: string; line: number; ruleId: string }[] };
    assert.strictEqual(recorded.version, 1);
    assert.ok(!Number.isNaN(Date.parse(recorded.created)), `created: ${recorded.created}`);
    assert.deepStrictEqual(
      recorded.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`),
      audit.findings.map((f) => `${f.ruleId} ${f.file}:${f.range.start.line + 1}`),
      'the baseline should hold the findings of the audit',
    );
    for (const f of recorded.findings) assert.match(f.fingerprint, /\S/, 'fingerprint');

    const node = await waitForTree(api, 'the "Since baseline" node', (t) => treeNode(t, 'Since baseline'));
    assert.strictEqual(node.description, '0 new · 0 fixed');
    assert.strictEqual(node.contextValue, 'baseline');
    assert.strictEqual(node.icon, 'diff');
    assert.deepStrictEqual(node.children.map((c) => [c.label, c.description]), [['New findings', '0'], ['Fixed findings', '0']]);
    const labels = (await api.treeSnapshot(1)).map((n) => n.label);
    assert.deepStrictEqual(labels, ['Frontend', 'Backend', 'Database', 'Operations', 'Since baseline', 'Bundle', 'Memory']);
  });

  it('an unsaved edit adding an unindexed query shows "1 new · 0 fixed"; reverting it, "0 new · 0 fixed"', async () => {
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const text = (end.character === 0 ? '' : '\n') + STATEMENT + '\n';
    assert.strictEqual(await editor.edit((b) => b.insert(end, text)), true, 'inserting the statement failed');
    const action = rangeOf(doc, "WHERE action = 'x'", 'action');
    await waitForDiagnostic(doc.uri, 'missing-index', action);

    const node = await waitForTree(api, '"Since baseline" to show the new finding', (t) => {
      const n = treeNode(t, 'Since baseline');
      return n?.description === '1 new · 0 fixed' ? n : undefined;
    });
    const added = node.children.find((c) => c.label === 'New findings');
    assert.strictEqual(added?.description, '1', describeTree([node]));
    const row = `new · ${ORDERS_SQL}:${action.start.line + 1}`;
    assert.deepStrictEqual(added.children.map((c) => c.description), [row], describeTree([node]));
    const indexes = treeNode(await api.treeSnapshot(), 'Database', 'Appropriate indexes');
    assert.ok(indexes, 'no Database → Appropriate indexes node');
    assert.ok(indexes.children.some((c) => c.description === row), `no "${row}" row under Appropriate indexes:\n${describeTree([indexes])}`);
    assert.deepStrictEqual(
      indexes.children.filter((c) => c.description?.startsWith('new · ')).map((c) => c.description),
      [row],
      'only the added finding is new',
    );

    const inserted = new vscode.Range(end, doc.positionAt(doc.getText().length));
    assert.strictEqual(doc.getText(inserted), text);
    assert.strictEqual(await editor.edit((b) => b.delete(inserted)), true, 'removing the statement failed');
    assert.strictEqual(doc.getText(), original);
    await waitForTree(api, '"Since baseline" to return to 0 new', (t) =>
      treeNode(t, 'Since baseline')?.description === '0 new · 0 fixed' ? true : undefined,
    );
  });
});
