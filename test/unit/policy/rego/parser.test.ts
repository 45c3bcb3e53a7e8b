import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRego } from '../../../../server/src/engine/policy/rego/parser';
import type { Term } from '../../../../server/src/engine/policy/rego/ast';

const V1 = `package example.authz

import rego.v1
import data.lib.helpers as h
import input.request

# METADATA
# title: Allow
default allow := false

allow if {
	some user in input.users
	user.role == "admin"; user.active
}

allow if input.method == "GET"

deny contains msg if {
	some i, c in input.review.object.spec.containers
	not startswith(c.image, "registry.local/")
	msg := sprintf("container %d uses %v", [i, c.image])
}

ports[name] := port if {
	some p in input.ports
	name := p.name
	port := p.number * 2 + 1 - (3 % 2)
}

f(x) := y if {
	y := x + 1
} else := 0

g(x, _) if x > 0 else := false if x == 0

a.b.c := "deep"

all_ok if every c in input.containers {
	c.ok == true
}

every_kv if {
	every k, v in {"a": 1} { is_string(k); v > 0 }
}

comp := {x | some x in [1, 2, 3]; x > 1}
objc := {k: v | some k, v in {"a": 1}}
arrc := [x | x := input.items[_].name]
s := {1, 2, 3}
e := set()
o := {"a": [1, {"b": null}], "c": true}
raw := \`C:\\path\`
neg := -1.5e3
refs := input.a["b"][0].c[x] if x := "k"
mocked if allow with input as {"method": "GET"} with data.x as 1
union := s | {4}
inter := s & {1}
tmpl := $"hello {input.user} and {count(s)}"
`;

test('parses a Rego v1 module with the whole language', () => {
  const r = parseRego(V1);
  assert.deepEqual(r.errors, []);
  assert.equal(r.version, 'v1');
  assert.deepEqual(r.module.package?.path, ['example', 'authz']);
  assert.deepEqual(r.module.imports.map((i) => i.path.join('.')), ['rego.v1', 'data.lib.helpers', 'input.request']);
  assert.equal(r.module.imports[1].alias, 'h');
  const names = r.module.rules.map((x) => `${x.head.name}:${x.kind}`);
  assert.ok(names.includes('allow:default'));
  assert.ok(names.includes('deny:partial-set'));
  assert.ok(names.includes('ports:partial-object'));
  assert.ok(names.includes('f:function'));
  assert.ok(names.includes('a:complete'));
  const f = r.module.rules.find((x) => x.head.name === 'f')!;
  assert.equal(f.elses.length, 1);
  const g = r.module.rules.find((x) => x.head.name === 'g')!;
  assert.equal(g.elses.length, 1);
  assert.equal(g.elses[0].hasIf, true);
  const a = r.module.rules.find((x) => x.head.name === 'a')!;
  assert.deepEqual(a.head.path, ['a', 'b', 'c']);
  const tmpl = r.module.rules.find((x) => x.head.name === 'tmpl')!;
  assert.equal(tmpl.head.value?.type, 'template');
  assert.equal((tmpl.head.value as Extract<Term, { type: 'template' }>).parts.length, 2);
  // Offsets are exact.
  assert.equal(V1.slice(f.head.nameSpan.start, f.head.nameSpan.end), 'f');
  assert.equal(V1.slice(r.module.package!.pathSpan.start, r.module.package!.pathSpan.end), 'example.authz');
});

test('operator precedence follows OPA: relations below | below & below + below *', () => {
  const r = parseRego('package p\nx := 1 + 2 * 3 == 7\n', { version: 'v1' });
  assert.deepEqual(r.errors, []);
  const v = r.module.rules[0].head.value!;
  assert.equal(v.type, 'infix');
  assert.equal((v as any).op, '==');
  assert.equal((v as any).left.op, '+');
  assert.equal((v as any).left.right.op, '*');
});

test('v0 modules parse in auto mode and are recognised as v0', () => {
  const src = 'package k8s\n\nviolation[{"msg": msg}] {\n  input.x == 1\n  msg := "bad"\n}\n\nis_update(r) {\n  r.operation == "UPDATE"\n}\nf("x", _)\n';
  const r = parseRego(src);
  assert.deepEqual(r.errors, []);
  assert.equal(r.version, 'v0');
  assert.equal(r.module.rules[0].kind, 'partial-set');
  assert.ok(r.v0Evidence);
});

test('v1 mode rejects v0 rule bodies with the v1 code', () => {
  const r = parseRego('package k8s\n\nallow {\n  true\n}\n\ndeny[msg] if { msg := "x" }\n', { version: 'v1' });
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].code, 'rego.v1-syntax');
  assert.match(r.errors[0].message, /`if` keyword is required/);
  const r2 = parseRego('package k8s\ndeny[msg] {\n msg := 1\n}\n', { version: 'v1' });
  assert.equal(r2.errors[0].code, 'rego.v1-syntax');
});

test('future.keywords imports switch keywords on in v0', () => {
  const src = 'package x\nimport future.keywords.in\nimport future.keywords.if\np if { 1 in [1] }\n';
  assert.deepEqual(parseRego(src, { version: 'v0' }).errors, []);
  const without = parseRego('package x\np if { 1 in [1] }\n', { version: 'v0' });
  assert.ok(without.errors.length > 0);
});

