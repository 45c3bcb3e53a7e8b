import { codeMatches, IGNORE_ANNOTATION, readIgnoreAnnotation, type IgnoreAnnotation } from '../kubernetes/suppression';
import { annotationsOf } from './annotations';
import type { Finding } from '../types';
import type { IndexedFile } from '../workspace/index';

/**
 * `control-lens.dev/ignore` applies to every finding on its object, whichever analyser made it (built-in
 * rules mark their own; workspace policies' findings are marked here). Findings are copied, not changed, since
 * analysers may cache them.
 */
export function applyObjectIgnores(entry: IndexedFile, findings: Finding[]): Finding[] {
  // Nearly every file has no ignore annotation at all; its plain values say so without touching the trees.
  if (!entry.documents.some((d) => d.objects.some((o) => typeof annotationsOf(o)?.[IGNORE_ANNOTATION] === 'string'))) return findings;
  const annotations = new Map<string, IgnoreAnnotation | undefined>();
  const annotationFor = (f: Finding): IgnoreAnnotation | undefined => {
    const r = f.resource;
    if (!r) return undefined;
    const key = `${r.document}|${r.kind}|${r.namespace ?? ''}|${r.name ?? ''}`;
    if (!annotations.has(key)) {
      const indexed = entry.documents[r.document];
      const object = indexed?.objects.find((o) => o.kind === r.kind && o.name === r.name && (r.namespace === undefined || o.namespace === r.namespace));
      annotations.set(key, indexed && object ? readIgnoreAnnotation(entry.file, indexed.doc, object) : undefined);
    }
    return annotations.get(key);
  };
  return findings.map((f) => {
    if (f.suppressed || !f.resource) return f;
    const annotation = annotationFor(f);
    const hit = annotation?.entries.find((e) => e.reason && codeMatches(e.code, f.code));
    return hit?.reason ? { ...f, suppressed: { reason: hit.reason, range: hit.range } } : f;
  });
}
