import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParser } from '../../../../server/src/engine/documents/parse';
import { analyzeVapFile, bindingCompletion, collectVap, vapViolations } from '../../../../server/src/engine/policy/vap';
import { pluralOf, selectorMatches } from '../../../../server/src/engine/policy/vap/evaluate';
import type { Finding } from '../../../../server/src/engine/types';

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-limit
  annotations:
    control-lens.dev/controls: "CM-6, SC-5"
spec:
  failurePolicy: Fail
  paramKind:
    apiVersion: rules.example.com/v1
    kind: ReplicaLimit
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["deployments"]
  matchConditions:
    - name: not-system
      expression: "!object.metadata.name.startsWith('system-')"
  variables:
    - name: replicas
      expression: "object.spec.replicas"
  validations:
    - expression: "variables.replicas <= params.maxReplicas"
      messageExpression: "'replicas ' + string(variables.replicas) + ' over ' + string(params.maxReplicas)"
    - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
      message: "a team label is required"
      reason: Invalid
`;
const BINDING = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replica-limit-prod
spec:
  policyName: replica-limit
  validationActions: [Deny]
  paramRef:
    name: prod-limit
    namespace: default
    parameterNotFoundAction: Deny
  matchResources:
    namespaceSelector:
      matchLabels:
        env: prod
`;
const PARAMS = `apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata:
  name: prod-limit
  namespace: default
maxReplicas: 3
`;
const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {env: prod}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 5
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  labels: {team: a}
spec:
  replicas: 2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: system-dns
  namespace: shop
spec:
  replicas: 9
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dev-web
  namespace: dev
spec:
  replicas: 9
`;

const parser = new DocumentParser();
let n = 0;
const parse = (t: string) => parser.parse(`file:///ws/v${n++}.yaml`, t);

function textAt(text: string, f: Finding): string {
  const line = text.split('\n')[f.range.start.line];
  return f.range.start.line === f.range.end.line ? line.slice(f.range.start.character, f.range.end.character) : line.slice(f.range.start.character);
}

function workspace(policy = POLICY, binding = BINDING, params = PARAMS) {
  return collectVap([parse(policy), parse(binding), parse(params), parse(MANIFESTS)]);
}

test('valid policy and binding have no structure findings', () => {
  const ws = workspace();
  assert.deepEqual(analyzeVapFile(parse(POLICY), ws), []);
  assert.deepEqual(analyzeVapFile(parse(BINDING), ws), []);
});

test('evaluation: violations as policy.<name>/<index>, params, variables, matchConditions, namespaceSelector', () => {
  const ws = workspace();
  const file = parse(MANIFESTS);
  const f = vapViolations(file, ws);
  const got = f.map((x) => `${x.code}|${textAt(MANIFESTS, x)}|${x.severity}`);
  assert.deepEqual(got.sort(), ['policy.replica-limit/0|web|error', 'policy.replica-limit/1|web|error'].sort());
  const over = f.find((x) => x.code === 'policy.replica-limit/0')!;
  assert.match(over.message, /replicas 5 over 3/);
  assert.deepEqual(over.controls.sort(), ['cm-6', 'sc-5']);
  assert.equal(over.source, 'policy');
  assert.deepEqual(over.resource, { kind: 'Deployment', name: 'web', namespace: 'shop', document: 1 });
  assert.match(f.find((x) => x.code === 'policy.replica-limit/1')!.message, /a team label is required/);
});

