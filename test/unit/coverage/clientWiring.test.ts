import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver';
import { registerCoverageHandlers } from '../../../server/src/handlers/coverage';
import { installFakeVscode } from './fakeVscode';
import { deployment, setup } from './fixture';

const fake = installFakeVscode();

/** The client side talking to the real request handlers over a direct call instead of LSP. */
function wire() {
  const { engine } = setup();
  const handlers = new Map<string, (p: unknown) => unknown>();
  const connection = { onRequest: (m: string, h: (p: unknown) => unknown) => handlers.set(m, h) } as unknown as Connection;
  registerCoverageHandlers(connection, () => engine, { roots: () => ['/ws'] });
  const sent: { method: string; params: unknown }[] = [];
  const client = {
    onDidChangeState: () => ({ dispose() {} }),
    sendRequest: async (method: string, params?: unknown) => {
      sent.push({ method, params });
      return handlers.get(method)!(params);
    },
  };
  const state = new Map<string, unknown>();
  const context = {
    subscriptions: [] as unknown[],
    workspaceState: { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v) },
    extensionUri: { path: '/ext' },
  };
  return { engine, client, context, sent };
}

test('the coverage view: tree, status bar, baseline pick, filter, search, Show in coverage, export', async () => {
  const { registerCoverage } = await import('../../../client/src/coverage/index');
  const { engine, client, context, sent } = wire();
  const api = registerCoverage(context as never, client as never);
  const result = await api.refresh();
  assert.equal(result?.roots[0].controls.length, 5);

  const status = fake.statusItems.at(-1)!;
  assert.equal(status.text, '$(shield) Mini 60% · 2 failing');
  assert.equal(status.command, 'controlLens.showCoverage');
  assert.ok(status.shown);

  const view = fake.treeViews.at(-1)!;
  assert.equal(view.id, 'controlLens.coverage');
  const families = await view.provider.getChildren();
  assert.deepEqual(families.map((n) => view.provider.getTreeItem(n).label), ['AC Access Control 1/1', 'AU Audit and Accountability 0/1', 'CM Configuration Management 1/2', 'SC System and Communications Protection 1/1']);
  const [ac6] = await view.provider.getChildren(families[0]);
  assert.equal(view.provider.getTreeItem(ac6).description, '1 policy · 2 resources · 1 failing');
  const evidence = await view.provider.getChildren(ac6);
  assert.ok(sent.some((s) => s.method === 'controlLens/coverageEvidence'));
  const first = view.provider.getTreeItem(evidence[0]) as { command?: { command: string; arguments: unknown[] } };
  assert.equal(first.command?.command, 'vscode.open');

  // Filter to uncovered controls: only those remain.
  await fake.commands.get('controlLens.coverage.filter')!('uncovered');
  const uncovered = await view.provider.getChildren();
  const controls = (await Promise.all(uncovered.map((f) => view.provider.getChildren(f)))).flat();
  assert.deepEqual(controls.map((n) => view.provider.getTreeItem(n).label), ['AU-2 Event Logging', 'CM-6 Configuration Settings']);
  assert.match(view.message ?? '', /showing uncovered controls/);

  // "Show in coverage" on a control the filter hides clears the filter and reveals it.
  const shown = await fake.commands.get('controlLens.showInCoverage')!('ac-6');
  assert.equal(shown, true);
  assert.equal(view.provider.getTreeItem(view.revealed.at(-1)).id, 'root:file:///ws:control:ac-6');
  assert.equal(view.message, undefined);

  // Search narrows by id or title.
  fake.inputAnswers.push('boundary');
  await fake.commands.get('controlLens.coverage.search')!();
  const searched = await view.provider.getChildren();
  assert.deepEqual(searched.map((n) => view.provider.getTreeItem(n).label), ['SC System and Communications Protection 1/1']);
  await fake.commands.get('controlLens.coverage.clearFilter')!();

  // Choosing a built-in baseline re-requests coverage with it.
  fake.quickPickAnswers.push((items) => items.find((i) => i.label === 'NIST_SP-800-53_rev5_LOW'));
  await fake.commands.get('controlLens.coverage.selectBaseline')!();
  assert.deepEqual(sent.filter((s) => s.method === 'controlLens/coverage').at(-1)?.params, { baseline: 'NIST_SP-800-53_rev5_LOW' });
  assert.match(status.text, /^\$\(shield\) LOW \d+%/);

  // Live updates: a change in the workspace shows after the next request.
  engine.setText('file:///ws/bad.yaml', deployment('bad', false), 5);
  fake.quickPickAnswers.push((items) => items[0]);
  await fake.commands.get('controlLens.coverage.selectBaseline')!();
  assert.equal(status.text, '$(shield) Mini 60%');

  // Export as markdown opens an untitled markdown document.
  await fake.commands.get('controlLens.coverage.export')!('markdown');
  assert.equal(fake.openedDocuments.at(-1)?.language, 'markdown');
  assert.match(fake.openedDocuments.at(-1)!.content, /### Control coverage: Mini/);

  for (const d of context.subscriptions as { dispose(): void }[]) d.dispose();
});
