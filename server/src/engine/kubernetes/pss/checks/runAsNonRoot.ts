import { describeContainer } from '../../podSpec';
import { containerField, containerPath, podSecurityContext, securityContextOf, specPath, usesUserNamespace } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

export const runAsNonRoot: PssCheck = {
  id: 'runasnonroot',
  psaId: 'runAsNonRoot',
  level: 'restricted',
  controlName: 'Running as Non-root',
  evaluate(pod) {
    // Policy v1.35: root inside a user namespace maps to an unprivileged user on the node.
    if (pod.version >= 35 && usesUserNamespace(pod)) return [];
    const out: PssViolation[] = [];
    const base = { check: 'runasnonroot' as const, controlName: 'Running as Non-root' };
    const podValue = podSecurityContext(pod)?.runAsNonRoot;
    if (podValue !== undefined && podValue !== null && podValue !== true) {
      out.push({
        ...base,
        path: specPath(pod, 'securityContext', 'runAsNonRoot'),
        restrictedField: 'spec.securityContext.runAsNonRoot',
        values: [podValue],
        message: `The pod sets runAsNonRoot: ${String(podValue)}; set it to true.`,
      });
    }
    const podNonRoot = podValue === true;
    for (const c of pod.containers) {
      const value = securityContextOf(c)?.runAsNonRoot;
      if (value !== undefined && value !== null) {
        if (value === true) continue;
        out.push({
          ...base,
          path: containerPath(pod, c, 'securityContext', 'runAsNonRoot'),
          container: c.name,
          restrictedField: containerField(c, 'securityContext.runAsNonRoot'),
          values: [value],
          message: `${describeContainer(c)} sets runAsNonRoot: ${String(value)}; set it to true.`,
        });
      } else if (!podNonRoot) {
        out.push({
          ...base,
          path: containerPath(pod, c),
          missing: true,
          container: c.name,
          restrictedField: containerField(c, 'securityContext.runAsNonRoot'),
          values: [undefined],
          message: `${describeContainer(c)} may run as root: neither it nor the pod sets securityContext.runAsNonRoot; set runAsNonRoot: true on the pod or the container.`,
        });
      }
    }
    return out;
  },
};
