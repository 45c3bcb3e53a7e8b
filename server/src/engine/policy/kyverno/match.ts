import { wildcardMatch } from './wildcard';

/** Rule match/exclude (pkg/engine/utils/match.go): resource filters combined with any/all, plus user info. */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export interface AdmissionInfo {
  operation: string;
  roles: string[];
  clusterRoles: string[];
  username?: string;
  groups?: string[];
  /** Labels of namespaces, by name, for namespaceSelector. */
  namespaceLabels: Record<string, Record<string, string>>;
}

export function splitApiVersion(apiVersion: unknown): { group: string; version: string } {
  const av = typeof apiVersion === 'string' ? apiVersion : '';
  const i = av.lastIndexOf('/');
  return i < 0 ? { group: '', version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
}

/** A kind selector taken apart: `never` for `Kind/subresource` and other shapes no plain object has. */
interface KindSelector {
  never: boolean;
  group: string;
  version: string;
  kind: string;
}

/** Selectors come from policies, a few hundred distinct ones; each is parsed once. */
const kindSelectors = new Map<string, KindSelector>();

function parseKindSelector(selector: string): KindSelector {
  const parts = selector.split('/');
  const never = { never: true, group: '', version: '', kind: '' };
  if (parts.length === 1) return { never: false, group: '*', version: '*', kind: parts[0] };
  if (parts.length === 2) {
    // `Kind/subresource` has a capitalised first part; `version/Kind` a capitalised second
    if (/^[A-Z*]/.test(parts[0]) && !/^[A-Z*]/.test(parts[1])) return never;
    return { never: false, group: '*', version: parts[0], kind: parts[1] };
  }
  if (parts.length === 3 && !/^[A-Z]/.test(parts[1])) return { never: false, group: parts[0], version: parts[1], kind: parts[2] };
  return never;
}

/**
 * A kind selector: `Kind`, `version/Kind`, `group/version/Kind`, wildcards in any part, and `Kind/subresource`
 * (which never matches a plain object).
 */
export function kindMatches(selector: string, resource: Obj): boolean {
  if (selector === '*') return true;
  let parsed = kindSelectors.get(selector);
  if (!parsed) {
    parsed = parseKindSelector(selector);
    if (kindSelectors.size < 10_000) kindSelectors.set(selector, parsed);
  }
  if (parsed.never) return false;
  const kind = typeof resource.kind === 'string' ? resource.kind : '';
  if (!wildcardMatch(parsed.kind, kind)) return false;
  const { group, version } = splitApiVersion(resource.apiVersion);
  return wildcardMatch(parsed.group, group) && wildcardMatch(parsed.version, version);
}

export function labelSelectorMatches(selector: unknown, labels: Record<string, unknown>): boolean {
  if (!isObj(selector)) return false;
  const ml = isObj(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) {
    const actual = labels[k];
    if (typeof actual !== 'string') return false;
    // Kyverno allows wildcards in label selector values
    if (!(typeof v === 'string' && (actual === v || wildcardMatch(v, actual)))) return false;
  }
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isObj(e)) return false;
    const key = String(e.key);
    const values = strings(e.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const val = labels[key];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(String(val))) return false;
        break;
      case 'NotIn':
        if (has && values.includes(String(val))) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const EMPTY: Obj = Object.freeze({}) as Obj;

function metadataOf(resource: Obj): Obj {
  return isObj(resource.metadata) ? resource.metadata : EMPTY;
}

/**
 * Whether a selector list written in a policy (strings; anything else is passed over) allows the value: an absent or
 * empty list allows everything. Matching runs for every rule of every policy on every resource, so it reads the
 * policy as it is rather than copying lists out of it.
 */
function listAllows(list: unknown, allows: (item: string) => boolean): boolean {
  if (!Array.isArray(list)) return true;
  let any = false;
  for (const item of list) {
    if (typeof item !== 'string') continue;
    if (allows(item)) return true;
    any = true;
  }
  return !any;
}

/** One `resources:` description against the resource; every field present must match. */
export function resourceDescriptionMatches(desc: Obj, resource: Obj, info: AdmissionInfo): boolean {
  const meta = metadataOf(resource);
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (!listAllows(desc.kinds, (k) => kindMatches(k, resource))) return false;
  if (typeof desc.name === 'string' && desc.name && !wildcardMatch(desc.name, name)) return false;
  if (!listAllows(desc.names, (n) => wildcardMatch(n, name))) return false;
  // a Namespace object is matched on its own name
  const ns = resource.kind === 'Namespace' ? name : namespace;
  if (!listAllows(desc.namespaces, (n) => wildcardMatch(n, ns))) return false;
  if (isObj(desc.annotations)) {
    const ann = isObj(meta.annotations) ? meta.annotations : EMPTY;
    for (const [k, v] of Object.entries(desc.annotations)) {
      const hit = Object.entries(ann).some(([ak, av]) => wildcardMatch(k, ak) && typeof av === 'string' && wildcardMatch(String(v), av));
      if (!hit) return false;
    }
  }
  if (desc.selector !== undefined && desc.selector !== null) {
    const labels = isObj(meta.labels) ? meta.labels : EMPTY;
    if (!labelSelectorMatches(desc.selector, labels)) return false;
  }
  if (desc.namespaceSelector !== undefined && desc.namespaceSelector !== null) {
    // a namespace whose labels nobody gave has none, as in the CLI
    const labels = resource.kind === 'Namespace' ? (isObj(meta.labels) ? meta.labels : EMPTY) : (info.namespaceLabels[ns] ?? EMPTY);
    if (!labelSelectorMatches(desc.namespaceSelector, labels)) return false;
  }
  if (!listAllows(desc.operations, (op) => op === info.operation)) return false;
  return true;
}

function userInfoMatches(filter: Obj, info: AdmissionInfo): boolean {
  if (filter.roles !== undefined && !listAllows(filter.roles, (r) => info.roles.includes(r))) return false;
  if (filter.clusterRoles !== undefined && !listAllows(filter.clusterRoles, (r) => info.clusterRoles.includes(r))) return false;
  if (Array.isArray(filter.subjects)) {
    const subjects = filter.subjects.filter(isObj);
    if (!subjects.length) return true;
    const hit = subjects.some((s) =>
      s.kind === 'User' ? s.name === info.username : s.kind === 'Group' ? (info.groups ?? []).includes(String(s.name)) : s.kind === 'ServiceAccount' ? info.username === `system:serviceaccount:${String(s.namespace)}:${String(s.name)}` : false,
    );
    if (!hit) return false;
  }
  return true;
}

/** A resource filter: `{resources, roles, clusterRoles, subjects}`. */
function filterMatches(filter: Obj, resource: Obj, info: AdmissionInfo): boolean {
  const desc = isObj(filter.resources) ? filter.resources : EMPTY;
  return resourceDescriptionMatches(desc, resource, info) && userInfoMatches(filter, info);
}

/** Whether the list holds a map (the filters of `any` and `all`; other entries are passed over). */
function hasMap(list: unknown): list is unknown[] {
  return Array.isArray(list) && list.some(isObj);
}

/** A `match`/`exclude` block: `any`, `all`, or the legacy single filter. Undefined block → no constraint. */
export function blockMatches(block: unknown, resource: Obj, info: AdmissionInfo, emptyMeans: boolean): boolean {
  if (!isObj(block)) return emptyMeans;
  if (hasMap(block.any)) return block.any.some((f) => isObj(f) && filterMatches(f, resource, info));
  if (hasMap(block.all)) return block.all.every((f) => !isObj(f) || filterMatches(f, resource, info));
  if (isObj(block.resources) || block.roles || block.clusterRoles || block.subjects) return filterMatches(block, resource, info);
  return emptyMeans;
}

const MATCHED = Object.freeze({ matched: true as const });
const NOT_MATCHED = Object.freeze({ matched: false as const, reason: 'rule does not match the resource' });
const EXCLUDED = Object.freeze({ matched: false as const, reason: 'resource is excluded by the rule' });

export function ruleMatches(rule: Obj, resource: Obj, info: AdmissionInfo): { readonly matched: boolean; readonly reason?: string } {
  if (!blockMatches(rule.match, resource, info, false)) return NOT_MATCHED;
  if (rule.exclude !== undefined && blockMatches(rule.exclude, resource, info, false)) return EXCLUDED;
  return MATCHED;
}