test('evaluation: Warn and Audit actions, unbound policies, missing params', () => {
  const warn = workspace(POLICY, BINDING.replace('[Deny]', '[Warn, Audit]'));
  assert.ok(vapViolations(parse(MANIFESTS), warn).every((f) => f.severity === 'warning'));
  const audit = workspace(POLICY, BINDING.replace('[Deny]', '[Audit]'));
  assert.ok(vapViolations(parse(MANIFESTS), audit).every((f) => f.severity === 'information'));
  const noParams = workspace(POLICY, BINDING, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
  assert.deepEqual(vapViolations(parse(MANIFESTS), noParams), []);
  const plain = POLICY.replace(/ {2}paramKind:\n.*\n.*\n/, '').replace('variables.replicas <= params.maxReplicas', 'variables.replicas <= 4').replace(/ {6}messageExpression: .*\n/, '');
  const unbound = collectVap([parse(plain), parse(MANIFESTS)]);
  const f = vapViolations(parse(MANIFESTS), unbound);
  // Unbound: evaluated at warning level on every matching Deployment, the dev namespace included.
  assert.ok(f.some((x) => x.code === 'policy.replica-limit/0' && /dev-web/.test(x.message) && x.severity === 'warning'), f.map((x) => x.message).join('\n'));
  assert.ok(f.every((x) => /no binding/.test(x.message)));
});

test('CEL syntax errors are reported at their characters in the YAML file', () => {
  const bad = POLICY.replace('variables.replicas <= params.maxReplicas', 'variables.replicas <= = params.maxReplicas');
  const f = analyzeVapFile(parse(bad), workspace(bad)).filter((x) => x.code === 'vap.cel');
  assert.equal(f.length, 1);
  const line = bad.split('\n')[f[0].range.start.line];
  assert.equal(line.slice(f[0].range.start.character, f[0].range.start.character + 1), '=');
  assert.ok(line.slice(0, f[0].range.start.character).endsWith('<= '));
  const block = POLICY.replace('    - expression: "has(object.metadata.labels) && \'team\' in object.metadata.labels"', '    - expression: |\n        has(object.metadata.labels) &&\n          (\'team\' in object.metadata.labels');
  const g = analyzeVapFile(parse(block), workspace(block)).filter((x) => x.code === 'vap.cel');
  assert.equal(g.length, 1, JSON.stringify(g));
});

test('policy structure problems', () => {
  const cases: [string, string, string][] = [
    [POLICY.replace(/ {2}matchConstraints:\n( {4}.*\n| {6}.*\n| {8}.*\n)*/, ''), 'vap.match', ''],
    [POLICY.replace('operations: ["CREATE", "UPDATE"]', 'operations: ["CREATE", "PATCH"]'), 'vap.match', '"PATCH"'],
    [POLICY.replace('failurePolicy: Fail', 'failurePolicy: Maybe'), 'vap.structure', 'Maybe'],
    [POLICY.replace('reason: Invalid', 'reason: Bad'), 'vap.structure', 'Bad'],
    [POLICY.replace('- name: replicas', '- name: re-plicas'), 'vap.structure', 're-plicas'],
    [POLICY.replace('variables.replicas <= params', 'variables.replica <= params'), 'vap.variables', ''],
    [POLICY.replace(/ {2}paramKind:\n.*\n.*\n/, ''), 'vap.params', ''],
    [POLICY.replace('admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n', 'admissionregistration.k8s.io/v9\nkind: ValidatingAdmissionPolicy\n'), 'vap.api-version', 'admissionregistration.k8s.io/v9'],
  ];
  for (const [text, code, at] of cases) {
    const f = analyzeVapFile(parse(text), collectVap([parse(text)])).filter((x) => x.code === code);
    assert.ok(f.length >= 1, `${code} in ${text}`);
    if (at) assert.ok(f.some((x) => textAt(text, x) === at), `${code} at ${at}: ${f.map((x) => textAt(text, x)).join(', ')}`);
  }
});

test('binding problems: unknown policy, actions, paramRef', () => {
  const ws = workspace();
  const check = (text: string) => analyzeVapFile(parse(text), ws);
  assert.ok(check(BINDING.replace('policyName: replica-limit', 'policyName: nope')).some((f) => f.code === 'vap.unknown-policy'));
  assert.ok(check(BINDING.replace('[Deny]', '[Deny, Warn]')).some((f) => f.code === 'vap.binding'));
  assert.ok(check(BINDING.replace('[Deny]', '[Block]')).some((f) => f.code === 'vap.binding' && /Deny, Warn, Audit/.test(f.message)));
  assert.ok(check(BINDING.replace('  validationActions: [Deny]\n', '')).some((f) => f.code === 'vap.binding'));
  assert.ok(check(BINDING.replace('name: prod-limit', 'name: other-limit')).some((f) => f.code === 'vap.param-not-found'));
  assert.ok(check(BINDING.replace(/ {2}paramRef:\n( {4}.*\n)*/, '')).some((f) => f.code === 'vap.params'));
  assert.ok(check(BINDING.replace('    parameterNotFoundAction: Deny\n', '')).some((f) => f.code === 'vap.binding' && /parameterNotFoundAction/.test(f.message)));
  assert.ok(check(BINDING.replace('env: prod', 'env: 1')).some((f) => f.code === 'vap.match'));
});

test('helpers: plurals and label selectors', () => {
  assert.equal(pluralOf('Deployment'), 'deployments');
  assert.equal(pluralOf('NetworkPolicy'), 'networkpolicies');
  assert.equal(pluralOf('Ingress'), 'ingresses');
  assert.equal(selectorMatches({ matchLabels: { a: 'b' } }, { a: 'b' }), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['b'] }] }, { a: 'b' }), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, { a: 'b' }), true);
});

test('hostile VAP input never throws', () => {
  const junk = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: j}\nspec: {matchConstraints: 1, validations: [1, {expression: 2}, {expression: "a.b.all(x, x.all(y, y.all(z, z)))"}], variables: {a: 1}}\n';
  const ws = collectVap([parse(junk), parse(MANIFESTS)]);
  assert.ok(analyzeVapFile(parse(junk), ws).length > 0);
  assert.deepEqual(vapViolations(parse(MANIFESTS), ws), []);
});

test('binding completion: policy names, actions not yet listed, parameter objects of the policy\'s kind', () => {
  const ws = workspace();
  const complete = (text: string): string[] => {
    const offset = text.indexOf('|');
    return bindingCompletion(parse(text.replace('|', '')), offset, ws).map((c) => c.label).sort();
  };
  assert.deepEqual(complete(BINDING.replace('policyName: replica-limit', 'policyName: rep|')), ['replica-limit']);
  assert.deepEqual(complete(BINDING.replace('validationActions: [Deny]', 'validationActions: [Deny, |]')), ['Audit', 'Warn']);
  assert.deepEqual(complete(BINDING.replace('name: prod-limit', 'name: p|')), ['prod-limit']);
  assert.deepEqual(complete(POLICY.replace('name: replica-limit', 'name: r|')), []);
});
