/**
 * The built-in functions Gatekeeper policies use, with OPA's semantics: a builtin that cannot apply to
 * its arguments (wrong types) is undefined rather than an error, which is what makes the rule not fire.
 */
import { compare, equal, isObject, keyOf, objectKey, RegoSet, type RegoObject, type Value } from './values';

export class BuiltinError extends Error {}

type Fn = (args: Value[]) => Value | undefined;

interface Builtin {
  arity: number;
  fn: Fn;
}

const str = (v: Value): v is string => typeof v === 'string';
const num = (v: Value): v is number => typeof v === 'number';

/** Rego's text form of a value, as sprintf's %v prints composite values. */
export function regoString(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(regoString).join(', ')}]`;
  if (v instanceof RegoSet) return v.size === 0 ? 'set()' : `{${v.values().map(regoString).join(', ')}}`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}: ${regoString(v[k])}`)
    .join(', ')}}`;
}

function formatValue(v: Value): string {
  if (typeof v === 'string') return v;
  return regoString(v);
}

/** Go's fmt verbs as OPA's sprintf applies them. */
export function sprintf(format: string, args: Value[]): string {
  let i = 0;
  return format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([vVsdqxXfFeEgGtbcoT%])/g, (m, _flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const a = args[i++];
    let out: string;
    switch (verb) {
      case 'd':
        out = num(a) ? String(Math.trunc(a)) : `%!d(${formatValue(a)})`;
        break;
      case 'f':
      case 'F':
        out = num(a) ? a.toFixed(prec === undefined ? 6 : Number(prec)) : `%!f(${formatValue(a)})`;
        break;
      case 'q':
        out = JSON.stringify(str(a) ? a : formatValue(a));
        break;
      case 'x':
      case 'X':
        out = num(a) ? Math.trunc(a).toString(16) : Buffer.from(formatValue(a)).toString('hex');
        if (verb === 'X') out = out.toUpperCase();
        break;
      case 'T':
        out = typeName(a);
        break;
      default:
        out = formatValue(a);
    }
    if (width && out.length < Number(width)) out = out.padStart(Number(width));
    return m.startsWith('%-') && width ? out.padEnd(Number(width)) : out;
  });
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof RegoSet) return 'set';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function collection(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof RegoSet) return v.values();
  return undefined;
}

function objectGet(obj: Value, key: Value, dflt: Value): Value {
  if (!isObject(obj) && !Array.isArray(obj) && !(obj instanceof RegoSet)) return dflt;
  if (Array.isArray(key)) {
    let cur: Value = obj;
    for (const k of key) {
      if (isObject(cur)) {
        const ok = objectKey(k);
        if (!(ok in cur)) return dflt;
        cur = cur[ok];
      } else if (Array.isArray(cur) && num(k) && Number.isInteger(k) && k >= 0 && k < cur.length) cur = cur[k];
      else return dflt;
    }
    return cur;
  }
  if (isObject(obj)) {
    const ok = objectKey(key);
    return ok in obj ? obj[ok] : dflt;
  }
  if (Array.isArray(obj) && num(key) && Number.isInteger(key) && key >= 0 && key < obj.length) return obj[key];
  return dflt;
}

const UNITS: Record<string, number> = {
  '': 1, k: 1e3, K: 1e3, m: 1e-3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  ki: 1024, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

function regexTest(pattern: string, value: string): boolean {
  let flags = '';
  let body = pattern;
  const lead = /^\(\?([ims]+)\)/.exec(body);
  if (lead) {
    body = body.slice(lead[0].length);
    flags = [...new Set(lead[1])].join('');
  }
  try {
    return new RegExp(body.replace(/\(\?P</g, '(?<'), flags).test(value);
  } catch {
    throw new BuiltinError(`invalid regular expression ${JSON.stringify(pattern)}`);
  }
}

function globMatch(pattern: string, delimiters: Value, value: string): boolean {
  const delims = Array.isArray(delimiters) && delimiters.length ? delimiters.filter(str) : ['.'];
  const cls = delims.map((d) => d.replace(/[\\\]^-]/g, '\\$&')).join('');
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += cls ? `[^${cls}]*` : '.*';
    } else if (c === '?') re += cls ? `[^${cls}]` : '.';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(value);
}

const B: Record<string, Builtin> = {
  count: { arity: 1, fn: ([x]) => (str(x) ? [...x].length : Array.isArray(x) ? x.length : x instanceof RegoSet ? x.size : isObject(x) ? Object.keys(x).length : undefined) },
  sum: { arity: 1, fn: ([x]) => collection(x)?.reduce<number>((s, v) => s + (num(v) ? v : NaN), 0) },
  product: { arity: 1, fn: ([x]) => collection(x)?.reduce<number>((s, v) => s * (num(v) ? v : NaN), 1) },
  max: { arity: 1, fn: ([x]) => { const c = collection(x); return c && c.length ? c.reduce((a, b) => (compare(a, b) >= 0 ? a : b)) : undefined; } },
  min: { arity: 1, fn: ([x]) => { const c = collection(x); return c && c.length ? c.reduce((a, b) => (compare(a, b) <= 0 ? a : b)) : undefined; } },
  sort: { arity: 1, fn: ([x]) => collection(x)?.slice().sort(compare) },
  abs: { arity: 1, fn: ([x]) => (num(x) ? Math.abs(x) : undefined) },
  round: { arity: 1, fn: ([x]) => (num(x) ? Math.round(x) : undefined) },
  ceil: { arity: 1, fn: ([x]) => (num(x) ? Math.ceil(x) : undefined) },
  floor: { arity: 1, fn: ([x]) => (num(x) ? Math.floor(x) : undefined) },
  to_number: { arity: 1, fn: ([x]) => (num(x) ? x : typeof x === 'boolean' ? Number(x) : x === null ? 0 : str(x) && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(x.trim()) ? Number(x) : undefined) },
  format_int: { arity: 2, fn: ([x, b]) => (num(x) && num(b) ? Math.trunc(x).toString(b) : undefined) },
  concat: { arity: 2, fn: ([d, c]) => { const l = collection(c); return str(d) && l && l.every(str) ? (l as string[]).join(d) : undefined; } },
  contains: { arity: 2, fn: ([a, b]) => (str(a) && str(b) ? a.includes(b) : undefined) },
  startswith: { arity: 2, fn: ([a, b]) => (str(a) && str(b) ? a.startsWith(b) : undefined) },
  endswith: { arity: 2, fn: ([a, b]) => (str(a) && str(b) ? a.endsWith(b) : undefined) },
  lower: { arity: 1, fn: ([a]) => (str(a) ? a.toLowerCase() : undefined) },
  upper: { arity: 1, fn: ([a]) => (str(a) ? a.toUpperCase() : undefined) },
  split: { arity: 2, fn: ([a, d]) => (str(a) && str(d) ? a.split(d) : undefined) },
  replace: { arity: 3, fn: ([a, o, n]) => (str(a) && str(o) && str(n) ? a.split(o).join(n) : undefined) },
  substring: { arity: 3, fn: ([a, o, l]) => (str(a) && num(o) && num(l) ? (o < 0 ? undefined : [...a].slice(o, l < 0 ? undefined : o + l).join('')) : undefined) },
  trim: { arity: 2, fn: ([a, c]) => (str(a) && str(c) ? trimChars(a, c, true, true) : undefined) },
  trim_left: { arity: 2, fn: ([a, c]) => (str(a) && str(c) ? trimChars(a, c, true, false) : undefined) },
  trim_right: { arity: 2, fn: ([a, c]) => (str(a) && str(c) ? trimChars(a, c, false, true) : undefined) },
  trim_space: { arity: 1, fn: ([a]) => (str(a) ? a.trim() : undefined) },
  trim_prefix: { arity: 2, fn: ([a, p]) => (str(a) && str(p) ? (a.startsWith(p) ? a.slice(p.length) : a) : undefined) },
  trim_suffix: { arity: 2, fn: ([a, s]) => (str(a) && str(s) ? (s && a.endsWith(s) ? a.slice(0, a.length - s.length) : a) : undefined) },
  indexof: { arity: 2, fn: ([a, b]) => (str(a) && str(b) ? a.indexOf(b) : undefined) },
  sprintf: { arity: 2, fn: ([f, a]) => (str(f) && Array.isArray(a) ? sprintf(f, a) : undefined) },
  re_match: { arity: 2, fn: ([p, v]) => (str(p) && str(v) ? regexTest(p, v) : undefined) },
  'regex.match': { arity: 2, fn: ([p, v]) => (str(p) && str(v) ? regexTest(p, v) : undefined) },
  'glob.match': { arity: 3, fn: ([p, d, v]) => (str(p) && str(v) ? globMatch(p, d, v) : undefined) },
  'strings.replace_n': { arity: 2, fn: ([m, v]) => { if (!isObject(m) || !str(v)) return undefined; let out = v; for (const [k, x] of Object.entries(m)) if (str(x)) out = out.split(k).join(x); return out; } },
  'strings.any_prefix_match': { arity: 2, fn: ([s, p]) => anyMatch(s, p, (a, b) => a.startsWith(b)) },
  'strings.any_suffix_match': { arity: 2, fn: ([s, p]) => anyMatch(s, p, (a, b) => a.endsWith(b)) },
  'object.get': { arity: 3, fn: ([o, k, d]) => objectGet(o, k, d) },
  'object.keys': { arity: 1, fn: ([o]) => (isObject(o) ? new RegoSet(Object.keys(o)) : undefined) },
  'object.remove': { arity: 2, fn: ([o, ks]) => { if (!isObject(o)) return undefined; const drop = new Set((collection(ks) ?? (isObject(ks) ? Object.keys(ks) : [])).map((k) => objectKey(k))); const out: RegoObject = {}; for (const [k, v] of Object.entries(o)) if (!drop.has(k)) out[k] = v; return out; } },
  'object.union': { arity: 2, fn: ([a, b]) => (isObject(a) && isObject(b) ? union(a, b) : undefined) },
  'array.concat': { arity: 2, fn: ([a, b]) => (Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : undefined) },
  'array.slice': { arity: 3, fn: ([a, s, e]) => (Array.isArray(a) && num(s) && num(e) ? a.slice(Math.max(0, s), Math.max(0, e)) : undefined) },
  'array.reverse': { arity: 1, fn: ([a]) => (Array.isArray(a) ? a.slice().reverse() : undefined) },
  union: { arity: 1, fn: ([s]) => { if (!(s instanceof RegoSet)) return undefined; const out = new RegoSet(); for (const x of s.values()) if (x instanceof RegoSet) x.values().forEach((v) => out.add(v)); return out; } },
  intersection: { arity: 1, fn: ([s]) => { if (!(s instanceof RegoSet)) return undefined; const sets = s.values().filter((x): x is RegoSet => x instanceof RegoSet); if (!sets.length) return new RegoSet(); return new RegoSet(sets[0].values().filter((v) => sets.every((o) => o.has(v)))); } },
  is_string: { arity: 1, fn: ([x]) => str(x) },
  is_number: { arity: 1, fn: ([x]) => num(x) },
  is_boolean: { arity: 1, fn: ([x]) => typeof x === 'boolean' },
  is_array: { arity: 1, fn: ([x]) => Array.isArray(x) },
  is_set: { arity: 1, fn: ([x]) => x instanceof RegoSet },
  is_object: { arity: 1, fn: ([x]) => isObject(x) },
  is_null: { arity: 1, fn: ([x]) => x === null },
  type_name: { arity: 1, fn: ([x]) => typeName(x) },
  'json.marshal': { arity: 1, fn: ([x]) => JSON.stringify(plain(x)) },
  'json.unmarshal': { arity: 1, fn: ([x]) => { if (!str(x)) return undefined; try { return JSON.parse(x) as Value; } catch { return undefined; } } },
  'base64.decode': { arity: 1, fn: ([x]) => (str(x) ? Buffer.from(x, 'base64').toString('utf8') : undefined) },
  'base64.encode': { arity: 1, fn: ([x]) => (str(x) ? Buffer.from(x, 'utf8').toString('base64') : undefined) },
  'units.parse': { arity: 1, fn: ([x]) => parseUnits(x, false) },
  'units.parse_bytes': { arity: 1, fn: ([x]) => parseUnits(x, true) },
  any: { arity: 1, fn: ([x]) => collection(x)?.some((v) => v === true) },
  all: { arity: 1, fn: ([x]) => collection(x)?.every((v) => v === true) },
  cast_array: { arity: 1, fn: ([x]) => collection(x) },
  cast_set: { arity: 1, fn: ([x]) => { const c = collection(x); return c ? new RegoSet(c) : undefined; } },
  set_diff: { arity: 2, fn: ([a, b]) => (a instanceof RegoSet && b instanceof RegoSet ? new RegoSet(a.values().filter((v) => !b.has(v))) : undefined) },
  trace: { arity: 1, fn: () => true },
  print: { arity: -1, fn: () => true },
  'time.now_ns': { arity: 0, fn: () => Date.now() * 1e6 },
};

function trimChars(a: string, cut: string, left: boolean, right: boolean): string {
  const set = new Set([...cut]);
  const chars = [...a];
  let s = 0;
  let e = chars.length;
  if (left) while (s < e && set.has(chars[s])) s++;
  if (right) while (e > s && set.has(chars[e - 1])) e--;
  return chars.slice(s, e).join('');
}

function anyMatch(s: Value, p: Value, test: (a: string, b: string) => boolean): boolean | undefined {
  const ss = str(s) ? [s] : collection(s);
  const ps = str(p) ? [p] : collection(p);
  if (!ss || !ps) return undefined;
  return ss.some((a) => str(a) && ps.some((b) => str(b) && test(a, b)));
}

function union(a: RegoObject, b: RegoObject): RegoObject {
  const out: RegoObject = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(out[k]) && isObject(v) ? union(out[k] as RegoObject, v) : v;
  return out;
}

function plain(v: Value): unknown {
  if (v instanceof RegoSet) return v.values().map(plain);
  if (Array.isArray(v)) return v.map(plain);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function parseUnits(x: Value, bytes: boolean): number | undefined {
  if (num(x)) return x;
  if (!str(x)) return undefined;
  const m = /^\s*([0-9.]+(?:[eE][-+]?\d+)?)\s*([a-zA-Z]*)\s*$/.exec(x.replace(/"/g, ''));
  if (!m) return undefined;
  let unit = m[2];
  if (bytes) unit = unit.replace(/[bB]$/, '').replace(/^([kmgtpe])/i, (c) => c.toUpperCase()).replace(/^K/, 'K');
  const factor = bytes ? (unit === '' ? 1 : (UNITS[unit] ?? UNITS[unit.replace(/i$/, 'i')])) : UNITS[unit];
  if (factor === undefined) return undefined;
  return Number(m[1]) * factor;
}

export function builtin(name: string): Builtin | undefined {
  return B[name];
}

export function isBuiltinName(name: string): boolean {
  return name in B;
}

export { equal, keyOf };
