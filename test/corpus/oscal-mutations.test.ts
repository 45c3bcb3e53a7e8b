import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agreementCorpus, measureAgreement } from '../../scripts/oscal-mutation-agreement';
import { CORPUS_ROOT, corpusPath, hasCorpus } from '../support/corpus';

test('the built-in checks find at least 95% of the faults the official schema finds in mutated NIST examples', { skip: !hasCorpus() && 'corpus not available' }, () => {
  const r = measureAgreement(agreementCorpus(CORPUS_ROOT), corpusPath('oscal', 'schemas'), 6);
  assert.ok(r.documents >= 20, `${r.documents} documents`);
  assert.ok(r.officialFaults >= 400, `${r.officialFaults} faults`);
  for (const [kind, k] of Object.entries(r.byKind)) assert.ok(k.faults > 0, `no ${kind} faults were generated`);
  const share = r.builtInFound / r.officialFaults;
  assert.ok(share >= 0.95, `found ${r.builtInFound} of ${r.officialFaults}; missed: ${r.missed.slice(0, 5).map((m) => m.mutation.description).join(', ')}`);
});
