/** Coverage as plain text for a terminal: totals, one line per family, one per control, failures beneath. */
import { STATUS_LABEL, type CoverageStatus } from '../status';
import type { CoverageReport, StatusTally } from '../service';
import type { FileNamer } from './json';

const MARK: Record<CoverageStatus, string> = { failing: 'x', excepted: '!', validated: '+', enforced: '~', implemented: '-', uncovered: ' ' };

function tallyLine(t: StatusTally): string {
  const parts = (['failing', 'excepted', 'validated', 'enforced', 'implemented', 'uncovered'] as CoverageStatus[])
    .filter((s) => t.byStatus[s])
    .map((s) => `${t.byStatus[s]} ${s}`);
  return `${t.covered}/${t.total} covered (${t.percent}%)${parts.length ? ` · ${parts.join(', ')}` : ''}`;
}

export function toCoverageText(report: CoverageReport, fileOf: FileNamer): string {
  const lines: string[] = [];
  lines.push(`Control coverage for ${report.baseline.title} (${report.baseline.name})`);
  for (const p of report.baseline.problems) lines.push(`  note: ${p}`);
  lines.push(`Total: ${tallyLine(report.totals)}`, '');
  for (const f of report.families) {
    lines.push(`${f.id.toUpperCase()} ${f.title}: ${tallyLine(f)}`);
    for (const c of report.controls.filter((x) => x.family === f.id)) {
      const title = c.title ? ` ${c.title}` : '';
      lines.push(`  [${MARK[c.status]}] ${c.display.padEnd(9)}${title} · ${STATUS_LABEL[c.status].toLowerCase()}${c.description ? ` · ${c.description}` : ''}`);
      for (const e of c.evidence ?? []) {
        if (e.kind !== 'fail' && e.kind !== 'exception') continue;
        lines.push(`        ${fileOf(e.uri)}:${e.range.start.line + 1}:${e.range.start.character + 1} ${e.kind === 'fail' ? 'fails' : 'excepted'}: ${e.detail}`);
      }
    }
  }
  if (report.outsideBaseline.length) lines.push('', `Mapped but outside the baseline: ${report.outsideBaseline.length} control${report.outsideBaseline.length === 1 ? '' : 's'}`);
  lines.push('', 'Legend: [x] failing  [!] excepted  [+] validated  [~] enforced  [-] implemented  [ ] uncovered');
  return lines.join('\n') + '\n';
}
