/** Kyverno anchors on pattern keys (pkg/engine/anchor): `(k)`, `=(k)`, `^(k)`, `X(k)`, `<(k)`, `+(k)`. */
export type AnchorKind = 'condition' | 'equality' | 'existence' | 'negation' | 'global' | 'addIfNotPresent';

export interface Anchor {
  kind: AnchorKind;
  key: string;
}

const ANCHOR = /^([+<=X^])?\((.+)\)$/;
const KINDS: Record<string, AnchorKind> = { '': 'condition', '=': 'equality', '^': 'existence', X: 'negation', '<': 'global', '+': 'addIfNotPresent' };

/** Keys come from policies and recur for every resource: each is parsed once (the answers are shared, read-only). */
const parsed = new Map<string, Anchor | null>();

export function parseAnchor(key: string): Anchor | undefined {
  let anchor = parsed.get(key);
  if (anchor === undefined) {
    const m = ANCHOR.exec(key);
    anchor = m ? Object.freeze({ kind: KINDS[m[1] ?? ''], key: m[2] }) : null;
    if (parsed.size >= 20_000) parsed.clear();
    parsed.set(key, anchor);
  }
  return anchor ?? undefined;
}

/** True when a pattern (sub)tree holds any anchor key. */
export function hasNestedAnchor(pattern: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (Array.isArray(pattern)) return pattern.some((p) => hasNestedAnchor(p, depth + 1));
  if (pattern && typeof pattern === 'object') {
    for (const [k, v] of Object.entries(pattern)) {
      if (parseAnchor(k)) return true;
      if (hasNestedAnchor(v, depth + 1)) return true;
    }
  }
  return false;
}
