/**
 * The server answers `initialize` before the engine is loaded (server.ts) and loads it when the client says
 * `initialized` (lsp/session.ts). These tests hold the parts of that which are easy to undo by accident: an engine
 * import in the front, a change to the capabilities, a message that arrives while the engine is still loading.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { serverCapabilities } from '../../server/src/lsp/capabilities';
import { REPO_ROOT } from '../support/corpus';
import { LspTestClient } from '../support/lspClient';

test('loading the front of the server (server.ts) loads no engine module and not the session', () => {
  const script = `
    require(${JSON.stringify(join(REPO_ROOT, 'server/src/server.ts'))});
    const ours = Object.keys(require.cache).filter((k) => k.startsWith(${JSON.stringify(join(REPO_ROOT, 'server/src'))}));
    process.stdout.write(JSON.stringify(ours.map((k) => k.slice(${JSON.stringify(join(REPO_ROOT, 'server/src/').length)}))));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as string[];
  assert.deepEqual(loaded.sort(), ['lsp/capabilities.ts', 'server.ts']);
});

test('the capabilities are those the server has always announced', () => {
  assert.deepEqual(serverCapabilities(), {
    textDocumentSync: { openClose: true, change: 2, save: false },
    hoverProvider: true,
    completionProvider: { triggerCharacters: [':', ' ', '-', '"', '/', '.'], resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    documentSymbolProvider: true,
    codeActionProvider: { codeActionKinds: ['quickfix', 'refactor', 'source.fixAll.control-lens'] },
    codeLensProvider: { resolveProvider: false },
    inlayHintProvider: true,
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  });
});

test('messages sent right after initialized are answered: the session is in place before they are read', async (t) => {
  const client = new LspTestClient();
  t.after(() => client.shutdown());
  const init = (await client.initialize()) as { capabilities: unknown; serverInfo: unknown };
  assert.deepEqual(init.capabilities, serverCapabilities());
  assert.deepEqual(init.serverInfo, { name: 'control-lens', version: '0.1.0' });
  // No waiting between initialized, the open and the requests.
  const uri = 'untitled:Untitled-1';
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  annotations:\n    control-lens.dev/controls: "AC-6, QQ-9"\n';
  void client.open(uri, text);
  const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 33 } });
  assert.ok(hover, 'hover on AC-6');
  assert.match(hover.contents.value, /AC-6/);
  const published = await client.waitForDiagnostics(uri, (d) => d.version === 1);
  assert.ok(published.diagnostics.some((d) => d.code === 'controls.unknown-control'));
  const status = await client.request<{ files: number }>('controlLens/status', {});
  assert.equal(typeof status.files, 'number');
});
