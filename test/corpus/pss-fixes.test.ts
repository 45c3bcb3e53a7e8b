import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { corpusFiles, hasCorpus } from '../support/corpus';
import { fixChangedOnlyItsOwn } from '../unit/kubernetes/fixInvariants';
import { applyFix, preferredFix, runOn, untouchedLinesKept } from '../unit/kubernetes/ruleTester';

/**
 * For every PSS fail fixture with a fixable finding: apply the preferred fix, re-parse, the finding is
 * gone, nothing new appears, and every line the fix does not touch is byte-identical.
 */
describe('PSS fixes on the Pod Security Admission fail fixtures', { skip: !hasCorpus() && 'no corpus' }, () => {
  let fixed = 0;
  for (const level of ['baseline', 'restricted'] as const) {
    for (const path of corpusFiles(`pss/${level}/v1.34/fail`, /\.yaml$/)) {
      test(`${level}/${basename(path)}`, () => {
        const text = readFileSync(path, 'utf8');
        const before = runOn(text, { level }).findings;
        for (const f of before.filter((x) => x.code.startsWith('pss.') && preferredFix(x))) {
          const after = applyFix(text, f);
          const rerun = runOn(after, { level });
          assert.deepEqual(rerun.file.problems, [], `fix keeps the YAML valid:\n${after}`);
          const same = (x: typeof f) => x.code === f.code && x.message === f.message;
          assert.ok(!rerun.findings.some(same), `"${f.message}" is gone after "${preferredFix(f)?.title}":\n${after}`);
          const problem = fixChangedOnlyItsOwn(f.code, before, rerun.findings);
          assert.equal(problem, undefined, `${problem}\n${after}`);
          assert.ok(untouchedLinesKept(text, after, f), `only the fixed lines change:\n${after}`);
          fixed++;
        }
      });
    }
  }
  test('fixes were exercised', () => assert.ok(fixed > 30, `${fixed} fixes applied`));
});
