/**
 * Evaluates ValidatingAdmissionPolicies on workspace resources as the API server would on CREATE:
 * matchConstraints and the binding's matchResources, matchConditions, lazily evaluated variables,
 * params from the workspace, then each validation; a false validation is a violation.
 */
import { compileCel, lazyVariables, CelEvalError } from '../cel';
import { isRecord } from '../gatekeeper/common';
import type { ParamObject } from './structure';

type Obj = Record<string, unknown>;

export interface PolicyDef {
  name: string;
  value: Obj;
  controls: string[];
}

export interface BindingDef {
  name: string;
  value: Obj;
}

export interface Violation {
  policy: string;
  binding?: string;
  /** Index of the failing entry in spec.validations. */
  validation: number;
  message: string;
  /** Deny/Warn/Audit from the binding; empty when the policy has no binding in the workspace. */
  actions: string[];
}

export interface EvaluationContext {
  /** Namespace objects of the workspace by name (for namespaceSelector and namespaceObject). */
  namespaces: Map<string, Obj>;
  params: ParamObject[];
}

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const has = (list: string[], v: string): boolean => list.includes('*') || list.includes(v);

function splitApiVersion(apiVersion: unknown): { group: string; version: string } {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  const i = s.indexOf('/');
  return i < 0 ? { group: '', version: s } : { group: s.slice(0, i), version: s.slice(i + 1) };
}

const IRREGULAR: Record<string, string> = { endpoints: 'endpoints', ingress: 'ingresses' };

/** The resource (plural) name of a kind: `Pod` → `pods`, `NetworkPolicy` → `networkpolicies`. */
export function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (IRREGULAR[k]) return IRREGULAR[k];
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

function ruleCovers(rule: Obj, resource: Obj, namespaced: boolean): boolean {
  const { group, version } = splitApiVersion(resource.apiVersion);
  if (!has(strs(rule.apiGroups), group) || !has(strs(rule.apiVersions), version)) return false;
  const plural = pluralOf(String(resource.kind ?? ''));
  if (!strs(rule.resources).some((r) => r === '*' || r === '*/*' || r === plural)) return false;
  const ops = strs(rule.operations);
  if (ops.length && !has(ops, 'CREATE')) return false;
  const names = strs(rule.resourceNames);
  const meta = isRecord(resource.metadata) ? resource.metadata : {};
  if (names.length && !names.includes(String(meta.name ?? ''))) return false;
  const scope = rule.scope;
  if (scope === 'Cluster' && namespaced) return false;
  if (scope === 'Namespaced' && !namespaced) return false;
  return true;
}

/** Kubernetes label selector semantics (no wildcards). */
export function selectorMatches(selector: unknown, labels: Obj): boolean {
  if (!isRecord(selector)) return true;
  const ml = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  const me = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of me) {
    if (!isRecord(e)) return false;
    const key = String(e.key ?? '');
    const values = strs(e.values);
    const present = key in labels;
    switch (e.operator) {
      case 'In':
        if (!present || !values.includes(String(labels[key]))) return false;
        break;
      case 'NotIn':
        if (present && values.includes(String(labels[key]))) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'CustomResourceDefinition', 'PriorityClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'IngressClass', 'RuntimeClass', 'APIService', 'CSIDriver', 'VolumeAttachment']);

function namespaceName(resource: Obj): string | undefined {
  if (CLUSTER_SCOPED.has(String(resource.kind ?? ''))) return undefined;
  const meta = isRecord(resource.metadata) ? resource.metadata : {};
  return typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
}

function namespaceObject(resource: Obj, ctx: EvaluationContext): Obj | null {
  const ns = namespaceName(resource);
  if (!ns) return null;
  return ctx.namespaces.get(ns) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } };
}

export function resourcesMatch(mr: unknown, resource: Obj, ctx: EvaluationContext, requireRules: boolean): boolean {
  if (!isRecord(mr)) return !requireRules;
  const namespaced = namespaceName(resource) !== undefined;
  const rules = Array.isArray(mr.resourceRules) ? mr.resourceRules.filter(isRecord) : [];
  if (rules.length === 0 ? requireRules : !rules.some((r) => ruleCovers(r, resource, namespaced))) return false;
  const excl = Array.isArray(mr.excludeResourceRules) ? mr.excludeResourceRules.filter(isRecord) : [];
  if (excl.some((r) => ruleCovers(r, resource, namespaced))) return false;
  const meta = isRecord(resource.metadata) ? resource.metadata : {};
  if (!selectorMatches(mr.objectSelector, isRecord(meta.labels) ? meta.labels : {})) return false;
  if (mr.namespaceSelector !== undefined && namespaced) {
    const ns = namespaceObject(resource, ctx);
    const nmeta = ns && isRecord(ns.metadata) ? ns.metadata : {};
    if (!selectorMatches(mr.namespaceSelector, isRecord(nmeta.labels) ? nmeta.labels : {})) return false;
  } else if (mr.namespaceSelector !== undefined && resource.kind === 'Namespace') {
    if (!selectorMatches(mr.namespaceSelector, isRecord(meta.labels) ? meta.labels : {})) return false;
  }
  return true;
}

