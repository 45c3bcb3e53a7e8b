/**
 * `control-lens.dev/ignore` annotations, read for coverage with the Kubernetes pack's own reader (one format:
 * `"<code>: <reason>; <code>: <reason>"`, a code ending in `*` covering a prefix). Analysers mark what they
 * suppress (`Finding.suppressed`); this lets coverage show an exception for a finding that arrives unmarked
 * (a workspace policy's violation), and never one without a written reason.
 */
import { codeMatches, readIgnoreAnnotation } from '../../kubernetes/suppression';
import type { Range, ResourceRef } from '../../types';
import type { IndexedFile } from '../../workspace/index';

export interface IgnoreEntry {
  code: string;
  reason: string;
  range: Range;
  resource: ResourceRef;
}

export function ignoresOfFile(entry: IndexedFile): IgnoreEntry[] {
  const out: IgnoreEntry[] = [];
  for (const { doc, objects } of entry.documents) {
    for (const object of objects) {
      const annotation = readIgnoreAnnotation(entry.file, doc, object);
      if (!annotation) continue;
      const resource: ResourceRef = { kind: object.kind, name: object.name, namespace: object.namespace, document: doc.index };
      for (const e of annotation.entries) if (e.reason) out.push({ code: e.code, reason: e.reason, range: e.range, resource });
    }
  }
  return out;
}

export function ignoreFor(ignores: readonly IgnoreEntry[], code: string, resource: ResourceRef | undefined): IgnoreEntry | undefined {
  if (!resource) return undefined;
  return ignores.find(
    (i) => i.resource.document === resource.document && i.resource.kind === resource.kind && (i.resource.name ?? '') === (resource.name ?? '') && codeMatches(i.code, code),
  );
}
