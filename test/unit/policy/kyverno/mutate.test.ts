import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateKyvernoPolicy } from '../../../../server/src/engine/policy/kyverno/engine';

type Obj = Record<string, unknown>;
const policy = (mutate: Obj): Obj => ({
  apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p', annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'none' } },
  spec: { rules: [{ name: 'm', match: { any: [{ resources: { kinds: ['Pod'] } }] }, mutate }] },
});
const pod = (spec: Obj, meta: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', ...meta }, spec });
const status = (p: Obj, r: Obj): string => evaluateKyvernoPolicy(p, r)[0]?.status ?? 'none';

test('a mutation that changes the resource passes, one that changes nothing is skipped', () => {
  const addLabel = policy({ patchStrategicMerge: { metadata: { labels: { '+(team)': 'core' } } } });
  assert.equal(status(addLabel, pod({ containers: [] })), 'pass');
  assert.equal(status(addLabel, pod({ containers: [] }, { labels: { team: 'other' } })), 'skip');
  const setPolicy = policy({ patchStrategicMerge: { spec: { containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }] } } });
  assert.equal(status(setPolicy, pod({ containers: [{ name: 'a', image: 'n:1' }] })), 'skip', 'no element meets the condition');
  assert.equal(status(setPolicy, pod({ containers: [{ name: 'a', image: 'n:latest', imagePullPolicy: 'Always' }] })), 'skip', 'already set');
  assert.equal(status(setPolicy, pod({ containers: [{ name: 'a', image: 'n:latest', imagePullPolicy: 'Always' }, { name: 'b', image: 'm:latest' }] })), 'pass');
  const byName = policy({ patchStrategicMerge: { spec: { containers: [{ name: 'sidecar', image: 'proxy:1' }] } } });
  assert.equal(status(byName, pod({ containers: [{ name: 'app', image: 'a' }] })), 'pass');
  assert.equal(status(byName, pod({ containers: [{ name: 'sidecar', image: 'proxy:1' }] })), 'skip');
});

test('JSON patches, variables and foreach mutations', () => {
  const json = policy({ patchesJson6902: '- op: add\n  path: /metadata/labels/owner\n  value: "{{ request.object.metadata.name }}"\n' });
  assert.equal(status(json, pod({}, { labels: {} })), 'pass');
  assert.equal(status(json, pod({}, { labels: { owner: 'x' } })), 'skip');
  assert.equal(status(json, pod({})), 'pass', 'missing parents are created, as Kyverno applies patches');
  const bad = policy({ patchesJson6902: '- op: frobnicate\n  path: /x\n' });
  assert.equal(status(bad, pod({})), 'error');
  const each = policy({ foreach: [{ list: 'request.object.spec.containers', patchStrategicMerge: { spec: { containers: [{ name: '{{ element.name }}', securityContext: { '+(runAsNonRoot)': true } }] } } }] });
  assert.equal(status(each, pod({ containers: [{ name: 'a', securityContext: { runAsNonRoot: false } }] })), 'skip');
  assert.equal(status(each, pod({ containers: [{ name: 'a', securityContext: { runAsNonRoot: false } }, { name: 'b' }] })), 'pass');
});

test('a global anchor in a mutation needs its key somewhere: without it the rule is skipped', () => {
  const p = policy({ patchStrategicMerge: { metadata: { annotations: { '+(safe-to-evict)': 'true' } }, spec: { volumes: [{ '<(emptyDir)': {} }] } } });
  assert.equal(status(p, pod({ volumes: [{ name: 'c', emptyDir: { sizeLimit: '1Gi' } }] })), 'pass');
  assert.equal(status(p, pod({ volumes: [{ name: 'c', configMap: { name: 'x' } }] })), 'skip');
  assert.equal(status(p, pod({})), 'skip');
});

test('additions inside a condition apply where the condition holds', () => {
  const p = policy({ foreach: [{ list: 'request.object.spec.volumes', patchStrategicMerge: { spec: { volumes: [{ '(emptyDir)': { '+(sizeLimit)': '20Mi' }, name: '{{ element.name }}' }] } } }] });
  assert.equal(status(p, pod({ volumes: [{ name: 'v', emptyDir: {} }] })), 'pass');
  assert.equal(status(p, pod({ volumes: [{ name: 'v', emptyDir: { sizeLimit: '1Gi' } }] })), 'skip');
  assert.equal(status(p, pod({ volumes: [{ name: 'v', configMap: { name: 'c' } }] })), 'skip');
});
