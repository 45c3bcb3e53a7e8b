import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadCatalog, type CatalogModel } from '../../server/src/engine/controls/catalog';
import { resolveHref } from '../../server/src/engine/controls/href';
import type { OscalBackMatter } from '../../server/src/engine/controls/oscal';
import { DocumentParser } from '../../server/src/engine/documents/parse';
import { analyzeOscalFile, type OscalEnvironment } from '../../server/src/engine/oscal/analyze';
import { officialSchemasFromDirectory } from '../../server/src/engine/oscal/official';
import { corpusFiles, corpusPath, hasCorpus } from '../support/corpus';

const skip = !hasCorpus() && 'corpus not available';

/**
 * The controls in play for the corpus: a profile's resolved catalog stands in for the profile (NIST
 * publishes both), and a rev4 profile's controls are looked up in the full rev4 catalog.
 */
function corpusEnvironment(): OscalEnvironment {
  const cache = new Map<string, CatalogModel | undefined>();
  const load = (file: string): CatalogModel | undefined => {
    if (!cache.has(file)) cache.set(file, existsSync(file) ? loadCatalog(JSON.parse(readFileSync(file, 'utf8')), `file://${file}`) : undefined);
    return cache.get(file);
  };
  return {
    controls(source, from) {
      const target = resolveHref(source.href, from.uri, from.backMatter as OscalBackMatter | undefined);
      for (const uri of target.candidates) {
        const name = uri.split('/').pop() ?? '';
        const rev5 = /^NIST_SP-800-53_rev5_(\w+)-baseline_profile\.(json|yaml)$/.exec(name);
        if (rev5) return load(corpusPath('oscal', 'nist.gov', 'SP800-53', 'rev5', 'json', `NIST_SP-800-53_rev5_${rev5[1]}-baseline-resolved-profile_catalog-min.json`));
        if (/^NIST_SP-800-53_rev4_.*\.(json|yaml)$/.test(name)) return load(corpusPath('oscal', 'nist.gov', 'SP800-53', 'rev4', 'json', 'NIST_SP-800-53_rev4_catalog-min.json'));
      }
      return undefined;
    },
  };
}

const files = hasCorpus() ? [...corpusFiles('oscal/examples', /\.(json|ya?ml)$/), ...corpusFiles('oscal/nist.gov', /\.(json|ya?ml)$/)] : [];

test('NIST examples and baselines give no OSCAL errors (built-in, controls and official schema)', { skip }, () => {
  const env: OscalEnvironment = { ...corpusEnvironment(), officialSchemas: officialSchemasFromDirectory(corpusPath('oscal', 'schemas')) };
  const parser = new DocumentParser();
  let analysed = 0;
  const warnings: string[] = [];
  for (const f of files) {
    const file = parser.parse(`file://${f}`, readFileSync(f, 'utf8'));
    const result = analyzeOscalFile(file, env);
    assert.equal(result.documents.size, 1, `${f} is recognised as OSCAL`);
    analysed++;
    const errors = result.findings.filter((x) => x.severity === 'error');
    assert.deepEqual(errors.map((e) => `${e.code} ${e.range.start.line + 1}: ${e.message}`), [], f);
    for (const w of result.findings) warnings.push(`${f.split('/').pop()}: ${w.code} ${w.message}`);
    parser.forget(file.uri);
  }
  assert.ok(analysed >= 50, `analysed ${analysed} files`);
  // The examples' real flaws are warnings: a statement uuid used twice, component roles defined by the
  // consuming SSP, a POA&M risk reference that names a mitigating factor.
  assert.ok(warnings.some((w) => w.includes('oscal.duplicate-uuid')));
  assert.ok(warnings.some((w) => w.includes('mitigating factor')));
});

test('the component definition example is checked against the controls of its source', { skip }, () => {
  const f = corpusPath('oscal', 'examples', 'component-definition', 'json', 'example-component-definition.json');
  const text = readFileSync(f, 'utf8').replace('"control-id": "sc-8.1"', '"control-id": "sc-8.99"').replace('"param-id": "sc-8_prm_1"', '"param-id": "sc-8_prm_9"');
  const file = new DocumentParser().parse(`file://${f}`, text);
  const findings = analyzeOscalFile(file, corpusEnvironment()).findings.filter((x) => x.severity === 'error');
  assert.deepEqual(findings.map((x) => x.code).sort(), ['oscal.unknown-control', 'oscal.unknown-parameter']);
});

test('the HIGH resolved catalog (JSON, 2 MB) is checked well under a second after parsing', { skip }, () => {
  const f = corpusPath('oscal', 'nist.gov', 'SP800-53', 'rev5', 'json', 'NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json');
  const file = new DocumentParser().parse(`file://${f}`, readFileSync(f, 'utf8'));
  analyzeOscalFile(file); // warm up (JIT), as in an editor session
  const started = performance.now();
  const result = analyzeOscalFile(file);
  const elapsed = performance.now() - started;
  assert.equal(result.findings.length, 0);
  assert.ok(elapsed < 500, `checking took ${elapsed.toFixed(0)} ms`);
});
