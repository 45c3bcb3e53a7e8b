/**
 * The language client: starts the server and restarts it when it dies, shows its state, and hosts the views
 * and commands. No analysis happens here. extension.ts loads this module once it has forked the server.
 */
import * as vscode from 'vscode';
import {
  IPCMessageReader,
  IPCMessageWriter,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type MessageTransports,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV } from '../../server/src/lsp/serverEnvironment';
import { registerCoverage, type CoverageApi } from './coverage';
import { registerKyvernoTests } from './kyvernoTests';
import type { ServerProcesses } from './serverProcess';
import { explicitSettings } from './settings';
import { ServerStatus } from './status';

let client: LanguageClient | undefined;

const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
  { scheme: 'file', language: 'rego' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'untitled', language: 'json' },
  { scheme: 'untitled', language: 'rego' },
];

function filesExcludeGlobs(): string[] {
  const excluded = vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {};
  return Object.entries(excluded)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob.replace(/^\*\*\//, '**/'));
}

export interface ControlLensApi {
  client: LanguageClient;
  coverage: CoverageApi;
  /** Resolves when the server has indexed the workspace. */
  ready(): Promise<unknown>;
}

export interface ClientStart {
  /** The server's entry point and environment, as extension.ts forks it. */
  serverModule: string;
  serverEnv: Record<string, string | undefined>;
  /** Where the server was forked ahead; absent when the extension host is debugged (see extension.ts). */
  servers?: ServerProcesses;
  output: vscode.LogOutputChannel;
}

function serverOptions(start: ClientStart): ServerOptions {
  const servers = start.servers;
  if (servers) {
    return async (): Promise<MessageTransports> => {
      const p = servers.take();
      return { reader: new IPCMessageReader(p), writer: new IPCMessageWriter(p) };
    };
  }
  const options = { env: start.serverEnv, execArgv: [...SERVER_EXEC_ARGV] };
  return {
    run: { module: start.serverModule, transport: TransportKind.ipc, options },
    debug: { module: start.serverModule, transport: TransportKind.ipc, options: { ...options, execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6011'] } },
  };
}

export async function startClient(context: vscode.ExtensionContext, start: ClientStart): Promise<ControlLensApi> {
  const output = start.output;
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    initializationOptions: {
      trusted: vscode.workspace.isTrusted,
      settings: explicitSettings(),
      filesExclude: filesExcludeGlobs(),
      cacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'catalogs').fsPath,
    },
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json,rego}'),
    },
    middleware: {
      workspace: {
        // Answer the server's configuration requests with explicit values only (see explicitSettings).
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) => (item.section === 'controlLens' ? explicitSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : answers[i]));
        },
      },
    },
    // The client restarts a crashed server up to 4 times in 3 minutes and then says so once.
    connectionOptions: { maxRestartCount: 4 },
  };

  client = new LanguageClient('controlLens', 'Control Lens', serverOptions(start), clientOptions);
  const status = new ServerStatus();
  context.subscriptions.push(status);
  client.onDidChangeState((e) => {
    status.update(e.newState);
    if (e.newState === State.Stopped) start.servers?.stopped();
  });

  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('controlLens/trustChanged', { trusted: true })),
    vscode.commands.registerCommand('controlLens.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('controlLens.showOutput', () => output.show(true)),
  );

  const coverage = registerCoverage(context, client);
  registerKyvernoTests(context, client);
  await client.start();
  const started = client;
  const api: ControlLensApi = {
    client: started,
    coverage,
    ready: () => started.sendRequest('controlLens/status'),
  };
  return api;
}

export async function stopClient(): Promise<void> {
  if (client && client.state === State.Running) await client.stop();
}
