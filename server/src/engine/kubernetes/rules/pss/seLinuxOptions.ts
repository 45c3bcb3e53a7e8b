import { fix, removePairAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'selinuxoptions',
  title: 'Custom SELinux options',
  rationale: 'Choosing an SELinux user, role or an unusual type can lift the label that keeps a container from the files and processes of the host and other containers.',
  controls: ['ac-3', 'ac-3.3', 'ac-6'],
  references: { nsa: ['Pod security: Hardening container environments'] },
  fields: ['securityContext.seLinuxOptions', '*[*].securityContext.seLinuxOptions'],
  fixes: (ctx, hit) => fix(`Remove seLinuxOptions.${String(hit.path[hit.path.length - 1])}`, removePairAt(ctx, hit.path), false),
  cases: {
    valid: [{ name: 'container_t with a level', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions:\n      type: container_t\n      level: s0:c123,c456\n  containers:\n  - name: app\n    image: nginx:1.27\n' }],
    invalid: [
      { name: 'spc_t type and a user', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      seLinuxOptions:\n        type: spc_t\n        user: system_u\n', count: 2 },
    ],
  },
});
