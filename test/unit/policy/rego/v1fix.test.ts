import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../../server/src/engine/documents/applyEdits';
import { LineIndex } from '../../../../server/src/engine/documents/lineIndex';
import { regoFindings } from '../../../../server/src/engine/policy/rego/findings';
import { analyzeRegoSource, fileSource } from '../../../../server/src/engine/policy/rego/module';
import { parseRego } from '../../../../server/src/engine/policy/rego/parser';

const V0 = `package k8s

import future.keywords.in

deny[msg] {
  some c in input.containers
  msg := sprintf("%v", [c.name])
}

labels[k] = v {
  v := input.labels[k]
}

allow = true {
  input.ok
} else = false {
  input.maybe
}

f(x) = y {
  y := x + 1
}

default d = 1
g("a")
`;

test('the v0 hint carries a fix that rewrites the module into valid v1 with the same rule kinds', () => {
  const mod = analyzeRegoSource(fileSource('file:///v0.rego', V0), { hintV0: true });
  const findings = regoFindings(mod, new LineIndex(V0));
  const hint = findings.find((f) => f.code === 'rego.v0-syntax')!;
  assert.ok(hint.fixes?.length);
  const out = applyEdits(V0, hint.fixes![0].edits).text;
  const v1 = parseRego(out, { version: 'v1' });
  assert.deepEqual(v1.errors, []);
  const before = parseRego(V0, { version: 'v0' }).module.rules.map((r) => `${r.head.name}:${r.kind}`);
  assert.deepEqual(v1.module.rules.map((r) => `${r.head.name}:${r.kind}`), before);
  assert.match(out, /deny contains msg if \{/);
  assert.match(out, /labels\[k\] = v if \{/);
  assert.match(out, /\} else = false if \{/);
});

test('a v0 rule in a v1 module gets a per-rule fix', () => {
  const text = 'package x\n\nimport rego.v1\n\nok if true\n\nbad[x] {\n  x := 1\n}\n';
  const mod = analyzeRegoSource(fileSource('file:///m.rego', text), { version: 'v1' });
  const f = regoFindings(mod, new LineIndex(text)).find((x) => x.code === 'rego.v1-syntax')!;
  const out = applyEdits(text, f.fixes![0].edits).text;
  assert.equal(out, 'package x\n\nimport rego.v1\n\nok if true\n\nbad contains x if {\n  x := 1\n}\n');
  assert.deepEqual(parseRego(out, { version: 'v1' }).errors, []);
});
