import { asRecord, describeContainer } from '../../podSpec';
import { containerField, containerPath, podSecurityContext, securityContextOf, show, specPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

export const VALID_SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

export const seccompProfileBaseline: PssCheck = {
  id: 'seccompprofile_baseline',
  psaId: 'seccompProfile_baseline',
  level: 'baseline',
  controlName: 'Seccomp',
  evaluate(pod) {
    const out: PssViolation[] = [];
    const base = { check: 'seccompprofile_baseline' as const, controlName: 'Seccomp' };
    const podProfile = asRecord(podSecurityContext(pod)?.seccompProfile);
    if (podProfile && !VALID_SECCOMP_TYPES.has(podProfile.type as string)) {
      out.push({
        ...base,
        path: specPath(pod, 'securityContext', 'seccompProfile', ...(podProfile.type === undefined ? [] : ['type'])),
        restrictedField: 'spec.securityContext.seccompProfile.type',
        values: [podProfile.type],
        message: `The pod sets seccomp profile type ${show(podProfile.type ?? '')}; use RuntimeDefault or Localhost.`,
      });
    }
    for (const c of pod.containers) {
      const profile = asRecord(securityContextOf(c)?.seccompProfile);
      if (!profile || VALID_SECCOMP_TYPES.has(profile.type as string)) continue;
      out.push({
        ...base,
        path: containerPath(pod, c, 'securityContext', 'seccompProfile', ...(profile.type === undefined ? [] : ['type'])),
        container: c.name,
        restrictedField: containerField(c, 'securityContext.seccompProfile.type'),
        values: [profile.type],
        message: `${describeContainer(c)} sets seccomp profile type ${show(profile.type ?? '')}; use RuntimeDefault or Localhost.`,
      });
    }
    return out;
  },
};
