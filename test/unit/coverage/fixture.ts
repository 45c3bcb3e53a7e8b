/** A small workspace with every kind of evidence, and a stand-in policy evaluator, for coverage tests. */
import type { FileAnalyzer } from '../../../server/src/engine/analysis';
import { familyOnlyDirectory } from '../../../server/src/engine/controls/builtinDirectory';
import { CoverageService } from '../../../server/src/engine/coverage/service';
import { Engine } from '../../../server/src/engine/engine';
import type { Finding } from '../../../server/src/engine/types';

/**
 * A stand-in for a policy evaluator: fails every Deployment/Pod whose text says `privileged: true` against
 * `policy.no-priv/check`, the way the Kyverno analyser reports violations.
 */
export const fakeEvaluator: FileAnalyzer = {
  id: 'fake-evaluator',
  families: ['kubernetes'],
  dependsOn: ['kyverno'],
  analyze(entry) {
    const out: Finding[] = [];
    for (const { doc, objects } of entry.documents) {
      for (const o of objects) {
        if (!entry.file.text.slice(doc.start, doc.end).includes('privileged: true')) continue;
        out.push({
          range: entry.file.lines.range(doc.start, doc.start + 10),
          severity: 'error',
          code: 'policy.no-priv/check',
          message: 'privileged',
          controls: [],
          source: 'policy',
          resource: { kind: o.kind, name: o.name, namespace: o.namespace, document: doc.index },
        });
      }
    }
    return out;
  },
};

export const POLICY = (controls: string) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-priv
  annotations:
    control-lens.dev/controls: "${controls}"
spec:
  rules:
    - name: check
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        pattern:
          spec: {}
`;

export const deployment = (name: string, privileged: boolean, annotations = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${annotations}spec:
  template:
    spec:
      containers:
        - name: c
          image: nginx:1
          securityContext:
            privileged: ${privileged}
`;

const PROFILE = `profile:
  uuid: 11111111-1111-4111-8111-111111111111
  metadata: {title: Mini, last-modified: "2026-01-01T00:00:00Z", version: "1", oscal-version: 1.1.3}
  imports:
    - href: https://example.org/NIST_SP-800-53_rev5_catalog.json
      include-controls:
        - with-ids: [ac-6, cm-6, cm-7, sc-7, au-2]
`;

const COMPONENT = `component-definition:
  uuid: 22222222-2222-4222-8222-222222222222
  metadata: {title: C, last-modified: "2026-01-01T00:00:00Z", version: "1", oscal-version: 1.1.3}
  components:
    - uuid: 33333333-3333-4333-8333-333333333333
      type: software
      title: Cluster
      description: d
      control-implementations:
        - uuid: 44444444-4444-4444-8444-444444444444
          source: profile.yaml
          description: d
          implemented-requirements:
            - uuid: 55555555-5555-4555-8555-555555555555
              control-id: sc-7
              description: d
            - uuid: 66666666-6666-4666-8666-666666666666
              control-id: cm-6
              description: planned only
              by-components:
                - component-uuid: 33333333-3333-4333-8333-333333333333
                  uuid: 77777777-7777-4777-8777-777777777777
                  description: d
                  implementation-status: {state: planned}
`;

export function setup(analyzers: FileAnalyzer[] = [fakeEvaluator]) {
  const engine = new Engine({ analyzers, controls: familyOnlyDirectory, settings: { baseline: '/ws/profile.yaml' } });
  engine.setText('file:///ws/profile.yaml', PROFILE);
  engine.setText('file:///ws/component.yaml', COMPONENT);
  engine.setText('file:///ws/policy.yaml', POLICY('AC-6, CM-7'));
  engine.setText('file:///ws/good.yaml', deployment('good', false));
  engine.setText('file:///ws/bad.yaml', deployment('bad', true));
  return { engine, coverage: new CoverageService(engine) };
}

