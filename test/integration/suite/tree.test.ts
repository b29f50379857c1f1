// Read-only: the checklist view (exports.treeSnapshot) of the demo workspace as audited, before
// sql-file.test.ts adds a migration. Compared with exports.lastAudit() where counts are derived.
import * as assert from 'assert';
import {
  type ApiWorkspaceAudit,
  type PerfAuditorApi,
  type TreeSnapshot,
  describeTree,
  extensionApi,
  treeNode,
  waitFor,
  waitForTree,
} from './helpers';

const GROUPS = ['Frontend', 'Backend', 'Database', 'Operations'];
const FILE_LINE = /^[\w./-]+:\d+$/;

describe('checklist view (treeSnapshot) of examples/demo', () => {
  let api: PerfAuditorApi;
  let audit: ApiWorkspaceAudit;
  let tree: TreeSnapshot[];

  before(async () => {
    api = await extensionApi();
    audit = await waitFor('exports.lastAudit() to return an audit', () => api.lastAudit());
    // The view is built from the last audit: wait until the Database group shows it.
    tree = await waitForTree(api, 'the checklist view to show the Database group', (t) =>
      treeNode(t, 'Database', 'Appropriate indexes') ? t : undefined,
    );
    audit = api.lastAudit() ?? audit;
  });

  it('top level: Frontend, Backend, Database, Operations, then Bundle and Memory', () => {
    const labels = tree.map((n) => n.label);
    assert.deepStrictEqual(labels.filter((l) => l !== 'Since baseline'), [...GROUPS, 'Bundle', 'Memory'], `top level:\n${describeTree(tree)}`);
    // No baseline file in the demo: the node must not be there.
    assert.ok(!labels.includes('Since baseline'), `"Since baseline" shown without a baseline file:\n${describeTree(tree)}`);
    const memory = treeNode(tree, 'Memory');
    assert.ok(memory);
    assert.strictEqual(memory.contextValue, 'memory');
    assert.strictEqual(memory.icon, 'book');
  });

  it('groups: "N pass · M fail" matching the audit, items in checklist order', () => {
    for (const group of GROUPS) {
      const node = treeNode(tree, group);
      assert.ok(node, `no ${group} group`);
      const items = audit.checklist.filter((r) => r.item.group === group);
      const pass = items.filter((r) => r.status === 'pass').length;
      const fail = items.filter((r) => r.status === 'fail').length;
      assert.strictEqual(node.description, `${pass} pass · ${fail} fail`, `${group} description`);
      assert.strictEqual(node.contextValue, 'group');
      assert.deepStrictEqual(node.children.map((c) => c.label), items.map((r) => r.item.title), `${group} items`);
    }
    assert.strictEqual(treeNode(tree, 'Database')?.description, '0 pass · 2 fail');
  });

  it('Database → Appropriate indexes fails, its children are the missing-index / unindexed-foreign-key findings as file:line', () => {
    const node = treeNode(tree, 'Database', 'Appropriate indexes');
    assert.ok(node);
    const result = audit.checklist.find((r) => r.item.id === 'indexes');
    assert.ok(result);
    assert.strictEqual(node.contextValue, 'item.fail');
    assert.strictEqual(node.icon, 'error');
    assert.ok(node.description?.startsWith('fail'), `description "${node.description}"`);
    assert.strictEqual(node.description, `fail · ${result.findings.length}`);

    const rules = new Set(result.findings.map((f) => f.ruleId));
    assert.deepStrictEqual([...rules].sort(), ['missing-index', 'unindexed-foreign-key'], 'rules of the indexes findings');
    assert.deepStrictEqual(
      node.children.map((c) => c.description),
      result.findings.map((f) => `${f.file}:${f.range.start.line + 1}`),
      'finding rows: file:line of each finding, in order',
    );
    for (const c of node.children) {
      assert.match(c.description ?? '', FILE_LINE, `finding "${c.label}"`);
      assert.strictEqual(c.contextValue, 'finding', `finding "${c.label}"`);
      assert.strictEqual(c.children.length, 0);
    }
    const status = node.children.find((c) => c.description === 'db/queries/orders.sql:4');
    assert.ok(status, `no finding row db/queries/orders.sql:4:\n${describeTree([node])}`);
    assert.ok(status.label.startsWith('No index on orders(status)'), `label "${status.label}"`);
    assert.strictEqual(status.icon, 'warning');
    const fk = node.children.find((c) => c.description === 'db/migrations/001_init.sql:26');
    assert.ok(fk, `no finding row db/migrations/001_init.sql:26 (order_items.order_id):\n${describeTree([node])}`);
    assert.ok(fk.label.startsWith('Foreign key order_items(order_id)'), `label "${fk.label}"`);
  });

  it('Database → Optimized table schemas fails on order_items without a primary key', () => {
    const node = treeNode(tree, 'Database', 'Optimized table schemas');
    assert.ok(node);
    assert.strictEqual(node.contextValue, 'item.fail');
    assert.ok(node.description?.startsWith('fail'), `description "${node.description}"`);
    const pk = node.children.find((c) => c.description === 'db/migrations/001_init.sql:25');
    assert.ok(pk, `no finding row db/migrations/001_init.sql:25:\n${describeTree([node])}`);
    assert.match(pk.label, /order_items has no primary key/);
  });

  it('Operations items are unknown (no evidence in the demo)', () => {
    const ops = treeNode(tree, 'Operations');
    assert.ok(ops);
    assert.ok(ops.children.length > 0, 'no Operations items');
    for (const item of ops.children) {
      assert.strictEqual(item.description, 'unknown', `${item.label}`);
      assert.strictEqual(item.contextValue, 'item.unknown', `${item.label}`);
      assert.strictEqual(item.icon, 'circle-large-outline', `${item.label}`);
      assert.deepStrictEqual(item.children, [], `${item.label} has children`);
    }
  });
});
