import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyOnlyDirectory } from '../../../../server/src/engine/controls/builtinDirectory';
import { Engine } from '../../../../server/src/engine/engine';
import { kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer } from '../../../../server/src/engine/policy/kyverno/analyzer';

const WS = 'file:///nonexistent-control-lens-ws';
const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-privileged
  annotations:
    control-lens.dev/controls: "AC-6"
    policies.kyverno.io/severity: high
spec:
  validationFailureAction: Enforce
  rules:
  - name: check
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: privileged containers are not allowed
      pattern:
        spec:
          containers:
          - =(securityContext):
              =(privileged): false
`;
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: app
          image: api:1
          securityContext:
            privileged: true
`;

test('workspace policies are evaluated on manifests, at the failing field, and follow edits', () => {
  const e = new Engine({ analyzers: [kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer], controls: familyOnlyDirectory });
  e.setText(`${WS}/policy.yaml`, POLICY);
  e.setText(`${WS}/pod.yaml`, POD);
  e.setText(`${WS}/deploy.yaml`, DEPLOYMENT);
  assert.deepEqual(e.diagnostics(`${WS}/policy.yaml`).filter((f) => f.source === 'kyverno'), []);
  const d = e.diagnostics(`${WS}/pod.yaml`).filter((f) => f.source === 'policy');
  assert.deepEqual(d.map((f) => [f.code, f.severity, f.range.start.line]), [['policy.no-privileged/check', 'error', 9]]);
  assert.deepEqual(d[0].controls, ['ac-6']);
  const dep = e.diagnostics(`${WS}/deploy.yaml`).filter((f) => f.source === 'policy');
  assert.deepEqual(dep.map((f) => [f.code, f.range.start.line]), [['policy.no-privileged/check', 11]]);
  e.setText(`${WS}/pod.yaml`, POD.replace('privileged: true', 'privileged: false'), 1);
  assert.deepEqual(e.diagnostics(`${WS}/pod.yaml`).filter((f) => f.source === 'policy'), []);
  e.setText(`${WS}/policy.yaml`, POLICY.replace('=(privileged): false', '=(privileged): true'), 1);
  assert.equal(e.diagnostics(`${WS}/pod.yaml`).filter((f) => f.source === 'policy').length, 1);
});

test('policy files get lint findings and test files a code lens', () => {
  const e = new Engine({ analyzers: [kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer], controls: familyOnlyDirectory });
  e.setText(`${WS}/bad.yaml`, POLICY.replace('validationFailureAction: Enforce', 'validationFailureAction: Block'));
  assert.deepEqual(e.diagnostics(`${WS}/bad.yaml`).filter((f) => f.source === 'kyverno').map((f) => f.code), ['kyverno.invalid-failure-action']);
  e.setText(`${WS}/kyverno-test.yaml`, 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: t}\npolicies: []\nresources: []\nresults: []\n');
  assert.deepEqual(e.codeLenses(`${WS}/kyverno-test.yaml`).map((l) => l.command), ['controlLens.runKyvernoTest']);
});

test('Pod Security Standards policies without their own control annotation map to the controls of their checks', () => {
  const e = new Engine({ analyzers: [kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer], controls: familyOnlyDirectory });
  const pss = POLICY.replace('    control-lens.dev/controls: "AC-6"\n', '').replace('name: no-privileged', 'name: disallow-privileged-containers').replace('policies.kyverno.io/severity: high', 'policies.kyverno.io/category: Pod Security Standards (Baseline)');
  e.setText(`${WS}/pss.yaml`, pss);
  e.setText(`${WS}/pod.yaml`, POD);
  const [f] = e.diagnostics(`${WS}/pod.yaml`).filter((x) => x.source === 'policy');
  assert.equal(f.code, 'policy.disallow-privileged-containers/check');
  assert.ok(f.controls.includes('ac-6'), f.controls.join(','));
});

