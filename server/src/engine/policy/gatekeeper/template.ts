/**
 * ConstraintTemplate checks: CRD names and kind, targets, the parameters schema, and the embedded Rego
 * (syntax and METADATA at their positions in the YAML file, Gatekeeper's own rules on Rego: a
 * `violation` rule, libraries under `lib.`, no `data.` outside `data.lib` and `data.inventory`).
 */
import { walkRule, type Term } from '../rego/ast';
import { analyzeRegoSource, type RegoModuleInfo } from '../rego/module';
import type { ControlLookup } from '../rego/metadata';
import { controlsOfRule, packageControls } from '../rego/metadata';
import { regoFindings } from '../rego/findings';
import { callProblems } from '../rego/calls';
import type { Finding } from '../../types';
import { rangeOfPath } from '../../documents/paths';
import { findingAt, isRecord, resourceOf, type ObjectContext } from './common';
import { templateRegoSources, type EmbeddedRego } from './embedded';
import { checkSchema } from './schema';
import { pointerToPath } from './common';
import { celSyntaxProblem } from '../vap/celSyntax';

export const TEMPLATE_API_VERSIONS = ['templates.gatekeeper.sh/v1', 'templates.gatekeeper.sh/v1beta1', 'templates.gatekeeper.sh/v1alpha1'];
export const ADMISSION_TARGET = 'admission.k8s.gatekeeper.sh';
const ENGINES = ['Rego', 'K8sNativeValidation'];

export interface TemplateInfo {
  /** The constraint kind the template defines (`K8sPSPAllowedUsers`). */
  kind: string;
  name: string;
  uri: string;
  document: number;
  /** `spec.crd.spec.validation.openAPIV3Schema`, when present. */
  schema?: unknown;
  /** Controls named by the template's annotation and its Rego METADATA. */
  controls: string[];
  /** The library's `metadata.gatekeeper.sh/title` and `description` annotations, for hovers. */
  title?: string;
  description?: string;
}

export interface TemplateAnalysis {
  info?: TemplateInfo;
  findings: Finding[];
  rego: { embedded: EmbeddedRego; module: RegoModuleInfo }[];
}

