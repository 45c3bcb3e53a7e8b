import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runKyvernoTests, type TestEntry } from '../engine/policy/kyverno/testRunner';
import { UsageError, type CliOptions } from './args';
import type { CliIo } from './main';
import { relativeFile } from './report';

/** One entry per expected result, as the issue's contract names the fields. */
function toJson(entry: TestEntry, cwd: string) {
  return {
    test: entry.test,
    file: relativeFile(entry.file, cwd),
    policy: entry.policy,
    rule: entry.rule,
    resource: entry.resource,
    kind: entry.kind,
    expected: entry.expected,
    actual: entry.actual,
    reason: entry.reason,
  };
}

/** `control-lens test`: runs Kyverno CLI test files with the built-in engine; exit 1 on any mismatch. */
export async function runTestCommand(options: CliOptions, io: CliIo): Promise<number> {
  const paths = options.paths.map((p) => resolve(io.cwd, p));
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`no such file or folder: ${relativeFile(p, io.cwd)}`);
  const run = runKyvernoTests(paths);
  const mismatches = run.entries.filter((e) => !e.agrees);
  const files = new Set(run.entries.map((e) => e.file));
  if (options.format === 'json') {
    io.stdout(
      JSON.stringify(
        {
          version: 1,
          results: run.entries.map((e) => toJson(e, io.cwd)),
          errors: run.errors.map((e) => ({ file: relativeFile(e.file, io.cwd), message: e.message })),
          summary: { tests: files.size, results: run.entries.length, passed: run.entries.length - mismatches.length, failed: mismatches.length, errors: run.errors.length },
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const lines: string[] = [];
    for (const e of mismatches) {
      lines.push(
        `${relativeFile(e.file, io.cwd)}: ${e.test}: policy ${e.policy}, rule ${e.rule}, ${e.kind} ${e.resource}: expected ${e.expected}, got ${e.actual}${e.reason ? ` (${e.reason})` : ''}`,
      );
    }
    for (const e of run.errors) lines.push(`${relativeFile(e.file, io.cwd)}: error: ${e.message}`);
    lines.push(
      `${files.size} test file${files.size === 1 ? '' : 's'}, ${run.entries.length} expected result${run.entries.length === 1 ? '' : 's'}: ${run.entries.length - mismatches.length} passed, ${mismatches.length} failed${run.errors.length ? `, ${run.errors.length} file${run.errors.length === 1 ? '' : 's'} could not run` : ''}`,
    );
    io.stdout(lines.join('\n') + '\n');
  }
  if (run.entries.length === 0 && run.errors.length === 0) {
    io.stderr('control-lens: no Kyverno test files (kyverno-test.yaml) found\n');
  }
  return mismatches.length || run.errors.length ? 1 : 0;
}
