import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParser } from '../../../../server/src/engine/documents/parse';
import { analyzeGatekeeperFile, collectTemplates } from '../../../../server/src/engine/policy/gatekeeper';
import { constraintCompletion } from '../../../../server/src/engine/policy/gatekeeper/completion';
import { analyzeVapFile, collectVap, vapViolations } from '../../../../server/src/engine/policy/vap';
import type { Finding } from '../../../../server/src/engine/types';

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sdemo
spec:
  crd:
    spec:
      names:
        kind: K8sDemo
      validation:
        openAPIV3Schema:
          type: object
          properties:
            names: {type: array, items: {type: string}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sdemo
        import future.keywords.in

        # METADATA
        # custom:
        #   controls: [AC-6]
        violation[{"msg": msg}] {
          some name in input.parameters.names
          not startswith(input.review.object.metadata.name, name)
          msg := sprintf("bad %v", [name])
        }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDemo
metadata:
  name: demo
spec:
  match:
    kinds: [{apiGroups: [""], kinds: [Pod]}]
  parameters:
    names: [a, b]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
  validations:
    - expression: "object.metadata.name.startsWith('a')"
---
apiVersion: v1
kind: Pod
metadata:
  name: bpod
`;

function inFile(text: string, f: Finding): boolean {
  const lines = text.split('\n').length;
  return f.range.start.line >= 0 && f.range.end.line < lines + 1 && (f.range.start.line < f.range.end.line || f.range.start.character <= f.range.end.character);
}

test('every prefix of a half-typed policy file is analysed without throwing, with ranges in the file', () => {
  const parser = new DocumentParser();
  let checked = 0;
  for (let k = 1; k <= TEMPLATE.length; k += 5) {
    const text = TEMPLATE.slice(0, k);
    const file = parser.parse(`file:///p${k}.yaml`, text);
    const { templates } = collectTemplates([file]);
    const findings = analyzeGatekeeperFile(file, { templates, suiteFiles: () => ({ resolve: (r) => r, exists: () => true }) }).findings;
    const ws = collectVap([file]);
    findings.push(...analyzeVapFile(file, ws), ...vapViolations(file, ws));
    for (const f of findings) assert.ok(inFile(text, f), `${f.code} out of range at prefix ${k}`);
    constraintCompletion(file, Math.max(0, k - 1), templates);
    checked++;
  }
  assert.ok(checked > 100);
});
