import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, describeDiagnostics, openFixture, rangeOf, waitFor } from './support/workbench';

suite('Kyverno CLI test files', () => {
  teardown(closeAllEditors);

  test('a kyverno-test.yaml gets a code lens whose command runs it and marks the wrong expectation in place', async () => {
    const editor = await openFixture('kyverno-test/kyverno-test.yaml');
    const uri = editor.document.uri;
    const lenses = await waitFor('a code lens on the test file', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      return found?.some((l) => l.command) ? found : undefined;
    });
    const run = lenses.find((l) => l.command)!.command!;
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has(run.command), `the code lens "${run.title}" runs ${run.command}, which no one registered`);
    await vscode.commands.executeCommand(run.command, ...(run.arguments ?? []));

    // The second expectation says latest-pod passes; the policy fails it. The mark belongs on that entry only.
    const wrong = new vscode.Range(rangeOf(editor.document, '- policy', 1).start, new vscode.Position(editor.document.lineCount, 0));
    const right = new vscode.Range(rangeOf(editor.document, '- policy', 0).start, wrong.start);
    const marks = await waitFor(
      'a mark on the wrong expectation',
      () => {
        const inside = vscode.languages.getDiagnostics(uri).filter((d) => wrong.contains(d.range.start));
        return inside.length ? inside : undefined;
      },
      { describe: () => describeDiagnostics(uri) },
    );
    assert.match(marks.map((d) => d.message).join('\n'), /fail/);
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => right.contains(d.range.start)).map((d) => d.message), []);
  });
});
