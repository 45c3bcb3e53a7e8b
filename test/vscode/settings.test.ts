import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, describeDiagnostics, diagnosticsWithCode, openFixture, waitFor, waitForDiagnostic } from './support/workbench';

suite('settings', () => {
  const config = () => vscode.workspace.getConfiguration('controlLens');

  teardown(async () => {
    // Global (user) settings: the workspace folder is the fixtures, which the suite never writes to.
    await config().update('podSecurity', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('controlLens.podSecurity applies live: restricted findings go at baseline and come back', async () => {
    assert.ok(config().inspect('podSecurity'), 'package.json contributes no controlLens.podSecurity setting');
    const editor = await openFixture('k8s/restricted-only.yaml');
    const uri = editor.document.uri;
    await config().update('podSecurity', 'restricted', vscode.ConfigurationTarget.Global);
    await waitForDiagnostic(uri, 'pss.runasnonroot');
    assert.deepEqual(diagnosticsWithCode(uri, /^pss\.privileged$/), [], 'the fixture should pass baseline');

    await config().update('podSecurity', 'baseline', vscode.ConfigurationTarget.Global);
    await waitFor('restricted-level findings to go away at baseline', () => diagnosticsWithCode(uri, /^pss\./).length === 0, {
      describe: () => describeDiagnostics(uri),
    });

    await config().update('podSecurity', 'restricted', vscode.ConfigurationTarget.Global);
    await waitForDiagnostic(uri, 'pss.runasnonroot');
  });
});
