import { isMap, isPair, isScalar, isSeq, stringify, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ParsedDocument, ParsedFile } from '../documents/parse';
import { resolvePath, type JsonPath } from '../documents/paths';
import type { TextEdit } from '../types';

/**
 * Minimal, format-preserving edits to one document of a YAML (or JSON) file. Every helper returns
 * TextEdits that touch only the lines they must: comments, key order, quoting and indentation of
 * everything else stay byte-identical, and no edit reaches outside the document.
 */
export interface EditTarget {
  file: ParsedFile;
  doc: ParsedDocument;
}

export interface ScalarStyle {
  /** Quote strings with double quotes even where plain style would do. */
  doubleQuoted?: boolean;
}

interface Layout {
  /** Spaces per nesting level. */
  unit: number;
  /** Whether block sequences under a key are indented (`key:\n  - a`) or not (`key:\n- a`). */
  indentSeq: boolean;
  eol: string;
}

const layoutCache = new WeakMap<ParsedDocument, Layout>();

function columnOf(t: EditTarget, relOffset: number): number {
  const pos = t.file.lines.positionAt(t.doc.base + relOffset);
  return pos.character;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  return (node as { range?: [number, number, number] } | null)?.range ?? undefined;
}

/** Reads the document's own indentation habits, so inserted blocks look like the lines around them. */
export function layoutOf(t: EditTarget): Layout {
  const cached = layoutCache.get(t.doc);
  if (cached) return cached;
  let unit: number | undefined;
  let indentSeq: boolean | undefined;
  visit(t.doc.yaml, {
    Pair(_key, pair) {
      if (unit !== undefined && indentSeq !== undefined) return visit.BREAK;
      const k = rangeOf(pair.key);
      const v = pair.value as Node | null;
      if (!k || !v) return undefined;
      if (unit === undefined && isMap(v) && !v.flow && v.items.length > 0) {
        const child = rangeOf(v.items[0].key);
        if (child) {
          const d = columnOf(t, child[0]) - columnOf(t, k[0]);
          if (d > 0) unit = d;
        }
      }
      if (indentSeq === undefined && isSeq(v) && !v.flow && v.items.length > 0) {
        const r = rangeOf(v);
        if (r) indentSeq = columnOf(t, r[0]) > columnOf(t, k[0]);
      }
      return undefined;
    },
  });
  const layout: Layout = { unit: unit ?? 2, indentSeq: indentSeq ?? true, eol: t.file.text.includes('\r\n') ? '\r\n' : '\n' };
  layoutCache.set(t.doc, layout);
  return layout;
}

function isJson(t: EditTarget): boolean {
  return t.file.format === 'json';
}

/** A scalar as YAML writes it (`false`, `RuntimeDefault`, `"a: b"`). */
export function renderScalar(value: unknown, style: ScalarStyle = {}, json = false): string {
  if (json) return JSON.stringify(value);
  if (typeof value === 'string' && style.doubleQuoted) return JSON.stringify(value);
  return stringify(value, { lineWidth: 0 }).replace(/\r?\n$/, '').replace(/\n\.\.\.$/, '');
}

/** A value in flow style, for `{}`-style maps and JSON files. */
export function renderFlow(value: unknown, json: boolean, style: ScalarStyle = {}): string {
  if (json) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => renderFlow(v, json, style)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${renderScalar(k)}: ${renderFlow(v, json, style)}`).join(', ')}}`;
  }
  return renderScalar(value, style);
}

/** `key: value` as block YAML at `indent`, each line after the first prefixed by the indentation. */
function renderBlockPair(key: string, value: unknown, indent: number, layout: Layout, style: ScalarStyle): string {
  const pad = ' '.repeat(indent);
  if (value === null || typeof value !== 'object') return `${pad}${renderScalar(key)}: ${renderScalar(value, style)}`;
  const text = stringify({ [key]: value }, { indent: layout.unit, indentSeq: layout.indentSeq, lineWidth: 0, ...(style.doubleQuoted ? { defaultStringType: 'QUOTE_DOUBLE' as const, defaultKeyType: 'PLAIN' as const } : {}) });
  return text
    .replace(/\r?\n$/, '')
    .split('\n')
    .map((l) => pad + l)
    .join(layout.eol);
}

