/** ValidatingAdmissionPolicy in the engine: structure of policy files, violations in manifests, policy evidence. */
import type { AnalysisContext, FileAnalyzer, RuleHelp } from '../../analysis';
import type { Evidence } from '../../coverage/evidence';
import type { ParsedFile } from '../../documents/parse';
import { rangeOfPath } from '../../documents/paths';
import { annotationControls } from '../gatekeeper';
import { analyzeVapFile, bindingCompletion, bindingReferenceAt, collectVap, vapViolations, type VapPass, type VapWorkspace } from './index';
import { displayControlId } from '../../controls/ids';
import { sharingKey } from '../../documents/contentKey';

function workspaceVap(ctx: AnalysisContext): VapWorkspace {
  return ctx.workspace.memo('policy.vap', ['vap', 'kubernetes'], () => {
    const files: ParsedFile[] = [];
    for (const entry of ctx.workspace.all()) if (entry.families.has('vap') || entry.families.has('kubernetes')) files.push(entry.file);
    return collectVap(files);
  });
}

/** Whether any file holds a ValidatingAdmissionPolicy: without one no manifest can violate anything. */
function hasVapPolicies(ctx: AnalysisContext): boolean {
  return ctx.workspace.memo('policy.vap.any', ['vap'], () => {
    for (const entry of ctx.workspace.all()) {
      if (!entry.families.has('vap')) continue;
      for (const { objects } of entry.documents) if (objects.some((o) => o.kind === 'ValidatingAdmissionPolicy')) return true;
    }
    return false;
  });
}

/**
 * What a manifest's violations read from the rest of the workspace: the policies and bindings (the VAP family),
 * the Namespaces their selectors match on and the objects of a policy's paramKind. Typing in any other manifest
 * leaves this key as it was, so the findings of the rest of the workspace stay cached.
 */
function violationsKey(ctx: AnalysisContext): string {
  if (!hasVapPolicies(ctx)) return 'no-policies';
  return ctx.workspace.memo('policy.vap.key', ['vap', 'kubernetes'], () => {
    const ws = workspaceVap(ctx);
    const kinds = new Set<string>();
    for (const defs of ws.policies.values()) for (const d of defs) if (d.info.paramKind) kinds.add(`${d.info.paramKind.apiVersion}|${d.info.paramKind.kind}`);
    const params = ws.params.filter((p) => kinds.has(`${p.apiVersion}|${p.kind}`)).map((p) => [p.apiVersion ?? null, p.kind ?? null, p.name ?? null, p.namespace ?? null, p.value ?? null]);
    const key = sharingKey({ namespaces: [...ws.namespaces], params });
    return `${ctx.workspace.generation('vap')}|${key}`;
  });
}

const VAP_RULES: Record<string, RuleHelp> = {
  'vap.api-version': { title: 'Unknown admissionregistration apiVersion' },
  'vap.structure': { title: 'Malformed ValidatingAdmissionPolicy', help: 'A required field is missing or has the wrong type or value.' },
  'vap.match': { title: 'Malformed matchConstraints or matchResources' },
  'vap.cel': { title: 'CEL syntax error', help: 'The API server rejects a policy whose expressions do not compile.' },
  'vap.variables': { title: 'Undefined variable', help: 'Expressions may read only variables declared in spec.variables.' },
  'vap.params': { title: 'Parameters used inconsistently', help: 'params is set only when the policy has paramKind and the binding a paramRef.' },
  'vap.binding': { title: 'Malformed ValidatingAdmissionPolicyBinding' },
  'vap.unknown-policy': { title: 'Binding names a policy not in the workspace' },
  'vap.param-not-found': { title: 'Binding names a parameter object not in the workspace' },
};

