import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateKyvernoPolicy } from '../../../../server/src/engine/policy/kyverno/engine';
import { evaluateValidatingPolicy } from '../../../../server/src/engine/policy/kyverno/validatingPolicy';

type Obj = Record<string, unknown>;
const policy = (rules: unknown[], annotations: Obj = {}): Obj => ({
  apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p', annotations }, spec: { validationFailureAction: 'Audit', rules },
});
const podRule = (extra: Obj): Obj => ({ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...extra });
const pod = (spec: Obj, meta: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', ...meta }, spec });
const deployment = (podSpec: Obj): Obj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: {}, spec: podSpec } } });
const cronJob = (podSpec: Obj): Obj => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { metadata: {}, spec: podSpec } } } } });
const status = (p: Obj, r: Obj, rule?: string): string | undefined => evaluateKyvernoPolicy(p, r).find((x) => !rule || x.rule === rule)?.status;

const noPrivileged = policy([podRule({ validate: { message: 'no', pattern: { spec: { containers: [{ '=(securityContext)': { '=(privileged)': false } }] } } } })]);

test('pattern rules pass, fail with the failing path, and do not touch other kinds', () => {
  assert.equal(status(noPrivileged, pod({ containers: [{ name: 'a' }] })), 'pass');
  const [r] = evaluateKyvernoPolicy(noPrivileged, pod({ containers: [{ name: 'a', securityContext: { privileged: true } }] }));
  assert.equal(r.status, 'fail');
  assert.deepEqual(r.path, ['spec', 'containers', 0, 'securityContext', 'privileged']);
  assert.equal(evaluateKyvernoPolicy(noPrivileged, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }).length, 0);
});

test('autogen applies Pod rules to controllers and CronJobs, unless switched off', () => {
  const bad = { containers: [{ name: 'a', securityContext: { privileged: true } }] };
  assert.equal(status(noPrivileged, deployment(bad), 'autogen-r'), 'fail');
  assert.equal(status(noPrivileged, deployment({ containers: [{ name: 'a' }] }), 'autogen-r'), 'pass');
  assert.equal(status(noPrivileged, cronJob(bad), 'autogen-cronjob-r'), 'fail');
  const off = policy((noPrivileged.spec as Obj).rules as unknown[], { 'pod-policies.kyverno.io/autogen-controllers': 'none' });
  assert.equal(evaluateKyvernoPolicy(off, deployment(bad)).length, 0);
});

test('match/exclude with names, namespaces, selectors and group/version kinds', () => {
  const p = policy([{ name: 'r', match: { any: [{ resources: { kinds: ['apps/v1/Deployment'], namespaces: ['prod-*'] } }] }, exclude: { any: [{ resources: { selector: { matchLabels: { skip: 'yes' } } } }] }, validate: { deny: {} } }]);
  const d = (ns: string, labels: Obj = {}): Obj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: ns, labels }, spec: {} });
  assert.equal(status(p, d('prod-1')), 'fail');
  assert.equal(evaluateKyvernoPolicy(p, d('dev')).length, 0);
  assert.equal(evaluateKyvernoPolicy(p, d('prod-1', { skip: 'yes' })).length, 0);
  assert.equal(evaluateKyvernoPolicy(p, { ...d('prod-1'), apiVersion: 'extensions/v1beta1' }).length, 0);
});

