import { applyEdits } from '../documents/applyEdits';
import { LineIndex } from '../documents/lineIndex';
import type { TextEdit } from '../types';

/**
 * Applies non-overlapping edits to `text` (positions refer to the original text). Inserts at one position
 * land in the order given, as LSP clients apply them. Overlapping edits are a bug in the fix that made them.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const result = applyEdits(text, edits);
  if (result.dropped) throw new Error('Overlapping text edits');
  return result.text;
}

/** One edit that turns `before` into `after`, covering only the span that differs. */
export function diffEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  const lines = new LineIndex(before);
  return { range: lines.range(start, endB), newText: after.slice(start, endA) };
}
