// Runs on examples/coverage-demo, whose README lists the status each control must have; the tree must show it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from './support/workbench';

interface CoverageApi {
  refresh(): Promise<unknown>;
  tree: vscode.TreeDataProvider<unknown>;
}

async function coverageApi(): Promise<CoverageApi> {
  const extension = vscode.extensions.getExtension<{ coverage?: CoverageApi }>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api?.coverage?.tree, 'activate() returns no coverage.tree (the TreeDataProvider behind the Coverage view)');
  return api.coverage;
}

async function children(tree: vscode.TreeDataProvider<unknown>, node?: unknown): Promise<{ node: unknown; item: vscode.TreeItem }[]> {
  const nodes = (await tree.getChildren(node)) ?? [];
  return Promise.all(nodes.map(async (n) => ({ node: n, item: await tree.getTreeItem(n) })));
}

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

suite('coverage tree (examples/coverage-demo)', () => {
  test('families and controls carry the statuses the example documents', async () => {
    const coverage = await coverageApi();
    // Coverage is computed after the workspace is indexed; until then the tree holds a message node.
    const families = await waitFor(
      'coverage families in the tree',
      async () => {
        await coverage.refresh();
        const top = await children(coverage.tree);
        return top.some((c) => c.item.contextValue === 'family') ? top : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const familyLabels = families.filter((f) => f.item.contextValue === 'family').map((f) => label(f.item));
    const ac = families.find((f) => label(f.item).startsWith('AC '));
    assert.ok(ac, `no AC family among ${familyLabels.join(' | ')}`);
    assert.match(label(ac.item), /^AC Access Control \d+\/\d+$/);

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
    assert.match(label(controls.get('AC-6')!), /^AC-6 Least Privilege$/);
    assert.equal((controls.get('AC-6')!.iconPath as vscode.ThemeIcon).id, 'error');
  });

  test('a failing control lists the privileged worker as evidence that opens the file at the finding', async () => {
    const coverage = await coverageApi();
    await coverage.refresh();
    const families = await children(coverage.tree);
    const ac = families.find((f) => label(f.item).startsWith('AC '));
    assert.ok(ac, 'no AC family');
    const ac6 = (await children(coverage.tree, ac.node)).find((c) => label(c.item).startsWith('AC-6 '));
    assert.ok(ac6, 'no AC-6 under AC');
    const evidence = await children(coverage.tree, ac6.node);
    const failing = evidence.filter((e) => e.item.contextValue === 'evidence.fail');
    assert.ok(
      failing.some((e) => String(e.item.description).startsWith('manifests/worker.yaml:')),
      `no failing evidence in manifests/worker.yaml: ${evidence.map((e) => `${label(e.item)} (${e.item.description})`).join(' | ')}`,
    );
    const open = failing[0].item.command;
    assert.equal(open?.command, 'vscode.open');
    const uri = open?.arguments?.[0] as vscode.Uri;
    assert.ok(uri.path.endsWith('/manifests/worker.yaml'));
  });
});
