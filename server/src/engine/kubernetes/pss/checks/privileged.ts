import { containerField, containerPath, securityContextOf } from '../helpers';
import { describeContainer } from '../../podSpec';
import type { PssCheck, PssViolation } from '../types';

export const privileged: PssCheck = {
  id: 'privileged',
  psaId: 'privileged',
  level: 'baseline',
  controlName: 'Privileged Containers',
  evaluate(pod) {
    const out: PssViolation[] = [];
    for (const c of pod.containers) {
      if (securityContextOf(c)?.privileged !== true) continue;
      out.push({
        check: 'privileged',
        controlName: 'Privileged Containers',
        path: containerPath(pod, c, 'securityContext', 'privileged'),
        container: c.name,
        restrictedField: containerField(c, 'securityContext.privileged'),
        values: [true],
        message: `${describeContainer(c)} runs privileged; set securityContext.privileged: false or remove it.`,
      });
    }
    return out;
  },
};
