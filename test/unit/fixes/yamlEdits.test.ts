import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { DocumentParser } from '../../../server/src/engine/documents/parse';
import { applyTextEdits, diffEdit } from '../../../server/src/engine/fixes/applyEdits';
import { appendToSeq, insertIntoMap, removePair, removeSeqItem, setValue } from '../../../server/src/engine/fixes/yamlEdits';
import type { JsonPath } from '../../../server/src/engine/documents/paths';
import type { TextEdit } from '../../../server/src/engine/types';

let n = 0;
function target(text: string, docIndex = 0, uri = `file:///e${n++}.yaml`) {
  const file = new DocumentParser().parse(uri, text);
  return { file, doc: file.documents[docIndex] };
}

function edit(text: string, make: (t: ReturnType<typeof target>) => TextEdit[], docIndex = 0, uri?: string): string {
  const t = target(text, docIndex, uri);
  const edits = make(t);
  assert.ok(edits.length > 0, 'produces edits');
  return applyTextEdits(text, edits);
}

describe('setValue', () => {
  test('replaces a scalar in place, keeping comments around it', () => {
    const text = 'spec:\n  # keep me\n  hostNetwork: true # trailing\n  dnsPolicy: Default\n';
    assert.equal(edit(text, (t) => setValue(t, ['spec', 'hostNetwork'], false)), 'spec:\n  # keep me\n  hostNetwork: false # trailing\n  dnsPolicy: Default\n');
  });

  test('keeps the quote style of a string', () => {
    assert.equal(edit('a:\n  type: "Unconfined"\n', (t) => setValue(t, ['a', 'type'], 'RuntimeDefault')), 'a:\n  type: "RuntimeDefault"\n');
    assert.equal(edit("a:\n  type: 'Unconfined'\n", (t) => setValue(t, ['a', 'type'], 'RuntimeDefault')), "a:\n  type: 'RuntimeDefault'\n");
  });

  test('creates missing maps at the indentation the document uses', () => {
    const text = 'spec:\n    containers:\n    -   name: app\n        image: nginx\n    volumes: []\n';
    const out = edit(text, (t) => setValue(t, ['spec', 'containers', 0, 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault'));
    assert.equal(out, 'spec:\n    containers:\n    -   name: app\n        image: nginx\n        securityContext:\n            seccompProfile:\n                type: RuntimeDefault\n    volumes: []\n');
    assert.deepEqual(parse(out).spec.containers[0].securityContext, { seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('creates lists in the sequence style of the document', () => {
    const flat = edit('c:\n  x: 1\nl:\n- a\n', (t) => setValue(t, ['c', 'caps', 'drop'], ['ALL']));
    assert.equal(flat, 'c:\n  x: 1\n  caps:\n    drop:\n    - ALL\nl:\n- a\n');
    const indented = edit('c:\n  x: 1\nl:\n  - a\n', (t) => setValue(t, ['c', 'caps', 'drop'], ['ALL']));
    assert.equal(indented, 'c:\n  x: 1\n  caps:\n    drop:\n      - ALL\nl:\n  - a\n');
  });

  test('fills a key that has no value yet', () => {
    assert.equal(edit('a:\n  sc:\n  b: 1\n', (t) => setValue(t, ['a', 'sc', 'privileged'], false)), 'a:\n  sc:\n    privileged: false\n  b: 1\n');
    assert.equal(edit('a:\n  sc: null\n', (t) => setValue(t, ['a', 'sc', 'privileged'], false)), 'a:\n  sc: {privileged: false}\n');
    assert.equal(edit('a:\n  v:\n', (t) => setValue(t, ['a', 'v'], 'x')), 'a:\n  v: x\n');
  });

  test('writes into flow maps in flow style', () => {
    assert.equal(edit('sc: {}\n', (t) => setValue(t, ['sc', 'runAsNonRoot'], true)), 'sc: {runAsNonRoot: true}\n');
    assert.equal(edit('sc: {a: 1}\n', (t) => setValue(t, ['sc', 'b'], [1, 2])), 'sc: {a: 1, b: [1, 2]}\n');
  });

  test('keeps JSON files JSON', () => {
    const text = '{\n  "spec": {\n    "containers": [{"name": "a", "securityContext": {}}]\n  }\n}\n';
    const out = edit(text, (t) => setValue(t, ['spec', 'containers', 0, 'securityContext', 'privileged'], false), 0, 'file:///x.json');
    assert.deepEqual(JSON.parse(out).spec.containers[0].securityContext, { privileged: false });
    const out2 = edit(text, (t) => setValue(t, ['spec', 'hostPID'], false), 0, 'file:///y.json');
    assert.equal(JSON.parse(out2).spec.hostPID, false);
  });

  test('keeps CRLF line ends', () => {
    const out = edit('a:\r\n  b: 1\r\n', (t) => setValue(t, ['a', 'c', 'd'], 2));
    assert.equal(out, 'a:\r\n  b: 1\r\n  c:\r\n    d: 2\r\n');
  });

  test('never writes outside its own document', () => {
    const text = 'kind: A\nspec:\n  x: 1\n---\n# second\nkind: B\nspec:\n  x: 1\n---\nkind: C\nspec:\n  x: 1\n';
    const out = edit(text, (t) => setValue(t, ['spec', 'y'], 2), 1);
    assert.equal(out, 'kind: A\nspec:\n  x: 1\n---\n# second\nkind: B\nspec:\n  x: 1\n  y: 2\n---\nkind: C\nspec:\n  x: 1\n');
  });

  test('does not overwrite a collection with a scalar', () => {
    const t = target('a:\n  b:\n    c: 1\n');
    assert.deepEqual(setValue(t, ['a', 'b'], false), []);
  });

  test('needs no edit when the value is already right', () => {
    assert.deepEqual(setValue(target('a: false\n'), ['a'], false), []);
  });

  test('double-quotes when asked (annotations)', () => {
    const out = edit('metadata:\n  name: x\n', (t) => setValue(t, ['metadata', 'annotations', 'control-lens.dev/ignore'], 'pss.privileged: why'), 0);
    assert.equal(parse(out).metadata.annotations['control-lens.dev/ignore'], 'pss.privileged: why');
    const quoted = edit('metadata:\n  name: x\n', (t) => setValue(t, ['metadata', 'annotations', 'k'], 'a: b', { doubleQuoted: true }));
    assert.equal(parse(quoted).metadata.annotations.k, 'a: b');
    assert.ok(quoted.includes('k: "a: b"'));
  });
});

describe('insertIntoMap', () => {
  test('inserts after the last entry, after a trailing comment, before the next key', () => {
    const text = 'a:\n  b: 1 # c\n  d: |\n    text\n\n# about e\ne: 2\n';
    const out = edit(text, (t) => insertIntoMap(t, ['a'], { x: true }));
    assert.equal(out, 'a:\n  b: 1 # c\n  d: |\n    text\n  x: true\n\n# about e\ne: 2\n');
    assert.deepEqual(parse(out).a, { b: 1, d: 'text\n', x: true });
  });
});

describe('appendToSeq', () => {
  test('block and flow sequences', () => {
    assert.equal(edit('drop:\n  - NET_RAW\nx: 1\n', (t) => appendToSeq(t, ['drop'], 'ALL')), 'drop:\n  - NET_RAW\n  - ALL\nx: 1\n');
    assert.equal(edit('drop: [NET_RAW]\n', (t) => appendToSeq(t, ['drop'], 'ALL')), 'drop: [NET_RAW, ALL]\n');
    assert.equal(edit('drop: []\n', (t) => appendToSeq(t, ['drop'], 'ALL')), 'drop: [ALL]\n');
  });
});

describe('removeSeqItem and removePair', () => {
  const cases: [string, string, JsonPath, 'item' | 'pair', string][] = [
    ['block item', 'add:\n- SYS_ADMIN\n- CHOWN\nx: 1\n', ['add', 0], 'item', 'add:\n- CHOWN\nx: 1\n'],
    ['last block item', 'add:\n  - SYS_ADMIN\nx: 1\n', ['add', 0], 'item', 'add: []\nx: 1\n'],
    ['flow item', 'add: [A, B, C]\n', ['add', 1], 'item', 'add: [A, C]\n'],
    ['last flow item', 'add: [A, B]\n', ['add', 1], 'item', 'add: [A]\n'],
    ['block item spanning lines', 'l:\n- name: a\n  v: 1\n- name: b\n', ['l', 0], 'item', 'l:\n- name: b\n'],
    ['pair', 'p:\n  containerPort: 80\n  hostPort: 8080 # why\nq: 1\n', ['p', 'hostPort'], 'pair', 'p:\n  containerPort: 80\nq: 1\n'],
    ['only pair', 'p:\n  hostPort: 8080\nq: 1\n', ['p', 'hostPort'], 'pair', 'p: {}\nq: 1\n'],
    ['flow pair', 'p: {a: 1, b: 2}\n', ['p', 'a'], 'pair', 'p: {b: 2}\n'],
  ];
  for (const [name, text, path, kind, expected] of cases) {
    test(name, () => {
      assert.equal(edit(text, (t) => (kind === 'item' ? removeSeqItem(t, path) : removePair(t, path))), expected);
    });
  }

  test('refuses a pair that shares its line with a list dash', () => {
    assert.deepEqual(removePair(target('ports:\n- hostPort: 80\n  containerPort: 80\n'), ['ports', 0, 'hostPort']), []);
  });
});

describe('applyTextEdits', () => {
  test('inserts at one position land in the order given', () => {
    const at = { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } };
    assert.equal(applyTextEdits('ab', [{ range: at, newText: '1' }, { range: at, newText: '2' }]), 'a12b');
  });
  test('overlapping edits are refused', () => {
    const r = (a: number, b: number) => ({ start: { line: 0, character: a }, end: { line: 0, character: b } });
    assert.throws(() => applyTextEdits('abcdef', [{ range: r(0, 3), newText: '' }, { range: r(2, 4), newText: '' }]));
  });
});

describe('diffEdit', () => {
  test('covers only the changed span', () => {
    const e = diffEdit('a\nb\nc\n', 'a\nB\nc\n');
    assert.deepEqual(e, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, newText: 'B' });
    assert.equal(diffEdit('x', 'x'), undefined);
  });
});
