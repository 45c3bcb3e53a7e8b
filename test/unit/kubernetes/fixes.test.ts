import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { applyTextEdits } from '../../../server/src/engine/fixes/applyEdits';
import { applyFix, runOn } from './ruleTester';

function fixed(text: string, code: string, level: 'baseline' | 'restricted' = 'restricted', index = 0): string {
  const f = runOn(text, { level }).findings.filter((x) => x.code === code)[index];
  assert.ok(f, `${code} found`);
  return applyFix(text, f);
}

describe('rule fixes keep the file as it was written', () => {
  test('four-space indentation and comments inside the security context', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '    name: web',
      'spec:',
      '    template:',
      '        spec:',
      '            containers:',
      '                -   name: web',
      '                    image: "nginx:1.27"   # pinned',
      '                    securityContext:',
      '                        # we tried without',
      '                        readOnlyRootFilesystem: true',
      '                        # end of context',
      '            # volumes come later',
      '',
    ].join('\n');
    const out = fixed(text, 'pss.allowprivilegeescalation');
    assert.equal(out, text.replace('readOnlyRootFilesystem: true\n', 'readOnlyRootFilesystem: true\n                        allowPrivilegeEscalation: false\n'));
  });

  test('containers written in flow style get flow-style edits', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "x:1"}]\n';
    const out = fixed(text, 'pss.allowprivilegeescalation');
    assert.equal(out, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "x:1", securityContext: {allowPrivilegeEscalation: false}}]\n');
  });

  test('a key waiting for its value, with a comment', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x:1\n    securityContext: # TODO harden\n';
    const out = fixed(text, 'pss.seccompprofile_restricted');
    assert.equal(out, `${text}      seccompProfile:\n        type: RuntimeDefault\n`);
  });

  test('the pod-level alternative for a missing runAsNonRoot', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    fsGroup: 2000\n  containers:\n  - name: a\n    image: x:1\n';
    const f = runOn(text, { level: 'restricted' }).findings.find((x) => x.code === 'pss.runasnonroot')!;
    const pod = f.fixes!.find((x) => x.title.includes('whole pod'))!;
    assert.equal(pod.kind, 'quickfix');
    assert.equal(applyTextEdits(text, pod.edits), text.replace('fsGroup: 2000\n', 'fsGroup: 2000\n    runAsNonRoot: true\n'));
  });

  test('CRLF files stay CRLF', () => {
    const text = 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: a\r\n    image: x:1\r\n    securityContext:\r\n      privileged: true\r\n';
    const out = fixed(text, 'pss.capabilities_restricted');
    assert.ok(!/[^\r]\n/.test(out), 'no bare LF');
    assert.deepEqual(parse(out).spec.containers[0].securityContext.capabilities, { drop: ['ALL'] });
  });

  test('the resources skeleton fills only what is missing', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x:1\n    resources:\n      requests:\n        cpu: 50m\n';
    const out = fixed(text, 'k8s.resources');
    assert.deepEqual(parse(out).spec.containers[0].resources, { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '128Mi' } });
    assert.ok(out.startsWith(text.replace('        cpu: 50m\n', '')), 'lines before the edit unchanged');
    const none = fixed('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x:1\n', 'k8s.resources');
    assert.ok(none.endsWith('    resources:\n      requests:\n        cpu: 100m\n        memory: 128Mi\n      limits:\n        memory: 128Mi\n'), none);
  });

  test('fixes in a later document leave earlier and later documents byte-identical', () => {
    const a = '# first\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    const b = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: "x:1"}]\n';
    const c = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n';
    const text = `${a}---\n${b}---\n${c}`;
    const out = fixed(text, 'pss.hostnamespaces', 'baseline');
    assert.equal(out, `${a}---\n${b.replace('hostNetwork: true', 'hostNetwork: false')}---\n${c}`);
  });
});
