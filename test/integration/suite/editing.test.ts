// Tests that edit the workspace: unsaved edits to orders.sql, the "Disable … for this line"
// code action, new files (broken SQL; one left unsaved). They run after sql-file.test.ts and put
// back what they change (orders.sql text, the new files), so they depend on no earlier test.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeActionsAt,
  extensionApi,
  describeDiagnostics,
  fileExists,
  fmt,
  openDocument,
  ourDiagnostics,
  rangeOf,
  waitFor,
  waitForDiagnostic,
  waitForNoDiagnostic,
  workspaceUri,
} from './helpers';

const ORDERS_SQL = 'db/queries/orders.sql';
const BROKEN_SQL = 'db/queries/broken.sql';
const UNSAVED_SQL = 'db/queries/unsaved.sql';

describe('editing db/queries/orders.sql without saving', () => {
  let doc: vscode.TextDocument;
  let editor: vscode.TextEditor;
  let original: string;

  before(async () => {
    await activateExtension();
    doc = await openDocument(ORDERS_SQL);
    original = doc.getText();
  });

  beforeEach(async () => {
    editor = await vscode.window.showTextDocument(doc, { preview: false });
  });

  afterEach(async () => {
    // Put the text back so each test starts from the fixture. Not saved here: a save's file
    // watcher event, arriving during the next test, makes the extension re-read the file from
    // disk, and that read can overwrite the newer unsaved text (see the unsaved.sql test).
    if (doc.getText() !== original) {
      const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
      const e = new vscode.WorkspaceEdit();
      e.replace(doc.uri, whole, original);
      assert.strictEqual(await vscode.workspace.applyEdit(e), true, 'restoring orders.sql failed');
    }
  });

  after(async () => {
    if (doc.isDirty) assert.strictEqual(await doc.save(), true, 'saving orders.sql failed');
  });

  it('a line typed at the end gets a missing-index diagnostic on its column after the debounce, and loses it when removed', async () => {
    const statement = "SELECT id FROM audit_log WHERE action = 'x';";
    const isAuditLogAction = (d: vscode.Diagnostic): boolean => d.message.includes('audit_log(action)');
    assert.deepStrictEqual(
      ourDiagnostics(doc.uri, 'missing-index').filter(isAuditLogAction).map((d) => fmt(d.range)),
      [],
      'orders.sql already has a missing-index diagnostic on audit_log(action)',
    );

    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const text = (end.character === 0 ? '' : '\n') + statement + '\n';
    assert.strictEqual(await editor.edit((b) => b.insert(end, text)), true, 'TextEditor.edit (insert) returned false');
    assert.strictEqual(doc.isDirty, true, 'orders.sql should be dirty (unsaved) after the edit');

    const actionRange = rangeOf(doc, "WHERE action = 'x'", 'action');
    assert.strictEqual(actionRange.start.line, doc.lineCount - 2, 'the statement should be on the last non-empty line');
    const d = await waitForDiagnostic(doc.uri, 'missing-index', actionRange);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(isAuditLogAction(d), `message should name audit_log(action): "${d.message}"`);
    assert.strictEqual(doc.isDirty, true, 'the diagnostic must come from the unsaved text');

    const inserted = new vscode.Range(end, doc.positionAt(doc.getText().length));
    assert.strictEqual(doc.getText(inserted), text);
    assert.strictEqual(await editor.edit((b) => b.delete(inserted)), true, 'TextEditor.edit (delete) returned false');
    assert.strictEqual(doc.getText(), original);
    await waitForNoDiagnostic(doc.uri, 'missing-index', 'the missing-index diagnostic on audit_log(action)', isAuditLogAction);
  });

  it('"Disable perf-auditor/select-star for this line" inserts the comment above and silences select-star only', async () => {
    const starRange = rangeOf(doc, 'SELECT * FROM users', '*');
    const line = starRange.start.line;
    const d = await waitForDiagnostic(doc.uri, 'select-star', starRange);
    // The LIKE '%smith%' on the same line is a different rule and must stay reported.
    const sameLine = ourDiagnostics(doc.uri, 'non-sargable-predicate').filter((x) => x.range.start.line === line);
    assert.strictEqual(sameLine.length, 1, `non-sargable-predicate on line ${line}: ${describeDiagnostics(sameLine)}`);

    const title = 'Disable perf-auditor/select-star for this line';
    const actions = await waitFor(`the "${title}" code action`, async () => {
      const all = await codeActionsAt(doc.uri, d.range);
      return all.some((a) => a.title === title) ? all : undefined;
    });
    const disable = actions.filter((a) => a.title === title);
    assert.strictEqual(disable.length, 1, `expected one "${title}", got ${JSON.stringify(actions.map((a) => a.title))}`);
    const [action] = disable;
    assert.ok(action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind), `kind = ${action.kind?.value}`);
    assert.ok(action.edit, `"${title}" has no edit`);
    assert.deepStrictEqual(
      action.edit.entries().map(([uri]) => uri.toString()),
      [doc.uri.toString()],
      'the edit should only touch orders.sql',
    );

    const lineCount = doc.lineCount;
    assert.strictEqual(await vscode.workspace.applyEdit(action.edit), true, 'applyEdit returned false');
    assert.strictEqual(doc.lineCount, lineCount + 1, 'exactly one line should be inserted');
    assert.strictEqual(doc.lineAt(line).text, '-- perf-audit-disable-next-line select-star');
    assert.ok(
      doc.lineAt(line + 1).text.startsWith('SELECT * FROM users'),
      `the statement should follow the comment, line ${line + 1} is "${doc.lineAt(line + 1).text}"`,
    );

    await waitForNoDiagnostic(doc.uri, 'select-star', 'the select-star diagnostic on SELECT * FROM users');
    const like = sameLine[0].range;
    assert.deepStrictEqual(
      ourDiagnostics(doc.uri, 'non-sargable-predicate')
        .filter((x) => x.range.start.line === line + 1)
        .map((x) => fmt(x.range)),
      [fmt(new vscode.Range(like.start.translate(1), like.end.translate(1)))],
      'the non-sargable-predicate diagnostic on the same statement should stay (moved down one line)',
    );
  });
});

