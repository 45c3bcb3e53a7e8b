import { appendAt, fix, removeItemAt, setAt } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'capabilities_restricted',
  title: 'Capabilities not dropped',
  rationale: 'Restricted containers start from no capabilities at all (drop ALL) and may add back only NET_BIND_SERVICE, so a compromised process holds nothing it was not meant to.',
  controls: ['ac-6', 'cm-6', 'cm-7'],
  references: { cis: ['5.2.9', '5.2.10'], nsa: ['Pod security: Pod security enforcement'] },
  fields: ['*[*].securityContext.capabilities'],
  fixes: (ctx, hit) => {
    const last = hit.path[hit.path.length - 1];
    if (hit.missing) return fix('Drop ALL capabilities', setAt(ctx, [...hit.path, 'securityContext', 'capabilities', 'drop'], ['ALL']));
    if (typeof last === 'number') return fix('Remove the added capability', removeItemAt(ctx, hit.path), false);
    if (last === 'drop') {
      const edits = appendAt(ctx, hit.path, 'ALL');
      return fix('Drop ALL capabilities', edits.length ? edits : setAt(ctx, hit.path, ['ALL']));
    }
    return [];
  },
  cases: {
    valid: [{ name: 'drops all, adds NET_BIND_SERVICE', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      capabilities:\n        drop: [ALL]\n        add: [NET_BIND_SERVICE]\n' }],
    invalid: [
      { name: 'no drop', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n', count: 1, message: '"ALL"' },
      { name: 'drops some and adds CHOWN', level: 'restricted', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      capabilities:\n        drop:\n        - NET_RAW\n        add:\n        - CHOWN\n', count: 2 },
    ],
  },
});
