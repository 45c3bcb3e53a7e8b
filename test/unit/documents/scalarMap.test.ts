import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import { scalarMap } from '../../../server/src/engine/documents/scalarMap';

function firstScalar(src: string, key = 'v'): Scalar {
  const doc = parseDocument(src);
  let found: Scalar | undefined;
  const walk = (n: unknown): void => {
    if (found) return;
    if (isMap(n)) for (const p of n.items) {
      if (isScalar(p.key) && p.key.value === key && isScalar(p.value)) found = p.value;
      else walk(p.value);
    } else if (isSeq(n)) n.items.forEach(walk);
  };
  walk(doc.contents);
  assert.ok(found, 'scalar found');
  return found;
}

function check(src: string, expectExact = true): void {
  const node = firstScalar(src);
  const value = String(node.value);
  const m = scalarMap(src, node.range![0], node.range![1], value);
  assert.equal(m.value, value);
  if (expectExact) assert.equal(m.exact, true, `exact map for ${JSON.stringify(src)}`);
  const folded = src[node.range![0]] === '>';
  for (let i = 0; i < value.length; i++) {
    const at = m.toFile(i);
    const ch = value[i];
    if (!expectExact && /\s/.test(ch)) continue;
    if (folded && (ch === ' ' || ch === '\n')) {
      // A folded break maps to a line break or a real space.
      assert.ok(src[at] === ch || src[at] === '\n' || src[at] === '\r', `folded char ${i} of ${JSON.stringify(src)}`);
      continue;
    }
    if (ch === '\n') assert.ok(src[at] === '\n' || src[at] === '\r', `newline ${i} of ${JSON.stringify(src)}`);
    else assert.equal(src[at], ch, `char ${i} of ${JSON.stringify(src)}`);
    if (expectExact && !/\s/.test(ch)) assert.equal(m.fromFile(at), i, `inverse of ${i} in ${JSON.stringify(src)}`);
  }
}

test('literal block scalar: every character maps to its place in the file', () => {
  const src = 'spec:\n  targets:\n    - target: x\n      v: |\n        package k8s\n\n        violation[{"msg": msg}] {\n          msg := "x"\n        }\n    - other: 1\n';
  check(src);
  const node = firstScalar(src);
  const value = String(node.value);
  const m = scalarMap(src, node.range![0], node.range![1], value);
  const at = value.indexOf('msg :=');
  const pos = m.toFile(at);
  assert.equal(src.slice(pos, pos + 6), 'msg :=');
  // The column in the file is the column in the value plus the block's indentation.
  const lineStart = src.lastIndexOf('\n', pos) + 1;
  assert.equal(pos - lineStart, 10);
});

test('chomping indicators and explicit indentation', () => {
  check('v: |-\n  a\n  b\n\n\nw: 1\n');
  check('v: |+\n  a\n  b\n\n\nw: 1\n');
  check('v: |\n  a\n\n  b\n\n');
  check('v: |2\n    indented\n  base\n');
  check('- v: |1-\n   x\n    y\n');
  check('v: |\r\n  crlf\r\n  lines\r\n');
  check('v: |\n    deeper first\n    same\n');
  check('v: |\n  trailing spaces   \n  x\n');
  check('v: |\n\n\n  leading blank lines\n');
});

test('folded block scalars: folding, more-indented lines, blank lines', () => {
  check('v: >\n  folded\n  text\n\n  more\n');
  check('v: >-\n  a\n    indented\n  b\n\n\n  c\n');
  check('v: >+\n  keep\n\n');
  check('v: >\n\n  lead\n  x\n   y\n  z\n');
});

test('quoted and plain scalars fall back to character alignment', () => {
  check('v: "package x\\np := 1"\n', false);
  check("v: 'it''s'\n", false);
  check('v: plain text here\n', false);
  const src = 'v: "a\\tb c"\n';
  const node = firstScalar(src);
  const m = scalarMap(src, node.range![0], node.range![1], String(node.value));
  assert.equal(src[m.toFile(2)], 'b');
  assert.equal(src[m.toFile(4)], 'c');
});

test('random block scalars agree with the YAML library', () => {
  let seed = 11;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const words = ['package x', 'p := 1', 'a b', '{', '}', 'x[0]', '# c', '"q"'];
  let checked = 0;
  for (let n = 0; n < 400; n++) {
    const style = ['|', '>'][rand(2)];
    const chomp = ['', '-', '+'][rand(3)];
    const base = 2 + rand(3);
    const pad = ' '.repeat(base);
    const lines: string[] = [];
    const count = 1 + rand(6);
    for (let k = 0; k < count; k++) {
      const kind = rand(5);
      if (kind === 0 && k > 0) lines.push('');
      else if (kind === 1) lines.push(pad + '  ' + words[rand(words.length)]);
      else lines.push(pad + words[rand(words.length)]);
    }
    if (lines[0].trim() === '') lines[0] = pad + 'first';
    const nested = rand(2) === 0;
    const src = nested
      ? `root:\n  - name: a\n    v: ${style}${chomp}\n${lines.map((l) => (l ? '    ' + l : l)).join('\n')}\n${rand(2) ? '\n' : ''}  - name: b\n`
      : `v: ${style}${chomp}\n${lines.join('\n')}\n${rand(2) ? '\n\n' : ''}w: 1\n`;
    const doc = parseDocument(src);
    if (doc.errors.length) continue;
    check(src);
    checked++;
  }
  assert.ok(checked > 300, `checked ${checked}`);
});
