import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateKyvernoPolicy } from '../../../../server/src/engine/policy/kyverno/engine';
import { evaluateValidatingPolicy } from '../../../../server/src/engine/policy/kyverno/validatingPolicy';
import { checkJmesPath } from '../../../../server/src/engine/policy/jmespath';
import { compileCel } from '../../../../server/src/engine/policy/cel';

type Obj = Record<string, unknown>;
const pod: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'a'.repeat(100_000) }] } };
const rule = (validate: unknown): Obj => ({ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate });
const policy = (rules: unknown): Obj => ({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' }, spec: { rules } });

test('malformed policies give results or nothing, never a throw', () => {
  for (const rules of [undefined, 5, 'x', [null], [{}], [{ name: 'r' }], [rule(null)], [rule({ pattern: [] })], [rule({ anyPattern: 'x' })], [rule({ deny: { conditions: 'x' } })], [rule({ foreach: [{}] })], [rule({ cel: { expressions: [{ expression: 7 }] } })], [rule({ podSecurity: { level: 'nope' } })]]) {
    assert.doesNotThrow(() => evaluateKyvernoPolicy(policy(rules), pod));
  }
  assert.doesNotThrow(() => evaluateValidatingPolicy({ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', metadata: {}, spec: { matchConstraints: 'x', validations: 'y' } }, pod));
});

test('hostile patterns and expressions finish quickly', () => {
  const started = Date.now();
  let deep: unknown = '?*';
  for (let i = 0; i < 1000; i++) deep = { a: deep };
  const r = evaluateKyvernoPolicy(policy([rule({ pattern: deep })]), pod);
  assert.equal(r[0].status, 'error');
  assert.match(r[0].message, /nested too deeply/);
  const star = `${'*a'.repeat(200)}b`;
  evaluateKyvernoPolicy(policy([rule({ pattern: { spec: { containers: [{ image: star }] } } })]), pod);
  const bomb = evaluateKyvernoPolicy(policy([rule({ deny: { conditions: { any: [{ key: "{{ regex_match('(a+)+$', request.object.spec.containers[0].image) }}", operator: 'Equals', value: true }] } } })]), pod);
  assert.equal(bomb[0].status, 'fail');
  assert.ok(checkJmesPath('('.repeat(5000)));
  assert.equal(compileCel('('.repeat(5000)).ok, false);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});
