/** Turns a Rego module's problems into engine findings at file positions. */
import type { LineIndex } from '../../documents/lineIndex';
import type { Finding, ResourceRef } from '../../types';
import type { RegoModuleInfo } from './module';

export function regoFindings(mod: RegoModuleInfo, lines: LineIndex, resource?: ResourceRef): Finding[] {
  return mod.problems.map((p) => {
    const start = mod.source.toFile(p.start);
    // An empty span (end of input) still needs a visible range: map the end independently.
    const end = Math.max(start, mod.source.toFile(p.end));
    const finding: Finding = {
      range: lines.range(start, end),
      severity: p.severity,
      code: p.code,
      message: mod.source.label ? `${p.message} (in ${mod.source.label})` : p.message,
      controls: [],
      source: p.code.startsWith('controls.') ? 'controls' : 'rego',
    };
    if (resource) finding.resource = resource;
    return finding;
  });
}
