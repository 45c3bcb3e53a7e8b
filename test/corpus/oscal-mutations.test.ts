import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agreementCorpus, measureAgreement } from '../../scripts/oscal-mutation-agreement';
import { CORPUS_ROOT, corpusPath, hasCorpus } from '../support/corpus';

const skip = !hasCorpus() && 'corpus not available';

for (const version of ['1.1.2', '1.2.1']) {
  test(`OSCAL ${version}: the built-in checks find at least 95% of the faults the official schema finds in mutated NIST examples`, { skip }, () => {
    const r = measureAgreement(agreementCorpus(CORPUS_ROOT), corpusPath('oscal', 'schemas'), 6, version);
    assert.ok(r.documents >= 20, `${r.documents} documents`);
    assert.ok(r.officialFaults >= 400, `${r.officialFaults} faults`);
    for (const [kind, k] of Object.entries(r.byKind)) assert.ok(k.faults > 0, `no ${kind} faults were generated`);
    const share = r.builtInFound / r.officialFaults;
    assert.ok(share >= 0.95, `found ${r.builtInFound} of ${r.officialFaults}; missed: ${r.missed.slice(0, 5).map((m) => m.mutation.description).join(', ')}`);
  });
}
