import { ruleMatches, type AdmissionInfo } from './match';
import { autogenRules } from './autogen';
import { kyvernoException } from './exceptions';
import { evaluateMutate } from './mutate';
import { substituteReferences, ReferenceError } from './references';
import { baseContext, loadContextEntries, ClusterAccessError, namespaceOf, setDotted, operationOf, requestField } from './context';
import { evaluateConditionBlock } from './conditionBlock';
import { matchPattern, kyvernoPath, PatternError } from './pattern';
import { createSubstituter, substituteAll, substituteString, VariableError } from './variables';
import { evaluateJmesPath } from '../jmespath';
import { evaluatePodSecurityRule } from './podSecurity';
import { evaluateCelRule, runCel, namespaceObjectFor } from './celRule';
import { isObj, type EvaluationOptions, type Obj, type RuleResult, type RuleStatus, type RuleType } from './types';
import type { JsonPath } from '../../documents/paths';

/** Evaluation of ClusterPolicy/Policy rules on one resource, with Kyverno's semantics. */

interface Outcome {
  status: RuleStatus;
  message: string;
  path?: JsonPath;
}

const MAX_FOREACH_ELEMENTS = 10_000;
const MAX_FOREACH_DEPTH = 5;
const MAX_FOREACH_STEPS = 50_000;

export function policyName(policy: Obj): string {
  const meta = isObj(policy.metadata) ? policy.metadata : {};
  return typeof meta.name === 'string' ? meta.name : '';
}

function ruleTypeOf(rule: Obj): RuleType {
  if (rule.mutate) return 'mutation';
  if (rule.generate) return 'generation';
  if (rule.verifyImages) return 'verifyImages';
  return 'validation';
}

interface PreparedRule {
  rule: Obj;
  /** The rule as written (autogen rules name the rule they came from). */
  source: string;
  name: string;
  type: RuleType;
}

/** What evaluation reads from a policy besides its rules' bodies, worked out once per policy object. */
interface PreparedPolicy {
  spec: Obj;
  name: string;
  /** `namespace/name` for a namespaced Policy, as exceptions name it. */
  ref: string;
  namespace: string;
  rules: PreparedRule[];
  scored: boolean;
}

const prepared = new WeakMap<Obj, PreparedPolicy>();

function preparePolicy(policy: Obj): PreparedPolicy {
  let p = prepared.get(policy);
  if (p) return p;
  const spec = isObj(policy.spec) ? policy.spec : {};
  const name = policyName(policy);
  const meta = isObj(policy.metadata) ? policy.metadata : {};
  const ann = isObj(meta.annotations) ? meta.annotations : {};
  const authored = (Array.isArray(spec.rules) ? spec.rules : []).filter(isObj).map((rule) => ({ rule, source: String(rule.name ?? '') }));
  const rules = [...authored, ...autogenRules(policy)].map(({ rule, source }) => ({ rule, source, name: String(rule.name ?? ''), type: ruleTypeOf(rule) }));
  p = {
    spec,
    name,
    ref: policy.kind === 'Policy' ? `${String(meta.namespace ?? 'default')}/${name}` : name,
    namespace: typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default',
    rules,
    scored: ann['policies.kyverno.io/scored'] !== 'false',
  };
  prepared.set(policy, p);
  return p;
}

