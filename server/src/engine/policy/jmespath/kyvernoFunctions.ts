import {
  registerFunction,
  TYPE_ANY,
  TYPE_ARRAY,
  TYPE_NUMBER,
  TYPE_OBJECT,
  TYPE_STRING,
  type JSONValue,
} from '@jmespath-community/jmespath';
import { parse as parseYaml } from 'yaml';
import type { RE2JS } from 're2js';
import { compileRe2 } from '../re2';
import { X509Certificate } from 'node:crypto';
import { wildcardMatch } from '../kyverno/wildcard';
import { parseQuantity } from '../kyverno/quantity';
import { parseDuration } from '../kyverno/duration';
import { parseImage } from '../kyverno/images';

/** Kyverno's own JMESPath functions (pkg/engine/jmespath), registered once on the shared function table. */

export class JmesPathFunctionError extends Error {
  override name = 'JmesPathFunctionError';
}

export function re2(pattern: string): RE2JS {
  return compileRe2(pattern, (message) => new JmesPathFunctionError(message));
}

function str(v: JSONValue | unknown, fn: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new JmesPathFunctionError(`${fn}: expected a string, got ${JSON.stringify(v)}`);
}

/** Go's Replace with n < 0 meaning all. */
function goReplace(s: string, oldS: string, newS: string, n: number): string {
  if (n < 0) return s.split(oldS).join(newS);
  let out = s;
  let from = 0;
  for (let i = 0; i < n; i++) {
    const at = out.indexOf(oldS, from);
    if (at < 0) break;
    out = out.slice(0, at) + newS + out.slice(at + oldS.length);
    from = at + newS.length;
  }
  return out;
}

/** Go regexp ReplaceAllString expands `$1`/`${name}`; RE2JS's replaceAll uses the same `$` syntax. */
function regexReplaceAll(pattern: string, src: string, repl: string, literal: boolean): string {
  const m = re2(pattern).matcher(src);
  return literal ? m.replaceAll(repl.replace(/\$/g, '$$$$')) : m.replaceAll(repl.replace(/\$\{(\w+)\}/g, '$${$1}'));
}

type Arith = { kind: 'number'; v: number } | { kind: 'quantity'; v: number; binary: boolean } | { kind: 'duration'; v: number };

/** An operand of Kyverno's arithmetic: a number, a quantity string (`1Gi`, `500m`) or a duration string (`1h30m`). */
function arith(v: unknown, fn: string): Arith {
  if (typeof v === 'number') return { kind: 'number', v };
  if (typeof v === 'string') {
    const q = parseQuantity(v);
    if (q !== undefined) return { kind: 'quantity', v: q, binary: /i$/.test(v.trim()) };
    const d = parseDuration(v);
    if (d !== undefined) return { kind: 'duration', v: d };
  }
  throw new JmesPathFunctionError(`${fn}: operand ${JSON.stringify(v)} is not a number, quantity or duration`);
}

/** Go's time.Duration.String(). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  if (s < 1) {
    const [unit, scale] = s >= 1e-3 ? ['ms', 1e3] : s >= 1e-6 ? ['µs', 1e6] : ['ns', 1e9];
    return `${sign}${Math.round(s * scale * 1e6) / 1e6}${unit}`;
  }
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = Math.round(s * 1e9) / 1e9;
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}s`;
}

const BINARY_UNITS: [string, number][] = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
const DECIMAL_UNITS: [string, number][] = [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]];

/** A quantity written the way Kubernetes would: the largest suffix of its family that keeps it whole. */
export function formatQuantity(value: number, binary: boolean): string {
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const v = Math.abs(value);
  if (Number.isInteger(v)) {
    for (const [suffix, unit] of binary ? BINARY_UNITS : DECIMAL_UNITS) {
      if (v >= unit && v % unit === 0) return `${sign}${v / unit}${suffix}`;
    }
    return `${sign}${v}`;
  }
  for (const [suffix, scale] of [['m', 1e3], ['u', 1e6], ['n', 1e9]] as const) {
    const scaled = Math.round(v * scale * 1e6) / 1e6;
    if (Number.isInteger(scaled)) return `${sign}${scaled}${suffix}`;
  }
  return `${sign}${Math.ceil(v * 1e9)}n`;
}

