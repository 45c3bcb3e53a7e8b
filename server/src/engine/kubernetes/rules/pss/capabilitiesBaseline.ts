import { fix, removeItemAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'capabilities_baseline',
  title: 'Added capabilities beyond the default set',
  rationale:
    'Linux capabilities split root into pieces; adding ones the runtime withholds by default (SYS_ADMIN, NET_RAW, ...) hands the container powers it can use to escape or to attack its neighbours.',
  controls: ['ac-6', 'cm-6', 'cm-7'],
  references: { cis: ['5.2.8', '5.2.9'], nsa: ['Pod security: Pod security enforcement'] },
  fields: ['*[*].securityContext.capabilities.add'],
  fixes: (ctx, hit) => fix('Remove the added capability', removeItemAt(ctx, hit.path), false),
  cases: {
    valid: [{ name: 'adds only a default capability', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      capabilities:\n        add: [NET_BIND_SERVICE, CHOWN]\n' }],
    invalid: [
      { name: 'adds SYS_ADMIN and NET_RAW', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      capabilities:\n        add:\n        - SYS_ADMIN\n        - CHOWN\n        - NET_RAW\n', count: 2, message: 'adds capability' },
    ],
  },
});
