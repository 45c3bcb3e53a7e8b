import { asArray, asRecord, describeContainer } from '../../podSpec';
import { containerField, containerPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

export const hostPorts: PssCheck = {
  id: 'hostports',
  psaId: 'hostPorts',
  level: 'baseline',
  controlName: 'Host Ports',
  evaluate(pod) {
    const out: PssViolation[] = [];
    for (const c of pod.containers) {
      asArray(c.value.ports).forEach((p, i) => {
        const hostPort = asRecord(p)?.hostPort;
        if (hostPort === undefined || hostPort === null || Number(hostPort) === 0) return;
        out.push({
          check: 'hostports',
          controlName: 'Host Ports',
          path: containerPath(pod, c, 'ports', i, 'hostPort'),
          container: c.name,
          restrictedField: containerField(c, 'ports[*].hostPort'),
          values: [hostPort],
          message: `${describeContainer(c)} binds host port ${String(hostPort)}; remove hostPort (or set it to 0) and expose the port through a Service.`,
        });
      });
    }
    return out;
  },
};
