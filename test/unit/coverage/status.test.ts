import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Evidence, EvidenceKind } from '../../../server/src/engine/coverage/evidence';
import { countEvidence, describeCounts, mergeCounts, partialCounts, policyOfCheck, verdict } from '../../../server/src/engine/coverage/status';

const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
function ev(kind: EvidenceKind, uri = 'file:///a.yaml', check?: string, name?: string): Evidence {
  return { kind, controls: ['ac-6'], uri, range: at, detail: kind, check, resource: name ? { kind: 'Deployment', name, document: 0 } : undefined };
}

test('verdict precedence: failing, excepted, validated, enforced, implemented, uncovered', () => {
  assert.equal(verdict([]), 'uncovered');
  assert.equal(verdict([ev('implemented')]), 'implemented');
  assert.equal(verdict([ev('implemented'), ev('policy', 'f', 'policy:p')]), 'enforced');
  assert.equal(verdict([ev('policy', 'f', 'policy:p'), ev('pass', 'f', 'pss.privileged', 'a')]), 'validated');
  assert.equal(verdict([ev('pass', 'f', 'x', 'a'), ev('exception', 'f', 'x', 'b')]), 'excepted');
  assert.equal(verdict([ev('exception', 'f', 'x', 'b'), ev('fail', 'f', 'x', 'c'), ev('pass', 'f', 'x', 'a')]), 'failing');
});

test('counts: policies and built-in rules apart, resources distinct, failures by resource', () => {
  const items = [
    ev('policy', 'file:///p.yaml', 'policy:no-priv'),
    ev('pass', 'file:///a.yaml', 'policy.no-priv/check', 'web'),
    ev('pass', 'file:///a.yaml', 'pss.privileged', 'web'),
    ev('fail', 'file:///b.yaml', 'pss.privileged', 'worker'),
    ev('fail', 'file:///b.yaml', 'k8s.probes', 'worker'),
    ev('exception', 'file:///c.yaml', 'pss.hostports', 'agent'),
    ev('implemented', 'file:///cd.yaml'),
  ];
  const counts = countEvidence(items);
  assert.deepEqual(counts, { implemented: 1, policies: 1, rules: 3, resources: 2, failing: 1, passing: 1, exceptions: 1 });
  assert.equal(describeCounts(counts), '1 statement · 1 policy · 3 rules · 2 resources · 1 failing · 1 exception');
  // Merging per-file partials gives the same answer as counting everything at once.
  const byFile = new Map<string, Evidence[]>();
  for (const e of items) byFile.set(e.uri, [...(byFile.get(e.uri) ?? []), e]);
  const merged = mergeCounts([...byFile.values()].map(partialCounts));
  assert.deepEqual(merged.counts, counts);
  assert.equal(merged.status, 'failing');
  assert.deepEqual(mergeCounts([]), { status: 'uncovered', counts: { implemented: 0, policies: 0, rules: 0, resources: 0, failing: 0, passing: 0, exceptions: 0 } });
});

test('one policy, however its analyser names it', () => {
  for (const check of ['policy.require-labels/owner-label', 'policy.require-labels', 'kyverno:require-labels', 'vap:require-labels', 'policy:require-labels']) {
    assert.equal(policyOfCheck(check), 'policy:require-labels', check);
  }
  assert.equal(policyOfCheck('pss.privileged'), 'pss.privileged');
  assert.equal(policyOfCheck('gatekeeper:K8sRequiredLabels/must-have-owner'), 'gatekeeper:K8sRequiredLabels/must-have-owner');
});
