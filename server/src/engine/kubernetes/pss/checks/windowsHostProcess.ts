import { asRecord, describeContainer } from '../../podSpec';
import { containerField, containerPath, podSecurityContext, securityContextOf, specPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

export const windowsHostProcess: PssCheck = {
  id: 'windowshostprocess',
  psaId: 'windowsHostProcess',
  level: 'baseline',
  controlName: 'HostProcess',
  evaluate(pod) {
    const out: PssViolation[] = [];
    const base = { check: 'windowshostprocess' as const, controlName: 'HostProcess', values: [true] };
    if (asRecord(podSecurityContext(pod)?.windowsOptions)?.hostProcess === true) {
      out.push({
        ...base,
        path: specPath(pod, 'securityContext', 'windowsOptions', 'hostProcess'),
        restrictedField: 'spec.securityContext.windowsOptions.hostProcess',
        message: 'The pod runs as a Windows HostProcess pod; set windowsOptions.hostProcess: false or remove it.',
      });
    }
    for (const c of pod.containers) {
      if (asRecord(securityContextOf(c)?.windowsOptions)?.hostProcess !== true) continue;
      out.push({
        ...base,
        path: containerPath(pod, c, 'securityContext', 'windowsOptions', 'hostProcess'),
        container: c.name,
        restrictedField: containerField(c, 'securityContext.windowsOptions.hostProcess'),
        message: `${describeContainer(c)} runs as a Windows HostProcess container; set windowsOptions.hostProcess: false or remove it.`,
      });
    }
    return out;
  },
};
