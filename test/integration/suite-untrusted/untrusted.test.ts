// Workspace Trust: a hostile repository opened in Restricted Mode. The runner (run-code-server.mjs
// --untrusted) planted, next to the workspace, <tmp>/outside/secret.sql (SQL on outside_marker_table
// holding a marker text) linked from db/leak.sql, and the empty folder <tmp>/outside-memory linked
// as .superagent/memory; .vscode/settings.json asks for "perfAuditor.memory.updateAfterAudit", and
// db/leak.sql is open in an editor from the start (payload openFile). Perf Auditor must audit the
// workspace, read nothing through the link, write nothing by itself, and never write through the
// linked memory folder even when asked to (nor into a real memory folder by itself: the last test
// replaces the link with one). After the run the runner checks from Node that the
// outside folders are byte-identical.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  type ApiFinding,
  type ApiWorkspaceAudit,
  type PerfAuditorApi,
  SOURCE,
  codeValue,
  describeDiagnostics,
  describeTree,
  extensionApi,
  ourDiagnostics,
  waitFor,
  workspaceUri,
} from '../suite/helpers';

const ORDERS_SQL = 'db/queries/orders.sql';
const LEAK_SQL = 'db/leak.sql';
/** How long nothing may be written after an audit or the command (the memory write is not awaited). */
const SETTLE_MS = 3_000;