/** Offset just past the last non-blank character before `end` (relative offsets). */
function contentEnd(text: string, base: number, start: number, end: number): number {
  let e = base + end;
  while (e > base + start && /\s/.test(text[e - 1])) e--;
  return e - base;
}

/** Inserts `key: value` pairs into the map at `mapPath` (which must exist), after its last entry. */
export function insertIntoMap(t: EditTarget, mapPath: JsonPath, entries: Record<string, unknown>, style: ScalarStyle = {}): TextEdit[] {
  const keys = Object.keys(entries);
  if (keys.length === 0) return [];
  const target = resolvePath(t.doc, mapPath);
  if (!target.exact) return [];
  const node = target.node as unknown;
  const layout = layoutOf(t);
  const json = isJson(t);
  const lines = t.file.lines;
  const text = t.file.text;
  const base = t.doc.base;
  if (isMap(node) && (node.flow || json)) {
    const r = rangeOf(node);
    if (!r) return [];
    const close = text.lastIndexOf('}', base + r[1] - 1);
    if (close < base + r[0]) return [];
    const entry = keys.map((key) => `${json ? JSON.stringify(key) : renderScalar(key)}: ${renderFlow(entries[key], json, style)}`).join(', ');
    if (node.items.length === 0) return [{ range: lines.range(base + r[0], close + 1), newText: `{${entry}}` }];
    const last = node.items[node.items.length - 1];
    const lastRange = rangeOf(last.value) ?? rangeOf(last.key);
    if (!lastRange) return [];
    const at = base + contentEnd(text, base, r[0], lastRange[1]);
    return [{ range: lines.range(at, at), newText: `, ${entry}` }];
  }
  if (isMap(node)) {
    const map = node as YAMLMap;
    if (map.items.length === 0) return [];
    const firstKey = rangeOf(map.items[0].key);
    if (!firstKey) return [];
    const indent = columnOf(t, firstKey[0]);
    const last = map.items[map.items.length - 1] as Pair;
    const lastEnd = rangeOf(last.value)?.[1] ?? rangeOf(last.key)?.[1];
    if (lastEnd === undefined) return [];
    const endLine = lines.positionAt(base + contentEnd(text, base, firstKey[0], lastEnd)).line;
    const at = lines.lineEnd(endLine);
    return [{ range: lines.range(at, at), newText: keys.map((key) => layout.eol + renderBlockPair(key, entries[key], indent, layout, style)).join('') }];
  }
  // A key with no value yet (`securityContext:` or `securityContext: null`): give it a block map.
  const pair = target.pair;
  if (pair && (node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined)))) {
    const k = rangeOf(pair.key);
    if (!k) return [];
    const keyCol = columnOf(t, k[0]);
    const v = rangeOf(node);
    if (json) return [];
    if (v && v[1] > v[0]) {
      return [{ range: lines.range(base + v[0], base + v[1]), newText: renderFlow(entries, false, style) }];
    }
    const keyLine = lines.positionAt(base + k[0]).line;
    const at = lines.lineEnd(keyLine);
    // A trailing comment on the key's line stays where it is; the new block goes on the lines below.
    return [{ range: lines.range(at, at), newText: keys.map((key) => layout.eol + renderBlockPair(key, entries[key], keyCol + layout.unit, layout, style)).join('') }];
  }
  return [];
}

/**
 * Sets the value at `path`, creating the missing maps on the way (`securityContext.seccompProfile.type`
 * under a container that has no securityContext yet). Existing scalars are replaced in place, keeping
 * their quote style; collections in the way are never overwritten.
 */
