/**
 * The VS Code side: starts the language server, restarts it when it dies, shows its state, and hosts the
 * views and commands. No analysis happens here.
 */
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { serverEnvironment } from '../../server/src/lsp/serverEnvironment';
import { registerCoverage, type CoverageApi } from './coverage';
import { registerKyvernoTests } from './kyvernoTests';
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

export async function activate(context: vscode.ExtensionContext): Promise<ControlLensApi> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  // The server's compiled code is cached in the extension's own storage (see server/src/serverLauncher.ts), and
  // NODE_EXTRA_CA_CERTS is handed over for the server to read when it needs it (server/src/lsp/serverEnvironment.ts).
  const env = serverEnvironment(process.env, vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const output = vscode.window.createOutputChannel('Control Lens', { log: true });
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

  client = new LanguageClient('controlLens', 'Control Lens', serverOptions, clientOptions);
  const status = new ServerStatus();
  context.subscriptions.push(status);
  client.onDidChangeState((e) => status.update(e.newState));

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

export async function deactivate(): Promise<void> {
  if (client && client.state === State.Running) await client.stop();
}
