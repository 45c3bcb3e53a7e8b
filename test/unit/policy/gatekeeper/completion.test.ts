import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParser } from '../../../../server/src/engine/documents/parse';
import { collectTemplates } from '../../../../server/src/engine/policy/gatekeeper';
import { constraintCompletion, constraintParameterHover } from '../../../../server/src/engine/policy/gatekeeper/completion';

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sallowedusers
  annotations:
    metadata.gatekeeper.sh/title: Allowed users
spec:
  crd:
    spec:
      names:
        kind: K8sAllowedUsers
      validation:
        openAPIV3Schema:
          type: object
          properties:
            runAsUser:
              type: object
              properties:
                rule:
                  type: string
                  description: the strategy
                  enum: [MustRunAs, MustRunAsNonRoot, RunAsAny]
                ranges:
                  type: array
                  items:
                    type: object
                    properties:
                      min: {type: integer}
                      max: {type: integer}
            exemptImages:
              type: array
              items: {type: string}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sallowedusers
        violation[{"msg": "x"}] { false }
`;

const parser = new DocumentParser();
let n = 0;
const { templates } = collectTemplates([parser.parse('file:///t.yaml', TEMPLATE)]);

function complete(textWithCursor: string): string[] {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const file = parser.parse(`file:///c${n++}.yaml`, text);
  return constraintCompletion(file, offset, templates).map((c) => c.label).sort();
}

const HEAD = 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sAllowedUsers\nmetadata:\n  name: c\nspec:\n';

test('constraint kinds come from the workspace templates', () => {
  assert.deepEqual(complete('apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8s|\n'), ['K8sAllowedUsers']);
});

test('parameter names from the schema, at every level, without those already written', () => {
  assert.deepEqual(complete(HEAD + '  parameters:\n    ex|\n'), ['exemptImages', 'runAsUser']);
  assert.deepEqual(complete(HEAD + '  parameters:\n    exemptImages: []\n    r|\n'), ['runAsUser']);
  assert.deepEqual(complete(HEAD + '  parameters:\n    runAsUser:\n      r|\n'), ['ranges', 'rule']);
  assert.deepEqual(complete(HEAD + '  parameters:\n    runAsUser:\n      ranges:\n        - m|\n'), ['max', 'min']);
});

test('enum values for a parameter that has them', () => {
  assert.deepEqual(complete(HEAD + '  parameters:\n    runAsUser:\n      rule: M|\n'), ['MustRunAs', 'MustRunAsNonRoot', 'RunAsAny']);
});

test('nothing outside constraints or outside parameters', () => {
  assert.deepEqual(complete(HEAD + '  match:\n    kinds: [|]\n'), []);
  assert.deepEqual(complete('apiVersion: v1\nkind: Pod\nmetadata:\n  name: |\n'), []);
});

test('hover on a parameter key shows its schema', () => {
  const text = HEAD + '  parameters:\n    runAsUser:\n      rule: MustRunAs\n';
  const file = parser.parse('file:///h.yaml', text);
  const h = constraintParameterHover(file, text.indexOf('rule:') + 1, templates)!;
  assert.match(h.markdown, /\*\*rule\*\*: string/);
  assert.match(h.markdown, /MustRunAsNonRoot/);
  assert.match(h.markdown, /the strategy/);
  assert.equal(text.slice(h.start, h.end), 'rule');
  assert.equal(constraintParameterHover(file, text.indexOf('MustRunAs') + 1, templates), undefined);
});
