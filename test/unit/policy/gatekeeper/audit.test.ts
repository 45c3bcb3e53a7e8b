import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParser } from '../../../../server/src/engine/documents/parse';
import { auditFile, collectAudit, type AuditPass } from '../../../../server/src/engine/policy/gatekeeper/audit';

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sallowedrepos
  annotations:
    control-lens.dev/controls: "CM-7"
spec:
  crd:
    spec:
      names:
        kind: K8sAllowedRepos
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sallowedrepos
        violation[{"msg": msg}] {
          container := input.review.object.spec.containers[_]
          not strings.any_prefix_match(container.image, input.parameters.repos)
          msg := sprintf("container <%v> has an invalid image repo <%v>", [container.name, container.image])
        }
`;
const CONSTRAINT = (action: string) => `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sAllowedRepos
metadata:
  name: repo-is-local
spec:
  enforcementAction: ${action}
  match:
    kinds: [{apiGroups: [""], kinds: ["Pod"]}]
    excludedNamespaces: ["kube-*"]
  parameters:
    repos: ["registry.local/"]
`;
const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  containers: [{name: a, image: registry.local/app:1}]
---
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers: [{name: b, image: docker.io/evil:1}]
---
apiVersion: v1
kind: Pod
metadata:
  name: system
  namespace: kube-system
spec:
  containers: [{name: c, image: docker.io/evil:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: not-matched
spec: {}
`;

const parser = new DocumentParser();
let n = 0;
const parse = (t: string) => parser.parse(`file:///a${n++}.yaml`, t);

test('constraints run on workspace objects: violations where the policy fires, passes elsewhere', () => {
  const ws = collectAudit([parse(TEMPLATE), parse(CONSTRAINT('deny'))]);
  const passes: AuditPass[] = [];
  const f = auditFile(parse(PODS), ws, passes);
  assert.deepEqual(f.map((x) => [x.code, x.severity, x.resource?.name]), [['policy.k8sallowedrepos/repo-is-local', 'error', 'bad']]);
  assert.match(f[0].message, /invalid image repo <docker.io\/evil:1>/);
  assert.deepEqual(f[0].controls, ['cm-7']);
  assert.equal(f[0].range.start.line, 10);
  assert.deepEqual(passes.map((p) => p.object.name), ['good']);
});

test('enforcement actions set the severity; unrunnable templates are skipped', () => {
  assert.equal(auditFile(parse(PODS), collectAudit([parse(TEMPLATE), parse(CONSTRAINT('dryrun'))]))[0].severity, 'information');
  assert.equal(auditFile(parse(PODS), collectAudit([parse(TEMPLATE), parse(CONSTRAINT('warn'))]))[0].severity, 'warning');
  const exotic = TEMPLATE.replace('strings.any_prefix_match(', 'external_data_lookup(');
  assert.deepEqual(auditFile(parse(PODS), collectAudit([parse(exotic), parse(CONSTRAINT('deny'))])), []);
});
