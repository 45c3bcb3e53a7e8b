/**
 * ValidatingAdmissionPolicy as a library: the workspace's policies, bindings and parameter objects,
 * structure checks of policy files, and violations of workspace manifests as `policy.<name>/<index>`.
 */
import { groupOf, kubeObjects, type KubeObject } from '../../documents/classify';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import { offsetsOfPath, pathAtOffset, rangeOfPath } from '../../documents/paths';
import type { Finding, Severity } from '../../types';
import { annotationControls } from '../gatekeeper';
import { isRecord, type ObjectContext } from '../gatekeeper/common';
import { evaluatePolicy, type BindingDef, type EvaluationContext, type PolicyDef } from './evaluate';
import { checkBinding, checkPolicy, type ParamObject, type PolicyInfo } from './structure';

export interface VapWorkspace {
  policies: Map<string, { info: PolicyInfo; def: PolicyDef }[]>;
  bindings: BindingDef[];
  params: ParamObject[];
  namespaces: Map<string, Record<string, unknown>>;
}

function isVap(o: KubeObject): 'policy' | 'binding' | undefined {
  if (groupOf(o.apiVersion) !== 'admissionregistration.k8s.io') return undefined;
  if (o.kind === 'ValidatingAdmissionPolicy') return 'policy';
  if (o.kind === 'ValidatingAdmissionPolicyBinding') return 'binding';
  return undefined;
}

function objectsOf(file: ParsedFile): { doc: ParsedDocument; object: KubeObject }[] {
  return file.documents.flatMap((doc) => kubeObjects(doc.value).map((object) => ({ doc, object })));
}

/** Reads policies, bindings, namespaces and every object a policy could take as params. */
export function collectVap(files: Iterable<ParsedFile>): VapWorkspace {
  const ws: VapWorkspace = { policies: new Map(), bindings: [], params: [], namespaces: new Map() };
  for (const file of files) {
    for (const { doc, object } of objectsOf(file)) {
      const kind = isVap(object);
      if (kind === 'policy' && object.name) {
        const ctx: ObjectContext = { file, doc, object, controls: annotationControls(doc, object) };
        const info = checkPolicy(ctx).info ?? { name: object.name, uri: file.uri, document: doc.index };
        const list = ws.policies.get(object.name) ?? [];
        list.push({ info, def: { name: object.name, value: object.value, controls: ctx.controls } });
        ws.policies.set(object.name, list);
      } else if (kind === 'binding') {
        ws.bindings.push({ name: object.name ?? '', value: object.value });
      } else {
        if (object.kind === 'Namespace' && object.name && object.apiVersion === 'v1') ws.namespaces.set(object.name, object.value);
        ws.params.push({ apiVersion: object.apiVersion, kind: object.kind, name: object.name, namespace: object.namespace, value: object.value, uri: file.uri, document: doc.index });
      }
    }
  }
  return ws;
}

/** Structure findings of the VAP objects of one file. */
export function analyzeVapFile(file: ParsedFile, ws: VapWorkspace): Finding[] {
  const out: Finding[] = [];
  const infos = new Map([...ws.policies].map(([k, v]) => [k, v.map((x) => x.info)]));
  for (const { doc, object } of objectsOf(file)) {
    const kind = isVap(object);
    if (!kind) continue;
    const ctx: ObjectContext = { file, doc, object, controls: annotationControls(doc, object) };
    if (kind === 'policy') out.push(...checkPolicy(ctx).findings);
    else {
      const policyName = isRecord(object.value.spec) ? object.value.spec.policyName : undefined;
      const policy = typeof policyName === 'string' ? ws.policies.get(policyName)?.[0] : undefined;
      const c: ObjectContext = policy ? { ...ctx, controls: [...new Set([...ctx.controls, ...policy.def.controls])] } : ctx;
      out.push(...checkBinding(c, infos, ws.params));
    }
  }
  return out;
}

function severityOf(actions: string[]): Severity {
  if (actions.includes('Deny')) return 'error';
  if (actions.includes('Warn')) return 'warning';
  if (actions.includes('Audit')) return 'information';
  return 'warning';
}

export interface VapPass {
  code: string;
  policy: string;
  controls: string[];
  doc: ParsedDocument;
  object: KubeObject;
}

