import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../../server/src/engine';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-latest
spec:
  validationFailureAction: Enforce
  rules:
    - name: no-latest
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "Images must not use the latest tag."
        pattern:
          spec:
            containers:
              - image: "!*:latest"
`;

const pod = (annotation: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  annotations:
${annotation}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: web
      image: nginx:latest
`;

function policyFindings(annotation: string) {
  const engine = createEngine({ settings: { podSecurity: 'baseline' } });
  engine.setText('file:///ws/policy.yaml', POLICY, 1);
  engine.setText('file:///ws/pod.yaml', pod(annotation), 1);
  return engine.diagnostics('file:///ws/pod.yaml').filter((f) => f.code.startsWith('policy.'));
}

test('an ignore annotation with a reason suppresses a workspace policy finding on that object', () => {
  const active = policyFindings('    team: web');
  assert.equal(active.length, 1, JSON.stringify(active));
  assert.equal(active[0].suppressed, undefined);
  const ignored = policyFindings('    control-lens.dev/ignore: "policy.disallow-latest/no-latest: pinned by the release pipeline, ticket 7"');
  assert.equal(ignored.length, 1);
  assert.equal(ignored[0].suppressed?.reason, 'pinned by the release pipeline, ticket 7');
  assert.equal(ignored[0].suppressed?.range.start.line, 6);
});

test('without a reason, or for another code, nothing is suppressed', () => {
  for (const annotation of ['    control-lens.dev/ignore: "policy.disallow-latest/no-latest"', '    control-lens.dev/ignore: "pss.privileged: not this one"']) {
    const findings = policyFindings(annotation);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].suppressed, undefined, annotation);
  }
});
