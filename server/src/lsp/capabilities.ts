/**
 * What the server tells the client in its `initialize` answer. Kept apart from the engine so that the answer can
 * be given before the engine is loaded.
 */
import { CodeActionKind, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';

/** The code-action kind of "fix all safe findings" (`source.fixAll.control-lens`). */
export const FIX_ALL_KIND = CodeActionKind.SourceFixAll + '.control-lens';

export const SERVER_INFO: NonNullable<InitializeResult['serverInfo']> = { name: 'control-lens', version: '0.1.0' };

export function serverCapabilities(): InitializeResult['capabilities'] {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
    hoverProvider: true,
    completionProvider: { triggerCharacters: [':', ' ', '-', '"', '/', '.'], resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    documentSymbolProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, FIX_ALL_KIND] },
    codeLensProvider: { resolveProvider: false },
    inlayHintProvider: true,
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
}
