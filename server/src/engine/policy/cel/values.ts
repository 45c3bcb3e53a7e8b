/**
 * Conversion between plain JSON-like values (YAML/JSON documents) and the values the CEL library works with:
 * CEL has distinct int and double types, so whole numbers become bigint on the way in and numbers on the way out.
 */
/** Marks objects whose properties are computed on access (lazy variables): passed through untouched. */
export const LAZY = Symbol('lazy');

export function toCel(value: unknown, depth = 0): unknown {
  if (value && typeof value === 'object' && LAZY in value) return value;
  if (depth > 200) throw new Error('value nested too deeply for CEL');
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((v) => toCel(v, depth + 1));
  if (value instanceof Map) return value;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCel(v, depth + 1);
    return out;
  }
  return value;
}

export function fromCel(value: unknown, depth = 0): unknown {
  if (depth > 200) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map((v) => fromCel(v, depth + 1));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = fromCel(v, depth + 1);
    return out;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromCel(v, depth + 1);
    return out;
  }
  if (value && typeof value === 'object' && 'valueOf' in value && typeof (value as { valueOf(): unknown }).valueOf() === 'number') {
    return (value as { valueOf(): number }).valueOf();
  }
  return value;
}

/** The largest list or map size anywhere in a value: the fan-out a comprehension over the input can reach. */
export function maxFanOut(value: unknown, depth = 0): number {
  if (depth > 100 || value === null || typeof value !== 'object' || LAZY in value) return 0;
  if (Array.isArray(value)) {
    let m = value.length;
    for (const v of value) m = Math.max(m, maxFanOut(v, depth + 1));
    return m;
  }
  const entries = Object.values(value);
  let m = entries.length;
  for (const v of entries) m = Math.max(m, maxFanOut(v, depth + 1));
  return m;
}
