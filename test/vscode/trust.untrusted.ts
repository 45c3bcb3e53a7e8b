// Runs with workspace trust on and the fixtures folder not trusted (the harness's `untrusted` suite): the
// extension declares limited support, so it must still analyse files, and its server must know it is untrusted.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, fixtureUri, openFixture, waitFor, waitForDiagnostic } from './support/workbench';

suite('untrusted workspace', () => {
  test('the workspace is not trusted in this run', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('the extension activates, analyses files and tells its server the workspace is untrusted', async () => {
    const extension = vscode.extensions.getExtension<{ ready?: () => Promise<{ trusted?: boolean }> }>(EXTENSION_ID);
    assert.ok(extension);
    await waitFor('the extension to activate in restricted mode', () => extension.isActive, { timeoutMs: 30_000 });
    const status = await extension.exports.ready?.();
    assert.equal(status?.trusted, false, `the server reports ${JSON.stringify(status)}`);
    const editor = await openFixture('k8s/privileged-pod.yaml');
    await waitForDiagnostic(editor.document.uri, 'pss.privileged');
  });

  test('a restricted setting from the untrusted folder is ignored', async () => {
    // The folder's .vscode/settings.json turns remote catalogs on; package.json lists the setting among
    // restrictedConfigurations, so an untrusted folder cannot switch it on.
    const raw = await vscode.workspace.fs.readFile(fixtureUri('.vscode/settings.json'));
    assert.equal(JSON.parse(Buffer.from(raw).toString('utf8'))['controlLens.allowRemoteCatalogs'], true);
    assert.equal(vscode.workspace.getConfiguration('controlLens').get('allowRemoteCatalogs'), false);
  });
});
