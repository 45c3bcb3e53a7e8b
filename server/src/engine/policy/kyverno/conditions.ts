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

/**
 * Kyverno's parseDuration for operands: at least one side must be a non-zero duration string; a number on the
 * other side counts as seconds. Undefined when neither side is a duration.
 */
function durationPair(key: unknown, value: unknown): [number, number] | undefined {
  const asDuration = (v: unknown): number | undefined => {
    if (typeof v !== 'string') return undefined;
    const d = parseDuration(v);
    return d !== undefined && d !== 0 ? d : undefined;
  };
  let k = asDuration(key);
  let v = asDuration(value);
  if (k === undefined && v === undefined) return undefined;
  if (k === undefined) {
    if (typeof key !== 'number') return undefined;
    k = key;
  }
  if (v === undefined) {
    if (typeof value !== 'number') return undefined;
    v = value;
  }
  return [k, v];
}

const GO_INT = /^[+-]?\d+$/;
const GO_FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** EqualHandler: the key's type decides how the value is read. */
function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value === 'boolean' && key === value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key === value;
    if (typeof value === 'string') {
      if (Number.isInteger(key)) return GO_INT.test(value) && Number(value) === key;
      return GO_FLOAT.test(value) && Number(value) === key;
    }
    return false;
  }
  if (typeof key === 'string') {
    const d = durationPair(key, value);
    if (d) return d[0] === d[1];
    const qk = parseQuantity(key);
    if (qk !== undefined && typeof value === 'string') {
      const qv = parseQuantity(value);
      return qv !== undefined && qk === qv;
    }
    return typeof value === 'string' && wildcardMatch(value, key);
  }
  if (Array.isArray(key)) return Array.isArray(value) && deepEqual(key, value);
  if (key && typeof key === 'object') return !!value && typeof value === 'object' && !Array.isArray(value) && deepEqual(key, value);
  return false;
}

function compareNumbers(a: number, b: number, op: string): boolean {
  switch (op) {
    case 'GreaterThan':
      return a > b;
    case 'GreaterThanOrEquals':
      return a >= b;
    case 'LessThan':
      return a < b;
    case 'LessThanOrEquals':
      return a <= b;
    default:
      return false;
  }
}

/** A number from a string as Go's ParseFloat then ParseInt would read it. */
function goNumber(s: string): number | undefined {
  return GO_FLOAT.test(s.trim()) && s.trim() === s ? Number(s) : undefined;
}

function semver(s: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** NumericOperatorHandler: durations first, then numbers, then quantities (then versions). */
function numericCompare(key: unknown, value: unknown, op: string): boolean {
  const d = durationPair(key, value);
  if (d) return compareNumbers(d[0], d[1], op);
  let k: number | undefined;
  if (typeof key === 'number') k = key;
  else if (typeof key === 'string') k = goNumber(key);
  if (k !== undefined) {
    if (typeof value === 'number') return compareNumbers(k, value, op);
    if (typeof value === 'string') {
      const v = goNumber(value);
      return v !== undefined && compareNumbers(k, v, op);
    }
    return false;
  }
  if (typeof key !== 'string') return false;
  const qk = parseQuantity(key);
  if (qk !== undefined) {
    const qv = typeof value === 'string' ? parseQuantity(value) : undefined;
    return qv !== undefined && compareNumbers(qk, qv, op);
  }
  const sk = semver(key);
  const sv = typeof value === 'string' ? semver(value) : undefined;
  if (sk && sv) return compareNumbers(Math.sign(sk[0] - sv[0] || sk[1] - sv[1] || sk[2] - sv[2]), 0, op);
  return false;
}

function durationCompare(key: unknown, value: unknown, op: string): boolean {
  const d = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? parseDuration(v) : undefined);
  const a = d(key);
  const b = d(value);
  if (a === undefined || b === undefined) return false;
  return compareNumbers(a, b, op.replace('Duration', ''));
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
      // NotEqualHandler mirrors EqualHandler: unsupported key types are false either way
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