test('reports a precise error and recovers at the next rule', () => {
  const src = 'package x\n\na if {\n  x := \n}\n\nb if { input.y }\n\nc if { [1, 2 }\n\nd := 1\n';
  const r = parseRego(src, { version: 'v1' });
  assert.equal(r.errors.length, 2);
  assert.equal(src.slice(r.errors[0].start, r.errors[0].end), '}');
  assert.equal(src.slice(r.errors[1].start, r.errors[1].end), '}');
  assert.ok(src.slice(0, r.errors[1].start).endsWith('c if { [1, 2 '));
  const names = r.module.rules.map((x) => x.head.name);
  assert.deepEqual(names, ['b', 'd']);
});

test('bad imports and package problems are reported where they are', () => {
  const r = parseRego('package x\nimport foo.bar\nimport future.keywords.nope\nimport rego.v2\np := 1\n', { version: 'v0' });
  assert.equal(r.errors.length, 3);
  assert.ok(r.errors.every((e) => e.code === 'rego.import'));
  const noPkg = parseRego('p := 1\n');
  assert.match(noPkg.errors[0].message, /package/);
  assert.match(parseRego('').errors[0].message, /empty module/);
});

test('lexical problems: unterminated strings, illegal characters, bad escapes, leading zeros', () => {
  for (const [src, pattern] of [
    ['package x\np := "abc\n', /unterminated string/],
    ['package x\np := `abc', /unterminated raw string/],
    ['package x\np := "a\\qb"\n', /invalid escape/],
    ['package x\np := 1 @ 2\n', /illegal character/],
    ['package x\np := 007\n', /leading zeros/],
    ['package x\np := $"a {x"\n', /unterminated/],
    ['package x\np := $"a {}"\n', /empty interpolation/],
    ['package x\np := "abc"[0]\n', /illegal ref/],
  ] as const) {
    const r = parseRego(src, { version: 'v1' });
    assert.equal(r.errors.length, 1, src);
    assert.match(r.errors[0].message, pattern, src);
  }
});

test('rule shapes OPA rejects', () => {
  for (const [src, pattern] of [
    ['package x\ndefault p\n', /default rule value/],
    ['package x\ndefault p := x\n', /cannot contain variables/],
    ['package x\np contains x if { x := 1 } else := 2\n', /multi-value/],
    ['package x\np\n', /needs a value or a body/],
    ['package x\np if {}\n', /empty body/],
    ['package x\np if { not some x in y }\n', /negation of 'some'/],
    ['package x\np if { every x { true } }\n', /`in`/],
    ['package x\np := 1 q := 2\n', /new line/],
    ['package x\np if { x := 1 y := 2 }\n', /new line/],
    ['package x\np if { x := input with 1 as 2 }\n', /with target/],
  ] as const) {
    const r = parseRego(src, { version: 'v1' });
    assert.ok(r.errors.length >= 1, src);
    assert.match(r.errors[0].message, pattern, src);
  }
});

test('assignment targets: variables and patterns only', () => {
  assert.deepEqual(parseRego('package x\np if {\n  [a, {"k": b}] := [1, {"k": 2}]\n  x := 1\n}\n', { version: 'v1' }).errors, []);
  const src = 'package x\np if {\n  not is_update(input.review) +\n  fields := ["a"]\n  input.x := 1\n}\n';
  const r = parseRego(src, { version: 'v1' });
  assert.deepEqual(r.errors.map((e) => [e.code, src.slice(e.start, e.end)]), [
    ['rego.assignment', 'is_update(input.review) +\n  fields'],
    ['rego.assignment', 'input.x'],
  ]);
});

test('ref continuation needs adjacency; literals on separate lines', () => {
  const r = parseRego('package x\np if {\n  x := input.a\n  [1, 2][0] == 1\n}\n', { version: 'v1' });
  assert.deepEqual(r.errors, []);
  assert.equal(r.module.rules[0].bodies[0].literals.length, 2);
});

test('hostile input: deep nesting, huge input and garbage never throw or hang', () => {
  const deep = 'package x\np := ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
  const r = parseRego(deep);
  assert.ok(r.errors.some((e) => /nested too deeply/.test(e.message)));
  for (const hostile of ['package x\np := ' + '-'.repeat(50000) + '1\n', 'package x\np := ' + '$"{'.repeat(3000) + 'x' + '}"'.repeat(3000) + '\n', 'package x\np := ' + '('.repeat(20000) + '\n', 'package x\np if ' + '{x | '.repeat(5000) + '\n']) {
    const res = parseRego(hostile);
    assert.ok(res.errors.length >= 1);
  }
  const big = 'package x\n' + Array.from({ length: 5000 }, (_, i) => `r${i} if { input.a[${i}] == "${i}" }`).join('\n');
  const t0 = Date.now();
  assert.deepEqual(parseRego(big).errors, []);
  assert.ok(Date.now() - t0 < 3000);
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const alphabet = ['package', ' ', '\n', 'x', '{', '}', '[', ']', '(', ')', ':=', '=', 'if', 'contains', 'some', 'in', 'every', '"s"', '`r`', '$"{', '1', '.', ',', '|', 'not', 'with', 'as', 'else', 'default', '#c', ';'];
  for (let n = 0; n < 300; n++) {
    let s = 'package fuzz\n';
    for (let k = 0; k < 60; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
    const res = parseRego(s);
    for (const e of res.errors) assert.ok(e.start >= 0 && e.end <= s.length && e.start <= e.end);
  }
});

test('parsing a slice keeps absolute offsets', () => {
  const text = 'xxxx\npackage a\np := 1\nyyyy';
  const start = text.indexOf('package');
  const end = text.indexOf('yyyy');
  const r = parseRego(text, { start, end });
  assert.deepEqual(r.errors, []);
  assert.equal(text.slice(r.module.rules[0].head.nameSpan.start, r.module.rules[0].head.nameSpan.end), 'p');
});
