import { asArray, asRecord } from '../../podSpec';
import type { KubernetesRule } from '../types';

const rule: KubernetesRule = {
  id: 'k8s.ingress-tls',
  title: 'Ingress without TLS',
  severity: 'warning',
  rationale: 'An Ingress with no tls section serves its hosts over plain HTTP, exposing credentials and data to anyone on the path.',
  controls: ['sc-8', 'sc-8.1'],
  references: { nsa: ['Network separation and hardening'] },
  appliesTo: ['Ingress'],
  fields: ['spec.tls', 'spec.rules'],
  check(ctx) {
    const spec = asRecord(ctx.object.value.spec);
    if (asArray(spec?.tls).length > 0) return [];
    return [{
      path: spec ? ['spec'] : ['metadata', 'name'],
      missing: true,
      message: `Ingress "${ctx.object.name ?? ''}" has no tls section; add spec.tls with a certificate secret for its hosts.`,
    }];
  },
  cases: {
    valid: [{ name: 'with TLS', yaml: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com\n' }],
    invalid: [{ name: 'plain HTTP', yaml: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules:\n  - host: shop.example.com\n', count: 1, message: 'tls' }],
  },
};
export default rule;
