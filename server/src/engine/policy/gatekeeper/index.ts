/**
 * Gatekeeper files as a whole: templates, constraints and `gator` suites of one parsed file, checked
 * against the workspace's templates. A plain library; `analyzer.ts` plugs it into the engine.
 */
import { isMap, isScalar } from 'yaml';
import { groupOf, kubeObjects, type KubeObject } from '../../documents/classify';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import { resolvePath } from '../../documents/paths';
import { parseControlId } from '../../controls/ids';
import type { Finding } from '../../types';
import type { ControlLookup } from '../rego/metadata';
import type { RegoModuleInfo } from '../rego/module';
import { findingAt, type ObjectContext } from './common';
import { checkConstraint, type TemplateIndex } from './constraint';
import { checkSuite, type SuiteFiles } from './suite';
import { checkTemplate, type TemplateInfo } from './template';

export type { TemplateIndex } from './constraint';
export type { TemplateInfo } from './template';
export type { SuiteFiles } from './suite';

export const CONTROLS_ANNOTATION = 'control-lens.dev/controls';

export interface GatekeeperOptions {
  /** The workspace's templates by constraint kind (see `collectTemplates`). */
  templates: TemplateIndex;
  /** File access for suites; without it suites are checked for shape only. */
  suiteFiles?: (suiteUri: string) => SuiteFiles;
  controls?: ControlLookup;
}

export interface GatekeeperFileAnalysis {
  findings: Finding[];
  templates: TemplateInfo[];
  /** Rego modules embedded in the file's templates (for definitions and hovers). */
  rego: RegoModuleInfo[];
}

export type GatekeeperObjectKind = 'template' | 'constraint' | 'suite' | 'other';

export function gatekeeperKind(object: KubeObject): GatekeeperObjectKind {
  const group = groupOf(object.apiVersion);
  if (group === 'templates.gatekeeper.sh' && object.kind === 'ConstraintTemplate') return 'template';
  if (group === 'constraints.gatekeeper.sh') return 'constraint';
  if (group === 'test.gatekeeper.sh' && object.kind === 'Suite') return 'suite';
  return 'other';
}

/** Canonical control ids named by an object's `control-lens.dev/controls` annotation (problems are reported elsewhere). */
export function annotationControls(doc: ParsedDocument, object: KubeObject): string[] {
  const target = resolvePath(doc, [...object.path, 'metadata', 'annotations']);
  if (!target.exact || !isMap(target.node)) return [];
  const out: string[] = [];
  for (const pair of target.node.items) {
    if (!isScalar(pair.key) || pair.key.value !== CONTROLS_ANNOTATION || !isScalar(pair.value) || typeof pair.value.value !== 'string') continue;
    for (const token of pair.value.value.split(/[,;]/)) {
      const id = parseControlId(token.trim())?.id;
      if (id) out.push(id);
    }
  }
  return out;
}

function objectsOf(file: ParsedFile): { doc: ParsedDocument; object: KubeObject }[] {
  return file.documents.flatMap((doc) => kubeObjects(doc.value).map((object) => ({ doc, object })));
}

function contextOf(file: ParsedFile, doc: ParsedDocument, object: KubeObject): ObjectContext {
  return { file, doc, object, controls: annotationControls(doc, object) };
}

/** Checks every Gatekeeper object of a file. */
export function analyzeGatekeeperFile(file: ParsedFile, options: GatekeeperOptions): GatekeeperFileAnalysis {
  const result: GatekeeperFileAnalysis = { findings: [], templates: [], rego: [] };
  for (const { doc, object } of objectsOf(file)) {
    const kind = gatekeeperKind(object);
    if (kind === 'other') continue;
    const ctx = contextOf(file, doc, object);
    if (kind === 'template') {
      const t = checkTemplate(ctx, options.controls);
      result.findings.push(...t.findings);
      if (t.info) {
        result.templates.push(t.info);
        const info = t.info;
        const twin = (options.templates.get(info.kind) ?? []).find((o) => o.uri !== info.uri || o.document !== info.document);
        if (twin) {
          result.findings.push(findingAt(ctx, ['spec', 'crd', 'spec', 'names', 'kind'], 'warning', 'gatekeeper.duplicate-kind', `Another template (${twin.name} in ${twin.uri}) also defines kind ${info.kind}; constraints would match either.`));
        }
      }
      result.rego.push(...t.rego.map((r) => r.module));
    } else if (kind === 'constraint') {
      result.findings.push(...checkConstraint(ctx, options.templates));
    } else if (options.suiteFiles) {
      result.findings.push(...checkSuite(ctx, options.suiteFiles(file.uri)));
    }
  }
  return result;
}

/** The templates (and their embedded Rego) of a set of files, by the constraint kind they define. */
export function collectTemplates(files: Iterable<ParsedFile>, controls?: ControlLookup): { templates: TemplateIndex; rego: RegoModuleInfo[] } {
  const templates: TemplateIndex = new Map();
  const rego: RegoModuleInfo[] = [];
  for (const file of files) {
    for (const { doc, object } of objectsOf(file)) {
      if (gatekeeperKind(object) !== 'template') continue;
      const t = checkTemplate(contextOf(file, doc, object), controls);
      rego.push(...t.rego.map((r) => r.module));
      if (!t.info) continue;
      const list = templates.get(t.info.kind) ?? [];
      list.push(t.info);
      templates.set(t.info.kind, list);
    }
  }
  return { templates, rego };
}
