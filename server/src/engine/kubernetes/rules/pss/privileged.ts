import { setHitValue } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'privileged',
  title: 'Privileged containers',
  rationale:
    'A privileged container sees every device of the node and runs without the kernel isolation that separates it from the host; a compromise of the container is a compromise of the node.',
  controls: ['ac-6', 'ac-6.10', 'cm-6', 'cm-7', 'sc-39'],
  references: { cis: ['5.2.2'], nsa: ['Pod security: Pod security enforcement'] },
  fields: ['*[*].securityContext.privileged'],
  fixes: (ctx, hit) => setHitValue(ctx, hit, false, 'Set privileged: false'),
  cases: {
    valid: [
      { name: 'not privileged', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      privileged: false\n' },
      { name: 'no security context', yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n' },
    ],
    invalid: [
      { name: 'privileged container', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n', count: 1, message: '"app"' },
      { name: 'privileged ephemeral container in a CronJob', yaml: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: a\n            image: busybox:1.36\n          ephemeralContainers:\n          - name: debug\n            image: busybox:1.36\n            securityContext: {privileged: true}\n', count: 1, message: 'Ephemeral container "debug"' },
    ],
  },
});
