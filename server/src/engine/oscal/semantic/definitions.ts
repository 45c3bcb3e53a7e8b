import type { JsonPath } from '../../documents/paths';
import { containerKey, forEachObject, isRecord } from './walk';

/** What kind of thing a list key holds: the target kinds of OSCAL's uuid and id references. */
export const KIND_OF_LIST: Record<string, string> = {
  parties: 'party',
  roles: 'role',
  locations: 'location',
  components: 'component',
  users: 'user',
  'inventory-items': 'inventory-item',
  resources: 'resource',
  tasks: 'task',
  activities: 'activity',
  observations: 'observation',
  risks: 'risk',
  findings: 'finding',
  remediations: 'response',
  'assessment-platforms': 'assessment-platform',
  'leveraged-authorizations': 'leveraged-authorization',
  'poam-items': 'poam-item',
  results: 'result',
  'implemented-requirements': 'implemented-requirement',
  'control-implementations': 'control-implementation',
  statements: 'statement',
  'by-components': 'by-component',
  'subject-placeholder': 'subject-placeholder',
  'information-types': 'information-type',
  protocols: 'protocol',
  capabilities: 'capability',
  'threat-ids': 'threat',
  'local-objectives': 'objective',
  'mitigating-factors': 'mitigating factor',
  'assessment-log': 'log-entry',
  entries: 'log-entry',
  props: 'property',
};

/**
 * Kinds that other fields point at: a duplicate uuid among them makes references ambiguous (an error);
 * elsewhere a duplicate is a copy-paste slip that no reference depends on (a warning).
 */
export const REFERENCEABLE = new Set([
  'party',
  'location',
  'component',
  'user',
  'inventory-item',
  'resource',
  'task',
  'activity',
  'observation',
  'risk',
  'finding',
  'response',
  'assessment-platform',
  'leveraged-authorization',
]);

export interface Definition {
  /** `uuid` value, or the `id` of a role. */
  key: string;
  kind: string;
  path: JsonPath;
  /** Human name: title, name or description, for hovers and completion. */
  name?: string;
  /** The document the definition lives in (undefined for the document itself). */
  uri?: string;
}

export interface DefinitionIndex {
  /** Every object carrying a `uuid`, in document order. */
  all: Definition[];
  byKey: Map<string, Definition[]>;
  roles: Map<string, Definition>;
}

export function nameOfObject(o: Record<string, unknown>): string | undefined {
  for (const k of ['title', 'name', 'short-name', 'description', 'id']) {
    const v = o[k];
    if (typeof v === 'string' && v.trim()) return v.length > 80 ? `${v.slice(0, 77)}...` : v;
  }
  return undefined;
}

export function kindAt(path: JsonPath): string {
  const key = containerKey(path) ?? '';
  return KIND_OF_LIST[key] ?? key;
}

/** Indexes the uuid-bearing objects and the roles of a model's content. */
export function indexDefinitions(content: unknown, rootPath: JsonPath, uri?: string): DefinitionIndex {
  const index: DefinitionIndex = { all: [], byKey: new Map(), roles: new Map() };
  forEachObject(content, rootPath, (o, path) => {
    const kind = kindAt(path);
    if (typeof o.uuid === 'string') {
      const d: Definition = { key: o.uuid, kind: path.length === rootPath.length ? 'document' : kind, path, name: nameOfObject(o), uri };
      index.all.push(d);
      const list = index.byKey.get(o.uuid);
      if (list) list.push(d);
      else index.byKey.set(o.uuid, [d]);
    }
    if (kind === 'role' && typeof o.id === 'string' && isRecord(o) && path[path.length - 2] === 'roles') {
      if (!index.roles.has(o.id)) index.roles.set(o.id, { key: o.id, kind: 'role', path, name: nameOfObject(o), uri });
    }
  });
  return index;
}

/** Adds another document's definitions (an imported SSP or AP) under its uri. */
export function mergeDefinitions(into: DefinitionIndex, from: DefinitionIndex): void {
  for (const d of from.all) {
    into.all.push(d);
    const list = into.byKey.get(d.key);
    if (list) list.push(d);
    else into.byKey.set(d.key, [d]);
  }
  for (const [k, d] of from.roles) if (!into.roles.has(k)) into.roles.set(k, d);
}
