import { createHash } from 'node:crypto';

/**
 * A key for the content of a parsed resource: two objects with the same key are the same JSON, so a policy
 * evaluates them alike. Repositories hold many copies of one manifest (test resources of each policy of a
 * library, variants of a chart), and the workspace evaluation runs every policy on each only once.
 */

const MAX_DEPTH = 500;
const keys = new WeakMap<object, string | null>();

/** The key of a parsed value, or undefined when its JSON text would not tell it apart from another value. */
export function contentKey(value: object): string | undefined {
  let key = keys.get(value);
  if (key === undefined) {
    key = isJsonFaithful(value, 0) ? createHash('sha256').update(JSON.stringify(value)).digest('base64') : null;
    keys.set(value, key);
  }
  return key ?? undefined;
}

/**
 * Whether JSON.stringify keeps everything evaluation can see: plain maps and lists of strings, finite numbers
 * other than -0, booleans and null, no holes or undefined members (`has` tells those apart from absent ones).
 */
function isJsonFaithful(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isJsonFaithful(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k of Object.keys(value)) if (!isJsonFaithful((value as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

let unique = 0;

/**
 * A key to share work by: the content key, or, for a value whose JSON would not tell it apart from another,
 * a key of its own that nothing else shares.
 */
export function sharingKey(value: object): string {
  return contentKey(value) ?? `unique:${++unique}`;
}
