import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../../server/src/engine';
import { applyEdits } from '../../../server/src/engine/documents/applyEdits';

const CATALOG = `{
  "catalog": {
    "uuid": "4f4ec0a5-5b45-4c4a-9bd7-3a2b1f0e7a11",
    "metadata": {
      "title": "Mini",
      "last-modified": "2020-01-01T00:00:00Z",
      "version": "1",
      "oscal-version": "1.1.2"
    }
  }
}
`;

test('code actions: actions that mend no finding are offered beside findings fixes', () => {
  const engine = createEngine();
  const uri = 'file:///ws/catalog.json';
  engine.setText(uri, CATALOG, 1);
  const at = { start: { line: 5, character: 10 }, end: { line: 5, character: 10 } };
  const actions = engine.codeActions(uri, at);
  const stamp = actions.find((a) => a.fix.title === 'Set last-modified to now');
  assert.ok(stamp, JSON.stringify(actions.map((a) => a.fix.title)));
  assert.equal(stamp.finding, undefined);
  const text = applyEdits(CATALOG, stamp.fix.edits).text;
  assert.doesNotMatch(text, /2020-01-01T00:00:00Z/);
  assert.match(text, /"last-modified": "\d{4}-\d\d-\d\dT/);
  // Only that line changed.
  const before = CATALOG.split('\n');
  const after = text.split('\n');
  assert.equal(after.length, before.length);
  assert.deepEqual(after.filter((l, i) => l !== before[i]).length, 1);
});

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web # keep me
spec:
  containers:
    - name: web
      image: nginx:1.27
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other}
`;

test('fix-all merges fixes that touch one securityContext and leaves other documents alone', () => {
  const engine = createEngine({ settings: { podSecurity: 'restricted' } });
  const uri = 'file:///ws/pod.yaml';
  engine.setText(uri, POD, 1);
  const before = engine.activeDiagnostics(uri).filter((f) => f.code.startsWith('pss.'));
  assert.ok(before.length >= 3, JSON.stringify(before.map((f) => f.code)));
  const fixed = applyEdits(POD, engine.fixAll(uri)).text;
  assert.equal((fixed.match(/securityContext:/g) ?? []).length, 1, fixed);
  assert.ok(fixed.includes('name: web # keep me'));
  assert.ok(fixed.endsWith('---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n'));
  engine.setText(uri, fixed, 2);
  assert.deepEqual(engine.activeDiagnostics(uri).filter((f) => f.code.startsWith('pss.')).map((f) => f.code), []);
});
