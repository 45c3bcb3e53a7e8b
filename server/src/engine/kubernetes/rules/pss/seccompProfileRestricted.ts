import { fix, setAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'seccompprofile_restricted',
  title: 'Seccomp profile not set',
  rationale: 'Restricted pods must opt in to a seccomp filter (RuntimeDefault or a Localhost profile) rather than rely on a runtime default that may be Unconfined.',
  controls: ['cm-6', 'cm-7', 'sc-39'],
  references: { cis: ['5.7.2'], nsa: ['Pod security: Hardening container environments'] },
  fields: ['securityContext.seccompProfile', '*[*].securityContext.seccompProfile'],
  fixes: (ctx, hit) => {
    if (!hit.missing) {
      const typePath = hit.path[hit.path.length - 1] === 'type' ? hit.path : [...hit.path, 'type'];
      return fix('Set seccompProfile type: RuntimeDefault', setAt(ctx, typePath, 'RuntimeDefault'));
    }
    const container = fix('Set seccompProfile RuntimeDefault on the container', setAt(ctx, [...hit.path, 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault'));
    const pod = ctx.pod ? fix('Set seccompProfile RuntimeDefault for the whole pod', setAt(ctx, [...ctx.pod.specPath, 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault')) : [];
    return [...container, ...pod];
  },
  cases: {
    valid: [{ name: 'pod level runtime default', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: nginx:1.27\n' }],
    invalid: [
      { name: 'no profile', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n', count: 1, message: 'RuntimeDefault' },
      { name: 'unconfined pod profile', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n  - name: app\n    image: nginx:1.27\n', count: 2 },
    ],
  },
});
