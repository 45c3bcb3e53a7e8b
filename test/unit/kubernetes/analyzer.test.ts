import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyOnlyDirectory } from '../../../server/src/engine/controls/builtinDirectory';
import { Engine } from '../../../server/src/engine/engine';
import { kubernetesAnalyzer } from '../../../server/src/engine/kubernetes/analyzer';

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

function engine(settings = {}): Engine {
  return new Engine({ analyzers: [kubernetesAnalyzer], controls: familyOnlyDirectory, settings });
}

test('in the engine: findings at the configured level, changed by a Namespace label elsewhere', () => {
  const e = engine({ podSecurity: 'baseline' });
  e.setText('file:///w/web.yaml', DEPLOYMENT);
  const codes = () => e.diagnostics('file:///w/web.yaml').map((f) => f.code);
  assert.ok(codes().includes('pss.privileged'));
  assert.ok(!codes().includes('pss.runasnonroot'));
  e.setText('file:///w/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n');
  assert.ok(codes().includes('pss.runasnonroot'), 'a Namespace label in another file raises the level');
  assert.ok(codes().includes('k8s.network-policy'));
  e.setText('file:///w/np.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n');
  assert.ok(!codes().includes('k8s.network-policy'), 'a NetworkPolicy in another file covers the namespace');
});

test('in the engine: hover, inlay hints, rule help and coverage passes', () => {
  const e = engine({ podSecurity: 'baseline' });
  e.setText('file:///w/web.yaml', DEPLOYMENT);
  const hover = e.hover('file:///w/web.yaml', { line: 12, character: 12 });
  assert.match(hover?.markdown ?? '', /pss\.privileged/);
  const hints = e.inlayHints('file:///w/web.yaml');
  assert.equal(hints.length, 1);
  assert.deepEqual(hints[0].position, { line: 3, character: 11 });
  assert.match(hints[0].label, /AC-6 ✗/);
  assert.equal(e.ruleHelp('pss.privileged')?.title, 'Privileged containers');
  assert.ok(e.ruleHelp('k8s.rbac-wildcard')?.references?.some((r) => r.includes('5.1.3')));
  const evidence = kubernetesAnalyzer.evidence!(e.workspace.get('file:///w/web.yaml')!, e.analysisContext());
  assert.ok(evidence.some((x) => x.kind === 'pass' && x.check === 'pss.hostnamespaces'));
  assert.ok(!evidence.some((x) => x.check === 'pss.privileged'), 'a failing check is not a pass');
});

test('in the engine: inlay hints follow the setting', () => {
  const e = engine({ inlayHints: false });
  e.setText('file:///w/web.yaml', DEPLOYMENT);
  assert.deepEqual(e.inlayHints('file:///w/web.yaml'), []);
});
