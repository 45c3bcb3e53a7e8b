import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, openFixture, rangeOf, waitFor, waitForDiagnostic } from './support/workbench';

function inlayHints(uri: vscode.Uri, range: vscode.Range): Thenable<vscode.InlayHint[] | undefined> {
  return vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, range);
}

const hintText = (hint: vscode.InlayHint) => (typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join(''));

suite('editor features', () => {
  teardown(async () => {
    await vscode.workspace.getConfiguration('controlLens').update('inlayHints.enabled', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('inlay hints list a resource’s controls with pass/fail, and switch off live with their setting', async () => {
    const editor = await openFixture('k8s/privileged-pod.yaml');
    const document = editor.document;
    await waitForDiagnostic(document.uri, 'pss.privileged');
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const hints = await waitFor('control inlay hints', async () => {
      const found = (await inlayHints(document.uri, whole)) ?? [];
      return found.some((h) => /AC-6/.test(hintText(h))) ? found : undefined;
    });
    const ac6 = hints.map(hintText).find((t) => /AC-6/.test(t));
    assert.match(ac6 ?? '', /AC-6 ✗/, 'AC-6 fails on a privileged pod');

    await vscode.workspace.getConfiguration('controlLens').update('inlayHints.enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor('inlay hints to switch off', async () => ((await inlayHints(document.uri, whole)) ?? []).every((h) => !/AC-6/.test(hintText(h))));
  });

  test('go to definition on an OSCAL control id lands on the control in the catalog', async () => {
    const editor = await openFixture('oscal/component-definition.json');
    const ac2 = rangeOf(editor.document, '"ac-2"');
    const locations = await waitFor('a definition for ac-2', async () => {
      const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        editor.document.uri,
        ac2.start.translate(0, 2),
      );
      return found?.length ? found : undefined;
    });
    const target = locations[0];
    const uri = 'targetUri' in target ? target.targetUri : target.uri;
    const range = 'targetUri' in target ? (target.targetSelectionRange ?? target.targetRange) : target.range;
    assert.ok(uri.path.endsWith('/oscal/catalog.json'), `definition in ${uri.toString()}`);
    const catalog = await vscode.workspace.openTextDocument(uri);
    assert.match(catalog.lineAt(range.start.line).text, /"id": "ac-2"/);
  });

  test('completion in an OSCAL control-id offers the catalog’s controls with their titles', async () => {
    const editor = await openFixture('oscal/component-definition.json');
    const inside = rangeOf(editor.document, '"ac-99"').start.translate(0, 1);
    const list = await waitFor('control id completions', async () => {
      const found = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, inside);
      return found?.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'ac-6') ? found : undefined;
    });
    const ac6 = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'ac-6');
    const described = [typeof ac6?.label === 'object' ? ac6.label.description : '', ac6?.detail, String(ac6?.documentation ?? '')].join(' ');
    assert.match(described, /Least Privilege/);
  });

  test('a .rego file is Rego, and an unknown control in its METADATA is flagged where it is written', async () => {
    const editor = await openFixture('rego/privileged.rego');
    assert.equal(editor.document.languageId, 'rego');
    const findings = await waitForDiagnostic(editor.document.uri, 'controls.unknown-control');
    const ac99 = rangeOf(editor.document, 'AC-99');
    assert.ok(findings.some((d) => d.range.contains(ac99.start)), `not on AC-99: ${findings.map((d) => d.range.start.character).join(', ')}`);
    assert.ok(findings.every((d) => !d.range.contains(rangeOf(editor.document, 'AC-6').start)), 'AC-6 is a real control');
  });
});
