import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { evaluatePodSecurity } from '../../server/src/engine/kubernetes/pss';
import type { PssLevel } from '../../server/src/engine/kubernetes/pss';
import { corpusFiles, hasCorpus } from '../support/corpus';
import { runOn } from '../unit/kubernetes/ruleTester';

/**
 * Agreement with the Pod Security Admission's own fixtures: at each level, every fail/ fixture gets a
 * finding `pss.<fixture name less digits>` and no pass/ fixture gets any pss.* finding.
 */
const LEVELS: PssLevel[] = ['baseline', 'restricted'];

describe('PSS agreement with the Pod Security Admission fixtures (v1.34)', { skip: !hasCorpus() && 'no corpus' }, () => {
  for (const level of LEVELS) {
    const files = corpusFiles(`pss/${level}/v1.34`, /\.yaml$/);
    test(`${level}: fixtures are present`, () => assert.ok(files.length > 10));
    for (const path of files) {
      const name = basename(path, '.yaml');
      const expected = `pss.${name.replace(/\d+$/, '')}`;
      const shouldFail = path.includes('/fail/');
      test(`${level} ${shouldFail ? 'fail' : 'pass'}/${name}`, () => {
        const text = readFileSync(path, 'utf8');
        const { findings, file } = runOn(text, { level }, `file://${path}`);
        assert.deepEqual(file.problems, []);
        const pss = findings.filter((f) => f.code.startsWith('pss.'));
        if (shouldFail) assert.ok(pss.some((f) => f.code === expected), `expected ${expected}, got ${pss.map((f) => f.code).join(', ') || 'nothing'}`);
        else assert.deepEqual(pss.map((f) => `${f.code}: ${f.message}`), []);
        // The library API the Kyverno engine uses agrees with the findings.
        const violations = evaluatePodSecurity(parse(text), level);
        assert.deepEqual([...new Set(violations.map((v) => `pss.${v.check}`))].sort(), [...new Set(pss.map((f) => f.code))].sort());
        for (const f of pss) {
          const doc = text.split('\n');
          assert.ok(f.range.start.line < doc.length && f.range.end.line < doc.length);
          assert.ok(f.range.start.line < f.range.end.line || f.range.start.character < f.range.end.character, 'range is not empty');
        }
      });
    }
  }
});
