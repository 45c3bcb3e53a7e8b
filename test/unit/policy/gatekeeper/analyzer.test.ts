import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyOnlyDirectory } from '../../../../server/src/engine/controls/builtinDirectory';
import { Engine } from '../../../../server/src/engine/engine';
import { gatekeeperAnalyzer } from '../../../../server/src/engine/policy/gatekeeper/analyzer';
import { regoAnalyzer } from '../../../../server/src/engine/policy/rego/analyzer';

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sdenyall
  annotations:
    metadata.gatekeeper.sh/title: "Deny everything"
spec:
  crd:
    spec:
      names:
        kind: K8sDenyAll
      validation:
        openAPIV3Schema:
          type: object
          properties:
            reason: {type: string}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sdenyall
        import data.lib.common.name_of

        # METADATA
        # custom:
        #   controls: [AC-3]
        violation[{"msg": msg}] {
          msg := sprintf("denied: %v", [name_of(input.review.object)])
        }
      libs:
        - |
          package lib.common
          name_of(o) = n { n := o.metadata.name }
`;
const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDenyAll
metadata:
  name: deny-all
spec:
  parameters:
    reason: 7
`;
const REGO = `package policy.main

import rego.v1
import data.policy.util

# METADATA
# title: Deny root
# custom:
#   controls: [AC-6]
deny contains "root" if util.is_root(input)
`;
const UTIL = `package policy.util

is_root(x) if x.user == "root"
`;

function engine(): Engine {
  // The real file system: the files below live only in the engine's buffers, under a folder that does not exist.
  const e = new Engine({ analyzers: [gatekeeperAnalyzer, regoAnalyzer], controls: familyOnlyDirectory });
  e.setText('file:///nonexistent-control-lens-ws/template.yaml', TEMPLATE);
  e.setText('file:///nonexistent-control-lens-ws/constraint.yaml', CONSTRAINT);
  e.setText('file:///nonexistent-control-lens-ws/main.rego', REGO);
  e.setText('file:///nonexistent-control-lens-ws/util.rego', UTIL);
  return e;
}

function pos(text: string, needle: string, delta = 0): { line: number; character: number } {
  const i = text.indexOf(needle) + delta;
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('engine: constraint parameters are checked against the workspace template', () => {
  const e = engine();
  const d = e.diagnostics('file:///nonexistent-control-lens-ws/constraint.yaml');
  const p = d.filter((f) => f.code === 'gatekeeper.parameters');
  assert.equal(p.length, 1, JSON.stringify(d));
  assert.deepEqual(p[0].range.start, pos(CONSTRAINT, '7'));
  assert.deepEqual(p[0].controls, ['ac-3']);
  assert.deepEqual(e.diagnostics('file:///nonexistent-control-lens-ws/template.yaml').filter((f) => f.source === 'gatekeeper' || f.source === 'rego'), []);
  assert.deepEqual(e.diagnostics('file:///nonexistent-control-lens-ws/main.rego'), []);
});

test('engine: go to definition and hover in .rego files and inside template YAML', () => {
  const e = engine();
  const def = e.definition('file:///nonexistent-control-lens-ws/main.rego', pos(REGO, 'is_root', 2));
  assert.deepEqual(def.map((d) => [d.uri, d.range.start]), [['file:///nonexistent-control-lens-ws/util.rego', pos(UTIL, 'is_root')]]);
  const h = e.hover('file:///nonexistent-control-lens-ws/main.rego', pos(REGO, 'deny', 1));
  assert.match(h?.markdown ?? '', /Deny root/);
  const inYaml = e.definition('file:///nonexistent-control-lens-ws/template.yaml', pos(TEMPLATE, 'name_of(input', 2));
  assert.deepEqual(inYaml.map((d) => [d.uri, d.range.start]), [['file:///nonexistent-control-lens-ws/template.yaml', pos(TEMPLATE, 'name_of(o)')]]);
  const hy = e.hover('file:///nonexistent-control-lens-ws/template.yaml', pos(TEMPLATE, 'violation[', 2));
  assert.match(hy?.markdown ?? '', /Controls: AC-3/);
  const syms = e.symbols('file:///nonexistent-control-lens-ws/template.yaml').map((s) => s.name);
  assert.ok(syms.includes('k8sdenyall') && syms.includes('lib.common'), syms.join());
});

test('engine: completion inside template Rego offers the library\'s functions', () => {
  const e = engine();
  const labels = e.completion('file:///nonexistent-control-lens-ws/template.yaml', pos(TEMPLATE, 'name_of(input', 2)).map((c) => c.label);
  assert.ok(labels.includes('name_of') && labels.includes('violation') && labels.includes('sprintf'), labels.join());
  // Outside the Rego scalar nothing is offered.
  assert.deepEqual(e.completion('file:///nonexistent-control-lens-ws/template.yaml', pos(TEMPLATE, 'openAPIV3Schema', 2)), []);
});

test('engine: a constraint kind leads to its template (definition and hover)', () => {
  const e = engine();
  const at = pos(CONSTRAINT, 'K8sDenyAll', 3);
  const def = e.definition('file:///nonexistent-control-lens-ws/constraint.yaml', at);
  assert.deepEqual(def.map((d) => [d.uri, d.range.start]), [['file:///nonexistent-control-lens-ws/template.yaml', pos(TEMPLATE, 'K8sDenyAll')]]);
  const h = e.hover('file:///nonexistent-control-lens-ws/constraint.yaml', at);
  assert.match(h?.markdown ?? '', /Deny everything/);
  assert.match(h?.markdown ?? '', /Controls: AC-3/);
});

test('engine: an edit to the template changes the constraint findings', () => {
  const e = engine();
  e.setText('file:///nonexistent-control-lens-ws/template.yaml', TEMPLATE.replace('reason: {type: string}', 'reason: {type: integer}'), 1);
  assert.deepEqual(e.diagnostics('file:///nonexistent-control-lens-ws/constraint.yaml').filter((f) => f.code === 'gatekeeper.parameters'), []);
  e.setText('file:///nonexistent-control-lens-ws/template.yaml', TEMPLATE.replace('kind: K8sDenyAll', 'kind: K8sOther').replace('name: k8sdenyall', 'name: k8sother'), 2);
  assert.ok(e.diagnostics('file:///nonexistent-control-lens-ws/constraint.yaml').some((f) => f.code === 'gatekeeper.unknown-template'));
});
