import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../../server/src/engine';

const URI = 'file:///repo/app.yaml';

function findings(text: string) {
  const engine = createEngine({ trusted: true });
  engine.setText(URI, text);
  return engine.diagnostics(URI);
}

function rangeText(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  return lines[r.start.line].slice(r.start.character, r.start.line === r.end.line ? r.end.character : undefined);
}

const configMap = (metadata: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n${metadata}data:\n  a: b\n`;

test('control annotations: a malformed id is placed on its text, in block and flow style and with a quoted key', () => {
  for (const metadata of [
    '  annotations:\n    control-lens.dev/controls: "AC-6, XX-99-bad"\n',
    '  annotations: {"control-lens.dev/controls": "AC-6, XX-99-bad"}\n',
    '  annotations:\n    control-lens.dev/rule-controls.require-labels: XX-99-bad\n',
  ]) {
    const text = configMap(metadata);
    const bad = findings(text).filter((f) => f.code === 'controls.malformed-id');
    assert.equal(bad.length, 1, metadata);
    assert.equal(rangeText(text, bad[0].range), 'XX-99-bad');
  }
});

test('control annotations: well-formed ids, other annotations and no annotations give no finding', () => {
  for (const metadata of ['  annotations:\n    control-lens.dev/controls: AC-6, CM-7(1)\n', '  annotations:\n    team: payments\n', '  annotations: {}\n', '']) {
    const text = configMap(metadata);
    assert.deepEqual(findings(text).filter((f) => f.code.startsWith('controls.')), [], metadata);
  }
});

test('control annotations: a value that is not a string is reported on its key', () => {
  const text = configMap('  annotations:\n    control-lens.dev/controls: [AC-6]\n');
  const bad = findings(text).filter((f) => f.code === 'controls.annotation');
  assert.equal(bad.length, 1);
  assert.equal(rangeText(text, bad[0].range), 'control-lens.dev/controls');
});

test('ignore annotation: read in flow style; a non-string value ignores nothing', () => {
  const pod = (annotations: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: ${annotations}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n`;
  const privileged = (text: string) => findings(text).filter((f) => f.code === 'pss.privileged');
  const ignored = privileged(pod('{"control-lens.dev/ignore": "pss.privileged: needs the host network stack"}'));
  assert.equal(ignored.length, 1);
  assert.ok(ignored[0].suppressed, 'suppressed by the flow-style annotation');
  const notString = privileged(pod('{"control-lens.dev/ignore": 42}'));
  assert.equal(notString.length, 1);
  assert.equal(notString[0].suppressed, undefined);
});
