import { fix, removePairAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'runasuser',
  title: 'Explicit root user id',
  rationale: 'runAsUser: 0 asks for root outright, defeating runAsNonRoot and every protection that assumes an unprivileged process.',
  controls: ['ac-6', 'ac-6.2', 'cm-6'],
  references: { cis: ['5.2.7'], nsa: ['Pod security: "Non-root" containers and "rootless" container engines'] },
  fields: ['securityContext.runAsUser', '*[*].securityContext.runAsUser'],
  // Which uid is right is the author's call; removing the line falls back to the image's user, which runAsNonRoot then vets.
  fixes: (ctx, hit) => fix('Remove runAsUser: 0', removePairAt(ctx, hit.path), false),
  cases: {
    valid: [{ name: 'non-zero uid', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 1000}\n  containers:\n  - name: app\n    image: nginx:1.27\n' }],
    invalid: [{ name: 'uid 0 on a container', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      runAsUser: 0\n      runAsNonRoot: true\n', count: 1, message: 'runAsUser: 0' }],
  },
});
