import type { FileAnalyzer } from '../analysis';

/**
 * An import that cannot be loaded here (the catalog is not in the workspace, or remote fetching is off) says
 * nothing against the document itself, which may be perfectly valid where its import lives: a warning. Every
 * other resolution problem (cycles, unknown with-ids, malformed catalogs) is the document's own.
 */
const ENVIRONMENTAL = new Set(['oscal.unresolved-reference', 'oscal.remote-fetch']);

/** Problems loading a workspace catalog or resolving a profile (unresolved imports, cycles, unknown with-ids). */
export const catalogResolutionAnalyzer: FileAnalyzer = {
  id: 'catalog-resolution',
  families: ['oscal'],
  dependsOn: ['oscal'],
  analyze(entry, ctx) {
    return ctx.catalogs.problems(entry.file).map((f) => (ENVIRONMENTAL.has(f.code) && f.severity === 'error' ? { ...f, severity: 'warning' as const } : f));
  },
};
