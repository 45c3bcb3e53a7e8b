import { lazyVariables, CelActivation } from '../cel';
import { runCel, namespaceObjectFor } from './celRule';
import { labelSelectorMatches, splitApiVersion } from './match';
import { rewriteCelForController } from './autogen';
import { withObjectValues } from './engine';
import { celPolicyException } from './exceptions';
import { baseContext, requestField, operationOf, namespaceOf } from './context';
import { isObj, type EvaluationOptions, type Obj, type RuleResult, type RuleStatus } from './types';

/**
 * Kyverno's CEL `ValidatingPolicy` (policies.kyverno.io): matchConstraints, matchConditions, variables and
 * validations, with autogen for pod controllers when the policy matches Pods.
 */

const IRREGULAR_PLURALS: Record<string, string> = { endpoints: 'endpoints' };

/** The API resource name of a kind (`Pod` → `pods`, `Ingress` → `ingresses`, `NetworkPolicy` → `networkpolicies`). */
export function resourceOfKind(kind: string): string {
  const k = kind.toLowerCase();
  if (IRREGULAR_PLURALS[k]) return IRREGULAR_PLURALS[k];
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const has = (list: string[], v: string): boolean => list.includes('*') || list.includes(v);

function ruleCovers(rule: Obj, resource: Obj, operation: string): boolean {
  const { group, version } = splitApiVersion(resource.apiVersion);
  const res = resourceOfKind(String(resource.kind ?? ''));
  if (!has(strs(rule.apiGroups), group)) return false;
  if (!has(strs(rule.apiVersions), version)) return false;
  const resources = strs(rule.resources);
  if (!resources.some((r) => r === '*' || r === res || r === '*/*')) return false;
  const ops = strs(rule.operations);
  if (ops.length && !has(ops, operation)) return false;
  const names = strs(rule.resourceNames);
  const meta = isObj(resource.metadata) ? resource.metadata : {};
  if (names.length && !names.includes(String(meta.name ?? ''))) return false;
  return true;
}

function constraintsMatch(mc: Obj, resource: Obj, operation: string, options: EvaluationOptions): boolean {
  const rules = Array.isArray(mc.resourceRules) ? mc.resourceRules.filter(isObj) : [];
  if (!rules.some((r) => ruleCovers(r, resource, operation))) return false;
  const excl = Array.isArray(mc.excludeResourceRules) ? mc.excludeResourceRules.filter(isObj) : [];
  if (excl.some((r) => ruleCovers(r, resource, operation))) return false;
  const meta = isObj(resource.metadata) ? resource.metadata : {};
  if (mc.objectSelector !== undefined && isObj(mc.objectSelector) && Object.keys(mc.objectSelector).length) {
    if (!labelSelectorMatches(mc.objectSelector, isObj(meta.labels) ? meta.labels : {})) return false;
  }
  if (mc.namespaceSelector !== undefined && isObj(mc.namespaceSelector) && Object.keys(mc.namespaceSelector).length && resource.kind !== 'Namespace') {
    const ns = namespaceObjectFor(resource, options);
    const nmeta = ns && isObj(ns.metadata) ? ns.metadata : {};
    if (!labelSelectorMatches(mc.namespaceSelector, isObj(nmeta.labels) ? nmeta.labels : {})) return false;
  }
  return true;
}

/** Kyverno's CanAutoGen for CEL policies: exactly one rule on core/v1 pods, no names, selectors or exclusions. */
function canAutogen(mc: Obj): boolean {
  const selectorSet = (v: unknown): boolean => isObj(v) && (isObj(v.matchLabels) && Object.keys(v.matchLabels).length > 0 || Array.isArray(v.matchExpressions) && v.matchExpressions.length > 0);
  if (selectorSet(mc.namespaceSelector) || selectorSet(mc.objectSelector)) return false;
  if (Array.isArray(mc.excludeResourceRules) && mc.excludeResourceRules.length) return false;
  const rules = Array.isArray(mc.resourceRules) ? mc.resourceRules.filter(isObj) : [];
  if (rules.length !== 1) return false;
  const r = rules[0];
  if (strs(r.resourceNames).length) return false;
  const one = (v: unknown, want: string): boolean => strs(v).length === 1 && strs(v)[0] === want;
  return one(r.apiGroups, '') && one(r.apiVersions, 'v1') && one(r.resources, 'pods');
}

const CONTROLLER_API: Record<string, string> = {
  Deployment: 'apps/v1', DaemonSet: 'apps/v1', StatefulSet: 'apps/v1', ReplicaSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1',
};

/** Controllers by resource name, as `spec.autogen.podControllers.controllers` lists them; all of them by default. */
function autogenControllers(policy: Obj): string[] {
  const spec = isObj(policy.spec) ? policy.spec : {};
  const ag = isObj(spec.autogen) ? spec.autogen : undefined;
  const pc = ag && isObj(ag.podControllers) ? ag.podControllers : undefined;
  const all = Object.keys(CONTROLLER_API);
  if (!pc || !Array.isArray(pc.controllers)) return all;
  const wanted = new Set(pc.controllers.map((c) => String(c).toLowerCase()));
  return all.filter((k) => wanted.has(resourceOfKind(k)) || wanted.has(k.toLowerCase()));
}

export function isValidatingPolicy(doc: Obj): boolean {
  return typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith('policies.kyverno.io/') && (doc.kind === 'ValidatingPolicy' || doc.kind === 'NamespacedValidatingPolicy');
}

export function evaluateValidatingPolicy(policy: Obj, resourceIn: Obj, options: EvaluationOptions = {}): RuleResult[] {
  const resource = withObjectValues(resourceIn, options.values);
  const spec = isObj(policy.spec) ? policy.spec : {};
  const meta = isObj(policy.metadata) ? policy.metadata : {};
  const name = String(meta.name ?? '');
  const operation = operationOf(options);
  if (policy.kind === 'NamespacedValidatingPolicy') {
    const ns = String(meta.namespace ?? 'default');
    if (resource.kind === 'Namespace' || namespaceOf(resource) !== ns) return [];
  }
  const mc = isObj(spec.matchConstraints) ? spec.matchConstraints : {};
  let rewrite: ((e: string) => string) | undefined;
  let ruleName = '';
  if (!constraintsMatch(mc, resource, operation, options)) {
    const kind = String(resource.kind ?? '');
    if (!canAutogen(mc) || !autogenControllers(policy).includes(kind) || CONTROLLER_API[kind] !== resource.apiVersion) return [];
    const ops = strs((mc.resourceRules as Obj[])[0].operations);
    if (ops.length && !has(ops, operation)) return [];
    const cron = kind === 'CronJob';
    rewrite = cron ? rewriteForCronJob : rewriteForController;
    ruleName = cron ? 'autogen-cronjob' : 'autogen';
  }
  const outcome = evaluateCelPolicyBody(name, String(policy.kind ?? ''), spec, resource, operation, options, rewrite);
  if (!outcome) return [];
  return [{ policy: name, rule: ruleName, sourceRule: '', ruleType: 'validation', status: outcome.status, message: outcome.message }];
}

/** Rewritten expressions by text: the same few hundred are rewritten for every controller in the workspace. */
const rewritten = [new Map<string, string>(), new Map<string, string>()];

function rewriteCached(expression: string, cronJob: boolean): string {
  const cache = rewritten[cronJob ? 1 : 0];
  let out = cache.get(expression);
  if (out === undefined) {
    out = rewriteCelForController(expression, cronJob);
    if (cache.size > 5_000) cache.clear();
    cache.set(expression, out);
  }
  return out;
}

const rewriteForController = (e: string): string => rewriteCached(e, false);
const rewriteForCronJob = (e: string): string => rewriteCached(e, true);

function evaluateCelPolicyBody(
  policyName: string,
  policyKind: string,
  spec: Obj,
  resource: Obj,
  operation: string,
  options: EvaluationOptions,
  rewrite: ((e: string) => string) | undefined,
): { status: RuleStatus; message: string } | undefined {
  const rw = rewrite ?? ((e: string): string => e);
  // the operation is operationOf(options), which baseContext works out the same way
  const ctx = baseContext(resource, options);
  const base: Record<string, unknown> = {
    object: requestField(ctx, 'object'),
    oldObject: requestField(ctx, 'oldObject'),
    request: ctx.request,
    namespaceObject: namespaceObjectFor(resource, options, true),
    params: null,
  };
  if (spec.paramKind !== undefined) return { status: 'error', message: 'policy parameters are read from a live cluster, which is not available here' };
  const defs = (Array.isArray(spec.variables) ? spec.variables : []).filter(isObj).map((v) => ({ name: String(v.name), expression: rw(String(v.expression ?? '')) }));
  const variables = lazyVariables(defs, (expr) => runCel(expr, activation, options.expressionTimeoutMs));
  const activation = new CelActivation({ ...base, variables });
  const exception = celPolicyException(options.exceptions, policyName, policyKind, activation);
  if (exception) return { status: 'skip', message: `policy is skipped due to policy exception ${exception}` };
  for (const c of (Array.isArray(spec.matchConditions) ? spec.matchConditions : []).filter(isObj)) {
    try {
      if (runCel(rw(String(c.expression ?? '')), activation, options.expressionTimeoutMs) !== true) return undefined;
    } catch (e) {
      // as in admission: with failurePolicy Ignore a condition that cannot be evaluated leaves the request alone
      if (spec.failurePolicy === 'Ignore') return undefined;
      return { status: 'error', message: `match condition ${String(c.name ?? '')} failed: ${(e as Error).message}` };
    }
  }
  for (const v of (Array.isArray(spec.validations) ? spec.validations : []).filter(isObj)) {
    let ok: unknown;
    try {
      ok = runCel(rw(String(v.expression ?? '')), activation, options.expressionTimeoutMs);
    } catch (e) {
      return { status: 'error', message: `validation ${JSON.stringify(v.expression)} failed: ${(e as Error).message}` };
    }
    if (typeof ok !== 'boolean') return { status: 'error', message: `validation ${JSON.stringify(v.expression)} did not give a boolean` };
    if (!ok) {
      let message = typeof v.message === 'string' ? v.message : `failed expression: ${String(v.expression)}`;
      if (typeof v.messageExpression === 'string') {
        try {
          const m = runCel(rw(v.messageExpression), activation, options.expressionTimeoutMs);
          if (typeof m === 'string' && m.trim()) message = m;
        } catch {
          // keep the static message
        }
      }
      return { status: 'fail', message };
    }
  }
  return { status: 'pass', message: 'validation passed' };
}
