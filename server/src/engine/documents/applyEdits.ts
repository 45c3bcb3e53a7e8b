import type { TextEdit } from '../types';
import { LineIndex } from './lineIndex';

/**
 * Applies non-overlapping edits to a text; overlapping ones after the first are dropped and counted. The sort is
 * stable, so inserts at one position land in the order given, as LSP clients apply them.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: number; dropped: number } {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  let applied = 0;
  let dropped = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) {
      dropped++;
      continue;
    }
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
    applied++;
  }
  out += text.slice(cursor);
  return { text: out, applied, dropped };
}
