/**
 * The extension's entry point. Starting the language server is most of activation, and the larger part of that is
 * node starting the server's process; so activate() forks the server first and only then loads the language
 * client (client.ts and the library, about as long again), and the two overlap instead of adding up.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SERVER_EXEC_ARGV, serverEnvironment } from '../../server/src/lsp/serverEnvironment';
import type { ControlLensApi } from './client';
import { ServerProcesses } from './serverProcess';

export type { ControlLensApi } from './client';

type ClientModule = typeof import('./client');

let clientModule: ClientModule | undefined;
let servers: ServerProcesses | undefined;

/** Debugging the extension host: the client forks the server itself, with the inspector (see client.ts). */
function hostIsDebugged(): boolean {
  return process.execArgv.some((a) => /^--(inspect|debug)(-brk)?(=|$)/.test(a));
}

export async function activate(context: vscode.ExtensionContext): Promise<ControlLensApi> {
  const serverModule = context.asAbsolutePath(join('dist', 'server.js'));
  // The server's compiled code is cached in the extension's own storage (see server/src/serverLauncher.ts), and
  // NODE_EXTRA_CA_CERTS is handed over for the server to read when it needs it (server/src/lsp/serverEnvironment.ts).
  const serverEnv = serverEnvironment(process.env, join(context.globalStorageUri.fsPath, 'code-cache'));
  const output = vscode.window.createOutputChannel('Control Lens', { log: true });
  if (!hostIsDebugged()) {
    servers = new ServerProcesses({ module: serverModule, env: serverEnv, execArgv: SERVER_EXEC_ARGV, log: (text) => output.append(text) });
    servers.forkAhead();
  }
  // Required here, not imported: the bundler keeps the client's modules uninitialised until this line runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  clientModule = require('./client') as ClientModule;
  return clientModule.startClient(context, { serverModule, serverEnv, servers, output });
}

export async function deactivate(): Promise<void> {
  await clientModule?.stopClient();
  servers?.dispose();
}
