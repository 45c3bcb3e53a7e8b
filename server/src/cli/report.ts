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

function jsonFinding(file: string, f: Finding): object {
  return {
    file,
    range: f.range,
    severity: f.severity,
    code: f.code,
    message: f.message,
    controls: f.controls,
    source: f.source,
    ...(f.resource ? { resource: f.resource } : {}),
  };
}

/** The `check --format json` object of DESIGN.md. */
export function toJsonReport(results: FileFindings[]): object {
  return {
    version: 1,
    findings: results.flatMap((r) => r.findings.map((f) => jsonFinding(r.file, f))),
    summary: summarize(results),
  };
}

/**
 * The text of `JSON.stringify(toJsonReport(results), null, 2)` and a newline, in pieces of about `chunkSize`
 * characters: a repository's report can run to a hundred megabytes, which as one string (and once more as the
 * bytes written) cost seconds and as much memory again.
 */
export function* jsonReportChunks(results: FileFindings[], chunkSize = 1 << 20): Generator<string> {
  let out = '{\n  "version": 1,\n  "findings": [';
  let first = true;
  for (const r of results) {
    for (const f of r.findings) {
      out += (first ? '\n    ' : ',\n    ') + JSON.stringify(jsonFinding(r.file, f), null, 2).replace(/\n/g, '\n    ');
      first = false;
      if (out.length >= chunkSize) {
        yield out;
        out = '';
      }
    }
  }
  out += first ? '],\n' : '\n  ],\n';
  out += '  "summary": ' + JSON.stringify(summarize(results), null, 2).replace(/\n/g, '\n  ') + '\n}\n';
  yield out;
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
