/**
 * Maps offsets inside a YAML scalar's value back to offsets in the file it came from, so that text
 * embedded in YAML (Rego in a ConstraintTemplate, CEL in a policy) gets its diagnostics at the exact
 * characters. Block scalars (`|`, `>`, indentation indicators, chomping) are rebuilt line by line and
 * the rebuild is checked against the YAML library's own value; anything else (or a rebuild that does
 * not agree) falls back to aligning the value's characters with the source text in order.
 */

export interface ScalarMap {
  /** The scalar's value, as the YAML library read it. */
  value: string;
  /** Absolute file offset of the value character at `index` (`index === value.length` maps past the end). */
  toFile(index: number): number;
  /** The value offset at absolute file offset `offset` (the nearest value character before it). */
  fromFile(offset: number): number;
  /** True when the map was rebuilt from the block scalar's structure, false when aligned by characters. */
  exact: boolean;
}

interface Segment {
  /** Offset in the value. */
  value: number;
  /** Offset in the file. */
  file: number;
  length: number;
}

interface Line {
  start: number;
  /** End of the line's text (before its line break). */
  end: number;
  /** Offset of the line break after the line (== end at the end of input). */
  breakAt: number;
}

function splitLines(text: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let i = from;
  while (i < to) {
    let j = i;
    while (j < to && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
    lines.push({ start: i, end: j, breakAt: j });
    if (j >= to) break;
    i = text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
  }
  return lines;
}

function leadingSpaces(text: string, line: Line): number {
  let n = 0;
  while (line.start + n < line.end && text.charCodeAt(line.start + n) === 32) n++;
  return n;
}

function isBlank(text: string, line: Line): boolean {
  return /^[ \t]*$/.test(text.slice(line.start, line.end));
}

function makeMap(value: string, segments: Segment[], exact: boolean, fallbackEnd: number): ScalarMap {
  return {
    value,
    exact,
    toFile(index: number): number {
      if (segments.length === 0) return fallbackEnd;
      let lo = 0;
      let hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid].value <= index) lo = mid;
        else hi = mid - 1;
      }
      const s = segments[lo];
      if (index < s.value) return s.file;
      return s.file + Math.min(index - s.value, s.length);
    },
    fromFile(offset: number): number {
      // Segments grow in file order as in value order, so the last one starting at or before `offset` holds it.
      let best: Segment | undefined;
      let lo = 0;
      let hi = segments.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (segments[mid].file <= offset) {
          best = segments[mid];
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (!best) return 0;
      return best.value + Math.min(offset - best.file, best.length);
    },
  };
}

/**
 * The map for a scalar node whose source starts at `nodeStart` (the indicator or quote) and ends at
 * `nodeEnd`, both absolute offsets in `text`.
 */
export function scalarMap(text: string, nodeStart: number, nodeEnd: number, value: string): ScalarMap {
  const c = text[nodeStart];
  if (c === '|' || c === '>') {
    const block = blockScalarMap(text, nodeStart, nodeEnd, value);
    if (block) return block;
  }
  return alignedMap(text, nodeStart, nodeEnd, value);
}

function blockScalarMap(text: string, nodeStart: number, nodeEnd: number, value: string): ScalarMap | undefined {
  const headerEnd = splitLines(text, nodeStart, nodeEnd)[0]?.breakAt ?? nodeEnd;
  const header = /^([|>])([1-9+-]{0,2})/.exec(text.slice(nodeStart, headerEnd));
  if (!header) return undefined;
  const literal = header[1] === '|';
  const indicators = header[2];
  const chomp: 'strip' | 'clip' | 'keep' = indicators.includes('-') ? 'strip' : indicators.includes('+') ? 'keep' : 'clip';
  const explicit = /[1-9]/.test(indicators);
  const bodyStart = text.charCodeAt(headerEnd) === 13 && text.charCodeAt(headerEnd + 1) === 10 ? headerEnd + 2 : headerEnd + 1;
  const lines = bodyStart <= nodeEnd ? splitLines(text, bodyStart, Math.max(bodyStart, nodeEnd)) : [];
  const firstText = lines.find((l) => !isBlank(text, l));
  const candidates: number[] = [];
  if (!firstText) candidates.push(0);
  else if (!explicit) candidates.push(leadingSpaces(text, firstText));
  else for (let n = leadingSpaces(text, firstText); n >= 0; n--) candidates.push(n);
  for (const indent of candidates) {
    const built = literal ? buildLiteral(text, lines, indent, chomp) : buildFolded(text, lines, indent, chomp);
    if (built.value === value) return makeMap(value, built.segments, true, nodeEnd);
  }
  return undefined;
}