/** Every rule of the policy on the resource; rules that do not match it give no result. */
export function evaluateKyvernoPolicy(policy: Obj, resourceIn: Obj, options: EvaluationOptions = {}): RuleResult[] {
  const resource = withObjectValues(resourceIn, options.values);
  const { spec, name, ref, rules, scored, namespace } = preparePolicy(policy);
  if (policy.kind === 'Policy') {
    // a resource written without a namespace lands in the policy's own, as the CLI applies namespaced policies
    const rmeta = isObj(resource.metadata) ? resource.metadata : {};
    if (resource.kind === 'Namespace' || (rmeta.namespace && namespaceOf(resource) !== namespace)) return [];
  }
  let info: AdmissionInfo | undefined;
  const out: RuleResult[] = [];
  for (const { rule, source, name: ruleName, type } of rules) {
    info ??= admissionInfo(options);
    if (!ruleMatches(rule, resource, info).matched) continue;
    const exception = options.exceptions?.length
      ? kyvernoException(options.exceptions, ref, [ruleName, source], resource, info, baseContext(resource, options))
      : undefined;
    let effective = rule;
    if (exception) {
      const validate = isObj(rule.validate) ? rule.validate : undefined;
      if (exception.podSecurity && validate && isObj(validate.podSecurity)) {
        const ps = validate.podSecurity;
        const exclude = [...(Array.isArray(ps.exclude) ? ps.exclude : []), ...exception.podSecurity];
        effective = { ...rule, validate: { ...validate, podSecurity: { ...ps, exclude } } };
      } else {
        out.push({ policy: name, rule: ruleName, sourceRule: source, ruleType: type, status: 'skip', message: `rule is skipped due to policy exception ${exception.name}` });
        continue;
      }
    }
    const outcome = evaluateRule(effective, resource, options);
    const status = outcome.status === 'fail' && !scored ? 'warn' : outcome.status;
    out.push({ policy: name, rule: ruleName, sourceRule: source, ruleType: type, status, message: outcome.message, path: outcome.path });
    // applyRules: One stops at the first rule that applied
    if (spec.applyRules === 'One' && status !== 'skip') break;
  }
  return out;
}

function admissionInfo(options: EvaluationOptions): AdmissionInfo {
  return {
    operation: operationOf(options),
    roles: options.roles ?? [],
    clusterRoles: options.clusterRoles ?? [],
    username: options.username,
    groups: options.groups,
    namespaceLabels: namespaceLabelsOf(options),
  };
}

/**
 * Values for `request.object.*` rewrite the resource itself (the CLI reads the resource back from the context after
 * adding them), on a copy so the caller's object stays as it was.
 */
export function withObjectValues(resource: Obj, values: Record<string, unknown> | undefined): Obj {
  const keys = Object.keys(values ?? {}).filter((k) => k.startsWith('request.object.'));
  if (keys.length === 0) return resource;
  const copy = structuredClone(resource);
  for (const k of keys) setDotted(copy, k.slice('request.object.'.length), values![k]);
  return copy;
}

/** Per options object, as long as it holds the same namespaces: every policy on every resource asks. */
const namespaceLabelsByOptions = new WeakMap<EvaluationOptions, { namespaces: unknown; namespaceLabels: unknown; labels: Record<string, Record<string, string>> }>();

function namespaceLabelsOf(options: EvaluationOptions): Record<string, Record<string, string>> {
  const hit = namespaceLabelsByOptions.get(options);
  if (hit && hit.namespaces === options.namespaces && hit.namespaceLabels === options.namespaceLabels) return hit.labels;
  const labels = namespaceLabelsNow(options);
  namespaceLabelsByOptions.set(options, { namespaces: options.namespaces, namespaceLabels: options.namespaceLabels, labels });
  return labels;
}

function namespaceLabelsNow(options: EvaluationOptions): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = { ...(options.namespaceLabels ?? {}) };
  for (const [n, ns] of Object.entries(options.namespaces ?? {})) {
    const meta = isObj(ns.metadata) ? ns.metadata : {};
    if (isObj(meta.labels)) out[n] = meta.labels as Record<string, string>;
  }
  return out;
}

