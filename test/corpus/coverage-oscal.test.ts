import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runCli } from '../../server/src/cli/main';
import { toAssessmentResults } from '../../server/src/engine/coverage/export/oscal';
import { corpusPath, hasCorpus, REPO_ROOT } from '../support/corpus';
import { deployment, setup } from '../unit/coverage/fixture';

const SCHEMA = corpusPath('oscal', 'schemas', '1.1.3', 'oscal_assessment-results_schema.json');

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
}

test('coverage as OSCAL assessment-results is valid against the official 1.1.3 schema, with every kind of evidence', { skip: !hasCorpus() }, () => {
  const { engine, coverage } = setup();
  engine.setText('file:///ws/excepted.yaml', deployment('excepted', true, '  annotations:\n    control-lens.dev/ignore: "policy.no-priv/check: needs raw sockets | see OPS-7"\n'));
  const report = coverage.report({ includeEvidence: true });
  const doc = toAssessmentResults(report, { fileOf: (u) => u.replace('file:///ws/', ''), now: new Date('2026-11-23T00:00:00Z') });
  const validate = validator();
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 2));

  const result = (doc['assessment-results'].results as Record<string, unknown>[])[0];
  const findings = result.findings as { target: { 'target-id': string; status: { state: string } }; props: { value: string }[]; 'related-risks'?: unknown[] }[];
  assert.equal(findings.length, report.controls.length);
  const ac6 = findings.find((f) => f.target['target-id'] === 'ac-6_smt')!;
  assert.equal(ac6.target.status.state, 'not-satisfied');
  assert.equal(ac6.props[0].value, 'failing');
  assert.equal(ac6['related-risks']?.length, 1, 'the exception is a risk');
  const sc7 = findings.find((f) => f.target['target-id'] === 'sc-7_smt')!;
  assert.equal(sc7.target.status.state, 'satisfied');
  const observations = result.observations as { 'relevant-evidence': { href: string }[] }[];
  assert.ok(observations.some((o) => o['relevant-evidence'][0].href === 'bad.yaml#L1'), 'failures point at file and line');
  const risks = result.risks as { description: string }[];
  assert.match(risks[0].description, /needs raw sockets/);
  // The same state gives the same document.
  assert.deepEqual(toAssessmentResults(report, { fileOf: (u) => u, now: new Date(0) }), toAssessmentResults(report, { fileOf: (u) => u, now: new Date(0) }));
});

test('control-lens coverage --format oscal on the demo is schema-valid', { skip: !hasCorpus() }, async () => {
  let stdout = '';
  const code = await runCli(['coverage', join('examples', 'coverage-demo'), '--format', 'oscal', '--fail-on', 'never'], { cwd: REPO_ROOT, stdout: (s) => (stdout += s), stderr: () => {} });
  assert.equal(code, 0);
  const validate = validator();
  const doc = JSON.parse(stdout) as { 'assessment-results': { results: { findings: unknown[] }[] } };
  const valid = validate(doc);
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  assert.equal(doc['assessment-results'].results[0].findings.length, 11);
});

test('an empty report (no evidence at all) is still a valid document', { skip: !hasCorpus() }, () => {
  const { coverage } = setup([]);
  const report = coverage.report({ baseline: 'LOW', root: '/nowhere', includeEvidence: true });
  const doc = toAssessmentResults(report, { fileOf: (u) => u });
  const validate = validator();
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
});
