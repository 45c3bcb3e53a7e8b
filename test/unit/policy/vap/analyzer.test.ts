import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyOnlyDirectory } from '../../../../server/src/engine/controls/builtinDirectory';
import { Engine } from '../../../../server/src/engine/engine';
import { vapAnalyzer, vapPolicyAnalyzer } from '../../../../server/src/engine/policy/vap/analyzer';

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: no-latest
  annotations:
    control-lens.dev/controls: "CM-2"
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["pods"]
  validations:
    - expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
      message: "no :latest images"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: no-latest
spec:
  policyName: no-latest
  validationActions: [Deny]
`;
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:latest
`;

test('engine: VAP violations appear in manifests and follow edits to the policy', () => {
  const e = new Engine({ analyzers: [vapAnalyzer, vapPolicyAnalyzer], controls: familyOnlyDirectory });
  e.setText('file:///nonexistent-control-lens-ws/policy.yaml', POLICY);
  e.setText('file:///nonexistent-control-lens-ws/pod.yaml', POD);
  assert.deepEqual(e.diagnostics('file:///nonexistent-control-lens-ws/policy.yaml').filter((f) => f.source === 'vap'), []);
  const d = e.diagnostics('file:///nonexistent-control-lens-ws/pod.yaml').filter((f) => f.source === 'policy');
  assert.deepEqual(d.map((f) => [f.code, f.severity, f.range.start.line]), [['policy.no-latest/0', 'error', 3]]);
  assert.deepEqual(d[0].controls, ['cm-2']);
  e.setText('file:///nonexistent-control-lens-ws/pod.yaml', POD.replace('nginx:latest', 'nginx:1.27'), 1);
  assert.deepEqual(e.diagnostics('file:///nonexistent-control-lens-ws/pod.yaml').filter((f) => f.source === 'policy'), []);
  e.setText('file:///nonexistent-control-lens-ws/policy.yaml', POLICY.replace("endsWith(':latest')", "endsWith(':1.27')"), 1);
  assert.equal(e.diagnostics('file:///nonexistent-control-lens-ws/pod.yaml').filter((f) => f.source === 'policy').length, 1);
});

test('engine: passing resources give pass evidence for coverage', () => {
  const e = new Engine({ analyzers: [vapAnalyzer, vapPolicyAnalyzer], controls: familyOnlyDirectory });
  e.setText('file:///nonexistent-control-lens-ws/policy.yaml', POLICY);
  e.setText('file:///nonexistent-control-lens-ws/pod.yaml', POD.replace('nginx:latest', 'nginx:1.27'));
  const entry = e.workspace.get('file:///nonexistent-control-lens-ws/pod.yaml')!;
  const ev = vapPolicyAnalyzer.evidence!(entry, e.analysisContext());
  assert.deepEqual(ev.map((x) => [x.kind, x.check, x.controls]), [['pass', 'policy.no-latest/0', ['cm-2']]]);
  const policyEntry = e.workspace.get('file:///nonexistent-control-lens-ws/policy.yaml')!;
  assert.deepEqual(vapAnalyzer.evidence!(policyEntry, e.analysisContext()).map((x) => [x.kind, x.check]), [['policy', 'vap:no-latest']]);
});

test('engine: a binding leads to its policy (definition and hover)', () => {
  const e = new Engine({ analyzers: [vapAnalyzer, vapPolicyAnalyzer], controls: familyOnlyDirectory });
  const uri = 'file:///nonexistent-control-lens-ws/policy.yaml';
  e.setText(uri, POLICY);
  const lines = POLICY.split('\n');
  const line = lines.findIndex((l) => l.includes('policyName: no-latest'));
  const character = lines[line].indexOf('no-latest') + 2;
  const def = e.definition(uri, { line, character });
  assert.deepEqual(def.map((d) => [d.uri, d.range.start.line]), [[uri, 3]]);
  assert.match(e.hover(uri, { line, character })?.markdown ?? '', /1 validation[\s\S]*Controls: CM-2/);
});

const PARAM_POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-containers
spec:
  paramKind:
    apiVersion: v1
    kind: ConfigMap
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["pods"]
  validations:
    - expression: "object.spec.containers.size() <= int(params.data.max)"
      message: "too many containers"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-containers
spec:
  policyName: max-containers
  paramRef:
    name: limits
    namespace: default
  validationActions: [Deny]
`;
const limits = (max: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: limits\n  namespace: default\ndata:\n  max: "${max}"\n`;
const WS = 'file:///nonexistent-control-lens-ws';

test('engine: a parameter object that changes re-decides findings; typing in an unrelated manifest keeps them cached', () => {
  const e = new Engine({ analyzers: [vapAnalyzer, vapPolicyAnalyzer], controls: familyOnlyDirectory });
  e.setText(`${WS}/policy.yaml`, PARAM_POLICY);
  e.setText(`${WS}/limits.yaml`, limits(0));
  e.setText(`${WS}/pod.yaml`, POD);
  const policyFindings = () => e.diagnostics(`${WS}/pod.yaml`).filter((f) => f.source === 'policy').map((f) => f.code);
  assert.deepEqual(policyFindings(), ['policy.max-containers/0']);
  const before = e.diagnostics(`${WS}/pod.yaml`);
  e.setText(`${WS}/service.yaml`, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: typed\n', 1);
  assert.equal(e.diagnostics(`${WS}/pod.yaml`), before, 'the cached findings are handed back as they were');
  e.setText(`${WS}/limits.yaml`, limits(5), 1);
  assert.deepEqual(policyFindings(), []);
});

test('engine: without any ValidatingAdmissionPolicy, edits to manifests leave the others cached', () => {
  const e = new Engine({ analyzers: [vapAnalyzer, vapPolicyAnalyzer], controls: familyOnlyDirectory });
  e.setText(`${WS}/pod.yaml`, POD);
  const before = e.diagnostics(`${WS}/pod.yaml`);
  e.setText(`${WS}/service.yaml`, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: typed\n', 1);
  assert.equal(e.diagnostics(`${WS}/pod.yaml`), before);
  e.setText(`${WS}/policy.yaml`, POLICY);
  assert.deepEqual(e.diagnostics(`${WS}/pod.yaml`).filter((f) => f.source === 'policy').map((f) => f.code), ['policy.no-latest/0'], 'a policy added later applies');
});