function run(expression: string, activation: Obj): unknown {
  const c = compileCel(expression);
  if (!c.ok) throw new CelEvalError(`syntax error: ${c.error.message}`);
  return c.program.evaluate(activation, { maxCost: 1_000_000 });
}

function paramsFor(policy: Obj, binding: Obj | undefined, resource: Obj, ctx: EvaluationContext): { params: unknown; missing: boolean } {
  const spec = isRecord(policy.spec) ? policy.spec : {};
  const pk = isRecord(spec.paramKind) ? spec.paramKind : undefined;
  if (!pk) return { params: null, missing: false };
  const ref = binding && isRecord(binding.spec) && isRecord(binding.spec.paramRef) ? binding.spec.paramRef : undefined;
  if (!ref || typeof ref.name !== 'string') return { params: null, missing: true };
  const ns = typeof ref.namespace === 'string' ? ref.namespace : namespaceName(resource);
  const found = ctx.params.find((p) => p.kind === pk.kind && p.apiVersion === pk.apiVersion && p.name === ref.name && (p.namespace === undefined || ns === undefined || p.namespace === ns));
  return found ? { params: found.value, missing: false } : { params: null, missing: true };
}

/** The violations of one policy (through one binding, or none) on one resource; `passes` collects validations that held. */
export function evaluatePolicy(policy: PolicyDef, binding: BindingDef | undefined, resource: Obj, ctx: EvaluationContext, passes?: number[]): Violation[] {
  const spec = isRecord(policy.value.spec) ? policy.value.spec : {};
  if (!resourcesMatch(spec.matchConstraints, resource, ctx, true)) return [];
  const bspec = binding && isRecord(binding.value.spec) ? binding.value.spec : undefined;
  if (bspec && bspec.matchResources !== undefined && !resourcesMatch(bspec.matchResources, resource, ctx, false)) return [];
  const actions = bspec ? strs(bspec.validationActions) : [];
  const { params, missing } = paramsFor(policy.value, binding?.value, resource, ctx);
  if (missing) return []; // parameters live in the cluster, or the binding's own check reports them missing
  const meta = isRecord(resource.metadata) ? resource.metadata : {};
  const { group, version } = splitApiVersion(resource.apiVersion);
  const kind = { group, version, kind: String(resource.kind ?? '') };
  const base: Obj = {
    object: resource,
    oldObject: null,
    params,
    namespaceObject: namespaceObject(resource, ctx),
    request: {
      operation: 'CREATE',
      kind,
      resource: { group, version, resource: pluralOf(kind.kind) },
      name: typeof meta.name === 'string' ? meta.name : '',
      namespace: namespaceName(resource) ?? '',
      userInfo: { username: '', groups: [] },
      dryRun: false,
    },
  };
  const defs = (Array.isArray(spec.variables) ? spec.variables : []).filter(isRecord).map((v) => ({ name: String(v.name ?? ''), expression: String(v.expression ?? '') }));
  const variables = lazyVariables(defs, (expr, vars) => run(expr, { ...base, variables: vars }));
  const activation = { ...base, variables };
  try {
    for (const c of (Array.isArray(spec.matchConditions) ? spec.matchConditions : []).filter(isRecord)) {
      if (run(String(c.expression ?? ''), activation) !== true) return [];
    }
  } catch {
    return []; // an erroring match condition: the failure policy decides in the cluster; nothing to say here
  }
  const out: Violation[] = [];
  (Array.isArray(spec.validations) ? spec.validations : []).forEach((v, i) => {
    if (!isRecord(v)) return;
    let ok: unknown;
    try {
      ok = run(String(v.expression ?? ''), activation);
    } catch {
      return;
    }
    if (ok === true) passes?.push(i);
    if (ok !== false) return;
    let message = typeof v.message === 'string' && v.message ? v.message : `failed expression: ${String(v.expression)}`;
    if (typeof v.messageExpression === 'string') {
      try {
        const m = run(v.messageExpression, activation);
        if (typeof m === 'string' && m.trim()) message = m;
      } catch {
        // the static message stands, as in the API server
      }
    }
    out.push({ policy: policy.name, binding: binding?.name, validation: i, message, actions });
  });
  return out;
}
