import { fix, setAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'runasnonroot',
  title: 'Containers that may run as root',
  rationale: 'Root in a container is root on the node as far as the kernel is concerned; a container escape or a writable host mount is far worse when the process is uid 0.',
  controls: ['ac-6', 'ac-6.2', 'cm-6'],
  references: { cis: ['5.2.7'], nsa: ['Pod security: "Non-root" containers and "rootless" container engines'] },
  fields: ['securityContext.runAsNonRoot', '*[*].securityContext.runAsNonRoot'],
  fixes: (ctx, hit) => {
    if (!hit.missing) return fix('Set runAsNonRoot: true', setAt(ctx, hit.path, true));
    const container = fix('Set runAsNonRoot: true on the container', setAt(ctx, [...hit.path, 'securityContext', 'runAsNonRoot'], true));
    const pod = ctx.pod ? fix('Set runAsNonRoot: true for the whole pod', setAt(ctx, [...ctx.pod.specPath, 'securityContext', 'runAsNonRoot'], true)) : [];
    return [...container, ...pod];
  },
  cases: {
    valid: [
      { name: 'pod level true', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: nginx:1.27\n' },
      { name: 'every container true', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext: {runAsNonRoot: true}\n' },
    ],
    invalid: [
      { name: 'unset everywhere', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n  - name: side\n    image: nginx:1.27\n', count: 2, message: 'runAsNonRoot: true' },
      { name: 'container overrides the pod with false', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      runAsNonRoot: false\n', count: 1, message: '"app"' },
    ],
  },
});