/** Creates `relativePath` with `text` the way quick fixes do: WorkspaceEdit createFile + insert (left unsaved). */
async function createWithWorkspaceEdit(relativePath: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceUri(relativePath);
  assert.strictEqual(await fileExists(uri), false, `${relativePath} exists before the test`);
  const e = new vscode.WorkspaceEdit();
  e.createFile(uri, { ignoreIfExists: false });
  e.insert(uri, new vscode.Position(0, 0), text);
  assert.strictEqual(await vscode.workspace.applyEdit(e), true, `creating ${relativePath} failed`);
  const doc = await openDocument(relativePath);
  assert.strictEqual(doc.getText(), text);
  return doc;
}

/** Saves (a dirty file cannot be deleted quietly), closes and deletes `relativePath`; waits for its diagnostics to go. */
async function removeFile(relativePath: string): Promise<void> {
  const uri = workspaceUri(relativePath);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
    if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()) {
      await vscode.window.tabGroups.close(tab);
    }
  }
  if (await fileExists(uri)) {
    const e = new vscode.WorkspaceEdit();
    e.deleteFile(uri);
    assert.strictEqual(await vscode.workspace.applyEdit(e), true, `deleting ${relativePath} failed`);
  }
  await waitFor(`the diagnostics of the deleted ${relativePath} to go`, () =>
    vscode.languages.getDiagnostics(uri).length === 0 ? true : undefined,
  ).catch((err: Error) => {
    throw new Error(`${err.message}: ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`, { cause: err });
  });
}

