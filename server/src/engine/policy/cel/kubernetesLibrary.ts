import type { Environment } from '@marcbachmann/cel-js';
import type { RE2JS } from 're2js';
import { compileRe2 } from '../re2';
import { parseQuantity } from '../kyverno/quantity';

/**
 * The Kubernetes CEL extensions (k8s.io/apiserver/pkg/cel/library and cel-go's strings/lists extensions) that
 * admission policies use and the CEL library lacks. Regular expressions run on RE2 as in Go.
 */
export class CelFunctionError extends Error {
  override name = 'CelFunctionError';
}

export function re2(pattern: string): RE2JS {
  return compileRe2(pattern, (message) => new CelFunctionError(message));
}

/** A Kubernetes quantity as a CEL value; compared through its value in base units. */
export class Quantity {
  constructor(readonly text: string, readonly value: number) {}
}

function quantity(s: string): Quantity {
  const v = parseQuantity(s);
  if (v === undefined) throw new CelFunctionError(`invalid quantity ${JSON.stringify(s)}`);
  return new Quantity(s, v);
}

function cmp(a: number, b: number): bigint {
  return a < b ? -1n : a > b ? 1n : 0n;
}

type Fn = (...args: never[]) => unknown;

export function registerKubernetesLibrary(env: Environment): void {
  const fn = (sig: string, handler: Fn): void => {
    env.registerFunction(sig, handler as never);
  };
  env.registerType('Quantity', Quantity as never);
  // RE2-backed replacements for matches (see rewriteRegexCalls) and the regex library.
  fn('string.re2Matches(string): bool', (s: string, p: string) => re2(p).matcher(s).find());
  fn('re2Matches(string, string): bool', (s: string, p: string) => re2(p).matcher(s).find());
  fn('string.find(string): string', (s: string, p: string) => {
    const m = re2(p).matcher(s);
    return m.find() ? (m.group(0) ?? '') : '';
  });
  fn('string.findAll(string): list<string>', (s: string, p: string) => {
    const m = re2(p).matcher(s);
    const out: string[] = [];
    while (m.find() && out.length < 10_000) out.push(m.group(0) ?? '');
    return out;
  });
  fn('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => {
    const m = re2(p).matcher(s);
    const out: string[] = [];
    while ((n < 0n || BigInt(out.length) < n) && m.find() && out.length < 10_000) out.push(m.group(0) ?? '');
    return out;
  });
  fn('dyn.lenientOrValue(dyn): dyn', (opt: unknown, fallback: unknown) => {
    if (opt instanceof Object && Object.prototype.toString.call(opt) === '[object optional]') {
      const o = opt as { hasValue(): boolean; value(): unknown };
      return o.hasValue() ? o.value() : fallback;
    }
    return opt;
  });
  // cel-go strings extension
  fn('string.charAt(int): string', (s: string, i: bigint) => {
    if (i < 0n || i > BigInt(s.length)) throw new CelFunctionError('index out of range');
    return s.charAt(Number(i));
  });
  fn('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b));
  fn('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
    if (n < 0n) return s.split(a).join(b);
    let out = s;
    let from = 0;
    for (let k = 0n; k < n; k++) {
      const at = out.indexOf(a, from);
      if (at < 0) break;
      out = out.slice(0, at) + b + out.slice(at + a.length);
      from = at + b.length;
    }
    return out;
  });
  fn('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  // Kubernetes lists library
  fn('list.isSorted(): bool', (l: unknown[]) => l.every((v, i) => i === 0 || (l[i - 1] as number) <= (v as number)));
  fn('list.sum(): dyn', (l: unknown[]) => {
    if (l.length === 0) return 0n;
    return l.reduce((a, b) => (typeof a === 'bigint' && typeof b === 'bigint' ? a + b : Number(a) + Number(b)));
  });
  fn('list.min(): dyn', (l: unknown[]) => {
    if (l.length === 0) throw new CelFunctionError('min called on empty list');
    return l.reduce((a, b) => ((b as number) < (a as number) ? b : a));
  });
  fn('list.max(): dyn', (l: unknown[]) => {
    if (l.length === 0) throw new CelFunctionError('max called on empty list');
    return l.reduce((a, b) => ((b as number) > (a as number) ? b : a));
  });
  fn('list.indexOf(dyn): int', (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => x === v)));
  fn('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) => BigInt(l.lastIndexOf(v)));
  fn('list.distinct(): list', (l: unknown[]) => [...new Set(l)]);
  fn('list.flatten(): list', (l: unknown[]) => l.flatMap((x) => (Array.isArray(x) ? x : [x])));
  fn('list.slice(int, int): list', (l: unknown[], a: bigint, b: bigint) => l.slice(Number(a), Number(b)));
  // Kubernetes quantity library
  fn('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined);
  fn('quantity(string): Quantity', (s: string) => quantity(s));
  fn('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.value < b.value);
  fn('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.value > b.value);
  fn('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => cmp(a.value, b.value));
  fn('Quantity.asApproximateFloat(): double', (a: Quantity) => a.value);
  fn('Quantity.asInteger(): int', (a: Quantity) => {
    if (!Number.isInteger(a.value)) throw new CelFunctionError('quantity is not an integer');
    return BigInt(a.value);
  });
  fn('Quantity.isInteger(): bool', (a: Quantity) => Number.isInteger(a.value));
  fn('Quantity.sign(): int', (a: Quantity) => cmp(a.value, 0));
  // Kubernetes URL library
  fn('isURL(string): bool', (s: string) => {
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  });
}

/** Names whose call means a lookup in a live cluster or registry: evaluation stops with a clear reason. */
export const CLUSTER_FUNCTIONS = ['resource', 'http', 'globalContext', 'image', 'imagedata', 'authorizer', 'generator'];
