import { posix } from 'node:path';
import { parseAnchor } from './anchor';
import { operatorOf } from './patternValue';

/**
 * `$(path)` references inside a pattern (pkg/engine/variables substituteReferences): a leaf may take the value of
 * another leaf of the same pattern, addressed relative to itself (`$(./../../limits/memory)`), optionally behind an
 * operator (`<=$(...)`). Anchors on keys are ignored when paths are compared. `\$(` escapes a reference.
 */

export class ReferenceError extends Error {
  override name = 'ReferenceError';
}

const REFERENCE = /(^|[^\\])(\$\([^ )]*\))/g;

function leafValue(doc: unknown, path: string): unknown {
  const parts = path.split('/').filter(Boolean);
  let cur = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (cur && typeof cur === 'object') {
      const entry = Object.entries(cur).find(([k]) => (parseAnchor(k)?.key ?? k) === p);
      cur = entry ? entry[1] : undefined;
    } else return undefined;
  }
  return cur;
}

function resolve(doc: unknown, reference: string, here: string): string {
  let inner = reference.slice(2, -1);
  const op = operatorOf(inner);
  inner = inner.slice(op.length);
  if (!inner) throw new ReferenceError(`empty reference ${reference}`);
  const target = inner.startsWith('/') ? inner : posix.join(here, inner);
  const value = leafValue(doc, target);
  if (typeof value === 'string') return op + value;
  if (typeof value === 'number') return op + (op ? (Number.isInteger(value) ? String(value) : value.toFixed(6)) : String(value));
  if (value === undefined) throw new ReferenceError(`reference ${reference} at ${here} resolves to nothing`);
  throw new ReferenceError(`reference ${reference} at ${here} does not resolve to a string or number`);
}

export function hasReferences(value: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (typeof value === 'string') return value.includes('$(');
  if (Array.isArray(value)) return value.some((v) => hasReferences(v, depth + 1));
  if (value && typeof value === 'object') return Object.values(value).some((v) => hasReferences(v, depth + 1));
  return false;
}

/**
 * The result for each pattern object: references point inside the pattern itself, so the answer is the same for
 * every resource (callers only read it). Failures are not kept; they are computed, and thrown, again.
 */
const resolved = new WeakMap<object, unknown>();

/** Replaces every reference in the pattern by the value it points at. */
export function substituteReferences(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null) return substituteReferencesNow(doc);
  if (resolved.has(doc)) return resolved.get(doc);
  const out = substituteReferencesNow(doc);
  resolved.set(doc, out);
  return out;
}

function substituteReferencesNow(doc: unknown): unknown {
  if (!hasReferences(doc)) return doc;
  const walk = (value: unknown, path: string, depth: number): unknown => {
    if (depth > 100) throw new ReferenceError('pattern nested too deeply for references');
    if (typeof value === 'string') {
      if (!value.includes('$(')) return value;
      const replaced = value.replace(REFERENCE, (_m, pre: string, ref: string) => pre + resolve(doc, ref, path));
      return replaced.replace(/\\\$\(/g, '$(');
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}/${i}`, depth + 1));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, `${path}/${parseAnchor(k)?.key ?? k}`, depth + 1);
      return out;
    }
    return value;
  };
  return walk(doc, '', 0);
}
