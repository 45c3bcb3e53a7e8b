/** Turns a Rego module's problems into engine findings at file positions. */
import type { LineIndex } from '../../documents/lineIndex';
import type { Finding, Fix, ResourceRef } from '../../types';
import type { RegoModuleInfo, RegoProblem } from './module';
import { v1Edits, v1EditsForRule, type RegoEdit } from './v1fix';

function fixFor(mod: RegoModuleInfo, p: RegoProblem, lines: LineIndex): Fix | undefined {
  let edits: RegoEdit[] = [];
  let title = '';
  if (p.code === 'rego.v0-syntax') {
    edits = v1Edits(mod);
    title = 'Rewrite the rules in Rego v1 syntax (if, contains)';
  } else if (p.code === 'rego.v1-syntax') {
    const rule = mod.module.rules.find((r) => r.start <= p.start && p.start <= r.end);
    if (rule) edits = v1EditsForRule(mod, rule);
    title = 'Use Rego v1 syntax for this rule';
  }
  if (!edits.length) return undefined;
  return {
    title,
    kind: 'quickfix',
    isPreferred: true,
    edits: edits.map((e) => ({ range: lines.range(mod.source.toFile(e.start), mod.source.toFile(e.end)), newText: e.newText })),
  };
}

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
    const fix = fixFor(mod, p, lines);
    if (fix) finding.fixes = [fix];
    return finding;
  });
}
