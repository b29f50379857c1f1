import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, openDocument, rangeOf, waitFor, waitForDiagnostic } from './helpers';

const FILE = 'src/user-directory.ts';

// An ORM / query-builder call (knex) is read as the SQL it runs: a diagnostic on the unindexed filter,
// and a hover over the call with the SQL shape and, per filter, whether an index serves it.
describe('src/user-directory.ts (knex)', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    await activateExtension();
    doc = await openDocument(FILE);
  });

  it('reports missing-index on the filtered column, with the SQL the call runs', async () => {
    const d = await waitForDiagnostic(doc.uri, 'missing-index', rangeOf(doc, 'where({ name })', 'name'));
    assert.match(d.message, /^No index on users\(name\): .*\(users\.first runs SELECT … FROM users WHERE name = \$1 LIMIT 1\.\)$/);
  });

  it('hovering the call shows the SQL shape and that no index of users leads with name', async () => {
    const at = rangeOf(doc, 'knex("users")', 'knex').start;
    const text = await waitFor('a Perf Auditor hover over the knex call', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const all = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')));
      // MarkdownString.appendText escapes spaces as &nbsp;
      return all.find((v) => v.includes('Perf Auditor'))?.replace(/&nbsp;/g, ' ');
    });
    assert.match(text, /knex: users\.first/);
    assert.match(text, /SELECT … FROM users WHERE name = \$1 LIMIT 1/);
    assert.match(text, /name: no index of users leads with it/);
  });
});
