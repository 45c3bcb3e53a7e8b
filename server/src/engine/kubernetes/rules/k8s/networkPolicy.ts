import type { KubernetesRule } from '../types';
import { deployment } from './helpers';

const rule: KubernetesRule = {
  id: 'k8s.network-policy',
  title: 'Namespace without a NetworkPolicy',
  severity: 'warning',
  rationale:
    'Pods accept traffic from anywhere in the cluster until a NetworkPolicy selects them; a namespace that runs workloads with no policy at all has no network segmentation.',
  controls: ['ac-4', 'ac-4.21', 'sc-7'],
  references: { cis: ['5.3.2'], nsa: ['Network separation and hardening: Network policies'] },
  appliesTo: 'pod',
  fields: [],
  // Without the workspace's policies, or without a namespace to look up, there is nothing to judge.
  canRun: (ctx) => ctx.workspace.networkPolicyNamespaces !== undefined && !!ctx.object.namespace,
  check(ctx) {
    const covered = ctx.workspace.networkPolicyNamespaces;
    const ns = ctx.object.namespace;
    if (!covered || !ctx.pod || !ns || covered.has(ns)) return [];
    return [{ path: ['metadata', 'namespace'], message: `Namespace "${ns}" runs workloads but no NetworkPolicy in the workspace selects anything in it; add a default-deny policy and allow what is needed.` }];
  },
  cases: {
    valid: [
      { name: 'namespace has a policy', yaml: deployment('        image: nginx:1.27\n'), workspace: { networkPolicyNamespaces: new Set(['shop']) } },
      { name: 'policy in the same file', yaml: `${deployment('        image: nginx:1.27\n')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {}\n`, workspace: { networkPolicyNamespaces: new Set() } },
    ],
    invalid: [{ name: 'no policy anywhere', yaml: deployment('        image: nginx:1.27\n'), workspace: { networkPolicyNamespaces: new Set(['other']) }, count: 1, message: '"shop"' }],
  },
};
export default rule;
