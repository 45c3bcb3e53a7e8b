import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentParser } from '../../../../server/src/engine/documents/parse';
import { analyzeGatekeeperFile, collectTemplates, type SuiteFiles } from '../../../../server/src/engine/policy/gatekeeper';
import type { Finding } from '../../../../server/src/engine/types';

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
  annotations:
    control-lens.dev/controls: "CM-6"
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels:
              type: array
              items:
                type: object
                properties:
                  key: {type: string}
                  allowedRegex: {type: string}
                required: [key]
            mode:
              type: string
              enum: [strict, lax]
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels

        # METADATA
        # custom:
        #   controls: [CM-8]
        violation[{"msg": msg}] {
          provided := {label | input.review.object.metadata.labels[label]}
          required := {label | label := input.parameters.labels[_].key}
          missing := required - provided
          count(missing) > 0
          msg := sprintf("missing labels: %v", [missing])
        }
      libs:
        - |
          package lib.helpers
          ok(x) { x }
`;

const parser = new DocumentParser();
let n = 0;
function parse(text: string) {
  return parser.parse(`file:///ws/f${n++}.yaml`, text);
}

function run(text: string, extra: string[] = [], suiteFiles?: (uri: string) => SuiteFiles): Finding[] {
  const files = [parse(TEMPLATE), ...extra.map(parse)];
  const { templates } = collectTemplates(files);
  const file = parse(text);
  return analyzeGatekeeperFile(file, { templates, suiteFiles }).findings;
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

function textAt(text: string, f: Finding): string {
  const lines = text.split('\n');
  if (f.range.start.line !== f.range.end.line) return lines[f.range.start.line].slice(f.range.start.character);
  return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
}

test('a valid template and constraint give no findings; controls come from annotations and Rego METADATA', () => {
  const files = [parse(TEMPLATE)];
  const { templates } = collectTemplates(files);
  assert.deepEqual(analyzeGatekeeperFile(files[0], { templates: new Map() }).findings, []);
  assert.deepEqual(templates.get('K8sRequiredLabels')![0].controls.sort(), ['cm-6', 'cm-8']);
  const constraint = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: must-have-owner
spec:
  enforcementAction: warn
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Namespace"]
    excludedNamespaces: ["kube-*"]
    labelSelector:
      matchExpressions:
        - {key: tier, operator: In, values: [web]}
  parameters:
    mode: strict
    labels:
      - key: owner
`;
  assert.deepEqual(run(constraint), []);
});

test('template-name: the name must be the kind in lower case, with a safe fix', () => {
  const text = TEMPLATE.replace('name: k8srequiredlabels', 'name: required-labels');
  const f = run(text).filter((x) => x.code === 'gatekeeper.template-name');
  assert.equal(f.length, 1);
  assert.equal(textAt(text, f[0]), 'required-labels');
  assert.equal(f[0].fixes?.[0].edits[0].newText, 'k8srequiredlabels');
  assert.equal(f[0].fixes?.[0].safe, true);
  assert.deepEqual(f[0].controls, ['cm-6']);
  assert.equal(f[0].source, 'gatekeeper');
});

test('missing kind, bad kind, unknown apiVersion, missing spec', () => {
  assert.ok(codes(run(TEMPLATE.replace('        kind: K8sRequiredLabels\n', '        plural: x\n'))).includes('gatekeeper.missing-kind'));
  const bad = TEMPLATE.replace('kind: K8sRequiredLabels', 'kind: k8s_required').replace('name: k8srequiredlabels', 'name: k8s_required');
  assert.ok(codes(run(bad)).includes('gatekeeper.kind'));
  assert.ok(codes(run(TEMPLATE.replace('templates.gatekeeper.sh/v1', 'templates.gatekeeper.sh/v9'))).includes('gatekeeper.api-version'));
  assert.ok(codes(run('apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata:\n  name: x\n')).includes('gatekeeper.structure'));
});

test('schema: invalid types and meta-schema errors are reported at the schema node', () => {
  const text = TEMPLATE.replace('              type: array\n', '              type: list\n').replace('              enum: [strict, lax]', '              enum: strict');
  const f = run(text).filter((x) => x.code === 'gatekeeper.schema');
  assert.equal(f.length, 2, f.map((x) => x.message).join('\n'));
  assert.deepEqual(f.map((x) => textAt(text, x)).sort(), ['list', 'strict']);
});

test('targets: missing, several, unknown target, no policy, bad code engine and version', () => {
  const noTargets = TEMPLATE.slice(0, TEMPLATE.indexOf('  targets:'));
  assert.ok(codes(run(noTargets)).includes('gatekeeper.targets'));
  const two = TEMPLATE + '    - target: admission.k8s.gatekeeper.sh\n      rego: "package x\\nviolation[{\\"msg\\": m}] { m := 1 }"\n';
  assert.ok(run(two).some((f) => f.code === 'gatekeeper.targets' && /exactly one/.test(f.message)));
  const unknown = TEMPLATE.replace('- target: admission.k8s.gatekeeper.sh', '- target: admission.k8s.example.com');
  assert.ok(run(unknown).some((f) => f.code === 'gatekeeper.targets' && f.severity === 'warning'));
  const code = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sx
spec:
  crd:
    spec:
      names:
        kind: K8sX
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Java
          source: {}
        - engine: Rego
          source:
            version: v3
            rego: |
              package k8sx
              violation contains {"msg": "x"} if { input.review.object.kind == "Pod" }
`;
  const f = run(code);
  assert.ok(f.some((x) => x.code === 'gatekeeper.targets' && /engine/.test(x.message)), codes(f).join());
  assert.ok(f.some((x) => x.code === 'gatekeeper.targets' && /version/.test(x.message)));
  // version other than v1: the Rego is read as v0, where `contains`/`if` need an import.
  assert.ok(f.some((x) => x.code === 'rego.syntax'));
  assert.ok(!run(code.replace('version: v3', 'version: v1')).some((x) => x.code.startsWith('rego.')));
  const empty = code.replace(/ {6}code:[\s\S]*$/, '      libs: []\n');
  assert.ok(run(empty).some((x) => x.code === 'gatekeeper.targets' && /no policy/.test(x.message)));
});

test('K8sNativeValidation CEL is compiled and its syntax errors land in the YAML', () => {
  const text = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8scel
spec:
  crd:
    spec:
      names:
        kind: K8sCel
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            variables:
              - name: ok
                expression: "has(variables.anyObject.spec)"
            validations:
              - expression: "variables.ok && (1 + )"
                messageExpression: "'bad ' + variables.anyObject.metadata.name"
`;
  const f = run(text).filter((x) => x.code === 'gatekeeper.cel');
  assert.equal(f.length, 1, JSON.stringify(f));
  const line = text.split('\n')[f[0].range.start.line];
  assert.equal(line.slice(f[0].range.start.character, f[0].range.start.character + 1), ')');
  assert.deepEqual(run(text.replace('(1 + )', '(1 + 1 == 2)')).filter((x) => x.code === 'gatekeeper.cel'), []);
});

test('embedded Rego errors land on the exact characters of the YAML file', () => {
  const text = TEMPLATE.replace('count(missing) > 0', 'count(missing) > ]');
  const f = run(text).filter((x) => x.code === 'rego.syntax');
  assert.equal(f.length, 1);
  const line = text.split('\n')[f[0].range.start.line];
  assert.equal(line.trim(), 'count(missing) > ]');
  assert.equal(line[f[0].range.start.character], ']');
  assert.match(f[0].message, /spec\.targets\[0\]\.rego/);
  assert.equal(f[0].source, 'rego');
  // A broken lib is reported in the lib, at its own position.
  const lib = TEMPLATE.replace('ok(x) { x }', 'ok(x) { x ) }');
  const g = run(lib).filter((x) => x.code === 'rego.syntax');
  assert.equal(g.length, 1);
  assert.equal(lib.split('\n')[g[0].range.start.line][g[0].range.start.character], ')');
  // Unknown controls in METADATA point at the id inside the YAML.
  const ctl = TEMPLATE.replace('controls: [CM-8]', 'controls: [CM-8, bogus]');
  const h = run(ctl).filter((x) => x.code === 'controls.malformed-id');
  assert.equal(h.length, 1);
  assert.equal(textAt(ctl, h[0]), 'bogus');
});

test('positions hold in later documents of a multi-document file and with CRLF line ends', () => {
  const broken = TEMPLATE.replace('count(missing) > 0', 'count(missing) > ]');
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: |\n    b\n---\n' + broken;
  const f = run(text).filter((x) => x.code === 'rego.syntax');
  assert.equal(f.length, 1);
  assert.equal(text.split('\n')[f[0].range.start.line][f[0].range.start.character], ']');
  assert.equal(f[0].resource?.document, 1);
  const crlf = broken.replace(/\n/g, '\r\n');
  const g = run(crlf).filter((x) => x.code === 'rego.syntax');
  assert.equal(g.length, 1);
  assert.equal(crlf.split('\r\n')[g[0].range.start.line][g[0].range.start.character], ']');
});

test('Gatekeeper Rego rules: violation rule, lib packages, data references', () => {
  const noViolation = TEMPLATE.replace('violation[{"msg": msg}]', 'deny[{"msg": msg}]');
  assert.ok(codes(run(noViolation)).includes('gatekeeper.missing-violation'));
  const libPkg = TEMPLATE.replace('package lib.helpers', 'package helpers');
  const f = run(libPkg).filter((x) => x.code === 'gatekeeper.lib-package');
  assert.equal(f.length, 1);
  assert.equal(textAt(libPkg, f[0]), 'helpers');
  const mainInLib = TEMPLATE.replace('package k8srequiredlabels', 'package lib.k8srequiredlabels');
  assert.ok(run(mainInLib).some((x) => x.code === 'gatekeeper.lib-package' && /main Rego/.test(x.message)));
  const data = TEMPLATE.replace('count(missing) > 0', 'count(missing) > data.config.min\n          data.lib.helpers.ok(true)\n          data.inventory.namespace[_]');
  const d = run(data).filter((x) => x.code === 'gatekeeper.data-reference');
  assert.equal(d.length, 1);
  assert.equal(textAt(data, d[0]), 'data.config.min');
  const imp = TEMPLATE.replace('package k8srequiredlabels\n', 'package k8srequiredlabels\n        import data.secrets\n');
  assert.ok(codes(run(imp)).includes('gatekeeper.data-reference'));
});

test('calls into the template\'s own libraries are checked for arity', () => {
  const text = TEMPLATE.replace('count(missing) > 0', 'count(missing) > 0\n          data.lib.helpers.ok(1, 2, 3)');
  const f = run(text).filter((x) => x.code === 'rego.arity');
  assert.equal(f.length, 1);
  assert.equal(textAt(text, f[0]), 'data.lib.helpers.ok(1, 2, 3)');
  assert.deepEqual(run(TEMPLATE.replace('count(missing) > 0', 'count(missing) > 0\n          data.lib.helpers.ok(true)')).filter((x) => x.code.startsWith('rego.')), []);
});

test('unknown-parameter: Rego reads a parameter the schema does not list', () => {
  const text = TEMPLATE.replace('count(missing) > 0', 'count(missing) > 0\n          input.parameters.Mode == "strict"\n          input.parameters["labels"]');
  const f = run(text).filter((x) => x.code === 'gatekeeper.unknown-parameter');
  assert.equal(f.length, 1);
  assert.equal(textAt(text, f[0]), 'Mode');
  assert.match(f[0].message, /did you mean `mode`/);
  assert.equal(f[0].severity, 'warning');
});

test('duplicate-kind: two templates defining one kind', () => {
  const other = TEMPLATE.replace('name: k8srequiredlabels', 'name: k8srequiredlabels');
  const files = [parse(TEMPLATE), parse(other)];
  const { templates } = collectTemplates(files);
  assert.ok(codes(analyzeGatekeeperFile(files[1], { templates }).findings).includes('gatekeeper.duplicate-kind'));
});

const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: owner
spec:
  parameters:
    labels:
      - key: owner
`;

test('constraints: unknown template kind (with a fix for a near miss) and bad names', () => {
  const text = CONSTRAINT.replace('kind: K8sRequiredLabels', 'kind: K8sRequiredlabels');
  const f = run(text).filter((x) => x.code === 'gatekeeper.unknown-template');
  assert.equal(f.length, 1);
  assert.equal(textAt(text, f[0]), 'K8sRequiredlabels');
  assert.equal(f[0].fixes?.[0].edits[0].newText, 'K8sRequiredLabels');
  assert.ok(run(CONSTRAINT.replace('kind: K8sRequiredLabels', 'kind: K8sNothing')).some((x) => x.code === 'gatekeeper.unknown-template' && !x.fixes));
  assert.ok(codes(run(CONSTRAINT.replace('name: owner', 'name: Owner_1'))).includes('gatekeeper.constraint-name'));
  // Constraints inherit the template's controls.
  assert.deepEqual(run(CONSTRAINT.replace('name: owner', 'name: Owner_1'))[0].controls.sort(), ['cm-6', 'cm-8']);
});

test('constraints: parameters are validated against the template schema at their paths', () => {
  const text = CONSTRAINT.replace('      - key: owner\n', '      - key: 42\n      - allowedRegex: x\n    mode: loose\n    colour: blue\n');
  const f = run(text).filter((x) => x.code === 'gatekeeper.parameters');
  const got = f.map((x) => `${x.severity}:${textAt(text, x)}:${x.message}`);
  assert.ok(got.some((g) => g.startsWith('error:42:') && /must be string/.test(g)), got.join('\n'));
  assert.ok(got.some((g) => /missing required parameter `key`/.test(g)), got.join('\n'));
  assert.ok(got.some((g) => g.startsWith('error:loose:') && /strict/.test(g)), got.join('\n'));
  assert.ok(got.some((g) => g.startsWith('warning:colour:')), got.join('\n'));
  assert.ok(run(CONSTRAINT.replace('labels:\n      - key: owner', 'labels: owner')).some((x) => x.code === 'gatekeeper.parameters' && /must be array/.test(x.message)));
});

test('constraints: match blocks and enforcement actions', () => {
  const match = CONSTRAINT.replace('spec:\n', `spec:
  enforcementAction: block
  match:
    kinds:
      - apiGroups: core
        kind: [Pod]
    scope: Everything
    namespaces: ["Bad_NS"]
    labelSelector:
      matchLabels: {app: 1}
      matchExpressions:
        - {key: a, operator: Has}
        - {key: b, operator: In}
        - {key: c, operator: Exists, values: [x]}
    namespaceSelector: nope
    colour: red
`);
  const f = run(match);
  const m = f.filter((x) => x.code === 'gatekeeper.match').map((x) => textAt(match, x));
  for (const expected of ['core', 'kind', 'Everything', 'Bad_NS', '1', 'Has', 'In', '[x]', 'nope', 'colour']) {
    assert.ok(m.some((t) => t.includes(expected)), `${expected} in ${JSON.stringify(m)}`);
  }
  assert.ok(codes(f).includes('gatekeeper.enforcement-action'));
  const scoped = CONSTRAINT.replace('spec:\n', 'spec:\n  enforcementAction: scoped\n  scopedEnforcementActions:\n    - action: block\n      enforcementPoints: [{name: nowhere}]\n');
  const s = run(scoped).filter((x) => x.code === 'gatekeeper.enforcement-action');
  assert.equal(s.length, 2);
});

test('suites: files must exist, assertions well formed, constraint kind agrees with the template', () => {
  const disk = new Map<string, string>([
    ['/ws/t/template.yaml', TEMPLATE],
    ['/ws/t/constraint.yaml', CONSTRAINT],
    ['/ws/t/other.yaml', CONSTRAINT.replace('kind: K8sRequiredLabels', 'kind: K8sOther')],
    ['/ws/t/ok.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n'],
    ['/ws/t/labelled.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\n  labels: {owner: me}\n'],
  ]);
  const files = (): SuiteFiles => ({
    resolve: (rel) => '/ws/t/' + rel.replace(/^\.\//, ''),
    exists: (p) => disk.has(p),
    read: (p) => disk.get(p),
  });
  const suite = `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: good
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: ok
    object: ok.yaml
    assertions:
    - violations: yes
    - violations: 1
      message: "missing.*owner"
    - violations: 1
      message: "(?i)(?P<what>MISSING) labels"
  - name: labelled
    object: labelled.yaml
    assertions:
    - violations: no
`;
  assert.deepEqual(run(suite, [], files), []);
  // The built-in interpreter runs the cases: a wrong expectation is reported at the case.
  const wrong = suite.replace('    - violations: no\n', '    - violations: 1\n');
  const r = run(wrong, [], files).filter((x) => x.code === 'gatekeeper.suite-result');
  assert.equal(r.length, 1, JSON.stringify(r));
  assert.equal(textAt(wrong, r[0]), 'labelled');
  assert.match(r[0].message, /expected 1 violation, got 0/);
  const bad = suite
    .replace('object: ok.yaml', 'object: gone.yaml\n    inventory: [inv.yaml]')
    .replace('violations: yes', 'violations: maybe')
    .replace('"missing.*owner"', '"(unclosed"')
    .replace('constraint: constraint.yaml', 'constraint: other.yaml');
  const f = run(bad, [], files);
  const got = f.map((x) => `${x.code}:${textAt(bad, x)}`);
  assert.ok(got.includes('gatekeeper.suite-file:gone.yaml'), got.join('\n'));
  assert.ok(got.includes('gatekeeper.suite-file:inv.yaml'), got.join('\n'));
  assert.ok(got.includes('gatekeeper.suite:maybe'), got.join('\n'));
  assert.ok(got.includes('gatekeeper.suite:"(unclosed"'), got.join('\n'));
  assert.ok(got.includes('gatekeeper.suite:other.yaml'), got.join('\n'));
  const missingTemplate = suite.replace('template: template.yaml', 'template: nope.yaml');
  assert.ok(run(missingTemplate, [], files).some((x) => x.code === 'gatekeeper.suite-file' && /nope\.yaml/.test(x.message)));
});

test('hostile input: wrong types everywhere never throw', () => {
  const junk = [
    'apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: 1\nspec: {crd: 1, targets: {a: 1}}\n',
    'apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: x}\nspec: {crd: {spec: {names: {kind: X}, validation: {openAPIV3Schema: [1]}}}, targets: [1, {rego: 3, libs: 2, code: 4}]}\n',
    'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata: {name: a}\nspec: {match: [1], parameters: [1, 2], enforcementAction: [], scopedEnforcementActions: 3}\n',
    'apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests: [1, {cases: 2}, {cases: [1, {assertions: [1]}]}]\n',
  ];
  for (const j of junk) {
    const f = run(j, [], () => ({ resolve: (r) => r, exists: () => false }));
    assert.ok(f.length > 0, j);
  }
});
