/**
 * A profile's `alters` on one control: `removes` (by name, class, id, item kind, namespace) and
 * `adds` (title, params, props, links, parts; at the start or end of the control or of a part, or
 * before or after a part or parameter named by `by-id`). Returns a new control; the input is untouched.
 */
import { asArray, asString, isRecord, type JsonPath, type OscalControl } from './oscal';

type Item = Record<string, unknown>;
const ITEM_KINDS: Record<string, string> = { params: 'param', props: 'prop', links: 'link', parts: 'part' };
const MAX_DEPTH = 64;

interface RemoveSpec {
  byName?: string;
  byClass?: string;
  byId?: string;
  byItemName?: string;
  byNs?: string;
}

function matchesRemove(spec: RemoveSpec, item: Item, kind: string): boolean {
  if (spec.byItemName !== undefined && spec.byItemName !== kind) return false;
  if (spec.byName !== undefined && item.name !== spec.byName) return false;
  if (spec.byClass !== undefined && item.class !== spec.byClass) return false;
  if (spec.byId !== undefined && item.id !== spec.byId) return false;
  if (spec.byNs !== undefined && item.ns !== spec.byNs) return false;
  return true;
}

function removeFrom(container: Item, spec: RemoveSpec, depth: number): number {
  let removed = 0;
  if (depth > MAX_DEPTH) return 0;
  for (const [key, kind] of Object.entries(ITEM_KINDS)) {
    const list = container[key];
    if (!Array.isArray(list)) continue;
    const kept: unknown[] = [];
    for (const item of list) {
      if (isRecord(item) && matchesRemove(spec, item, kind)) removed++;
      else kept.push(isRecord(item) && key === 'parts' ? cloneRemoving(item, spec, depth + 1, (n) => (removed += n)) : item);
    }
    container[key] = kept;
  }
  return removed;
}

function cloneRemoving(part: Item, spec: RemoveSpec, depth: number, count: (n: number) => void): Item {
  const copy = { ...part };
  count(removeFrom(copy, spec, depth));
  return copy;
}

/** Finds the array and index holding the part or param with this id, anywhere in the control. */
function locate(container: Item, id: string, depth = 0): { list: unknown[]; index: number; item: Item } | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const key of ['params', 'parts']) {
    const list = container[key];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (!isRecord(item)) continue;
      if (item.id === id) return { list, index: i, item };
      if (key === 'parts') {
        const inner = locate(item, id, depth + 1);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** Copies every part array on the way down so that adds inside parts do not touch the source catalog. */
function deepCopyParts(container: Item, depth = 0): Item {
  const copy: Item = { ...container };
  for (const key of ['params', 'props', 'links', 'parts']) if (Array.isArray(copy[key])) copy[key] = [...(copy[key] as unknown[])];
  if (Array.isArray(copy.parts) && depth < MAX_DEPTH) copy.parts = (copy.parts as unknown[]).map((p) => (isRecord(p) ? deepCopyParts(p, depth + 1) : p));
  return copy;
}

export function alterControl(
  control: OscalControl,
  alter: Record<string, unknown>,
  path: JsonPath,
  report: (path: JsonPath, message: string) => void,
): OscalControl {
  const result = deepCopyParts(control as unknown as Item);
  asArray(alter.removes).forEach((r, i) => {
    if (!isRecord(r)) return;
    const spec: RemoveSpec = {
      byName: asString(r['by-name']),
      byClass: asString(r['by-class']),
      byId: asString(r['by-id']),
      byItemName: asString(r['by-item-name']),
      byNs: asString(r['by-ns']),
    };
    if (Object.values(spec).every((v) => v === undefined)) return;
    if (removeFrom(result, spec, 0) === 0) report([...path, 'removes', i], `Nothing in control "${control.id}" matches this removal`);
  });
  asArray(alter.adds).forEach((a, i) => {
    if (!isRecord(a)) return;
    const position = asString(a.position) ?? 'ending';
    const byId = asString(a['by-id']);
    if (typeof a.title === 'string') result.title = a.title;
    if (byId === undefined) {
      for (const key of Object.keys(ITEM_KINDS)) {
        const items = asArray(a[key]);
        if (!items.length) continue;
        const list = asArray(result[key]);
        result[key] = position === 'starting' || position === 'before' ? [...items, ...list] : [...list, ...items];
      }
      return;
    }
    const found = locate(result, byId);
    if (!found) {
      report([...path, 'adds', i, 'by-id'], `No part or parameter "${byId}" in control "${control.id}"`);
      return;
    }
    if (position === 'before' || position === 'after') {
      // Siblings of the target: only items of the target's own kind fit in its list.
      const key = found.item.name !== undefined && found.list !== result.params ? 'parts' : 'params';
      const items = asArray(a[key]);
      found.list.splice(position === 'before' ? found.index : found.index + 1, 0, ...items);
      for (const other of Object.keys(ITEM_KINDS)) {
        if (other !== key && asArray(a[other]).length) report([...path, 'adds', i, other], `Cannot add ${other} ${position} "${byId}"`);
      }
      return;
    }
    const target = { ...found.item };
    for (const key of ['props', 'links', 'parts']) {
      const items = asArray(a[key]);
      if (!items.length) continue;
      const list = asArray(target[key]);
      target[key] = position === 'starting' ? [...items, ...list] : [...list, ...items];
    }
    found.list[found.index] = target;
  });
  return result as unknown as OscalControl;
}
