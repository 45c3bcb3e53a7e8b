import { asArray, asRecord, describeContainer } from '../../podSpec';
import { containerField, containerPath, isWindowsPod, securityContextOf, show } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

export const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  psaId: 'capabilities_restricted',
  level: 'restricted',
  overrides: ['capabilities_baseline'],
  since: 22,
  controlName: 'Capabilities',
  evaluate(pod) {
    if (pod.version >= 25 && isWindowsPod(pod)) return [];
    const out: PssViolation[] = [];
    const base = { check: 'capabilities_restricted' as const, controlName: 'Capabilities' };
    for (const c of pod.containers) {
      const sc = securityContextOf(c);
      const caps = asRecord(sc?.capabilities);
      const drop = asArray(caps?.drop);
      if (!drop.includes('ALL')) {
        const path = caps && caps.drop !== undefined ? containerPath(pod, c, 'securityContext', 'capabilities', 'drop') : containerPath(pod, c);
        out.push({
          ...base,
          path,
          missing: !(caps && caps.drop !== undefined),
          container: c.name,
          restrictedField: containerField(c, 'securityContext.capabilities.drop'),
          values: drop,
          message: `${describeContainer(c)} does not drop all capabilities; add "ALL" to securityContext.capabilities.drop.`,
        });
      }
      asArray(caps?.add).forEach((cap, i) => {
        if (cap === 'NET_BIND_SERVICE') return;
        out.push({
          ...base,
          path: containerPath(pod, c, 'securityContext', 'capabilities', 'add', i),
          container: c.name,
          restrictedField: containerField(c, 'securityContext.capabilities.add'),
          values: [cap],
          message: `${describeContainer(c)} adds capability ${show(cap)}; at the restricted level only NET_BIND_SERVICE may be added.`,
        });
      });
    }
    return out;
  },
};
