/**
 * The workspace's Rego: every `.rego` file and every Rego text embedded in a ConstraintTemplate, parsed
 * once per change of the policy files, for definitions and hovers across modules.
 */
import type { AnalysisContext, SymbolAnswer, SymbolKindName } from '../../analysis';
import type { ParsedFile } from '../../documents/parse';
import type { Evidence } from '../../coverage/evidence';
import { collectTemplates, type TemplateIndex } from '../gatekeeper';
import { controlsOfRule, packageControls } from './metadata';
import { analyzeRegoSource, fileSource, type RegoModuleInfo } from './module';
import { documentSymbols, type RegoSymbol } from './navigation';
import { callProblems } from './calls';

export interface WorkspacePolicies {
  templates: TemplateIndex;
  rego: RegoModuleInfo[];
}

/** Analyses a `.rego` file the way the editor shows it (v1 unless it reads as v0, with a hint then). */
export function analyzeRegoFile(file: ParsedFile, ctx: Pick<AnalysisContext, 'controls'>): RegoModuleInfo {
  return analyzeRegoSource(fileSource(file.uri, file.text), { controls: ctx.controls, hintV0: true });
}

/** The `.rego` module of a file with the checks that need the other `.rego` modules of the workspace. */
export function checkedRegoFile(file: ParsedFile, ctx: AnalysisContext): RegoModuleInfo {
  const mod = analyzeRegoFile(file, ctx);
  const others = workspacePolicies(ctx).rego.filter((m) => m.source.uri.endsWith('.rego') && m.source.uri !== file.uri);
  return { ...mod, problems: [...mod.problems, ...callProblems([mod, ...others], mod)] };
}

export function workspacePolicies(ctx: AnalysisContext): WorkspacePolicies {
  return ctx.workspace.memo('policy.gatekeeper+rego', ['gatekeeper'], () => {
    const yamlFiles: ParsedFile[] = [];
    const rego: RegoModuleInfo[] = [];
    for (const entry of ctx.workspace.all()) {
      if (entry.file.format === 'rego') rego.push(analyzeRegoFile(entry.file, ctx));
      else if (entry.families.has('gatekeeper')) yamlFiles.push(entry.file);
    }
    const collected = collectTemplates(yamlFiles, ctx.controls);
    return { templates: collected.templates, rego: [...rego, ...collected.rego] };
  });
}

/** The Rego modules of one file (the file itself, or its templates' embedded texts). */
export function modulesOfFile(file: ParsedFile, ctx: AnalysisContext): RegoModuleInfo[] {
  return workspacePolicies(ctx).rego.filter((m) => m.source.uri === file.uri);
}

/** The module whose text covers `offset` (an absolute file offset). */
export function moduleAt(mods: RegoModuleInfo[], offset: number): RegoModuleInfo | undefined {
  return mods.find((m) => m.source.toFile(0) <= offset && offset <= m.source.toFile(m.source.text.length));
}

const SYMBOL_KIND: Record<RegoSymbol['kind'], SymbolKindName> = {
  package: 'package',
  rule: 'property',
  function: 'function',
  set: 'field',
  object: 'object',
  default: 'constant',
};

export function toSymbolAnswers(file: ParsedFile, symbols: RegoSymbol[]): SymbolAnswer[] {
  return symbols.map((s) => ({
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: file.lines.range(s.range.start, s.range.end),
    selectionRange: file.lines.range(s.selection.start, s.selection.end),
    children: toSymbolAnswers(file, s.children),
  }));
}

export function regoSymbols(file: ParsedFile, mods: RegoModuleInfo[]): SymbolAnswer[] {
  return mods.flatMap((m) => toSymbolAnswers(file, documentSymbols(m)));
}

/** `policy` evidence: packages and rules whose METADATA names controls. */
export function regoEvidence(file: ParsedFile, mod: RegoModuleInfo): Evidence[] {
  const out: Evidence[] = [];
  const pkg = mod.module.package;
  const pkgControls = [...new Set(packageControls(mod.annotations).map((c) => c.id))];
  if (pkg && pkgControls.length) {
    out.push({
      kind: 'policy',
      controls: pkgControls,
      uri: file.uri,
      range: file.lines.range(mod.source.toFile(pkg.pathSpan.start), mod.source.toFile(pkg.pathSpan.end)),
      detail: `Rego package ${mod.packageName}`,
      check: `rego:${mod.packageName}`,
    });
  }
  const seen = new Set<string>();
  for (const rule of mod.module.rules) {
    const own = controlsOfRule(rule, mod.annotations.filter((a) => a.target.kind === 'rule')).map((c) => c.id);
    const name = rule.head.path.join('.');
    if (!own.length || seen.has(name)) continue;
    seen.add(name);
    out.push({
      kind: 'policy',
      controls: [...new Set(own)],
      uri: file.uri,
      range: file.lines.range(mod.source.toFile(rule.head.nameSpan.start), mod.source.toFile(rule.head.nameSpan.end)),
      detail: `Rego rule ${mod.packageName}.${name}`,
      check: `rego:${mod.packageName}.${name}`,
    });
  }
  return out;
}
