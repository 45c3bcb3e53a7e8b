import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportHtml } from '../../../client/src/coverage/reportHtml';
import { childrenOf, evidenceNodes, familyLabel, pathToControl, present, rootNodes, statusBarText, type CoverageNode } from '../../../client/src/coverage/treeModel';
import type { CoverageResult, RootCoverageDto } from '../../../server/src/engine/coverage/protocol';
import { toRootDto } from '../../../server/src/handlers/coverage';
import { setup } from './fixture';

function result(...roots: RootCoverageDto[]): CoverageResult {
  return { version: 1, indexing: false, roots };
}

function fixtureRoot(): RootCoverageDto {
  const { coverage } = setup();
  return toRootDto('file:///ws', coverage.report({ root: '/ws' }));
}

const ALL = { filter: 'all' as const, search: '' };
const labels = (nodes: CoverageNode[]) => nodes.map((n) => present(n).label);

test('one folder: families at the top, labelled with covered/total', () => {
  const nodes = rootNodes(result(fixtureRoot()), ALL);
  assert.deepEqual(labels(nodes), ['AC Access Control 1/1', 'AU Audit and Accountability 0/1', 'CM Configuration Management 1/2', 'SC System and Communications Protection 1/1']);
  const ac = present(nodes[0]);
  assert.equal(ac.icon?.id, 'error', 'a family with a failing control shows it');
  assert.equal(ac.collapsible, 'expanded');
  assert.equal(ac.description, '1 failing');
});

test('controls carry a status icon and the description of their evidence', () => {
  const [ac, , cm] = rootNodes(result(fixtureRoot()), ALL);
  const [ac6] = childrenOf(ac, ALL);
  const p = present(ac6);
  assert.equal(p.label, 'AC-6 Least Privilege');
  assert.equal(p.description, '1 policy · 2 resources · 1 failing');
  assert.deepEqual(p.icon, { id: 'error', color: 'testing.iconFailed' });
  assert.equal(p.context, 'control.failing');
  const cm6 = childrenOf(cm, ALL).find((n) => n.type === 'control' && n.control.id === 'cm-6')!;
  assert.equal(present(cm6).description, 'no evidence');
  assert.equal(present(cm6).collapsible, 'none');
});

test('several folders: one root each, with baseline, percentage and failures', () => {
  const a = fixtureRoot();
  const b = { ...fixtureRoot(), root: 'file:///other', name: 'other' };
  const nodes = rootNodes(result(a, b), ALL);
  assert.deepEqual(labels(nodes), ['ws', 'other']);
  assert.equal(present(nodes[0]).description, 'Mini 60% · 2 failing');
});

test('filters and search narrow controls and drop empty families', () => {
  const r = result(fixtureRoot());
  const failing = rootNodes(r, { filter: 'failing', search: '' });
  assert.deepEqual(labels(failing), ['AC Access Control 1/1', 'CM Configuration Management 1/2']);
  assert.deepEqual(labels(childrenOf(failing[1], { filter: 'failing', search: '' })), ['CM-7 Least Functionality']);
  const uncovered = rootNodes(r, { filter: 'uncovered', search: '' });
  assert.deepEqual(uncovered.flatMap((f) => labels(childrenOf(f, { filter: 'uncovered', search: '' }))), ['AU-2 Event Logging', 'CM-6 Configuration Settings']);
  assert.deepEqual(labels(rootNodes(r, { filter: 'all', search: 'boundary' })), ['SC System and Communications Protection 1/1']);
  assert.deepEqual(labels(rootNodes(r, { filter: 'all', search: 'AC-6' })), ['AC Access Control 1/1']);
  assert.deepEqual(labels(rootNodes(r, { filter: 'excepted', search: '' })), ['No control matches the filter.']);
  const outside = { ...r.roots[0], outsideBaseline: ['ac-6.10', 'sc-39'] };
  const last = rootNodes(result(outside), ALL).at(-1)!;
  assert.equal(present(last).label, '2 mapped controls outside this baseline');
  assert.match(present(last).tooltip ?? '', /AC-6\(10\), SC-39/);
});

