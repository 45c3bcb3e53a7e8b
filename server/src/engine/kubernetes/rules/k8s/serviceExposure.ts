import type { KubernetesRule } from '../types';

const rule: KubernetesRule = {
  id: 'k8s.service-exposure',
  title: 'Service exposed outside the cluster',
  severity: 'information',
  rationale:
    'NodePort and LoadBalancer Services open a port on every node or on an external address; each one is an entry point that needs to be intended, filtered and monitored.',
  controls: ['cm-7', 'sc-7'],
  references: { nsa: ['Network separation and hardening'] },
  appliesTo: ['Service'],
  fields: ['spec.type'],
  check(ctx) {
    const type = (ctx.object.value.spec as Record<string, unknown> | undefined)?.type;
    if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
    return [{ path: ['spec', 'type'], message: `Service "${ctx.object.name ?? ''}" is of type ${type} and reachable from outside the cluster; use ClusterIP behind an Ingress or gateway unless direct exposure is intended.` }];
  },
  cases: {
    valid: [{ name: 'ClusterIP', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n' }],
    invalid: [{ name: 'LoadBalancer', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports:\n  - port: 80\n', count: 1, message: 'LoadBalancer' }],
  },
};
export default rule;
