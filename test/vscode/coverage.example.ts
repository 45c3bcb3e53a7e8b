// Runs on examples/coverage-demo, whose README lists the status each control must have; the tree must show it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWithCode, EXTENSION_ID, openFixture, waitFor, waitForDiagnostic } from './support/workbench';

/** The part of the extension's API (client/src/extension.ts ControlLensApi) these tests use. */
interface CoverageApi {
  refresh(): Promise<{ indexing?: boolean } | undefined>;
  tree: vscode.TreeDataProvider<unknown>;
}

/** The extension's API once its server has indexed the workspace. */
async function indexedApi(): Promise<{ coverage?: CoverageApi }> {
  const extension = vscode.extensions.getExtension<{ coverage?: CoverageApi; ready?: () => Promise<unknown> }>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api?.ready, 'activate() returns no ready()');
  await api.ready();
  return api;
}

async function coverageApi(): Promise<CoverageApi> {
  const api = await indexedApi();
  assert.ok(api.coverage?.tree, 'activate() returns no coverage.tree (the TreeDataProvider behind the Coverage view)');
  // Coverage over a half-indexed workspace is legitimately incomplete; the tests judge the finished one.
  const coverage = api.coverage;
  await waitFor('coverage of the fully indexed workspace', async () => (await coverage.refresh())?.indexing === false, { timeoutMs: 60_000 });
  return coverage;
}

async function children(tree: vscode.TreeDataProvider<unknown>, node?: unknown): Promise<{ node: unknown; item: vscode.TreeItem }[]> {
  const nodes = (await tree.getChildren(node)) ?? [];
  return Promise.all(nodes.map(async (n) => ({ node: n, item: await tree.getTreeItem(n) })));
}

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

suite('examples/coverage-demo', () => {
  test("the folder's .control-lens.yaml applies: pods are checked at the baseline level, not restricted", async () => {
    await indexedApi();
    const editor = await openFixture('manifests/worker.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'pss.privileged');
    // runAsNonRoot is a restricted-level check; web.yaml and worker.yaml do not set it.
    assert.deepEqual(diagnosticsWithCode(uri, 'pss.runasnonroot').map((d) => d.message), []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

suite('coverage tree (examples/coverage-demo)', () => {
  test('families and controls carry the statuses the example documents', async () => {
    const coverage = await coverageApi();
    const families = await children(coverage.tree);
    const familyLabels = families.filter((f) => f.item.contextValue === 'family').map((f) => label(f.item));
    const ac = families.find((f) => label(f.item).startsWith('AC '));
    assert.ok(ac, `no AC family among ${familyLabels.join(' | ')}`);
    // The baseline is the example's own profile (named in its .control-lens.yaml): AC-2 and AC-6 of AC.
    assert.equal(label(ac.item), 'AC Access Control 2/2');

    const controls = new Map<string, vscode.TreeItem>();
    for (const family of families.filter((f) => f.item.contextValue === 'family')) {
      for (const control of await children(coverage.tree, family.node)) {
        const id = /^([A-Z]{2}-\d+(?:\(\d+\))?)/.exec(label(control.item))?.[1];
        if (id) controls.set(id, control.item);
      }
    }
    const expected: Record<string, string> = {
      'AC-2': 'validated',
      'AC-6': 'failing',
      'AU-2': 'implemented',
      'AU-12': 'uncovered',
      'CM-7': 'failing',
      'IA-2': 'implemented',
      'SC-7': 'excepted',
      'SC-8': 'enforced',
    };
    const actual = Object.fromEntries(Object.keys(expected).map((id) => [id, controls.get(id)?.contextValue?.replace(/^control\./, '') ?? 'missing']));
    assert.deepEqual(actual, expected);
    assert.equal(controls.size, 11, `the example's profile selects 11 controls, the tree shows ${controls.size}`);
    assert.match(label(controls.get('AC-6')!), /^AC-6 Least Privilege$/);
    assert.equal((controls.get('AC-6')!.iconPath as vscode.ThemeIcon).id, 'error');
  });

  test('a failing control lists the privileged worker as evidence that opens the file at the finding', async () => {
    const coverage = await coverageApi();
    const families = await children(coverage.tree);
    const ac = families.find((f) => label(f.item).startsWith('AC '));
    assert.ok(ac, 'no AC family');
    const ac6 = (await children(coverage.tree, ac.node)).find((c) => label(c.item).startsWith('AC-6 '));
    assert.ok(ac6, 'no AC-6 under AC');
    const evidence = await children(coverage.tree, ac6.node);
    const failing = evidence.filter((e) => e.item.contextValue === 'evidence.fail');
    const worker = failing.find((e) => String(e.item.description).startsWith('manifests/worker.yaml:') && /privileged/.test(label(e.item)));
    assert.ok(worker, `no failing evidence in manifests/worker.yaml: ${evidence.map((e) => `${label(e.item)} (${e.item.description})`).join(' | ')}`);
    const open = worker.item.command;
    assert.equal(open?.command, 'vscode.open');
    const uri = open?.arguments?.[0] as vscode.Uri;
    assert.equal(vscode.workspace.asRelativePath(uri), 'manifests/worker.yaml');
    const line = Number(/:(\d+)$/.exec(String(worker.item.description))?.[1]);
    const selection = (open?.arguments?.[1] as { selection?: vscode.Range })?.selection;
    assert.equal(selection?.start.line, line - 1, 'the evidence opens at the line its description names');
    const text = (await vscode.workspace.openTextDocument(uri)).lineAt(line - 1).text;
    assert.match(text, /privileged: true/, `evidence "${label(worker.item)}" opens at: ${text}`);
  });
});
