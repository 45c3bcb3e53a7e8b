import { evaluatePodSecurity, podViewOf, parsePssVersion, type PssViolation } from '../../kubernetes/pss';
import { wildcardMatch } from './wildcard';
import { isObj, type Obj, type RuleStatus } from './types';
import type { JsonPath } from '../../documents/paths';

/**
 * `validate.podSecurity`: the Pod Security Standards at a level and version, minus the exclusions. An exclusion
 * names a control; with `images` it forgives that control for the containers running those images, without them it
 * forgives the pod-level fields; `restrictedField`/`values` narrow it to one field and its values.
 */
interface Exclusion {
  controlName: string;
  images: string[];
  restrictedField?: string;
  values?: string[];
}

function exclusionsOf(spec: Obj): Exclusion[] {
  const list = Array.isArray(spec.exclude) ? spec.exclude.filter(isObj) : [];
  return list.map((e) => ({
    controlName: String(e.controlName ?? ''),
    images: Array.isArray(e.images) ? e.images.map(String) : [],
    restrictedField: typeof e.restrictedField === 'string' ? e.restrictedField : undefined,
    values: Array.isArray(e.values) ? e.values.map(String) : undefined,
  }));
}

function imageOf(resource: Obj, container: string | undefined): string | undefined {
  if (container === undefined) return undefined;
  const pod = podViewOf(resource, parsePssVersion('latest'));
  const c = pod?.containers.find((x) => x.name === container);
  return c && typeof c.value.image === 'string' ? c.value.image : undefined;
}

function fieldMatches(pattern: string, field: string | undefined): boolean {
  if (!field) return false;
  const norm = (s: string): string => s.replace(/\[\*\]/g, '[*]').replace(/^spec\./, '');
  return wildcardMatch(norm(pattern), norm(field));
}

function excluded(v: PssViolation, exclusions: Exclusion[], resource: Obj): boolean {
  return exclusions.some((ex) => {
    if (ex.controlName !== v.controlName) return false;
    if (ex.images.length) {
      const image = imageOf(resource, v.container);
      if (!image || !ex.images.some((p) => wildcardMatch(p, image))) return false;
    } else if (v.container !== undefined && ex.restrictedField === undefined) {
      return false;
    }
    if (ex.restrictedField !== undefined) {
      if (!fieldMatches(ex.restrictedField, v.restrictedField)) return false;
      if (ex.values && v.values && !v.values.every((x) => ex.values!.includes(String(x)))) return false;
    }
    return true;
  });
}

export function evaluatePodSecurityRule(spec: unknown, resource: Obj, message: string): { status: RuleStatus; message: string; path?: JsonPath } {
  if (!isObj(spec)) return { status: 'error', message: 'podSecurity must be a map' };
  const level = spec.level;
  if (level === 'privileged') return { status: 'pass', message: 'privileged level allows everything' };
  if (level !== 'baseline' && level !== 'restricted') return { status: 'error', message: `unknown podSecurity level ${JSON.stringify(level)}` };
  const version = typeof spec.version === 'string' ? spec.version : 'latest';
  const violations = evaluatePodSecurity(resource, level, { version }).filter((v) => !excluded(v, exclusionsOf(spec), resource));
  if (violations.length === 0) return { status: 'pass', message: 'validation rule passed' };
  const names = [...new Set(violations.map((v) => v.controlName))].join(', ');
  return {
    status: 'fail',
    message: `${message ? `${message} ` : ''}Validation rule failed: Pod Security Standards ${level}:${version} violated: ${names}`,
    path: violations[0].path,
  };
}
