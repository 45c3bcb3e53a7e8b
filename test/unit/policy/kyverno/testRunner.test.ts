import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runKyvernoTests, type TestFs } from '../../../../server/src/engine/policy/kyverno/testRunner';

function memoryFs(files: Record<string, string>): TestFs {
  return {
    readFile: (p) => {
      if (!(p in files)) throw new Error(`no such file ${p}`);
      return files[p];
    },
    isDirectory: (p) => !(p in files) && Object.keys(files).some((f) => f.startsWith(p.endsWith('/') ? p : `${p}/`)),
    list: (d) => [...new Set(Object.keys(files).filter((f) => f.startsWith(`${d}/`)).map((f) => f.slice(d.length + 1).split('/')[0]))],
  };
}

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: no-latest}
spec:
  rules:
  - name: tag
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: no latest
      pattern: {spec: {containers: [{image: "!*:latest"}]}}
`;
const RESOURCES = `apiVersion: v1
kind: Pod
metadata: {name: good}
spec: {containers: [{name: a, image: "nginx:1"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec: {containers: [{name: a, image: "nginx:latest"}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: baddep}
spec: {template: {spec: {containers: [{name: a, image: "nginx:latest"}]}}}
`;

test('runs every kyverno-test.yaml found, one entry per expected result, and reports mismatches', () => {
  const fs = memoryFs({
    '/w/p/policy.yaml': POLICY,
    '/w/p/.kyverno-test/resources.yaml': RESOURCES,
    '/w/p/.kyverno-test/kyverno-test.yaml': `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [../policy.yaml]
resources: [resources.yaml]
results:
- {policy: no-latest, rule: tag, kind: Pod, resources: [good], result: pass}
- {policy: no-latest, rule: tag, kind: Pod, resources: [bad], result: fail}
- {policy: no-latest, rule: tag, kind: Deployment, resources: [baddep], result: fail}
- {policy: no-latest, rule: tag, kind: Pod, resources: [bad], result: pass}
- {policy: no-latest, rule: tag, kind: Pod, resources: [ghost], result: pass}
`,
  });
  const run = runKyvernoTests(['/w'], fs);
  assert.deepEqual(run.errors, []);
  assert.equal(run.entries.length, 5);
  assert.deepEqual(run.entries.map((e) => [e.resource, e.expected, e.actual, e.agrees]), [
    ['good', 'pass', 'pass', true],
    ['bad', 'fail', 'fail', true],
    ['baddep', 'fail', 'fail', true],
    ['bad', 'pass', 'fail', false],
    ['ghost', 'pass', 'missing', false],
  ]);
  assert.equal(run.entries[0].test, 't');
  assert.match(run.entries[4].reason, /not among the test's resources/);
});

test('values files feed rule context, and broken test files are reported, not thrown', () => {
  const fs = memoryFs({
    '/v/policy.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: cm}
spec:
  rules:
  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    context: [{name: cfg, configMap: {name: c, namespace: n}}]
    validate:
      deny: {conditions: {any: [{key: "{{ cfg.data.block }}", operator: Equals, value: "yes"}]}}
`,
    '/v/res.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n',
    '/v/values.yaml': 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Value\npolicies:\n- name: cm\n  rules:\n  - name: r\n    values: {cfg: {data: {block: "yes"}}}\n',
    '/v/kyverno-test.yaml': 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: v}\npolicies: [policy.yaml]\nresources: [res.yaml]\nvariables: values.yaml\nresults:\n- {policy: cm, rule: r, kind: Pod, resources: [p], result: fail}\n',
    '/x/kyverno-test.yaml': 'kind: Test\npolicies: [missing.yaml]\n',
    '/y/kyverno-test.yaml': 'a: [unclosed\n',
  });
  const run = runKyvernoTests(['/v', '/x', '/y'], fs);
  assert.equal(run.entries.length, 1);
  assert.equal(run.entries[0].actual, 'fail');
  assert.equal(run.errors.length, 2);
});

test('older test files (no kind, status instead of result), dotted values for context entries and for request.object', () => {
  const fs = memoryFs({
    '/o/policy.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: cm}
spec:
  rules:
  - name: r
    context: [{name: dictionary, configMap: {name: c, namespace: n}}]
    match: {resources: {kinds: [Pod]}}
    validate:
      pattern: {metadata: {labels: {env: "{{ dictionary.data.env }}"}, annotations: {role: "app"}}}
`,
    '/o/res.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {env: test}, annotations: {role: web}}\nspec: {containers: []}\n',
    '/o/values.yaml': 'policies:\n- name: cm\n  rules:\n  - name: r\n    values: {dictionary.data.env: test}\n  resources:\n  - name: p\n    values: {request.object.metadata.annotations.role: app}\n',
    '/o/kyverno-test.yaml': 'name: old\npolicies: [policy.yaml]\nresources: [res.yaml]\nvariables: values.yaml\nresults:\n- {policy: cm, rule: r, resource: p, kind: Pod, status: pass}\n',
  });
  const run = runKyvernoTests(['/o'], fs);
  assert.deepEqual(run.errors, []);
  assert.deepEqual(run.entries.map((e) => [e.test, e.expected, e.actual]), [['old', 'pass', 'pass']]);
});
