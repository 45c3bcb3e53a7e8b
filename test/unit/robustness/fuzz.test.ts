import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileAnalyzer } from '../../../server/src/engine/analysis';
import { familyOnlyDirectory } from '../../../server/src/engine/controls/builtinDirectory';
import { ALL_ANALYZERS, createEngine, Engine } from '../../../server/src/engine';
import { hasCorpus } from '../../support/corpus';
import { runEngineFuzz } from '../../support/fuzzEdits';

// A fixed seed keeps `npm test` reproducible; FUZZ_SEED replays or varies a run.
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const EDITS = Number(process.env.FUZZ_EDITS ?? 3000);

test('random edits of corpus files through the engine: no exception, ranges inside the document, bounded steps', { skip: !hasCorpus() && 'no corpus' }, () => {
  const result = runEngineFuzz(() => createEngine(), { seed: SEED, edits: EDITS, perFolder: 5, maxBytes: 120_000, positions: 3, stepLimitMs: 3000 });
  assert.ok(result.files >= 10, `sampled only ${result.files} files`);
  assert.equal(result.edits, EDITS);
  const shown = result.violations.slice(0, 15).join('\n');
  assert.equal(result.violations.length, 0, `${result.violations.length} violations (replay with FUZZ_SEED=${SEED}):\n${shown}`);
});

test('the fuzz harness catches an analyser whose ranges leave the document or which throws', { skip: !hasCorpus() && 'no corpus' }, () => {
  const careless: FileAnalyzer = {
    id: 'careless',
    families: ['kubernetes', 'oscal', 'kyverno', 'gatekeeper', 'vap'],
    analyze: (entry) => {
      const lines = entry.file.lines;
      if (entry.file.version % 5 === 0) throw new Error('boom');
      // One line past the end: what an off-by-one after a truncation produces.
      return [{ range: { start: { line: lines.lineCount, character: 0 }, end: { line: lines.lineCount, character: 1 } }, severity: 'error', code: 'careless', message: 'careless finding', controls: [], source: 'kubernetes' }];
    },
  };
  const result = runEngineFuzz(() => new Engine({ analyzers: [...ALL_ANALYZERS, careless], controls: familyOnlyDirectory }), { seed: 7, edits: 60, perFolder: 1, maxBytes: 60_000, stepLimitMs: 3000 });
  assert.ok(result.violations.some((v) => /finding \d+ \(careless\)\.start: line \d+ outside/.test(v)), result.violations.slice(0, 3).join('\n'));
  assert.ok(result.violations.some((v) => /analyser failed: .*boom/.test(v)), result.violations.slice(0, 3).join('\n'));
});
