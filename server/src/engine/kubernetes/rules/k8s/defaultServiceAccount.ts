import type { KubernetesRule } from '../types';
import { deployment } from './helpers';

const rule: KubernetesRule = {
  id: 'k8s.default-service-account',
  title: 'Default service account',
  severity: 'information',
  rationale:
    "Pods that share their namespace's default service account share its permissions: any role bound to it for one workload is granted to all. A dedicated account keeps each workload's access its own.",
  controls: ['ac-2', 'ac-6', 'cm-6'],
  references: { cis: ['5.1.5'], nsa: ['Authentication and authorization'] },
  appliesTo: 'pod',
  fields: ['serviceAccountName', 'serviceAccount'],
  check(ctx) {
    if (!ctx.pod) return [];
    const spec = ctx.pod.spec;
    const field = spec.serviceAccountName !== undefined ? 'serviceAccountName' : spec.serviceAccount !== undefined ? 'serviceAccount' : undefined;
    const name = field ? spec[field] : undefined;
    if (name !== undefined && name !== 'default' && name !== '') return [];
    return [{
      path: field ? [...ctx.pod.specPath, field] : ctx.pod.specPath,
      missing: !field,
      message: `The pod runs as the namespace's default service account; create a dedicated ServiceAccount and set serviceAccountName.`,
    }];
  },
  cases: {
    valid: [{ name: 'dedicated account', yaml: deployment('        image: nginx:1.27\n', '      serviceAccountName: web\n') }],
    invalid: [
      { name: 'no account named', yaml: deployment('        image: nginx:1.27\n'), count: 1 },
      { name: 'default named', yaml: deployment('        image: nginx:1.27\n', '      serviceAccountName: default\n'), count: 1, message: 'default service account' },
    ],
  },
};
export default rule;
