import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { corpusPath } from '../../support/corpus';

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { cwd, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function copyOfDisallowLatestTag(): string {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-kyverno-'));
  cpSync(corpusPath('kyverno', 'best-practices', 'disallow-latest-tag'), join(root, 'disallow-latest-tag'), { recursive: true });
  return root;
}

test('control-lens test: agreeing expectations exit 0 and print a summary', async () => {
  const root = copyOfDisallowLatestTag();
  const r = await run(['test', '.'], root);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /1 test file, \d+ expected results: \d+ passed, 0 failed/);
});

test('control-lens test: a wrong expectation is a mismatch, printed, with exit 1 and a JSON entry', async () => {
  const root = copyOfDisallowLatestTag();
  const testFile = join(root, 'disallow-latest-tag', '.kyverno-test', 'kyverno-test.yaml');
  const text = readFileSync(testFile, 'utf8');
  // gooddeployment01 passes; claim it fails.
  writeFileSync(testFile, text.replace(/( {2}resources:\n {2}- gooddeployment01\n {2}result: )pass/, '$1fail'));
  const r = await run(['test', '.'], root);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /gooddeployment01: expected fail, got pass/);
  const json = await run(['test', '.', '--format', 'json'], root);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout);
  const entry = report.results.find((e: { resource: string; expected: string }) => e.resource === 'gooddeployment01' && e.expected === 'fail');
  assert.deepEqual(Object.keys(entry).sort(), ['actual', 'expected', 'file', 'kind', 'policy', 'reason', 'resource', 'rule', 'test']);
  assert.equal(entry.actual, 'pass');
  assert.equal(report.summary.failed, 1);
});

test('control-lens test: a folder without test files says so', async () => {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-kyverno-empty-'));
  const r = await run(['test', '.'], root);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /no Kyverno test files/);
});
