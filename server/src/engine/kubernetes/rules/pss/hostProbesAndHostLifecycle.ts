import { fix, removePairAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'hostprobesandhostlifecycle',
  title: 'Probes and lifecycle hooks aimed at other hosts',
  rationale:
    'The kubelet runs probes and lifecycle hooks from the node; a host field turns them into requests the node makes to any address the pod author chooses, a way around network controls.',
  controls: ['ac-4', 'sc-7'],
  references: { nsa: ['Network separation and hardening'] },
  fields: ['*[*].livenessProbe', '*[*].readinessProbe', '*[*].startupProbe', '*[*].lifecycle'],
  fixes: (ctx, hit) => fix('Remove the host field', removePairAt(ctx, hit.path), false),
  cases: {
    valid: [{ name: 'probe on the pod itself', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    livenessProbe:\n      httpGet:\n        port: 80\n        path: /healthz\n' }],
    invalid: [
      { name: 'probe with a host', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    readinessProbe:\n      tcpSocket:\n        host: 10.0.0.1\n        port: 80\n', count: 1, message: '10.0.0.1' },
      { name: 'preStop hook with a host', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    lifecycle:\n      preStop:\n        httpGet:\n          host: metadata.internal\n          port: 80\n', count: 1 },
    ],
  },
});
