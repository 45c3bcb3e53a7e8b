import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/engine/documents/applyEdits';
import { appendItemsEdit, insertFieldEdit } from '../../../server/src/engine/oscal/edits';
import { parse } from './helpers';

test('inserting a field keeps JSON indentation', () => {
  const text = '{\n    "a": {\n        "b": 1\n    }\n}\n';
  const file = parse(text, 'x.json');
  const edit = insertFieldEdit(file, file.documents[0], ['a'], 'c', { d: 'e' });
  assert.ok(edit);
  assert.equal(applyEdits(text, [edit]).text, '{\n    "a": {\n        "b": 1,\n        "c": {\n            "d": "e"\n        }\n    }\n}\n');
});

test('inserting a field keeps YAML block style and indentation', () => {
  const text = 'a:\n   b: 1\n   c:\n      - x\nz: 2\n';
  const file = parse(text);
  const edit = insertFieldEdit(file, file.documents[0], ['a'], 'n', { k: ['v'] });
  assert.ok(edit);
  assert.equal(applyEdits(text, [edit]).text, 'a:\n   b: 1\n   c:\n      - x\n   n:\n      k:\n         - v\nz: 2\n');
});

test('appending list items keeps YAML block style and JSON indentation', () => {
  const y = 'r:\n  items:\n    - a: 1\n      b: 2\nnext: 1\n';
  const fy = parse(y);
  const ey = appendItemsEdit(fy, fy.documents[0], ['r', 'items'], [{ a: 3, b: 4 }]);
  assert.ok(ey);
  assert.equal(applyEdits(y, [ey]).text, 'r:\n  items:\n    - a: 1\n      b: 2\n    - a: 3\n      b: 4\nnext: 1\n');
  const j = '{\n  "items": [\n    {"a": 1}\n  ]\n}';
  const fj = parse(j, 'x.json');
  const ej = appendItemsEdit(fj, fj.documents[0], ['items'], [{ a: 2 }]);
  assert.ok(ej);
  assert.deepEqual(JSON.parse(applyEdits(j, [ej]).text), { items: [{ a: 1 }, { a: 2 }] });
});