/** Violations of the workspace's policies by the resources of one file, at each resource. */
export function vapViolations(file: ParsedFile, ws: VapWorkspace, passes?: VapPass[]): Finding[] {
  const out: Finding[] = [];
  if (ws.policies.size === 0) return out;
  const ctx: EvaluationContext = { namespaces: ws.namespaces, params: ws.params };
  for (const { doc, object } of objectsOf(file)) {
    if (object.classification.family !== 'kubernetes') continue;
    const seen = new Set<string>();
    for (const [name, defs] of ws.policies) {
      const def = defs[0].def;
      const bindings = ws.bindings.filter((b) => isRecord(b.value.spec) && b.value.spec.policyName === name);
      // A policy with no binding does nothing in a cluster; it is still evaluated, at warning level, so authors see it work.
      const runs = bindings.length ? bindings : [undefined];
      for (const binding of runs) {
        const held: number[] = [];
        const violations = evaluatePolicy(def, binding, object.value, ctx, held);
        for (const i of held) passes?.push({ code: `policy.${name}/${i}`, policy: name, controls: def.controls, doc, object });
        for (const v of violations) {
          const code = `policy.${v.policy}/${v.validation}`;
          const key = `${code}\0${v.message}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const where = binding ? ` (binding ${v.binding})` : ' (no binding in the workspace)';
          out.push({
            range: rangeOfPath(file, doc, [...object.path, 'metadata', 'name'], 'value'),
            severity: severityOf(v.actions),
            code,
            message: `${object.kind} ${object.name ?? ''} violates ValidatingAdmissionPolicy ${v.policy}, validation ${v.validation}: ${v.message}${where}`,
            controls: def.controls,
            source: 'policy',
            resource: { kind: object.kind, ...(object.name ? { name: object.name } : {}), ...(object.namespace ? { namespace: object.namespace } : {}), document: doc.index },
          });
        }
      }
    }
  }
  return out;
}

/** What the cursor is on in a binding: its policy name or its parameter object name. */
export function bindingReferenceAt(file: ParsedFile, offset: number, ws: VapWorkspace): { start: number; end: number; policy?: { info: PolicyInfo; def: PolicyDef }; param?: ParamObject; missing: string } | undefined {
  for (const doc of file.documents) {
    if (offset < doc.start || offset > doc.end) continue;
    for (const object of kubeObjects(doc.value)) {
      if (isVap(object) !== 'binding' || !isRecord(object.value.spec)) continue;
      const spec = object.value.spec;
      const span = offsetsOfPath(doc, [...object.path, 'spec', 'policyName']);
      if (span && offset >= span[0] && offset <= span[1] && typeof spec.policyName === 'string') {
        return { start: span[0], end: span[1], policy: ws.policies.get(spec.policyName)?.[0], missing: `No ValidatingAdmissionPolicy named "${spec.policyName}" in the workspace.` };
      }
      const pspan = offsetsOfPath(doc, [...object.path, 'spec', 'paramRef', 'name']);
      const ref = isRecord(spec.paramRef) ? spec.paramRef : undefined;
      if (pspan && ref && offset >= pspan[0] && offset <= pspan[1] && typeof spec.policyName === 'string') {
        const pk = ws.policies.get(spec.policyName)?.[0]?.info.paramKind;
        const param = pk ? ws.params.find((p) => p.kind === pk.kind && p.apiVersion === pk.apiVersion && p.name === ref.name) : undefined;
        return { start: pspan[0], end: pspan[1], param, missing: 'No parameter object of the policy\'s paramKind with this name in the workspace.' };
      }
    }
  }
  return undefined;
}

/** Completion in bindings: policy names of the workspace, validation actions, parameter object names. */
export function bindingCompletion(file: ParsedFile, offset: number, ws: VapWorkspace): { label: string; detail?: string }[] {
  const doc = file.documents.find((d) => offset >= d.start && offset <= d.end);
  if (!doc || !isRecord(doc.value) || doc.value.kind !== 'ValidatingAdmissionPolicyBinding') return [];
  const at = pathAtOffset(doc, offset).path;
  const spec = isRecord(doc.value.spec) ? doc.value.spec : {};
  if (at.length === 2 && at[0] === 'spec' && at[1] === 'policyName') {
    return [...ws.policies.values()].map((p) => ({ label: p[0].info.name, detail: p[0].info.paramKind ? `takes ${p[0].info.paramKind.kind} parameters` : 'ValidatingAdmissionPolicy' }));
  }
  if (at[0] === 'spec' && at[1] === 'validationActions') {
    const have = Array.isArray(spec.validationActions) ? spec.validationActions : [];
    return ['Deny', 'Warn', 'Audit'].filter((a) => !have.includes(a)).map((label) => ({ label }));
  }
  if (at.length === 3 && at[0] === 'spec' && at[1] === 'paramRef' && at[2] === 'name' && typeof spec.policyName === 'string') {
    const pk = ws.policies.get(spec.policyName)?.[0]?.info.paramKind;
    if (!pk) return [];
    return ws.params.filter((p) => p.kind === pk.kind && p.apiVersion === pk.apiVersion && p.name).map((p) => ({ label: p.name!, detail: `${p.kind}${p.namespace ? ` in ${p.namespace}` : ''}` }));
  }
  return [];
}
