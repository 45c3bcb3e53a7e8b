// Helpers for tests that drive the real VS Code API. Positions are found by searching the fixture's text, so
// a test states what it points at ("the `ac-99` in the SSP") rather than a line number that drifts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'control-lens.control-lens';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration suite needs the fixtures folder open as the workspace');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Reverts and closes every editor, so one test's unsaved edits never leak into the next. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls until probe returns something other than undefined/false. The language server works asynchronously
 * (indexing, debounced diagnostics), so tests wait for the state they expect, with a clear message if it never
 * comes; `describe` reports what was last seen.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const seen = options.describe ? `; last seen: ${options.describe()}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${seen}`);
    }
    await sleep(200);
  }
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const list = vscode.languages.getDiagnostics(uri);
  if (list.length === 0) return 'no diagnostics';
  return list
    .map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`)
    .join(', ');
}

export function diagnosticsWithCode(uri: vscode.Uri, code: string | RegExp): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => {
    const c = codeOf(d);
    return c !== undefined && (typeof code === 'string' ? c === code : code.test(c));
  });
}

/** Waits until the file has at least one diagnostic with the code, and returns them all. */
export function waitForDiagnostic(uri: vscode.Uri, code: string | RegExp, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `a ${code} diagnostic on ${vscode.workspace.asRelativePath(uri)}`,
    () => {
      const found = diagnosticsWithCode(uri, code);
      return found.length > 0 ? found : undefined;
    },
    { timeoutMs, describe: () => describeDiagnostics(uri) },
  );
}

/** The range of the n-th occurrence of needle in the document. */
export function rangeOf(document: vscode.TextDocument, needle: string, occurrence = 0): vscode.Range {
  const text = document.getText();
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `fixture ${vscode.workspace.asRelativePath(document.uri)} has no occurrence ${occurrence} of "${needle}"`);
  }
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + needle.length));
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

export async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hoverText(hovers ?? []);
}

/** Waits for a non-empty hover: right after start-up the language client may not answer yet. */
export function waitForHover(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  let last = '';
  return waitFor(
    `a hover at ${vscode.workspace.asRelativePath(uri)}:${position.line + 1}:${position.character + 1}`,
    async () => {
      last = await hoverAt(uri, position);
      return last.trim() ? last : undefined;
    },
    { describe: () => JSON.stringify(last) },
  );
}
