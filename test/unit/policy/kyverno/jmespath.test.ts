import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateJmesPath, checkJmesPath, JmesPathLimitError } from '../../../../server/src/engine/policy/jmespath';

test('standard JMESPath over Kubernetes objects', () => {
  const d = { request: { object: { spec: { containers: [{ image: 'a' }], initContainers: [{ image: 'b' }] } } } };
  assert.deepEqual(evaluateJmesPath('request.object.spec.[initContainers, containers][].image', d), ['b', 'a']);
  assert.equal(evaluateJmesPath("request.operation || 'BACKGROUND'", d), 'BACKGROUND');
  assert.equal(evaluateJmesPath('length(request.object.spec.containers)', d), 1);
});

test("Kyverno's functions", () => {
  assert.equal(evaluateJmesPath("to_upper('a')", {}), 'A');
  assert.equal(evaluateJmesPath("regex_match('^nginx:', 'nginx:1')", {}), true);
  assert.equal(evaluateJmesPath("pattern_match('prod-*', 'prod-1')", {}), true);
  assert.deepEqual(evaluateJmesPath("split('a,b', ',')", {}), ['a', 'b']);
  assert.equal(evaluateJmesPath("truncate('abcdef', `3`)", {}), 'abc');
  assert.equal(evaluateJmesPath("base64_decode('aGk=')", {}), 'hi');
  assert.equal(evaluateJmesPath("equal_fold('A', 'a')", {}), true);
  assert.deepEqual(evaluateJmesPath("items(@, 'k', 'v')", { b: 1, a: 2 }), [{ k: 'a', v: 2 }, { k: 'b', v: 1 }]);
  assert.equal(evaluateJmesPath('add(`1`, `2`)', {}), 3);
  assert.equal(evaluateJmesPath("semver_compare('1.2.3', '>1.0.0')", {}), true);
  assert.equal(evaluateJmesPath("regex_replace_all('([0-9]+)', 'a12', 'n$1')", {}), 'an12');
  assert.equal(evaluateJmesPath("parse_json('{\"a\": 1}').a", {}), 1);
  assert.throws(() => evaluateJmesPath("regex_match('(', 'x')", {}), /invalid regular expression/);
});

test('syntax errors carry the offset of the offending token', () => {
  assert.equal(checkJmesPath('a.b'), undefined);
  assert.equal(checkJmesPath('a | | b')?.offset, 4);
  const eof = checkJmesPath('a.b[?c == `1`');
  assert.equal(eof?.offset, 13);
});

test('evaluation is bounded in steps', () => {
  assert.throws(() => evaluateJmesPath('[*][*][*]', [[[1, 2, 3]]], { maxSteps: 3 }), JmesPathLimitError);
  const big = Array.from({ length: 1000 }, (_, i) => ({ a: Array.from({ length: 100 }, () => i) }));
  assert.throws(() => evaluateJmesPath('[*].a[*].to_string(@)', big, { maxSteps: 10_000 }), JmesPathLimitError);
});

test("Kyverno's unknown-key errors: only along plain paths, never through ||, pipes or projections", () => {
  const d = { a: { b: null, list: [{ x: 1 }, {}] } };
  const strict = { unknownKeyIsError: true };
  assert.equal(evaluateJmesPath('a.b.c', d, strict), null);
  assert.throws(() => evaluateJmesPath('a.missing.c', d, strict), /Unknown key "missing"/);
  assert.throws(() => evaluateJmesPath('a.list[1].x', d, strict), /Unknown key "x"/);
  assert.equal(evaluateJmesPath("a.missing || 'dflt'", d, strict), 'dflt');
  assert.deepEqual(evaluateJmesPath('a.list[].x', d, strict), [1]);
  assert.equal(evaluateJmesPath('a.missing', d), null);
  assert.equal(evaluateJmesPath('length(a.missing || `[]`)', d, strict), 0);
});

