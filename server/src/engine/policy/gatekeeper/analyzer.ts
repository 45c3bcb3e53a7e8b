/** Gatekeeper files in the engine: templates, constraints and suites against the workspace's templates. */
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisContext, FileAnalyzer } from '../../analysis';
import type { Evidence } from '../../coverage/evidence';
import { rangeOfPath } from '../../documents/paths';
import { regoDefinition, regoHover } from '../rego/analyzer';
import { modulesOfFile, regoEvidence, regoSymbols, workspacePolicies } from '../rego/workspace';
import { analyzeGatekeeperFile, annotationControls, gatekeeperKind, type SuiteFiles } from './index';

function pathOf(uri: string): string | undefined {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(uri) ? uri : undefined;
}

function suiteFiles(ctx: AnalysisContext): ((uri: string) => SuiteFiles) | undefined {
  return (uri) => {
    const path = pathOf(uri);
    const dir = path ? dirname(path) : '.';
    return { resolve: (rel) => resolve(dir, rel), exists: (p) => ctx.readText(p) !== undefined, read: (p) => ctx.readText(p) };
  };
}

export const gatekeeperAnalyzer: FileAnalyzer = {
  id: 'gatekeeper',
  families: ['gatekeeper'],
  dependsOn: ['gatekeeper'],
  analyze(entry, ctx) {
    if (entry.file.format === 'rego') return [];
    const { templates } = workspacePolicies(ctx);
    return analyzeGatekeeperFile(entry.file, { templates, suiteFiles: suiteFiles(ctx), controls: ctx.controls }).findings;
  },
  evidence(entry, ctx) {
    if (entry.file.format === 'rego') return [];
    const out: Evidence[] = [];
    const { templates } = workspacePolicies(ctx);
    for (const { doc, objects } of entry.documents) {
      for (const object of objects) {
        const kind = gatekeeperKind(object);
        if (kind !== 'template' && kind !== 'constraint') continue;
        const own = annotationControls(doc, object);
        const inherited = kind === 'template'
          ? (templates.get(String((object.value as { spec?: { crd?: { spec?: { names?: { kind?: unknown } } } } }).spec?.crd?.spec?.names?.kind ?? ''))?.find((t) => t.uri === entry.file.uri && t.document === doc.index)?.controls ?? [])
          : (templates.get(object.kind)?.[0]?.controls ?? []);
        const controls = [...new Set([...own, ...inherited])];
        if (!controls.length) continue;
        out.push({
          kind: 'policy',
          controls,
          uri: entry.file.uri,
          range: rangeOfPath(entry.file, doc, [...object.path, 'metadata', 'name']),
          detail: kind === 'template' ? `Gatekeeper template ${object.name ?? ''}` : `Gatekeeper constraint ${object.kind}/${object.name ?? ''}`,
          check: kind === 'template' ? `gatekeeper:${object.name ?? ''}` : `gatekeeper:${object.kind}/${object.name ?? ''}`,
          resource: { kind: object.kind, name: object.name, document: doc.index },
        });
      }
    }
    for (const mod of modulesOfFile(entry.file, ctx)) out.push(...regoEvidence(entry.file, mod));
    return out;
  },
  symbols(entry, ctx) {
    return entry.file.format === 'rego' ? [] : regoSymbols(entry.file, modulesOfFile(entry.file, ctx));
  },
  hover(entry, offset, ctx) {
    return entry.file.format === 'rego' ? undefined : regoHover(entry, offset, ctx);
  },
  definition(entry, offset, ctx) {
    return entry.file.format === 'rego' ? [] : regoDefinition(entry, offset, ctx);
  },
};
