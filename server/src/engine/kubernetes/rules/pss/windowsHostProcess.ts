import { setHitValue } from '../fixHelpers';
import { pssRule } from './pssRule';

export default pssRule({
  check: 'windowshostprocess',
  title: 'Windows HostProcess containers',
  rationale: 'A HostProcess container runs directly on the Windows node with host privileges: it is the Windows equivalent of a privileged container.',
  controls: ['ac-6', 'ac-6.10', 'sc-39'],
  references: { cis: ['5.2.11'] },
  fields: ['securityContext.windowsOptions.hostProcess', '*[*].securityContext.windowsOptions.hostProcess'],
  fixes: (ctx, hit) => setHitValue(ctx, hit, false, 'Set hostProcess: false'),
  cases: {
    valid: [{ name: 'ordinary Windows pod', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n  securityContext:\n    windowsOptions:\n      runAsUserName: ContainerUser\n  containers:\n  - name: app\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n' }],
    invalid: [{ name: 'host process pod', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n  - name: app\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n', count: 1 }],
  },
});