describe(`a new ${BROKEN_SQL} with a statement that does not parse`, () => {
  const lines = [
    'SELECT id, email FROM users WHERE email = $1;',
    '',
    'SELEC id FROM FROM users;',
    '',
    "SELECT id, created_at FROM audit_log WHERE action = 'login';",
    '',
  ];

  before(async () => {
    await activateExtension();
  });

  after(async () => {
    await removeFile(BROKEN_SQL);
  });

  it('gets one sql-parse-error (Information) on the broken statement and missing-index on the next one', async () => {
    const doc = await createWithWorkspaceEdit(BROKEN_SQL, lines.join('\n'));
    // Saved: an unsaved file created this way is not analysed from its text (see the next describe).
    assert.strictEqual(await doc.save(), true, `saving ${BROKEN_SQL} failed`);

    const actionRange = rangeOf(doc, "WHERE action = 'login'", 'action');
    assert.strictEqual(actionRange.start.line, 4);
    const missing = await waitForDiagnostic(doc.uri, 'missing-index', actionRange);
    assert.strictEqual(missing.severity, vscode.DiagnosticSeverity.Warning);

    // Both come from the same audit: once missing-index is there, the parse errors are final.
    const parseErrors = ourDiagnostics(doc.uri, 'sql-parse-error');
    assert.strictEqual(parseErrors.length, 1, `sql-parse-error diagnostics: ${describeDiagnostics(parseErrors)}`);
    const [pe] = parseErrors;
    assert.strictEqual(pe.severity, vscode.DiagnosticSeverity.Information, `severity ${pe.severity}`);
    const broken = doc.lineAt(2).range;
    assert.ok(
      broken.contains(pe.range),
      `the sql-parse-error at ${fmt(pe.range)} should lie on the broken statement (${fmt(broken)})`,
    );
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(doc.uri).filter((d) => d.range.start.line === 0).map((d) => d.message),
      [],
      'the first (valid) statement should have no diagnostics',
    );
  });
});

describe(`a new ${UNSAVED_SQL} created by a WorkspaceEdit and left unsaved`, () => {
  before(async () => {
    await activateExtension();
  });

  after(async () => {
    await removeFile(UNSAVED_SQL);
  });

  // The extension's own "Create index" quick fix creates files this way and leaves them dirty.
  it('is analysed from its unsaved text, also after the file watcher reports the (empty) file on disk', async () => {
    const api = await extensionApi();
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(workspaceUri('db/queries'), 'unsaved.sql'),
      false,
      true,
      true,
    );
    try {
      let created = false;
      watcher.onDidCreate(() => { created = true; });
      const doc = await createWithWorkspaceEdit(UNSAVED_SQL, "SELECT id FROM audit_log WHERE action = 'logout';\n");
      assert.strictEqual(doc.isDirty, true);
      await waitFor('the file watcher to report the new file', () => (created ? true : undefined));
      const actionRange = rangeOf(doc, "WHERE action = 'logout'", 'action');
      await waitForDiagnostic(doc.uri, 'missing-index', actionRange).catch((err: Error) => {
        throw new Error(
          `${err.message} — the file watcher's create event makes the extension read the file from disk ` +
            '(src/extension/main.ts watcher.onDidCreate / onDidCreateFiles → Ctx.fileChanged(uri) → readInto), ' +
            'which replaces the open document\'s unsaved text with the empty file',
          { cause: err },
        );
      });
      // The watcher event has been handled by now; a fresh audit must still see the text.
      const audit = await waitFor('exports.audit() to complete', () => api.audit());
      const inAudit = audit.findings.filter((f) => f.file === UNSAVED_SQL).map((f) => `${f.ruleId} ${f.range.start.line}:${f.range.start.character}`);
      assert.deepStrictEqual(inAudit, [`missing-index ${actionRange.start.line}:${actionRange.start.character}`], `findings in ${UNSAVED_SQL}`);
      assert.ok(
        ourDiagnostics(doc.uri, 'missing-index').some((d) => d.range.isEqual(actionRange)),
        `the diagnostic went away: ${describeDiagnostics(vscode.languages.getDiagnostics(doc.uri))}`,
      );
    } finally {
      watcher.dispose();
    }
  });
});