/** Reads what constraints need of a template without checking it (for the workspace's template index). */
export function templateInfo(ctx: ObjectContext): TemplateInfo | undefined {
  const v = ctx.object.value;
  const spec = isRecord(v.spec) ? v.spec : {};
  const crd = isRecord(spec.crd) ? spec.crd : {};
  const crdSpec = isRecord(crd.spec) ? crd.spec : {};
  const names = isRecord(crdSpec.names) ? crdSpec.names : {};
  const validation = isRecord(crdSpec.validation) ? crdSpec.validation : {};
  if (typeof names.kind !== 'string' || !names.kind) return undefined;
  const meta = isRecord(v.metadata) ? v.metadata : {};
  const annotations = isRecord(meta.annotations) ? meta.annotations : {};
  const title = annotations['metadata.gatekeeper.sh/title'];
  const description = annotations.description;
  return {
    ...(typeof title === 'string' ? { title } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    kind: names.kind,
    name: ctx.object.name ?? '',
    uri: ctx.file.uri,
    document: ctx.doc.index,
    schema: validation.openAPIV3Schema,
    controls: ctx.controls,
  };
}

export function checkTemplate(ctx: ObjectContext, controls?: ControlLookup): TemplateAnalysis {
  const findings: Finding[] = [];
  const v = ctx.object.value;
  const push = (f: Finding): void => void findings.push(f);

  if (!TEMPLATE_API_VERSIONS.includes(ctx.object.apiVersion)) {
    push(findingAt(ctx, ['apiVersion'], 'warning', 'gatekeeper.api-version', `Unknown ConstraintTemplate apiVersion "${ctx.object.apiVersion}"; use templates.gatekeeper.sh/v1.`));
  }
  const spec = v.spec;
  if (!isRecord(spec)) {
    push(findingAt(ctx, ['spec'], 'error', 'gatekeeper.structure', 'A ConstraintTemplate needs a `spec` with `crd` and `targets`.', 'key'));
    return { info: undefined, findings, rego: [] };
  }

  // CRD names: the kind constraints use, and the template's name, which must be that kind in lower case.
  const crdSpec = isRecord(spec.crd) && isRecord(spec.crd.spec) ? spec.crd.spec : undefined;
  const names = crdSpec && isRecord(crdSpec.names) ? crdSpec.names : undefined;
  const kind = names?.kind;
  if (typeof kind !== 'string' || !kind) {
    push(findingAt(ctx, ['spec', 'crd', 'spec', 'names', 'kind'], 'error', 'gatekeeper.missing-kind', 'The template must name the constraint kind it defines in `spec.crd.spec.names.kind`.', 'key'));
  } else {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
      push(findingAt(ctx, ['spec', 'crd', 'spec', 'names', 'kind'], 'error', 'gatekeeper.kind', `Constraint kind "${kind}" must be an upper-camel-case name of letters and digits.`));
    }
    const name = ctx.object.name;
    if (name !== kind.toLowerCase()) {
      const range = rangeOfPath(ctx.file, ctx.doc, [...ctx.object.path, 'metadata', 'name'], 'value');
      push(
        findingAt(ctx, ['metadata', 'name'], 'error', 'gatekeeper.template-name', `The template's name must be its kind in lower case: "${kind.toLowerCase()}" (it is ${name === undefined ? 'missing' : `"${name}"`}).`, name === undefined ? 'key' : 'value',
          name === undefined ? undefined : [{ title: `Rename the template to "${kind.toLowerCase()}"`, kind: 'quickfix', safe: true, isPreferred: true, edits: [{ range, newText: kind.toLowerCase() }] }],
        ),
      );
    }
  }

  // The parameters schema.
  const validation = crdSpec && isRecord(crdSpec.validation) ? crdSpec.validation : undefined;
  if (validation && 'openAPIV3Schema' in validation) {
    const schema = validation.openAPIV3Schema;
    for (const p of checkSchema(schema).slice(0, 20)) {
      const path = ['spec', 'crd', 'spec', 'validation', 'openAPIV3Schema', ...pointerToPath(p.pointer, schema)];
      push(findingAt(ctx, path, 'error', 'gatekeeper.schema', `Parameters schema: ${p.message}.`));
    }
  }

  // Targets.
  const targets = spec.targets;
  if (!Array.isArray(targets) || targets.length === 0) {
    push(findingAt(ctx, ['spec', 'targets'], 'error', 'gatekeeper.targets', 'A ConstraintTemplate needs exactly one entry in `spec.targets`.', 'key'));
  } else {
    if (targets.length > 1) push(findingAt(ctx, ['spec', 'targets', 1], 'error', 'gatekeeper.targets', 'Gatekeeper accepts exactly one target per template.'));
    targets.forEach((t, i) => checkTarget(ctx, t, i, push));
  }

  // Embedded Rego.
  const rego: TemplateAnalysis['rego'] = [];
  const embeddedSources = templateRegoSources(ctx.file, ctx.doc, ctx.object.path, v);
  const parsed = embeddedSources.map((embedded) => ({ embedded, module: analyzeRegoSource(embedded.source, { version: embedded.version, controls }) }));
  // A template's Rego sees its own libraries only: calls are checked within the template.
  const templateModules = parsed.map((p) => p.module);
  for (const { embedded, module: parsedModule } of parsed) {
    const module = { ...parsedModule, problems: [...parsedModule.problems, ...callProblems(templateModules, parsedModule)] };
    rego.push({ embedded, module });
    const resource = resourceOf(ctx);
    for (const f of regoFindings(module, ctx.file.lines, resource)) findings.push({ ...f, controls: ctx.controls });
    findings.push(...gatekeeperRegoRules(ctx, embedded, module));
    findings.push(...unknownParameterRefs(ctx, module, parameterNames(crdSpec)));
  }
  const regoControls = rego.flatMap(({ module }) => [...packageControls(module.annotations), ...module.module.rules.flatMap((r) => controlsOfRule(r, module.annotations))].map((c) => c.id));
  const info = templateInfo(ctx);
  if (info) info.controls = [...new Set([...ctx.controls, ...regoControls])];
  return { info, findings, rego };
}

