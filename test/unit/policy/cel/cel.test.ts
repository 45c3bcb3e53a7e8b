import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCel, lazyVariables, CelEvalError, CelActivation } from '../../../../server/src/engine/policy/cel';

function run(expression: string, activation: Record<string, unknown> = {}): unknown {
  const c = compileCel(expression);
  if (!c.ok) throw new Error(c.error.message);
  return c.program.evaluate(activation);
}

test('compiles with the span of syntax errors', () => {
  const c = compileCel('object.a + + ');
  assert.equal(c.ok, false);
  if (!c.ok) assert.deepEqual([c.error.start, c.error.end > c.error.start || c.error.end === c.error.start], [11, true]);
  const long = compileCel('1 + '.repeat(20_000) + '1');
  assert.equal(long.ok, false);
  assert.equal(compileCel('(' .repeat(500) + '1' + ')'.repeat(500)).ok, false);
});

test('evaluates Kubernetes-style expressions: optionals, macros, ints from YAML numbers', () => {
  const object = { spec: { containers: [{ name: 'a', ports: [{ hostPort: 5500 }] }] } };
  assert.equal(run("object.spec.containers.all(c, c.?ports.orValue([]).all(p, !has(p.hostPort) || (p.hostPort >= 5000 && p.hostPort <= 6000)))", { object }), true);
  assert.equal(run('object.spec.?initContainers.orValue([]).size() == 0', { object }), true);
  assert.equal(run('object.spec.containers[0].ports[0].hostPort == 5500', { object }), true);
  // cel-go hands back a receiver that is not optional from orValue
  assert.equal(run('object.spec.containers.orValue([]).size()', { object }), 1);
});

test('Kubernetes extensions: RE2 matches, find, strings, lists, quantities', () => {
  assert.equal(run("'registry.corp/app:1'.matches('^registry\\\\.corp/')"), true);
  assert.equal(run("'abc123'.find('[0-9]+')"), '123');
  assert.deepEqual(run("'a1b22'.findAll('[0-9]+')"), ['1', '22']);
  assert.equal(run("'a-b'.replace('-', '_')"), 'a_b');
  assert.equal(run('[3, 1, 2].max() == 3 && [1, 2].sum() == 3 && [1, 2, 3].isSorted()'), true);
  assert.equal(run("quantity('1Gi').isGreaterThan(quantity('512Mi')) && quantity('500m').asApproximateFloat() == 0.5"), true);
  assert.equal(run("isQuantity('1Gi') && !isQuantity('one')"), true);
});

test('regexes run in linear time (no catastrophic backtracking)', () => {
  const started = Date.now();
  assert.equal(run(`'${'a'.repeat(5000)}!'.matches('^(a+)+$')`), false);
  assert.ok(Date.now() - started < 2000);
  assert.throws(() => run("'a'.matches('(')"), /invalid regular expression/);
});

test('evaluation is bounded: nested comprehensions over large inputs are refused', () => {
  const object = { a: Array.from({ length: 200 }, (_, i) => i) };
  assert.throws(() => run('object.a.all(x, object.a.all(y, object.a.all(z, object.a.all(w, true))))', { object }), CelEvalError);
  assert.equal(run('object.a.all(x, x >= 0)', { object }), true);
});

test('functions that need a cluster stop with a clear reason', () => {
  assert.throws(() => run("resource.Get('v1', 'configmaps', 'n', 'c').data.x == 'y'"), /needs a live cluster/);
});

test('lazy variables: evaluated on use, once, errors kept', () => {
  let calls = 0;
  const vars = lazyVariables([{ name: 'a', expression: 'x' }, { name: 'bad', expression: 'y' }], (expr) => {
    calls++;
    if (expr === 'y') throw new Error('boom');
    return 2;
  });
  assert.equal(run('variables.a + variables.a', { variables: vars }), 4);
  assert.equal(calls, 1);
  assert.throws(() => run('variables.bad == 1', { variables: vars }));
});

test('more Kubernetes and Kyverno libraries: sets, math, format, IP/CIDR, semver, URL, image', () => {
  assert.equal(run('sets.contains([1, 2, 3], [2]) && sets.intersects([1], [1, 5]) && !sets.equivalent([1], [2])'), true);
  assert.equal(run('math.greatest(1, 5, 3) == 5 && math.least([4, 2]) == 2'), true);
  assert.equal(run("'%s=%d'.format(['a', 3])"), 'a=3');
  assert.equal(run("cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))"), true);
  assert.equal(run("cidr('2001:db8::/32').containsIP('2001:db8::1') && isIP('::1') && !isIP('300.1.1.1')"), true);
  assert.equal(run("semver('1.2.3').isLessThan(semver('1.10.0')) && !isSemver('1.2')"), true);
  assert.equal(run("url('https://a.b:8080/x').getHostname() == 'a.b'"), true);
  assert.equal(run("image('nginx:1.2').tag() == '1.2' && image('ghcr.io/a/b@sha256:abc').registry() == 'ghcr.io'"), true);
  assert.throws(() => run("cidr('10.0.0.0/99')"), /invalid CIDR/);
});

test('evaluation is bounded in steps even when the static estimate lets it through', () => {
  const c = compileCel('object.a.all(x, object.a.all(y, x + y >= 0))');
  assert.ok(c.ok);
  if (!c.ok) return;
  const object = { a: Array.from({ length: 300 }, (_, i) => i) };
  assert.throws(() => c.program.evaluate({ object }, { maxSteps: 10_000 }), /exceeded 10000 steps/);
  assert.equal(c.program.evaluate({ object }), true);
});

