import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalControlId } from '../../../server/src/engine/controls/ids';
import { KUBERNETES_RULES } from '../../../server/src/engine/kubernetes/rules';
import type { KubernetesRule, RuleCase } from '../../../server/src/engine/kubernetes/rules/types';
import { fixChangedOnlyItsOwn } from './fixInvariants';
import { applyFix, preferredFix, runOn, untouchedLinesKept } from './ruleTester';

/** Like ESLint's RuleTester: every rule module carries its own valid and invalid cases; this runs them all. */
function run(rule: KubernetesRule, c: RuleCase) {
  return runOn(c.yaml, { rules: [rule], level: c.level ?? 'restricted', pssVersion: c.pssVersion, workspace: c.workspace ?? {} });
}

describe('Kubernetes rule pack', () => {
  test('rule ids are unique and well formed', () => {
    const ids = KUBERNETES_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^(pss\.[a-z_]+|k8s\.[a-z0-9-]+)$/);
  });

  for (const rule of KUBERNETES_RULES) {
    describe(rule.id, () => {
      test('describes itself', () => {
        assert.ok(rule.title.length > 3);
        assert.ok(rule.rationale.length > 40, 'rationale in its own words');
        assert.ok(rule.controls.length > 0);
        for (const c of rule.controls) assert.equal(canonicalControlId(c), c, `${c} is canonical`);
        assert.ok(rule.cases.valid.length > 0, 'has valid cases');
        assert.ok(rule.cases.invalid.length > 0, 'has invalid cases');
      });

      for (const c of rule.cases.valid) {
        test(`valid: ${c.name}`, () => {
          const { findings, file } = run(rule, c);
          assert.deepEqual(file.problems, [], 'case parses');
          assert.deepEqual(findings.filter((f) => f.code === rule.id).map((f) => f.message), []);
        });
      }

      for (const c of rule.cases.invalid) {
        test(`invalid: ${c.name}`, () => {
          const { findings, file } = run(rule, c);
          assert.deepEqual(file.problems, [], 'case parses');
          const mine = findings.filter((f) => f.code === rule.id);
          if (c.count !== undefined) assert.equal(mine.length, c.count, mine.map((f) => f.message).join('\n'));
          else assert.ok(mine.length > 0);
          for (const f of mine) {
            if (c.message) assert.ok(f.message.includes(c.message), `"${f.message}" mentions ${c.message}`);
            assert.deepEqual(f.controls, rule.controls);
            assert.equal(f.source, 'kubernetes');
            assert.ok(f.resource?.kind);
            assert.ok(f.fixes?.some((x) => x.kind === 'suppress'), 'offers a suppression');
          }
          if (!rule.fixes || c.fixable === false) return;
          for (const f of mine) {
            if (!preferredFix(f)) continue;
            const after = applyFix(c.yaml, f);
            const rerun = runOn(after, { rules: [rule], level: c.level ?? 'restricted', pssVersion: c.pssVersion, workspace: c.workspace ?? {} });
            assert.deepEqual(rerun.file.problems, [], `fix keeps the YAML valid:\n${after}`);
            assert.ok(rerun.findings.filter((x) => x.code === rule.id).length < mine.length, `fix "${preferredFix(f)?.title}" clears the finding:\n${after}`);
            assert.ok(untouchedLinesKept(c.yaml, after, f), `fix touches only its lines:\n${after}`);
            const full = { level: c.level ?? 'restricted', pssVersion: c.pssVersion, workspace: c.workspace ?? {} } as const;
            const problem = fixChangedOnlyItsOwn(rule.id, runOn(c.yaml, full).findings, runOn(after, full).findings);
            assert.equal(problem, undefined, `${problem}:\n${after}`);
          }
        });
      }
    });
  }
});
