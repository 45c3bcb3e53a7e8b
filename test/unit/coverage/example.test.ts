import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { coverageSarif, failsBuild } from '../../../server/src/cli/coverageCommand';
import { runCli } from '../../../server/src/cli/main';
import { ALL_ANALYZERS } from '../../../server/src/engine';
import { CoverageService } from '../../../server/src/engine/coverage/service';
import { Engine } from '../../../server/src/engine/engine';
import type { FileAnalyzer } from '../../../server/src/engine/analysis';
import { kubernetesAnalyzer } from '../../../server/src/engine/kubernetes/analyzer';
import { kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer } from '../../../server/src/engine/policy/kyverno/analyzer';
import { REPO_ROOT } from '../../support/corpus';

const DEMO = join(REPO_ROOT, 'examples', 'coverage-demo');

/** The shipped analysers plus those the demo needs, should the engine not register them (yet). */
function demoAnalyzers(): FileAnalyzer[] {
  const extra = [kubernetesAnalyzer, kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer].filter((x) => !ALL_ANALYZERS.some((a) => a.id === x.id));
  return [...ALL_ANALYZERS, ...extra];
}

/** Whether some shipped analyser evaluates Kyverno policies against manifests (its silence is then a pass). */
const kyvernoEvaluated = ALL_ANALYZERS.some((a) => a.families !== 'rego' && a.families.includes('kubernetes') && a.dependsOn?.includes('kyverno'));

/**
 * What the demo is built to show, control by control (see examples/coverage-demo/README.md): the worker runs
 * privileged (AC-6, and CM-6/CM-7 which the privileged check also maps to, fail); the metrics agent's host port
 * is an approved exception (SC-7); service accounts pass everywhere (AC-2); AU-2 and IA-2 are statements in the
 * component-definition; SC-8 has policies but no Ingress to check; AU-12 and SI-4 have nothing.
 */
const FULL: Record<string, string> = {
  'ac-2': 'validated',
  'ac-6': 'failing',
  'au-2': 'implemented',
  'au-12': 'uncovered',
  'cm-6': 'failing',
  'cm-7': 'failing',
  // Only the require-labels Kyverno policy bears on CM-8: every workload has the owner label.
  'cm-8': 'validated',
  'ia-2': 'implemented',
  'sc-7': 'excepted',
  'sc-8': 'enforced',
  'si-4': 'uncovered',
};

interface JsonControl {
  id: string;
  status: string;
  evidence: { kind: string; file: string; range: { start: { line: number } }; detail: string }[];
}

test('the coverage-demo example: the right status for every control, Kubernetes rules and Kyverno policies evaluated', async () => {
  const engine = new Engine({ analyzers: demoAnalyzers() });
  await engine.indexFolders([DEMO]);
  const report = new CoverageService(engine).report({ root: DEMO, includeEvidence: true });
  assert.deepEqual(report.baseline.problems, []);
  assert.deepEqual(Object.fromEntries(report.controls.map((c) => [c.id, c.status])), FULL);
  const cm8 = report.controls.find((c) => c.id === 'cm-8')!;
  assert.equal(cm8.description, '1 policy · 3 resources', 'the policy and its passes count once');
  const sc7 = report.controls.find((c) => c.id === 'sc-7')!;
  const exception = sc7.evidence!.find((e) => e.kind === 'exception')!;
  assert.match(exception.detail, /OPS-118/);
  assert.ok(exception.uri.endsWith('manifests/metrics-agent.yaml'));
  const ac6fail = report.controls.find((c) => c.id === 'ac-6')!.evidence!.find((e) => e.kind === 'fail')!;
  assert.ok(ac6fail.uri.endsWith('manifests/worker.yaml'));
  assert.equal(ac6fail.range.start.line, 25, 'the privileged: true line');
});

test('control-lens coverage examples/coverage-demo --format json: the command\'s own statuses and exit code', async () => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['coverage', 'examples/coverage-demo', '--format', 'json'], { cwd: REPO_ROOT, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  assert.equal(stderr, '');
  const json = JSON.parse(stdout) as { baseline: { name: string; file: string }; totals: { total: number }; families: { id: string }[]; controls: JsonControl[] };
  assert.equal(json.baseline.file, 'examples/coverage-demo/oscal/profile.yaml');
  assert.equal(json.totals.total, 11);
  assert.deepEqual(json.families.map((f) => f.id), ['ac', 'au', 'cm', 'ia', 'sc', 'si']);
  // The command runs what the engine ships; while an analyser is not registered its checks are not run.
  const k8s = ALL_ANALYZERS.some((a) => a.id === kubernetesAnalyzer.id);
  const kyverno = kyvernoEvaluated;
  const expected = {
    ...FULL,
    'ac-2': k8s ? 'validated' : 'implemented',
    'ac-6': k8s || kyverno ? 'failing' : 'enforced',
    'cm-6': k8s ? 'failing' : kyverno ? 'validated' : 'enforced',
    'cm-7': k8s ? 'failing' : kyverno ? 'excepted' : 'enforced',
    'cm-8': kyverno ? 'validated' : 'enforced',
    'sc-7': k8s ? 'excepted' : 'implemented',
  };
  assert.deepEqual(Object.fromEntries(json.controls.map((c) => [c.id, c.status])), expected);
  assert.equal(code, k8s || kyverno ? 1 : 0, 'failing controls fail the build');
  const ia2 = json.controls.find((c) => c.id === 'ia-2')!;
  assert.equal(ia2.evidence[0].file, 'examples/coverage-demo/oscal/component-definition.yaml');
  assert.match(ia2.evidence[0].detail, /Component "Shop platform cluster" implements it through rule sso-for-cluster-access \(checked by oidc-issuer-configured\)/);
});

