import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { CatalogModel } from '../controls/catalog';
import type { AnalysisContext, CompletionAnswer, CompletionKind, FileAnalyzer, LocationAnswer, RuleHelp, SymbolAnswer, SymbolKindName } from '../analysis';
import { resolveHref } from '../controls/href';
import type { OscalBackMatter } from '../controls/oscal';
import type { ControlRegistry } from '../controls/registry';
import { rangeOfPath } from '../documents/paths';
import type { IndexedFile } from '../workspace/index';
import { analyzeOscalFile, type OscalEnvironment } from './analyze';
import { oscalCompletions, type OscalCompletion } from './features/completion';
import { oscalControlHover } from './features/controlHover';
import { oscalDefinition, oscalHover, oscalReferences, type OscalLocation } from './features/navigation';
import { oscalSymbols, type OscalSymbol } from './features/symbols';
import { officialSchemasFromDirectory, type OfficialSchemas } from './official';
import { OSCAL_RULES } from './rules';
import { oscalCodeActions } from './features/actions';

export interface OscalAnalyzerOptions {
  /**
   * The controls registry that loads and resolves what documents import (catalogs, profiles). By default
   * the engine's own (`ctx.catalogs.registry`), which holds the workspace's catalogs and profiles.
   */
  registry?: () => ControlRegistry | undefined;
}

const schemaCache = new Map<string, OfficialSchemas>();

function officialSchemas(path: string): OfficialSchemas | undefined {
  if (!path) return undefined;
  let s = schemaCache.get(path);
  if (!s) {
    s = officialSchemasFromDirectory(path);
    schemaCache.set(path, s);
  }
  return s;
}

function readDocument(uri: string, ctx: AnalysisContext): unknown {
  const known = ctx.workspace.get(uri);
  if (known) return known.file.documents[0]?.value;
  if (!uri.startsWith('file:')) return undefined;
  const text = ctx.readText(fileURLToPath(uri));
  if (text === undefined) return undefined;
  try {
    return /\.json$/i.test(uri) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
}

const LOAD_FAILURES = new Set(['oscal.unresolved-reference', 'oscal.remote-fetch', 'oscal.import-cycle', 'oscal.invalid-catalog', 'oscal.invalid-profile']);

/**
 * Whether a loaded catalog or resolved profile is whole: a profile whose own imports could not all be read
 * resolves to a partial set of controls, against which real control ids would look unknown.
 */
export function isWhole(model: CatalogModel): boolean {
  if (model.controls.size === 0) return false;
  const imports = (model as { imports?: { uri?: string }[] }).imports;
  if (imports?.some((i) => !i.uri)) return false;
  return !model.problems.some((p) => LOAD_FAILURES.has(p.code));
}

/** The world the OSCAL checks see inside the engine: the registry's controls, workspace files, settings. */
export function engineEnvironment(ctx: AnalysisContext, options: OscalAnalyzerOptions): OscalEnvironment {
  const registry = options.registry?.() ?? ctx.catalogs?.registry;
  return {
    controls: registry
      ? (source, from) => {
          const model = registry.referenceTarget(source.href, from.uri, from.backMatter as OscalBackMatter | undefined).model;
          return model && isWhole(model) ? model : undefined;
        }
      : undefined,
    loadDocument(href, from) {
      for (const uri of resolveHref(href, from.uri, from.backMatter as OscalBackMatter | undefined).candidates) {
        const value = readDocument(uri, ctx);
        if (value !== undefined) return { uri, value };
      }
      return undefined;
    },
    officialSchemas: officialSchemas(ctx.config.oscalSchemaPath),
    // The engine's catalog-resolution analyser reports unknown with-ids and parameters of workspace profiles.
    profilesResolvedElsewhere: !options.registry && ctx.catalogs !== undefined,
  };
}

const COMPLETION_KINDS: Record<OscalCompletion['kind'], CompletionKind> = {
  field: 'field',
  value: 'value',
  reference: 'reference',
  uuid: 'value',
  control: 'control',
  parameter: 'reference',
};

const SYMBOL_KINDS: Record<OscalSymbol['kind'], SymbolKindName> = {
  document: 'file',
  section: 'namespace',
  group: 'package',
  control: 'class',
  requirement: 'method',
  object: 'object',
};

function toSymbol(s: OscalSymbol): SymbolAnswer {
  return { name: s.name, detail: s.detail, kind: SYMBOL_KINDS[s.kind], range: s.range, selectionRange: s.selectionRange, children: s.children.map(toSymbol) };
}

function toLocations(locations: OscalLocation[], ctx: AnalysisContext): LocationAnswer[] {
  const out: LocationAnswer[] = [];
  for (const l of locations) {
    if (l.range) out.push({ uri: l.uri, range: l.range });
    else if (l.path) {
      const other = ctx.workspace.get(l.uri);
      const doc = other?.file.documents[0];
      if (other && doc) out.push({ uri: l.uri, range: rangeOfPath(other.file, doc, l.path, 'value') });
    }
  }
  return out;
}

function onlyCatalogs(entry: IndexedFile): boolean {
  return entry.documents.every((d) => d.classification.family !== 'oscal' || d.classification.type === 'catalog');
}

/** The OSCAL analyser for the engine: findings, hover, completion, navigation and outline of OSCAL files. */
export function createOscalAnalyzer(options: OscalAnalyzerOptions = {}): FileAnalyzer {
  const position = (entry: IndexedFile, offset: number) => entry.file.lines.positionAt(offset);
  return {
    id: 'oscal',
    families: ['oscal'],
    dependsOn: ['oscal'],
    // A catalog's checks read nothing outside it (it imports nothing; its links and insertions are its own), so
    // typing in another OSCAL file leaves NIST's multi-megabyte catalogs unchecked again; other models import.
    dependencyKey: (ctx, entry) => (onlyCatalogs(entry) ? 'self-contained' : `oscal:${ctx.workspace.generation('oscal')}`),
    analyze: (entry, ctx) => analyzeOscalFile(entry.file, engineEnvironment(ctx, options)).findings,
    describeRule: (code): RuleHelp | undefined => OSCAL_RULES[code],
    // Findings carry their own fixes; what is left are actions that mend nothing, such as stamping last-modified.
    codeActions: (entry, range, ctx) => oscalCodeActions(entry.file, range, [], engineEnvironment(ctx, options)),
    hover(entry, offset, ctx) {
      const env = engineEnvironment(ctx, options);
      const pos = position(entry, offset);
      const h = oscalHover(entry.file, pos, env) ?? oscalControlHover(entry.file, pos, env, (id) => ctx.controls.hover(id));
      return h ? { markdown: h.markdown, range: h.range } : undefined;
    },
    completion(entry, offset, ctx) {
      return oscalCompletions(entry.file, position(entry, offset), engineEnvironment(ctx, options)).map(
        (c): CompletionAnswer => ({ label: c.label, kind: COMPLETION_KINDS[c.kind], detail: c.detail, insertText: c.insertText, range: c.range, sortText: c.sortText }),
      );
    },
    definition: (entry, offset, ctx) => toLocations(oscalDefinition(entry.file, position(entry, offset), engineEnvironment(ctx, options)), ctx),
    references: (entry, offset, ctx) => toLocations(oscalReferences(entry.file, position(entry, offset), true, engineEnvironment(ctx, options)), ctx),
    symbols: (entry) => oscalSymbols(entry.file).map(toSymbol),
  };
}

/** The analyser without a controls registry (structure, references, official schema; no control checks). */
export const oscalAnalyzer: FileAnalyzer = createOscalAnalyzer();
