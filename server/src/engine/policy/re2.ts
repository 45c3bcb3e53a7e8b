import { RE2JS } from 're2js';

/**
 * Go regexp semantics through RE2JS, as Kyverno, Gatekeeper and the API server use them: linear time whatever a
 * policy's pattern. Compiled patterns are shared by every expression language, within a bounded cache.
 */
const cache = new Map<string, RE2JS>();
const MAX_CACHED = 500;

/** Compiles `pattern`; an invalid one throws the error `fail` makes of the reason, so each language reports it its own way. */
export function compileRe2(pattern: string, fail: (message: string) => Error): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw fail(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
    if (cache.size > MAX_CACHED) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}
