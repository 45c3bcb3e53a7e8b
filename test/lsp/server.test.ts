import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspTestClient } from '../support/lspClient';

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    control-lens.dev/controls: "AC-6, QQ-9"
`;

test('the server answers over stdio: open, diagnostics, hover, edit, close', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-lsp-'));
  writeFileSync(join(root, 'on-disk.yaml'), MANIFEST);
  const client = new LspTestClient();
  t.after(() => client.shutdown());
  const init = (await client.initialize(root)) as { capabilities: Record<string, unknown> };
  assert.ok(init.capabilities.hoverProvider);
  assert.ok(init.capabilities.codeActionProvider);

  // The workspace is indexed: a file nobody opened gets its diagnostics too.
  const onDisk = await client.waitForDiagnostics(`file://${join(root, 'on-disk.yaml')}`, (d) => d.diagnostics.length > 0);
  assert.ok(onDisk.diagnostics.some((d) => d.code === 'controls.unknown-control'));

  const uri = `file://${join(root, 'open.yaml')}`;
  await client.open(uri, MANIFEST);
  const first = await client.waitForDiagnostics(uri, (d) => d.version === 1);
  const unknown = first.diagnostics.find((d) => d.code === 'controls.unknown-control');
  assert.ok(unknown);
  assert.deepEqual(unknown.range, { start: { line: 5, character: 38 }, end: { line: 5, character: 42 } });

  const hover = await client.request<{ contents: { value: string }; range: unknown } | null>('textDocument/hover', {
    textDocument: { uri },
    position: { line: 5, character: 33 },
  });
  assert.ok(hover, 'hover on AC-6');
  assert.match(hover.contents.value, /AC-6/);
  assert.match(hover.contents.value, /Access Control/);

  // An incremental edit that removes the unknown id clears the finding.
  await client.change(uri, 2, [{ range: { start: { line: 5, character: 36 }, end: { line: 5, character: 42 } }, text: '' }]);
  const second = await client.waitForDiagnostics(uri, (d) => d.version === 2);
  assert.equal(second.diagnostics.length, 0, JSON.stringify(second.diagnostics));

  // A syntax error is a diagnostic at its place, not a crash.
  await client.change(uri, 3, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 16 } }, text: '[oops' }]);
  const third = await client.waitForDiagnostics(uri, (d) => d.version === 3);
  // The unclosed flow sequence runs on until the indentation breaks it, which is where the parser reports it.
  assert.ok(third.diagnostics.some((d) => d.code === 'syntax' && d.range.start.line >= 3 && d.range.start.line <= 4), JSON.stringify(third.diagnostics));

  const status = await client.request<{ files: number }>('controlLens/status', {});
  assert.ok(status.files >= 2);
});

test('closing an untitled buffer clears its diagnostics', async (t) => {
  const client = new LspTestClient();
  t.after(() => client.shutdown());
  await client.initialize();
  const uri = 'untitled:Untitled-1';
  await client.open(uri, MANIFEST);
  await client.waitForDiagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'controls.unknown-control'));
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  const cleared = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length === 0);
  assert.equal(cleared.diagnostics.length, 0);
});
