import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension } from './helpers';

interface ViewContribution {
  id: string;
  name?: string;
}

describe('extension', () => {
  it(`is installed as ${EXTENSION_ID} and activates`, async () => {
    const ext = await activateExtension();
    assert.strictEqual(ext.id, EXTENSION_ID);
    assert.strictEqual(ext.isActive, true);
  });

  it('activates when the workspace contains SQL files', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const events = (ext.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(
      events.some((e) => /^workspaceContains:.*\.sql\b/.test(e)),
      `activationEvents has no workspaceContains:…*.sql entry: ${JSON.stringify(events)}`,
    );
  });

  it('contributes the perfAuditor.findings tree view', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const views = (ext.packageJSON as { contributes?: { views?: Record<string, ViewContribution[]> } }).contributes?.views ?? {};
    const all = Object.values(views).flat();
    assert.ok(
      all.some((v) => v.id === 'perfAuditor.findings'),
      `contributes.views has no perfAuditor.findings: ${JSON.stringify(views)}`,
    );
  });
});
