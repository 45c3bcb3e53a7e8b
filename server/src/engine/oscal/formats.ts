import { fullFormats } from 'ajv-formats/dist/formats';
import type { Primitive } from './model/model';

/** Patterns of the official OSCAL datatypes (the same regular expressions the JSON schemas carry). */
export const UUID_RE = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;
const STRING_RE = /^\S(.*\S)?$/u;
export const TOKEN_RE = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
const DATE_BODY =
  '(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|2[0-8]))|(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))|(((19|2[0-9])[0-9]{2})-(0[469]|11)-(0[1-9]|[12][0-9]|30)))';
const ZONE = '(Z|(-((0[0-9]|1[0-2]):00|0[39]:30)|\\+((0[0-9]|1[0-4]):00|(0[34569]|10):30|(0[58]|12):45)))';
const DATE_RE = new RegExp(`^${DATE_BODY}${ZONE}?$`, 'u');
const DATE_TIME_RE = new RegExp(`^${DATE_BODY}T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\\.[0-9]+)?${ZONE}$`, 'u');
const URI_RE = /^[a-zA-Z][a-zA-Z0-9+\-.]+:.+$/u;
const EMAIL_RE = /^.+@.+$/u;
const BASE64_RE = /^[0-9A-Za-z+/]+={0,2}$/u;
const LINE_RE = /^[^\n]+$/u;

type FormatCheck = RegExp | ((s: string) => boolean) | { validate: RegExp | ((s: string) => boolean) };

// The JSON schemas also name a `format`; ajv-formats' definitions are what the official validation applies.
function formatPasses(format: unknown, s: string): boolean {
  const f = format as FormatCheck;
  if (f instanceof RegExp) return f.test(s);
  if (typeof f === 'function') return f(s);
  if (f && typeof f === 'object' && 'validate' in f) return formatPasses(f.validate, s);
  return true;
}

export type ValueProblem = 'type' | 'format';

export interface ValueCheck {
  problem: ValueProblem;
  /** What the value should be, in words ("a UUID", "a date-time with a time zone"). */
  expected: string;
}

export const PRIMITIVE_WORDS: Record<Primitive, string> = {
  string: 'text without leading or trailing spaces',
  text: 'text',
  line: 'a single line of text',
  token: 'a token (a letter or `_`, then letters, digits, `.`, `-` or `_`)',
  uuid: 'a UUID (version 4 or 5, such as `3f2a5c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b`)',
  'date-time': 'a date and time with a time zone, such as `2024-01-31T12:00:00Z`',
  date: 'a date, such as `2024-01-31`',
  uri: 'an absolute URI, such as `https://example.com/x`',
  'uri-reference': 'a URI or relative reference without spaces',
  integer: 'a whole number',
  'non-negative-integer': 'a whole number of 0 or more',
  'positive-integer': 'a whole number of 1 or more',
  decimal: 'a number',
  boolean: '`true` or `false`',
  email: 'an email address',
  base64: 'base64 text',
  'any-object': 'an empty object `{}`',
};

/** The JSON type a primitive needs. */
export function jsonTypeOf(p: Primitive): 'string' | 'number' | 'integer' | 'boolean' | 'object' {
  switch (p) {
    case 'integer':
    case 'non-negative-integer':
    case 'positive-integer':
      return 'integer';
    case 'decimal':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'any-object':
      return 'object';
    default:
      return 'string';
  }
}

/** Checks a value against a primitive datatype; undefined when it conforms. */
export function checkPrimitive(p: Primitive, v: unknown): ValueCheck | undefined {
  const jt = jsonTypeOf(p);
  const expected = PRIMITIVE_WORDS[p];
  if (jt === 'string') {
    // A value of the wrong JSON type is told what type it needs; the finer form comes once it is text.
    if (typeof v !== 'string') return { problem: 'type', expected: p === 'string' || p === 'text' || p === 'line' ? 'text' : expected };
    if (!stringFormatPasses(p, v)) return { problem: 'format', expected };
    return undefined;
  }
  if (jt === 'boolean') return typeof v === 'boolean' ? undefined : { problem: 'type', expected };
  if (jt === 'object') {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { problem: 'type', expected };
    return Object.keys(v).length === 0 ? undefined : { problem: 'format', expected };
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return { problem: 'type', expected };
  if (jt === 'integer' && !Number.isInteger(v)) return { problem: 'type', expected };
  if (p === 'non-negative-integer' && v < 0) return { problem: 'format', expected };
  if (p === 'positive-integer' && v < 1) return { problem: 'format', expected };
  return undefined;
}

function stringFormatPasses(p: Primitive, s: string): boolean {
  switch (p) {
    case 'string':
      return STRING_RE.test(s);
    case 'token':
      return TOKEN_RE.test(s);
    case 'uuid':
      return UUID_RE.test(s);
    case 'date-time':
      return DATE_TIME_RE.test(s) && formatPasses(fullFormats['date-time'], s);
    case 'date':
      return DATE_RE.test(s);
    case 'uri':
      return URI_RE.test(s) && formatPasses(fullFormats.uri, s);
    case 'uri-reference':
      return formatPasses(fullFormats['uri-reference'], s);
    case 'email':
      return STRING_RE.test(s) && EMAIL_RE.test(s) && formatPasses(fullFormats.email, s);
    case 'base64':
      return BASE64_RE.test(s);
    case 'line':
      return LINE_RE.test(s);
    default:
      return true;
  }
}

export function describeJsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return 'text';
    case 'number':
      return Number.isInteger(v) ? 'a whole number' : 'a number';
    case 'boolean':
      return v ? '`true`' : '`false`';
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}