function result(a: Arith, value: number): JSONValue {
  if (a.kind === 'number') return value;
  if (a.kind === 'duration') return formatDuration(value);
  return formatQuantity(value, a.binary);
}

function binaryArith(fn: string): (args: JSONValue[]) => JSONValue {
  return ([x, y]) => {
    const a = arith(x, fn);
    const b = arith(y, fn);
    switch (fn) {
      case 'add':
      case 'subtract': {
        if (a.kind !== b.kind) throw new JmesPathFunctionError(`${fn}: cannot combine a ${a.kind} with a ${b.kind}`);
        return result(a, fn === 'add' ? a.v + b.v : a.v - b.v);
      }
      case 'multiply': {
        if (a.kind !== 'number' && b.kind !== 'number') throw new JmesPathFunctionError(`multiply: one operand must be a number`);
        return result(a.kind === 'number' ? b : a, a.v * b.v);
      }
      case 'divide': {
        if (b.v === 0) throw new JmesPathFunctionError('divide: division by zero');
        if (a.kind === b.kind) return a.v / b.v;
        if (b.kind !== 'number') throw new JmesPathFunctionError(`divide: cannot divide a ${a.kind} by a ${b.kind}`);
        return result(a, a.v / b.v);
      }
      default: {
        if (b.v === 0) throw new JmesPathFunctionError('modulo: division by zero');
        if (a.kind !== b.kind) throw new JmesPathFunctionError(`modulo: cannot combine a ${a.kind} with a ${b.kind}`);
        if (a.kind === 'number' && (!Number.isInteger(a.v) || !Number.isInteger(b.v))) throw new JmesPathFunctionError('modulo: arguments must be integers');
        return result(a, a.v % b.v);
      }
    }
  };
}

function labelMatch(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function semverCompare(version: string, range: string): boolean {
  const parse = (v: string): number[] | undefined => {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
  };
  const cmp = (a: number[], b: number[]): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const v = parse(version);
  if (!v) throw new JmesPathFunctionError(`semver_compare: invalid version ${JSON.stringify(version)}`);
  return range.split('||').some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((c) => {
        const m = /^(>=|<=|>|<|=|!=)?\s*(.*)$/.exec(c);
        const target = m ? parse(m[2]) : undefined;
        if (!m || !target) throw new JmesPathFunctionError(`semver_compare: invalid range ${JSON.stringify(range)}`);
        const r = cmp(v, target);
        switch (m[1]) {
          case '>=': return r >= 0;
          case '<=': return r <= 0;
          case '>': return r > 0;
          case '<': return r < 0;
          case '!=': return r !== 0;
          default: return r === 0;
        }
      }),
  );
}

function base64Decode(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new JmesPathFunctionError('base64_decode: illegal base64 data');
  return Buffer.from(s, 'base64').toString('utf8');
}

function parseTime(s: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new JmesPathFunctionError(`invalid RFC3339 time ${JSON.stringify(s)}`);
  return d;
}

function b64urlToDecimal(s: string): string {
  const hex = Buffer.from(s, 'base64url').toString('hex');
  return hex ? BigInt(`0x${hex}`).toString(10) : '0';
}

function pkixName(dn: string): Record<string, JSONValue> {
  const fields: Record<string, string[]> = {};
  for (const line of dn.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) (fields[line.slice(0, i)] ??= []).push(line.slice(i + 1));
  }
  const list = (k: string): JSONValue => fields[k] ?? null;
  return { CommonName: fields.CN?.[0] ?? '', Organization: list('O'), OrganizationalUnit: list('OU'), Country: list('C'), Locality: list('L'), Province: list('ST') };
}

