import { specPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

const NAMESPACES: [field: string, what: string][] = [
  ['hostNetwork', 'network'],
  ['hostPID', 'process ID'],
  ['hostIPC', 'IPC'],
];

export const hostNamespaces: PssCheck = {
  id: 'hostnamespaces',
  psaId: 'hostNamespaces',
  level: 'baseline',
  controlName: 'Host Namespaces',
  evaluate(pod) {
    const out: PssViolation[] = [];
    for (const [field, what] of NAMESPACES) {
      if (pod.spec[field] !== true) continue;
      out.push({
        check: 'hostnamespaces',
        controlName: 'Host Namespaces',
        path: specPath(pod, field),
        restrictedField: `spec.${field}`,
        values: [true],
        message: `The pod shares the host's ${what} namespace (${field}: true); set ${field}: false or remove it.`,
      });
    }
    return out;
  },
};