export function evaluateRule(rule: Obj, resource: Obj, options: EvaluationOptions): Outcome {
  const ctx = baseContext(resource, options);
  // CEL preconditions belong to matching in Kyverno: they decide before any context is loaded
  if (Array.isArray(rule.celPreconditions)) {
    const r = evaluateCelPreconditions(rule.celPreconditions, resource, ctx, options);
    if (r) return r;
  }
  const provided = options.ruleValues?.[String(rule.name)] ?? {};
  // values given for the rule (a values file, in the CLI) stand in for what a cluster would provide
  for (const [k, v] of Object.entries(provided)) setDotted(ctx, k, v);
  try {
    loadContextEntries(rule.context, ctx, provided);
  } catch (e) {
    return { status: 'error', message: (e as Error).message };
  }
  try {
    const pre = evaluateConditionBlock(rule.preconditions, ctx);
    if (!pre.holds) return { status: 'skip', message: pre.message ?? 'preconditions not met' };
  } catch (e) {
    return { status: 'error', message: `failed to evaluate preconditions: ${(e as Error).message}` };
  }
  if (rule.mutate) {
    try {
      return evaluateMutate(rule.mutate, resource, ctx);
    } catch (e) {
      return { status: 'error', message: (e as Error).message };
    }
  }
  if (rule.generate) return { status: 'pass', message: 'generate rule applies; the generated resource is not checked' };
  if (rule.verifyImages) return { status: 'error', message: 'verifyImages needs access to image registries, which is not available here' };
  if (!isObj(rule.validate)) return { status: 'error', message: 'rule has no validate, mutate, generate or verifyImages' };
  try {
    return evaluateValidate(rule.validate, String(rule.name ?? ''), resource, ctx, options);
  } catch (e) {
    if (e instanceof ClusterAccessError || e instanceof VariableError || e instanceof ReferenceError) return { status: 'error', message: e.message };
    return { status: 'error', message: (e as Error).message };
  }
}

/** `celPreconditions`: every expression must be true for the rule to apply; undefined when they all are. */
function evaluateCelPreconditions(list: unknown[], resource: Obj, ctx: Obj, options: EvaluationOptions): Outcome | undefined {
  const activation = { object: requestField(ctx, 'object'), oldObject: requestField(ctx, 'oldObject'), request: ctx.request, namespaceObject: namespaceObjectFor(resource, options), params: null };
  for (const c of list.filter(isObj)) {
    let v: unknown;
    try {
      v = runCel(String(c.expression ?? ''), activation, options.expressionTimeoutMs);
    } catch (e) {
      return { status: 'error', message: `CEL precondition ${String(c.name ?? '')} failed: ${(e as Error).message}` };
    }
    if (v !== true) return { status: 'skip', message: `CEL precondition ${String(c.name ?? '')} not met` };
  }
  return undefined;
}

function messageOf(validate: Obj, ctx: Obj): string {
  if (typeof validate.message !== 'string') return '';
  try {
    const v = substituteString(validate.message, createSubstituter(ctx, 'strict'));
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return validate.message;
  }
}

function evaluateValidate(validate: Obj, ruleName: string, resource: Obj, ctx: Obj, options: EvaluationOptions): Outcome {
  const message = messageOf(validate, ctx);
  // the handler is chosen by kind as Kyverno does; within the resource handler deny comes before patterns and foreach
  if (validate.podSecurity !== undefined) return evaluatePodSecurityRule(validate.podSecurity, resource, message);
  if (validate.cel !== undefined) return evaluateCelRule(validate.cel, resource, ctx, options);
  if (validate.manifests !== undefined) return { status: 'error', message: 'manifest signature verification is not supported' };
  if (validate.deny !== undefined) return validateDeny(validate.deny, ctx, message);
  if (validate.pattern !== undefined || validate.anyPattern !== undefined) {
    return validatePatterns(validate, ruleName, resource, ctx, message, []);
  }
  if (Array.isArray(validate.foreach)) {
    const scope: ForeachScope = { ruleName, resource, provided: options.ruleValues?.[ruleName] ?? {}, perElement: options.foreachValues?.[ruleName] ?? {}, budget: { steps: 0 } };
    const r = validateForeach(validate.foreach, scope, ctx, resource, [], 0);
    if (r.status === 'fail' && message) return { ...r, message: `${r.message} (${message})` };
    return r;
  }
  return { status: 'error', message: 'validate has no pattern, anyPattern, deny, foreach, podSecurity or cel' };
}

