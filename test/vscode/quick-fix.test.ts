import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, describeDiagnostics, openFixture, waitFor, waitForDiagnostic } from './support/workbench';

async function quickFixesFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  // Plain commands (no edit, no diagnostics) come back as vscode.Command, whose `command` is a string.
  return (actions ?? []).filter((a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string');
}

/** Applies a code action the way the light bulb does: its edit first, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applying "${action.title}" was refused`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

suite('quick fixes', () => {
  teardown(closeAllEditors);

  test('the pss.privileged fix sets privileged: false and changes nothing else', async () => {
    const editor = await openFixture('k8s/quick-fix-pod.yaml');
    const document = editor.document;
    const before = document.getText().split('\n');
    const [finding] = await waitForDiagnostic(document.uri, 'pss.privileged');

    const fixes = await waitFor('a quick fix for pss.privileged', async () => {
      const found = (await quickFixesFor(document.uri, finding)).filter((a) =>
        (a.diagnostics ?? []).some((d) => codeOf(d) === 'pss.privileged'),
      );
      return found.length > 0 ? found : undefined;
    });
    const fix = fixes.find((a) => a.isPreferred) ?? fixes.find((a) => /privileged/i.test(a.title) && !/ignore|suppress/i.test(a.title));
    assert.ok(fix, `no fix that sets privileged among: ${fixes.map((a) => a.title).join(' | ')}`);
    await apply(fix);

    const after = document.getText().split('\n');
    const line = before.findIndex((l) => l.includes('privileged: true'));
    assert.equal(after.length, before.length, 'the fix added or removed lines');
    assert.equal(after[line], before[line].replace('privileged: true', 'privileged: false'));
    for (let i = 0; i < before.length; i++) if (i !== line) assert.equal(after[i], before[i], `line ${i + 1} changed`);
    assert.ok(document.isDirty, 'the fix edits the open document, unsaved');

    await waitFor('pss.privileged to go away after the fix', () =>
      vscode.languages.getDiagnostics(document.uri).every((d) => codeOf(d) !== 'pss.privileged'),
      { describe: () => describeDiagnostics(document.uri) },
    );
  });
});
