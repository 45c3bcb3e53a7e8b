import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentParser } from '../../../../server/src/engine/documents/parse';
import { kyvernoCompletion, kyvernoHover } from '../../../../server/src/engine/policy/kyverno/editor';

const TEXT = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
spec:
  validationFailureAction: Audit
  rules:
  - name: r
    match:
      any:
      - resources:
          kinds: [Pod]
    preconditions:
      all:
      - key: a
        operator: Eq
        value: b
    validate:
      messa
`;

const file = new DocumentParser().parse('file:///p.yaml', TEXT);
const at = (needle: string, delta = 0): number => TEXT.indexOf(needle) + delta;

test('hover on a field explains it', () => {
  const h = kyvernoHover(file, at('validationFailureAction', 3));
  assert.ok(h);
  assert.match(h!.markdown, /Audit.*Enforce/s);
  assert.equal(kyvernoHover(file, at('Audit', 1)), undefined, 'values have no field hover');
});

test('field completion offers the fields a map can still take', () => {
  const labels = kyvernoCompletion(file, at('messa', 3)).map((c) => c.label);
  assert.ok(labels.includes('message') && labels.includes('pattern') && labels.includes('deny'));
  const ruleLabels = kyvernoCompletion(file, at('- name: r', 4)).map((c) => c.label);
  assert.ok(ruleLabels.includes('exclude') && !ruleLabels.includes('match'), 'fields already written are not offered again');
});

test('value completion for operators', () => {
  const ops = kyvernoCompletion(file, at('Eq', 1)).map((c) => c.label);
  assert.ok(ops.includes('Equals') && ops.includes('AnyNotIn'));
});

test('nothing for documents that are not Kyverno policies', () => {
  const other = new DocumentParser().parse('file:///pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n');
  assert.deepEqual(kyvernoCompletion(other, 5), []);
  assert.equal(kyvernoHover(other, 2), undefined);
});
