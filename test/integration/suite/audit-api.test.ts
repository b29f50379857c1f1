// Read-only checks of the demo workspace as the extension sees it: the exported API
// (lastAudit → checklist), rule documentation, and diagnostics' related locations.
// Runs before sql-file.test.ts, which changes the workspace.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activateExtension,
  allTabs,
  extensionApi,
  fmt,
  openDocument,
  rangeOf,
  waitFor,
  waitForDiagnostic,
  workspaceUri,
} from './helpers';

const ORDERS_SQL = 'db/queries/orders.sql';
const INIT_MIGRATION = 'db/migrations/001_init.sql';
const GROUPS = ['Frontend', 'Backend', 'Database', 'Operations'];

describe('extension API: lastAudit()', () => {
  it('reports the indexes checklist item failing with the missing-index findings, and all four groups', async () => {
    const api = await extensionApi();
    const audit = await waitFor('exports.lastAudit() to return an audit', () => api.lastAudit());

    assert.ok(Array.isArray(audit.findings), 'audit.findings is not an array');
    assert.ok(Array.isArray(audit.checklist), 'audit.checklist is not an array');
    assert.strictEqual(typeof audit.score, 'number', 'audit.score is not a number');

    const indexes = audit.checklist.find((r) => r.item.id === 'indexes');
    assert.ok(indexes, `no checklist item "indexes" among ${JSON.stringify(audit.checklist.map((r) => r.item.id))}`);
    assert.strictEqual(indexes.item.group, 'Database');
    assert.strictEqual(indexes.status, 'fail', `indexes: ${indexes.status} (${indexes.reason})`);

    const missingIndex = audit.findings.filter((f) => f.ruleId === 'missing-index');
    assert.ok(missingIndex.length > 0, 'the audit has no missing-index findings');
    const notListed = missingIndex.filter((f) => !indexes.findings.includes(f));
    assert.deepStrictEqual(
      notListed.map((f) => `${f.file}:${f.range.start.line}`),
      [],
      'missing-index findings absent from the indexes item',
    );
    assert.ok(
      indexes.findings.some(
        (f) => f.ruleId === 'missing-index' && f.file === ORDERS_SQL && f.range.start.line === 3 && f.range.start.character === 6,
      ),
      `the indexes item lacks the missing-index finding on ${ORDERS_SQL}:3:6 (status); it has ` +
        JSON.stringify(indexes.findings.map((f) => `${f.ruleId} ${f.file}:${f.range.start.line}:${f.range.start.character}`)),
    );
    for (const f of indexes.findings) assert.strictEqual(f.checklistItem, 'indexes', `${f.ruleId} in ${f.file} listed under indexes`);

    const groups = new Set(audit.checklist.map((r) => r.item.group));
    assert.deepStrictEqual([...groups].sort(), [...GROUPS].sort(), 'checklist groups');
    for (const g of GROUPS) {
      assert.ok(audit.checklist.filter((r) => r.item.group === g).length > 0, `no checklist item in group ${g}`);
    }
    const statuses = new Set(['pass', 'fail', 'unknown', 'not-applicable']);
    for (const r of audit.checklist) {
      assert.ok(statuses.has(r.status), `item ${r.item.id} has status ${r.status}`);
      assert.strictEqual(typeof r.reason, 'string', `item ${r.item.id} has no reason`);
    }
  });

  it('audit() runs an audit and returns the same checklist shape', async () => {
    const api = await extensionApi();
    const audit = await api.audit();
    assert.ok(audit, 'exports.audit() resolved to undefined');
    assert.strictEqual(audit.checklist.find((r) => r.item.id === 'indexes')?.status, 'fail');
    assert.strictEqual(api.lastAudit(), audit, 'lastAudit() is not the audit that audit() just returned');
  });
});

describe('perfAuditor.showRuleDocs', () => {
  it("opens the documentation of 'missing-index' in a new tab", async () => {
    await activateExtension();
    const before = new Set(allTabs());
    await vscode.commands.executeCommand('perfAuditor.showRuleDocs', 'missing-index');
    const tab = await waitFor('a new tab whose label mentions missing-index', () =>
      allTabs().find((t) => !before.has(t) && /missing-index/.test(t.label)),
    ).catch((err: Error) => {
      throw new Error(`${err.message}; tabs: ${JSON.stringify(allTabs().map((t) => t.label))}`, { cause: err });
    });
    await vscode.window.tabGroups.close(tab);
  });
});

describe('diagnostic related information', () => {
  it(`missing-index on orders.status points at CREATE TABLE orders in ${INIT_MIGRATION}`, async () => {
    await activateExtension();
    const doc = await openDocument(ORDERS_SQL);
    const d = await waitForDiagnostic(doc.uri, 'missing-index', rangeOf(doc, "WHERE status = 'pending'", 'status'));
    const related = d.relatedInformation ?? [];
    assert.strictEqual(related.length, 1, `relatedInformation: ${JSON.stringify(related.map((r) => r.message))}`);
    const [info] = related;
    const migration = await vscode.workspace.openTextDocument(workspaceUri(INIT_MIGRATION));
    assert.strictEqual(info.location.uri.toString(), migration.uri.toString());
    const expected = rangeOf(migration, 'CREATE TABLE orders', 'orders');
    assert.ok(
      info.location.range.isEqual(expected),
      `related range ${fmt(info.location.range)}, expected ${fmt(expected)} ("orders" of CREATE TABLE orders)`,
    );
    assert.match(info.message, /\borders\b/);
  });
});
