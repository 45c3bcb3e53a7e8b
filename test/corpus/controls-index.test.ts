/**
 * The committed built-in index must be exactly what scripts/generate-control-index.ts makes from the
 * corpus, and its facts must agree with NIST's resolved baseline catalogs read here independently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusPath, CORPUS_ROOT, hasCorpus } from '../support/corpus';
import { OUTPUT, generateControlIndexSource } from '../../scripts/generate-control-index';
import { builtinIndex, BASELINES } from '../../server/src/engine/controls/builtin';

const skip = !hasCorpus();
const REV5 = ['oscal', 'nist.gov', 'SP800-53', 'rev5', 'json'];

test('the committed control index equals what the generator makes from the corpus (run `npm run generate`)', { skip }, () => {
  assert.equal(readFileSync(OUTPUT, 'utf8'), generateControlIndexSource(CORPUS_ROOT));
});

function walk(controls: any[] = [], out: any[] = []): any[] {
  for (const c of controls) {
    out.push(c);
    walk(c.controls, out);
  }
  return out;
}

test('built-in baselines are the baseline profiles\' selections; titles and families as in the resolved catalogs', { skip }, () => {
  const index = builtinIndex();
  for (const b of BASELINES) {
    const profile = JSON.parse(readFileSync(corpusPath(...REV5, `NIST_SP-800-53_rev5_${b}-baseline_profile.json`), 'utf8'));
    const withIds: string[] = profile.profile.imports[0]['include-controls'][0]['with-ids'];
    assert.deepEqual(new Set(index.baseline(b)), new Set(withIds), b);
    const resolved = JSON.parse(readFileSync(corpusPath(...REV5, `NIST_SP-800-53_rev5_${b}-baseline-resolved-profile_catalog-min.json`), 'utf8'));
    for (const g of resolved.catalog.groups) {
      assert.equal(index.familyTitle(g.id), g.title);
      for (const c of walk(g.controls)) {
        const known = index.get(c.id);
        assert.ok(known, `${c.id} is in the index`);
        assert.equal(known.title, c.title);
        assert.equal(known.family, g.id);
      }
    }
  }
  assert.equal(index.baseline('LOW').length, 149);
  assert.equal(index.baseline('MODERATE').length, 287);
  assert.equal(index.baseline('HIGH').length, 370);
  assert.equal(index.baseline('PRIVACY').length, 96);
  assert.equal(index.families().length, 20);
});