test("Kyverno's arithmetic keeps quantities and durations in their own units", () => {
  assert.equal(evaluateJmesPath("add('1Gi', '1Mi')", {}), '1025Mi');
  assert.equal(evaluateJmesPath("multiply('500m', `3`)", {}), '1500m');
  assert.equal(evaluateJmesPath("divide('1Gi', '512Mi')", {}), 2);
  assert.equal(evaluateJmesPath("add('1h', '30s')", {}), '1h0m30s');
  assert.equal(evaluateJmesPath("sum(['1', '2', '500m'])", {}), '3500m');
  assert.throws(() => evaluateJmesPath("add('1Gi', `1`)", {}), /cannot combine/);
  assert.throws(() => evaluateJmesPath('sum(`[]`)', {}), /at least one element/);
  assert.equal(evaluateJmesPath("image_normalize('nginx')", {}), 'docker.io/library/nginx:latest');
});

// a throwaway self-signed certificate (CN=test, O=acme, RSA 1024) made for this test
const PEM = `-----BEGIN CERTIFICATE-----
MIICGDCCAYGgAwIBAgIUb/2Ztvd6eMq1p3GjB30ztJDS5iQwDQYJKoZIhvcNAQEL
BQAwHjENMAsGA1UEAwwEdGVzdDENMAsGA1UECgwEYWNtZTAeFw0yNjExMjMwMTE3
MjBaFw0yNjExMjQwMTE3MjBaMB4xDTALBgNVBAMMBHRlc3QxDTALBgNVBAoMBGFj
bWUwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBALyT/7YazmZgslx1Gb9eqSr2
meTtE5cqbcEoBipLvKzXta9ObcJRP7r8VQRtkMRISoriR1tvNubH9zkLCt4JuGDt
VMRDngU4/NNwgFdEn7aYhGC51xCQ/P0efYWz8XD2sFyLGrLhsJBK0QRk3H3vaPEb
/ZJ8IwuWl/0JrimRtlxdAgMBAAGjUzBRMB0GA1UdDgQWBBRAWugXGTBFpdMBvsji
0s/Tw4nk+zAfBgNVHSMEGDAWgBRAWugXGTBFpdMBvsji0s/Tw4nk+zAPBgNVHRMB
Af8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4GBAFK9WMtEzWOyzZVzd1FHu08igmJC
aoPY4OuyK9Gosm1liWQ1+9F+WsQ6TlxxsKtQ/bf48R8SMfc0/NvvpXEr1nmBwd3r
DFsQqQXeCUlE7IoD4cpk2fRHiPJ+kNHBZbr5Qw2/oAQB0iyCMdoH+weein+85rx8
kSi7LI8hBxvbH5LE
-----END CERTIFICATE-----`;

test('x509_decode reads the subject, validity and RSA public key of a PEM certificate', () => {
  const cert = evaluateJmesPath('x509_decode(@)', PEM) as { Subject: { CommonName: string; Organization: string[] }; PublicKey: { E: number; N: string }; IsCA: boolean };
  assert.equal(cert.Subject.CommonName, 'test');
  assert.deepEqual(cert.Subject.Organization, ['acme']);
  assert.equal(cert.PublicKey.E, 65537);
  assert.match(cert.PublicKey.N, /^\d{300,}$/);
  assert.throws(() => evaluateJmesPath("x509_decode('not a certificate')", {}), /x509_decode/);
});

test('references nested in a reference resolve inside out', async () => {
  const { createSubstituter, substituteString } = await import('../../../../server/src/engine/policy/kyverno/variables');
  const sub = createSubstituter({ request: { object: { name: 'x', data: { v: 'aGk=' } } } }, 'strict');
  assert.equal(substituteString("{{ to_upper('{{ request.object.name }}') }}", sub), 'X');
  assert.equal(substituteString("a-{{ base64_decode('{{request.object.data.v}}') }}-b", sub), 'a-hi-b');
});
