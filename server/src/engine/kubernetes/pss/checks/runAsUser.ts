import { describeContainer } from '../../podSpec';
import { containerField, containerPath, podSecurityContext, securityContextOf, specPath, usesUserNamespace } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

export const runAsUser: PssCheck = {
  id: 'runasuser',
  psaId: 'runAsUser',
  level: 'restricted',
  controlName: 'Running as Non-root user',
  since: 23,
  evaluate(pod) {
    if (pod.version >= 35 && usesUserNamespace(pod)) return [];
    const out: PssViolation[] = [];
    const base = { check: 'runasuser' as const, controlName: 'Running as Non-root user', values: [0] };
    if (podSecurityContext(pod)?.runAsUser === 0) {
      out.push({
        ...base,
        path: specPath(pod, 'securityContext', 'runAsUser'),
        restrictedField: 'spec.securityContext.runAsUser',
        message: 'The pod sets runAsUser: 0 (root); use a non-zero user id.',
      });
    }
    for (const c of pod.containers) {
      if (securityContextOf(c)?.runAsUser !== 0) continue;
      out.push({
        ...base,
        path: containerPath(pod, c, 'securityContext', 'runAsUser'),
        container: c.name,
        restrictedField: containerField(c, 'securityContext.runAsUser'),
        message: `${describeContainer(c)} sets runAsUser: 0 (root); use a non-zero user id.`,
      });
    }
    return out;
  },
};
