/**
 * The LSP adapter's front: the connection, the `initialize` answer and the open documents. The engine-backed
 * rest (lsp/session.ts) is required only once the client has the answer and says `initialized`, so the editor's
 * client starts without waiting for the engine's code to load.
 */
import { createConnection, ProposedFeatures, TextDocuments, type Connection, type InitializeParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_INFO, serverCapabilities } from './lsp/capabilities';

type SessionModule = typeof import('./lsp/session');

export interface ServerHooks {
  /**
   * Called once the engine-backed session has started: the code that answers `initialize` and the set-up of the
   * engine's modules have run by then (the launcher saves its code cache here).
   */
  onSessionStarted?: () => void;
}

export function startServer(connection: Connection, hooks: ServerHooks = {}): void {
  const documents = new TextDocuments(TextDocument);
  let params: InitializeParams | undefined;

  connection.onInitialize((p) => {
    params = p;
    return { capabilities: serverCapabilities(), serverInfo: SERVER_INFO };
  });

  // By the protocol `initialized` is the client's first message after the answer, so the session's handlers are
  // in place before any request or document change of the client is read.
  connection.onInitialized(() => {
    if (!params) return;
    // Required here, not imported: the bundler keeps the engine's modules uninitialised until this line runs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const session = require('./lsp/session') as SessionModule;
    session.startSession(connection, documents, params);
    hooks.onSessionStarted?.();
  });

  documents.listen(connection);
  connection.listen();
}

/** Starts the server on the transport named on the command line (--stdio, --node-ipc, ...). */
export function main(hooks: ServerHooks = {}): void {
  startServer(createConnection(ProposedFeatures.all), hooks);
}

if (require.main === module) main();
