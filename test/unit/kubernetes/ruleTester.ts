import { DocumentParser } from '../../../server/src/engine/documents/parse';
import { applyTextEdits } from '../../../server/src/engine/fixes/applyEdits';
import { checkKubernetesObjects, type KubernetesCheckOptions } from '../../../server/src/engine/kubernetes/check';
import type { Finding } from '../../../server/src/engine/types';

let counter = 0;

/** Parses `text` as a fresh YAML file and runs the rule pack (or the given rules) over it. */
export function runOn(text: string, options: KubernetesCheckOptions = {}, uri = `file:///case-${counter++}.yaml`) {
  const file = new DocumentParser().parse(uri, text);
  return { file, ...checkKubernetesObjects(file, options) };
}

export function preferredFix(f: Finding) {
  return f.fixes?.find((x) => x.kind === 'quickfix' && x.isPreferred) ?? f.fixes?.find((x) => x.kind === 'quickfix');
}

export function applyFix(text: string, f: Finding): string {
  const fix = preferredFix(f);
  if (!fix) throw new Error(`no fix for ${f.code}`);
  return applyTextEdits(text, fix.edits);
}

/** Lines of `before` that must survive unchanged: all but those the edits touch. */
export function untouchedLinesKept(before: string, after: string, f: Finding): boolean {
  const fix = preferredFix(f);
  if (!fix) return true;
  const a = before.split('\n');
  const b = after.split('\n');
  const touched = new Set<number>();
  for (const e of fix.edits) for (let l = e.range.start.line; l <= e.range.end.line; l++) touched.add(l);
  // Lines before the first touched line keep their numbers; lines after the last keep their distance from the end.
  const first = Math.min(...touched);
  const last = Math.max(...touched);
  for (let i = 0; i < first; i++) if (a[i] !== b[i]) return false;
  for (let i = 1; i < a.length - last; i++) if (a[a.length - i] !== b[b.length - i]) return false;
  return true;
}
