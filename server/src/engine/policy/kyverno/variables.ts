import { evaluateJmesPath } from '../jmespath';

/**
 * `{{ ... }}` substitution (pkg/engine/variables): a string that is exactly one reference takes the referenced value
 * with its type; references inside longer strings are spliced in as text. `\{{` escapes a reference.
 */

export class VariableError extends Error {
  override name = 'VariableError';
}

export type ResolveMode = 'strict' | 'conditions';

/** Matches one `{{...}}` reference, allowing one level of braces inside (JMESPath literals, multiselect hashes). */
const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;

export function variablesIn(text: string): { expression: string; start: number; end: number }[] {
  const out: { expression: string; start: number; end: number }[] = [];
  VARIABLE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = VARIABLE.exec(text))) {
    const start = m.index + m[1].length;
    const full = m[2];
    out.push({ expression: full.slice(2, -2), start, end: start + full.length });
    // the preceding character was consumed; step back so adjacent references are both found
    VARIABLE.lastIndex = start + full.length;
  }
  return out;
}

export function hasVariables(value: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (typeof value === 'string') return variablesIn(value).length > 0;
  if (Array.isArray(value)) return value.some((v) => hasVariables(v, depth + 1));
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => hasVariables(k, depth + 1) || hasVariables(v, depth + 1));
  return false;
}

function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export interface Substituter {
  /** `at` is the path of the pattern leaf being substituted, for `{{@}}`. */
  resolve(expression: string, at?: (string | number)[]): unknown;
}

/** `{{@}}` names the resource field at the pattern's own path (anchors stripped), as a JMESPath from request.object. */
function currentPath(at: (string | number)[]): string {
  let out = 'request.object';
  for (const p of at) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const key = /^([+<=X^])?\((.+)\)$/.exec(p)?.[2] ?? p;
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `."${key.replace(/"/g, '\\"')}"`;
    }
  }
  return out;
}

/**
 * Resolves references against a JSON context as Kyverno does: a key missing along a plain path is an error
 * ("Unknown key"), in conditions as elsewhere; a null value is a value. `mode` only words the error.
 */
export function createSubstituter(context: Record<string, unknown>, mode: ResolveMode): Substituter {
  return {
    resolve(expression: string, at?: (string | number)[]): unknown {
      let expr = expression.trim();
      if (expr === '@') {
        if (!at) return context['@'] ?? null;
        expr = currentPath(at);
      }
      // on delete the object is gone: Kyverno reads request.object as the old object
      const request = context.request as Record<string, unknown> | undefined;
      if (request && request.operation === 'DELETE') expr = expr.split('request.object').join('request.oldObject');
      try {
        return evaluateJmesPath(expr, context, { unknownKeyIsError: true });
      } catch (e) {
        const where = mode === 'conditions' ? 'in a condition' : '';
        throw new VariableError(`failed to resolve {{${expression.trim()}}}${where ? ` ${where}` : ''}: ${(e as Error).message}`);
      }
    },
  };
}

const MAX_SUBSTITUTION_ROUNDS = 10;

/**
 * Substitutes the references of a string. Kyverno repeats until none is left, which is how a reference nested in
 * another (`{{ f('{{ a.b }}') }}`) resolves: the inner one first, then the outer one over its result.
 */
export function substituteString(text: string, sub: Substituter, at?: (string | number)[]): unknown {
  // neither a reference nor an escaped one: the text stands as it is
  if (!text.includes('{{')) return text;
  let current = text;
  for (let round = 0; round < MAX_SUBSTITUTION_ROUNDS; round++) {
    const refs = variablesIn(current);
    if (refs.length === 0) return unescape(current);
    // a string that is one reference takes its value as it is, with its type (and is not scanned again)
    if (refs.length === 1 && refs[0].start === 0 && refs[0].end === current.length) return sub.resolve(refs[0].expression, at);
    let out = '';
    let last = 0;
    for (const r of refs) {
      out += current.slice(last, r.start) + toText(sub.resolve(r.expression, at));
      last = r.end;
    }
    current = out + current.slice(last);
  }
  throw new VariableError(`references in ${JSON.stringify(text.slice(0, 80))} still unresolved after ${MAX_SUBSTITUTION_ROUNDS} rounds`);
}

function unescape(s: string): string {
  return s.includes('\\{{') ? s.replace(/\\\{\{/g, '{{') : s;
}

const MAX_SUBSTITUTION_DEPTH = 100;

/**
 * Whether substitution would give back a copy equal to the value: no text holds `{{`, no key is `__proto__` (a
 * copy loses it as a key), nothing is nested past the limit. Kept per object: policies are read, never changed, and
 * the same patterns and conditions are substituted for every resource.
 */
const literals = new WeakMap<object, boolean>();

function isLiteral(value: object): boolean {
  let known = literals.get(value);
  if (known === undefined) {
    known = literalBelow(value, 0);
    literals.set(value, known);
  }
  return known;
}

function literalBelow(value: unknown, depth: number): boolean {
  if (depth > MAX_SUBSTITUTION_DEPTH) return false;
  if (typeof value === 'string') return !value.includes('{{');
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every((v) => literalBelow(v, depth + 1));
  for (const k of Object.keys(value)) {
    if (k.includes('{{') || k === '__proto__' || !literalBelow((value as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/**
 * Substitutes every reference in a value; the result is a new value, or the value itself when it has nothing to
 * substitute (callers only read it).
 */
export function substituteAll(value: unknown, sub: Substituter, depth = 0, at: (string | number)[] = []): unknown {
  if (depth === 0 && typeof value === 'object' && value !== null && isLiteral(value)) return value;
  // one path stack for the whole walk: resolve reads `at` at once and keeps nothing
  return substituteWalk(value, sub, depth, [...at]);
}

function substituteWalk(value: unknown, sub: Substituter, depth: number, at: (string | number)[]): unknown {
  if (depth > MAX_SUBSTITUTION_DEPTH) throw new VariableError('value nested too deeply for substitution');
  if (typeof value === 'string') return substituteString(value, sub, at);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      out[i] = substituteWalk(value[i], sub, depth + 1, at);
      at.pop();
    }
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = variablesIn(k).length ? toText(substituteString(k, sub, at)) : k;
      at.push(k);
      out[key] = substituteWalk(v, sub, depth + 1, at);
      at.pop();
    }
    return out;
  }
  return value;
}
