import { setHitValue } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'hostnamespaces',
  title: 'Host namespaces',
  rationale:
    "Sharing the node's network, process or IPC namespace lets a pod watch and talk to the host's own processes and interfaces, bypassing network policy and process isolation.",
  controls: ['ac-6', 'cm-6', 'sc-7', 'sc-39'],
  references: { cis: ['5.2.3', '5.2.4', '5.2.5'], nsa: ['Pod security: Pod security enforcement'] },
  fields: ['hostNetwork', 'hostPID', 'hostIPC'],
  fixes: (ctx, hit) => setHitValue(ctx, hit, false, `Set ${String(hit.path[hit.path.length - 1])}: false`),
  cases: {
    valid: [{ name: 'own namespaces', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: false\n  containers:\n  - name: app\n    image: nginx:1.27\n' }],
    invalid: [
      { name: 'host network and PID', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  hostPID: true\n  containers:\n  - name: app\n    image: nginx:1.27\n', count: 2 },
      { name: 'host IPC in a DaemonSet', yaml: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      hostIPC: true\n      containers:\n      - name: app\n        image: nginx:1.27\n', count: 1, message: 'hostIPC' },
    ],
  },
});
