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

export function substituteAll(value: unknown, sub: Substituter, depth = 0, at: (string | number)[] = []): unknown {
  if (depth > 100) throw new VariableError('value nested too deeply for substitution');
  if (typeof value === 'string') return substituteString(value, sub, at);
  if (Array.isArray(value)) return value.map((v, i) => substituteAll(v, sub, depth + 1, [...at, i]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = variablesIn(k).length ? toText(substituteString(k, sub, at)) : k;
      out[key] = substituteAll(v, sub, depth + 1, [...at, k]);
    }
    return out;
  }
  return value;
}
