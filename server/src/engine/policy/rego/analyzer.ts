/** `.rego` files in the engine: diagnostics, symbols, go to definition and hover across the workspace's Rego. */
import type { CompletionAnswer, FileAnalyzer, HoverAnswer, LocationAnswer } from '../../analysis';
import type { IndexedFile } from '../../workspace/index';
import type { AnalysisContext } from '../../analysis';
import { regoFindings } from './findings';
import { completionsAt, definitionAt, hoverAt, referencesAt, type RegoLocation } from './navigation';
import { analyzeRegoFile, checkedRegoFile, moduleAt, modulesOfFile, regoEvidence, regoSymbols, workspacePolicies } from './workspace';

export function regoHover(entry: IndexedFile, offset: number, ctx: AnalysisContext): HoverAnswer | undefined {
  const mod = moduleAt(modulesOfFile(entry.file, ctx), offset);
  if (!mod) return undefined;
  const h = hoverAt(workspacePolicies(ctx).rego, mod, mod.source.fromFile(offset));
  return h && { markdown: h.markdown, range: entry.file.lines.range(h.range.start, h.range.end) };
}

function toAnswers(entry: IndexedFile, ctx: AnalysisContext, locations: RegoLocation[]): LocationAnswer[] {
  return locations.map((loc) => {
    const target = loc.uri === entry.file.uri ? entry.file : ctx.workspace.get(loc.uri)?.file;
    const lines = target?.lines;
    return { uri: loc.uri, range: lines ? lines.range(loc.start, loc.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  });
}

export function regoDefinition(entry: IndexedFile, offset: number, ctx: AnalysisContext): LocationAnswer[] {
  const mod = moduleAt(modulesOfFile(entry.file, ctx), offset);
  if (!mod) return [];
  return toAnswers(entry, ctx, definitionAt(workspacePolicies(ctx).rego, mod, mod.source.fromFile(offset)));
}

export function regoReferences(entry: IndexedFile, offset: number, ctx: AnalysisContext): LocationAnswer[] {
  const mod = moduleAt(modulesOfFile(entry.file, ctx), offset);
  if (!mod) return [];
  return toAnswers(entry, ctx, referencesAt(workspacePolicies(ctx).rego, mod, mod.source.fromFile(offset)));
}

export function regoCompletion(entry: IndexedFile, offset: number, ctx: AnalysisContext): CompletionAnswer[] {
  const mod = moduleAt(modulesOfFile(entry.file, ctx), offset);
  if (!mod) return [];
  return completionsAt(workspacePolicies(ctx).rego, mod, mod.source.fromFile(offset)).map((c, i) => ({
    label: c.label,
    kind: c.kind,
    detail: c.detail,
    documentation: c.documentation,
    range: entry.file.lines.range(c.start, c.end),
    // Names of the policy first, then keywords, then built-ins.
    sortText: `${c.kind === 'reference' || c.kind === 'value' ? 0 : c.kind === 'keyword' ? 1 : 2}${String(i).padStart(4, '0')}`,
  }));
}

export const regoAnalyzer: FileAnalyzer = {
  id: 'rego',
  families: 'rego',
  analyze(entry, ctx) {
    return regoFindings(checkedRegoFile(entry.file, ctx), entry.file.lines);
  },
  evidence(entry, ctx) {
    return regoEvidence(entry.file, analyzeRegoFile(entry.file, ctx));
  },
  symbols(entry, ctx) {
    return regoSymbols(entry.file, [analyzeRegoFile(entry.file, ctx)]);
  },
  hover: regoHover,
  definition: regoDefinition,
  completion: regoCompletion,
  references: regoReferences,
  describeRule(code) {
    return REGO_RULES[code];
  },
};

export const REGO_RULES: Record<string, { title: string; help?: string }> = {
  'rego.syntax': { title: 'Rego syntax error', help: 'The Rego text does not parse; OPA would refuse to load it.' },
  'rego.v1-syntax': { title: 'Rego v0 construct in Rego v1', help: 'Rego v1 needs `if` before rule bodies and `contains` for multi-value rules.' },
  'rego.v0-syntax': { title: 'Module written in Rego v0', help: 'OPA 1.x reads .rego files as Rego v1; `opa fmt --v0-v1` rewrites a v0 module.' },
  'rego.assignment': { title: 'Invalid assignment target', help: 'Only variables, or arrays and objects of variables, can be assigned with `:=`.' },
  'rego.call': { title: 'Rule called as a function', help: 'Only functions take arguments; refer to other rules by name.' },
  'rego.arity': { title: 'Wrong number of arguments', help: 'A call gives a function its arguments, optionally plus one variable for the result.' },
  'rego.import': { title: 'Invalid import', help: 'Imports start with data, input, future.keywords or rego.v1.' },
  'rego.metadata': { title: 'Invalid METADATA annotation', help: 'A `# METADATA` comment block must be a YAML map of annotation keys.' },
  'rego.metadata-key': { title: 'Unknown METADATA key', help: 'Put keys of your own under `custom`.' },
  'rego.metadata-scope': { title: 'Invalid METADATA scope', help: 'Scopes are rule, document (before rules), package and subpackages (before the package).' },
};