function checkTarget(ctx: ObjectContext, t: unknown, i: number, push: (f: Finding) => void): void {
  const base = ['spec', 'targets', i];
  if (!isRecord(t)) {
    push(findingAt(ctx, base, 'error', 'gatekeeper.targets', 'Each target is a map with `target` and `rego` (or `code`).'));
    return;
  }
  if (typeof t.target !== 'string') push(findingAt(ctx, base, 'error', 'gatekeeper.targets', `The target needs \`target: ${ADMISSION_TARGET}\`.`, 'key'));
  else if (t.target !== ADMISSION_TARGET) push(findingAt(ctx, [...base, 'target'], 'warning', 'gatekeeper.targets', `Unknown target "${t.target}"; Gatekeeper's admission target is ${ADMISSION_TARGET}.`));
  const hasRego = typeof t.rego === 'string';
  const hasCode = Array.isArray(t.code) && t.code.length > 0;
  if (!hasRego && !hasCode) push(findingAt(ctx, base, 'error', 'gatekeeper.targets', 'The target has no policy: give it `rego` or `code`.', 'key'));
  if ('rego' in t && !hasRego) push(findingAt(ctx, [...base, 'rego'], 'error', 'gatekeeper.targets', '`rego` must be a string (use a `|` block).'));
  if ('libs' in t && (!Array.isArray(t.libs) || t.libs.some((l) => typeof l !== 'string'))) push(findingAt(ctx, [...base, 'libs'], 'error', 'gatekeeper.targets', '`libs` must be a list of Rego strings.'));
  if ('code' in t) {
    if (!Array.isArray(t.code)) push(findingAt(ctx, [...base, 'code'], 'error', 'gatekeeper.targets', '`code` must be a list of `{engine, source}` entries.'));
    else {
      const seen = new Set<string>();
      t.code.forEach((c, k) => {
        const at = [...base, 'code', k];
        if (!isRecord(c)) return push(findingAt(ctx, at, 'error', 'gatekeeper.targets', 'A `code` entry is a map with `engine` and `source`.'));
        if (typeof c.engine !== 'string' || !ENGINES.includes(c.engine)) push(findingAt(ctx, [...at, 'engine'], 'error', 'gatekeeper.targets', `\`engine\` must be one of ${ENGINES.join(', ')}.`, typeof c.engine === 'string' ? 'value' : 'key'));
        else if (seen.has(c.engine)) push(findingAt(ctx, [...at, 'engine'], 'error', 'gatekeeper.targets', `Engine ${c.engine} is given twice.`));
        else seen.add(c.engine);
        if (!isRecord(c.source)) push(findingAt(ctx, [...at, 'source'], 'error', 'gatekeeper.targets', 'A `code` entry needs a `source` map.', 'key'));
        else if (c.engine === 'K8sNativeValidation') checkNativeValidation(ctx, c.source, [...at, 'source'], push);
        else if (c.engine === 'Rego') {
          if (typeof c.source.rego !== 'string') push(findingAt(ctx, [...at, 'source', 'rego'], 'error', 'gatekeeper.targets', 'A Rego `source` needs a `rego` string.', 'key'));
          if (c.source.version !== undefined && c.source.version !== 'v0' && c.source.version !== 'v1') push(findingAt(ctx, [...at, 'source', 'version'], 'error', 'gatekeeper.targets', '`version` is "v0" or "v1".'));
        }
      });
    }
  }
}

/** Gatekeeper's CEL engine: the same expression lists as a ValidatingAdmissionPolicy, compiled for syntax. */
function checkNativeValidation(ctx: ObjectContext, source: Record<string, unknown>, at: (string | number)[], push: (f: Finding) => void): void {
  for (const [field, keys] of [['validations', ['expression', 'messageExpression']], ['variables', ['expression']], ['matchConditions', ['expression']]] as const) {
    const list = source[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      push(findingAt(ctx, [...at, field], 'error', 'gatekeeper.targets', `\`${field}\` is a list.`));
      continue;
    }
    list.forEach((item, i) => {
      if (!isRecord(item)) return;
      for (const k of keys) {
        if (typeof item[k] !== 'string') continue;
        const p = celSyntaxProblem(ctx.file, ctx.doc, [...ctx.object.path, ...at, field, i, k]);
        if (p) {
          push({ ...findingAt(ctx, [...at, field, i, k], 'error', 'gatekeeper.cel', `CEL syntax error in ${field}[${i}].${k}: ${p.message}`), range: ctx.file.lines.range(p.start, p.end) });
        }
      }
    });
  }
}

