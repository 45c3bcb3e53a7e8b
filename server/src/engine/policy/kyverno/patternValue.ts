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
  if (typeof pattern === 'number') return Number.isInteger(pattern) ? validateIntPattern(value, pattern) : validateFloatPattern(value, pattern);
  if (pattern === null || pattern === undefined) return validateNilPattern(value);
  if (typeof pattern === 'string') return validateStringPatterns(value, pattern);
  // a map pattern only asks for a map; lists are not scalar patterns
  if (typeof pattern === 'object' && !Array.isArray(pattern)) return typeof value === 'object' && value !== null && !Array.isArray(value);
  return false;
}

const GO_INT = /^[+-]?\d+$/;
const GO_FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;

function validateIntPattern(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value === pattern;
  if (typeof value === 'string') return GO_INT.test(value) && Number(value) === pattern;
  return false;
}

function validateFloatPattern(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern;
  if (typeof value === 'string') return GO_FLOAT.test(value) && Number(value) === pattern;
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
  return pattern.split('|').some((alt) => alt.trim().split('&').every((p) => validateStringPattern(value, p.trim())));
}

function validateStringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === 'range') {
    const m = RANGE.exec(pattern);
    return !!m && validateStringPattern(value, `>= ${m[1]}`) && validateStringPattern(value, `<= ${m[2]}`);
  }
  if (op === '!range') {
    const m = NOT_RANGE.exec(pattern);
    return !!m && (validateStringPattern(value, `< ${m[1]}`) || validateStringPattern(value, `> ${m[2]}`));
  }
  return validateString(value, pattern.slice(op.length).trim(), op);
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

/** Kyverno's convertNumberToString: an absent value counts as "0" for duration and quantity comparisons. */
function numberText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
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

/** Duration first, then quantity, then a wildcard string match (only for = and !). */
function validateString(value: unknown, pattern: string, op: PatternOperator): boolean {
  const text = numberText(value);
  const pd = parseDuration(pattern);
  if (pd !== undefined && text !== undefined) {
    const vd = parseDuration(text);
    if (vd !== undefined) return compare(vd, pd, op);
  }
  const pq = parseQuantity(pattern);
  if (pq !== undefined && text !== undefined) {
    const vq = parseQuantity(text);
    if (vq !== undefined) return compare(vq, pq, op);
  }
  if (op !== '' && op !== '!') return false;
  const s = goString(value);
  if (s === undefined) return false;
  const matched = wildcardMatch(pattern, s);
  return op === '!' ? !matched : matched;
}
