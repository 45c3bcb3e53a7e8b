/** Gatekeeper files in the engine: templates, constraints and suites against the workspace's templates. */
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisContext, FileAnalyzer, RuleHelp } from '../../analysis';
import type { Evidence } from '../../coverage/evidence';
import { kubeObjects } from '../../documents/classify';
import { documentAt, offsetsOfPath, rangeOfPath } from '../../documents/paths';
import { displayControlId } from '../../controls/ids';
import type { Range } from '../../types';
import type { IndexedFile } from '../../workspace/index';
import { regoCompletion, regoDefinition, regoHover, regoReferences } from '../rego/analyzer';
import { modulesOfFile, regoEvidence, regoSymbols, workspacePolicies } from '../rego/workspace';
import { constraintCompletion, constraintParameterHover } from './completion';
import { auditFile, collectAudit, type AuditPass, type AuditWorkspace } from './audit';
import type { ParsedFile } from '../../documents/parse';
import { analyzeGatekeeperFile, annotationControls, gatekeeperKind, type SuiteFiles, type TemplateInfo } from './index';

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

const GATEKEEPER_RULES: Record<string, RuleHelp> = {
  'gatekeeper.api-version': { title: 'Unknown ConstraintTemplate apiVersion' },
  'gatekeeper.structure': { title: 'Malformed Gatekeeper object', help: 'A required part of the object is missing or has the wrong type.' },
  'gatekeeper.missing-kind': { title: 'Template names no constraint kind', help: 'spec.crd.spec.names.kind is the kind constraints of this template use.' },
  'gatekeeper.kind': { title: 'Invalid constraint kind' },
  'gatekeeper.template-name': { title: 'Template name is not its kind in lower case', help: 'Gatekeeper rejects a template whose metadata.name differs from the lower-cased kind.' },
  'gatekeeper.schema': { title: 'Invalid parameters schema', help: 'openAPIV3Schema must be a structural OpenAPI v3 schema; constraints are validated against it.' },
  'gatekeeper.targets': { title: 'Invalid template targets', help: 'A template has one target, admission.k8s.gatekeeper.sh, with `rego` or `code`.' },
  'gatekeeper.cel': { title: 'CEL syntax error in a K8sNativeValidation template' },
  'gatekeeper.missing-violation': { title: 'Template Rego has no violation rule', help: 'Gatekeeper reads violations only from `violation[{"msg": msg}]`.' },
  'gatekeeper.lib-package': { title: 'Library package outside lib.', help: 'Template libraries live under `package lib.<name>`; the main policy may not.' },
  'gatekeeper.data-reference': { title: 'Template reads data outside data.lib and data.inventory', help: 'Gatekeeper gives templates only their libraries and the synced inventory.' },
  'gatekeeper.unknown-parameter': { title: 'Rego reads a parameter the schema does not define' },
  'gatekeeper.duplicate-kind': { title: 'Two templates define the same kind' },
  'gatekeeper.unknown-template': { title: 'Constraint of a kind no template defines' },
  'gatekeeper.constraint-name': { title: 'Invalid constraint name' },
  'gatekeeper.match': { title: 'Malformed match block', help: 'kinds, namespaces, selectors and scope follow Gatekeeper\'s match schema.' },
  'gatekeeper.enforcement-action': { title: 'Unknown enforcement action' },
  'gatekeeper.parameters': { title: 'Constraint parameters do not fit the template schema' },
  'gatekeeper.suite': { title: 'Malformed gator suite' },
  'gatekeeper.suite-file': { title: 'Suite names a file that does not exist' },
  'gatekeeper.suite-result': { title: 'Suite case does not hold', help: 'The built-in Rego interpreter ran the case as `gator verify` would, and the assertion did not hold: the policy or the expectation is wrong.' },
};

