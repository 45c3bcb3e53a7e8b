import { fix, setAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'apparmorprofile',
  title: 'AppArmor profile overridden',
  rationale: "The runtime's default AppArmor profile confines what a container may touch; running unconfined removes that mandatory access control layer.",
  controls: ['ac-3', 'ac-6', 'cm-7'],
  references: { nsa: ['Pod security: Hardening container environments'] },
  fields: ['securityContext.appArmorProfile', '*[*].securityContext.appArmorProfile'],
  fixes: (ctx, hit) => {
    const last = hit.path[hit.path.length - 1];
    if (typeof last === 'string' && last.startsWith('container.apparmor.security.beta.kubernetes.io/')) {
      return fix('Use the runtime/default AppArmor profile', setAt(ctx, hit.path, 'runtime/default'));
    }
    const typePath = last === 'type' ? hit.path : [...hit.path, 'type'];
    return fix('Set appArmorProfile type: RuntimeDefault', setAt(ctx, typePath, 'RuntimeDefault'));
  },
  cases: {
    valid: [{ name: 'runtime default', yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: localhost/my-profile\nspec:\n  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: nginx:1.27\n' }],
    invalid: [
      { name: 'unconfined field', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      appArmorProfile:\n        type: Unconfined\n', count: 1, message: 'Unconfined' },
      { name: 'unconfined annotation', yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n', count: 1 },
    ],
  },
});
