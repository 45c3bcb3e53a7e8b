import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoverageService } from '../../../server/src/engine/coverage/service';
import { deployment, POLICY, setup } from './fixture';

const statusOf = (report: ReturnType<CoverageService['report']>) => Object.fromEntries(report.controls.map((c) => [c.id, c.status]));

test('a workspace profile is the baseline; each control gets the verdict its evidence earns', () => {
  const { coverage } = setup();
  const report = coverage.report({ includeEvidence: true });
  assert.equal(report.baseline.source, 'profile');
  assert.deepEqual(report.baseline.problems, []);
  assert.deepEqual(statusOf(report), { 'ac-6': 'failing', 'cm-6': 'uncovered', 'cm-7': 'failing', 'sc-7': 'implemented', 'au-2': 'uncovered' });
  const ac6 = report.controls.find((c) => c.id === 'ac-6')!;
  assert.deepEqual(ac6.counts, { implemented: 0, policies: 1, rules: 0, resources: 2, failing: 1, passing: 1, exceptions: 0 });
  assert.equal(ac6.description, '1 policy · 2 resources · 1 failing');
  const kinds = ac6.evidence!.map((e) => `${e.kind}:${e.uri.split('/').pop()}`);
  assert.deepEqual(kinds, ['fail:bad.yaml', 'pass:good.yaml', 'policy:policy.yaml']);
  assert.equal(report.totals.total, 5);
  assert.equal(report.totals.covered, 3);
  assert.equal(report.totals.percent, 60);
  assert.deepEqual(report.families.map((f) => `${f.id} ${f.covered}/${f.total}`), ['ac 1/1', 'au 0/1', 'cm 1/2', 'sc 1/1']);
});

test('without a failing resource the control is validated, and an ignore annotation with a reason makes it excepted', () => {
  const { engine, coverage } = setup();
  engine.setText('file:///ws/bad.yaml', deployment('bad', false), 1);
  assert.equal(statusOf(coverage.report())['ac-6'], 'validated');
  engine.setText('file:///ws/bad.yaml', deployment('bad', true, '  annotations:\n    control-lens.dev/ignore: "policy.no-priv/check: needs raw sockets, ticket 7"\n'), 2);
  const report = coverage.report({ includeEvidence: true });
  assert.equal(statusOf(report)['ac-6'], 'excepted');
  const exception = report.controls.find((c) => c.id === 'ac-6')!.evidence!.find((e) => e.kind === 'exception')!;
  assert.match(exception.detail, /needs raw sockets, ticket 7/);
  assert.equal(exception.range.start.line, 5);
  // An ignore without a reason is no exception.
  engine.setText('file:///ws/bad.yaml', deployment('bad', true, '  annotations:\n    control-lens.dev/ignore: "policy.no-priv/check"\n'), 3);
  assert.equal(statusOf(coverage.report())['ac-6'], 'failing');
});

test('a policy with no evaluator proves nothing by silence: enforced, not validated', () => {
  const { coverage } = setup([]);
  const status = statusOf(coverage.report());
  assert.equal(status['ac-6'], 'enforced');
  assert.equal(status['cm-7'], 'enforced');
});

test('updates are incremental: a manifest edit re-judges only the controls its evidence touches', () => {
  const { engine, coverage } = setup();
  coverage.report();
  const judged = coverage.stats.controlsJudged;
  const collected = coverage.stats.filesCollected;
  coverage.report();
  assert.equal(coverage.stats.controlsJudged, judged, 'nothing changed, nothing re-judged');
  assert.equal(coverage.stats.filesCollected, collected);
  engine.setText('file:///ws/bad.yaml', deployment('bad', false), 1);
  coverage.report();
  assert.equal(coverage.stats.filesCollected - collected, 1, 'only the edited file is collected again');
  assert.equal(coverage.stats.controlsJudged - judged, 2, 'ac-6 and cm-7 only');
  // Remapping the policy from CM-7 to AU-2 re-judges cm-7, au-2 and ac-6 (its evidence items changed), not sc-7 or cm-6.
  const before = coverage.stats.controlsJudged;
  engine.setText('file:///ws/policy.yaml', POLICY('AC-6, AU-2'), 1);
  const report = coverage.report();
  assert.deepEqual(statusOf(report), { 'ac-6': 'validated', 'cm-6': 'uncovered', 'cm-7': 'uncovered', 'sc-7': 'implemented', 'au-2': 'validated' });
  assert.equal(coverage.stats.controlsJudged - before, 3);
});

test('removing a file withdraws its evidence', () => {
  const { engine, coverage } = setup();
  engine.remove('file:///ws/component.yaml');
  assert.equal(statusOf(coverage.report())['sc-7'], 'uncovered');
});