/** The parameter names the schema lists, or undefined when it lists none or keeps unknown fields. */
function parameterNames(crdSpec: Record<string, unknown> | undefined): Set<string> | undefined {
  const validation = crdSpec && isRecord(crdSpec.validation) ? crdSpec.validation : undefined;
  const schema = validation && isRecord(validation.openAPIV3Schema) ? validation.openAPIV3Schema : undefined;
  if (!schema || !isRecord(schema.properties) || schema['x-kubernetes-preserve-unknown-fields'] === true) return undefined;
  return new Set(Object.keys(schema.properties));
}

/** `input.parameters.x` where the schema has no `x`: the Rego reads a parameter no constraint can set. */
function unknownParameterRefs(ctx: ObjectContext, mod: RegoModuleInfo, names: Set<string> | undefined): Finding[] {
  if (!names) return [];
  const out: Finding[] = [];
  for (const rule of mod.module.rules) {
    walkRule(rule, (t: Term) => {
      if (t.type !== 'ref' || t.head.type !== 'var' || t.head.name !== 'input' || t.args.length < 2) return;
      const [first, second] = t.args;
      if (first.kind !== 'dot' || first.name !== 'parameters') return;
      const name = second.kind === 'dot' ? second.name : second.term.type === 'string' ? String(second.term.value) : undefined;
      if (name === undefined || names.has(name)) return;
      const near = [...names].find((n) => n.toLowerCase() === name.toLowerCase());
      out.push({
        range: ctx.file.lines.range(mod.source.toFile(second.start + (second.kind === 'dot' ? 1 : 0)), mod.source.toFile(second.end)),
        severity: 'warning',
        code: 'gatekeeper.unknown-parameter',
        message: `The template's schema has no parameter \`${name}\`${near ? ` (did you mean \`${near}\`?)` : ''}; constraints cannot set it.`,
        controls: ctx.controls,
        source: 'gatekeeper',
        resource: resourceOf(ctx),
      });
    });
  }
  return out;
}

const ALLOWED_DATA_ROOTS = new Set(['lib', 'inventory']);

/** Gatekeeper's own restrictions on template Rego. */
function gatekeeperRegoRules(ctx: ObjectContext, embedded: EmbeddedRego, mod: RegoModuleInfo): Finding[] {
  const out: Finding[] = [];
  const at = (start: number, end: number, code: string, message: string, severity: 'error' | 'warning' = 'error'): void => {
    out.push({
      range: ctx.file.lines.range(mod.source.toFile(start), mod.source.toFile(end)),
      severity,
      code,
      message,
      controls: ctx.controls,
      source: 'gatekeeper',
      resource: resourceOf(ctx),
    });
  };
  const pkg = mod.module.package;
  if (!pkg) return out; // the syntax error already says so
  if (embedded.role === 'main' && !mod.module.rules.some((r) => r.head.name === 'violation')) {
    at(pkg.start, pkg.end, 'gatekeeper.missing-violation', 'The template\'s Rego defines no `violation` rule; Gatekeeper reports violations only through `violation[{"msg": msg}]`.');
  }
  if (embedded.role === 'lib' && pkg.path[0] !== 'lib') {
    at(pkg.pathSpan.start, pkg.pathSpan.end, 'gatekeeper.lib-package', `Library packages must begin with \`lib.\` (this one is \`${mod.packageName}\`).`);
  }
  if (embedded.role === 'main' && pkg.path[0] === 'lib') {
    at(pkg.pathSpan.start, pkg.pathSpan.end, 'gatekeeper.lib-package', 'The main Rego of a template may not live under `lib.`; that namespace is for `libs`.');
  }
  for (const imp of mod.module.imports) {
    if (imp.path[0] === 'data' && !ALLOWED_DATA_ROOTS.has(imp.path[1] ?? '')) {
      at(imp.pathSpan.start, imp.pathSpan.end, 'gatekeeper.data-reference', `Templates may reference only data.lib and data.inventory (not \`${imp.path.join('.')}\`).`);
    }
  }
  for (const rule of mod.module.rules) {
    walkRule(rule, (t: Term) => {
      if (t.type !== 'ref' || t.head.type !== 'var' || t.head.name !== 'data') return;
      const first = t.args[0];
      const name = first?.kind === 'dot' ? first.name : first?.term.type === 'string' ? String(first.term.value) : undefined;
      if (name === undefined || !ALLOWED_DATA_ROOTS.has(name)) {
        at(t.start, t.end, 'gatekeeper.data-reference', `Templates may reference only data.lib and data.inventory${name ? ` (not \`data.${name}\`)` : ''}.`);
      }
    });
  }
  return out;
}