export function setValue(t: EditTarget, path: JsonPath, value: unknown, style: ScalarStyle = {}): TextEdit[] {
  const target = resolvePath(t.doc, path);
  const lines = t.file.lines;
  const base = t.doc.base;
  if (target.exact) {
    const node = target.node as unknown;
    if (isScalar(node) || node === null || node === undefined) {
      const r = rangeOf(node);
      if (value !== null && typeof value === 'object') {
        if (!isScalar(node) || node.value !== null) return [];
      }
      if (!r || r[1] <= r[0]) {
        // `key:` with no value: write the value after the colon.
        const k = rangeOf(target.pair?.key);
        if (!k) return [];
        const keyLine = lines.positionAt(base + k[0]).line;
        const colon = t.file.text.indexOf(':', base + k[1]);
        if (colon < 0 || colon > lines.lineEnd(keyLine)) return [];
        return [{ range: lines.range(colon + 1, colon + 1), newText: ' ' + renderFlow(value, isJson(t), style) }];
      }
      const raw = t.file.text.slice(base + r[0], base + r[1]);
      let newText = renderFlow(value, isJson(t), style);
      if (typeof value === 'string' && !isJson(t)) {
        if (raw.startsWith('"')) newText = JSON.stringify(value);
        else if (raw.startsWith("'")) newText = `'${value.replace(/'/g, "''")}'`;
      }
      if (raw === newText) return [];
      return [{ range: lines.range(base + r[0], base + r[1]), newText }];
    }
    return [];
  }
  const rest = path.slice(target.path.length);
  if (rest.length === 0 || rest.some((s) => typeof s !== 'string')) return [];
  let nested: unknown = value;
  for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i] as string]: nested };
  return insertIntoMap(t, target.path, { [rest[0] as string]: nested }, style);
}

/** Appends `value` to the sequence at `path`. */
export function appendToSeq(t: EditTarget, path: JsonPath, value: unknown, style: ScalarStyle = {}): TextEdit[] {
  const target = resolvePath(t.doc, path);
  if (!target.exact || !isSeq(target.node)) return [];
  const seq = target.node as YAMLSeq;
  const lines = t.file.lines;
  const text = t.file.text;
  const base = t.doc.base;
  const r = rangeOf(seq);
  if (!r) return [];
  const json = isJson(t);
  if (seq.flow || json) {
    const close = text.lastIndexOf(']', base + r[1] - 1);
    if (close < base + r[0]) return [];
    if (seq.items.length === 0) return [{ range: lines.range(base + r[0], close + 1), newText: `[${renderFlow(value, json, style)}]` }];
    const lastR = rangeOf(seq.items[seq.items.length - 1]);
    if (!lastR) return [];
    const at = base + contentEnd(text, base, r[0], lastR[1]);
    return [{ range: lines.range(at, at), newText: `, ${renderFlow(value, json, style)}` }];
  }
  if (seq.items.length === 0) return [];
  const dashCol = columnOf(t, r[0]);
  const lastR = rangeOf(seq.items[seq.items.length - 1]);
  if (!lastR) return [];
  const endLine = lines.positionAt(base + contentEnd(text, base, r[0], lastR[1])).line;
  const at = lines.lineEnd(endLine);
  const layout = layoutOf(t);
  const item = value !== null && typeof value === 'object' ? renderFlow(value, false, style) : renderScalar(value, style);
  return [{ range: lines.range(at, at), newText: `${layout.eol}${' '.repeat(dashCol)}- ${item}` }];
}

/** Whether only whitespace precedes `offset` on its line (the node starts its own line). */
function startsLine(t: EditTarget, absOffset: number): boolean {
  const line = t.file.lines.positionAt(absOffset).line;
  return t.file.text.slice(t.file.lines.lineStart(line), absOffset).trim() === '';
}

/** Deletes whole lines [fromLine, toLine] including the line break that ends them. */
function deleteLines(t: EditTarget, fromLine: number, toLine: number): TextEdit {
  const lines = t.file.lines;
  const start = lines.lineStart(fromLine);
  const end = toLine + 1 < lines.lineCount ? lines.lineStart(toLine + 1) : lines.lineEnd(toLine);
  return { range: lines.range(start, end), newText: '' };
}

