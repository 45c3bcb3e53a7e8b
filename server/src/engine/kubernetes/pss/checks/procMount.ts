import { describeContainer } from '../../podSpec';
import { containerField, containerPath, securityContextOf, show, usesUserNamespace } from '../helpers';
import type { PodView, PssCheck, PssCheckId, PssViolation } from '../types';

function unmasked(pod: PodView, check: PssCheckId): PssViolation[] {
  const out: PssViolation[] = [];
  for (const c of pod.containers) {
    const procMount = securityContextOf(c)?.procMount;
    if (procMount === undefined || procMount === null || procMount === 'Default') continue;
    out.push({
      check,
      controlName: '/proc Mount Type',
      path: containerPath(pod, c, 'securityContext', 'procMount'),
      container: c.name,
      restrictedField: containerField(c, 'securityContext.procMount'),
      values: [procMount],
      message: `${describeContainer(c)} sets procMount ${show(procMount)}; set procMount: Default or remove it.`,
    });
  }
  return out;
}

export const procMount: PssCheck = {
  id: 'procmount',
  psaId: 'procMount',
  level: 'baseline',
  controlName: '/proc Mount Type',
  evaluate(pod) {
    // From policy v1.35 a pod in its own user namespace may unmask /proc at baseline.
    if (pod.version >= 35 && usesUserNamespace(pod)) return [];
    return unmasked(pod, 'procmount');
  },
};

/** Policy v1.35 keeps restricted pods on the default /proc mask even inside a user namespace. */
export const procMountRestricted: PssCheck = {
  id: 'procmount_restricted',
  psaId: 'procMount_restricted',
  level: 'restricted',
  controlName: '/proc Mount Type',
  since: 35,
  overrides: ['procmount'],
  evaluate(pod) {
    return usesUserNamespace(pod) ? unmasked(pod, 'procmount_restricted') : [];
  },
};
