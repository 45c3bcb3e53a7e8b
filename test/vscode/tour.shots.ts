// The screenshot tour for the README (scripts/screenshots.mjs): what a new user sees on the bundled example.
// Each step also checks that what the picture should show is there, so a broken feature fails the tour
// instead of producing a misleading picture.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from './support/screenshot';
import { fixtureUri, openFixture, rangeOf, sleep, waitForDiagnostic, waitForHover } from './support/workbench';

suite('screenshot tour (examples/coverage-demo)', () => {
  test('a manifest with squiggles and the hover on a flagged field', async () => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const editor = await openFixture('manifests/worker.yaml');
    await waitForDiagnostic(editor.document.uri, 'pss.privileged');
    const field = rangeOf(editor.document, 'privileged: true');
    const position = field.start.translate(0, 3);
    assert.match(await waitForHover(editor.document.uri, position), /AC-6/);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(field, vscode.TextEditorRevealType.InCenter);
    await sleep(500);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('manifest-hover');
    await vscode.commands.executeCommand('editor.action.hideHover');
  });

  test('the Problems panel', async () => {
    await waitForDiagnostic(fixtureUri('manifests/worker.yaml'), 'pss.privileged');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('problems-panel');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('the coverage tree, revealed at a failing control', async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const shown = await vscode.commands.executeCommand<boolean>('controlLens.showInCoverage', 'ac-6');
    assert.equal(shown, true, 'Show in Coverage could not reveal AC-6');
    // Wide enough for the controls' descriptions (evidence counts) to show.
    await vscode.commands.executeCommand('controlLens.coverage.focus');
    for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
    await screenshot('coverage-tree', 2500);
  });

  test('the coverage report', async () => {
    await vscode.commands.executeCommand('controlLens.coverage.openReport');
    await screenshot('coverage-report', 3000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
