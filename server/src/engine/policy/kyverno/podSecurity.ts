import { evaluatePodSecurity, podViewOf, parsePssVersion, type PssLevel, type PssViolation } from '../../kubernetes/pss';
import { wildcardMatch } from './wildcard';
import { isObj, type Obj, type RuleStatus } from './types';
import type { JsonPath } from '../../documents/paths';

/**
 * `validate.podSecurity` (pkg/pss): the Pod Security Standards at a level and version, minus the exclusions.
 * Kyverno evaluates each exclusion on a pod cut down to what it names — the pod-level fields with one bare
 * container when it lists no images, only the containers running matching images otherwise — and every field error
 * that evaluation raises for the control (narrowed by restrictedField and values) cancels one matching field error
 * of the full evaluation. A check passes when none of its field errors is left.
 */

interface Exclusion {
  controlName: string;
  images: string[];
  restrictedField?: string;
  values: string[];
}

/** One field error as the Pod Security Admission reports it: a check, a field, a container, the bad values. */
interface FieldError {
  check: string;
  controlName: string;
  field: string;
  container?: string;
  containerLevel: boolean;
  badValues: string[];
  path: JsonPath;
}

function exclusionsOf(spec: Obj): Exclusion[] {
  const list = Array.isArray(spec.exclude) ? spec.exclude.filter(isObj) : [];
  return list.map((e) => ({
    controlName: String(e.controlName ?? ''),
    images: Array.isArray(e.images) ? e.images.map(String) : [],
    restrictedField: typeof e.restrictedField === 'string' && e.restrictedField ? e.restrictedField : undefined,
    values: Array.isArray(e.values) ? e.values.map(String) : [],
  }));
}

function badValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return undefined;
}

/** The admission reports one error per container and field (values together), the checker one per value. */
function fieldErrors(violations: PssViolation[]): FieldError[] {
  const byKey = new Map<string, FieldError>();
  for (const v of violations) {
    const field = v.restrictedField ?? v.path.map((p) => (typeof p === 'number' ? '[*]' : `.${p}`)).join('').slice(1);
    const containerLevel = /^spec\.(containers|initContainers|ephemeralContainers)\[/.test(field);
    const where = containerLevel ? `c:${v.container ?? ''}` : `p:${JSON.stringify(v.path.slice(0, 3))}`;
    const key = `${v.check}\u0000${field}\u0000${where}`;
    let e = byKey.get(key);
    if (!e) {
      e = { check: v.check, controlName: v.controlName, field, container: v.container, containerLevel, badValues: [], path: v.path };
      byKey.set(key, e);
    }
    for (const x of v.values ?? []) {
      const b = badValue(x);
      if (b !== undefined) e.badValues.push(b);
    }
  }
  return [...byKey.values()];
}

function podOf(resource: Obj): Obj | undefined {
  const view = podViewOf(resource, parsePssVersion('latest'));
  if (!view) return undefined;
  return { apiVersion: 'v1', kind: 'Pod', metadata: view.metadata, spec: view.spec };
}

/**
 * The pod of a resource and the field errors of its evaluations, kept per resource: every podSecurity rule of every
 * policy evaluates the same pod (or the same cut of it, for an exclusion) at one of a few levels and versions.
 * The lists are shared, so they are only read (applyExclusion works on a copy).
 */
interface PodEvaluations {
  pod: Obj | undefined;
  errors: Map<string, FieldError[]>;
}

const evaluations = new WeakMap<Obj, PodEvaluations>();

function evaluationsOf(resource: Obj): PodEvaluations {
  let e = evaluations.get(resource);
  if (!e) {
    e = { pod: podOf(resource), errors: new Map() };
    evaluations.set(resource, e);
  }
  return e;
}

/** The field errors of the pod, or of its cut for an exclusion's images (`exclusion`), at a level and version. */
function evaluate(cached: PodEvaluations, level: PssLevel, version: string, exclusion?: Exclusion): FieldError[] {
  const key = `${level}\u0000${version}\u0000${exclusion ? `x${exclusion.images.join('\u0000')}` : 'pod'}`;
  let errors = cached.errors.get(key);
  if (!errors) {
    const pod = exclusion ? excludedPod(cached.pod!, exclusion) : cached.pod!;
    errors = fieldErrors(evaluatePodSecurity(pod, level, { version }));
    cached.errors.set(key, errors);
  }
  return errors;
}

/** GetPodWithMatchingContainers: the pod-level view (one bare container) or the matching containers alone. */
function excludedPod(pod: Obj, ex: Exclusion): Obj {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  if (ex.images.length === 0) {
    const podSpec: Obj = { ...spec, containers: [{ name: 'fake' }] };
    delete podSpec.initContainers;
    delete podSpec.ephemeralContainers;
    return { ...pod, spec: podSpec };
  }
  const matching: Obj = {};
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = Array.isArray(spec[field]) ? (spec[field] as unknown[]).filter(isObj) : [];
    const hits = list.filter((c) => typeof c.image === 'string' && ex.images.some((p) => wildcardMatch(p, c.image as string)));
    if (hits.length) matching[field] = hits;
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: meta.name, namespace: meta.namespace }, spec: matching };
}

function applyExclusion(remaining: FieldError[], cached: PodEvaluations, ex: Exclusion, level: PssLevel, version: string): FieldError[] {
  const containerLevelExclusion = ex.images.length > 0;
  const out = [...remaining];
  for (const e of evaluate(cached, level, version, ex)) {
    if (e.controlName !== ex.controlName) continue;
    if (ex.restrictedField !== undefined && ex.restrictedField !== e.field) continue;
    if (ex.values.length && !e.badValues.every((b) => ex.values.some((p) => wildcardMatch(p, b)))) continue;
    const i = out.findIndex(
      (d) => d.check === e.check && d.field === e.field && (!(containerLevelExclusion && d.containerLevel) || d.container === e.container),
    );
    if (i >= 0) out.splice(i, 1);
  }
  return out;
}

export function evaluatePodSecurityRule(spec: unknown, resource: Obj, message: string): { status: RuleStatus; message: string; path?: JsonPath } {
  if (!isObj(spec)) return { status: 'error', message: 'podSecurity must be a map' };
  const level = spec.level;
  if (level === 'privileged') return { status: 'pass', message: 'privileged level allows everything' };
  if (level !== 'baseline' && level !== 'restricted') return { status: 'error', message: `unknown podSecurity level ${JSON.stringify(level)}` };
  const version = typeof spec.version === 'string' && spec.version ? spec.version : 'latest';
  const cached = evaluationsOf(resource);
  if (!cached.pod) return { status: 'pass', message: 'the resource runs no pods' };
  let remaining = evaluate(cached, level, version);
  for (const ex of exclusionsOf(spec)) remaining = applyExclusion(remaining, cached, ex, level, version);
  if (remaining.length === 0) return { status: 'pass', message: 'validation rule passed' };
  const names = [...new Set(remaining.map((v) => v.controlName))].join(', ');
  const view = podViewOf(resource, parsePssVersion('latest'));
  // violations were found on the extracted pod: map the first back into the resource
  const first = remaining[0].path;
  const path = view && first[0] === 'spec' ? [...view.specPath, ...first.slice(1)] : view && first[0] === 'metadata' ? [...view.metadataPath, ...first.slice(1)] : first;
  return {
    status: 'fail',
    message: `${message ? `${message} ` : ''}Validation rule failed: Pod Security Standards ${level}:${version} violated: ${names}`,
    path,
  };
}
