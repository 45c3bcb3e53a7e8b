import { pssRule } from './pssRule';

export default pssRule({
  check: 'restrictedvolumes',
  title: 'Volume types outside the restricted set',
  rationale:
    'Inline volume sources such as NFS, iSCSI or cloud disks let a pod author reach storage directly, bypassing the persistent volume claims a cluster administrator controls.',
  controls: ['ac-3', 'cm-7'],
  references: { nsa: ['Pod security: Pod security enforcement'] },
  fields: ['volumes'],
  cases: {
    valid: [{ name: 'allowed sources', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n  volumes:\n  - name: a\n    configMap: {name: cm}\n  - name: b\n    persistentVolumeClaim: {claimName: data}\n  - name: c\n    projected: {sources: []}\n' }],
    invalid: [
      { name: 'nfs volume', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n  volumes:\n  - name: share\n    nfs:\n      server: nfs.local\n      path: /exports\n', count: 1, message: 'nfs' },
      { name: 'volume without a source', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n  volumes:\n  - name: odd\n', count: 1 },
    ],
  },
});