test('preconditions skip, deny conditions fail, and variables come from the request', () => {
  const p = policy([podRule({
    preconditions: { all: [{ key: "{{ request.object.metadata.labels.app || '' }}", operator: 'NotEquals', value: '' }] },
    validate: { message: 'no default namespace for {{ request.object.metadata.name }}', deny: { conditions: { any: [{ key: '{{ request.namespace }}', operator: 'Equals', value: 'default' }] } } },
  })]);
  assert.equal(status(p, pod({ containers: [] })), 'skip');
  const [r] = evaluateKyvernoPolicy(p, pod({ containers: [] }, { labels: { app: 'a' } }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /for x/);
  assert.equal(status(p, pod({ containers: [] }, { labels: { app: 'a' }, namespace: 'shop' })), 'pass');
});

test('foreach with nested lists, element preconditions and deny', () => {
  const p = policy([podRule({ validate: { foreach: [{ list: 'request.object.spec.containers', preconditions: { all: [{ key: '{{ element.name }}', operator: 'NotEquals', value: 'skipme' }] }, deny: { conditions: { any: [{ key: '{{ element.image }}', operator: 'Equals', value: '*:latest' }] } } }] } })]);
  assert.equal(status(p, pod({ containers: [{ name: 'a', image: 'n:1' }] })), 'pass');
  assert.equal(status(p, pod({ containers: [{ name: 'a', image: 'n:latest' }] })), 'fail');
  assert.equal(status(p, pod({ containers: [{ name: 'skipme', image: 'n:latest' }] })), 'skip');
  const nested = policy([podRule({ validate: { foreach: [{ list: 'request.object.spec.containers', foreach: [{ list: 'element.ports', pattern: { containerPort: '<1024' }, elementScope: true }] }] } })]);
  assert.equal(status(nested, pod({ containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] })), 'pass');
  assert.equal(status(nested, pod({ containers: [{ name: 'a', ports: [{ containerPort: 8080 }] }] })), 'fail');
});

test('context entries that need a cluster give error, values provided instead are used', () => {
  const p = policy([podRule({ context: [{ name: 'cm', configMap: { name: 'c', namespace: 'n' } }], validate: { deny: { conditions: { any: [{ key: '{{ cm.data.block }}', operator: 'Equals', value: 'yes' }] } } } })]);
  const [r] = evaluateKyvernoPolicy(p, pod({ containers: [] }));
  assert.equal(r.status, 'error');
  assert.match(r.message, /needs a live cluster/);
  assert.equal(evaluateKyvernoPolicy(p, pod({ containers: [] }), { ruleValues: { r: { cm: { data: { block: 'yes' } } } } })[0].status, 'fail');
  const v = policy([podRule({ context: [{ name: 'n', variable: { jmesPath: 'request.object.spec.containers | length(@)' } }], validate: { deny: { conditions: { any: [{ key: '{{ n }}', operator: 'GreaterThan', value: 1 }] } } } })]);
  assert.equal(status(v, pod({ containers: [{}, {}] })), 'fail');
  assert.equal(status(v, pod({ containers: [{}] })), 'pass');
});

test('anyPattern passes on any, skips when all skip; scored=false turns fail into warn', () => {
  const p = policy([podRule({ validate: { anyPattern: [{ spec: { hostNetwork: false } }, { spec: { hostNetwork: 'null' } }] } })], { 'policies.kyverno.io/scored': 'false' });
  assert.equal(status(p, pod({ hostNetwork: false })), 'pass');
  assert.equal(status(p, pod({ hostNetwork: true })), 'warn');
});

test('podSecurity with exclusions by control name and image', () => {
  const priv = { containers: [{ name: 'a', image: 'corp/agent:1', securityContext: { privileged: true } }] };
  const base = policy([podRule({ validate: { podSecurity: { level: 'baseline', version: 'latest' } } })]);
  assert.equal(status(base, pod(priv)), 'fail');
  assert.equal(status(base, pod({ containers: [{ name: 'a', image: 'x' }] })), 'pass');
  const excl = policy([podRule({ validate: { podSecurity: { level: 'baseline', version: 'latest', exclude: [{ controlName: 'Privileged Containers', images: ['corp/*'] }] } } })]);
  assert.equal(status(excl, pod(priv)), 'pass');
  const other = { containers: [{ name: 'a', image: 'other:1', securityContext: { privileged: true } }] };
  assert.equal(status(excl, pod(other)), 'fail');
});