export const gatekeeperAnalyzer: FileAnalyzer = {
  id: 'gatekeeper',
  families: ['gatekeeper'],
  dependsOn: ['gatekeeper'],
  describeRule(code) {
    return GATEKEEPER_RULES[code];
  },
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
    if (entry.file.format === 'rego') return undefined;
    const param = constraintParameterHover(entry.file, offset, workspacePolicies(ctx).templates);
    if (param) return { markdown: param.markdown, range: entry.file.lines.range(param.start, param.end) };
    const constraint = constraintKindAt(entry, offset, ctx);
    if (constraint) {
      const t = constraint.templates[0];
      if (!t) return { markdown: `Constraint kind \`${constraint.kind}\`: no ConstraintTemplate in the workspace defines it.`, range: constraint.range };
      const lines = [`Constraint kind \`${t.kind}\`, defined by ConstraintTemplate \`${t.name}\``];
      if (t.title) lines.push(`**${t.title}**`);
      if (t.description) lines.push(t.description);
      if (t.controls.length) lines.push(`Controls: ${t.controls.map(displayControlId).join(', ')}`);
      return { markdown: lines.join('\n\n'), range: constraint.range };
    }
    return regoHover(entry, offset, ctx);
  },
  completion(entry, offset, ctx) {
    if (entry.file.format === 'rego') return [];
    const inConstraint = constraintCompletion(entry.file, offset, workspacePolicies(ctx).templates);
    return inConstraint.length ? inConstraint : regoCompletion(entry, offset, ctx);
  },
  references(entry, offset, ctx) {
    return entry.file.format === 'rego' ? [] : regoReferences(entry, offset, ctx);
  },
  definition(entry, offset, ctx) {
    if (entry.file.format === 'rego') return [];
    const constraint = constraintKindAt(entry, offset, ctx);
    if (constraint) {
      return constraint.templates.flatMap((t) => {
        const file = ctx.workspace.get(t.uri)?.file;
        const doc = file?.documents[t.document];
        if (!file || !doc) return [];
        return [{ uri: t.uri, range: rangeOfPath(file, doc, ['spec', 'crd', 'spec', 'names', 'kind']) }];
      });
    }
    return regoDefinition(entry, offset, ctx);
  },
};

/** The `kind` of a constraint under the cursor, with the templates that define it. */
function constraintKindAt(entry: IndexedFile, offset: number, ctx: AnalysisContext): { kind: string; range: Range; templates: TemplateInfo[] } | undefined {
  const doc = documentAt(entry.file, offset);
  if (!doc) return undefined;
  for (const object of kubeObjects(doc.value)) {
    if (gatekeeperKind(object) !== 'constraint') continue;
    const span = offsetsOfPath(doc, [...object.path, 'kind']);
    if (!span || offset < span[0] || offset > span[1]) continue;
    return { kind: object.kind, range: entry.file.lines.range(span[0], span[1]), templates: workspacePolicies(ctx).templates.get(object.kind) ?? [] };
  }
  return undefined;
}

/** Runs the workspace's Gatekeeper constraints on the manifests of a file with the built-in Rego interpreter. */
export const gatekeeperAuditAnalyzer: FileAnalyzer = {
  id: 'gatekeeper-audit',
  families: ['kubernetes'],
  dependsOn: ['gatekeeper'],
  analyze(entry, ctx) {
    return auditFile(entry.file, auditWorkspace(ctx));
  },
  evidence(entry, ctx) {
    const passes: AuditPass[] = [];
    auditFile(entry.file, auditWorkspace(ctx), passes);
    return passes.map((p) => ({
      kind: 'pass' as const,
      controls: p.controls,
      uri: entry.file.uri,
      range: rangeOfPath(entry.file, p.doc, [...p.object.path, 'metadata', 'name']),
      detail: `${p.object.kind} ${p.object.name ?? ''} passes Gatekeeper ${p.code.slice('policy.'.length)}`,
      check: p.code,
      resource: { kind: p.object.kind, name: p.object.name, namespace: p.object.namespace, document: p.doc.index },
    }));
  },
};

function auditWorkspace(ctx: AnalysisContext): AuditWorkspace {
  return ctx.workspace.memo('policy.gatekeeper-audit', ['gatekeeper'], () => {
    const files: ParsedFile[] = [];
    for (const entry of ctx.workspace.all()) if (entry.families.has('gatekeeper') && entry.file.format !== 'rego') files.push(entry.file);
    const { templates } = workspacePolicies(ctx);
    return collectAudit(files, (kind) => templates.get(kind)?.[0]?.controls ?? []);
  });
}
