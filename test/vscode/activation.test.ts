import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from './support/workbench';

suite('activation', () => {
  test('the extension is installed under its manifest id', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the loaded extensions`);
    assert.equal(extension.packageJSON.name, 'control-lens');
  });

  test('activates by itself on a workspace holding policy and OSCAL files, with no file open', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    // Nothing in this suite has opened a file or called activate() yet: only the activation events can do it.
    assert.equal(vscode.window.visibleTextEditors.length, 0, 'a file is open before the activation test');
    await waitFor('the extension to activate', () => extension.isActive, { timeoutMs: 30_000 });
  });

  test('contributes its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const declared: { command: string }[] = extension.packageJSON.contributes?.commands ?? [];
    assert.ok(declared.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'commands declared in package.json but not registered by activate()');
  });
});
