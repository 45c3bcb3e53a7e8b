import { DocumentParser, type ParsedFile } from '../documents/parse';
import { applyTextEdits, diffEdit } from '../fixes/applyEdits';
import { comparePositions, type Fix, type TextEdit } from '../types';
import { checkKubernetesFile, type KubernetesCheckOptions } from './check';

const MAX_ROUNDS = 20;
/** Each round re-parses the file; on a huge file stop starting new rounds after this long. */
const TIME_BUDGET_MS = 3000;

function preferredSafeFix(fixes: Fix[] | undefined): Fix | undefined {
  const fix = fixes?.find((f) => f.kind === 'quickfix' && f.isPreferred);
  return fix?.safe ? fix : undefined;
}

/** Two fixes conflict when any of their edits overlap or meet at one point (two inserts at one place). */
function conflicts(a: TextEdit[], b: TextEdit[]): boolean {
  return a.some((x) => b.some((y) => comparePositions(x.range.start, y.range.end) <= 0 && comparePositions(y.range.start, x.range.end) <= 0));
}

/**
 * Applies every safe preferred fix of the file (source.fixAll / `check --fix`) and returns one edit from
 * the old text to the new. Fixes that would collide are applied in later rounds on the re-parsed text,
 * so two fixes that both create a container's securityContext end up in one block. A round that would
 * break the YAML is dropped.
 */
export function fixAllKubernetes(file: ParsedFile, options: KubernetesCheckOptions = {}, reparse?: (text: string) => ParsedFile): TextEdit[] {
  const parse = reparse ?? ((text: string) => new DocumentParser().parse(file.uri, text));
  const tried = new Set<string>();
  let current = file;
  const started = Date.now();
  for (let round = 0; round < MAX_ROUNDS && Date.now() - started < TIME_BUDGET_MS; round++) {
    const chosen: Fix[] = [];
    for (const f of checkKubernetesFile(current, options)) {
      const fix = f.suppressed ? undefined : preferredSafeFix(f.fixes);
      const key = `${f.code}|${f.message}|${f.resource?.document}`;
      if (!fix || tried.has(key) || chosen.some((c) => conflicts(c.edits, fix.edits))) continue;
      chosen.push(fix);
      tried.add(key);
    }
    if (chosen.length === 0) break;
    const next = parse(applyTextEdits(current.text, chosen.flatMap((f) => f.edits)));
    if (next.problems.length > current.problems.length) break;
    current = next;
  }
  const edit = diffEdit(file.text, current.text);
  return edit ? [edit] : [];
}