test('evidence nodes open their file at their range', () => {
  const { coverage } = setup();
  const root = toRootDto('file:///ws', coverage.report({ root: '/ws' }));
  const [ac] = rootNodes(result(root), ALL);
  const [ac6] = childrenOf(ac, ALL);
  assert.equal(ac6.type, 'control');
  if (ac6.type !== 'control') return;
  const evidence = coverage.evidence('ac-6', '/ws').map((e) => ({ kind: e.kind, uri: e.uri, range: e.range, detail: e.detail, check: e.check }));
  const nodes = evidenceNodes(ac6, evidence);
  const first = present(nodes[0]);
  assert.equal(first.icon?.id, 'close');
  assert.equal(first.description, 'bad.yaml:1');
  assert.deepEqual(first.open, { uri: 'file:///ws/bad.yaml', range: evidence[0].range });
  assert.deepEqual(labels(evidenceNodes(ac6, [])), ['No evidence in this folder.']);
  assert.deepEqual(labels(evidenceNodes(ac6, evidence.slice(0, 1), 3)).slice(1), ['…and 2 more']);
});

test('status bar: baseline, percentage and failures; "Show in coverage" finds the path', () => {
  const r = result(fixtureRoot());
  assert.deepEqual(statusBarText(r)?.text, 'Mini 60% · 2 failing');
  assert.equal(statusBarText({ ...r, indexing: true })?.text, 'Mini 60% · 2 failing (indexing)');
  assert.equal(statusBarText(result()), undefined);
  assert.deepEqual(pathToControl(r, 'cm-7', ALL)?.map((n) => n.id), ['root:file:///ws:family:cm', 'root:file:///ws:control:cm-7']);
  assert.equal(pathToControl(r, 'cm-7', { filter: 'uncovered', search: '' }), undefined);
  assert.equal(pathToControl(r, 'zz-1', ALL), undefined);
  const two = result(fixtureRoot(), { ...fixtureRoot(), root: 'file:///other', name: 'other' });
  assert.equal(pathToControl(two, 'cm-7', ALL, 'file:///other/deploy/x.yaml')?.[0].id, 'root:file:///other', 'the folder of the file comes first');
  assert.equal(pathToControl(two, 'cm-7', ALL, 'file:///elsewhere.yaml')?.[0].id, 'root:file:///ws');
});

test('the report page has a bar per family, a cell per control, and escapes what files say', async () => {
  const root = fixtureRoot();
  root.name = '<script>alert(1)</script>';
  const html = reportHtml(result(root), 'abc', 'vscode-resource:');
  assert.equal((html.match(/class="row"/g) ?? []).length, root.families.length);
  assert.equal((html.match(/class="cell"/g) ?? []).length, root.controls.length);
  assert.ok(html.includes('data-control="ac-6"'));
  assert.ok(!html.includes('<script>alert'));
  assert.match(html, /script-src 'nonce-abc'/);
  assert.equal(familyLabel(root.families[0]), 'AC Access Control 1/1');
  // Updates replace only the content, which holds no script.
  const { reportBody } = await import('../../../client/src/coverage/reportHtml');
  const body = reportBody(result(root));
  assert.ok(html.includes(`<main id="content">${body}</main>`));
  assert.ok(!body.includes('<script'));
});

test('the controls of a diagnostic: from its data, else from the ids the message ends with', async () => {
  const { controlsOfDiagnostic } = await import('../../../client/src/coverage/diagnosticControls');
  assert.deepEqual(controlsOfDiagnostic('anything', { controls: ['ac-6', 'cm-7.1'] }), ['ac-6', 'cm-7.1']);
  assert.deepEqual(controlsOfDiagnostic('Container "web" runs privileged [AC-6, AC-6(10), CM-07]', undefined), ['ac-6', 'ac-6.10', 'cm-7']);
  assert.deepEqual(controlsOfDiagnostic('no controls here', undefined), []);
  assert.deepEqual(controlsOfDiagnostic('odd [not, ids]', { controls: 'ac-6' }), []);
});

test('the control id under the cursor, in any spelling', async () => {
  const { controlIdAt } = await import('../../../client/src/coverage/diagnosticControls');
  const line = '    control-lens.dev/controls: "AC-6, CM-7(1), sc-7.3"';
  assert.deepEqual(controlIdAt(line, 34), { id: 'ac-6', start: 32, end: 36 });
  assert.equal(controlIdAt(line, 40)?.id, 'cm-7.1');
  assert.equal(controlIdAt(line, line.length - 3)?.id, 'sc-7.3');
  assert.equal(controlIdAt(line, 5), undefined);
  assert.equal(controlIdAt('image: nginx:1.27 # TLS-1', 22), undefined);
});
