import { randomUUID } from 'node:crypto';
import { isMap, isScalar, type Node } from 'yaml';
import type { ParsedDocument, ParsedFile } from '../documents/parse';
import { resolvePath, type JsonPath } from '../documents/paths';
import type { TextEdit } from '../types';
import { isArrayType, isEnumType, isObjectType, isOneOrMany, type OscalModel, type TypeExpr } from './model/model';

/** A fresh random (version 4) uuid, the form OSCAL asks for new objects. */
export function freshUuid(): string {
  return randomUUID();
}

/** OSCAL's date-time form (with time zone) for `now`. */
export function oscalNow(now: Date = new Date()): string {
  return now.toISOString();
}

function offsetsOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

const YAML_RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

/** A scalar written the way its document writes scalars: JSON string, or YAML in the node's own quoting. */
export function scalarText(file: ParsedFile, doc: ParsedDocument, node: unknown, value: string): string {
  if (file.format === 'json') return JSON.stringify(value);
  const type = isScalar(node) ? node.type : undefined;
  if (type === 'QUOTE_SINGLE' && !value.includes("'")) return `'${value}'`;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  return yamlScalar(value);
}

/** Replaces the scalar at `path` with `value`, keeping its quoting style. */
export function replaceValueEdit(file: ParsedFile, doc: ParsedDocument, path: JsonPath, value: string): TextEdit | undefined {
  const target = resolvePath(doc, path);
  if (!target.exact) return undefined;
  const o = offsetsOf(target.node);
  if (!o) return undefined;
  return { range: file.lines.range(doc.base + o[0], doc.base + o[1]), newText: scalarText(file, doc, target.node, value) };
}

/** A minimal value of a type: required fields only, one item in lists that need one, placeholders for text. */
export function skeletonOf(model: OscalModel, t: TypeExpr, now: Date, depth = 0): unknown {
  const r = model.resolve(t);
  if (typeof r === 'string') {
    switch (r) {
      case 'uuid':
        return freshUuid();
      case 'date-time':
        return oscalNow(now);
      case 'date':
        return oscalNow(now).slice(0, 10);
      case 'integer':
      case 'non-negative-integer':
        return 0;
      case 'positive-integer':
        return 1;
      case 'decimal':
        return 0;
      case 'boolean':
        return false;
      case 'any-object':
        return {};
      case 'uri':
        return 'https://example.com';
      case 'uri-reference':
        return '#';
      case 'token':
        return 'TODO';
      default:
        return 'TODO';
    }
  }
  if (isEnumType(r)) return r.v[0];
  if (isArrayType(r) || isOneOrMany(r)) return depth > 6 ? [] : [skeletonOf(model, r.i, now, depth + 1)];
  if (isObjectType(r)) {
    const out: Record<string, unknown> = {};
    if (depth > 6) return out;
    const required = r.r ?? r.alt?.[0]?.r ?? [];
    for (const f of required) out[f] = skeletonOf(model, r.p[f], now, depth + 1);
    return out;
  }
  return 'TODO';
}

/** Text of a value in YAML block style at a given indentation (for a value placed after `key:`). */
function yamlValue(v: unknown, indent: string, step: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return ' []';
    return v.map((item) => `\n${indent}- ${yamlInline(item, indent + '  ', step)}`).join('');
  }
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v);
    if (entries.length === 0) return ' {}';
    return entries.map(([k, x]) => `\n${indent}${k}:${yamlValue(x, indent + step, step)}`).join('');
  }
  return ` ${yamlScalar(v)}`;
}

/** A value after `- `: maps continue on the same line. */
function yamlInline(v: unknown, indent: string, step: string): string {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    return entries.map(([k, x], i) => `${i === 0 ? '' : `\n${indent}`}${k}:${yamlValue(x, indent + step, step)}`).join('');
  }
  return yamlValue(v, indent, step).trimStart();
}

