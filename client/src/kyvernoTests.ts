import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** Runs a Kyverno CLI test file from its code lens and marks the expectations the engine disagrees with. */
export function registerKyvernoTests(context: vscode.ExtensionContext, client: LanguageClient): void {
  const marks = vscode.languages.createDiagnosticCollection('control-lens-kyverno-tests');
  context.subscriptions.push(
    marks,
    // A mark speaks of the text it was computed on; once the file changes it may be wrong.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) marks.delete(e.document.uri);
    }),
    vscode.commands.registerCommand('controlLens.runKyvernoTest', async (uriArg?: string | vscode.Uri) => {
      const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : (uriArg ?? vscode.window.activeTextEditor?.document.uri);
      if (!uri) return;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      // The runner reads the test's policies and resources from disk; save the test file so it runs what is shown.
      if (open?.isDirty) await open.save();
      const result = await client.sendRequest<{ total: number; failed: number; error?: string; diagnostics: unknown[] }>('controlLens/runKyvernoTest', {
        uri: uri.toString(),
      });
      const converted = await Promise.all(
        result.diagnostics.map((d) => client.protocol2CodeConverter.asDiagnostic(d as Parameters<typeof client.protocol2CodeConverter.asDiagnostic>[0])),
      );
      marks.set(uri, converted);
      if (result.error) void vscode.window.showErrorMessage(`Kyverno test could not run: ${result.error}`);
      else if (result.failed) void vscode.window.showWarningMessage(`Kyverno test: ${result.failed} of ${result.total} expectations disagree with the engine.`);
      else void vscode.window.setStatusBarMessage(`Kyverno test: all ${result.total} expectations hold.`, 5000);
      return { total: result.total, failed: result.failed };
    }),
  );
}
