import type { FileAnalyzer } from '../analysis';
import type { Finding } from '../types';
import { readControlAnnotations } from './annotations';
import { appendAll } from '../arrays';

/** Checks `control-lens.dev/controls` annotations on every Kubernetes object and policy: ids well formed and known. */
export const controlAnnotationsAnalyzer: FileAnalyzer = {
  id: 'control-annotations',
  families: ['kubernetes', 'kyverno', 'gatekeeper', 'vap'],
  analyze(entry, ctx) {
    const findings: Finding[] = [];
    for (const { doc, objects } of entry.documents) {
      for (const object of objects) {
        appendAll(findings, readControlAnnotations(entry.file, doc, object, ctx.controls).problems);
      }
    }
    return findings;
  },
};
