import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { applyTextEdits } from '../../../server/src/engine/fixes/applyEdits';
import { checkKubernetesFile } from '../../../server/src/engine/kubernetes/check';
import { DocumentParser } from '../../../server/src/engine/documents/parse';
import { buildWorkspaceView } from '../../../server/src/engine/kubernetes/workspaceView';
import { runOn } from './ruleTester';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27
        securityContext:
          privileged: true
`;

function codes(text: string, options: Parameters<typeof runOn>[1] = {}, uri?: string): string[] {
  return runOn(text, options, uri).findings.filter((f) => !f.suppressed).map((f) => f.code);
}

describe('checkKubernetesFile', () => {
  test('points at the offending pair, names the resource and its controls', () => {
    const { findings } = runOn(DEPLOYMENT, { level: 'baseline' });
    const f = findings.find((x) => x.code === 'pss.privileged')!;
    assert.deepEqual(f.range, { start: { line: 12, character: 10 }, end: { line: 12, character: 26 } });
    assert.deepEqual(f.resource, { kind: 'Deployment', name: 'web', namespace: 'shop', document: 0 });
    assert.deepEqual(f.controls, ['ac-6', 'ac-6.10', 'cm-6', 'cm-7', 'sc-39']);
    assert.equal(f.severity, 'error');
    assert.equal(f.source, 'kubernetes');
    assert.match(f.message, /Container "web" runs privileged/);
    const quick = f.fixes!.find((x) => x.kind === 'quickfix')!;
    assert.equal(quick.isPreferred, true);
    assert.equal(quick.safe, true);
    assert.deepEqual(quick.edits, [{ range: { start: { line: 12, character: 22 }, end: { line: 12, character: 26 } }, newText: 'false' }]);
  });

  test('a missing field shows on the container that lacks it', () => {
    const { findings } = runOn(DEPLOYMENT, { level: 'restricted' });
    const f = findings.find((x) => x.code === 'pss.runasnonroot')!;
    assert.deepEqual(f.range, { start: { line: 9, character: 8 }, end: { line: 9, character: 17 } });
  });

  test('the level comes from the namespace label, else the option', () => {
    assert.ok(!codes(DEPLOYMENT, { level: 'baseline' }).includes('pss.runasnonroot'));
    assert.ok(codes(DEPLOYMENT, { level: 'baseline', workspace: { namespaceLevels: new Map([['shop', 'restricted']]) } }).includes('pss.runasnonroot'));
    assert.ok(!codes(DEPLOYMENT, { level: 'restricted', workspace: { namespaceLevels: new Map([['shop', 'privileged']]) } }).some((c) => c.startsWith('pss.')));
    const withNamespace = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n---\n${DEPLOYMENT}`;
    assert.ok(!codes(withNamespace, { level: 'restricted' }).some((c) => c.startsWith('pss.')));
    const view = buildWorkspaceView([new DocumentParser().parse('file:///ns.yaml', withNamespace)]);
    assert.equal(view.namespaceLevels.get('shop'), 'privileged');
  });

  test('a Namespace can pin the policy version', () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: old}\nspec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_rmem, value: "4096 87380 6291456"}]\n  containers: [{name: a, image: "x:1"}]\n`;
    assert.ok(!codes(pod, { level: 'baseline' }).includes('pss.sysctls'));
    const pinned = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: old\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/enforce-version: v1.30\n---\n${pod}`;
    assert.ok(codes(pinned, { level: 'baseline' }).includes('pss.sysctls'));
    const view = buildWorkspaceView([new DocumentParser().parse('file:///ns2.yaml', pinned)]);
    assert.equal(view.namespaceVersions.get('old'), 'v1.30');
    assert.ok(codes(pod, { level: 'baseline', workspace: view }).includes('pss.sysctls'));
  });

  test('List items, JSON files and every document of a stream are checked', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    hostPID: true\n    containers: [{name: a, image: "x:1"}]\n`;
    const { findings } = runOn(list, { level: 'baseline' });
    const f = findings.find((x) => x.code === 'pss.hostnamespaces')!;
    assert.equal(f.range.start.line, 7);
    assert.deepEqual(f.resource, { kind: 'Pod', name: 'a', namespace: undefined, document: 0 });
    const json = JSON.stringify(parse(DEPLOYMENT), null, 2);
    const fromJson = runOn(json, { level: 'baseline' }, 'file:///d.json').findings.find((x) => x.code === 'pss.privileged')!;
    assert.equal(json.split('\n')[fromJson.range.start.line].trim(), '"privileged": true');
    const fixed = applyTextEdits(json, fromJson.fixes![0].edits);
    assert.equal(JSON.parse(fixed).spec.template.spec.containers[0].securityContext.privileged, false);
    const stream = `${DEPLOYMENT}---\n${DEPLOYMENT.replace('name: web\n  namespace', 'name: api\n  namespace')}`;
    assert.deepEqual(runOn(stream, { level: 'baseline' }).findings.filter((x) => x.code === 'pss.privileged').map((x) => x.resource?.document), [0, 1]);
  });

  test('policy documents and other families are left to their own analysers', () => {
    const policy = `apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}\nspec:\n  rules: []\n`;
    assert.deepEqual(codes(policy), []);
  });

  test('an ignore annotation with a reason suppresses, and is kept for coverage', () => {
    const text = DEPLOYMENT.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    control-lens.dev/ignore: "pss.privileged: needs /dev access, ticket 42; k8s.image-*: vendor image"\n');
    const { findings } = runOn(text, { level: 'baseline' });
    const priv = findings.find((x) => x.code === 'pss.privileged')!;
    assert.equal(priv.suppressed?.reason, 'needs /dev access, ticket 42');
    const line = text.split('\n')[priv.suppressed!.range.start.line];
    assert.equal(line.slice(priv.suppressed!.range.start.character, priv.suppressed!.range.end.character), 'pss.privileged: needs /dev access, ticket 42');
    assert.ok(findings.filter((x) => x.code.startsWith('k8s.image-')).every((x) => x.suppressed?.reason === 'vendor image'));
    assert.ok(!findings.some((x) => x.code === 'k8s.ignore-reason'));
  });

  test('an ignore annotation without a reason suppresses nothing and says so', () => {
    for (const value of ['pss.privileged', 'pss.privileged: ', 'pss.privileged: <why this is accepted>']) {
      const text = DEPLOYMENT.replace('  namespace: shop\n', `  namespace: shop\n  annotations:\n    control-lens.dev/ignore: "${value}"\n`);
      const { findings } = runOn(text, { level: 'baseline' });
      assert.equal(findings.find((x) => x.code === 'pss.privileged')!.suppressed, undefined, value);
      const problem = findings.find((x) => x.code === 'k8s.ignore-reason')!;
      assert.match(problem.message, /without a reason/);
    }
  });

  test('the suppression fix adds the annotation; with a reason written, the finding is suppressed', () => {
    const { findings } = runOn(DEPLOYMENT, { level: 'baseline' });
    const suppress = findings.find((x) => x.code === 'pss.privileged')!.fixes!.find((x) => x.kind === 'suppress')!;
    const added = applyTextEdits(DEPLOYMENT, suppress.edits);
    assert.equal(added, DEPLOYMENT.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    control-lens.dev/ignore: "pss.privileged: <why this is accepted>"\n'));
    const reasoned = added.replace('<why this is accepted>', 'host device access');
    assert.equal(runOn(reasoned, { level: 'baseline' }).findings.find((x) => x.code === 'pss.privileged')!.suppressed?.reason, 'host device access');
    const second = runOn(reasoned, { level: 'baseline' }).findings.find((x) => x.code === 'k8s.image-digest')!.fixes!.find((x) => x.kind === 'suppress')!;
    const both = applyTextEdits(reasoned, second.edits);
    assert.match(both, /control-lens.dev\/ignore: "pss.privileged: host device access; k8s.image-digest: <why this is accepted>"/);
  });

  test('the NetworkPolicy rule runs only with a workspace view, and counts policies in the same file', () => {
    assert.ok(!codes(DEPLOYMENT).includes('k8s.network-policy'));
    assert.ok(codes(DEPLOYMENT, { workspace: { networkPolicyNamespaces: new Set() } }).includes('k8s.network-policy'));
    const view = buildWorkspaceView([new DocumentParser().parse('file:///np.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: d, namespace: shop}\nspec: {podSelector: {}}\n')]);
    assert.ok(!codes(DEPLOYMENT, { workspace: view }).includes('k8s.network-policy'));
  });

  test('rules can be switched off', () => {
    assert.ok(!codes(DEPLOYMENT, { level: 'baseline', disabled: new Set(['pss.privileged']) }).includes('pss.privileged'));
  });

  test('malformed, half-typed and hostile files give findings or nothing, never an exception', () => {
    const inputs = [
      '',
      '---\n---\n',
      'kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: tru',
      'apiVersion: v1\nkind: Pod\nspec: [1, 2\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: [x]}\nspec:\n  containers: {a: 1}\n  volumes: 7\n',
      'apiVersion: v1\nkind: Pod\nspec: &a\n  containers:\n  - name: x\n    securityContext: {privileged: true}\n  x: *a\n',
      'a: &a [*a, *a]\n',
      `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n${'  - name: c\n    image: x\n'.repeat(2000)}`,
      `apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    control-lens.dev/ignore: ${'x;'.repeat(5000)}\nspec: {containers: [{name: a, securityContext: {privileged: true}}]}\n`,
    ];
    for (const text of inputs) {
      const file = new DocumentParser().parse('file:///bad.yaml', text);
      const findings = checkKubernetesFile(file, { level: 'restricted' });
      assert.ok(Array.isArray(findings));
      assert.ok(!findings.some((f) => f.code === 'k8s.rule-error'), findings.map((f) => f.message).join('\n'));
      assert.ok(findings.filter((f) => f.code === 'k8s.ignore-reason').length <= 20);
    }
  });
});
