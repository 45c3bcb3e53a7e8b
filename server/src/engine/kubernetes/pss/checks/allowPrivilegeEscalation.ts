import { describeContainer } from '../../podSpec';
import { containerField, containerPath, isWindowsPod, securityContextOf } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowprivilegeescalation',
  psaId: 'allowPrivilegeEscalation',
  level: 'restricted',
  controlName: 'Privilege Escalation',
  evaluate(pod) {
    if (pod.version >= 25 && isWindowsPod(pod)) return [];
    const out: PssViolation[] = [];
    for (const c of pod.containers) {
      const sc = securityContextOf(c);
      const value = sc?.allowPrivilegeEscalation;
      if (value === false) continue;
      const present = sc !== undefined && value !== undefined;
      out.push({
        check: 'allowprivilegeescalation',
        controlName: 'Privilege Escalation',
        path: present ? containerPath(pod, c, 'securityContext', 'allowPrivilegeEscalation') : containerPath(pod, c),
        missing: !present,
        container: c.name,
        restrictedField: containerField(c, 'securityContext.allowPrivilegeEscalation'),
        values: [value],
        message: present
          ? `${describeContainer(c)} sets allowPrivilegeEscalation: ${String(value)}; set it to false.`
          : `${describeContainer(c)} does not set securityContext.allowPrivilegeEscalation; set it to false.`,
      });
    }
    return out;
  },
};