test('--baseline overrides the configured one; an unknown baseline is a usage error (exit 2)', async () => {
  let stdout = '';
  let stderr = '';
  const io = { cwd: REPO_ROOT, stdout: (s: string) => (stdout += s), stderr: (s: string) => (stderr += s) };
  const code = await runCli(['coverage', 'examples/coverage-demo', '--baseline', 'NIST_SP-800-53_rev5_LOW', '--format', 'markdown', '--fail-on', 'never'], io);
  assert.equal(code, 0);
  assert.match(stdout, /### Control coverage: NIST SP 800-53 rev5 LOW baseline/);
  assert.match(stdout, /\| 📝 \| IA-2 \| Identification and Authentication \(Organizational Users\) \| Implemented \|/);
  stdout = '';
  assert.equal(await runCli(['coverage', 'examples/coverage-demo', '--baseline', 'nope.yaml'], io), 2);
  assert.match(stderr, /Baseline "nope.yaml" is neither a built-in baseline/);
});

test('coverage --format sarif: the findings behind failing controls, exceptions as in-source suppressions with their reason', async () => {
  const engine = new Engine({ analyzers: demoAnalyzers() });
  const files = await engine.indexFolders([DEMO]);
  const report = new CoverageService(engine).report({ root: DEMO });
  const log = coverageSarif(engine, files, report, { cwd: REPO_ROOT, stdout: () => {}, stderr: () => {} });
  assert.equal(log.version, '2.1.0');
  const results = log.runs[0].results ?? [];
  const privileged = results.find((r) => r.ruleId === 'pss.privileged')!;
  assert.equal(privileged.locations?.[0].physicalLocation?.artifactLocation?.uri, 'examples/coverage-demo/manifests/worker.yaml');
  assert.equal(privileged.locations?.[0].physicalLocation?.region?.startLine, 26);
  assert.equal(privileged.suppressions, undefined);
  const hostPorts = results.find((r) => r.ruleId === 'pss.hostports')!;
  assert.deepEqual(hostPorts.suppressions, [{ kind: 'inSource', justification: "the node exporter must listen on the node's port 9100, approved in OPS-118" }]);
  assert.ok(results.some((r) => r.ruleId === 'policy.disallow-privileged/no-privileged-containers' && !r.suppressions));
  const rule = log.runs[0].tool.driver.rules?.find((r) => r.id === 'pss.privileged');
  assert.ok((rule?.properties?.tags as string[]).includes('nist-800-53/AC-6'));
});

test('coverage --format markdown: a pull-request table pointing at each failing place once', async () => {
  let stdout = '';
  await runCli(['coverage', 'examples/coverage-demo', '--format', 'markdown'], { cwd: REPO_ROOT, stdout: (s) => (stdout += s), stderr: () => {} });
  const row = (id: string) => stdout.split('\n').find((l) => l.includes(`| ${id} |`)) ?? '';
  assert.match(row('AU-12'), /^\| ⬜ \| AU-12 \| Audit Record Generation \| Uncovered \| — \|$/);
  assert.match(stdout, /^\| Family \| Covered \| Failing \| Excepted \|$/m);
  if (ALL_ANALYZERS.some((a) => a.id === kubernetesAnalyzer.id)) {
    assert.equal(row('AC-6').split('examples/coverage-demo/manifests/worker.yaml:26').length - 1, 1);
    assert.match(row('SC-7'), /Excepted .*metrics-agent\.yaml:10/);
  }
});

test('--fail-on weighs the severity of the failures behind failing controls', () => {
  const failing = (severity: 'error' | 'warning' | 'information') =>
    ({
      controls: [{ status: 'failing', evidence: [{ kind: 'fail', severity }] }],
    }) as unknown as Parameters<typeof failsBuild>[0];
  assert.equal(failsBuild(failing('error'), 'error'), true);
  assert.equal(failsBuild(failing('warning'), 'error'), false);
  assert.equal(failsBuild(failing('warning'), 'warning'), true);
  assert.equal(failsBuild(failing('information'), 'warning'), false);
  assert.equal(failsBuild(failing('error'), 'never'), false);
});

test('passes worked out by coverage for the rule pack agree with those the Kubernetes analyser reports itself', async () => {
  const withHook = new Engine({ analyzers: demoAnalyzers() });
  // The same analyser without its evidence hook: coverage falls back to the rule pack's own applicability.
  const { evidence: _hook, ...silent } = kubernetesAnalyzer;
  const withoutHook = new Engine({ analyzers: demoAnalyzers().map((a) => (a.id === kubernetesAnalyzer.id ? (silent as FileAnalyzer) : a)) });
  const reports: ReturnType<CoverageService['report']>[] = [];
  for (const engine of [withHook, withoutHook]) {
    await engine.indexFolders([DEMO]);
    reports.push(new CoverageService(engine).report({ root: DEMO, baseline: 'NIST_SP-800-53_rev5_HIGH' }));
  }
  const view = (r: ReturnType<CoverageService['report']>) => r.controls.filter((c) => c.status !== 'uncovered').map((c) => `${c.id} ${c.status} ${c.description}`);
  assert.ok(view(reports[0]).length > 10);
  assert.deepEqual(view(reports[1]), view(reports[0]));
});
