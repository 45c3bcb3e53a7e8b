/** The `coverage --format json` object: `{ baseline, totals, families, controls: [{ id, title, status, evidence }] }`. */
import type { Evidence } from '../evidence';
import type { CoverageReport } from '../service';

/** How a file is named in an export: a path relative to the working directory, or the URI as is. */
export type FileNamer = (uri: string) => string;

export function evidenceJson(e: Evidence, fileOf: FileNamer): Record<string, unknown> {
  return {
    kind: e.kind,
    file: fileOf(e.uri),
    range: e.range,
    detail: e.detail,
    ...(e.check ? { check: e.check } : {}),
    ...(e.resource ? { resource: e.resource } : {}),
    ...(e.severity ? { severity: e.severity } : {}),
  };
}

export function toCoverageJson(report: CoverageReport, fileOf: FileNamer): Record<string, unknown> {
  return {
    version: 1,
    baseline: {
      name: report.baseline.name,
      title: report.baseline.title,
      source: report.baseline.source,
      ...(report.baseline.uri ? { file: fileOf(report.baseline.uri) } : {}),
      ...(report.baseline.problems.length ? { problems: report.baseline.problems } : {}),
    },
    totals: report.totals,
    families: report.families,
    controls: report.controls.map((c) => ({
      id: c.id,
      display: c.display,
      title: c.title,
      family: c.family,
      status: c.status,
      counts: c.counts,
      description: c.description,
      evidence: (c.evidence ?? []).map((e) => evidenceJson(e, fileOf)),
    })),
    outsideBaseline: report.outsideBaseline,
  };
}
