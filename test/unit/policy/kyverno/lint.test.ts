import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentParser } from '../../../../server/src/engine/documents/parse';
import { lintKyvernoDocument } from '../../../../server/src/engine/policy/kyverno/lint';

function lint(text: string): { code: string; message: string; text: string; line: number; character: number }[] {
  const file = new DocumentParser().parse('file:///p.yaml', text);
  return file.documents.flatMap((d) => lintKyvernoDocument(file, d)).map((f) => {
    const start = file.lines.offsetAt(f.range.start);
    const end = file.lines.offsetAt(f.range.end);
    return { code: f.code, message: f.message, text: text.slice(start, end), line: f.range.start.line, character: f.range.start.character };
  });
}

const HEAD = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
spec:
  validationFailureAction: Audit
  rules:
`;
const RULE = (body: string, name = 'r'): string => `  - name: ${name}
    match:
      any:
      - resources:
          kinds: [Pod]
${body}`;

test('a well-formed policy gives no findings', () => {
  assert.deepEqual(lint(HEAD + RULE(`    validate:
      message: "no latest on {{ request.object.metadata.name }}"
      pattern:
        spec:
          containers:
          - image: "!*:latest"
`)), []);
});

test('unknown fields (with a suggestion), wrong types and duplicate rule names', () => {
  const f = lint(HEAD + RULE(`    validate:
      mesage: x
      pattern: {spec: {}}
`) + RULE(`    validate:
      deny: {}
`) + `  background: "yes"\n`);
  const codes = f.map((x) => x.code).sort();
  assert.deepEqual(codes, ['kyverno.duplicate-rule', 'kyverno.unknown-field', 'kyverno.wrong-type']);
  assert.match(f.find((x) => x.code === 'kyverno.unknown-field')!.message, /did you mean "message"/);
  assert.equal(f.find((x) => x.code === 'kyverno.unknown-field')!.text, 'mesage');
});

test('invalid validationFailureAction', () => {
  const f = lint(HEAD.replace('Audit', 'Block') + RULE('    validate: {deny: {}}\n'));
  assert.deepEqual(f.map((x) => x.code), ['kyverno.invalid-failure-action']);
  assert.equal(f[0].text, 'Block');
});

test('JMESPath syntax errors point inside the YAML string', () => {
  const text = HEAD + RULE(`    validate:
      deny:
        conditions:
          any:
          - key: "{{ request.object.spec.containers[?name == 'a' }}"
            operator: Equals
            value: x
`);
  const f = lint(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, 'kyverno.jmespath-syntax');
  const line = text.split('\n')[f[0].line];
  assert.ok(line.includes('containers[?name'));
  assert.ok(f[0].character > line.indexOf('{{'), 'the position is inside the expression, not at the scalar start');
});

test('CEL syntax errors point at the offending token, also in block scalars', () => {
  const text = HEAD + RULE(`    validate:
      cel:
        expressions:
        - expression: >-
            object.spec.containers.all(c,
            c.image.startsWith('a') &&)
          message: m
`);
  const f = lint(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, 'kyverno.cel-syntax');
  assert.equal(f[0].text, ')');
  assert.equal(text.split('\n')[f[0].line].trim(), "c.image.startsWith('a') &&)");
});

test('unknown condition operators and patterns that can never match', () => {
  const f = lint(HEAD + RULE(`    validate:
      pattern:
        spec:
          containers: []
          x: ">10 & <5"
          ^(volumes): {a: b}
          ports: "9000-80"
`) + RULE(`    preconditions:
      all:
      - key: a
        operator: Equalz
        value: b
    validate: {deny: {}}
`, 'r2'));
  const codes = f.map((x) => x.code).sort();
  assert.deepEqual(codes, ['kyverno.pattern-never-matches', 'kyverno.pattern-never-matches', 'kyverno.pattern-never-matches', 'kyverno.pattern-never-matches', 'kyverno.unknown-operator']);
});

test('ValidatingPolicy CEL is checked; non-policies and hostile input give no crash', () => {
  const f = lint(`apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: v}
spec:
  validationActions: [Deny]
  validations:
  - expression: "object.spec.containers.all(c, c.image ==)"
`);
  assert.deepEqual(f.map((x) => x.code), ['kyverno.cel-syntax']);
  assert.deepEqual(lint('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n'), []);
  assert.doesNotThrow(() => lint(HEAD + '  - ' + '['.repeat(500) + '\n'));
  assert.doesNotThrow(() => lint(HEAD + RULE(`    validate:\n      message: "{{ ${'a.'.repeat(5000)}b }}"\n      deny: {}\n`)));
  assert.ok(lint(HEAD.replace('  rules:\n', '  rules: 5\n')).some((x) => x.code === 'kyverno.wrong-type'));
});

test('a variable that is never closed is reported where it opens', () => {
  const text = HEAD + RULE(`    validate:
      message: "name {{ request.object.metadata.name"
      deny: {}
`);
  const f = lint(text);
  assert.deepEqual(f.map((x) => x.code), ['kyverno.jmespath-syntax']);
  assert.equal(f[0].text, '{{');
});
