import { fix, setAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'allowprivilegeescalation',
  title: 'Privilege escalation allowed',
  rationale: 'Unless no_new_privs is set, a process in the container can gain privileges through setuid binaries or file capabilities; restricted pods must switch it off in every container.',
  controls: ['ac-6', 'ac-6.10', 'cm-6'],
  references: { cis: ['5.2.6'], nsa: ['Pod security: Pod security enforcement'] },
  fields: ['*[*].securityContext.allowPrivilegeEscalation'],
  fixes: (ctx, hit) => {
    const path = hit.missing ? [...hit.path, 'securityContext', 'allowPrivilegeEscalation'] : hit.path;
    return fix('Set allowPrivilegeEscalation: false', setAt(ctx, path, false));
  },
  cases: {
    valid: [
      { name: 'set to false', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      allowPrivilegeEscalation: false\n' },
      { name: 'Windows pods are exempt', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n  containers:\n  - name: app\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n' },
      { name: 'not checked at baseline', level: 'baseline', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n' },
    ],
    invalid: [
      { name: 'unset', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n', count: 1, message: 'set it to false' },
      { name: 'explicitly true in an init container', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: init\n    image: busybox:1.36\n    securityContext: {allowPrivilegeEscalation: true}\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext: {allowPrivilegeEscalation: false}\n', count: 1, message: 'Init container "init"' },
    ],
  },
});
