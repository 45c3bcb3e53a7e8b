/**
 * Mutated OSCAL documents for measuring how many of the faults that the official schema finds the
 * built-in checks find too. Each mutation makes one change of one kind at one path of a real document.
 */
import type { JsonPath } from '../server/src/engine/documents/paths';
import { seededRandom } from '../test/support/random';

export type MutationKind = 'remove-field' | 'wrong-type' | 'bad-uuid' | 'unknown-field' | 'bad-date';
export const MUTATION_KINDS: MutationKind[] = ['remove-field', 'wrong-type', 'bad-uuid', 'unknown-field', 'bad-date'];

export interface Mutation {
  kind: MutationKind;
  path: JsonPath;
  value: unknown;
  description: string;
}

interface Site {
  path: JsonPath;
  value: unknown;
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

function sites(root: unknown): Site[] {
  const out: Site[] = [];
  const walk = (v: unknown, path: JsonPath): void => {
    if (Array.isArray(v)) v.forEach((x, i) => { out.push({ path: [...path, i], value: x, parent: v, key: i }); walk(x, [...path, i]); });
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push({ path: [...path, k], value: x, parent: v as Record<string, unknown>, key: k });
        walk(x, [...path, k]);
      }
    }
  };
  walk(root, []);
  return out;
}

const DATE_TIME = /^\d{4}-\d\d-\d\dT/;
const UUIDISH = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function at(root: unknown, path: JsonPath): { parent: Record<string, unknown> | unknown[]; key: string | number } {
  let v = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) v = v[step] as Record<string | number, unknown>;
  return { parent: v as Record<string, unknown>, key: path[path.length - 1] };
}

/** Applies a mutation to a copy of the document. */
export function applyMutation(doc: unknown, m: Mutation): unknown {
  const copy = clone(doc);
  const { parent, key } = at(copy, m.path);
  if (m.kind === 'remove-field') {
    delete (parent as Record<string, unknown>)[key as string];
  } else {
    (parent as Record<string | number, unknown>)[key] = m.value;
  }
  return copy;
}

/** Up to `perKind` mutations of each kind for one document. */
export function generateMutations(doc: unknown, perKind: number, seed: number): Mutation[] {
  const random = seededRandom(seed);
  const pick = <T>(list: T[]): T | undefined => (list.length ? list[Math.floor(random() * list.length)] : undefined);
  const all = sites(doc).filter((s) => s.path.length > 1);
  const keyed = all.filter((s) => typeof s.key === 'string');
  const out: Mutation[] = [];
  const seen = new Set<string>();
  const push = (m: Mutation | undefined): void => {
    if (!m) return;
    const k = `${m.kind}|${JSON.stringify(m.path)}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(m);
  };
  for (let i = 0; i < perKind * 3 && out.filter((m) => m.kind === 'remove-field').length < perKind; i++) {
    const s = pick(keyed);
    if (s) push({ kind: 'remove-field', path: s.path, value: undefined, description: `remove ${String(s.key)}` });
  }
  for (let i = 0; i < perKind * 3 && out.filter((m) => m.kind === 'wrong-type').length < perKind; i++) {
    const s = pick(all);
    if (!s) break;
    const v = s.value;
    const wrong = typeof v === 'string' ? 42 : typeof v === 'number' ? 'forty-two' : typeof v === 'boolean' ? 'yes' : Array.isArray(v) ? { item: v[0] ?? null } : 'text instead of an object';
    push({ kind: 'wrong-type', path: s.path, value: wrong, description: `wrong type at ${String(s.key)}` });
  }
  const uuids = keyed.filter((s) => typeof s.value === 'string' && UUIDISH.test(s.value as string) && /uuid/.test(String(s.key)));
  for (let i = 0; i < perKind * 3 && out.filter((m) => m.kind === 'bad-uuid').length < perKind; i++) {
    const s = pick(uuids);
    if (!s) break;
    const bad = pick(['not-a-uuid', (s.value as string).slice(0, -1), (s.value as string).replace(/-/g, ''), '12345678-1234-1234-1234-123456789abc', `{${String(s.value)}}`]);
    push({ kind: 'bad-uuid', path: s.path, value: bad, description: `bad uuid at ${String(s.key)}` });
  }
  const objects = [{ path: [] as JsonPath, value: doc }, ...all].filter((s) => s.value && typeof s.value === 'object' && !Array.isArray(s.value));
  for (let i = 0; i < perKind * 3 && out.filter((m) => m.kind === 'unknown-field').length < perKind; i++) {
    const s = pick(objects);
    if (!s) break;
    const name = pick(['x-extra', 'remark', 'Title', 'uuidd', 'last_modified', 'notes']) as string;
    push({ kind: 'unknown-field', path: [...s.path, name], value: 'unexpected', description: `unknown field ${name}` });
  }
  const dates = keyed.filter((s) => typeof s.value === 'string' && DATE_TIME.test(s.value as string));
  for (let i = 0; i < perKind * 3 && out.filter((m) => m.kind === 'bad-date').length < perKind; i++) {
    const s = pick(dates);
    if (!s) break;
    const v = s.value as string;
    const bad = pick(['yesterday', v.slice(0, 10), v.replace(/(Z|[+-]\d\d:\d\d)$/, ''), '2023-02-30T10:00:00Z', '2023-13-01T10:00:00Z', v.replace('T', ' '), '2023-06-01T25:00:00Z']);
    push({ kind: 'bad-date', path: s.path, value: bad, description: `bad date at ${String(s.key)}` });
  }
  return out;
}
