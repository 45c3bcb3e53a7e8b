import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/main';

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { cwd, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const BAD_ANNOTATION = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  annotations:
    control-lens.dev/controls: "AC-6, QQ-9"
`;

test('check --format json follows the contract of DESIGN.md', async () => {
  const root = workspace({ 'deploy/cm.yaml': BAD_ANNOTATION, 'ci/pipeline.yaml': 'stages: [build]\n' });
  const { code, stdout } = await run(['check', '.', '--format', 'json'], root);
  assert.equal(code, 1);
  const report = JSON.parse(stdout);
  assert.equal(report.version, 1);
  assert.deepEqual(Object.keys(report.summary).sort(), ['errors', 'files', 'hints', 'information', 'warnings']);
  assert.equal(report.summary.files, 2);
  const f = report.findings.find((x: { code: string }) => x.code === 'controls.unknown-control');
  assert.ok(f, stdout);
  assert.equal(f.file, 'deploy/cm.yaml');
  assert.deepEqual(f.range, { start: { line: 6, character: 38 }, end: { line: 6, character: 42 } });
  assert.equal(f.severity, 'error');
  assert.equal(typeof f.message, 'string');
  assert.ok(Array.isArray(f.controls));
  assert.equal(f.source, 'controls');
  // Unrelated YAML (a CI config) gets no noise.
  assert.ok(!report.findings.some((x: { file: string }) => x.file === 'ci/pipeline.yaml'));
});

test('text output is compiler-like and exit codes follow --fail-on', async () => {
  const root = workspace({ 'cm.yaml': BAD_ANNOTATION });
  const text = await run(['check'], root);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^cm\.yaml:7:39 error controls\.unknown-control /m);
  assert.match(text.stdout, /1 file checked: 1 error/);
  const never = await run(['check', '--fail-on', 'never'], root);
  assert.equal(never.code, 0);
  const clean = workspace({ 'cm.yaml': BAD_ANNOTATION.replace(', QQ-9', '') });
  assert.equal((await run(['check'], clean)).code, 0);
});

test('usage and configuration errors exit 2 with one line on stderr', async () => {
  const root = workspace({ 'a.yaml': 'a: 1\n' });
  for (const args of [['frobnicate'], ['check', '--format', 'xml'], ['check', '--pod-security', 'lax'], ['check', 'missing-folder'], ['check', '--config', 'nope.yaml'], ['check', '--bogus']]) {
    const r = await run(args, root);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
    assert.match(r.stderr, /^control-lens: /);
  }
  const badConfig = workspace({ '.control-lens.yaml': 'podSecurity: lax\n', 'a.yaml': 'a: 1\n' });
  const r = await run(['check'], badConfig);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\.control-lens\.yaml:1:14: `podSecurity` must be `baseline` or `restricted`/);
});

test('.gitignore and exclude globs are honoured', async () => {
  const root = workspace({ '.gitignore': 'generated/\n', 'generated/cm.yaml': BAD_ANNOTATION, 'src/cm.yaml': BAD_ANNOTATION, '.control-lens.yaml': 'exclude: ["src/**"]\n' });
  const { stdout } = await run(['check', '--format', 'json'], root);
  const report = JSON.parse(stdout);
  assert.equal(report.summary.files, 0);
});

test('severity overrides from the config file apply', async () => {
  const root = workspace({ '.control-lens.yaml': 'severity:\n  controls.*: warning\n', 'cm.yaml': BAD_ANNOTATION });
  const { code, stdout } = await run(['check', '--format', 'json'], root);
  assert.equal(code, 0);
  assert.equal(JSON.parse(stdout).findings[0].severity, 'warning');
});

test('help and version', async () => {
  const root = workspace({});
  const help = await run(['--help'], root);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: control-lens/);
  assert.equal((await run(['--version'], root)).code, 0);
});
