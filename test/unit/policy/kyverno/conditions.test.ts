import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateOperator } from '../../../../server/src/engine/policy/kyverno/conditions';
import { evaluateConditionBlock } from '../../../../server/src/engine/policy/kyverno/conditionBlock';

test('Equals / NotEquals with wildcards in the value, numbers, quantities and durations', () => {
  assert.equal(evaluateOperator('Equals', 'nginx:latest', '*:latest'), true);
  assert.equal(evaluateOperator('Equals', 'nginx:1', '*:latest'), false);
  assert.equal(evaluateOperator('NotEquals', 'CREATE', 'DELETE'), true);
  assert.equal(evaluateOperator('Equals', 3, '3'), true);
  assert.equal(evaluateOperator('Equals', '1Gi', '1024Mi'), true);
  assert.equal(evaluateOperator('Equals', '1h', '60m'), true);
  assert.equal(evaluateOperator('Equals', { a: 1 }, { a: 1 }), true);
});

test('set operators: AnyIn, AllIn, AnyNotIn, AllNotIn, In, NotIn', () => {
  assert.equal(evaluateOperator('AnyIn', ['a', 'x'], ['a', 'b']), true);
  assert.equal(evaluateOperator('AnyIn', ['x'], ['a', 'b']), false);
  assert.equal(evaluateOperator('AllIn', ['a', 'b'], ['a', 'b', 'c']), true);
  assert.equal(evaluateOperator('AllIn', ['a', 'x'], ['a', 'b']), false);
  assert.equal(evaluateOperator('AnyNotIn', ['NET_ADMIN'], ['CHOWN']), true);
  assert.equal(evaluateOperator('AnyNotIn', [], ['CHOWN']), false);
  assert.equal(evaluateOperator('AllNotIn', ['x', 'y'], ['a']), true);
  assert.equal(evaluateOperator('AllNotIn', ['x', 'a'], ['a']), false);
  assert.equal(evaluateOperator('AnyIn', 'prod-1', ['prod-*']), true);
  assert.equal(evaluateOperator('In', 'a', ['a', 'b']), true);
  assert.equal(evaluateOperator('NotIn', 'c', ['a', 'b']), true);
  assert.equal(evaluateOperator('AnyIn', [8080], '8000-9000'), true);
  assert.equal(evaluateOperator('AnyIn', 'a', '["a","b"]'), true);
});

test('numeric and duration comparisons', () => {
  assert.equal(evaluateOperator('GreaterThan', 5, 3), true);
  assert.equal(evaluateOperator('LessThanOrEquals', '500m', '1'), true);
  assert.equal(evaluateOperator('GreaterThan', '2Gi', '1Gi'), true);
  assert.equal(evaluateOperator('DurationGreaterThan', '2h', '90m'), true);
  assert.equal(evaluateOperator('GreaterThan', 'abc', 3), false);
  assert.throws(() => evaluateOperator('Bogus', 1, 1));
});

test('condition blocks: legacy lists, any/all; a key missing along a path is an error, as in Kyverno', () => {
  const ctx = { request: { operation: 'CREATE', object: { metadata: { name: 'x' } } } };
  assert.equal(evaluateConditionBlock([{ key: '{{ request.operation }}', operator: 'Equals', value: 'CREATE' }], ctx).holds, true);
  assert.equal(evaluateConditionBlock({ any: [{ key: 1, operator: 'Equals', value: 2 }, { key: 1, operator: 'Equals', value: 1 }] }, ctx).holds, true);
  assert.equal(evaluateConditionBlock({ all: [{ key: 1, operator: 'Equals', value: 2 }] }, ctx).holds, false);
  assert.throws(() => evaluateConditionBlock({ all: [{ key: '{{ request.object.metadata.labels.app }}', operator: 'Equals', value: '' }] }, ctx), /Unknown key "labels"/);
  assert.equal(evaluateConditionBlock({ all: [{ key: "{{ request.object.metadata.labels.app || '' }}", operator: 'Equals', value: '' }] }, ctx).holds, true);
  // a null key is neither equal nor not equal
  assert.equal(evaluateConditionBlock({ any: [{ key: null, operator: 'Equals', value: null }, { key: null, operator: 'NotEquals', value: 'x' }] }, ctx).holds, false);
  assert.equal(evaluateConditionBlock({ any: [{ key: 1, operator: 'Equals', value: 2, message: 'why' }] }, ctx).message, 'why');
});

test("operand typing follows Kyverno's handlers: the key's type decides, durations count numbers as seconds", () => {
  assert.equal(evaluateOperator('Equals', 1, '1.0'), false, 'an int key reads the value with ParseInt');
  assert.equal(evaluateOperator('Equals', 1.5, '1.5'), true);
  assert.equal(evaluateOperator('Equals', '1', '1*'), false, 'a quantity key needs a quantity value');
  assert.equal(evaluateOperator('Equals', '30s', 30), true);
  assert.equal(evaluateOperator('GreaterThan', '2m', 90), true);
  assert.equal(evaluateOperator('GreaterThan', '10', '9'), true);
  assert.equal(evaluateOperator('GreaterThan', '1.10.0', '1.9.3'), true);
  assert.equal(evaluateOperator('Equals', true, 'true'), false);
  assert.equal(evaluateOperator('Equals', ['a'], ['a']), true);
});
