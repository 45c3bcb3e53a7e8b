import { describeContainer } from '../../podSpec';
import type { KubernetesRule } from '../types';
import { containersIn, deployment } from './helpers';

const rule: KubernetesRule = {
  id: 'k8s.probes',
  title: 'Liveness and readiness probes',
  severity: 'information',
  rationale:
    'Without probes the kubelet restarts nothing that hangs and the Service sends traffic to pods that are not ready; availability then rests on luck rather than on a declared health check.',
  controls: ['cp-10', 'sc-5'],
  references: {},
  appliesTo: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'PodTemplate'],
  fields: ['*[*].livenessProbe', '*[*].readinessProbe'],
  check(ctx) {
    return containersIn(ctx, ['containers']).flatMap(({ c, path }) => {
      const missing = ['livenessProbe', 'readinessProbe'].filter((p) => c.value[p] === undefined);
      if (missing.length === 0) return [];
      return [{ path, missing: true, container: c.name, message: `${describeContainer(c)} declares no ${missing.join(' or ')}; add probes so Kubernetes can route around and restart unhealthy instances.` }];
    });
  },
  cases: {
    valid: [{ name: 'both probes', yaml: deployment('        image: nginx:1.27\n        livenessProbe: {httpGet: {path: /healthz, port: 80}}\n        readinessProbe: {httpGet: {path: /ready, port: 80}}\n') }],
    invalid: [{ name: 'readiness missing', yaml: deployment('        image: nginx:1.27\n        livenessProbe: {tcpSocket: {port: 80}}\n'), count: 1, message: 'readinessProbe' }],
  },
};
export default rule;
