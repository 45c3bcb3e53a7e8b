import { asRecord, describeContainer } from '../../podSpec';
import { containerField, containerPath, podSecurityContext, securityContextOf, show, specPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotation(value: unknown): boolean {
  return value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

export const appArmorProfile: PssCheck = {
  id: 'apparmorprofile',
  psaId: 'appArmorProfile',
  level: 'baseline',
  controlName: 'AppArmor',
  evaluate(pod) {
    const out: PssViolation[] = [];
    const base = { check: 'apparmorprofile' as const, controlName: 'AppArmor' };
    const podProfile = asRecord(podSecurityContext(pod)?.appArmorProfile);
    if (podProfile && !ALLOWED_TYPES.has(podProfile.type as string)) {
      out.push({
        ...base,
        path: specPath(pod, 'securityContext', 'appArmorProfile', ...(podProfile.type === undefined ? [] : ['type'])),
        restrictedField: 'spec.securityContext.appArmorProfile.type',
        values: [podProfile.type],
        message: `The pod sets AppArmor profile type ${show(podProfile.type ?? '')}; use RuntimeDefault or Localhost.`,
      });
    }
    for (const c of pod.containers) {
      const profile = asRecord(securityContextOf(c)?.appArmorProfile);
      if (!profile || ALLOWED_TYPES.has(profile.type as string)) continue;
      out.push({
        ...base,
        path: containerPath(pod, c, 'securityContext', 'appArmorProfile', ...(profile.type === undefined ? [] : ['type'])),
        container: c.name,
        restrictedField: containerField(c, 'securityContext.appArmorProfile.type'),
        values: [profile.type],
        message: `${describeContainer(c)} sets AppArmor profile type ${show(profile.type ?? '')}; use RuntimeDefault or Localhost.`,
      });
    }
    const annotations = asRecord(pod.metadata.annotations) ?? {};
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || allowedAnnotation(value)) continue;
      const container = key.slice(APPARMOR_ANNOTATION_PREFIX.length);
      out.push({
        ...base,
        path: [...pod.metadataPath, 'annotations', key],
        container,
        restrictedField: `metadata.annotations["${key}"]`,
        values: [value],
        message: `The AppArmor annotation for container "${container}" is ${show(value)}; use runtime/default or localhost/<profile>.`,
      });
    }
    return out;
  },
};
