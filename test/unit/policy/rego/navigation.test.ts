import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRegoSource, fileSource, type RegoModuleInfo } from '../../../../server/src/engine/policy/rego/module';
import { completionsAt, definitionAt, documentSymbols, hoverAt, referencesAt } from '../../../../server/src/engine/policy/rego/navigation';
import { regoFindings } from '../../../../server/src/engine/policy/rego/findings';
import { LineIndex } from '../../../../server/src/engine/documents/lineIndex';

const MAIN = `package k8s.main

import rego.v1
import data.lib.exempt.is_exempt
import data.lib.util as u

# METADATA
# title: Deny privileged
# custom:
#   controls: [AC-6]
deny contains msg if {
	some c in containers
	not is_exempt(c)
	u.flag(c)
	x := data.lib.util.level
	msg := sprintf("%v %v", [c.name, x])
}

containers contains c if some c in input.review.object.spec.containers

f(a) := a + 1
`;
const EXEMPT = `package lib.exempt

is_exempt(c) if startswith(c.image, "safe/")
`;
const UTIL = `package lib.util

flag(c) if c.privileged
level := 3
`;

function mods(): RegoModuleInfo[] {
  return [
    analyzeRegoSource(fileSource('file:///main.rego', MAIN)),
    analyzeRegoSource(fileSource('file:///exempt.rego', EXEMPT)),
    analyzeRegoSource(fileSource('file:///util.rego', UTIL)),
  ];
}

function at(text: string, needle: string, delta = 0): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + delta;
}

test('document symbols: the package with its rules', () => {
  const [main] = mods();
  assert.deepEqual(main.problems, []);
  const syms = documentSymbols(main);
  assert.equal(syms.length, 1);
  assert.equal(syms[0].name, 'k8s.main');
  assert.deepEqual(syms[0].children.map((s) => `${s.name}/${s.kind}`), ['deny/set', 'containers/set', 'f/function']);
  const deny = syms[0].children[0];
  assert.equal(MAIN.slice(deny.selection.start, deny.selection.end), 'deny');
});

test('go to definition: same package, imported rule, aliased import, data refs, locals', () => {
  const all = mods();
  const [main] = all;
  const d1 = definitionAt(all, main, at(MAIN, 'containers\n', 2));
  assert.deepEqual(d1.map((d) => [d.uri, MAIN.slice(d.start, d.end)]), [['file:///main.rego', 'containers']]);
  const d2 = definitionAt(all, main, at(MAIN, 'is_exempt(c)', 3));
  assert.equal(d2.length, 1);
  assert.equal(d2[0].uri, 'file:///exempt.rego');
  assert.equal(EXEMPT.slice(d2[0].start, d2[0].end), 'is_exempt');
  const d3 = definitionAt(all, main, at(MAIN, 'u.flag', 3));
  assert.deepEqual(d3.map((d) => [d.uri, UTIL.slice(d.start, d.end)]), [['file:///util.rego', 'flag']]);
  const d4 = definitionAt(all, main, at(MAIN, 'util.level', 6));
  assert.deepEqual(d4.map((d) => UTIL.slice(d.start, d.end)), ['level']);
  const d5 = definitionAt(all, main, at(MAIN, 'c.name', 0));
  assert.equal(d5.length, 1);
  assert.equal(d5[0].uri, 'file:///main.rego');
  assert.equal(d5[0].start, at(MAIN, 'some c in', 5));
  const d6 = definitionAt(all, main, at(MAIN, 'data.lib.exempt.is_exempt', 10));
  assert.equal(d6[0].uri, 'file:///exempt.rego');
  assert.deepEqual(definitionAt(all, main, at(MAIN, 'input.review', 2)), []);
  assert.deepEqual(definitionAt(all, main, at(MAIN, 'sprintf', 2)), []);
});

test('hover: rules with metadata and controls, locals, packages', () => {
  const all = mods();
  const [main] = all;
  const h = hoverAt(all, main, at(MAIN, 'deny contains', 1))!;
  assert.match(h.markdown, /multi-value rule/);
  assert.match(h.markdown, /Deny privileged/);
  assert.match(h.markdown, /Controls: AC-6/);
  const h2 = hoverAt(all, main, at(MAIN, 'is_exempt(c)', 1))!;
  assert.match(h2.markdown, /function `is_exempt` in package `lib.exempt`/);
  assert.match(hoverAt(all, main, at(MAIN, 'x := data', 0))!.markdown, /local variable/);
  assert.match(hoverAt(all, main, at(MAIN, 'k8s.main', 1))!.markdown, /package k8s.main/);
  assert.equal(hoverAt(all, main, at(MAIN, '"%v %v"', 1)), undefined);
  assert.match(hoverAt(all, main, at(MAIN, 'sprintf', 2))!.markdown, /Built-in function/);
  // A rule of the package shadows a built-in of the same name.
  const shadow = analyzeRegoSource(fileSource('file:///s.rego', 'package s\ncount(x) := 1\np := count([1])\n'));
  assert.match(hoverAt([shadow], shadow, 'package s\ncount(x) := 1\np := count'.length - 2)!.markdown, /function `count` in package `s`/);
});