export const vapAnalyzer: FileAnalyzer = {
  id: 'vap',
  families: ['vap'],
  dependsOn: ['vap', 'kubernetes'],
  describeRule(code) {
    return VAP_RULES[code];
  },
  analyze(entry, ctx) {
    return analyzeVapFile(entry.file, workspaceVap(ctx));
  },
  completion(entry, offset, ctx) {
    return bindingCompletion(entry.file, offset, workspaceVap(ctx)).map((c) => ({ label: c.label, kind: 'value' as const, detail: c.detail }));
  },
  definition(entry, offset, ctx) {
    const at = bindingReferenceAt(entry.file, offset, workspaceVap(ctx));
    const target = at?.policy ? { uri: at.policy.info.uri, document: at.policy.info.document } : at?.param ? { uri: at.param.uri, document: at.param.document } : undefined;
    if (!target?.uri || target.document === undefined) return [];
    const file = ctx.workspace.get(target.uri)?.file;
    const doc = file?.documents[target.document];
    if (!file || !doc) return [];
    return [{ uri: target.uri, range: rangeOfPath(file, doc, ['metadata', 'name']) }];
  },
  hover(entry, offset, ctx) {
    const at = bindingReferenceAt(entry.file, offset, workspaceVap(ctx));
    if (!at) return undefined;
    const range = entry.file.lines.range(at.start, at.end);
    if (at.policy) {
      const spec = (at.policy.def.value.spec ?? {}) as Record<string, unknown>;
      const validations = Array.isArray(spec.validations) ? spec.validations.length : 0;
      const lines = [`ValidatingAdmissionPolicy \`${at.policy.info.name}\`: ${validations} validation${validations === 1 ? '' : 's'}`];
      if (at.policy.info.paramKind) lines.push(`Parameters: ${at.policy.info.paramKind.kind} (${at.policy.info.paramKind.apiVersion})`);
      if (at.policy.def.controls.length) lines.push(`Controls: ${at.policy.def.controls.map(displayControlId).join(', ')}`);
      return { markdown: lines.join('\n\n'), range };
    }
    if (at.param) return { markdown: `${at.param.kind} \`${at.param.name ?? ''}\`${at.param.namespace ? ` in namespace ${at.param.namespace}` : ''}: the policy's parameters`, range };
    return { markdown: at.missing, range };
  },
  evidence(entry) {
    const out: Evidence[] = [];
    for (const { doc, objects } of entry.documents) {
      for (const object of objects) {
        if (object.kind !== 'ValidatingAdmissionPolicy') continue;
        const controls = annotationControls(doc, object);
        if (!controls.length) continue;
        out.push({
          kind: 'policy',
          controls,
          uri: entry.file.uri,
          range: rangeOfPath(entry.file, doc, [...object.path, 'metadata', 'name']),
          detail: `ValidatingAdmissionPolicy ${object.name ?? ''}`,
          check: `vap:${object.name ?? ''}`,
          resource: { kind: object.kind, name: object.name, document: doc.index },
        });
      }
    }
    return out;
  },
};

/** Runs the workspace's ValidatingAdmissionPolicies on the manifests of a file. */
export const vapPolicyAnalyzer: FileAnalyzer = {
  id: 'vap-policies',
  families: ['kubernetes'],
  dependsOn: ['vap', 'kubernetes'],
  dependencyKey: violationsKey,
  analyze(entry, ctx) {
    return vapViolations(entry.file, workspaceVap(ctx));
  },
  evidence(entry, ctx) {
    const passes: VapPass[] = [];
    vapViolations(entry.file, workspaceVap(ctx), passes);
    const seen = new Set<string>();
    const out: Evidence[] = [];
    for (const p of passes) {
      const key = `${p.code}\0${p.doc.index}\0${p.object.path.join('/')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        kind: 'pass',
        controls: p.controls,
        uri: entry.file.uri,
        range: rangeOfPath(entry.file, p.doc, [...p.object.path, 'metadata', 'name']),
        detail: `${p.object.kind} ${p.object.name ?? ''} passes ValidatingAdmissionPolicy ${p.policy}`,
        check: p.code,
        resource: { kind: p.object.kind, name: p.object.name, namespace: p.object.namespace, document: p.doc.index },
      });
    }
    return out;
  },
};
