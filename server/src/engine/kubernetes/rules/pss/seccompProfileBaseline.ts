import { fix, setAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'seccompprofile_baseline',
  title: 'Seccomp explicitly disabled',
  rationale: 'Seccomp filters the system calls a container may make; an Unconfined profile exposes the whole kernel system-call interface to whoever controls the process.',
  controls: ['cm-6', 'cm-7', 'sc-39'],
  references: { cis: ['5.7.2'], nsa: ['Pod security: Hardening container environments'] },
  fields: ['securityContext.seccompProfile', '*[*].securityContext.seccompProfile'],
  fixes: (ctx, hit) => {
    const typePath = hit.path[hit.path.length - 1] === 'type' ? hit.path : [...hit.path, 'type'];
    return fix('Set seccompProfile type: RuntimeDefault', setAt(ctx, typePath, 'RuntimeDefault'));
  },
  cases: {
    valid: [{ name: 'runtime default or none', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - name: app\n    image: nginx:1.27\n  - name: b\n    image: nginx:1.27\n    securityContext:\n      seccompProfile:\n        type: Localhost\n        localhostProfile: profiles/b.json\n' }],
    invalid: [{ name: 'unconfined container', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      seccompProfile:\n        type: Unconfined\n', count: 1, message: 'Unconfined' }],
  },
});