const PLAIN_ANY = /^[A-Za-z0-9_/.][A-Za-z0-9_.\-:/+]*$/;
const NUMBER_LIKE = /^([-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+)|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;

/** A YAML scalar: plain when it reads back as the same string, else double-quoted. */
export function yamlScalar(v: unknown): string {
  if (typeof v === 'string') return PLAIN_ANY.test(v) && !YAML_RESERVED.test(v) && !NUMBER_LIKE.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

function lineIndent(file: ParsedFile, offset: number): string {
  const line = file.lines.positionAt(offset).line;
  return /^[ \t]*/.exec(file.lines.lineText(line))?.[0] ?? '';
}

/** Inserts `field: value` into the object (map) at `path`, in the document's own style. */
export function insertFieldEdit(file: ParsedFile, doc: ParsedDocument, path: JsonPath, field: string, value: unknown): TextEdit | undefined {
  const target = resolvePath(doc, path);
  if (!target.exact || !isMap(target.node)) return undefined;
  const map = target.node;
  const items = map.items;
  const mo = offsetsOf(map);
  if (!mo) return undefined;
  const last = items[items.length - 1];
  const flow = (map as { flow?: boolean }).flow || file.format === 'json';
  if (flow) {
    if (!last) {
      // `{}`: put the field inside the braces.
      const at = doc.base + mo[0] + 1;
      return { range: file.lines.range(at, at), newText: `${jsonKey(file, field)}: ${JSON.stringify(value)}` };
    }
    const end = offsetsOf(last.value as Node) ?? offsetsOf(last.key as Node);
    if (!end) return undefined;
    const at = doc.base + end[1];
    const firstKey = offsetsOf(items[0].key as Node);
    const sameLine = firstKey !== undefined && file.lines.positionAt(doc.base + firstKey[0]).line === file.lines.positionAt(doc.base + mo[0]).line;
    const indent = firstKey && !sameLine ? lineIndent(file, doc.base + firstKey[0]) : '';
    const unit = detectJsonIndent(file);
    const rendered = file.format === 'json' ? JSON.stringify(value, null, unit).replace(/\n/g, `\n${indent}`) : JSON.stringify(value);
    const sep = sameLine || !firstKey ? ', ' : `,\n${indent}`;
    return { range: file.lines.range(at, at), newText: `${sep}${jsonKey(file, field)}: ${rendered}` };
  }
  if (!last) return undefined;
  const firstKey = offsetsOf(items[0].key as Node);
  if (!firstKey) return undefined;
  const indent = ' '.repeat(file.lines.positionAt(doc.base + firstKey[0]).character);
  // After the last pair's value; a block value's range already ends at its last line break.
  const lastEnd = offsetsOf(last.value as Node) ?? offsetsOf(last.key as Node);
  if (!lastEnd) return undefined;
  let at = doc.base + lastEnd[1];
  const text = file.text;
  const lineEnd = file.lines.lineEnd(file.lines.positionAt(Math.max(at - 1, 0)).line);
  if (text[at - 1] !== '\n') at = lineEnd;
  const step = detectYamlIndent(file);
  const prefix = text[at - 1] === '\n' ? '' : '\n';
  const suffix = text[at - 1] === '\n' ? '\n' : '';
  return { range: file.lines.range(at, at), newText: `${prefix}${indent}${field}:${yamlValue(value, indent + step, step)}${suffix}` };
}

function jsonKey(file: ParsedFile, field: string): string {
  return file.format === 'json' || /[^A-Za-z0-9_-]/.test(field) ? JSON.stringify(field) : field;
}

function detectJsonIndent(file: ParsedFile): string {
  const m = /\n([ \t]+)"/.exec(file.text.slice(0, 4000));
  return m ? m[1] : '  ';
}

function detectYamlIndent(file: ParsedFile): string {
  const m = /\n( +)[^\s#-]/.exec(file.text.slice(0, 4000));
  return m && m[1].length <= 8 ? m[1] : '  ';
}

/** Removes a field of a block or flow map (used for unknown fields). */
export function removeFieldEdit(file: ParsedFile, doc: ParsedDocument, path: JsonPath): TextEdit | undefined {
  const parent = resolvePath(doc, path.slice(0, -1));
  if (!parent.exact || !isMap(parent.node)) return undefined;
  const items = parent.node.items;
  const idx = items.findIndex((p) => isScalar(p.key) && String(p.key.value) === path[path.length - 1]);
  if (idx < 0) return undefined;
  const k = offsetsOf(items[idx].key as Node);
  const v = offsetsOf(items[idx].value as Node) ?? k;
  if (!k || !v) return undefined;
  const flow = (parent.node as { flow?: boolean }).flow || file.format === 'json';
  if (flow) {
    const text = file.text;
    let start = doc.base + k[0];
    let end = doc.base + v[1];
    if (idx > 0) {
      // Take the comma before the field (and the whitespace up to it).
      const prevEnd = offsetsOf(items[idx - 1].value as Node) ?? offsetsOf(items[idx - 1].key as Node);
      if (prevEnd) start = doc.base + prevEnd[1];
    } else {
      const m = /^\s*,\s*/.exec(text.slice(end));
      if (m) end += m[0].length;
    }
    return { range: file.lines.range(start, end), newText: '' };
  }
  const startLine = file.lines.positionAt(doc.base + k[0]).line;
  let end = doc.base + v[1];
  if (file.text[end - 1] !== '\n') end = Math.min(file.text.length, file.lines.lineEnd(file.lines.positionAt(end).line) + 1);
  const lineStart = file.lines.lineStart(startLine);
  const onlyKeyOnLine = file.text.slice(lineStart, doc.base + k[0]).trim() === '' ;
  return { range: file.lines.range(onlyKeyOnLine ? lineStart : doc.base + k[0], end), newText: '' };
}


/** Appends items to the list at `path`, in the document's own style (JSON indentation, YAML block items). */
export function appendItemsEdit(file: ParsedFile, doc: ParsedDocument, path: JsonPath, items: unknown[]): TextEdit | undefined {
  const target = resolvePath(doc, path);
  if (!target.exact || !target.node || !('items' in target.node)) return undefined;
  const seq = target.node as unknown as { items: Node[]; flow?: boolean; range?: [number, number, number] };
  const last = seq.items[seq.items.length - 1];
  const lo = offsetsOf(last);
  if (!last || !lo) return undefined;
  const firstStart = offsetsOf(seq.items[0])?.[0] ?? lo[0];
  if (file.format === 'json' || seq.flow) {
    const indent = lineIndent(file, doc.base + firstStart);
    const sameLine = file.lines.positionAt(doc.base + firstStart).line === file.lines.positionAt(doc.base + lo[1]).line && seq.items.length > 1;
    const unit = detectJsonIndent(file);
    const rendered = items.map((it) => (file.format === 'json' ? JSON.stringify(it, null, unit).replace(/\n/g, `\n${indent}`) : JSON.stringify(it)));
    const sep = sameLine ? ', ' : `,\n${indent}`;
    const at = doc.base + lo[1];
    return { range: file.lines.range(at, at), newText: rendered.map((r) => `${sep}${r}`).join('') };
  }
  const dashCol = file.lines.positionAt(doc.base + firstStart).character - 2;
  const indent = ' '.repeat(Math.max(0, dashCol));
  const step = detectYamlIndent(file);
  let at = doc.base + lo[1];
  if (file.text[at - 1] !== '\n') at = Math.min(file.text.length, file.lines.lineEnd(file.lines.positionAt(at).line));
  const atLineStart = file.text[at - 1] === '\n';
  const body = items.map((it) => `${indent}- ${yamlInline(it, `${indent}  `, step)}`).join('\n');
  return { range: file.lines.range(at, at), newText: atLineStart ? `${body}\n` : `\n${body}` };
}
