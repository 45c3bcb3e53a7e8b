import { asArray, asRecord, describeContainer } from '../../podSpec';
import { containerField, containerPath, securityContextOf, show } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

/** The capabilities a container runtime grants by default; adding others is an escalation. */
export const BASELINE_ADDABLE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const capabilitiesBaseline: PssCheck = {
  id: 'capabilities_baseline',
  psaId: 'capabilities_baseline',
  level: 'baseline',
  controlName: 'Capabilities',
  evaluate(pod) {
    const out: PssViolation[] = [];
    for (const c of pod.containers) {
      const add = asArray(asRecord(securityContextOf(c)?.capabilities)?.add);
      add.forEach((cap, i) => {
        if (typeof cap === 'string' && BASELINE_ADDABLE_CAPABILITIES.has(cap)) return;
        out.push({
          check: 'capabilities_baseline',
          controlName: 'Capabilities',
          path: containerPath(pod, c, 'securityContext', 'capabilities', 'add', i),
          container: c.name,
          restrictedField: containerField(c, 'securityContext.capabilities.add'),
          values: [cap],
          message: `${describeContainer(c)} adds capability ${show(cap)}; remove it (only the runtime's default set may be added: ${[...BASELINE_ADDABLE_CAPABILITIES].join(', ')}).`,
        });
      });
    }
    return out;
  },
};
