import { imagesOf } from './images';
import { splitApiVersion } from './match';
import { evaluateJmesPath } from '../jmespath';
import { createSubstituter, substituteAll } from './variables';
import { isObj, type EvaluationOptions, type Obj } from './types';

/** The JSON context Kyverno evaluates variables against (pkg/engine/context). */

export class ClusterAccessError extends Error {
  override name = 'ClusterAccessError';
}

/**
 * Adds a value to the context under a dotted name. Maps merge into what is there (Kyverno merges variables into its
 * JSON context), so `request: {operation: UPDATE}` keeps `request.object`. Maps on the way are copied, never
 * changed: they may be the resource itself (`request.object`, `element`), which other rules and policies read too.
 */
export function setDotted(target: Obj, dotted: string, value: unknown, replace = false): void {
  const parts = dotted.split('.');
  let cur = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    cur[parts[i]] = isObj(next) ? { ...next } : {};
    cur = cur[parts[i]] as Obj;
  }
  const last = parts[parts.length - 1];
  cur[last] = !replace && isObj(cur[last]) && isObj(value) ? mergeObjects(cur[last] as Obj, value) : value;
}

function mergeObjects(base: Obj, patch: Obj, depth = 0): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = depth < 50 && isObj(out[k]) && isObj(v) ? mergeObjects(out[k] as Obj, v, depth + 1) : v;
  return out;
}

export function namespaceOf(resource: Obj): string {
  const meta = isObj(resource.metadata) ? resource.metadata : {};
  if (resource.kind === 'Namespace') return '';
  return typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
}

/** Kyverno derives these from a service account's username (`system:serviceaccount:<ns>:<name>`). */
function serviceAccountOf(username: string | undefined): { serviceAccountName: string; serviceAccountNamespace: string } {
  if (!username) return { serviceAccountName: '', serviceAccountNamespace: '' };
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return m ? { serviceAccountName: m[2], serviceAccountNamespace: m[1] } : { serviceAccountName: '', serviceAccountNamespace: '' };
}

/** The admission operation: a values file's `request.operation` wins, then the caller's, then CREATE as in the CLI. */
export function operationOf(options: EvaluationOptions): string {
  const v = options.values?.['request.operation'];
  return String(typeof v === 'string' && v ? v : (options.operation ?? 'CREATE')).toUpperCase();
}

/** `images` of each resource, parsed once for all the rules that read it (contexts never change it: setDotted copies). */
const imagesByResource = new WeakMap<Obj, ReturnType<typeof imagesOf>>();

function cachedImagesOf(resource: Obj): ReturnType<typeof imagesOf> {
  let images = imagesByResource.get(resource);
  if (!images) {
    images = imagesOf(resource);
    imagesByResource.set(resource, images);
  }
  return images;
}

/**
 * The admission request of a context, built once per resource and options object: every rule of every policy on
 * the resource reads the same one (and CEL keeps its conversion). Contexts never change it (setDotted copies), and a
 * cached one is used only while the options still hold the same values it was built from.
 */
interface CachedRequest {
  request: Obj;
  operation: string;
  username: unknown;
  groups: unknown;
  roles: unknown;
  clusterRoles: unknown;
}

const requests = new WeakMap<EvaluationOptions, WeakMap<Obj, CachedRequest>>();

function requestOf(resource: Obj, options: EvaluationOptions, operation: string): Obj {
  let byResource = requests.get(options);
  if (!byResource) {
    byResource = new WeakMap();
    requests.set(options, byResource);
  }
  const hit = byResource.get(resource);
  if (
    hit &&
    hit.operation === operation &&
    hit.username === options.username &&
    hit.groups === options.groups &&
    hit.roles === options.roles &&
    hit.clusterRoles === options.clusterRoles
  ) {
    return hit.request;
  }
  const request = buildRequest(resource, options, operation);
  byResource.set(resource, { request, operation, username: options.username, groups: options.groups, roles: options.roles, clusterRoles: options.clusterRoles });
  return request;
}

function buildRequest(resource: Obj, options: EvaluationOptions, operation: string): Obj {
  const meta = isObj(resource.metadata) ? resource.metadata : {};
  const { group, version } = splitApiVersion(resource.apiVersion);
  // as the CLI builds it: an update compares the resource with itself, a delete only has the old object
  return {
    operation,
    object: operation === 'DELETE' ? null : resource,
    oldObject: operation === 'UPDATE' || operation === 'DELETE' ? resource : null,
    userInfo: { username: options.username ?? '', groups: options.groups ?? [] },
    roles: options.roles ?? [],
    clusterRoles: options.clusterRoles ?? [],
    namespace: resource.kind === 'Namespace' ? '' : namespaceOf(resource),
    name: meta.name ?? '',
    kind: { group, version, kind: resource.kind ?? '' },
  };
}

export function baseContext(resource: Obj, options: EvaluationOptions): Obj {
  const ctx: Obj = {
    request: requestOf(resource, options, operationOf(options)),
    ...serviceAccountOf(options.username),
    images: cachedImagesOf(resource),
  };
  // request.object values are already in the resource (see withObjectValues); the others join the context
  if (options.values) for (const [k, v] of Object.entries(options.values)) if (!k.startsWith('request.object.')) setDotted(ctx, k, v);
  return ctx;
}

/** `request.object` / `request.oldObject` of a context, for CEL's `object` and `oldObject`. */
export function requestField(ctx: Obj, field: 'object' | 'oldObject'): unknown {
  return isObj(ctx.request) ? (ctx.request[field] ?? null) : null;
}

/** Loads a rule's `context` entries into `ctx`; entries that need a cluster throw ClusterAccessError. */
export function loadContextEntries(entries: unknown, ctx: Obj, provided: Record<string, unknown>): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    if (!isObj(entry) || typeof entry.name !== 'string') continue;
    const name = entry.name;
    // a value given for the entry, whole or for some of its fields (`dictionary.data.env`), stands in for it
    if (Object.prototype.hasOwnProperty.call(provided, name)) {
      setDotted(ctx, name, provided[name]);
      continue;
    }
    if (Object.keys(provided).some((k) => k.startsWith(`${name}.`))) {
      for (const [k, v] of Object.entries(provided)) if (k.startsWith(`${name}.`)) setDotted(ctx, k, v);
      continue;
    }
    if (isObj(entry.variable)) {
      const v = entry.variable;
      const sub = createSubstituter(ctx, 'conditions');
      let value: unknown = v.value !== undefined ? substituteAll(v.value, sub) : undefined;
      if (typeof v.jmesPath === 'string') {
        const path = substituteAll(v.jmesPath, createSubstituter(ctx, 'strict'));
        try {
          value = evaluateJmesPath(String(path), value !== undefined ? value : ctx, { unknownKeyIsError: true });
        } catch (e) {
          if (v.default === undefined) throw e;
          value = null;
        }
      }
      if ((value === null || value === undefined) && v.default !== undefined) value = substituteAll(v.default, sub);
      // a context entry replaces an earlier one of the same name
      setDotted(ctx, name, value ?? null, true);
      continue;
    }
    const source = ['configMap', 'apiCall', 'imageRegistry', 'globalReference'].find((k) => entry[k] !== undefined) ?? 'unknown';
    throw new ClusterAccessError(`context entry "${name}" (${source}) needs a live cluster; provide its value in a values file`);
  }
}
