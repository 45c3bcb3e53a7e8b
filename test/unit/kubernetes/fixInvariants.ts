import type { Finding } from '../../../server/src/engine/types';

/** Codes that read the same field, so fixing one may rightly clear the other. */
const SIBLINGS: string[][] = [
  ['pss.capabilities_baseline', 'pss.capabilities_restricted'],
  ['pss.seccompprofile_baseline', 'pss.seccompprofile_restricted'],
  ['pss.procmount', 'pss.procmount_restricted'],
  ['pss.hostpathvolumes', 'pss.restrictedvolumes'],
  ['pss.runasnonroot', 'pss.runasuser'],
];

function related(a: string, b: string): boolean {
  return a === b || SIBLINGS.some((g) => g.includes(a) && g.includes(b));
}

function key(f: Finding): string {
  return `${f.code}|${f.message}`;
}

/**
 * After fixing a finding of `code`: findings of unrelated codes are exactly as before (a fix that deletes
 * a container would clear them too), and nothing new appears.
 */
export function fixChangedOnlyItsOwn(code: string, before: Finding[], after: Finding[]): string | undefined {
  const count = (list: Finding[]) => {
    const m = new Map<string, number>();
    for (const f of list) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
    return m;
  };
  const b = count(before);
  const a = count(after);
  for (const [k, n] of a) if (n > (b.get(k) ?? 0)) return `new finding: ${k}`;
  for (const [k, n] of b) {
    const c = k.slice(0, k.indexOf('|'));
    if (!related(c, code) && (a.get(k) ?? 0) !== n) return `unrelated finding changed: ${k}`;
  }
  return undefined;
}
