// Workspace memory (.superagent/memory, see shared/memory-protocol.md): the Memory node of the
// checklist view and perfAuditor.writeMemory, which must only add its own marker blocks, the
// "Last updated" line and the history table, keeping every user byte. Changes the workspace
// (creates .superagent/memory) and deletes what it created at the end.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  type ApiWorkspaceAudit,
  EXTENSION_ID,
  type PerfAuditorApi,
  type TreeSnapshot,
  deletePath,
  extensionApi,
  fileExists,
  readBytes,
  today,
  treeNode,
  waitFor,
  waitForTree,
  workspaceRoot,
  workspaceUri,
} from './helpers';

const MEMORY_DIR = '.superagent/memory';
const INSIGHTS = `${MEMORY_DIR}/insights.md`;
const PERF_DATA = `${MEMORY_DIR}/performance-data.md`;
const MARKER_BEGIN = '<!-- perf-auditor:begin -->';
const MARKER_END = '<!-- perf-auditor:end -->';
const INSIGHTS_ENTRY = 'Insights — Infrastructure & Performance';
const PERF_DATA_ENTRY = 'Performance data — audit history';

// The team's file: LF lines, then a section with CRLF lines ending without a final newline.
const USER_INSIGHTS =
  [
    '# Project Insights',
    '',
    'What we learned building the demo shop.',
    '',
    '## Infrastructure & Performance',
    '',
    '### Performance Optimization',
    '',
    '- **Caching**: planned - faster pages',
    '',
    '### Cost Management',
    '',
    '- **Hosting**: reviewed quarterly - keeps the bill flat',
    '',
  ].join('\n') +
  '\n' +
  ['## Team Notes', '', 'Deploys happen on Tuesdays.', 'Ask Dana before touching the billing tables.'].join('\r\n');
const USER_LINE = '\r\nRemember to re-run the audit after each migration.\r\n';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
/** Lines with their terminators ('\n', '\r\n' or none for the last). */
const linesOf = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
const bare = (l: string): string => l.replace(/\r?\n$/, '');

/** Asserts that the lines of `before` (terminators included) appear in `after` in order. */
function assertLinesKept(before: string, after: string, what: string): void {
  const out = linesOf(after);
  let at = 0;
  for (const [i, line] of linesOf(before).entries()) {
    while (at < out.length && out[at] !== line) at++;
    assert.ok(
      at < out.length,
      `${what}: line ${i + 1} of the original (${JSON.stringify(line)}) is missing or out of order in the written file:\n${after}`,
    );
    at++;
  }
}

function memoryChildren(tree: TreeSnapshot[]): TreeSnapshot[] | undefined {
  return treeNode(tree, 'Memory')?.children;
}

/** Line index range [start, end) of the body of the heading `heading` (up to the next heading of the same or a higher level). */
function sectionLines(lines: string[], heading: string): [number, number] {
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}" line`);
  const level = /^#+/.exec(heading)?.[0].length ?? 1;
  let end = start + 1;
  while (end < lines.length && !(/^#+ /.test(lines[end]) && (/^#+/.exec(lines[end])?.[0].length ?? 9) <= level)) end++;
  return [start + 1, end];
}

/**
 * Creates the folder `relativePath` one level at a time, each level only once the file watcher
 * reported the previous one: a folder created together with its parent (mkdir -p) can be missed by
 * code-server's recursive watcher, and then no event for files inside it ever arrives.
 */
async function createFolderSeenByWatcher(relativePath: string): Promise<void> {
  const parts = relativePath.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const uri = workspaceUri(parts.slice(0, i).join('/'));
    if (await fileExists(uri)) continue;
    const parent = i === 1 ? workspaceRoot() : workspaceUri(parts.slice(0, i - 1).join('/'));
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(parent, parts[i - 1]), false, true, true);
    try {
      let seen = false;
      watcher.onDidCreate(() => { seen = true; });
      await vscode.workspace.fs.createDirectory(uri);
      await waitFor(`the file watcher to report the new folder ${parts.slice(0, i).join('/')}`, () => (seen ? true : undefined), 10_000);
    } finally {
      watcher.dispose();
    }
  }
}

