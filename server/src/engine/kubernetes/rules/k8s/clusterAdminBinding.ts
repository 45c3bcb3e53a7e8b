import { asRecord } from '../../podSpec';
import type { KubernetesRule } from '../types';

const rule: KubernetesRule = {
  id: 'k8s.cluster-admin-binding',
  title: 'Binding to cluster-admin',
  severity: 'warning',
  rationale: 'cluster-admin can do anything to anything; every subject bound to it is a full-cluster compromise waiting for one stolen credential.',
  controls: ['ac-2', 'ac-6', 'ac-6.5', 'cm-6'],
  references: { cis: ['5.1.1'], nsa: ['Authentication and authorization'] },
  appliesTo: ['RoleBinding', 'ClusterRoleBinding'],
  fields: ['roleRef'],
  check(ctx) {
    const roleRef = asRecord(ctx.object.value.roleRef);
    if (roleRef?.name !== 'cluster-admin' || (roleRef.kind !== undefined && roleRef.kind !== 'ClusterRole')) return [];
    return [{ path: ['roleRef', 'name'], message: `${ctx.object.kind} "${ctx.object.name ?? ''}" grants cluster-admin; bind a role with only the permissions its subjects need.` }];
  },
  cases: {
    valid: [{ name: 'bound to view', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: viewers}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects:\n- kind: Group\n  name: devs\n  apiGroup: rbac.authorization.k8s.io\n' }],
    invalid: [{ name: 'bound to cluster-admin', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ci}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: ci\n  namespace: build\n', count: 1, message: 'cluster-admin' }],
  },
};
export default rule;
