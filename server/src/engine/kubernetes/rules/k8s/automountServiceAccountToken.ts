import { fix, setAt } from '../fixHelpers';
import type { KubernetesRule } from '../types';
import { deployment } from './helpers';

const rule: KubernetesRule = {
  id: 'k8s.automount-service-account-token',
  title: 'Service account token mounted automatically',
  severity: 'information',
  rationale:
    'Every pod gets an API token for its service account unless told otherwise; a pod that never talks to the API server only hands that credential to whoever compromises it.',
  controls: ['ac-6', 'cm-6', 'ia-5'],
  references: { cis: ['5.1.6'], nsa: ['Pod security: Protecting Pod service account tokens'] },
  appliesTo: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate', 'ServiceAccount'],
  fields: ['automountServiceAccountToken'],
  check(ctx) {
    if (ctx.object.kind === 'ServiceAccount') {
      const value = ctx.object.value.automountServiceAccountToken;
      if (value === false) return [];
      return [{
        path: value === undefined ? ['metadata', 'name'] : ['automountServiceAccountToken'],
        missing: value === undefined,
        message: `ServiceAccount "${ctx.object.name ?? ''}" lets pods mount its token by default; set automountServiceAccountToken: false and opt in per pod.`,
        data: { field: ['automountServiceAccountToken'] },
      }];
    }
    if (!ctx.pod) return [];
    const value = ctx.pod.spec.automountServiceAccountToken;
    if (value === false) return [];
    const field = [...ctx.pod.specPath, 'automountServiceAccountToken'];
    return [{
      path: value === undefined ? ctx.pod.specPath : field,
      missing: value === undefined,
      message: 'The pod mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API.',
      data: { field },
    }];
  },
  fixes: (ctx, hit) => fix('Set automountServiceAccountToken: false', setAt(ctx, hit.data?.field as string[], false), false),
  cases: {
    valid: [
      { name: 'opted out', yaml: deployment('        image: nginx:1.27\n', '      automountServiceAccountToken: false\n') },
      { name: 'service account opted out', yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\nautomountServiceAccountToken: false\n' },
    ],
    invalid: [
      { name: 'default', yaml: deployment('        image: nginx:1.27\n'), count: 1 },
      { name: 'service account default', yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n', count: 1, message: '"web"' },
    ],
  },
};
export default rule;