function validateDeny(deny: unknown, ctx: Obj, message: string): Outcome {
  const conditions = isObj(deny) ? deny.conditions : undefined;
  const r = conditions === undefined ? { holds: true } : evaluateConditionBlock(conditions, ctx);
  if (r.holds) return { status: 'fail', message: message || 'request denied' };
  return { status: 'pass', message: 'validation rule passed' };
}

function requestOperation(ctx: Obj): string {
  return isObj(ctx.request) ? String(ctx.request.operation ?? '') : '';
}

/**
 * Patterns as Kyverno's validator runs them for the request: a delete is not validated, and an update whose old
 * object gives the same answer (the CLI passes the resource as both) only counts when it passes.
 */
function validatePatterns(validate: Obj, ruleName: string, target: unknown, ctx: Obj, message: string, basePath: JsonPath): Outcome {
  const op = requestOperation(ctx);
  if (op === 'DELETE') return { status: 'skip', message: 'skipping validation on deleted resource' };
  const r = validatePatternsNow(validate, ruleName, target, ctx, message, basePath);
  if (op === 'UPDATE' && r.status !== 'pass') return { status: 'skip', message: 'skipping modified resource as validation results have not changed' };
  return r;
}

function validatePatternsNow(validate: Obj, ruleName: string, target: unknown, ctx: Obj, message: string, basePath: JsonPath): Outcome {
  const sub = createSubstituter(ctx, 'strict');
  if (validate.pattern !== undefined) {
    const pattern = substituteAll(substituteReferences(validate.pattern), sub);
    const err = matchPattern(target, pattern);
    if (!err) return { status: 'pass', message: 'validation rule passed' };
    return patternOutcome(err, ruleName, message, basePath);
  }
  const patterns = Array.isArray(validate.anyPattern) ? validate.anyPattern : [];
  const failures: string[] = [];
  let skipped = 0;
  let firstPath: JsonPath | undefined;
  for (let i = 0; i < patterns.length; i++) {
    const pattern = substituteAll(substituteReferences(patterns[i]), sub);
    const err = matchPattern(target, pattern);
    if (!err) return { status: 'pass', message: 'validation rule passed' };
    if (err.skip) {
      skipped++;
      continue;
    }
    firstPath ??= [...basePath, ...err.path];
    failures.push(!err.pathless ? `rule ${ruleName}[${i}] failed at path ${kyvernoPath(err.path)}` : `rule ${ruleName}[${i}] failed: ${err.message}`);
  }
  if (failures.length === 0 && skipped > 0) return { status: 'skip', message: 'rule skipped: no anyPattern applies' };
  return { status: 'fail', message: `validation error: ${message ? `${message}. ` : ''}${failures.join(' ')}`, path: firstPath };
}

function patternOutcome(err: PatternError, ruleName: string, message: string, basePath: JsonPath): Outcome {
  if (err.skip) return { status: 'skip', message: `rule skipped: ${err.message}` };
  if (err.pathless) {
    return { status: 'error', message: `validation error: ${message ? `${message}. ` : ''}rule ${ruleName} execution error: ${err.message}`, path: [...basePath, ...err.path] };
  }
  const path = [...basePath, ...err.path];
  return {
    status: 'fail',
    message: `validation error: ${message ? `${message}. ` : ''}rule ${ruleName} failed at path ${kyvernoPath(err.path)}`,
    path,
  };
}

/** The resource path a foreach list expression walks, when it is a plain field path under request.object. */
function listBasePath(list: string): JsonPath | undefined {
  const m = /^\s*request\.object((?:\.[A-Za-z_][\w]*)+)\s*$/.exec(list);
  return m ? m[1].slice(1).split('.') : undefined;
}

interface ForeachScope {
  ruleName: string;
  resource: Obj;
  provided: Record<string, unknown>;
  perElement: Record<string, unknown[]>;
  budget: { steps: number };
}

/**
 * Kyverno's foreach (handlers/validation validateForEach/validateElements): each list is evaluated (one that fails
 * is passed over), null elements are passed over, map elements become the pattern's scope unless elementScope
 * says otherwise, an element's deny/pattern/nested foreach decides it, skips do not count, and an error counts only
 * on the last element.
 */
