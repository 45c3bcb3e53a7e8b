import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { runSuite } from '../../server/src/engine/policy/gatekeeper/verify';
import { corpusFiles, hasCorpus } from '../support/corpus';

function suiteFiles(path: string) {
  const dir = dirname(path);
  return { resolve: (r: string) => resolve(dir, r), exists: existsSync, read: (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined) };
}

test('the built-in Rego interpreter agrees with every gator suite case of the Gatekeeper library', { skip: !hasCorpus() && 'corpus not available' }, () => {
  const suites = corpusFiles('gatekeeper', /^suite\.yaml$/);
  assert.ok(suites.length >= 19);
  let cases = 0;
  let withViolations = 0;
  const failures: string[] = [];
  for (const path of suites) {
    for (const r of runSuite(parseDocument(readFileSync(path, 'utf8')).toJS(), suiteFiles(path))) {
      cases++;
      if (r.messages.length) withViolations++;
      if (!r.ok) failures.push(`${path} ${r.test}/${r.case}: ${r.detail}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(cases >= 140, `cases: ${cases}`);
  // Both outcomes occur: the agreement is not a policy that never (or always) fires.
  assert.ok(withViolations > 40 && withViolations < cases - 40, `cases with violations: ${withViolations}`);
});

test('a suite whose expectation is wrong is reported as failing', { skip: !hasCorpus() && 'corpus not available' }, () => {
  const path = corpusFiles('gatekeeper', /^suite\.yaml$/).find((p) => p.includes('/users/'))!;
  const suite = parseDocument(readFileSync(path, 'utf8')).toJS();
  for (const t of suite.tests) for (const c of t.cases) for (const a of c.assertions) a.violations = a.violations === 'yes' ? 'no' : 'yes';
  const results = runSuite(suite, suiteFiles(path));
  assert.ok(results.length > 0);
  assert.ok(results.every((r) => !r.ok), JSON.stringify(results.filter((r) => r.ok)));
});
