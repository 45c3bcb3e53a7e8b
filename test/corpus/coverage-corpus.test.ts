import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { createEngine } from '../../server/src/engine';
import { toAssessmentResults } from '../../server/src/engine/coverage/export/oscal';
import { CoverageService } from '../../server/src/engine/coverage/service';
import { corpusPath, hasCorpus } from '../support/corpus';

/**
 * Real manifests (argo-cd's install, microservices-demo) with the Kyverno pod-security baseline policies beside
 * them: coverage must be internally consistent and its OSCAL export valid, however much evidence there is.
 */
test('coverage over real manifests and policies: consistent verdicts, ranges inside their files, valid OSCAL', { skip: !hasCorpus() }, async () => {
  const engine = createEngine();
  const files = await engine.indexFolders([corpusPath('k8s'), corpusPath('kyverno', 'pod-security', 'baseline')]);
  assert.ok(files.length > 40, `${files.length} files`);
  const coverage = new CoverageService(engine);
  const started = performance.now();
  const report = coverage.report({ baseline: 'NIST_SP-800-53_rev5_MODERATE', includeEvidence: true });
  const ms = performance.now() - started;
  console.log(`coverage of ${files.length} files: ${Math.round(ms)} ms, ${report.totals.covered}/${report.totals.total} controls with evidence, ${report.totals.byStatus.failing} failing`);

  assert.equal(report.totals.total, report.controls.length);
  assert.equal(report.totals.covered, report.totals.total - report.totals.byStatus.uncovered);
  assert.ok(report.totals.byStatus.failing > 0, 'argo-cd and microservices-demo break some rules');
  assert.ok(report.totals.byStatus.validated > 0, 'and pass others');
  let evidence = 0;
  for (const c of report.controls) {
    const items = c.evidence ?? [];
    evidence += items.length;
    const kinds = new Set(items.map((e) => e.kind));
    // The verdict is the strongest kind of evidence there is.
    const expected = kinds.has('fail') ? 'failing' : kinds.has('exception') ? 'excepted' : kinds.has('pass') ? 'validated' : kinds.has('policy') ? 'enforced' : kinds.has('implemented') ? 'implemented' : 'uncovered';
    assert.equal(c.status, expected, c.id);
    assert.equal(c.counts.failing > 0, c.status === 'failing', c.id);
    for (const e of items) {
      assert.ok(e.controls.includes(c.id), `${c.id} evidence names its control`);
      const file = engine.workspace.get(e.uri)?.file;
      assert.ok(file, `evidence of ${c.id} in an indexed file: ${e.uri}`);
      assert.ok(e.range.start.line < file.lines.lineCount && e.range.end.line < file.lines.lineCount, `${c.id}: range inside ${e.uri}`);
    }
  }
  assert.ok(evidence > 1000, `${evidence} pieces of evidence`);

  // The same workspace again: nothing is collected twice.
  const collected = coverage.stats.filesCollected;
  coverage.report({ baseline: 'NIST_SP-800-53_rev5_MODERATE' });
  assert.equal(coverage.stats.filesCollected, collected);

  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(corpusPath('oscal', 'schemas', '1.1.3', 'oscal_assessment-results_schema.json'), 'utf8')) as object);
  const doc = toAssessmentResults(report, { fileOf: (u) => u.replace(/^file:\/\//, '') });
  const valid = validate(doc);
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 3)));
});

test('NIST\'s example SSPs and component-definitions: their implemented-requirements show as implemented, at the control-id', { skip: !hasCorpus() }, async () => {
  const engine = createEngine();
  await engine.indexFolders([corpusPath('oscal', 'examples', 'ssp', 'json'), corpusPath('oscal', 'examples', 'component-definition', 'json')]);
  const report = new CoverageService(engine).report({ baseline: 'HIGH', includeEvidence: true });
  const control = (id: string) => report.controls.find((c) => c.id === id)!;
  for (const id of ['ac-2', 'ac-6.1', 'au-1', 'sc-8', 'sc-8.1']) assert.equal(control(id).status, 'implemented', id);
  const ac61 = control('ac-6.1').evidence!.find((e) => e.uri.endsWith('/ifa_ssp-example.json'))!;
  assert.match(ac61.detail, /^SSP of IFA GoodRead implements it/);
  const line = engine.workspace.get(ac61.uri)!.file.lines.lineText(ac61.range.start.line);
  assert.match(line, /"control-id":\s*"ac-6\.1"/);
  const sc8 = control('sc-8').evidence!.find((e) => e.uri.endsWith('/example-component-definition.json'))!;
  assert.match(sc8.detail, /^Component "MongoDB" implements it/);
});

test('SSP evidence names the components that implement the control', { skip: !hasCorpus() }, async () => {
  const engine = createEngine();
  await engine.indexFolders([corpusPath('oscal', 'examples', 'ssp', 'json', 'ifa_ssp-example.json')]);
  const report = new CoverageService(engine).report({ baseline: 'HIGH', includeEvidence: true });
  const [ac61] = report.controls.find((c) => c.id === 'ac-6.1')!.evidence!;
  assert.equal(ac61.detail, 'SSP of IFA GoodRead implements it (by IFA GoodRead System)');
});
