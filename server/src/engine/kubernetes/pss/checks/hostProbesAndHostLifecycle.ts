import { asRecord, describeContainer } from '../../podSpec';
import { containerField, containerPath, show } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

const HANDLERS: string[][] = [['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop']];

export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostprobesandhostlifecycle',
  psaId: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  controlName: 'Host Probes / Lifecycle Hooks',
  since: 34,
  evaluate(pod) {
    const out: PssViolation[] = [];
    for (const c of pod.containers) {
      for (const handlerPath of HANDLERS) {
        let handler = asRecord(c.value[handlerPath[0]]);
        if (handlerPath.length > 1) handler = asRecord(handler?.[handlerPath[1]]);
        if (!handler) continue;
        for (const action of ['httpGet', 'tcpSocket']) {
          const host = asRecord(handler[action])?.host;
          if (host === undefined || host === null || host === '') continue;
          const field = [...handlerPath, action, 'host'];
          out.push({
            check: 'hostprobesandhostlifecycle',
            controlName: 'Host Probes / Lifecycle Hooks',
            path: containerPath(pod, c, ...field),
            container: c.name,
            restrictedField: containerField(c, field.join('.')),
            values: [host],
            message: `${describeContainer(c)} points its ${handlerPath.join('.')} ${action} at host ${show(host)}; remove the host field so the kubelet targets the pod itself.`,
          });
        }
      }
    }
    return out;
  },
};