test('validate.cel and celPreconditions on ClusterPolicy rules, rewritten for controllers', () => {
  const p = policy([podRule({ celPreconditions: [{ name: 'has', expression: "has(object.spec.containers)" }], validate: { cel: { expressions: [{ expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))", message: 'no latest' }] } } })]);
  assert.equal(status(p, pod({ containers: [{ image: 'n:1' }] })), 'pass');
  const [r] = evaluateKyvernoPolicy(p, pod({ containers: [{ image: 'n:latest' }] }));
  assert.equal(r.status, 'fail');
  assert.equal(r.message, 'no latest');
  assert.equal(status(p, deployment({ containers: [{ image: 'n:latest' }] }), 'autogen-r'), 'fail');
  assert.equal(status(p, pod({})), 'skip');
  const broken = policy([podRule({ validate: { cel: { expressions: [{ expression: 'object.spec.containers.all(' }] } } })]);
  assert.equal(status(broken, pod({ containers: [] })), 'error');
});

test('ValidatingPolicy: matchConstraints, matchConditions, variables, validations and autogen', () => {
  const vpol: Obj = {
    apiVersion: 'policies.kyverno.io/v1alpha1', kind: 'ValidatingPolicy', metadata: { name: 'v' },
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
      matchConditions: [{ name: 'not-system', expression: "object.metadata.?namespace.orValue('') != 'kube-system'" }],
      variables: [{ name: 'cs', expression: 'object.spec.containers' }],
      validations: [{ expression: 'variables.cs.all(c, c.?securityContext.?privileged.orValue(false) == false)', messageExpression: "'privileged in ' + object.metadata.name" }],
    },
  };
  const privileged = { containers: [{ name: 'a', securityContext: { privileged: true } }] };
  assert.equal(evaluateValidatingPolicy(vpol, pod({ containers: [{ name: 'a' }] }))[0].status, 'pass');
  const [r] = evaluateValidatingPolicy(vpol, pod(privileged));
  assert.equal(r.status, 'fail');
  assert.equal(r.message, 'privileged in x');
  assert.equal(evaluateValidatingPolicy(vpol, pod(privileged, { namespace: 'kube-system' })).length, 0);
  assert.equal(evaluateValidatingPolicy(vpol, deployment(privileged))[0].status, 'fail');
  assert.equal(evaluateValidatingPolicy(vpol, cronJob(privileged))[0].status, 'fail');
  assert.equal(evaluateValidatingPolicy(vpol, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }).length, 0);
});

test('namespaced Policy applies only in its namespace', () => {
  const p = { ...policy([podRule({ validate: { deny: {} } })]), kind: 'Policy', metadata: { name: 'p', namespace: 'shop' } };
  assert.equal(status(p, pod({}, { namespace: 'shop' })), 'fail');
  assert.equal(evaluateKyvernoPolicy(p, pod({}, { namespace: 'other' })).length, 0);
});

test('hostile foreach nesting is cut off with an error, not a hang', () => {
  const deep = (n: number): Obj => (n === 0 ? { list: 'request.object.spec.xs', deny: { conditions: { any: [{ key: 1, operator: 'Equals', value: 2 }] } } } : { list: 'request.object.spec.xs', foreach: [deep(n - 1)] });
  const p = policy([podRule({ validate: { foreach: [deep(4)] } })]);
  const started = Date.now();
  const [r] = evaluateKyvernoPolicy(p, pod({ xs: Array.from({ length: 100 }, (_, i) => i) }));
  assert.equal(r.status, 'error');
  assert.ok(Date.now() - started < 5000);
});

test('foreach as Kyverno runs it: unevaluable lists are passed over, scalar elements do not scope the pattern', () => {
  const missing = policy([podRule({ validate: { foreach: [{ list: 'request.object.spec.initContainers', deny: { conditions: { any: [{ key: 1, operator: 'Equals', value: 1 }] } } }] } })]);
  assert.equal(status(missing, pod({ containers: [] })), 'skip');
  const scalars = policy([podRule({ validate: { foreach: [{ list: 'request.object.spec.tags', pattern: { spec: { hostNetwork: false } } }] } })]);
  assert.equal(status(scalars, pod({ tags: ['a', 'b'], hostNetwork: false })), 'pass');
  assert.equal(status(scalars, pod({ tags: ['a'], hostNetwork: true })), 'fail');
  const forced = policy([podRule({ validate: { foreach: [{ list: 'request.object.spec.tags', elementScope: true, pattern: { x: 1 } }] } })]);
  assert.equal(status(forced, pod({ tags: ['a'] })), 'error');
});

test('a mismatch in a pattern whose existence anchor found no key is an error, as Kyverno reports it', () => {
  const p = policy([podRule({ validate: { pattern: { spec: { '^(volumes)': [{ name: '?*' }], hostNetwork: false } } } })]);
  assert.equal(status(p, pod({ hostNetwork: true })), 'error');
  assert.equal(status(p, pod({ hostNetwork: true, volumes: [{ name: 'v' }] })), 'fail');
  assert.equal(status(p, pod({ hostNetwork: false })), 'pass');
});

test('autogen is decided for the whole policy and keeps exclusions for non-Pod kinds out', () => {
  const bad = { containers: [{ name: 'a', securityContext: { privileged: true } }] };
  const rules = (noPrivileged.spec as Obj).rules as Obj[];
  const withGenerate = policy([...rules, { name: 'gen', match: { any: [{ resources: { kinds: ['Namespace'] } }] }, generate: { kind: 'ConfigMap', name: 'x', data: {} } }]);
  assert.equal(evaluateKyvernoPolicy(withGenerate, deployment(bad)).length, 0);
  const named = policy([...rules, { name: 'other', match: { any: [{ resources: { kinds: ['Service'], names: ['x'] } }] }, validate: { deny: {} } }]);
  assert.equal(evaluateKyvernoPolicy(named, deployment(bad)).length, 0);
  const onlyDeployments = policy(rules, { 'pod-policies.kyverno.io/autogen-controllers': 'Deployment' });
  assert.equal(status(onlyDeployments, deployment(bad), 'autogen-r'), 'fail');
  assert.equal(evaluateKyvernoPolicy(onlyDeployments, cronJob(bad)).length, 0);
  const longName = policy([podRule({ name: 'x'.repeat(70), validate: { deny: {} } })]);
  assert.equal(evaluateKyvernoPolicy(longName, deployment(bad))[0].rule.length, 63);
});

test('podSecurity exclusions cancel field errors per container, narrowed by restrictedField and values', () => {
  const caps = (image: string, add: string[]): Obj => ({ name: image.split(':')[0], image, securityContext: { capabilities: { add } } });
  const excl = (ex: Obj): Obj => policy([podRule({ validate: { podSecurity: { level: 'baseline', version: 'latest', exclude: [ex] } } })]);
  const byImage = excl({ controlName: 'Capabilities', images: ['redis*'] });
  assert.equal(status(byImage, pod({ containers: [caps('redis:7', ['NET_ADMIN'])] })), 'pass');
  assert.equal(status(byImage, pod({ containers: [caps('redis:7', ['NET_ADMIN']), caps('nginx:1', ['NET_ADMIN'])] })), 'fail');
  const byValue = excl({ controlName: 'Capabilities', images: ['*'], restrictedField: 'spec.containers[*].securityContext.capabilities.add', values: ['NET_ADMIN'] });
  assert.equal(status(byValue, pod({ containers: [caps('a:1', ['NET_ADMIN'])] })), 'pass');
  assert.equal(status(byValue, pod({ containers: [caps('a:1', ['SYS_TIME'])] })), 'fail');
  const podLevel = excl({ controlName: 'Host Namespaces' });
  assert.equal(status(podLevel, pod({ hostNetwork: true, containers: [{ name: 'a', image: 'a' }] })), 'pass');
  assert.equal(status(podLevel, pod({ hostNetwork: true, containers: [{ name: 'a', image: 'a', securityContext: { privileged: true } }] })), 'fail');
});

test('the operation from values: an update compares the resource with itself, a delete is not pattern-validated', () => {
  const bad = pod({ containers: [{ name: 'a', securityContext: { privileged: true } }] });
  assert.equal(evaluateKyvernoPolicy(noPrivileged, bad, { values: { 'request.operation': 'UPDATE' } })[0].status, 'skip');
  assert.equal(evaluateKyvernoPolicy(noPrivileged, pod({ containers: [{ name: 'a' }] }), { values: { 'request.operation': 'UPDATE' } })[0].status, 'pass');
  assert.equal(evaluateKyvernoPolicy(noPrivileged, bad, { values: { 'request.operation': 'DELETE' } })[0].status, 'skip');
  const denyDelete = policy([podRule({ validate: { deny: { conditions: { all: [{ key: '{{ request.operation }}', operator: 'Equals', value: 'DELETE' }, { key: '{{ request.object.metadata.name }}', operator: 'Equals', value: 'x' }] } } } })]);
  assert.equal(evaluateKyvernoPolicy(denyDelete, pod({}), { values: { 'request.operation': 'DELETE' } })[0].status, 'fail');
});

test('policy exceptions skip the rules they name for the resources they match', () => {
  const exception = (extra: Obj = {}): Obj => ({
    apiVersion: 'kyverno.io/v2', kind: 'PolicyException', metadata: { name: 'allow', namespace: 'kyverno' },
    spec: { exceptions: [{ policyName: 'p', ruleNames: ['r', 'autogen-r'] }], match: { any: [{ resources: { kinds: ['Pod', 'Deployment'], names: ['x*'] } }] }, ...extra },
  });
  const bad = { containers: [{ name: 'a', securityContext: { privileged: true } }] };
  const [r] = evaluateKyvernoPolicy(noPrivileged, pod(bad), { exceptions: [exception()] });
  assert.equal(r.status, 'skip');
  assert.match(r.message, /policy exception kyverno\/allow/);
  assert.equal(evaluateKyvernoPolicy(noPrivileged, { ...pod(bad), metadata: { name: 'other' } }, { exceptions: [exception()] })[0].status, 'fail');
  const withCondition = exception({ conditions: { any: [{ key: "{{ request.object.metadata.labels.team || '' }}", operator: 'Equals', value: 'ops' }] } });
  assert.equal(evaluateKyvernoPolicy(noPrivileged, pod(bad), { exceptions: [withCondition] })[0].status, 'fail');
  const pss = policy([podRule({ validate: { podSecurity: { level: 'baseline', version: 'latest' } } })]);
  const pssException = exception({ podSecurity: [{ controlName: 'Privileged Containers', images: ['*'] }] });
  assert.equal(evaluateKyvernoPolicy(pss, pod({ containers: [{ name: 'a', image: 'a', securityContext: { privileged: true } }] }), { exceptions: [pssException] })[0].status, 'pass');
  const vpol: Obj = {
    apiVersion: 'policies.kyverno.io/v1alpha1', kind: 'ValidatingPolicy', metadata: { name: 'v' },
    spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] }, validations: [{ expression: 'false' }] },
  };
  const celException: Obj = { apiVersion: 'policies.kyverno.io/v1alpha1', kind: 'PolicyException', metadata: { name: 'e' }, spec: { policyRefs: [{ name: 'v', kind: 'ValidatingPolicy' }], matchConditions: [{ name: 'x', expression: "object.metadata.name == 'x'" }] } };
  assert.equal(evaluateValidatingPolicy(vpol, pod({}), { exceptions: [celException] })[0].status, 'skip');
  assert.equal(evaluateValidatingPolicy(vpol, { ...pod({}), metadata: { name: 'y' } }, { exceptions: [celException] })[0].status, 'fail');
});

test('applyRules One stops at the first rule that applied; service account variables come from the username', () => {
  const two = { ...policy([podRule({ name: 'a', validate: { deny: {} } }), podRule({ name: 'b', validate: { deny: {} } })]) };
  assert.equal(evaluateKyvernoPolicy(two, pod({})).length, 2);
  const one = { ...two, spec: { ...(two.spec as Obj), applyRules: 'One' } };
  assert.deepEqual(evaluateKyvernoPolicy(one, pod({})).map((r) => r.rule), ['a']);
  const sa = policy([podRule({ validate: { deny: { conditions: { any: [{ key: '{{ serviceAccountName }}', operator: 'Equals', value: 'builder' }] } } } })]);
  assert.equal(evaluateKyvernoPolicy(sa, pod({}), { username: 'system:serviceaccount:ci:builder' })[0].status, 'fail');
  assert.equal(evaluateKyvernoPolicy(sa, pod({}), { username: 'alice' })[0].status, 'pass');
});

test('$(...) references point at other leaves of the same pattern', () => {
  const p = policy([podRule({ validate: { pattern: { spec: { containers: [{ resources: { requests: { memory: '<=$(./../../limits/memory)' }, limits: { memory: '?*' } } }] } } } })]);
  const withMem = (req: string, lim: string): Obj => pod({ containers: [{ name: 'a', resources: { requests: { memory: req }, limits: { memory: lim } } }] });
  // the reference reads the pattern, not the resource: the limit pattern is '?*', so requests must be <= '?*' (never)
  assert.equal(status(p, withMem('1Gi', '2Gi')), 'fail');
  const fixed = policy([podRule({ validate: { pattern: { spec: { containers: [{ resources: { requests: { memory: '<=$(./../../limits/memory)' }, limits: { memory: '2Gi' } } }] } } } })]);
  assert.equal(status(fixed, withMem('1Gi', '2Gi')), 'pass');
  assert.equal(status(fixed, withMem('3Gi', '2Gi')), 'fail');
  const broken = policy([podRule({ validate: { pattern: { spec: { x: '$(./nowhere)' } } } })]);
  assert.equal(status(broken, pod({})), 'error');
});

test('{{@}} in a pattern reads the resource field at the same path', () => {
  const p = policy([podRule({ validate: { pattern: { metadata: { labels: { '=(team)': "{{ to_upper('{{@}}') }}" } } } } })]);
  assert.equal(status(p, pod({}, { labels: { team: 'OPS' } })), 'pass');
  assert.equal(status(p, pod({}, { labels: { team: 'ops' } })), 'fail');
});

test('context entries under request.object change the rule\'s context, never the resource other rules read', () => {
  const renaming = policy([
    podRule({
      context: [{ name: 'request.object.metadata.name', variable: { value: 'changed' } }],
      validate: { message: 'renamed', deny: { conditions: { any: [{ key: '{{ request.object.metadata.name }}', operator: 'Equals', value: 'changed' }] } } },
    }),
  ]);
  const resource = pod({ containers: [{ name: 'a' }] });
  assert.equal(status(renaming, resource), 'fail');
  assert.equal((resource.metadata as Obj).name, 'x');
  const celName = policy([podRule({ validate: { cel: { expressions: [{ expression: "object.metadata.name == 'x'" }] } } })]);
  assert.equal(status(celName, resource), 'pass');
});

test('the admission request is shared by the rules of one resource, and follows the options it came from', async () => {
  const { baseContext } = await import('../../../../server/src/engine/policy/kyverno/context');
  const resource = pod({ containers: [{ name: 'a', image: 'nginx' }] });
  const options: Obj = { operation: 'CREATE' };
  const first = baseContext(resource, options);
  assert.equal(baseContext(resource, options).request, first.request);
  options.username = 'system:serviceaccount:ops:deployer';
  const second = baseContext(resource, options);
  assert.notEqual(second.request, first.request);
  assert.deepEqual((second.request as Obj).userInfo, { username: 'system:serviceaccount:ops:deployer', groups: [] });
  assert.equal(second.serviceAccountName, 'deployer');
  options.operation = 'DELETE';
  const third = baseContext(resource, options);
  assert.equal((third.request as Obj).object, null);
  assert.equal((third.request as Obj).oldObject, resource);
  // values join the context without reaching the shared request
  options.values = { 'request.userInfo.username': 'alice' };
  const withValues = baseContext(resource, options);
  assert.equal(((withValues.request as Obj).userInfo as Obj).username, 'alice');
  delete options.values;
  assert.equal(((baseContext(resource, options).request as Obj).userInfo as Obj).username, 'system:serviceaccount:ops:deployer');
});

test('podSecurity policies on one resource: the same evaluation serves each level and exclusion, none leaks into another', () => {
  const resource = pod({ hostNetwork: true, containers: [{ name: 'a', image: 'corp/agent:1', securityContext: { privileged: true } }] });
  const at = (level: string, exclude?: Obj[]): Obj => policy([podRule({ validate: { podSecurity: { level, version: 'latest', ...(exclude ? { exclude } : {}) } } })]);
  const privileged = { controlName: 'Privileged Containers', images: ['corp/*'] };
  const host = { controlName: 'Host Namespaces' };
  for (let round = 0; round < 2; round++) {
    assert.equal(status(at('baseline'), resource), 'fail');
    assert.equal(status(at('baseline', [privileged]), resource), 'fail');
    assert.equal(status(at('baseline', [privileged, host]), resource), 'pass');
    assert.equal(status(at('baseline', [host]), resource), 'fail');
    assert.equal(status(at('restricted', [privileged, host]), resource), 'fail');
    assert.match(evaluateKyvernoPolicy(at('baseline'), resource)[0].message, /Host Namespaces, Privileged Containers|Privileged Containers, Host Namespaces/);
  }
});
