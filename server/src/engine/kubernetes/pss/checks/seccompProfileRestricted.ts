import { asRecord, describeContainer } from '../../podSpec';
import { containerField, containerPath, isWindowsPod, podSecurityContext, securityContextOf, show, specPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';
import { VALID_SECCOMP_TYPES } from './seccompProfileBaseline';

export const seccompProfileRestricted: PssCheck = {
  id: 'seccompprofile_restricted',
  psaId: 'seccompProfile_restricted',
  level: 'restricted',
  overrides: ['seccompprofile_baseline'],
  controlName: 'Seccomp',
  evaluate(pod) {
    if (pod.version >= 25 && isWindowsPod(pod)) return [];
    const out: PssViolation[] = [];
    const base = { check: 'seccompprofile_restricted' as const, controlName: 'Seccomp' };
    const podProfile = asRecord(podSecurityContext(pod)?.seccompProfile);
    let podSet = false;
    if (podProfile) {
      if (VALID_SECCOMP_TYPES.has(podProfile.type as string)) podSet = true;
      else {
        out.push({
          ...base,
          path: specPath(pod, 'securityContext', 'seccompProfile', ...(podProfile.type === undefined ? [] : ['type'])),
          restrictedField: 'spec.securityContext.seccompProfile.type',
          values: [podProfile.type],
          message: `The pod sets seccomp profile type ${show(podProfile.type ?? '')}; set seccompProfile.type: RuntimeDefault (or Localhost).`,
        });
      }
    }
    for (const c of pod.containers) {
      const profile = asRecord(securityContextOf(c)?.seccompProfile);
      if (profile) {
        if (VALID_SECCOMP_TYPES.has(profile.type as string)) continue;
        out.push({
          ...base,
          path: containerPath(pod, c, 'securityContext', 'seccompProfile', ...(profile.type === undefined ? [] : ['type'])),
          container: c.name,
          restrictedField: containerField(c, 'securityContext.seccompProfile.type'),
          values: [profile.type],
          message: `${describeContainer(c)} sets seccomp profile type ${show(profile.type ?? '')}; set seccompProfile.type: RuntimeDefault (or Localhost).`,
        });
      } else if (!podSet) {
        out.push({
          ...base,
          path: containerPath(pod, c),
          missing: true,
          container: c.name,
          restrictedField: containerField(c, 'securityContext.seccompProfile.type'),
          values: [undefined],
          message: `${describeContainer(c)} runs without a seccomp profile: neither it nor the pod sets one; set seccompProfile.type: RuntimeDefault on the pod or the container.`,
        });
      }
    }
    return out;
  },
};
