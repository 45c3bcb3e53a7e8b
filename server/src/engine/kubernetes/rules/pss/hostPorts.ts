import { fix, removePairAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'hostports',
  title: 'Host ports',
  rationale:
    "A host port binds the container directly on the node's interfaces, outside Services and network policy, and ties the pod to nodes where the port is free.",
  controls: ['cm-6', 'cm-7', 'sc-7'],
  references: { cis: ['5.2.13'], nsa: ['Network separation and hardening'] },
  fields: ['*[*].ports[*].hostPort'],
  fixes: (ctx, hit) => fix('Remove hostPort', removePairAt(ctx, hit.path), false),
  cases: {
    valid: [{ name: 'container port only', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n      hostPort: 0\n' }],
    invalid: [{ name: 'host port 8080', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n      hostPort: 8080\n', count: 1, message: '8080' }],
  },
});