/** The parts of Go's x509.Certificate that policies read, with an RSA public key as {N, E} like Kyverno's. */
function x509Decode(pem: string): JSONValue {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new JmesPathFunctionError(`x509_decode: ${(e as Error).message}`);
  }
  const jwk = cert.publicKey.export({ format: 'jwk' }) as { n?: string; e?: string };
  const publicKey: JSONValue = jwk.n && jwk.e ? { N: b64urlToDecimal(jwk.n), E: Number(b64urlToDecimal(jwk.e)) } : null;
  const san = cert.subjectAltName ?? '';
  return {
    PublicKey: publicKey,
    Subject: pkixName(cert.subject),
    Issuer: pkixName(cert.issuer),
    NotBefore: new Date(cert.validFrom).toISOString().replace(/\.000Z$/, 'Z'),
    NotAfter: new Date(cert.validTo).toISOString().replace(/\.000Z$/, 'Z'),
    SerialNumber: b64urlToDecimal(Buffer.from(cert.serialNumber, 'hex').toString('base64url')),
    DNSNames: san.split(', ').filter((x) => x.startsWith('DNS:')).map((x) => x.slice(4)),
    IsCA: cert.ca,
  };
}

let registered = false;

export function registerKyvernoFunctions(): void {
  if (registered) return;
  registered = true;
  const S = { types: [TYPE_STRING] };
  const N = { types: [TYPE_NUMBER] };
  const A = { types: [TYPE_ANY] };
  const O = { types: [TYPE_OBJECT] };
  const def = (name: string, fn: (args: JSONValue[]) => JSONValue, sig: { types: number[]; optional?: boolean; variadic?: boolean }[]): void => {
    registerFunction(name, fn as never, sig as never, { override: true });
  };
  def('compare', ([a, b]) => (str(a, 'compare') < str(b, 'compare') ? -1 : a === b ? 0 : 1), [S, S]);
  def('equal_fold', ([a, b]) => str(a, 'equal_fold').toLowerCase() === str(b, 'equal_fold').toLowerCase(), [S, S]);
  def('replace', ([s, o, n, c]) => goReplace(str(s, 'replace'), str(o, 'replace'), str(n, 'replace'), typeof c === 'number' ? c : -1), [S, S, S, { types: [TYPE_NUMBER], optional: true }]);
  def('replace_all', ([s, o, n]) => goReplace(str(s, 'replace_all'), str(o, 'replace_all'), str(n, 'replace_all'), -1), [S, S, S]);
  def('to_upper', ([s]) => str(s, 'to_upper').toUpperCase(), [S]);
  def('to_lower', ([s]) => str(s, 'to_lower').toLowerCase(), [S]);
  def('trim', ([s, cut]) => {
    const set = new Set(str(cut, 'trim'));
    const t = str(s, 'trim');
    let a = 0;
    let b = t.length;
    while (a < b && set.has(t[a])) a++;
    while (b > a && set.has(t[b - 1])) b--;
    return t.slice(a, b);
  }, [S, S]);
  def('trim_prefix', ([s, p]) => (str(s, 'trim_prefix').startsWith(str(p, 'trim_prefix')) ? (s as string).slice((p as string).length) : (s as string)), [S, S]);
  def('split', ([s, sep]) => str(s, 'split').split(str(sep, 'split')), [S, S]);
  def('regex_replace_all', ([p, s, r]) => regexReplaceAll(str(p, 'regex_replace_all'), str(s, 'regex_replace_all'), str(r, 'regex_replace_all'), false), [S, { types: [TYPE_STRING, TYPE_NUMBER] }, { types: [TYPE_STRING, TYPE_NUMBER] }]);
  def('regex_replace_all_literal', ([p, s, r]) => regexReplaceAll(str(p, 'regex_replace_all_literal'), str(s, 'x'), str(r, 'x'), true), [S, { types: [TYPE_STRING, TYPE_NUMBER] }, { types: [TYPE_STRING, TYPE_NUMBER] }]);
  def('regex_match', ([p, s]) => re2(str(p, 'regex_match')).matcher(str(s, 'regex_match')).find(), [S, { types: [TYPE_STRING, TYPE_NUMBER] }]);
  def('pattern_match', ([p, s]) => wildcardMatch(str(p, 'pattern_match'), str(s, 'pattern_match')), [S, { types: [TYPE_STRING, TYPE_NUMBER] }]);
  def('label_match', ([sel, labels]) => labelMatch(sel as Record<string, unknown>, labels as Record<string, unknown>), [O, O]);
  def('to_boolean', ([s]) => {
    const t = str(s, 'to_boolean').toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    throw new JmesPathFunctionError(`to_boolean: ${JSON.stringify(s)} is not a boolean`);
  }, [S]);
  for (const name of ['add', 'subtract', 'multiply', 'divide', 'modulo']) def(name, binaryArith(name), [A, A]);
  def('round', ([n, d]) => {
    const f = 10 ** (d as number);
    return Math.round((n as number) * f) / f;
  }, [N, N]);
  def('base64_decode', ([s]) => base64Decode(str(s, 'base64_decode')), [S]);
  def('base64_encode', ([s]) => Buffer.from(str(s, 'base64_encode'), 'utf8').toString('base64'), [S]);
  def('path_canonicalize', ([s]) => {
    const parts: string[] = [];
    const p = str(s, 'path_canonicalize');
    for (const seg of p.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') parts.pop();
      else parts.push(seg);
    }
    return (p.startsWith('/') ? '/' : '') + parts.join('/') || (p.startsWith('/') ? '/' : '.');
  }, [S]);
  def('truncate', ([s, n]) => str(s, 'truncate').slice(0, Math.max(0, n as number)), [S, N]);
  def('semver_compare', ([v, r]) => semverCompare(str(v, 'semver_compare'), str(r, 'semver_compare')), [S, S]);
  def('parse_json', ([s]) => {
    try {
      return JSON.parse(str(s, 'parse_json')) as JSONValue;
    } catch (e) {
      throw new JmesPathFunctionError(`parse_json: ${(e as Error).message}`);
    }
  }, [S]);
  def('parse_yaml', ([s]) => {
    try {
      return parseYaml(str(s, 'parse_yaml'), { maxAliasCount: 100 }) as JSONValue;
    } catch (e) {
      throw new JmesPathFunctionError(`parse_yaml: ${(e as Error).message}`);
    }
  }, [S]);
  def('lookup', ([c, k]) => {
    if (Array.isArray(c)) return typeof k === 'number' && Number.isInteger(k) ? (c[k] ?? null) : null;
    if (c && typeof c === 'object') return (c as Record<string, JSONValue>)[String(k)] ?? null;
    return null;
  }, [{ types: [TYPE_OBJECT, TYPE_ARRAY] }, { types: [TYPE_STRING, TYPE_NUMBER] }]);
  def('items', ([obj, kName, vName]) => {
    const entries: [string, JSONValue][] = Array.isArray(obj)
      ? obj.map((v, i) => [String(i), v] as [string, JSONValue])
      : Object.entries(obj as Record<string, JSONValue>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (kName === undefined) return entries.map(([k, v]) => [k, v]);
    return entries.map(([k, v]) => ({ [str(kName, 'items')]: Array.isArray(obj) ? Number(k) : k, [str(vName, 'items')]: v }));
  }, [{ types: [TYPE_OBJECT, TYPE_ARRAY] }, { types: [TYPE_STRING], optional: true }, { types: [TYPE_STRING], optional: true }]);
  def('object_from_lists', ([keys, values]) => {
    const out: Record<string, JSONValue> = {};
    (keys as JSONValue[]).forEach((k, i) => (out[String(k)] = (values as JSONValue[])[i] ?? null));
    return out;
  }, [{ types: [TYPE_ARRAY] }, { types: [TYPE_ARRAY] }]);
  def('time_now', () => new Date().toISOString().replace(/\.\d+Z$/, 'Z'), []);
  def('time_now_utc', () => new Date().toISOString().replace(/\.\d+Z$/, 'Z'), []);
  def('time_since', ([, a, b]) => {
    const start = parseTime(str(a, 'time_since'));
    const end = b ? parseTime(str(b, 'time_since')) : new Date();
    return formatDuration((end.getTime() - start.getTime()) / 1000);
  }, [S, S, { types: [TYPE_STRING], optional: true }]);
  def('time_before', ([a, b]) => parseTime(str(a, 'time_before')) < parseTime(str(b, 'time_before')), [S, S]);
  def('time_after', ([a, b]) => parseTime(str(a, 'time_after')) > parseTime(str(b, 'time_after')), [S, S]);
  def('time_between', ([t, a, b]) => {
    const x = parseTime(str(t, 'time_between'));
    return x > parseTime(str(a, 'time_between')) && x < parseTime(str(b, 'time_between'));
  }, [S, S, S]);
  def('time_add', ([t, d]) => {
    const secs = parseDuration(str(d, 'time_add'));
    if (secs === undefined) throw new JmesPathFunctionError(`time_add: invalid duration ${JSON.stringify(d)}`);
    return new Date(parseTime(str(t, 'time_add')).getTime() + secs * 1000).toISOString().replace(/\.000Z$/, 'Z');
  }, [S, S]);
  def('time_diff', ([a, b]) => formatDuration((parseTime(str(b, 'time_diff')).getTime() - parseTime(str(a, 'time_diff')).getTime()) / 1000), [S, S]);
  def('time_utc', ([t]) => parseTime(str(t, 'time_utc')).toISOString().replace(/\.000Z$/, 'Z'), [S]);
  def('is_external_url', ([u]) => {
    try {
      const h = new URL(str(u, 'is_external_url')).hostname;
      return !(h === 'localhost' || /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(h) || h.endsWith('.svc') || h.endsWith('.cluster.local'));
    } catch {
      return false;
    }
  }, [S]);
  def('sum', ([list]) => {
    const arr = list as JSONValue[];
    if (arr.length === 0) throw new JmesPathFunctionError('sum: at least one element in the array is required');
    const add = binaryArith('add');
    return arr.slice(1).reduce((acc: JSONValue, x) => add([acc, x]), arr[0]);
  }, [{ types: [TYPE_ARRAY] }]);
  def('image_normalize', ([s]) => {
    const ref = parseImage(str(s, 'image_normalize'));
    return ref.digest ? `${ref.registry}/${ref.path}${ref.tag && ref.tag !== 'latest' ? `:${ref.tag}` : ''}@${ref.digest}` : `${ref.registry}/${ref.path}:${ref.tag}`;
  }, [S]);
  def('time_truncate', ([t, d]) => {
    const secs = parseDuration(str(d, 'time_truncate'));
    if (secs === undefined || secs <= 0) throw new JmesPathFunctionError(`time_truncate: invalid duration ${JSON.stringify(d)}`);
    const ms = parseTime(str(t, 'time_truncate')).getTime();
    return new Date(ms - (ms % (secs * 1000))).toISOString().replace(/\.000Z$/, 'Z');
  }, [S, S]);
  def('time_to_cron', ([t]) => {
    const d = parseTime(str(t, 'time_to_cron'));
    return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} ${d.getUTCDay()}`;
  }, [S]);
  def('x509_decode', ([pem]) => x509Decode(str(pem, 'x509_decode')), [S]);
  for (const name of ['random', 'time_parse']) {
    def(name, () => {
      throw new JmesPathFunctionError(`${name} is not supported by the built-in engine`);
    }, [{ types: [TYPE_ANY], variadic: true }]);
  }
}
