import { relative } from 'node:path';
import { displayControlId } from '../engine/controls/ids';
import type { Finding, Severity } from '../engine/types';

export interface FileFindings {
  /** Path relative to the working directory, with forward slashes. */
  file: string;
  findings: Finding[];
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
}

export function relativeFile(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path) || path;
  return rel.split('\\').join('/');
}

export function summarize(results: FileFindings[]): Summary {
  const s: Summary = { files: results.length, errors: 0, warnings: 0, information: 0, hints: 0 };
  for (const r of results) {
    for (const f of r.findings) {
      if (f.severity === 'error') s.errors++;
      else if (f.severity === 'warning') s.warnings++;
      else if (f.severity === 'information') s.information++;
      else s.hints++;
    }
  }
  return s;
}

/** The `check --format json` object of DESIGN.md. */
export function toJsonReport(results: FileFindings[]): object {
  return {
    version: 1,
    findings: results.flatMap((r) =>
      r.findings.map((f) => ({
        file: r.file,
        range: f.range,
        severity: f.severity,
        code: f.code,
        message: f.message,
        controls: f.controls,
        source: f.source,
        ...(f.resource ? { resource: f.resource } : {}),
      })),
    ),
    summary: summarize(results),
  };
}

const LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };

/** Compiler-style lines: `file:line:col severity code message [AC-6, CM-7]`, one-based as editors expect. */
export function toTextReport(results: FileFindings[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      const controls = f.controls.length ? ` [${f.controls.map(displayControlId).join(', ')}]` : '';
      lines.push(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${LABEL[f.severity]} ${f.code} ${f.message}${controls}`);
    }
  }
  const s = summarize(results);
  lines.push(
    `${s.files} file${s.files === 1 ? '' : 's'} checked: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.information} info, ${s.hints} hint${s.hints === 1 ? '' : 's'}`,
  );
  return lines.join('\n') + '\n';
}
