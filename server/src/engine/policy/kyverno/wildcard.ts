/**
 * Kyverno's wildcard matching (ext/wildcard): `*` matches any run of characters, `?` exactly one; everything else is
 * literal. Implemented iteratively with backtracking on the last star only, so it stays linear in practice and never
 * builds a regular expression from policy text.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  if (pattern === '*') return true;
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