interface Built {
  value: string;
  segments: Segment[];
}

class Builder {
  value = '';
  readonly segments: Segment[] = [];
  add(str: string, fileOffset: number, contiguous: boolean): void {
    if (!str) return;
    if (contiguous) {
      this.segments.push({ value: this.value.length, file: fileOffset, length: str.length });
    } else {
      // Characters made up by folding (a space for a line break) all map to the one break.
      for (let k = 0; k < str.length; k++) this.segments.push({ value: this.value.length + k, file: fileOffset, length: 0 });
    }
    this.value += str;
  }
}

/** Content lines only: trailing blank lines are the chomping's business. */
function contentLines(text: string, lines: Line[], indent: number): { lines: Line[]; trailing: Line[] } {
  let last = lines.length - 1;
  while (last >= 0 && isBlank(text, lines[last]) && lines[last].end - lines[last].start <= indent) last--;
  return { lines: lines.slice(0, last + 1), trailing: lines.slice(last + 1) };
}

function lineText(text: string, line: Line, indent: number): { str: string; at: number } {
  const at = Math.min(line.start + indent, line.end);
  return { str: text.slice(at, line.end), at };
}

function finishChomp(b: Builder, lastBreak: number | undefined, trailing: Line[], chomp: 'strip' | 'clip' | 'keep'): void {
  if (chomp === 'strip' || lastBreak === undefined) {
    if (chomp === 'keep') for (const t of trailing) b.add('\n', t.breakAt, true);
    return;
  }
  b.add('\n', lastBreak, true);
  if (chomp === 'keep') for (const t of trailing) b.add('\n', t.breakAt, true);
}

function buildLiteral(text: string, all: Line[], indent: number, chomp: 'strip' | 'clip' | 'keep'): Built {
  const b = new Builder();
  const { lines, trailing } = contentLines(text, all, indent);
  lines.forEach((line, i) => {
    const { str, at } = lineText(text, line, indent);
    b.add(str, at, true);
    if (i < lines.length - 1) b.add('\n', line.breakAt, true);
  });
  finishChomp(b, lines.length ? lines[lines.length - 1].breakAt : undefined, trailing, chomp);
  return b;
}

function buildFolded(text: string, all: Line[], indent: number, chomp: 'strip' | 'clip' | 'keep'): Built {
  const b = new Builder();
  const { lines, trailing } = contentLines(text, all, indent);
  const blank = (l: Line): boolean => lineText(text, l, indent).str === '' || (isBlank(text, l) && l.end - l.start <= indent);
  const moreIndented = (l: Line): boolean => /^[ \t]/.test(lineText(text, l, indent).str);
  let prevText: Line | undefined;
  let pendingBlanks: Line[] = [];
  for (const line of lines) {
    if (blank(line)) {
      pendingBlanks.push(line);
      continue;
    }
    if (!prevText) {
      for (const bl of pendingBlanks) b.add('\n', bl.breakAt, true);
    } else {
      const folds = !moreIndented(prevText) && !moreIndented(line);
      if (folds && pendingBlanks.length === 0) b.add(' ', prevText.breakAt, false);
      else {
        if (!folds) b.add('\n', prevText.breakAt, true);
        for (const bl of pendingBlanks) b.add('\n', bl.breakAt, true);
      }
    }
    pendingBlanks = [];
    const { str, at } = lineText(text, line, indent);
    b.add(str, at, true);
    prevText = line;
  }
  finishChomp(b, prevText?.breakAt, [...pendingBlanks, ...trailing], chomp);
  return b;
}

/**
 * Aligns the value with the source character by character: each non-space value character is matched
 * with its next occurrence in the source; spaces and line breaks (possibly produced by folding or
 * escapes) map to where the source pointer stands.
 */
function alignedMap(text: string, nodeStart: number, nodeEnd: number, value: string): ScalarMap {
  const quote = text[nodeStart] === '"' || text[nodeStart] === "'" ? 1 : 0;
  const segments: Segment[] = [];
  let src = nodeStart + quote;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === ' ' || ch === '\n' || ch === '\t') {
      if (text[src] === ch) {
        segments.push({ value: i, file: src, length: 1 });
        src++;
      } else {
        segments.push({ value: i, file: src, length: 0 });
      }
      continue;
    }
    let k = src;
    while (k < nodeEnd && text[k] !== ch) k++;
    if (k >= nodeEnd) {
      segments.push({ value: i, file: Math.min(src, nodeEnd), length: 0 });
      continue;
    }
    segments.push({ value: i, file: k, length: 1 });
    src = k + 1;
  }
  return makeMap(value, segments, false, nodeEnd);
}
