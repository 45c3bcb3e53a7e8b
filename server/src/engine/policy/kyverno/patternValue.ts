import { wildcardMatch } from './wildcard';
import { parseQuantity } from './quantity';
import { parseDuration } from './duration';

/**
 * Kyverno's scalar pattern matching (pkg/engine/pattern): a pattern value against one resource value, with the
 * string operators `|` (or), `&` (and), `!`, `>`, `>=`, `<`, `<=`, ranges `a-b` / `a!-b`, wildcards and null.
 */

export type PatternOperator = '' | '!' | '>' | '>=' | '<' | '<=' | 'range' | '!range';

const RANGE = /^([-+]?\d+(?:\.\d+)?[a-zA-Z]*)-([-+]?\d+(?:\.\d+)?[a-zA-Z]*)$/;
const NOT_RANGE = /^([-+]?\d+(?:\.\d+)?[a-zA-Z]*)!-([-+]?\d+(?:\.\d+)?[a-zA-Z]*)$/;

export function operatorOf(pattern: string): PatternOperator {
  if (pattern.length < 2) return '';
  if (pattern.startsWith('>=')) return '>=';
  if (pattern.startsWith('<=')) return '<=';
  if (pattern.startsWith('>')) return '>';
  if (pattern.startsWith('<')) return '<';
  if (pattern.startsWith('!')) return '!';
  if (NOT_RANGE.test(pattern)) return '!range';
  if (RANGE.test(pattern)) return 'range';
  return '';
}

export function validateValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === 'boolean') return typeof value === 'boolean' && value === pattern;
  if (typeof pattern === 'number') return validateNumberPattern(value, pattern);
  if (pattern === null || pattern === undefined) return validateNilPattern(value);
  if (typeof pattern === 'string') return validateStringPatterns(value, pattern);
  if (typeof pattern === 'object' && !Array.isArray(pattern)) {
    // a map pattern against a scalar only matches an absent value
    return value === null || value === undefined;
  }
  return false;
}

function validateNumberPattern(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern;
  if (typeof value === 'string') {
    const n = Number(value);
    return value.trim() !== '' && !Number.isNaN(n) && n === pattern;
  }
  return false;
}

function validateNilPattern(value: unknown): boolean {
  switch (typeof value) {
    case 'number':
      return value === 0;
    case 'string':
      return value === '';
    case 'boolean':
      return !value;
    case 'undefined':
      return true;
    default:
      return value === null;
  }
}

function validateStringPatterns(value: unknown, pattern: string): boolean {
  if (typeof value === 'string' && value === pattern) return true;
  return pattern.split('|').some((alt) => validateStringPattern(value, alt.trim()));
}

function validateStringPattern(value: unknown, pattern: string): boolean {
  if (pattern.includes('&')) return pattern.split('&').every((p) => validateStringPattern(value, p.trim()));
  const op = operatorOf(pattern);
  if (op === 'range' || op === '!range') return validateRange(value, pattern, op);
  const rest = pattern.slice(op.length).trim();
  const numberPart = /^(\d*(?:\.\d+)?)/.exec(rest)?.[1] ?? '';
  if (numberPart === '') return validateString(value, rest, op);
  return validateNumberWithString(value, rest, op);
}

/** Go's fmt of a scalar, as Kyverno stringifies resource values before wildcard matching. */
export function goString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatFloatE(value);
  return undefined;
}

function formatFloatE(v: number): string {
  // strconv.FormatFloat(v, 'E', -1, 64)
  const [m, e] = v.toExponential().toUpperCase().split('E');
  const exp = Number(e);
  return `${m}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function validateString(value: unknown, pattern: string, op: PatternOperator): boolean {
  if (op !== '' && op !== '!') return false;
  const s = goString(value);
  if (s === undefined) return false;
  const matched = wildcardMatch(pattern, s);
  return op === '!' ? !matched : matched;
}

function numberText(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return undefined;
}

function compare(a: number, b: number, op: PatternOperator): boolean {
  switch (op) {
    case '':
      return a === b;
    case '!':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

function validateNumberWithString(value: unknown, pattern: string, op: PatternOperator): boolean {
  const text = numberText(value);
  if (text === undefined) return false;
  const pd = /[a-zµμ]$/.test(pattern) && !/^\d+(\.\d+)?m$/.test(pattern) ? parseDuration(pattern) : undefined;
  if (pd !== undefined) {
    const vd = parseDuration(text);
    if (vd !== undefined) return compare(vd, pd, op);
  }
  const pq = parseQuantity(pattern);
  if (pq !== undefined) {
    const vq = parseQuantity(text);
    if (vq === undefined) return false;
    return compare(vq, pq, op);
  }
  return validateString(value, pattern, op);
}

function validateRange(value: unknown, pattern: string, op: PatternOperator): boolean {
  const m = (op === 'range' ? RANGE : NOT_RANGE).exec(pattern);
  if (!m) return false;
  const text = numberText(value);
  if (text === undefined) return false;
  const lo = parseQuantity(m[1]);
  const hi = parseQuantity(m[2]);
  const v = parseQuantity(text);
  if (lo === undefined || hi === undefined || v === undefined) return false;
  const inside = v >= lo && v <= hi;
  return op === 'range' ? inside : !inside;
}