/** Removes one item of a sequence. Block items must sit on lines of their own; flow items lose a comma. */
export function removeSeqItem(t: EditTarget, path: JsonPath): TextEdit[] {
  if (typeof path[path.length - 1] !== 'number') return [];
  const parent = resolvePath(t.doc, path.slice(0, -1));
  if (!parent.exact || !isSeq(parent.node)) return [];
  const seq = parent.node as YAMLSeq;
  const index = path[path.length - 1] as number;
  const item = seq.items[index];
  const r = rangeOf(item);
  if (!r) return [];
  const lines = t.file.lines;
  const text = t.file.text;
  const base = t.doc.base;
  if (seq.flow || isJson(t)) {
    let start = base + r[0];
    let end = base + r[1];
    if (index + 1 < seq.items.length) {
      const next = rangeOf(seq.items[index + 1]);
      if (!next) return [];
      end = base + next[0];
    } else if (index > 0) {
      const prev = rangeOf(seq.items[index - 1]);
      if (!prev) return [];
      start = base + contentEnd(text, base, prev[0], prev[1]);
    }
    return [{ range: lines.range(start, end), newText: '' }];
  }
  const dash = text.lastIndexOf('-', base + r[0]);
  if (dash < 0 || !startsLine(t, dash)) return [];
  const firstLine = lines.positionAt(dash).line;
  const lastLine = lines.positionAt(base + contentEnd(text, base, r[0], r[1])).line;
  if (seq.items.length === 1) {
    // An empty block sequence cannot be written in block style; leave `[]` on the key's line.
    const keyEnd = text.lastIndexOf(':', dash);
    if (keyEnd < 0) return [];
    return [
      { range: lines.range(keyEnd + 1, lines.lineEnd(lastLine)), newText: ' []' },
    ];
  }
  return [deleteLines(t, firstLine, lastLine)];
}

/** Removes `key: value` from a block or flow map. Refuses where the pair shares its line with a `- `. */
export function removePair(t: EditTarget, path: JsonPath): TextEdit[] {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return [];
  const parent = resolvePath(t.doc, path.slice(0, -1));
  if (!parent.exact || !isMap(parent.node)) return [];
  const map = parent.node as YAMLMap;
  const index = map.items.findIndex((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  if (index < 0) return [];
  const pair = map.items[index];
  const k = rangeOf(pair.key);
  if (!k) return [];
  const lines = t.file.lines;
  const text = t.file.text;
  const base = t.doc.base;
  const valueEnd = rangeOf(pair.value)?.[1] ?? k[1];
  if (map.flow || isJson(t)) {
    let start = base + k[0];
    let end = base + contentEnd(text, base, k[0], valueEnd);
    if (index + 1 < map.items.length) {
      const next = rangeOf(map.items[index + 1].key);
      if (!next) return [];
      end = base + next[0];
    } else if (index > 0) {
      const prev = map.items[index - 1];
      const prevEnd = rangeOf(prev.value)?.[1] ?? rangeOf(prev.key)?.[1];
      if (prevEnd === undefined) return [];
      start = base + contentEnd(text, base, 0, prevEnd);
    }
    return [{ range: lines.range(start, end), newText: '' }];
  }
  if (!startsLine(t, base + k[0])) return [];
  if (map.items.length === 1) {
    // The map would be left empty: write `{}` so its key keeps a map value.
    const owner = parent.pair;
    const ownerKey = rangeOf(owner?.key);
    if (!ownerKey) return [];
    const colon = text.indexOf(':', base + ownerKey[1]);
    const lastLine = lines.positionAt(base + contentEnd(text, base, k[0], valueEnd)).line;
    return [{ range: lines.range(colon + 1, lines.lineEnd(lastLine)), newText: ' {}' }];
  }
  const firstLine = lines.positionAt(base + k[0]).line;
  const lastLine = lines.positionAt(base + contentEnd(text, base, k[0], valueEnd)).line;
  return [deleteLines(t, firstLine, lastLine)];
}
