import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileAnalyzer } from '../../../server/src/engine/analysis';
import { Engine } from '../../../server/src/engine/engine';
import { createEngine } from '../../../server/src/engine';
import { kubernetesAnalyzer } from '../../../server/src/engine/kubernetes/analyzer';

const deployment = (name: string, ns: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0
          securityContext:
            privileged: true
`;

const namespace = (level: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: ${level}
`;

test('typing in one manifest re-checks that manifest alone; a namespace label change re-checks its workloads', () => {
  const runs = new Map<string, number>();
  const counting: FileAnalyzer = {
    ...kubernetesAnalyzer,
    analyze(entry, ctx) {
      runs.set(entry.file.uri, (runs.get(entry.file.uri) ?? 0) + 1);
      return kubernetesAnalyzer.analyze(entry, ctx);
    },
  };
  const engine = new Engine({ analyzers: [counting], settings: { podSecurity: 'baseline' } });
  engine.setText('file:///ws/ns.yaml', namespace('baseline'), 1);
  engine.setText('file:///ws/a.yaml', deployment('a', 'shop'), 1);
  engine.setText('file:///ws/b.yaml', deployment('b', 'shop'), 1);
  for (const u of ['a', 'b']) engine.diagnostics(`file:///ws/${u}.yaml`);
  assert.equal(runs.get('file:///ws/b.yaml'), 1);

  engine.setText('file:///ws/a.yaml', deployment('a', 'shop').replace('app:1.0', 'app:1.1'), 2);
  for (const u of ['a', 'b']) engine.diagnostics(`file:///ws/${u}.yaml`);
  assert.equal(runs.get('file:///ws/a.yaml'), 2);
  assert.equal(runs.get('file:///ws/b.yaml'), 1, 'b was re-checked although nothing it depends on changed');

  const before = engine.diagnostics('file:///ws/b.yaml').map((f) => f.code);
  engine.setText('file:///ws/ns.yaml', namespace('privileged'), 2);
  const after = engine.diagnostics('file:///ws/b.yaml').map((f) => f.code);
  assert.equal(runs.get('file:///ws/b.yaml'), 2);
  assert.ok(before.includes('pss.privileged'));
  assert.ok(!after.includes('pss.privileged'), 'a privileged namespace admits privileged pods');
});

test('a file no analyser applies to is answered from the cache too', () => {
  const engine = createEngine({});
  engine.setText('file:///plain.yaml', 'a: 1\n');
  const first = engine.diagnostics('file:///plain.yaml');
  assert.deepEqual(first, []);
  assert.equal(engine.diagnostics('file:///plain.yaml'), first);
});
