import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, toUri } from '../../../server/src/engine';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.0
`;

test('each folder follows the nearest .control-lens.yaml above it; settings still win', async () => {
  const top = mkdtempSync(join(tmpdir(), 'control-lens-roots-'));
  const files: Record<string, string> = {
    'team-a/.control-lens.yaml': 'podSecurity: restricted\n',
    'team-a/pod.yaml': POD,
    'team-b/.control-lens.yaml': 'podSecurity: baseline\nseverity:\n  k8s.*: "off"\n',
    'team-b/pod.yaml': POD,
    'team-b/legacy/.control-lens.yaml': 'podSecurity: restricted\n',
    'team-b/legacy/pod.yaml': POD,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(top, name, '..'), { recursive: true });
    writeFileSync(join(top, name), text);
  }
  const engine = createEngine();
  await engine.indexFolders([join(top, 'team-a'), join(top, 'team-b')]);
  const codes = (p: string) => engine.diagnostics(toUri(join(top, p))).map((f) => f.code);
  assert.ok(codes('team-a/pod.yaml').includes('pss.runasnonroot'), 'team-a is restricted');
  assert.ok(codes('team-a/pod.yaml').some((c) => c.startsWith('k8s.')));
  assert.ok(!codes('team-b/pod.yaml').includes('pss.runasnonroot'), 'team-b is baseline');
  assert.ok(!codes('team-b/pod.yaml').some((c) => c.startsWith('k8s.')), 'team-b turned k8s.* off');
  assert.ok(codes('team-b/legacy/pod.yaml').includes('pss.runasnonroot'), 'the nearer file wins');

  engine.updateSettings({ podSecurity: 'baseline' });
  assert.ok(!codes('team-a/pod.yaml').includes('pss.runasnonroot'), 'a setting outranks the file');
});