test('built-in baselines resolve by name; unknown names say what is known', () => {
  const { coverage } = setup();
  const moderate = coverage.report({ baseline: 'NIST_SP-800-53_rev5_MODERATE' });
  assert.equal(moderate.baseline.source, 'builtin');
  assert.equal(moderate.baseline.label, 'MODERATE');
  assert.ok(moderate.controls.length > 250, `${moderate.controls.length} controls`);
  assert.equal(moderate.controls.find((c) => c.id === 'ac-6')!.title, 'Least Privilege');
  const low = coverage.report({ baseline: 'low' });
  assert.ok(low.controls.length < moderate.controls.length);
  const bad = coverage.report({ baseline: 'NIST_SP-800-53_rev5_MEDIUM' });
  assert.equal(bad.controls.length, 0);
  assert.match(bad.baseline.problems[0], /neither a built-in baseline/);
});

test('a report limited to one root sees only that folder\'s evidence', () => {
  const { engine, coverage } = setup();
  engine.setText('file:///other/bad.yaml', deployment('elsewhere', true));
  const ws = coverage.report({ root: '/ws' });
  assert.equal(ws.controls.find((c) => c.id === 'ac-6')!.counts.resources, 2);
  const all = coverage.report();
  assert.equal(all.controls.find((c) => c.id === 'ac-6')!.counts.resources, 3);
});

test('hostile input: malformed documents and bad annotations give no crash and no evidence', () => {
  const { engine, coverage } = setup();
  engine.setText('file:///ws/broken.yaml', 'apiVersion: v1\nkind: [\n  - : :\n');
  engine.setText('file:///ws/odd.yaml', 'component-definition:\n  components: 7\n');
  engine.setText('file:///ws/weird.yaml', POLICY('not a control, , AC-'));
  engine.setText('file:///ws/mod.rego', '# METADATA\n# custom:\n#   controls: [SI-4, "x"]\npackage k8s.x\n');
  const report = coverage.report({ baseline: 'HIGH' });
  assert.equal(report.controls.find((c) => c.id === 'si-4')!.status, 'enforced');
});

test('passes an analyser reports itself follow the policies it depends on, even when no finding changes', async () => {
  const { Engine } = await import('../../../server/src/engine/engine');
  const { CoverageService } = await import('../../../server/src/engine/coverage/service');
  const { familyOnlyDirectory } = await import('../../../server/src/engine/controls/builtinDirectory');
  // Reports every Deployment as passing the policy's rule, with the controls the policy names today.
  const reporter: import('../../../server/src/engine/analysis').FileAnalyzer = {
    id: 'self-reporting-evaluator',
    families: ['kubernetes'],
    dependsOn: ['kyverno'],
    analyze: () => [],
    evidence(entry, ctx) {
      const policy = [...ctx.workspace.documentsOf('kyverno')][0];
      const annotation = String((policy?.entry.doc.value as { metadata?: { annotations?: Record<string, string> } })?.metadata?.annotations?.['control-lens.dev/controls'] ?? '');
      const controls = annotation.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      return entry.documents.flatMap(({ doc, objects }) =>
        objects.map((o) => ({ kind: 'pass' as const, controls, uri: entry.file.uri, range: entry.file.lines.range(doc.start, doc.start), detail: 'passes', check: 'policy.no-priv/check', resource: { kind: o.kind, name: o.name, document: doc.index } })),
      );
    },
  };
  const engine = new Engine({ analyzers: [reporter], controls: familyOnlyDirectory, settings: { baseline: 'HIGH' } });
  engine.setText('file:///ws/policy.yaml', POLICY('AC-6'));
  engine.setText('file:///ws/good.yaml', deployment('good', false));
  const coverage = new CoverageService(engine);
  const status = (id: string) => coverage.report().controls.find((c) => c.id === id)?.status;
  assert.equal(status('ac-6'), 'validated');
  assert.equal(status('cm-7'), 'uncovered');
  engine.setText('file:///ws/policy.yaml', POLICY('CM-7'), 1);
  assert.equal(status('cm-7'), 'validated');
  assert.equal(status('ac-6'), 'uncovered', 'nothing stale is left behind');
});

test('the asynchronous refresh gives the same report, yields to the event loop, and can be cancelled', async () => {
  const { engine, coverage } = setup();
  for (let i = 0; i < 60; i++) engine.setText(`file:///ws/many/d${i}.yaml`, deployment(`d${i}`, i % 10 === 0));
  assert.equal(await coverage.refreshAsync(() => true, 0), 0, 'cancelled at the first slice');
  let ticks = 0;
  let ticking = true;
  const tick = () => {
    ticks++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const asyncReport = await coverage.reportAsync({}, () => false, 0);
  ticking = false;
  assert.ok(ticks > 0, 'other work ran while coverage was collected');
  const syncReport = new CoverageService(engine).report();
  assert.deepEqual(asyncReport.controls, syncReport.controls);
  assert.equal(asyncReport.controls.find((c) => c.id === 'ac-6')!.counts.failing, 7);
});
