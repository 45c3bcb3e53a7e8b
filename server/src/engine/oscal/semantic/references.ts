import type { JsonPath } from '../../documents/paths';
import type { OscalIssue } from '../issues';
import { UUID_RE } from '../formats';
import { REFERENCEABLE, type DefinitionIndex } from './definitions';
import { forEachObject } from './walk';

/** Fields whose value is the uuid (or, for roles, the id) of another object, and the kinds they accept. */
export const REFERENCE_FIELDS: Record<string, string[]> = {
  'party-uuid': ['party'],
  'party-uuids': ['party'],
  'role-id': ['role'],
  'role-ids': ['role'],
  'location-uuid': ['location'],
  'location-uuids': ['location'],
  'component-uuid': ['component'],
  'user-uuid': ['user'],
  'inventory-item-uuid': ['inventory-item'],
  'task-uuid': ['task'],
  'activity-uuid': ['activity'],
  'observation-uuid': ['observation'],
  'risk-uuid': ['risk'],
  'finding-uuid': ['finding'],
  'response-uuid': ['response'],
};

/** `subject-uuid` and `actor-uuid` take their target kind from the `type` beside them. */
const TYPED_REFERENCE_FIELDS: Record<string, Record<string, string[]>> = {
  'subject-uuid': {
    component: ['component'],
    'inventory-item': ['inventory-item'],
    location: ['location'],
    party: ['party'],
    user: ['user'],
    resource: ['resource'],
  },
  'actor-uuid': { tool: ['component'], 'assessment-platform': ['assessment-platform'], party: ['party'] },
};

export interface ReferenceSite {
  path: JsonPath;
  value: string;
  kinds: string[];
  /** A `#uuid` href: any uuid-bearing object of the document (usually a back-matter resource). */
  fragment?: boolean;
}

/** Every uuid or role reference in the content, with the kinds it may point to. */
export function findReferences(content: unknown, rootPath: JsonPath): ReferenceSite[] {
  const out: ReferenceSite[] = [];
  forEachObject(content, rootPath, (o, path) => {
    for (const [field, value] of Object.entries(o)) {
      let kinds: string[] | undefined = REFERENCE_FIELDS[field];
      const typed = TYPED_REFERENCE_FIELDS[field];
      if (typed) kinds = typeof o.type === 'string' ? typed[o.type] : undefined;
      if (kinds) {
        if (typeof value === 'string') out.push({ path: [...path, field], value, kinds });
        else if (Array.isArray(value)) {
          value.forEach((v, i) => {
            if (typeof v === 'string') out.push({ path: [...path, field, i], value: v, kinds: kinds as string[] });
          });
        }
      } else if ((field === 'href' || field === 'source') && typeof value === 'string' && value.startsWith('#')) {
        const frag = value.slice(1);
        if (UUID_RE.test(frag)) out.push({ path: [...path, field], value: frag, kinds: ['resource'], fragment: true });
      }
    }
  });
  return out;
}

export interface ReferenceOptions {
  /**
   * Kinds whose definitions may live in a document that could not be read (an imported SSP or AP):
   * references to them that do not resolve are not reported, since they may well be right.
   */
  unknowableKinds: Set<string>;
  /**
   * Component definitions name the roles of the systems that will use them (`provider`, `customer`), which
   * those systems define: an undefined role there is a warning, elsewhere an error.
   */
  undefinedRoleSeverity: 'error' | 'warning';
}

/** Unresolved references (`oscal.unresolved-reference`). */
export function checkReferences(index: DefinitionIndex, refs: ReferenceSite[], options: ReferenceOptions): OscalIssue[] {
  const issues: OscalIssue[] = [];
  for (const ref of refs) {
    if (ref.kinds.includes('role')) {
      if (!index.roles.has(ref.value) && !options.unknowableKinds.has('role')) {
        issues.push({
          code: 'oscal.unresolved-reference',
          severity: options.undefinedRoleSeverity,
          path: ref.path,
          part: 'value',
          message: `No role with id \`${ref.value}\` is defined in \`metadata.roles\``,
        });
      }
      continue;
    }
    const defs = index.byKey.get(ref.value) ?? [];
    if (ref.fragment) {
      if (defs.length === 0) {
        issues.push({
          code: 'oscal.unresolved-reference',
          severity: 'error',
          path: ref.path,
          part: 'value',
          message: `\`#${ref.value}\` points to nothing: no back-matter resource (or other object) has this uuid`,
        });
      }
      continue;
    }
    if (defs.some((d) => ref.kinds.includes(d.kind))) continue;
    if (ref.kinds.some((k) => options.unknowableKinds.has(k))) continue;
    const what = ref.kinds.join(' or ');
    const other = defs[0];
    issues.push({
      code: 'oscal.unresolved-reference',
      // A uuid of the wrong kind of object still names something real: likely a slip, but not a dangling link.
      severity: other ? 'warning' : 'error',
      path: ref.path,
      part: 'value',
      message: other
        ? `\`${ref.value}\` is the uuid of ${article(other.kind)}, not of ${article(what)}`
        : `No ${what} with uuid \`${ref.value}\` is defined${UUID_RE.test(ref.value) ? '' : ' (and it is not a valid uuid)'}`,
    });
  }
  return issues;
}

/** Duplicate uuids (`oscal.duplicate-uuid`): each later copy is reported, with a fresh-uuid fix. */
export function checkDuplicateUuids(index: DefinitionIndex, refs: ReferenceSite[] = []): OscalIssue[] {
  const issues: OscalIssue[] = [];
  const wanted = new Map<string, Set<string>>();
  for (const r of refs) {
    const set = wanted.get(r.value) ?? new Set<string>();
    r.kinds.forEach((k) => set.add(k));
    wanted.set(r.value, set);
  }
  for (const [key, defs] of index.byKey) {
    const local = defs.filter((d) => d.uri === undefined);
    if (local.length < 2) continue;
    // The copy that references point at keeps the uuid; the others are reported (and get fresh ones).
    const kinds = wanted.get(key);
    const first = local.find((d) => kinds?.has(d.kind)) ?? local[0];
    for (const d of local.filter((x) => x !== first)) {
      const referenceable = REFERENCEABLE.has(d.kind) || REFERENCEABLE.has(first.kind);
      issues.push({
        code: 'oscal.duplicate-uuid',
        severity: referenceable ? 'error' : 'warning',
        path: [...d.path, 'uuid'],
        part: 'value',
        message: `uuid \`${key}\` is already used by the ${first.kind}${first.name ? ` "${first.name}"` : ''}${referenceable ? '; references to it are ambiguous' : ''}`,
        fixes: [{ kind: 'fresh-uuid', title: 'Give this object a fresh uuid' }],
      });
    }
  }
  return issues;
}

function article(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}
