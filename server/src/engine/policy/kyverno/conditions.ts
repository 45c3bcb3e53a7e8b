import { wildcardMatch } from './wildcard';
import { parseQuantity } from './quantity';
import { parseDuration } from './duration';
import { operatorOf, validateValue } from './patternValue';

/** Kyverno's condition operators (pkg/engine/variables/operator) on already substituted keys and values. */

export const CONDITION_OPERATORS = [
  'Equals', 'Equal', 'NotEquals', 'NotEqual', 'In', 'NotIn', 'AnyIn', 'AllIn', 'AnyNotIn', 'AllNotIn',
  'GreaterThan', 'GreaterThanOrEquals', 'LessThan', 'LessThanOrEquals',
  'DurationGreaterThan', 'DurationGreaterThanOrEquals', 'DurationLessThan', 'DurationLessThanOrEquals',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Kyverno matches operator names without regard to case (`equals` works like `Equals`). */
export function canonicalOperator(op: unknown): ConditionOperator | undefined {
  if (typeof op !== 'string') return undefined;
  const lower = op.toLowerCase();
  return CONDITION_OPERATORS.find((o) => o.toLowerCase() === lower);
}

export function isConditionOperator(op: unknown): boolean {
  return canonicalOperator(op) !== undefined;
}

/** Go's fmt.Sprint for the scalars JSON can hold. */
function sprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(sprint).join(' ')}]`;
  return `map[${Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${k}:${sprint(x)}`).join(' ')}]`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value === 'boolean' && key === value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key === value;
    if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value) === key;
    return false;
  }
  if (typeof key === 'string') {
    if (typeof value === 'string') {
      const dk = durationOf(key);
      const dv = durationOf(value);
      if (dk !== undefined && dv !== undefined) return dk === dv;
      const qk = quantityOf(key);
      const qv = quantityOf(value);
      if (qk !== undefined && qv !== undefined) return qk === qv;
      return wildcardMatch(value, key);
    }
    if (typeof value === 'number') {
      const qk = quantityOf(key);
      return qk !== undefined && qk === value;
    }
    return false;
  }
  return deepEqual(key, value);
}

/** A duration only when the text has a unit: plain numbers are quantities. */
function durationOf(s: string): number | undefined {
  return /[a-zµμ]$/.test(s) ? parseDuration(s) : undefined;
}

function quantityOf(s: string): number | undefined {
  return parseQuantity(s);
}

function numericCompare(key: unknown, value: unknown, op: string): boolean {
  const test = (a: number, b: number): boolean =>
    op.endsWith('GreaterThan') ? a > b : op.endsWith('GreaterThanOrEquals') ? a >= b : op.endsWith('LessThan') ? a < b : a <= b;
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  if (num(key) !== undefined && num(value) !== undefined) return test(key as number, value as number);
  const ks = typeof key === 'string' ? key : typeof key === 'number' ? String(key) : undefined;
  const vs = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  if (ks === undefined || vs === undefined) return false;
  const dk = durationOf(ks);
  const dv = durationOf(vs);
  if (dk !== undefined && dv !== undefined) return test(dk, dv);
  const qk = quantityOf(ks);
  const qv = quantityOf(vs);
  if (qk !== undefined && qv !== undefined) return test(qk, qv);
  const sk = semver(ks);
  const sv = semver(vs);
  if (sk && sv) return test(Math.sign(sk[0] - sv[0] || sk[1] - sv[1] || sk[2] - sv[2]), 0);
  return false;
}

function semver(s: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function durationCompare(key: unknown, value: unknown, op: string): boolean {
  const d = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? parseDuration(v) : undefined);
  const a = d(key);
  const b = d(value);
  if (a === undefined || b === undefined) return false;
  return numericCompare(a, b, op.replace('Duration', ''));
}

const bothWays = (a: string, b: string): boolean => wildcardMatch(a, b) || wildcardMatch(b, a);

/** The value side as a list of strings: a list, a scalar, or a string holding a JSON list. */
function valueStrings(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(sprint);
  if (typeof value === 'number') return [sprint(value)];
  if (typeof value === 'string') {
    if (value.trim().startsWith('[')) {
      try {
        const arr = JSON.parse(value) as unknown;
        if (Array.isArray(arr)) return arr.map(sprint);
      } catch {
        return undefined;
      }
    }
    return [value];
  }
  return undefined;
}

function isRangeValue(value: unknown): value is string {
  return typeof value === 'string' && operatorOf(value) === 'range';
}

function anyIn(keys: string[], value: unknown, negate: boolean): boolean {
  if (isRangeValue(value)) {
    return negate ? keys.some((k) => !validateValue(k, value)) : keys.some((k) => validateValue(k, value));
  }
  const vals = valueStrings(value);
  if (!vals) return false;
  if (negate) return keys.some((k) => !vals.some((v) => bothWays(k, v)));
  return keys.some((k) => vals.some((v) => bothWays(k, v)));
}

function allIn(keys: string[], value: unknown, negate: boolean): boolean {
  if (isRangeValue(value)) {
    return negate ? keys.every((k) => !validateValue(k, value)) : keys.every((k) => validateValue(k, value));
  }
  const vals = valueStrings(value);
  if (!vals) return false;
  if (negate) return keys.every((k) => !vals.some((v) => bothWays(k, v)));
  return keys.every((k) => vals.some((v) => bothWays(k, v)));
}

function keyStrings(key: unknown): string[] | undefined {
  if (Array.isArray(key)) return key.map(sprint);
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') return [sprint(key)];
  return undefined;
}

export function evaluateOperator(op: string, key: unknown, value: unknown): boolean {
  const operator = canonicalOperator(op) ?? op;
  switch (operator) {
    case 'Equals':
    case 'Equal':
      // a null key is an unsupported type for Kyverno's handlers: neither equal nor not equal
      return key !== null && key !== undefined && equals(key, value);
    case 'NotEquals':
    case 'NotEqual':
      return key !== null && key !== undefined && !equals(key, value);
    case 'GreaterThan':
    case 'GreaterThanOrEquals':
    case 'LessThan':
    case 'LessThanOrEquals':
      return numericCompare(key, value, operator);
    case 'DurationGreaterThan':
    case 'DurationGreaterThanOrEquals':
    case 'DurationLessThan':
    case 'DurationLessThanOrEquals':
      return durationCompare(key, value, operator);
    case 'In':
    case 'NotIn': {
      const keys = keyStrings(key);
      if (!keys) return false;
      const r = Array.isArray(key) ? allIn(keys, value, false) : anyIn(keys, value, false);
      return operator === 'In' ? r : !r;
    }
    case 'AnyIn':
    case 'AnyNotIn':
    case 'AllIn':
    case 'AllNotIn': {
      const keys = keyStrings(key);
      if (!keys) return false;
      if (operator === 'AnyIn') return anyIn(keys, value, false);
      if (operator === 'AnyNotIn') return anyIn(keys, value, true);
      if (operator === 'AllIn') return allIn(keys, value, false);
      return allIn(keys, value, true);
    }
    default:
      throw new Error(`unknown condition operator ${JSON.stringify(operator)}`);
  }
}
