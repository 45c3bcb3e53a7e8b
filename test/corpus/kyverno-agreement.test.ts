import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { corpusFiles, corpusPath, hasCorpus } from '../support/corpus';
import { runKyvernoTests } from '../../server/src/engine/policy/kyverno/testRunner';

/** Expected results counted straight from the test files: one per resource named in each result. */
function expectedCount(): number {
  let n = 0;
  for (const f of corpusFiles('kyverno', /^kyverno-test\.ya?ml$/)) {
    const doc = parse(readFileSync(f, 'utf8')) as { results?: { resources?: string[]; resource?: string }[] };
    for (const r of doc.results ?? []) n += (r.resources?.length ?? 0) + (r.resource ? 1 : 0);
  }
  return n;
}

// The Kyverno policy library's own CLI tests, run with the built-in engine: each expected result counts once,
// and a result the engine cannot decide counts as a disagreement.
test('built-in Kyverno engine agrees with >= 97% of the library CLI test expectations', { skip: !hasCorpus() }, () => {
  const run = runKyvernoTests([corpusPath('kyverno')]);
  assert.deepEqual(run.errors, [], 'every test file loads');
  const total = run.entries.length;
  const agree = run.entries.filter((e) => e.agrees).length;
  assert.equal(total, expectedCount(), 'every expected result is counted');
  assert.ok(total >= 2942, 'the corpus holds at least the 2,942 expected results it was built with');
  const ratio = agree / total;
  const misses = run.entries.filter((e) => !e.agrees).slice(0, 10).map((e) => `${e.test} ${e.policy}/${e.rule} ${e.kind}/${e.resource}: expected ${e.expected}, got ${e.actual} (${e.reason})`);
  assert.ok(ratio >= 0.97, `agreement ${(100 * ratio).toFixed(2)}% is below 97%:\n${misses.join('\n')}`);
  // the figure must come from real evaluation: both outcomes occur in the corpus and in the engine's answers
  assert.ok(run.entries.some((e) => e.actual === 'fail') && run.entries.some((e) => e.actual === 'pass'));
});
