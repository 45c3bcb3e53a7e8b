import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentParser } from '../../../../server/src/engine/documents/parse';
import { testMismatchMarks } from '../../../../server/src/engine/policy/kyverno/testMarks';
import { runTestFile } from '../../../../server/src/engine/policy/kyverno/testRunner';
import { corpusPath } from '../../../support/corpus';

function testFileWith(edit: (text: string) => string): { path: string; text: string } {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-marks-'));
  cpSync(corpusPath('kyverno', 'best-practices', 'disallow-latest-tag'), root, { recursive: true });
  const path = join(root, '.kyverno-test', 'kyverno-test.yaml');
  const text = edit(readFileSync(path, 'utf8'));
  writeFileSync(path, text);
  return { path, text };
}

test('agreeing expectations leave no mark', () => {
  const { path, text } = testFileWith((t) => t);
  const file = new DocumentParser().parse(`file://${path}`, text);
  assert.deepEqual(testMismatchMarks(file, runTestFile(path)), []);
});

test('a wrong expectation is marked on its own resource name, and only there', () => {
  // badpod02 fails; say it passes. It is the second name of its results entry.
  const { path, text } = testFileWith((t) => t.replace(/( {2}- badpod01\n {2}- badpod02\n {2}result: )fail/, '$1pass'));
  const file = new DocumentParser().parse(`file://${path}`, text);
  const marks = testMismatchMarks(file, runTestFile(path));
  const badpod02 = text.split('\n').findIndex((l) => l.trim() === '- badpod02');
  const badpod01 = badpod02 - 1;
  assert.ok(marks.length >= 1);
  assert.ok(marks.every((m) => m.code === 'kyverno.test-mismatch'));
  assert.ok(marks.some((m) => m.range.start.line === badpod02 && /Expected pass .* badpod02 .* says fail/.test(m.message)), JSON.stringify(marks));
  assert.ok(marks.some((m) => m.range.start.line === badpod01), 'badpod01 shares the now-wrong expectation');
});
