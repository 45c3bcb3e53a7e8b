import type { FileAnalyzer } from '../analysis';

/** Problems loading a workspace catalog or resolving a profile (unresolved imports, cycles, unknown with-ids). */
export const catalogResolutionAnalyzer: FileAnalyzer = {
  id: 'catalog-resolution',
  families: ['oscal'],
  dependsOn: ['oscal'],
  analyze(entry, ctx) {
    return ctx.catalogs.problems(entry.file);
  },
};