describe('workspace memory (.superagent/memory)', () => {
  let api: PerfAuditorApi;
  let audit: ApiWorkspaceAudit;
  const insights = workspaceUri(INSIGHTS);
  const perfData = workspaceUri(PERF_DATA);
  let written: { insights: Uint8Array; perfData: Uint8Array } | undefined;

  before(async () => {
    api = await extensionApi();
    assert.strictEqual(await fileExists(workspaceUri('.superagent')), false, '.superagent exists before the test');
  });

  after(async () => {
    // One file at a time, each deletion shown before the next, then the folders. (Deleting both in
    // quick succession once left the Memory node listing a deleted file: src/extension/memory.ts
    // reload() starts a new load() while an older one may still run and finish last.)
    await deletePath(insights);
    await waitForTree(api, `the Memory node to drop ${INSIGHTS}`, (t) =>
      memoryChildren(t)?.some((c) => c.label === INSIGHTS_ENTRY) ? undefined : true,
    );
    await deletePath(perfData);
    await waitForTree(api, 'the Memory node to show no memory files again', (t) =>
      memoryChildren(t)?.[0]?.label === 'No memory files yet' ? true : undefined,
    );
    await deletePath(workspaceUri('.superagent'));
  });

  it('without memory files, the Memory node says so', async () => {
    const memory = await waitForTree(api, 'the Memory node to report no memory files', (t) => {
      const m = treeNode(t, 'Memory');
      return m?.description === 'no .superagent/memory files' ? m : undefined;
    });
    assert.deepStrictEqual(memory.children.map((c) => c.label), ['No memory files yet']);
    assert.match(memory.children[0].description ?? '', /Write Audit to Memory/);
  });

  it("shows the team's insights.md (user bullets) once it exists", async () => {
    await createFolderSeenByWatcher(MEMORY_DIR);
    await vscode.workspace.fs.writeFile(insights, encode(USER_INSIGHTS));
    const entry = await waitForTree(api, `the Memory node to list ${INSIGHTS}`, (t) =>
      memoryChildren(t)?.find((c) => c.label === INSIGHTS_ENTRY),
    );
    assert.strictEqual(entry.description, 'insights.md · 2 bullets');
    assert.deepStrictEqual(
      entry.children.map((c) => [c.label, c.description]),
      [['Caching', 'planned — faster pages'], ['Hosting', 'reviewed quarterly — keeps the bill flat']],
    );
    const tree = await api.treeSnapshot();
    assert.deepStrictEqual(memoryChildren(tree)?.map((c) => c.label), [INSIGHTS_ENTRY], 'no performance data yet');
    assert.strictEqual(treeNode(tree, 'Memory')?.description, '1 file');
  });

  it('perfAuditor.writeMemory adds its blocks to insights.md and keeps every user line byte for byte', async () => {
    audit = await waitFor('an audit', () => api.lastAudit());
    await vscode.commands.executeCommand('perfAuditor.writeMemory');
    audit = api.lastAudit() ?? audit;
    const text = decode(await readBytes(insights));
    assertLinesKept(USER_INSIGHTS, text, INSIGHTS);
    assert.ok(text.endsWith('Ask Dana before touching the billing tables.'), 'the missing final newline should stay missing');
    const crlf = (s: string): number => s.split('\r\n').length - 1;
    assert.strictEqual(crlf(text), crlf(USER_INSIGHTS), 'added lines should use the dominant line ending (LF)');

    const lines = linesOf(text).map(bare);
    const [sectionStart, sectionEnd] = sectionLines(lines, '## Infrastructure & Performance');
    assert.ok(lines.indexOf('## Team Notes') >= sectionEnd, 'Team Notes should follow the section');
    const [from, to] = sectionLines(lines, '### Performance Optimization');
    const own = lines.slice(from, to);
    const user = own.indexOf('- **Caching**: planned - faster pages');
    const begin = own.indexOf(MARKER_BEGIN);
    const end = own.indexOf(MARKER_END);
    assert.ok(user >= 0 && begin > user && end > begin, `Performance Optimization should hold the user bullet, then our block:\n${own.join('\n')}`);
    const block = own.slice(begin + 1, end);
    const indexes = audit.checklist.find((r) => r.item.id === 'indexes');
    assert.ok(indexes);
    const bullet = block.find((l) => l.startsWith('- **Appropriate indexes**:'));
    assert.ok(bullet, `no "Appropriate indexes" bullet in our block:\n${block.join('\n')}`);
    assert.match(bullet, /^- \*\*Appropriate indexes\*\*: fail \(\d+ findings\) - \S/);
    assert.ok(bullet.includes(`fail (${indexes.findings.length} findings)`), bullet);
    for (const l of block) assert.match(l, /^- \*\*[^*]+\*\*: /, 'every line of our block is a "- **Topic**: status - impact" bullet');

    const lastUpdated = lines.slice(sectionStart, sectionEnd).filter((l) => /^Last updated:/.test(l));
    assert.deepStrictEqual(lastUpdated, [`Last updated: ${today()}`], 'the section should end with one Last updated line');
    assert.strictEqual(lines.filter((l) => l === MARKER_BEGIN).length, lines.filter((l) => l === MARKER_END).length);
  });

  it('performance-data.md gets the section and a history row for today with the current score', async () => {
    assert.ok(audit, 'needs the previous test');
    const lines = linesOf(decode(await readBytes(perfData))).map(bare);
    const [sectionStart, sectionEnd] = sectionLines(lines, '## Infrastructure Performance Data');
    const [from, to] = sectionLines(lines, '### System Performance');
    assert.ok(from > sectionStart && to <= sectionEnd, 'System Performance should be inside the section');
    const own = lines.slice(from, to);
    const begin = own.indexOf(MARKER_BEGIN);
    const end = own.indexOf(MARKER_END);
    assert.ok(begin >= 0 && end > begin, `no marker block in System Performance:\n${own.join('\n')}`);
    const table = own.slice(begin + 1, end);
    assert.match(table[0] ?? '', /^\| Date \| Score \| Findings \| Pass \| Fail \| Unknown \| N\/A \| Failing items \(findings\) \| Notes \|$/);
    assert.match(table[1] ?? '', /^\|( -+:? \|)+$/);
    const count = (s: string): number => audit.checklist.filter((r) => r.status === s).length;
    const failing = audit.checklist.filter((r) => r.status === 'fail').map((r) => `${r.item.id} (${r.findings.length})`).join(', ');
    const version = String((vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { version?: string }).version);
    const expected = `| ${today()} | ${Math.round(audit.score)} | ${audit.findings.length} | ${count('pass')} | ${count('fail')} | ` +
      `${count('unknown')} | ${count('not-applicable')} | ${failing} | perf-auditor ${version} |`;
    assert.deepStrictEqual(table.slice(2), [expected], 'history rows');
  });

  it('the Memory node lists the insights entry and the audit history (1 audit)', async () => {
    const children = await waitForTree(api, 'the Memory node to list the written files', (t) => {
      const c = memoryChildren(t);
      return c?.some((x) => x.label === PERF_DATA_ENTRY) ? c : undefined;
    });
    assert.deepStrictEqual(children.map((c) => c.label), [INSIGHTS_ENTRY, PERF_DATA_ENTRY]);
    const [ins, perf] = children;
    assert.match(ins.description ?? '', new RegExp(`^insights\\.md · updated ${today()} · \\d+ bullets$`));
    assert.ok(ins.children.some((c) => c.label === 'Caching'), 'the user bullet should still be listed');
    const indexes = ins.children.find((c) => c.label === 'Appropriate indexes');
    assert.ok(indexes?.description?.startsWith('fail'), `Appropriate indexes: ${indexes?.description}`);
    assert.strictEqual(perf.description, `1 audit · last ${today()}`);
    const fails = audit.checklist.filter((r) => r.status === 'fail').length;
    assert.deepStrictEqual(
      perf.children.map((c) => [c.label, c.description]),
      [[today(), `score ${Math.round(audit.score)} · ${audit.findings.length} findings · ${fails} failing`]],
    );
    const memory = treeNode(await api.treeSnapshot(1), 'Memory');
    assert.strictEqual(memory?.description, `2 files · last audit ${today()}, score ${Math.round(audit.score)}`);
  });

  it('writing again changes no byte (idempotent)', async () => {
    const before = { insights: await readBytes(insights), perfData: await readBytes(perfData) };
    await vscode.commands.executeCommand('perfAuditor.writeMemory');
    const after = { insights: await readBytes(insights), perfData: await readBytes(perfData) };
    assert.strictEqual(decode(after.insights), decode(before.insights), `${INSIGHTS} changed on the second write`);
    assert.strictEqual(decode(after.perfData), decode(before.perfData), `${PERF_DATA} changed on the second write`);
    assert.ok(Buffer.from(after.insights).equals(Buffer.from(before.insights)), `${INSIGHTS}: different bytes`);
    assert.ok(Buffer.from(after.perfData).equals(Buffer.from(before.perfData)), `${PERF_DATA}: different bytes`);
    written = after;
  });

  it('a line the user appends to insights.md is kept by the next write', async () => {
    assert.ok(written, 'needs the previous test');
    const edited = decode(written.insights) + USER_LINE;
    await vscode.workspace.fs.writeFile(insights, encode(edited));
    await vscode.commands.executeCommand('perfAuditor.writeMemory');
    const text = decode(await readBytes(insights));
    assert.ok(text.includes(USER_LINE), `the appended line is gone:\n${text}`);
    assert.strictEqual(text, edited, 'nothing else should change either');
    assert.ok(Buffer.from(await readBytes(perfData)).equals(Buffer.from(written.perfData)), `${PERF_DATA} changed`);
  });

  it('performance-data.md open with unsaved edits: not written then, written after the editor saves', async () => {
    const onDisk = decode(await readBytes(perfData));
    // A row from another day, so that the write has something to change.
    await vscode.workspace.fs.writeFile(perfData, encode(onDisk.replace(new RegExp(`^\\| ${today()} \\|`, 'm'), '| 2000-01-01 |')));
    const before = decode(await readBytes(perfData));
    const doc = await vscode.workspace.openTextDocument(perfData);
    await vscode.window.showTextDocument(doc);
    const NOTE = '- **Team note**: typed in the editor - not saved yet';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(perfData, new vscode.Position(0, 0), `${NOTE}\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty);
    await vscode.commands.executeCommand('perfAuditor.writeMemory');
    assert.strictEqual(decode(await readBytes(perfData)), before, 'written over an editor with unsaved edits');
    await doc.save();
    const after = await waitFor('the held-back write after the save', async () => {
      const t = decode(await readBytes(perfData));
      return t.includes(`| ${today()} |`) ? t : undefined;
    });
    assert.ok(after.startsWith(`${NOTE}\n`), 'the saved edit is kept');
    assert.ok(after.includes('| 2000-01-01 |'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
