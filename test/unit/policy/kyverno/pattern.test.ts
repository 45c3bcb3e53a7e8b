import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPattern } from '../../../../server/src/engine/policy/kyverno/pattern';
import { validateValue } from '../../../../server/src/engine/policy/kyverno/patternValue';

const pod = (containers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers, ...extra },
});

test('scalar patterns: wildcards, alternatives, negation, numbers, quantities, ranges, null', () => {
  assert.equal(validateValue('nginx:1.2', '*:*'), true);
  assert.equal(validateValue('nginx', '*:*'), false);
  assert.equal(validateValue('b', 'a | b'), true);
  assert.equal(validateValue('latest', '!latest'), false);
  assert.equal(validateValue('1.0', '!latest'), true);
  assert.equal(validateValue(5, '>3'), true);
  assert.equal(validateValue(2, '>3'), false);
  assert.equal(validateValue('2Gi', '<=4Gi'), true);
  assert.equal(validateValue('8Gi', '<=4Gi'), false);
  assert.equal(validateValue(5500, '5000-6000'), true);
  assert.equal(validateValue(7000, '5000-6000'), false);
  assert.equal(validateValue(7000, '5000!-6000'), true);
  assert.equal(validateValue(5, '>1 & <10'), true);
  assert.equal(validateValue(50, '>1 & <10'), false);
  assert.equal(validateValue(undefined, null), true);
  assert.equal(validateValue('x', null), false);
  assert.equal(validateValue(true, true), true);
  assert.equal(validateValue('true', true), false);
  assert.equal(validateValue('300ms', '<1s'), true);
  assert.equal(validateValue(undefined, '?*'), false);
});

test('plain keys fail at the path of the mismatch; "*" requires presence', () => {
  const pattern = { spec: { containers: [{ image: '!*:latest' }] } };
  assert.equal(matchPattern(pod([{ name: 'a', image: 'nginx:1.0' }]), pattern), undefined);
  const err = matchPattern(pod([{ name: 'a', image: 'nginx:1.0' }, { name: 'b', image: 'nginx:latest' }]), pattern);
  assert.ok(err && !err.skip);
  assert.deepEqual(err.path, ['spec', 'containers', 1, 'image']);
  assert.ok(matchPattern(pod([{ name: 'a' }]), { spec: { containers: [{ resources: { limits: { memory: '?*' } } }] } }));
  assert.ok(matchPattern(pod([{ name: 'a' }]), { spec: { containers: [{ image: '*' }] } }));
});

test('conditional anchors skip when they do not hold, and gate their siblings when they do', () => {
  const pattern = { spec: { containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }] } };
  // no container uses latest: every element skips, so the rule does not apply
  const none = matchPattern(pod([{ image: 'nginx:1.0' }]), pattern);
  assert.ok(none?.skip);
  assert.equal(matchPattern(pod([{ image: 'nginx:latest', imagePullPolicy: 'Always' }]), pattern), undefined);
  const bad = matchPattern(pod([{ image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' }, { image: 'a:1' }]), pattern);
  assert.ok(bad && !bad.skip);
});

test('equality anchors check only present keys; negation anchors forbid keys; global anchors skip', () => {
  const eq = { spec: { '=(hostNetwork)': false } };
  assert.equal(matchPattern(pod([]), eq), undefined);
  assert.ok(matchPattern(pod([], { hostNetwork: true }), eq));
  const neg = { spec: { 'X(hostPID)': 'null' } };
  assert.equal(matchPattern(pod([]), neg), undefined);
  const negErr = matchPattern(pod([], { hostPID: true }), neg);
  assert.equal(negErr?.kind, 'negation');
  const global = { spec: { containers: [{ '<(image)': 'corp.io/*' }] }, metadata: { labels: { team: '?*' } } };
  assert.ok(matchPattern(pod([{ image: 'docker.io/x' }]), global)?.skip);
  assert.ok(matchPattern(pod([{ image: 'corp.io/x' }]), global) && !matchPattern(pod([{ image: 'corp.io/x' }]), global)?.skip);
});

test('existence anchors need one matching element per pattern element', () => {
  const pattern = { spec: { '^(containers)': [{ name: 'sidecar' }] } };
  assert.equal(matchPattern(pod([{ name: 'app' }, { name: 'sidecar' }]), pattern), undefined);
  assert.ok(matchPattern(pod([{ name: 'app' }]), pattern));
});

test('wildcard keys in metadata labels/annotations, also behind anchors', () => {
  const pattern = { '=(metadata)': { '=(annotations)': { '=(container.apparmor.security.beta.kubernetes.io/*)': 'runtime/default | localhost/*' } } };
  const withAnn = (v: string): Record<string, unknown> => ({ kind: 'Pod', metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': v } } });
  assert.equal(matchPattern(withAnn('runtime/default'), pattern), undefined);
  assert.ok(matchPattern(withAnn('unconfined'), pattern));
  assert.equal(matchPattern({ kind: 'Pod', metadata: {} }, pattern), undefined);
});

test('a scalar list pattern applies its first element to every resource element; global anchors ignore absent keys', () => {
  const drop = { spec: { containers: [{ securityContext: { capabilities: { drop: ['ALL'] } } }] } };
  assert.equal(matchPattern(pod([{ securityContext: { capabilities: { drop: ['ALL'] } } }]), drop), undefined);
  assert.ok(matchPattern(pod([{ securityContext: { capabilities: { drop: ['ALL', 'NET_RAW'] } } }]), drop));
  assert.equal(matchPattern({ a: [] }, { a: ['x'] }), undefined);
  const global = { spec: { '<(runtimeClassName)': 'gvisor', hostNetwork: false } };
  assert.equal(matchPattern(pod([], { hostNetwork: true }), global)?.skip, false, 'absent global key: the rule still applies and fails');
  assert.equal(matchPattern(pod([], { hostNetwork: true, runtimeClassName: 'runc' }), global)?.skip, true);
});
