import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, describeDiagnostics, diagnosticsWithCode, openFixture, waitFor, waitForDiagnostic } from './support/workbench';

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

    // Asked at the finding's range, as the light bulb does; actions that come back through the command API do
    // not carry their diagnostics, so the fix is recognised by its title.
    let offered: vscode.CodeAction[] = [];
    const fix = await waitFor(
      'a quick fix that sets privileged: false',
      async () => {
        offered = await quickFixesFor(document.uri, finding);
        return offered.find((a) => a.edit && /privileged/i.test(a.title) && /false/.test(a.title));
      },
      { describe: () => offered.map((a) => a.title).join(' | ') || 'no code actions' },
    );
    await apply(fix);

    const after = document.getText().split('\n');
    const line = finding.range.start.line;
    assert.match(before[line], /privileged: true/, 'pss.privileged is not on the privileged field');
    assert.equal(after.length, before.length, 'the fix added or removed lines');
    assert.equal(after[line], before[line].replace('privileged: true', 'privileged: false'));
    for (let i = 0; i < before.length; i++) if (i !== line) assert.equal(after[i], before[i], `line ${i + 1} changed`);
    assert.ok(document.isDirty, 'the fix edits the open document, unsaved');

    await waitFor('pss.privileged to go away after the fix', () =>
      vscode.languages.getDiagnostics(document.uri).every((d) => codeOf(d) !== 'pss.privileged'),
      { describe: () => describeDiagnostics(document.uri) },
    );
  });

  test('fix-all (source.fixAll) clears every Pod Security finding of the file and keeps its comments', async () => {
    const editor = await openFixture('k8s/quick-fix-pod.yaml');
    const document = editor.document;
    await waitForDiagnostic(document.uri, /^pss\./);
    const comments = document.getText().split('\n').filter((l) => l.includes('#'));
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const actions = await waitFor('a source.fixAll action', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        whole,
        vscode.CodeActionKind.SourceFixAll.value,
      );
      return found?.some((a) => a.edit) ? found : undefined;
    });
    const fixAll = actions.find((a) => a.edit);
    assert.ok(fixAll);
    await apply(fixAll);
    for (const comment of comments) assert.ok(document.getText().includes(comment), `comment lost: ${comment}`);
    await waitFor('no pss.* finding after fix-all', () => diagnosticsWithCode(document.uri, /^pss\./).length === 0, {
      describe: () => describeDiagnostics(document.uri),
    });
  });
});
