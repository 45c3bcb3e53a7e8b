import { fix, removeItemAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'sysctls',
  title: 'Unsafe sysctls',
  rationale: 'Kernel parameters outside the namespaced safe set change the behaviour of the whole node, for every pod on it.',
  controls: ['cm-6', 'sc-39'],
  references: { nsa: ['Pod security: Hardening container environments'] },
  fields: ['securityContext.sysctls'],
  fixes: (ctx, hit) => {
    const i = hit.path.lastIndexOf('sysctls');
    return fix('Remove the unsafe sysctl', removeItemAt(ctx, hit.path.slice(0, i + 2)), false);
  },
  cases: {
    valid: [{ name: 'safe sysctl', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - name: net.ipv4.ip_local_port_range\n      value: "1024 65535"\n  containers:\n  - name: app\n    image: nginx:1.27\n' }],
    invalid: [{ name: 'kernel.msgmax', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - name: net.ipv4.tcp_syncookies\n      value: "1"\n    - name: kernel.msgmax\n      value: "65536"\n  containers:\n  - name: app\n    image: nginx:1.27\n', count: 1, message: 'kernel.msgmax' }],
  },
});
