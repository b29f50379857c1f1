import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension } from './helpers';

const COMMANDS = ['perfAuditor.auditWorkspace', 'perfAuditor.auditCurrentFile', 'perfAuditor.showOutput'];

describe('commands', () => {
  before(async () => {
    await activateExtension();
  });

  it(`registers ${COMMANDS.join(', ')}`, async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((c) => !all.has(c));
    assert.deepStrictEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it('perfAuditor.auditWorkspace resolves without throwing', async () => {
    await vscode.commands.executeCommand('perfAuditor.auditWorkspace');
  });
});
