import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as Sarif from 'sarif';
import { toPath, type Engine } from '../engine';
import { isCheckFinding } from '../engine/coverage/collect/findings';
import { toCoverageJson } from '../engine/coverage/export/json';
import { toCoverageMarkdown } from '../engine/coverage/export/markdown';
import { toAssessmentResults } from '../engine/coverage/export/oscal';
import { toCoverageText } from '../engine/coverage/export/text';
import { CoverageService, type CoverageReport } from '../engine/coverage/service';
import { SEVERITY_ORDER, type Finding } from '../engine/types';
import type { CliOptions } from './args';
import type { CliIo } from './main';
import { relativeFile, type FileFindings } from './report';
import { toSarif } from './sarif';
import { appendAll } from '../engine/arrays';

declare const CONTROL_LENS_VERSION: string | undefined;

/** The folder relative baseline paths resolve against: the one folder given, else the working directory. */
function baseFolder(options: CliOptions, io: CliIo): string {
  const dirs = options.paths.map((p) => resolve(io.cwd, p)).filter((p) => existsSync(p) && statSync(p).isDirectory());
  return dirs.length === 1 ? dirs[0] : io.cwd;
}

/**
 * SARIF for the findings behind the coverage: every check finding on a control of the baseline, suppressed
 * ones included as SARIF suppressions (GitHub shows them as dismissed, with the reason).
 */
export function coverageSarif(engine: Engine, files: string[], report: CoverageReport, io: CliIo): Sarif.Log {
  const inBaseline = new Set(report.controls.map((c) => c.id));
  const results: FileFindings[] = [];
  const suppressions: (Finding['suppressed'] | undefined)[] = [];
  for (const uri of files) {
    const findings = engine
      .diagnostics(uri)
      .filter((f) => isCheckFinding(f) && f.controls.some((c) => inBaseline.has(c)))
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    if (!findings.length) continue;
    results.push({ file: relativeFile(toPath(uri) ?? uri, io.cwd), findings });
    appendAll(suppressions, findings.map((f) => f.suppressed));
  }
  const log = toSarif(results, (code) => engine.ruleHelp(code));
  log.runs[0].results?.forEach((r, i) => {
    const s = suppressions[i];
    if (s) r.suppressions = [{ kind: 'inSource', justification: s.reason }];
  });
  return log;
}

export async function runCoverageCommand(engine: Engine, files: string[], options: CliOptions, io: CliIo): Promise<number> {
  const coverage = new CoverageService(engine);
  const folder = baseFolder(options, io);
  const report = coverage.report({ baseline: options.baseline, root: folder, includeEvidence: true });
  if (!report.controls.length) {
    io.stderr(`control-lens: ${report.baseline.problems[0] ?? `baseline ${report.baseline.name} selects no controls`}\n`);
    return 2;
  }
  const fileOf = (uri: string) => relativeFile(toPath(uri) ?? uri, io.cwd);
  switch (options.format) {
    case 'json':
      io.stdout(JSON.stringify(toCoverageJson(report, fileOf), null, 2) + '\n');
      break;
    case 'markdown':
      io.stdout(toCoverageMarkdown(report, fileOf));
      break;
    case 'oscal':
      io.stdout(JSON.stringify(toAssessmentResults(report, { fileOf, toolVersion: typeof CONTROL_LENS_VERSION === 'string' ? CONTROL_LENS_VERSION : undefined }), null, 2) + '\n');
      break;
    case 'sarif':
      io.stdout(JSON.stringify(coverageSarif(engine, files, report, io), null, 2) + '\n');
      break;
    default:
      io.stdout(toCoverageText(report, fileOf));
  }
  return failsBuild(report, options.failOn) ? 1 : 0;
}

/** A failing control fails the build when one of its failures is at or above `--fail-on`. */
export function failsBuild(report: CoverageReport, failOn: CliOptions['failOn']): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITY_ORDER[failOn];
  return report.controls.some((c) => c.status === 'failing' && (c.evidence ?? []).some((e) => e.kind === 'fail' && SEVERITY_ORDER[e.severity ?? 'error'] >= threshold));
}
