import { pssRule } from './pssRule';

export default pssRule({
  check: 'hostpathvolumes',
  title: 'HostPath volumes',
  rationale:
    "A hostPath volume mounts a directory of the node into the pod; it exposes the node's files (credentials, the container runtime socket) and lets a container write where the host trusts what it reads.",
  controls: ['ac-3', 'ac-6', 'ac-6.1', 'sc-39'],
  references: { cis: ['5.2.12'], nsa: ['Pod security: Pod security enforcement'] },
  fields: ['volumes[*].hostPath'],
  cases: {
    valid: [{ name: 'emptyDir volume', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n  volumes:\n  - name: cache\n    emptyDir: {}\n' }],
    invalid: [{ name: 'hostPath volume', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n  volumes:\n  - name: docker\n    hostPath:\n      path: /var/run/docker.sock\n', count: 1, message: '"docker"' }],
  },
});
