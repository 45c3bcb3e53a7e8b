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

function metadataOf(resource: Obj): Obj {
  return isObj(resource.metadata) ? resource.metadata : {};
}

/** One `resources:` description against the resource; every field present must match. */
export function resourceDescriptionMatches(desc: Obj, resource: Obj, info: AdmissionInfo): boolean {
  const meta = metadataOf(resource);
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  const kinds = strings(desc.kinds);
  if (kinds.length && !kinds.some((k) => kindMatches(k, resource))) return false;
  if (typeof desc.name === 'string' && desc.name && !wildcardMatch(desc.name, name)) return false;
  const names = strings(desc.names);
  if (names.length && !names.some((n) => wildcardMatch(n, name))) return false;
  const namespaces = strings(desc.namespaces);
  if (namespaces.length) {
    // a Namespace object is matched on its own name
    const ns = resource.kind === 'Namespace' ? name : namespace;
    if (!namespaces.some((n) => wildcardMatch(n, ns))) return false;
  }
  if (isObj(desc.annotations)) {
    const ann = isObj(meta.annotations) ? meta.annotations : {};
    for (const [k, v] of Object.entries(desc.annotations)) {
      const hit = Object.entries(ann).some(([ak, av]) => wildcardMatch(k, ak) && typeof av === 'string' && wildcardMatch(String(v), av));
      if (!hit) return false;
    }
  }
  if (desc.selector !== undefined && desc.selector !== null) {
    const labels = isObj(meta.labels) ? meta.labels : {};
    if (!labelSelectorMatches(desc.selector, labels)) return false;
  }
  if (desc.namespaceSelector !== undefined && desc.namespaceSelector !== null) {
    const ns = resource.kind === 'Namespace' ? name : namespace;
    // a namespace whose labels nobody gave has none, as in the CLI
    const labels = resource.kind === 'Namespace' ? (isObj(meta.labels) ? meta.labels : {}) : (info.namespaceLabels[ns] ?? {});
    if (!labelSelectorMatches(desc.namespaceSelector, labels)) return false;
  }
  const ops = strings(desc.operations);
  if (ops.length && !ops.includes(info.operation)) return false;
  return true;
}

function userInfoMatches(filter: Obj, info: AdmissionInfo): boolean {
  const roles = strings(filter.roles);
  if (roles.length && !roles.some((r) => info.roles.includes(r))) return false;
  const clusterRoles = strings(filter.clusterRoles);
  if (clusterRoles.length && !clusterRoles.some((r) => info.clusterRoles.includes(r))) return false;
  const subjects = Array.isArray(filter.subjects) ? filter.subjects.filter(isObj) : [];
  if (subjects.length) {
    const hit = subjects.some((s) =>
      s.kind === 'User' ? s.name === info.username : s.kind === 'Group' ? (info.groups ?? []).includes(String(s.name)) : s.kind === 'ServiceAccount' ? info.username === `system:serviceaccount:${String(s.namespace)}:${String(s.name)}` : false,
    );
    if (!hit) return false;
  }
  return true;
}

/** A resource filter: `{resources, roles, clusterRoles, subjects}`. */
function filterMatches(filter: Obj, resource: Obj, info: AdmissionInfo): boolean {
  const desc = isObj(filter.resources) ? filter.resources : {};
  return resourceDescriptionMatches(desc, resource, info) && userInfoMatches(filter, info);
}

/** A `match`/`exclude` block: `any`, `all`, or the legacy single filter. Undefined block → no constraint. */
export function blockMatches(block: unknown, resource: Obj, info: AdmissionInfo, emptyMeans: boolean): boolean {
  if (!isObj(block)) return emptyMeans;
  const any = Array.isArray(block.any) ? block.any.filter(isObj) : [];
  const all = Array.isArray(block.all) ? block.all.filter(isObj) : [];
  if (any.length) return any.some((f) => filterMatches(f, resource, info));
  if (all.length) return all.every((f) => filterMatches(f, resource, info));
  if (isObj(block.resources) || block.roles || block.clusterRoles || block.subjects) return filterMatches(block, resource, info);
  return emptyMeans;
}

export function ruleMatches(rule: Obj, resource: Obj, info: AdmissionInfo): { matched: boolean; reason?: string } {
  if (!blockMatches(rule.match, resource, info, false)) return { matched: false, reason: 'rule does not match the resource' };
  if (rule.exclude !== undefined && blockMatches(rule.exclude, resource, info, false)) {
    return { matched: false, reason: 'resource is excluded by the rule' };
  }
  return { matched: true };
}