test('a converted input is reused: the same object answers alike on every use, alone or inside another', () => {
  const object = { metadata: { name: 'web', labels: { app: 'web', tier: 'front' } }, spec: { replicas: 3, containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'redis:7' }] } };
  const request = { operation: 'CREATE', object, kind: { kind: 'Deployment' } };
  for (let i = 0; i < 3; i++) {
    assert.equal(run('object.spec.replicas == 3 && request.object.spec.replicas == 3', { object, request }), true);
    assert.equal(run("object.spec.containers.map(c, c.name).join(',')", { object }), 'a,b');
    assert.equal(run('request.object.spec.containers.all(c, c.image.contains(":"))', { request: { ...request } }), true);
  }
  // a result is a copy: changing it leaves the next evaluation alone
  const spec = run('object.spec', { object }) as { replicas: number };
  spec.replicas = 9;
  assert.equal(run('object.spec.replicas', { object }), 3);
});

test('the cost estimate holds for inputs seen before, and deep inputs take the plain path', () => {
  const object = { a: Array.from({ length: 200 }, (_, i) => i) };
  assert.equal(run('object.a.size()', { object }), 200);
  assert.throws(() => run('object.a.all(x, object.a.all(y, object.a.all(z, object.a.all(w, true))))', { object }), /estimated cost/);
  assert.throws(() => run('request.object.a.all(x, object.a.all(y, object.a.all(z, object.a.all(w, true))))', { object: {}, request: { object } }), /estimated cost/);
  const nest = (depth: number): unknown => (depth === 0 ? { leaf: 7 } : { n: nest(depth - 1) });
  const deep = nest(150);
  assert.equal(run('object.n.n.n.n != null', { object: deep }), true);
  assert.equal(run('object.n.n.n.n != null', { object: deep }), true);
  assert.throws(() => run('object.n != null', { object: nest(250) }), /nested too deeply/);
  // the fan-out of a list deep inside a value counts, whether the value was converted before or not
  const wide = { x: nest(40), list: Array.from({ length: 4000 }, () => 1) };
  assert.equal(run('object.list.size()', { object: wide }), 4000);
  assert.throws(() => run('object.list.all(a, object.list.all(b, true))', { object: wide }), /estimated cost 16000000/);
});

test('one CelActivation serves many expressions, its lazy variables included, under the same limits', () => {
  const object = { a: Array.from({ length: 200 }, (_, i) => i), name: 'web' };
  let calls = 0;
  const variables = lazyVariables([{ name: 'big', expression: 'object.a.filter(x, x > 100).size()' }], (expr) => {
    calls++;
    return run(expr, { object });
  });
  const activation = new CelActivation({ object, variables });
  const evaluate = (expression: string): unknown => {
    const c = compileCel(expression);
    if (!c.ok) throw new Error(c.error.message);
    return c.program.evaluate(activation);
  };
  assert.equal(evaluate("object.name == 'web'"), true);
  assert.equal(evaluate('variables.big == 99 && variables.big + 1 == 100'), true);
  assert.equal(calls, 1);
  assert.throws(() => evaluate('object.a.all(x, object.a.all(y, object.a.all(z, object.a.all(w, true))))'), /estimated cost/);
  const nest = (depth: number): unknown => (depth === 0 ? 1 : { n: nest(depth - 1) });
  const deep = new CelActivation({ object: nest(250) });
  const c = compileCel('object.n != null');
  assert.ok(c.ok);
  if (c.ok) {
    assert.throws(() => c.program.evaluate(deep), /nested too deeply/);
    assert.equal(c.program.evaluate(new CelActivation({ object: nest(150) })), true);
  }
});

test('a small expression without comprehensions still honours a step limit below its size', () => {
  const c = compileCel('object.a + object.b + object.c + object.d == 10');
  assert.ok(c.ok);
  if (!c.ok) return;
  const object = { a: 1, b: 2, c: 3, d: 4 };
  assert.equal(c.program.evaluate({ object }), true);
  assert.throws(() => c.program.evaluate({ object }, { maxSteps: 3 }), /exceeded 3 steps/);
  assert.equal(c.program.evaluate({ object }, { maxSteps: 100 }), true);
  // the counted copy runs regular expressions with RE2 too (the other operands are never reached)
  const m = compileCel(`!'${'a'.repeat(40)}!'.matches('^(a+)+$') || (object.a + object.b + object.c + object.d == 0)`);
  assert.ok(m.ok);
  if (m.ok) assert.equal(m.program.evaluate({ object }, { maxSteps: 12 }), true);
  const bad = compileCel("'a'.matches('(') ? (object.a + object.b + object.c + object.d == 0) : false");
  assert.ok(bad.ok);
  if (bad.ok) assert.throws(() => bad.program.evaluate({ object }, { maxSteps: 12 }), /invalid regular expression/);
});

test('evaluation is bounded in time: a long comprehension stops at its deadline', () => {
  const c = compileCel('object.a.all(x, object.a.all(y, x + y >= 0))');
  assert.ok(c.ok);
  if (!c.ok) return;
  const object = { a: Array.from({ length: 3000 }, (_, i) => i) };
  assert.throws(() => c.program.evaluate({ object }, { maxSteps: 1e12, timeoutMs: 1 }), /timed out/);
  assert.throws(() => c.program.evaluate(new CelActivation({ object }), { maxSteps: 1e12, timeoutMs: 1 }), /timed out/);
});
