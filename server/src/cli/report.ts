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

/**
 * The `check --format json` report of DESIGN.md (`{ version, findings, summary }`), as JSON.stringify(report,
 * null, 2) and a newline would write it, in pieces of about `batch` findings:
 * a repository's report can run to a hundred megabytes, which as one string (and once more as the bytes written)
 * costs as much memory again. Each piece is the findings array of a report made of just that batch, cut out of
 * its own JSON.stringify, so the indentation is the whole report's.
 */
export function* jsonReportChunks(results: FileFindings[], batch = 2000): Generator<string> {
  const open = '{\n  "findings": [\n';
  const close = '\n  ]\n}';
  let pending: object[] = [];
  let wrote = false;
  const flush = (): string => {
    const text = JSON.stringify({ findings: pending }, null, 2);
    pending = [];
    const items = text.slice(open.length, text.length - close.length);
    const piece = (wrote ? ',\n' : '{\n  "version": 1,\n  "findings": [\n') + items;
    wrote = true;
    return piece;
  };
  for (const r of results) {
    for (const f of r.findings) {
      pending.push(jsonFinding(r.file, f));
      if (pending.length >= batch) yield flush();
    }
  }
  if (pending.length) yield flush();
  const summary = JSON.stringify({ summary: summarize(results) }, null, 2);
  yield (wrote ? '\n  ],\n' : '{\n  "version": 1,\n  "findings": [],\n') + summary.slice(2, summary.length - 2) + '\n}\n';
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