function env(name: string): string {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run this suite through run-code-server.mjs --untrusted`);
  return v;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Names in `dir` (recursively, without following links), relative to it. */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) walk(r);
    }
  };
  walk('');
  return out.sort();
}

function describeFindings(findings: readonly ApiFinding[]): string {
  return findings.map((f) => `${f.file} ${f.ruleId}: ${f.message}`).join('\n') || '(none)';
}

describe('untrusted workspace (Restricted Mode, links out of the workspace)', () => {
  const workspace = env('PERF_AUDITOR_TEST_WORKSPACE');
  const outside = env('PERF_AUDITOR_TEST_OUTSIDE');
  const outsideMemory = env('PERF_AUDITOR_TEST_OUTSIDE_MEMORY');
  const table = env('PERF_AUDITOR_TEST_OUTSIDE_TABLE');
  const marker = env('PERF_AUDITOR_TEST_OUTSIDE_MARKER');
  /** Text that may only appear in what Perf Auditor shows if it read the outside file. */
  const leaked = (s: string): boolean => s.includes(table) || s.includes(marker);
  const memoryLink = path.join(workspace, '.superagent', 'memory');

  let api: PerfAuditorApi;
  let audit: ApiWorkspaceAudit;

  /** Nothing in <tmp>/outside-memory, nothing in .superagent (but the link), the link unchanged. */
  function assertNoMemoryWritten(when: string): void {
    assert.deepStrictEqual(listTree(outsideMemory), [], `${when}: files appeared in the linked outside memory folder ${outsideMemory}`);
    assert.deepStrictEqual(listTree(path.join(workspace, '.superagent')), ['memory'], `${when}: .superagent holds more than the planted link`);
    assert.ok(fs.lstatSync(memoryLink).isSymbolicLink(), `${when}: .superagent/memory is no longer the planted link`);
    assert.strictEqual(fs.readlinkSync(memoryLink), '../../outside-memory', `${when}: .superagent/memory points elsewhere now`);
    assert.deepStrictEqual(listTree(outside), ['secret.sql'], `${when}: files appeared in ${outside}`);
  }

  /** No finding and no diagnostic anywhere shows the outside file's content or lives on its path. */
  function assertNothingLeaked(a: ApiWorkspaceAudit): void {
    const bad = a.findings.filter((f) => leaked(f.message) || leaked(f.file) || f.file.startsWith('..') || path.isAbsolute(f.file));
    assert.deepStrictEqual(bad, [], `findings show the outside file:\n${describeFindings(bad)}`);
    const json = JSON.stringify(a);
    assert.ok(!leaked(json), `the audit (findings, stats or checklist) mentions ${table} or the marker`);
    for (const [uri, diags] of vscode.languages.getDiagnostics()) {
      const onOutsidePath = uri.fsPath.startsWith(outside) || uri.fsPath.startsWith(outsideMemory) || leaked(uri.path) || uri.path.includes('secret.sql');
      assert.ok(!onOutsidePath || diags.length === 0, `diagnostics on ${uri.toString()}: ${describeDiagnostics(diags)}`);
      const shown = diags.filter((d) => leaked(d.message) || (d.relatedInformation ?? []).some((r) => leaked(r.message)));
      assert.deepStrictEqual(shown.map((d) => d.message), [], `diagnostics on ${vscode.workspace.asRelativePath(uri)} show the outside file's content`);
    }
  }

  before(async () => {
    assert.ok(fs.realpathSync(path.join(workspace, LEAK_SQL)).startsWith(outside), `${LEAK_SQL} is not the planted link`);
    api = await extensionApi();
    audit = await waitFor('the first audit (exports.lastAudit())', () => api.lastAudit(), 60_000);
  });

  it('opens the folder in Restricted Mode, with a workspace setting asking for memory updates', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the workspace is trusted: this run must open it in Restricted Mode');
    const settings = JSON.parse(fs.readFileSync(path.join(workspace, '.vscode/settings.json'), 'utf8')) as Record<string, unknown>;
    assert.strictEqual(settings['perfAuditor.memory.updateAfterAudit'], true, 'the planted .vscode/settings.json does not ask for memory updates');
    // The linked document is open (restored editor): the audit must not take its text either.
    const open = await waitFor(`${LEAK_SQL} to be open in an editor`, () =>
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === workspaceUri(LEAK_SQL).toString()), 10_000);
    assert.ok(leaked(open.getText()), `the editor on ${LEAK_SQL} does not show the outside file (the fixture is not what this test expects)`);
  });

  it('activates and audits the demo (missing-index on orders.sql)', async () => {
    const missing = audit.findings.filter((f) => f.file === ORDERS_SQL && f.ruleId === 'missing-index');
    assert.ok(missing.length > 0, `no missing-index finding on ${ORDERS_SQL}; findings:\n${describeFindings(audit.findings)}`);
    const uri = workspaceUri(ORDERS_SQL);
    await waitFor(`missing-index diagnostics on ${ORDERS_SQL}`, () => (ourDiagnostics(uri, 'missing-index').length > 0 ? true : undefined), 10_000)
      .catch((err: Error) => { throw new Error(`${err.message}; diagnostics: ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`); });
  });

  it(`reports ${LEAK_SQL} only as skipped (links outside the workspace), never its content`, () => {
    const onLeak = audit.findings.filter((f) => f.file === LEAK_SQL);
    assert.strictEqual(onLeak.length, 1, `expected exactly one finding on ${LEAK_SQL}:\n${describeFindings(onLeak)}`);
    assert.strictEqual(onLeak[0].ruleId, 'file-skipped');
    assert.strictEqual(onLeak[0].severity, 'info');
    assert.match(onLeak[0].message, /links outside the workspace/);
    assertNothingLeaked(audit);
    // The editor's diagnostics on the link: the same single info diagnostic.
    const diags = vscode.languages.getDiagnostics(workspaceUri(LEAK_SQL)).filter((d) => d.source === SOURCE);
    assert.deepStrictEqual(diags.map((d) => codeValue(d)), ['file-skipped'], `diagnostics on ${LEAK_SQL}: ${describeDiagnostics(diags)}`);
  });

  it('re-audits without reading the link (an edit-free re-run and the tree)', async () => {
    const again = await api.audit();
    assert.ok(again, 'exports.audit() returned nothing');
    audit = again;
    assertNothingLeaked(again);
    assert.deepStrictEqual(again.findings.filter((f) => f.file === LEAK_SQL).map((f) => f.ruleId), ['file-skipped']);
    const tree = await api.treeSnapshot(4);
    assert.ok(!leaked(describeTree(tree)), `the checklist view shows the outside file:\n${describeTree(tree)}`);
  });

  it('writes no memory after audits although the workspace setting asks for it', async () => {
    await delay(SETTLE_MS);
    assertNoMemoryWritten('after the audits');
    assert.strictEqual(fs.existsSync(path.join(workspace, '.superagent/memory/insights.md')), false);
    assert.strictEqual(fs.existsSync(path.join(workspace, '.superagent/memory/performance-data.md')), false);
  });

  it('perfAuditor.writeMemory does not write through the linked memory folder', async () => {
    await vscode.commands.executeCommand('perfAuditor.writeMemory');
    await delay(SETTLE_MS);
    assertNoMemoryWritten('after perfAuditor.writeMemory');
  });

  // Last (replaces the planted link): without the link refusing every write, it is Restricted Mode
  // alone that keeps the workspace's "memory.updateAfterAudit" from writing after an audit.
  it('writes no memory after an audit into a real .superagent/memory folder either', async () => {
    fs.unlinkSync(memoryLink);
    fs.mkdirSync(memoryLink);
    const again = await api.audit();
    assert.ok(again, 'exports.audit() returned nothing');
    await delay(SETTLE_MS);
    assert.deepStrictEqual(listTree(memoryLink), [], 'an audit in Restricted Mode wrote to .superagent/memory');
    assert.deepStrictEqual(listTree(outsideMemory), []);
  });
});
