import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRegoSource, fileSource } from '../../../../server/src/engine/policy/rego/module';
import { controlsOfRule, packageControls } from '../../../../server/src/engine/policy/rego/metadata';

const controls = {
  isKnownFamily: (f: string) => ['ac', 'cm', 'sc'].includes(f),
  lookup: (id: string) => (['ac-6', 'cm-7', 'cm-7.1', 'sc-7'].includes(id) ? { id } : undefined),
};

const SRC = `# METADATA
# title: Container policies
# description: Checks containers
# custom:
#   controls: [AC-6]
# related_resources:
#   - ref: https://csrc.nist.gov/projects/cprt/catalog#/cprt/framework/version/SP_800_53_5_1_1/home?element=SC-7
#     description: boundary protection
package k8s.containers

import rego.v1

# METADATA
# title: No privileged containers
# custom:
#   controls:
#     - CM-7(1)
#     - cm-7
deny contains msg if {
	some c in input.containers
	c.privileged
	msg := "privileged"
}

allowed if true
`;

test('METADATA maps the package and rules to controls', () => {
  const mod = analyzeRegoSource(fileSource('file:///p.rego', SRC), { controls });
  assert.deepEqual(mod.problems, []);
  assert.equal(mod.annotations.length, 2);
  assert.deepEqual(packageControls(mod.annotations).map((c) => c.id).sort(), ['ac-6', 'sc-7']);
  const deny = mod.module.rules.find((r) => r.head.name === 'deny')!;
  const ids = controlsOfRule(deny, mod.annotations).map((c) => c.id);
  assert.deepEqual(ids.sort(), ['ac-6', 'cm-7', 'cm-7.1', 'sc-7']);
  const allowed = mod.module.rules.find((r) => r.head.name === 'allowed')!;
  assert.deepEqual(controlsOfRule(allowed, mod.annotations).map((c) => c.id).sort(), ['ac-6', 'sc-7']);
  // Each control's span points at the id as written.
  const cm71 = mod.annotations[1].controls.find((c) => c.id === 'cm-7.1')!;
  assert.equal(SRC.slice(cm71.start, cm71.end), 'CM-7(1)');
  const sc7 = mod.annotations[0].controls.find((c) => c.id === 'sc-7')!;
  assert.equal(SRC.slice(sc7.start, sc7.end), 'SC-7');
  assert.equal(mod.annotations[1].title, 'No privileged containers');
});

test('METADATA checks: unknown keys, bad scope, bad YAML, bad ids, unknown controls, detached blocks', () => {
  const src = `# METADATA
# scope: rule
# colour: blue
package x

# METADATA
# scope: package
p := 1

# METADATA
# custom:
#   controls: "AC-6, XYZ, AU-99"
q := 2

# METADATA
# title: [unclosed
r := 3

# METADATA
# related_resources:
#   - ref: not a url
#   - 42
s := 4

# METADATA
# custom:
#   controls: [ac-6]
`;
  const mod = analyzeRegoSource(fileSource('file:///x.rego', src), { controls });
  const codes = mod.problems.map((p) => `${p.code}:${src.slice(p.start, p.end)}`);
  assert.ok(codes.includes('rego.metadata-scope:rule'), codes.join('\n'));
  assert.ok(codes.includes('rego.metadata-key:colour'), codes.join('\n'));
  assert.ok(codes.includes('rego.metadata-scope:package'), codes.join('\n'));
  assert.ok(codes.includes('controls.malformed-id:XYZ'), codes.join('\n'));
  assert.ok(codes.includes('controls.unknown-control:AU-99'), codes.join('\n'));
  assert.ok(mod.problems.some((p) => p.code === 'rego.metadata' && /not valid YAML/.test(p.message)));
  assert.ok(codes.includes('rego.metadata:not a url'), codes.join('\n'));
  assert.ok(mod.problems.some((p) => /entries are/.test(p.message)));
  assert.ok(mod.problems.some((p) => /not followed by a package or rule/.test(p.message) && p.severity === 'warning'));
  // The valid id in the same string still maps.
  const q = mod.annotations.find((a) => a.target.kind === 'rule' && a.target.rule.head.name === 'q')!;
  assert.deepEqual(q.controls.map((c) => c.id), ['ac-6', 'au-99']);
});

test('a METADATA comment that is not on its own line is ignored', () => {
  const mod = analyzeRegoSource(fileSource('u', 'package x\np := 1 # METADATA\n# title: 1\n'));
  assert.equal(mod.annotations.length, 0);
  assert.deepEqual(mod.problems, []);
});
