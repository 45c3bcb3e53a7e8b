import { isScalar } from 'yaml';
import type { ControlDirectory } from '../analysis';
import { findControlMentions } from '../controls/ids';
import { documentAt, pathAtOffset } from '../documents/paths';
import type { ParsedFile } from '../documents/parse';
import type { Range } from '../types';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** Hover on a control id written anywhere in one of our files: in a YAML/JSON scalar or a Rego comment. */
export function controlHoverAt(file: ParsedFile, offset: number, controls: ControlDirectory): HoverResult | undefined {
  let text: string;
  let textStart: number;
  if (file.format === 'rego') {
    const line = file.lines.positionAt(offset).line;
    textStart = file.lines.lineStart(line);
    text = file.lines.lineText(line);
  } else {
    const doc = documentAt(file, offset);
    if (!doc) return undefined;
    const at = pathAtOffset(doc, offset);
    if (!at.node || !isScalar(at.node) || !at.node.range) return undefined;
    textStart = doc.base + at.node.range[0];
    text = file.text.slice(textStart, doc.base + at.node.range[1]);
  }
  for (const m of findControlMentions(text, (f) => controls.isKnownFamily(f))) {
    const start = textStart + m.offset;
    const end = start + m.text.length;
    if (offset < start || offset > end) continue;
    const markdown = controls.hover(m.id);
    if (!markdown) return undefined;
    return { markdown, range: file.lines.range(start, end) };
  }
  return undefined;
}