function validateForeach(list: unknown[], scope: ForeachScope, ctx: Obj, target: unknown, targetPath: JsonPath, depth: number): Outcome {
  if (depth >= MAX_FOREACH_DEPTH) return { status: 'error', message: `foreach nested deeper than ${MAX_FOREACH_DEPTH}` };
  let applied = 0;
  for (const fe of list) {
    if (!isObj(fe)) return { status: 'error', message: 'a foreach entry must be a map' };
    if (typeof fe.list !== 'string') return { status: 'error', message: 'foreach needs a list expression' };
    let expr: unknown;
    let elements: unknown;
    try {
      expr = substituteString(fe.list, createSubstituter(ctx, 'strict'));
      elements = typeof expr === 'string' ? evaluateJmesPath(expr, ctx, { unknownKeyIsError: true }) : expr;
    } catch {
      // Kyverno moves on to the next foreach entry when its list cannot be evaluated
      continue;
    }
    // anything but a list is a list of one, as in Kyverno's EvaluateList
    const items = Array.isArray(elements) ? elements : [elements];
    if (items.length > MAX_FOREACH_ELEMENTS) return { status: 'error', message: `foreach list has more than ${MAX_FOREACH_ELEMENTS} elements` };
    const base = typeof expr === 'string' ? listBasePath(expr) : undefined;
    for (let i = 0; i < items.length; i++) {
      const el = items[i];
      if (el === null || el === undefined) continue;
      // nested loops multiply: one budget for the whole rule keeps hostile policies from running away
      if (++scope.budget.steps > MAX_FOREACH_STEPS) return { status: 'error', message: `foreach visited more than ${MAX_FOREACH_STEPS} elements` };
      const r = validateElement(fe, el, i, scope, ctx, target, targetPath, base, depth);
      if (!r || r.status === 'skip') continue;
      if (r.status !== 'pass') {
        if (r.status === 'error' && i < items.length - 1) continue;
        return { ...r, message: `validation failure: ${r.message}` };
      }
      applied++;
    }
  }
  if (applied === 0) return { status: 'skip', message: 'rule skipped: no foreach element applies' };
  return { status: 'pass', message: 'validation rule passed' };
}

function validateElement(
  fe: Obj,
  el: unknown,
  i: number,
  scope: ForeachScope,
  ctx: Obj,
  target: unknown,
  targetPath: JsonPath,
  base: JsonPath | undefined,
  depth: number,
): Outcome | undefined {
  try {
    const isMap = isObj(el);
    if (fe.elementScope === true && !isMap) {
      return { status: 'error', message: `cannot use elementScope=true for foreach elements that are not maps (element ${i})` };
    }
    const scoped = typeof fe.elementScope === 'boolean' ? fe.elementScope : isMap;
    const elTarget = scoped ? el : target;
    const elPath = scoped ? (base ? [...base, i] : []) : targetPath;
    const ectx: Obj = { ...ctx, element: el, elementIndex: i, [`element${depth}`]: el, [`elementIndex${depth}`]: i };
    const provided = { ...scope.provided };
    for (const [k, list] of Object.entries(scope.perElement)) if (Array.isArray(list) && i < list.length) provided[k] = list[i];
    loadContextEntries(fe.context, ectx, provided);
    const pre = evaluateConditionBlock(fe.preconditions, ectx);
    if (!pre.holds) return { status: 'skip', message: 'preconditions not met' };
    if (fe.deny !== undefined) return validateDeny(fe.deny, ectx, '');
    if (fe.pattern !== undefined || fe.anyPattern !== undefined) return validatePatterns(fe, scope.ruleName, elTarget, ectx, '', elPath);
    if (Array.isArray(fe.foreach)) return validateForeach(fe.foreach, scope, ectx, elTarget, elPath, depth + 1);
    return undefined;
  } catch (e) {
    return { status: 'error', message: (e as Error).message };
  }
}
