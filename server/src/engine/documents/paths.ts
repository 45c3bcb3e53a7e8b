import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Range } from '../types';
import type { ParsedDocument, ParsedFile } from './parse';

/** A location inside a document's value: keys of maps and indices of sequences. */
export type JsonPath = (string | number)[];

export type RangePart = 'key' | 'value' | 'pair';

export interface PathTarget {
  /** The deepest path that exists in the document (may be shorter than asked). */
  path: JsonPath;
  /** Whether the whole requested path exists. */
  exact: boolean;
  pair?: Pair<unknown, unknown>;
  node?: Node;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  if (typeof key === 'string') return key;
  return undefined;
}

/** Finds the node at `path`, descending as far as the document allows. */
export function resolvePath(doc: ParsedDocument, path: JsonPath): PathTarget {
  const yaml = doc.yaml;
  let node: unknown = yaml.contents;
  let pair: Pair<unknown, unknown> | undefined;
  const reached: JsonPath = [];
  for (const step of path) {
    if (isAlias(node)) node = node.resolve(yaml) ?? node;
    if (typeof step === 'number' && isSeq(node)) {
      const item = node.items[step];
      if (item === undefined) return { path: reached, exact: false, pair, node: node as Node };
      pair = undefined;
      node = item;
    } else if (typeof step === 'string' && isMap(node)) {
      let found: Pair<unknown, unknown> | undefined;
      for (const p of node.items) {
        if (keyString(p.key) === step) {
          found = p as Pair<unknown, unknown>;
          break;
        }
      }
      if (!found) return { path: reached, exact: false, pair, node: node as Node };
      pair = found as Pair<unknown, unknown>;
      node = found.value;
    } else {
      return { path: reached, exact: false, pair, node: node as Node };
    }
    reached.push(step);
  }
  return { path: reached, exact: true, pair, node: (node ?? undefined) as Node | undefined };
}

function nodeOffsets(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/**
 * The range of `path` in the file: the key, the value, or the whole pair. Where the path does not
 * exist, the range of its deepest existing ancestor's key (so "missing field" findings land on the
 * object that lacks it).
 */
export function rangeOfPath(file: ParsedFile, doc: ParsedDocument, path: JsonPath, part: RangePart = 'value'): Range {
  return rangeOfTarget(file, doc, resolvePath(doc, path), part);
}

/** rangeOfPath for a path already resolved. */
export function rangeOfTarget(file: ParsedFile, doc: ParsedDocument, target: PathTarget, part: RangePart = 'value'): Range {
  const offsets = offsetsOfTarget(target, target.exact ? part : 'key') ?? documentOffsets(doc);
  return file.lines.range(doc.base + offsets[0], doc.base + offsets[1]);
}

export function offsetsOfPath(doc: ParsedDocument, path: JsonPath, part: RangePart = 'value'): [number, number] | undefined {
  const target = resolvePath(doc, path);
  if (!target.exact) return undefined;
  const o = offsetsOfTarget(target, part);
  return o ? [doc.base + o[0], doc.base + o[1]] : undefined;
}

function offsetsOfTarget(target: PathTarget, part: RangePart): [number, number] | undefined {
  const { pair, node } = target;
  if (pair && target.path.length > 0 && typeof target.path[target.path.length - 1] === 'string') {
    const k = nodeOffsets(pair.key);
    const v = nodeOffsets(pair.value);
    if (part === 'key') return k ?? v;
    if (part === 'value') return v && v[1] > v[0] ? v : (k ?? v);
    if (k && v) return [k[0], Math.max(k[1], v[1])];
    return k ?? v;
  }
  if (target.path.length === 0 && node && (isMap(node) || isSeq(node))) {
    // The document root: point at its first line rather than the whole document.
    const first = (node.items[0] as Pair | Node | undefined);
    const firstKey = first && isPair(first) ? nodeOffsets(first.key) : nodeOffsets(first);
    if (firstKey) return firstKey;
  }
  return nodeOffsets(node);
}

function documentOffsets(doc: ParsedDocument): [number, number] {
  const r = doc.yaml.range;
  return [r[0], Math.max(r[0], Math.min(r[1], r[0] + 1))];
}

export interface PathAtOffset {
  path: JsonPath;
  /** True when the offset is on a map key rather than its value. */
  onKey: boolean;
  node?: Node;
}

/** The deepest path whose node contains `offset` (an absolute file offset). */
export function pathAtOffset(doc: ParsedDocument, offset: number): PathAtOffset {
  const rel = offset - doc.base;
  const path: JsonPath = [];
  let node: unknown = doc.yaml.contents;
  while (node) {
    if (isMap(node)) {
      let next: unknown;
      for (const p of node.items) {
        const k = nodeOffsets(p.key);
        const v = nodeOffsets(p.value);
        if (k && rel >= k[0] && rel <= k[1]) {
          path.push(keyString(p.key) ?? '');
          return { path, onKey: true, node: p.key as Node };
        }
        if (v && rel >= v[0] && rel <= v[1]) {
          path.push(keyString(p.key) ?? '');
          next = p.value;
          break;
        }
      }
      if (!next) break;
      node = next;
    } else if (isSeq(node)) {
      let next: unknown;
      node.items.forEach((item, i) => {
        const r = nodeOffsets(item);
        if (!next && r && rel >= r[0] && rel <= r[1]) {
          path.push(i);
          next = item;
        }
      });
      if (!next) break;
      node = next;
    } else {
      break;
    }
  }
  return { path, onKey: false, node: node as Node | undefined };
}

/** The document of `file` that contains `offset`. */
export function documentAt(file: ParsedFile, offset: number): ParsedDocument | undefined {
  let best: ParsedDocument | undefined;
  for (const d of file.documents) {
    if (d.base <= offset) best = d;
    else break;
  }
  return best;
}

/** Reads the plain value at `path`. */
export function valueAt(value: unknown, path: JsonPath): unknown {
  let v: unknown = value;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}
