import { setHitValue } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'procmount_restricted',
  title: 'Unmasked /proc in a user namespace (restricted)',
  rationale: 'From policy v1.35 baseline lets user-namespaced pods unmask /proc; the restricted level still keeps the default mask, because the kernel surface it hides is the same.',
  controls: ['ac-6', 'cm-7', 'sc-39'],
  references: { nsa: ['Pod security: Hardening container environments'] },
  fields: ['*[*].securityContext.procMount'],
  fixes: (ctx, hit) => setHitValue(ctx, hit, 'Default', 'Set procMount: Default'),
  cases: {
    valid: [{ name: 'not in a user namespace (baseline reports it instead)', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      procMount: Unmasked\n' }],
    invalid: [
      { name: 'user namespace pod unmasking /proc at v1.35', level: 'restricted', pssVersion: 'v1.35', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      procMount: Unmasked\n', count: 1 },
    ],
  },
});
