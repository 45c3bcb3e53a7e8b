import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegoEvalError, RegoInterpreter } from '../../../../server/src/engine/policy/rego/eval/interpreter';
import { fromJson, toJson } from '../../../../server/src/engine/policy/rego/eval/values';
import { sprintf } from '../../../../server/src/engine/policy/rego/eval/builtins';
import { parseRego } from '../../../../server/src/engine/policy/rego/parser';

function run(src: string, rule: string, input: unknown = {}, extra: string[] = []): unknown {
  const mods = [src, ...extra].map((s) => {
    const r = parseRego(s);
    assert.deepEqual(r.errors, [], s);
    return r.module;
  });
  const v = new RegoInterpreter(mods).evaluate(mods[0].package!.path, rule, fromJson(input));
  return v === undefined ? undefined : toJson(v);
}

test('complete rules, defaults, else chains', () => {
  const src = 'package t\nimport rego.v1\ndefault allow := false\nallow if input.user == "admin"\nlevel := "high" if input.n > 10 else := "mid" if input.n > 5 else := "low"\n';
  assert.equal(run(src, 'allow', { user: 'admin' }), true);
  assert.equal(run(src, 'allow', { user: 'bob' }), false);
  assert.equal(run(src, 'level', { n: 11 }), 'high');
  assert.equal(run(src, 'level', { n: 6 }), 'mid');
  assert.equal(run(src, 'level', { n: 1 }), 'low');
  assert.equal(run('package t\nimport rego.v1\np if input.missing\n', 'p'), undefined);
});

test('partial sets and objects, iteration through refs, unification of patterns', () => {
  const src = `package t
import rego.v1
deny contains msg if {
  some c in input.containers
  c.privileged
  msg := sprintf("%v is privileged", [c.name])
}
names[c.name] := c.image if { c := input.containers[_] }
pairs contains [i, x] if { x := input.xs[i]; x > 1 }
first := f if { [f, _] := input.xs }
obj_pat if { {"a": a} := {"a": 1}; a == 1 }
`;
  const input = { containers: [{ name: 'a', privileged: true, image: 'x' }, { name: 'b', image: 'y' }], xs: [1, 2, 3] };
  assert.deepEqual(run(src, 'deny', input), ['a is privileged']);
  assert.deepEqual(run(src, 'names', input), { a: 'x', b: 'y' });
  assert.deepEqual(run(src, 'pairs', input), [[1, 2], [2, 3]]);
  assert.equal(run(src, 'first', { xs: [7, 8] }), 7);
  assert.equal(run(src, 'obj_pat'), true);
});

test('v0 partial sets referenced with patterns, functions with constant arguments, not, comprehensions', () => {
  const src = `package t
violation[{"msg": msg}] { general[{"msg": msg, "field": "containers"}] }
general[{"msg": msg, "field": field}] {
  c := input.spec[field][_]
  not ok(c)
  msg := sprintf("bad %v", [c.name])
}
ok(c) { c.good == true }
mult("k") = 1000
mult("M") = 1000000
size(s) = n { suffix := substring(s, count(s) - 1, -1); n := to_number(substring(s, 0, count(s) - 1)) * mult(suffix) }
evens := [x | x := input.xs[_]; x % 2 == 0]
uniq := {x | x := input.xs[_]}
index := {k: v | v := input.xs[k]}
`;
  const input = { spec: { containers: [{ name: 'a', good: true }, { name: 'b' }], init: [{ name: 'c' }] }, xs: [1, 2, 2, 4] };
  assert.deepEqual(run(src, 'violation', input), [{ msg: 'bad b' }]);
  assert.deepEqual(run(src, 'evens', input), [2, 2, 4]);
  assert.deepEqual(run(src, 'uniq', input), [1, 2, 4]);
  assert.deepEqual(run(src, 'index', input), { '0': 1, '1': 2, '2': 2, '3': 4 });
  assert.equal(run('package t\np := size("3k")\n' + src.split('\n').filter((l) => /^(mult|size)/.test(l)).join('\n') + '\n', 'p'), 3000);
});

test('an undefined argument still matches `_` (OPA unifies parameters), but reading it is undefined', () => {
  const src = 'package t\naccept("any", _)\naccept("check", r) { r > 1 }\np { accept(input.rule, input.missing) }\nq { accept("check", input.missing) }\n';
  assert.equal(run(src, 'p', { rule: 'any' }), true);
  assert.equal(run(src, 'q', { rule: 'check' }), undefined);
});

test('every, some-in with keys, with input, imports of other packages', () => {
  const lib = 'package lib.util\nimport rego.v1\nis_admin(u) if u.role == "admin"\nlimit := 3\n';
  const src = `package t
import rego.v1
import data.lib.util
all_admins if every u in input.users { util.is_admin(u) }
over if count(input.users) > data.lib.util.limit
keyed contains k if { some k, v in input.m; v == true }
mocked if { all_admins with input as {"users": [{"role": "admin"}]} }
`;
  assert.equal(run(src, 'all_admins', { users: [{ role: 'admin' }, { role: 'dev' }] }, [lib]), undefined);
  assert.equal(run(src, 'all_admins', { users: [{ role: 'admin' }] }, [lib]), true);
  assert.equal(run(src, 'over', { users: [1, 2, 3, 4] }, [lib]), true);
  assert.deepEqual(run(src, 'keyed', { m: { a: true, b: false } }, [lib]), ['a']);
  assert.equal(run(src, 'mocked', { users: [] }, [lib]), true);
});

test('builtins: sprintf formatting, object.get paths, strings, sets', () => {
  assert.equal(sprintf('%v and %v and %d and %s', [fromJson(['a', 1]), fromJson({ k: 'v' }), 42, 'x']), '["a", 1] and {"k": "v"} and 42 and x');
  const src = `package t
import rego.v1
a := object.get(input, ["x", "y"], "d")
b := object.get(input, "nope", 0)
c := concat(",", ["a", "b"])
d := trim_suffix("image*", "*")
e := {1, 2, 3} - {2}
f := regex.match("^ab+$", "abbb")
g := startswith("registry.local/x", "registry.local/")
`;
  const input = { x: { y: 5 } };
  assert.equal(run(src, 'a', input), 5);
  assert.equal(run(src, 'b', input), 0);
  assert.equal(run(src, 'c'), 'a,b');
  assert.equal(run(src, 'd'), 'image');
  assert.deepEqual(run(src, 'e'), [1, 3]);
  assert.equal(run(src, 'f'), true);
  assert.equal(run(src, 'g'), true);
});

test('a runaway evaluation stops at the step budget', () => {
  const src = 'package t\nimport rego.v1\nr := count([1 | input.xs[_]; input.xs[_]; input.xs[_]; input.xs[_]])\n';
  const parsed = parseRego(src);
  assert.deepEqual(parsed.errors, []);
  const mods = [parsed.module];
  const interp = new RegoInterpreter(mods);
  assert.throws(() => interp.evaluate(['t'], 'r', fromJson({ xs: Array.from({ length: 200 }, (_, i) => i) }), {}, { maxSteps: 100_000 }), RegoEvalError);
});
