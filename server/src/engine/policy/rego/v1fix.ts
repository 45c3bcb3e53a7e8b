/**
 * Rewrites Rego v0 rule shapes into v1 (what `opa fmt --v0-v1` does to rule heads): `if` before every
 * rule and else body, and `p[x] { ... }` partial sets as `p contains x if { ... }`. Offsets are Rego-text
 * offsets; callers map them to the file.
 */
import type { Rule } from './ast';
import type { RegoModuleInfo } from './module';

export interface RegoEdit {
  start: number;
  end: number;
  newText: string;
}

export function v1EditsForRule(mod: RegoModuleInfo, rule: Rule): RegoEdit[] {
  const edits: RegoEdit[] = [];
  const text = mod.source.text;
  const head = rule.head;
  if (rule.kind === 'partial-set' && !head.contains && head.key && head.ref.type === 'ref') {
    const last = head.ref.args[head.ref.args.length - 1];
    edits.push({ start: last.start, end: last.end, newText: ` contains ${text.slice(head.key.start, head.key.end)}` });
  }
  const first = rule.bodies[0];
  if (first && !rule.hasIf && text[first.start] === '{') edits.push({ start: first.start, end: first.start, newText: 'if ' });
  for (const e of rule.elses) {
    if (e.body && !e.hasIf && text[e.body.start] === '{') edits.push({ start: e.body.start, end: e.body.start, newText: 'if ' });
  }
  return edits;
}

export function v1Edits(mod: RegoModuleInfo): RegoEdit[] {
  return mod.module.rules.flatMap((r) => v1EditsForRule(mod, r));
}
