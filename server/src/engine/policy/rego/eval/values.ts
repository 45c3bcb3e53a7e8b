/** Rego values: JSON values plus sets, with a canonical key for equality, set membership and ordering. */

export class RegoSet {
  readonly items = new Map<string, Value>();
  constructor(values: Iterable<Value> = []) {
    for (const v of values) this.add(v);
  }
  add(v: Value): void {
    this.items.set(keyOf(v), v);
  }
  has(v: Value): boolean {
    return this.items.has(keyOf(v));
  }
  get size(): number {
    return this.items.size;
  }
  values(): Value[] {
    return [...this.items.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  }
}

export type RegoObject = { [key: string]: Value };
export type Value = null | boolean | number | string | Value[] | RegoObject | RegoSet;

export function isObject(v: unknown): v is RegoObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegoSet);
}

/** Injective text form of a value: equal values have equal keys. */
export function keyOf(v: Value): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'boolean':
      return v ? 't' : 'f';
    case 'number':
      return `d${v}`;
    case 'string':
      return `s${JSON.stringify(v)}`;
    default:
      break;
  }
  if (Array.isArray(v)) return `[${v.map(keyOf).join(',')}]`;
  if (v instanceof RegoSet) return `<${[...v.items.keys()].sort().join(',')}>`;
  const obj = v as RegoObject;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${keyOf(obj[k])}`)
    .join(',')}}`;
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return keyOf(a) === keyOf(b);
}

function rank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  if (v instanceof RegoSet) return 6;
  return 5;
}

/** Rego's total order: null < booleans < numbers < strings < arrays < objects < sets. */
export function compare(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Plain JSON (YAML) data as a Rego value. */
export function fromJson(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(fromJson);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const out: RegoObject = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = fromJson(x);
    return out;
  }
  return null;
}

/** A value as plain JSON (sets become sorted arrays). */
export function toJson(v: Value): unknown {
  if (v instanceof RegoSet) return v.values().map(toJson);
  if (Array.isArray(v)) return v.map(toJson);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
    return out;
  }
  return v;
}

/** The key a Rego object uses for a non-string key (objects here hold string keys only). */
export function objectKey(k: Value): string {
  if (typeof k === 'number') return String(k);
  return typeof k === 'string' ? k : keyOf(k);
}
