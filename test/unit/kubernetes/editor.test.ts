import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { applyTextEdits } from '../../../server/src/engine/fixes/applyEdits';
import { fixAllKubernetes } from '../../../server/src/engine/kubernetes/fixAll';
import { fieldRelated, kubernetesHover } from '../../../server/src/engine/kubernetes/hover';
import { compactSummaryText, resourceSummaries } from '../../../server/src/engine/kubernetes/summary';
import { evaluatePodSecurity } from '../../../server/src/engine/kubernetes/pss';
import { runOn } from './ruleTester';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  # the app
  containers:
  - name: web
    image: nginx:1.27 # pinned
    securityContext:
      privileged: true
      readOnlyRootFilesystem: true
  - name: side
    image: busybox:1.36
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {a: b}
`;

function at(text: string, needle: string, delta = 1) {
  const i = text.indexOf(needle) + delta;
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('hover', () => {
  test('on a flagged field: the rule, its controls with titles, the message', () => {
    const checked = runOn(POD, { level: 'baseline' });
    const hover = kubernetesHover(checked.file, checked, at(POD, 'privileged: true'), { controlTitle: (id) => (id === 'ac-6' ? 'Least Privilege' : undefined) });
    assert.equal(hover.length, 1);
    assert.match(hover[0], /^\*\*pss\.privileged\*\* Privileged containers: ✗/);
    assert.match(hover[0], /Controls: AC-6 Least Privilege, AC-6\(10\), CM-6, CM-7, SC-39/);
    assert.match(hover[0], /Container "web" runs privileged/);
    assert.match(hover[0], /PSS: Privileged Containers · CIS Kubernetes 5\.2\.2/);
  });

  test('on a securityContext key: every rule below it, with its state on this resource', () => {
    const checked = runOn(POD, { level: 'baseline' });
    const hover = kubernetesHover(checked.file, checked, at(POD, 'securityContext:'));
    const ids = hover.map((h) => /\*\*(\S+)\*\*/.exec(h)![1]);
    for (const id of ['pss.privileged', 'pss.capabilities_baseline', 'pss.allowprivilegeescalation', 'k8s.readonly-root-filesystem']) assert.ok(ids.includes(id), id);
    assert.ok(!ids.includes('pss.hostnamespaces'));
    assert.match(hover.find((h) => h.includes('pss.allowprivilegeescalation'))!, /not enforced at baseline/);
    assert.match(hover.find((h) => h.includes('k8s.readonly-root-filesystem'))!, /: ✓/);
  });

  test('nothing on fields no rule concerns, on comments, or outside Kubernetes objects', () => {
    const checked = runOn(POD, { level: 'baseline' });
    assert.deepEqual(kubernetesHover(checked.file, checked, at(POD, 'name: web\n  namespace')), []);
    assert.deepEqual(kubernetesHover(checked.file, checked, at(POD, '# the app', 3)), []);
    assert.deepEqual(kubernetesHover(checked.file, checked, at(POD, 'data: {a')), []);
  });

  test('on the ignore annotation: the exceptions it records', () => {
    const text = POD.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    control-lens.dev/ignore: "pss.privileged: device plugin"\n');
    const checked = runOn(text, { level: 'baseline' });
    const hover = kubernetesHover(checked.file, checked, at(text, 'control-lens.dev/ignore'));
    assert.equal(hover.length, 1);
    assert.match(hover[0], /1 accepted exception/);
    assert.match(hover[0], /pss\.privileged: Container "web" runs privileged.*\(reason: device plugin\)/);
  });

  test('field patterns match along one line of descent', () => {
    assert.ok(fieldRelated('*[*].securityContext.privileged', ['initContainers', 0, 'securityContext']));
    assert.ok(fieldRelated('*[*].securityContext', ['containers', 1, 'securityContext', 'capabilities', 'add', 0]));
    assert.ok(!fieldRelated('securityContext.runAsNonRoot', ['containers', 0, 'securityContext']));
    assert.ok(!fieldRelated('volumes[*].hostPath', ['volumes', 0, 'name']));
  });
});

describe('resource summaries', () => {
  test('controls touched with pass/fail per resource', () => {
    const checked = runOn(POD, { level: 'baseline', disabled: new Set(['k8s.image-digest', 'k8s.probes']) });
    const [s] = resourceSummaries(checked.file, checked);
    assert.deepEqual(s.resource, { kind: 'Pod', name: 'web', namespace: 'shop', document: 0 });
    assert.equal(s.nameRange.start.line, 3);
    const byId = new Map(s.controls.map((c) => [c.id, c]));
    assert.equal(byId.get('ac-6')?.state, 'fail');
    assert.ok(byId.get('ac-6')?.failing.includes('pss.privileged'));
    assert.equal(byId.get('sc-8'), undefined, 'Ingress rule does not touch a Pod');
    assert.equal(byId.get('ac-4.21'), undefined, 'without the workspace view the NetworkPolicy rule proves nothing');
    assert.match(s.text, /^AC-\d.*✗/);
    assert.ok(s.text.includes('AC-6 ✗'));
    assert.ok(s.text.includes(' · '));
    assert.equal(resourceSummaries(checked.file, checked).length, 1, 'the ConfigMap touches no rule');
    const passing = s.controls.filter((c) => c.state === 'pass').length;
    assert.ok(s.controls.length > 6);
    assert.match(s.compactText, new RegExp(`^AC-2 ✗ · .*AC-6 ✗ · .* · \\+${passing} ✓$`));
    assert.ok(!s.compactText.includes('CM-2 ✓'));
  });

  test('the compact form names every control when there are few', () => {
    const c = (id: string, state: 'pass' | 'fail' | 'exception') => ({ id, display: id.toUpperCase(), state, rules: [], failing: [] });
    assert.equal(compactSummaryText([c('ac-6', 'fail'), c('cm-7', 'pass')]), 'AC-6 ✗ · CM-7 ✓');
    assert.equal(compactSummaryText([c('a-1', 'pass'), c('a-2', 'pass'), c('a-3', 'pass')], 2), '3 ✓');
    assert.equal(compactSummaryText([c('a-1', 'fail'), c('a-2', 'fail'), c('a-3', 'exception'), c('a-4', 'pass')], 2), 'A-1 ✗ · A-2 ✗ · +1 more · +1 ✓');
  });

  test('accepted exceptions show as such', () => {
    const text = POD.replace('  namespace: shop\n', '  namespace: shop\n  annotations:\n    control-lens.dev/ignore: "pss.privileged: device plugin"\n');
    const checked = runOn(text, { level: 'baseline', rules: undefined, disabled: new Set(['k8s.resources', 'k8s.automount-service-account-token', 'k8s.default-service-account', 'k8s.image-digest', 'k8s.image-pull-policy', 'k8s.readonly-root-filesystem', 'k8s.probes']) });
    const [s] = resourceSummaries(checked.file, checked);
    assert.ok(s.text.includes('SC-39 ⊘'), s.text);
  });
});

describe('fix all', () => {
  test('applies every safe fix into one edit, merging inserts into the same container', () => {
    const text = POD.replace('      readOnlyRootFilesystem: true\n', '      readOnlyRootFilesystem: true\n      capabilities:\n        add: [SYS_ADMIN]\n');
    const checked = runOn(text, { level: 'restricted' });
    const edits = fixAllKubernetes(checked.file, { level: 'restricted' });
    assert.equal(edits.length, 1);
    const fixed = applyTextEdits(text, edits);
    const pod = parse(fixed.split('---')[0]);
    const pss = evaluatePodSecurity(pod, 'restricted');
    // Removing an added capability is not a safe fix; everything else is mended.
    assert.deepEqual([...new Set(pss.map((v) => v.check))].sort(), ['capabilities_baseline', 'capabilities_restricted']);
    assert.equal(pod.spec.containers[1].securityContext.allowPrivilegeEscalation, false);
    assert.ok(fixed.includes('image: nginx:1.27 # pinned'), 'comments kept');
    assert.ok(fixed.endsWith('---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n'), 'other documents untouched');
    assert.deepEqual(fixAllKubernetes(runOn(fixed).file, { level: 'restricted' }).length, 0, 'nothing left to do safely');
  });
});
