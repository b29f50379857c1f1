import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activateExtension,
  describeDiagnostics,
  fileExists,
  fmt,
  openDocument,
  ourDiagnostics,
  rangeOf,
  readText,
  SOURCE,
  waitFor,
  waitForDiagnostic,
  workspaceUri,
} from './helpers';

const ORDERS_SQL = 'db/queries/orders.sql';
const MIGRATION = 'db/migrations/003_orders_status_created_at_idx.sql';
const CREATE_INDEX = 'CREATE INDEX CONCURRENTLY orders_status_created_at_idx ON orders (status, created_at);';

// Runs in order: the last tests apply the "Create index" quick fix and change the workspace.
describe('db/queries/orders.sql', () => {
  let doc: vscode.TextDocument;
  let statusRange: vscode.Range;
  let diagnostic: vscode.Diagnostic;
  let actions: vscode.CodeAction[] = [];
  let migrationWritten = false;

  before(async () => {
    await activateExtension();
    doc = await openDocument(ORDERS_SQL);
    statusRange = rangeOf(doc, "WHERE status = 'pending'", 'status');
  });

  it("the fixture has WHERE status = 'pending' on line 3 and no 003 migration yet", async () => {
    assert.strictEqual(statusRange.start.line, 3);
    assert.strictEqual(doc.getText(statusRange), 'status');
    assert.strictEqual(await fileExists(workspaceUri(MIGRATION)), false, `${MIGRATION} exists before the fix`);
  });

  it('reports missing-index exactly on status, with a documentation link', async () => {
    diagnostic = await waitForDiagnostic(doc.uri, 'missing-index', statusRange);
    assert.strictEqual(diagnostic.source, SOURCE);
    const code = diagnostic.code;
    assert.ok(code !== null && typeof code === 'object', `code should be { value, target }, got ${JSON.stringify(code)}`);
    assert.strictEqual(code.value, 'missing-index');
    assert.ok(code.target instanceof vscode.Uri, 'code.target should be a Uri');
    assert.strictEqual(code.target.scheme, 'perf-auditor-docs', `code.target: ${code.target.toString()}`);
    assert.strictEqual(code.target.path, '/rules/missing-index.md', `code.target: ${code.target.toString()}`);
  });

  it('the documentation link opens the bundled docs page, read-only and offline, inside VS Code', async () => {
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    // What the Problems panel and the hover do with a code link: hand its target to the opener.
    await vscode.commands.executeCommand('vscode.open', code.target);
    const editor = await waitFor('an editor showing the docs page', () =>
      vscode.window.activeTextEditor?.document.uri.scheme === 'perf-auditor-docs' ? vscode.window.activeTextEditor : undefined);
    const text = editor.document.getText();
    const ext = vscode.extensions.getExtension('perf-auditor.perf-auditor')!;
    const bundled = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'docs', 'rules', 'missing-index.md')));
    assert.strictEqual(text, bundled, 'the page is the docs/rules/missing-index.md shipped in the extension');
    assert.match(text, /^# missing-index\n/);
    // Read-only: a content provider's document cannot be saved over the bundled file.
    const edited = await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'x'));
    if (edited) assert.strictEqual(await editor.document.save(), false, 'the docs document must not be saveable');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers Create index / Disable for this line / Show documentation code actions', async () => {
    assert.ok(diagnostic, 'needs the missing-index diagnostic from the previous test');
    const titles = (): string[] => actions.map((a) => a.title);
    actions = await waitFor('the Create index quick fix', async () => {
      const result = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        diagnostic.range,
        undefined,
        100, // resolve lazily computed edits
      );
      const codeActions = (result ?? []).filter((a): a is vscode.CodeAction => !isCommand(a));
      return codeActions.some((a) => a.title.startsWith('Create index')) ? codeActions : undefined;
    });
    const createIndex = actions.find((a) => a.title.startsWith('Create index'));
    assert.ok(createIndex);
    assert.ok(
      createIndex.kind && vscode.CodeActionKind.QuickFix.contains(createIndex.kind),
      `"${createIndex.title}" should be a quick fix, kind = ${createIndex.kind?.value}`,
    );
    assert.ok(createIndex.edit, `"${createIndex.title}" has no edit`);
    assert.ok(
      actions.some((a) => a.title.startsWith('Disable perf-auditor/missing-index for this line')),
      `no "Disable perf-auditor/missing-index for this line" action among: ${JSON.stringify(titles())}`,
    );
    assert.ok(
      actions.some((a) => a.title.startsWith('Show documentation for missing-index')),
      `no "Show documentation for missing-index" action among: ${JSON.stringify(titles())}`,
    );
  });

  it(`applying Create index writes ${MIGRATION}`, async () => {
    const createIndex = actions.find((a) => a.title.startsWith('Create index'));
    assert.ok(createIndex?.edit, 'needs the Create index quick fix from the previous test');
    let applied: boolean;
    try {
      applied = await vscode.workspace.applyEdit(createIndex.edit);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // VS Code does not revive createFile({ contents }) in a WorkspaceEdit that came back from
      // vscode.executeCodeActionProvider (the contents arrive as a DTO, not a Uint8Array).
      const hint = /revive data transfer file/.test(message)
        ? ' (the edit uses createFile(uri, { contents }), which does not survive vscode.executeCodeActionProvider;' +
          ' createFile(uri) + insert(uri, new Position(0, 0), text) does)'
        : '';
      throw new Error(`applyEdit("${createIndex.title}") threw: ${message}${hint}`, { cause: err });
    }
    assert.strictEqual(applied, true, 'applyEdit returned false');
    await saveEverything();
    const uri = workspaceUri(MIGRATION);
    const text = await waitFor(`${MIGRATION} on disk with the CREATE INDEX statement`, async () => {
      if (!(await fileExists(uri))) return undefined;
      const t = await readText(uri);
      return t.includes(CREATE_INDEX) ? t : undefined;
    }, 10_000).catch(async (err: Error) => {
      const actual = (await fileExists(uri)) ? JSON.stringify(await readText(uri)) : '(file does not exist)';
      throw new Error(`${err.message}; content: ${actual}`, { cause: err });
    });
    assert.ok(text.includes(CREATE_INDEX));
    migrationWritten = true;
  });

  it('after the migration exists, the missing-index diagnostic on status goes away', async () => {
    assert.ok(migrationWritten, 'needs the migration written by the previous test');
    await waitFor('the missing-index diagnostic on status to disappear', () =>
      ourDiagnostics(doc.uri, 'missing-index').some((d) => overlaps(d.range, statusRange)) ? undefined : true,
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}; status is at ${fmt(statusRange)}; diagnostics: ${describeDiagnostics(vscode.languages.getDiagnostics(doc.uri))}`,
        { cause: err },
      );
    });
  });
});

/**
 * workspace.saveAll() only saves documents shown in editors; a file created by
 * a workspace edit stays dirty in the background, so save those too.
 */
async function saveEverything(): Promise<void> {
  await vscode.workspace.saveAll(false);
  for (const d of vscode.workspace.textDocuments) {
    if (d.isDirty && !d.isUntitled) assert.strictEqual(await d.save(), true, `saving ${d.uri.toString()} failed`);
  }
}

function overlaps(a: vscode.Range, b: vscode.Range): boolean {
  const i = a.intersection(b);
  return i !== undefined && (!i.isEmpty || a.isEqual(b));
}

function isCommand(a: vscode.CodeAction | vscode.Command): a is vscode.Command {
  return typeof (a as vscode.Command).command === 'string';
}
