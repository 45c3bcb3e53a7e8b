import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSubstituter, substituteAll, VariableError } from '../../../../server/src/engine/policy/kyverno/variables';
import { substituteReferences, ReferenceError } from '../../../../server/src/engine/policy/kyverno/references';
import { kindMatches } from '../../../../server/src/engine/policy/kyverno/match';

const ctx = (name: string): Record<string, unknown> => ({ request: { operation: 'CREATE', object: { metadata: { name } } } });

test('a value with references is substituted afresh for each context; one without is given back as it is', () => {
  const pattern = { metadata: { name: '{{ request.object.metadata.name }}', labels: { 'team-{{request.object.metadata.name}}': 'x' } }, spec: ['a', 1, true] };
  assert.deepEqual(substituteAll(pattern, createSubstituter(ctx('web'), 'strict')), { metadata: { name: 'web', labels: { 'team-web': 'x' } }, spec: ['a', 1, true] });
  assert.deepEqual(substituteAll(pattern, createSubstituter(ctx('db'), 'strict')), { metadata: { name: 'db', labels: { 'team-db': 'x' } }, spec: ['a', 1, true] });
  const literal = { spec: { containers: [{ image: '!*:latest' }] } };
  assert.equal(substituteAll(literal, createSubstituter(ctx('web'), 'strict')), literal);
  // escaped references are not references, but lose their escape
  assert.deepEqual(substituteAll({ a: ['\\{{ x }}'] }, createSubstituter(ctx('web'), 'strict')), { a: ['{{ x }}'] });
  assert.equal(substituteAll('plain text', createSubstituter(ctx('web'), 'strict')), 'plain text');
});

test('{{@}} names the field of the pattern being substituted, at every depth', () => {
  const resource = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
  const context = { request: { operation: 'CREATE', object: resource } };
  const out = substituteAll({ spec: { containers: [{ name: '{{@}}' }, { name: '{{ @ }}' }] } }, createSubstituter(context, 'strict'));
  assert.deepEqual(out, { spec: { containers: [{ name: 'a' }, { name: 'b' }] } });
});

test('substitution limits hold whether or not the value has references', () => {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 150; i++) deep = { d: deep };
  assert.throws(() => substituteAll(deep, createSubstituter(ctx('web'), 'strict')), VariableError);
  assert.throws(() => substituteAll(deep, createSubstituter(ctx('web'), 'strict')), VariableError);
  assert.throws(() => substituteAll({ a: '{{ request.nothing.here }}' }, createSubstituter(ctx('web'), 'strict')), VariableError);
});

test('pattern references resolve the same on every use, and keep failing when broken', () => {
  const pattern = { spec: { containers: [{ resources: { requests: { memory: '?*' }, limits: { memory: '<=$(./../../requests/memory)' } } }] } };
  const first = substituteReferences(pattern);
  assert.deepEqual(first, { spec: { containers: [{ resources: { requests: { memory: '?*' }, limits: { memory: '<=?*' } } }] } });
  assert.deepEqual(substituteReferences(pattern), first);
  assert.equal(pattern.spec.containers[0].resources.limits.memory, '<=$(./../../requests/memory)');
  const broken = { a: '$(./nothing)' };
  assert.throws(() => substituteReferences(broken), ReferenceError);
  assert.throws(() => substituteReferences(broken), ReferenceError);
});

test('kind selectors: bare, versioned, grouped, wildcards; subresources never match an object', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
  const pod = { apiVersion: 'v1', kind: 'Pod' };
  for (let round = 0; round < 2; round++) {
    assert.equal(kindMatches('Deployment', deployment), true);
    assert.equal(kindMatches('apps/v1/Deployment', deployment), true);
    assert.equal(kindMatches('apps/*/Deployment', deployment), true);
    assert.equal(kindMatches('batch/v1/Deployment', deployment), false);
    assert.equal(kindMatches('v1/Pod', pod), true);
    assert.equal(kindMatches('v2/Pod', pod), false);
    assert.equal(kindMatches('Pod/status', pod), false);
    assert.equal(kindMatches('a/b/c/Pod', pod), false);
    assert.equal(kindMatches('apps/V1/Deployment', deployment), false);
    assert.equal(kindMatches('Dep*', deployment), true);
    assert.equal(kindMatches('*', pod), true);
  }
});