test('findings carry exact file ranges, codes and sources', () => {
  const text = 'package x\n\np if {\n  x := [1,\n}\n\n# METADATA\n# custom:\n#   controls: [nope]\nq := 1\n';
  const mod = analyzeRegoSource(fileSource('file:///bad.rego', text), { hintV0: true });
  const f = regoFindings(mod, new LineIndex(text));
  assert.equal(f.length, 2);
  assert.deepEqual(f[0].range, { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } });
  assert.equal(f[0].source, 'rego');
  assert.equal(f[0].code, 'rego.syntax');
  assert.equal(f[1].code, 'controls.malformed-id');
  assert.equal(f[1].source, 'controls');
  assert.deepEqual(f[1].range, { start: { line: 8, character: 15 }, end: { line: 8, character: 19 } });
});

test('a v0 .rego file gets an informational hint when asked', () => {
  const text = 'package x\n\nallow {\n  input.ok\n}\n';
  const mod = analyzeRegoSource(fileSource('file:///v0.rego', text), { hintV0: true });
  assert.equal(mod.version, 'v0');
  assert.deepEqual(mod.problems.map((p) => [p.code, p.severity]), [['rego.v0-syntax', 'information']]);
  assert.deepEqual(analyzeRegoSource(fileSource('file:///v0.rego', text)).problems, []);
  // With a real error too, the hint still points at the v0 construct, not at the error.
  const both = 'package x\n\nallow {\n  input.ok\n}\n\nbad := [\n';
  const modB = analyzeRegoSource(fileSource('file:///v0b.rego', both), { hintV0: true });
  const hint = modB.problems.find((p) => p.code === 'rego.v0-syntax')!;
  assert.equal(both.slice(hint.start, hint.end), '{');
  assert.ok(modB.problems.some((p) => p.code === 'rego.syntax'));
});

test('completion: keywords, rules, imports, built-ins, locals; package rules after an alias or data ref', () => {
  const all = mods();
  const [main] = all;
  const inBody = at(MAIN, 'x := data', 0);
  const labels = completionsAt(all, main, inBody).map((c) => c.label);
  for (const l of ['if', 'contains', 'deny', 'containers', 'f', 'is_exempt', 'u', 'sprintf', 'object', 'c']) assert.ok(labels.includes(l), l);
  const text = MAIN.replace('u.flag(c)', 'u.fl');
  const mod = analyzeRegoSource(fileSource('file:///main.rego', text));
  const after = text.indexOf('u.fl') + 4;
  const c = completionsAt([mod, all[1], all[2]], mod, after);
  assert.deepEqual(c.map((x) => x.label).sort(), ['flag', 'level']);
  assert.equal(text.slice(c[0].start, c[0].end), 'fl');
  const d = completionsAt(all, main, at(MAIN, 'data.lib.util.level', 'data.lib.'.length));
  assert.deepEqual(d.map((x) => x.label).sort(), ['exempt', 'util']);
  const o = completionsAt(all, main, at(MAIN, 'sprintf', 0));
  assert.ok(o.length > 20);
});

test('references: a function across modules (import, alias, data ref), and a local within its rule', () => {
  const all = mods();
  const [main] = all;
  const util = all[2];
  const refs = referencesAt(all, util, UTIL.indexOf('level') + 1).map((r) => [r.uri, (r.uri.endsWith('util.rego') ? UTIL : MAIN).slice(r.start, r.end)]);
  assert.deepEqual(refs, [['file:///main.rego', 'level'], ['file:///util.rego', 'level']]);
  const flag = referencesAt(all, main, at(MAIN, 'u.flag', 3)).map((r) => r.uri);
  assert.deepEqual(flag, ['file:///main.rego', 'file:///util.rego']);
  const exempt = referencesAt(all, all[1], EXEMPT.indexOf('is_exempt') + 1).map((r) => [r.uri, r.uri.endsWith('main.rego') ? MAIN.slice(r.start, r.end) : EXEMPT.slice(r.start, r.end)]);
  // The import names it, the call uses it, and the definition itself.
  assert.deepEqual(exempt, [['file:///exempt.rego', 'is_exempt'], ['file:///main.rego', 'is_exempt'], ['file:///main.rego', 'is_exempt']]);
  const local = referencesAt(all, main, at(MAIN, 'c.name', 0));
  assert.equal(local.length, 4, JSON.stringify(local.map((l) => MAIN.slice(l.start, l.end))));
  assert.ok(local.every((l) => MAIN.slice(l.start, l.end) === 'c'));
});
