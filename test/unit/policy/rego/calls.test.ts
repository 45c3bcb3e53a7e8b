import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callProblems } from '../../../../server/src/engine/policy/rego/calls';
import { analyzeRegoSource, fileSource } from '../../../../server/src/engine/policy/rego/module';

const LIB = 'package lib\n\nimport rego.v1\n\npair(a, b) := [a, b]\n\nflag if true\n\ndefault g(_) := false\ng(x) if x > 1\n';

function problems(main: string): string[] {
  const lib = analyzeRegoSource(fileSource('file:///lib.rego', LIB));
  const mod = analyzeRegoSource(fileSource('file:///main.rego', main));
  assert.deepEqual(mod.problems, []);
  return callProblems([mod, lib], mod).map((p) => `${p.code}:${main.slice(p.start, p.end)}`);
}

test('calls with the right number of arguments (or one more for the result) pass', () => {
  const main = 'package m\n\nimport rego.v1\nimport data.lib\n\nlocal(x) := x\n\np if {\n  lib.pair(1, 2)\n  lib.pair(1, 2, out)\n  out[0] == 1\n  local(3) == 3\n  lib.g(2)\n  data.lib.g(1, r)\n  count([1]) == 1\n  unknown_fn(1, 2, 3)\n}\n';
  assert.deepEqual(problems(main), []);
});

test('wrong arity and rules called as functions are errors at the call', () => {
  const main = 'package m\n\nimport rego.v1\nimport data.lib\n\nlocal(x) := x\n\np if {\n  lib.pair(1)\n  local(1, 2, 3) == 1\n  lib.flag(1)\n}\n';
  assert.deepEqual(problems(main), ['rego.arity:lib.pair(1)', 'rego.arity:local(1, 2, 3)', 'rego.call:lib.flag']);
});

test('a local variable shadows a function of the same name', () => {
  const main = 'package m\n\nimport rego.v1\n\nlocal(x) := x\n\np if {\n  some local in [1]\n  local == 1\n}\n';
  assert.deepEqual(problems(main), []);
});
