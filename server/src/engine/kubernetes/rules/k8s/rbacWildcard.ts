import { asArray, asRecord } from '../../podSpec';
import type { KubernetesRule } from '../types';

const FIELDS = ['apiGroups', 'resources', 'verbs'] as const;

const rule: KubernetesRule = {
  id: 'k8s.rbac-wildcard',
  title: 'Wildcards in RBAC rules',
  severity: 'warning',
  rationale:
    'A * in a role grants every verb, resource or API group, including ones added to the cluster later; least privilege needs the permissions spelled out.',
  controls: ['ac-3', 'ac-6', 'cm-6'],
  references: { cis: ['5.1.3'], nsa: ['Authentication and authorization'] },
  appliesTo: ['Role', 'ClusterRole'],
  fields: ['rules[*].apiGroups', 'rules[*].resources', 'rules[*].verbs'],
  check(ctx) {
    return asArray(ctx.object.value.rules).flatMap((r, i) => {
      const ruleObj = asRecord(r);
      if (!ruleObj) return [];
      return FIELDS.flatMap((field) =>
        asArray(ruleObj[field]).flatMap((v, j) =>
          v === '*' ? [{ path: ['rules', i, field, j], message: `${ctx.object.kind} "${ctx.object.name ?? ''}" grants ${field} "*" in rule ${i + 1}; list the ${field} it needs.` }] : [],
        ),
      );
    });
  },
  cases: {
    valid: [{ name: 'explicit permissions', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader, namespace: shop}\nrules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: [get, list, watch]\n' }],
    invalid: [{ name: 'wildcard verbs and resources', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: admin-ish}\nrules:\n- apiGroups: ["apps"]\n  resources: ["*"]\n  verbs: ["*"]\n', count: 2, message: '"*"' }],
  },
};
export default rule;