test('copies of one manifest get the same findings, each at its own place, and follow policy changes', () => {
  const e = new Engine({ analyzers: [kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer], controls: familyOnlyDirectory });
  const selective = POLICY.replace('          kinds: [Pod]\n', '          kinds: [Pod]\n          namespaceSelector:\n            matchLabels:\n              audit: "on"\n');
  e.setText(`${WS}/ns.yaml`, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    audit: "on"\n');
  e.setText(`${WS}/policy.yaml`, selective);
  const inShop = POD.replace('  name: web\n', '  name: web\n  namespace: shop\n');
  e.setText(`${WS}/a.yaml`, inShop);
  e.setText(`${WS}/b.yaml`, `# a copy further down\n---\n${inShop}`);
  e.setText(`${WS}/c.yaml`, inShop.replace('privileged: true', 'privileged: false'));
  e.setText(`${WS}/d.yaml`, inShop.replace('namespace: shop', 'namespace: other'));
  const found = (uri: string): [string, number][] => e.diagnostics(`${WS}/${uri}`).filter((f) => f.source === 'policy').map((f) => [f.code, f.range.start.line]);
  assert.deepEqual(found('a.yaml'), [['policy.no-privileged/check', 10]]);
  assert.deepEqual(found('b.yaml'), [['policy.no-privileged/check', 12]]);
  assert.deepEqual(found('c.yaml'), []);
  assert.deepEqual(found('d.yaml'), []);
  e.setText(`${WS}/policy.yaml`, selective.replace('=(privileged): false', '=(privileged): true'), 1);
  assert.deepEqual(found('a.yaml'), []);
  assert.deepEqual(found('b.yaml'), []);
  assert.deepEqual(found('c.yaml'), [['policy.no-privileged/check', 10]]);
});

test('a Namespace whose labels change re-decides the findings of manifests already analysed; typing elsewhere does not re-evaluate', () => {
  const e = new Engine({ analyzers: [kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer], controls: familyOnlyDirectory });
  const selective = POLICY.replace('          kinds: [Pod]\n', '          kinds: [Pod]\n          namespaceSelector:\n            matchLabels:\n              audit: "on"\n');
  const namespace = (audit: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    audit: "${audit}"\n`;
  e.setText(`${WS}/ns.yaml`, namespace('on'));
  e.setText(`${WS}/policy.yaml`, selective);
  e.setText(`${WS}/a.yaml`, POD.replace('  name: web\n', '  name: web\n  namespace: shop\n'));
  const found = () => e.diagnostics(`${WS}/a.yaml`).filter((f) => f.source === 'policy').map((f) => f.code);
  assert.deepEqual(found(), ['policy.no-privileged/check']);
  const before = e.diagnostics(`${WS}/a.yaml`);

  // Typing in another manifest changes the Kubernetes family but neither the policies nor the namespaces.
  e.setText(`${WS}/other.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\n', 1);
  assert.equal(e.diagnostics(`${WS}/a.yaml`), before, 'the cached findings are handed back as they were');

  e.setText(`${WS}/ns.yaml`, namespace('off'), 1);
  assert.deepEqual(found(), [], 'the namespace no longer selected');
  e.setText(`${WS}/ns.yaml`, namespace('on'), 2);
  assert.deepEqual(found(), ['policy.no-privileged/check']);
});

test('a manifest analysed before any policy existed is re-decided when the first policy arrives', () => {
  const e = new Engine({ analyzers: [kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer], controls: familyOnlyDirectory });
  e.setText(`${WS}/pod.yaml`, POD);
  assert.deepEqual(e.diagnostics(`${WS}/pod.yaml`).filter((f) => f.source === 'policy'), []);
  e.setText(`${WS}/other.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\n');
  e.setText(`${WS}/policy.yaml`, POLICY);
  assert.deepEqual(e.diagnostics(`${WS}/pod.yaml`).filter((f) => f.source === 'policy').map((f) => f.code), ['policy.no-privileged/check']);
});
