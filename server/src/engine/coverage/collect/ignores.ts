/**
 * `control-lens.dev/ignore` annotations, read for coverage: `"pss.runasnonroot: runs as root by design, see
 * ticket 42"`, several entries separated by new lines or `;`, a code ending in `*` covering a prefix. The engine
 * marks the findings it suppresses (`Finding.suppressed`); this reading lets coverage show an exception for a
 * finding that arrives unmarked, and never invents one without a written reason.
 */
import { isMap, isScalar } from 'yaml';
import { resolvePath } from '../../documents/paths';
import { IGNORE_ANNOTATION } from '../../mapping/annotations';
import type { Range, ResourceRef } from '../../types';
import type { IndexedFile } from '../../workspace/index';

export interface IgnoreEntry {
  code: string;
  reason: string;
  range: Range;
  resource: ResourceRef;
}

export function parseIgnoreValue(value: string): { code: string; reason: string }[] {
  const out: { code: string; reason: string }[] = [];
  for (const part of value.split(/[\n;]/)) {
    const m = /^\s*([A-Za-z0-9_.*/-]+(?:\s*,\s*[A-Za-z0-9_.*/-]+)*)\s*:\s*(.*\S)\s*$/.exec(part);
    if (!m) continue;
    for (const code of m[1].split(',')) out.push({ code: code.trim(), reason: m[2] });
  }
  return out;
}

export function ignoresOfFile(entry: IndexedFile): IgnoreEntry[] {
  const out: IgnoreEntry[] = [];
  for (const { doc, objects } of entry.documents) {
    for (const object of objects) {
      const target = resolvePath(doc, [...object.path, 'metadata', 'annotations']);
      if (!target.exact || !isMap(target.node)) continue;
      for (const pair of target.node.items) {
        if (!isScalar(pair.key) || pair.key.value !== IGNORE_ANNOTATION) continue;
        if (!isScalar(pair.value) || typeof pair.value.value !== 'string' || !pair.value.range) continue;
        const r = pair.value.range;
        const range = entry.file.lines.range(doc.base + r[0], doc.base + r[1]);
        const resource: ResourceRef = { kind: object.kind, name: object.name, namespace: object.namespace, document: doc.index };
        for (const e of parseIgnoreValue(pair.value.value)) out.push({ ...e, range, resource });
      }
    }
  }
  return out;
}

export function ignoreFor(ignores: readonly IgnoreEntry[], code: string, resource: ResourceRef | undefined): IgnoreEntry | undefined {
  if (!resource) return undefined;
  return ignores.find(
    (i) =>
      i.resource.document === resource.document &&
      i.resource.kind === resource.kind &&
      (i.resource.name ?? '') === (resource.name ?? '') &&
      (i.code === code || (i.code.endsWith('*') && code.startsWith(i.code.slice(0, -1)))),
  );
}
