import { setHitValue } from '../fixHelpers';
import { pssRule } from './pssRule';

const procMountCases = {
  valid: [
    { name: 'user namespace pod at v1.35', pssVersion: 'v1.35', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      procMount: Unmasked\n' },
    { name: 'default proc mount', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      procMount: Default\n' },
  ],
  invalid: [{ name: 'unmasked proc', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      procMount: Unmasked\n', count: 1, message: 'Unmasked' }],
};

export default pssRule({
  check: 'procmount',
  title: 'Unmasked /proc',
  rationale: 'The default /proc mask hides kernel interfaces a container has no business reading or writing; unmasking it widens the attack surface towards the host kernel.',
  controls: ['ac-6', 'cm-7', 'sc-39'],
  references: { nsa: ['Pod security: Hardening container environments'] },
  fields: ['*[*].securityContext.procMount'],
  fixes: (ctx, hit) => setHitValue(ctx, hit, 'Default', 'Set procMount: Default'),
  cases: procMountCases,
});
