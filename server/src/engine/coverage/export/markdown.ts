/** Coverage as GitHub-flavoured markdown for a pull request comment: a summary, a family table, a control table. */
import { STATUS_LABEL, type CoverageStatus } from '../status';
import type { CoverageReport } from '../service';
import type { FileNamer } from './json';

const ICON: Record<CoverageStatus, string> = { failing: '❌', excepted: '⚠️', validated: '✅', enforced: '🛡️', implemented: '📝', uncovered: '⬜' };

/** Table cells hold no pipes or new lines. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function toCoverageMarkdown(report: CoverageReport, fileOf: FileNamer): string {
  const t = report.totals;
  const out: string[] = [];
  out.push(`### Control coverage: ${cell(report.baseline.title)}`, '');
  out.push(
    `**${t.percent}%** of ${t.total} controls have evidence · ${ICON.failing} ${t.byStatus.failing} failing · ${ICON.excepted} ${t.byStatus.excepted} excepted · ${ICON.validated} ${t.byStatus.validated} validated · ${ICON.enforced} ${t.byStatus.enforced} enforced · ${ICON.implemented} ${t.byStatus.implemented} implemented · ${ICON.uncovered} ${t.byStatus.uncovered} uncovered`,
    '',
  );
  for (const p of report.baseline.problems) out.push(`> ${cell(p)}`, '');
  out.push('| Family | Covered | Failing | Excepted |', '| --- | ---: | ---: | ---: |');
  for (const f of report.families) out.push(`| ${f.id.toUpperCase()} ${cell(f.title)} | ${f.covered}/${f.total} (${f.percent}%) | ${f.byStatus.failing} | ${f.byStatus.excepted} |`);
  out.push('', '| | Control | Title | Status | Evidence |', '| --- | --- | --- | --- | --- |');
  for (const c of report.controls) {
    const places = [...new Set((c.evidence ?? []).filter((e) => e.kind === 'fail' || e.kind === 'exception').map((e) => `${fileOf(e.uri)}:${e.range.start.line + 1}`))];
    const pointers = places.slice(0, 3).map((p) => `\`${cell(p)}\``);
    const more = places.length > pointers.length ? ' …' : '';
    const evidence = [c.description, pointers.join(', ') + more].filter(Boolean).join('<br>') || '—';
    out.push(`| ${ICON[c.status]} | ${c.display} | ${cell(c.title)} | ${STATUS_LABEL[c.status]} | ${cell(evidence)} |`);
  }
  out.push('');
  return out.join('\n');
}
