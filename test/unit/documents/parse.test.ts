import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentParser, splitYamlDocuments } from '../../../server/src/engine/documents/parse';
import { offsetsOfPath, pathAtOffset, rangeOfPath, resolvePath, valueAt } from '../../../server/src/engine/documents/paths';

const parser = () => new DocumentParser();

test('multi-document YAML: each document has its value and exact ranges', () => {
  const text = '# leading comment\napiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web # a comment\n';
  const file = parser().parse('file:///a.yaml', text);
  assert.equal(file.documents.length, 2);
  assert.deepEqual(file.documents.map((d) => (d.value as { kind: string }).kind), ['Pod', 'Service']);
  const second = file.documents[1];
  const r = rangeOfPath(file, second, ['metadata', 'name'], 'value');
  assert.deepEqual(r, { start: { line: 7, character: 8 }, end: { line: 7, character: 11 } });
  const k = rangeOfPath(file, second, ['metadata', 'name'], 'key');
  assert.deepEqual(k, { start: { line: 7, character: 2 }, end: { line: 7, character: 6 } });
  assert.equal(file.problems.length, 0);
});

test('a missing path falls back to the deepest existing ancestor', () => {
  const text = 'spec:\n  containers:\n  - name: a\n    image: x\n';
  const file = parser().parse('file:///b.yaml', text);
  const doc = file.documents[0];
  const target = resolvePath(doc, ['spec', 'containers', 0, 'securityContext', 'privileged']);
  assert.equal(target.exact, false);
  assert.deepEqual(target.path, ['spec', 'containers', 0]);
  assert.equal(offsetsOfPath(doc, ['spec', 'nope']), undefined);
  const r = rangeOfPath(file, doc, ['spec', 'containers', 0, 'securityContext']);
  assert.equal(r.start.line, 2);
});

test('path at offset, and back', () => {
  const text = 'a:\n  b:\n    - x: 1\n    - y: "two"\n';
  const file = parser().parse('file:///c.yaml', text);
  const doc = file.documents[0];
  const at = pathAtOffset(doc, text.indexOf('"two"') + 1);
  assert.deepEqual(at.path, ['a', 'b', 1, 'y']);
  assert.equal(at.onKey, false);
  const onKey = pathAtOffset(doc, text.indexOf('x:'));
  assert.deepEqual(onKey.path, ['a', 'b', 0, 'x']);
  assert.equal(onKey.onKey, true);
  assert.equal(valueAt(doc.value, at.path), 'two');
});

test('JSON documents are parsed with ranges', () => {
  const text = '{\n  "catalog": {\n    "uuid": "abc",\n    "metadata": {"title": "T"}\n  }\n}\n';
  const file = parser().parse('file:///cat.json', text);
  assert.equal(file.format, 'json');
  assert.equal(file.documents.length, 1);
  const r = rangeOfPath(file, file.documents[0], ['catalog', 'uuid']);
  assert.deepEqual(r, { start: { line: 2, character: 12 }, end: { line: 2, character: 17 } });
});

test('syntax errors become diagnostics at the right place and half-typed documents still read', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\nspec:\n  containers: []\n';
  const file = parser().parse('file:///d.yaml', text);
  assert.ok(file.problems.length > 0);
  assert.ok(file.problems.every((p) => p.code === 'syntax'));
  assert.ok(file.problems.some((p) => p.range.start.line >= 3));
  assert.equal((file.documents[0].value as { kind: string }).kind, 'Pod');
});

test('duplicate keys are reported', () => {
  const file = parser().parse('file:///e.yaml', 'a: 1\na: 2\n');
  assert.ok(file.problems.some((p) => /unique/i.test(p.message) && p.range.start.line === 1));
});

test('alias bombs are refused with a clear message, not expanded', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 12; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const started = Date.now();
  const file = parser().parse('file:///bomb.yaml', lines.join('\n') + '\n');
  assert.ok(Date.now() - started < 2000);
  assert.ok(file.problems.some((p) => /alias/i.test(p.message)));
  assert.equal(file.documents[0].value, undefined);
});

test('__proto__ keys do not pollute prototypes', () => {
  const file = parser().parse('file:///p.yaml', '__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    x: 1\n');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const v = file.documents[0].value as Record<string, unknown>;
  assert.ok(Object.prototype.hasOwnProperty.call(v, '__proto__'));
});

test('files over the size limit are skipped with one information diagnostic', () => {
  const p = new DocumentParser({ maxFileSize: 100 });
  const file = p.parse('file:///big.yaml', 'a: 1\n'.repeat(100));
  assert.equal(file.documents.length, 0);
  assert.equal(file.problems.length, 1);
  assert.equal(file.problems[0].severity, 'information');
  assert.equal(file.problems[0].code, 'file-too-large');
});

test('an edit re-reads only the document it touched', () => {
  const p = parser();
  const a = 'kind: A\n---\nkind: B\n---\nkind: C\n';
  const first = p.parse('file:///m.yaml', a, 1);
  const second = p.parse('file:///m.yaml', a.replace('kind: B', 'kind: BB'), 2);
  assert.equal(second.documents[0].yaml, first.documents[0].yaml);
  assert.notEqual(second.documents[1].yaml, first.documents[1].yaml);
  assert.equal(second.documents[2].yaml, first.documents[2].yaml);
  assert.equal(second.documents[2].base, first.documents[2].base + 1);
  assert.equal((second.documents[1].value as { kind: string }).kind, 'BB');
  // Ranges of a reused document follow its new position.
  const r = rangeOfPath(second, second.documents[2], ['kind']);
  assert.deepEqual(r.start, { line: 4, character: 6 });
});

test('document splitting keeps comments and directives with the document they precede', () => {
  const text = '# only a comment\n---\na: 1\n--- # trailing\nb: 2\n';
  const chunks = splitYamlDocuments(text);
  assert.equal(chunks.length, 2);
  assert.equal(chunks[0].start, 0);
  const file = parser().parse('file:///s.yaml', text);
  assert.deepEqual(file.documents.map((d) => d.value), [{ a: 1 }, { b: 2 }]);
});

test('CRLF line endings give the same positions', () => {
  const text = 'a: 1\r\nb:\r\n  c: x\r\n';
  const file = parser().parse('file:///crlf.yaml', text);
  assert.deepEqual(rangeOfPath(file, file.documents[0], ['b', 'c']).start, { line: 2, character: 5 });
});

test('released syntax trees are read again on demand, with the same ranges', () => {
  const p = parser();
  const text = 'kind: A\nmetadata:\n  name: a # c\n---\nkind: B\nlist: [1, 2, {x: y}]\n';
  const file = p.parse('file:///r.yaml', text, 1);
  const before = file.documents.map((d) => d.yaml);
  const ranges = [rangeOfPath(file, file.documents[0], ['metadata', 'name']), rangeOfPath(file, file.documents[1], ['list', 2, 'x'])];
  p.releaseSyntax('file:///r.yaml');
  assert.notEqual(file.documents[0].yaml, before[0], 'the tree was not released');
  assert.equal(file.documents[0].yaml, file.documents[0].yaml, 'a re-read tree is kept until released again');
  assert.deepEqual([rangeOfPath(file, file.documents[0], ['metadata', 'name']), rangeOfPath(file, file.documents[1], ['list', 2, 'x'])], ranges);
  assert.deepEqual(file.documents.map((d) => d.value), [{ kind: 'A', metadata: { name: 'a' } }, { kind: 'B', list: [1, 2, { x: 'y' }] }]);
});
