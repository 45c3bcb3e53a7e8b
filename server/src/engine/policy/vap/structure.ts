/**
 * ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding structure: required fields and enums,
 * every CEL expression compiled (syntax errors where they are), variables and params used consistently,
 * bindings pointing at policies and parameter objects of the workspace.
 */
import type { Finding } from '../../types';
import { findingAt, isRecord, typeName, type ObjectContext } from '../gatekeeper/common';
import { checkSelector, type MatchProblem } from '../gatekeeper/match';
import { celSyntaxProblem, referencedVariables, usesParams } from './celSyntax';

export const VAP_API_VERSIONS = ['admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1alpha1'];
const REASONS = ['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'];
const ACTIONS = ['Deny', 'Warn', 'Audit'];
const CEL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What bindings need to know of a policy. */
export interface PolicyInfo {
  name: string;
  uri: string;
  document?: number;
  paramKind?: { apiVersion: string; kind: string };
}

/** A parameter object of the workspace, by `apiVersion/kind`. */
export interface ParamObject {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  value: Record<string, unknown>;
  uri?: string;
  document?: number;
}

function vapFinding(ctx: ObjectContext, path: (string | number)[], severity: Finding['severity'], code: string, message: string, part: 'key' | 'value' = 'value'): Finding {
  return { ...findingAt(ctx, path, severity, code, message, part), source: code.startsWith('policy.') ? 'policy' : 'vap' };
}

function celAt(ctx: ObjectContext, path: (string | number)[], what: string, out: Finding[]): void {
  const p = celSyntaxProblem(ctx.file, ctx.doc, [...ctx.object.path, ...path]);
  if (!p) return;
  out.push({
    range: ctx.file.lines.range(p.start, p.end),
    severity: 'error',
    code: 'vap.cel',
    message: `CEL syntax error in ${what}: ${p.message}`,
    controls: ctx.controls,
    source: 'vap',
    resource: findingAt(ctx, [], 'error', '', '').resource,
  });
}

export function checkMatchResources(mr: unknown, base: (string | number)[], required: boolean): MatchProblem[] {
  const out: MatchProblem[] = [];
  if (mr === undefined) {
    if (required) out.push({ path: base, part: 'key', message: '`matchConstraints` is required: say which resources the policy applies to.' });
    return out;
  }
  if (!isRecord(mr)) return [{ path: base, message: `must be a map (it is ${typeName(mr)})` }];
  for (const f of ['resourceRules', 'excludeResourceRules']) {
    const rules = mr[f];
    if (rules === undefined) {
      if (f === 'resourceRules' && required) out.push({ path: base, part: 'key', message: '`resourceRules` is required in `matchConstraints`.' });
      continue;
    }
    if (!Array.isArray(rules)) {
      out.push({ path: [...base, f], message: `\`${f}\` is a list of rules.` });
      continue;
    }
    rules.forEach((r, i) => {
      const at = [...base, f, i];
      if (!isRecord(r)) return out.push({ path: at, message: 'A resource rule is a map with apiGroups, apiVersions, resources and operations.' });
      for (const k of ['apiGroups', 'apiVersions', 'resources', 'operations', 'resourceNames']) {
        if (r[k] !== undefined && (!Array.isArray(r[k]) || (r[k] as unknown[]).some((x) => typeof x !== 'string'))) out.push({ path: [...at, k], message: `\`${k}\` is a list of strings.` });
      }
      if (Array.isArray(r.operations)) (r.operations as unknown[]).forEach((o, j) => {
        if (!OPERATIONS.includes(o as string)) out.push({ path: [...at, 'operations', j], message: `Operations are ${OPERATIONS.join(', ')}.` });
      });
      if (!Array.isArray(r.resources) || r.resources.length === 0) out.push({ path: at, part: 'key', message: 'A resource rule needs `resources` (e.g. ["pods"] or ["*"]).' });
      if (typeof r.scope === 'string' && !['*', 'Cluster', 'Namespaced'].includes(r.scope)) out.push({ path: [...at, 'scope'], message: '`scope` is "*", "Cluster" or "Namespaced".' });
    });
  }
  if (mr.matchPolicy !== undefined && mr.matchPolicy !== 'Exact' && mr.matchPolicy !== 'Equivalent') out.push({ path: [...base, 'matchPolicy'], message: '`matchPolicy` is Exact or Equivalent.' });
  for (const s of ['namespaceSelector', 'objectSelector']) if (mr[s] !== undefined) checkSelector(mr[s], [...base, s], out);
  return out;
}

function checkNamedExpressions(ctx: ObjectContext, spec: Record<string, unknown>, field: string, exprField: string, out: Finding[]): string[] {
  const list = spec[field];
  const names: string[] = [];
  if (list === undefined) return names;
  if (!Array.isArray(list)) {
    out.push(vapFinding(ctx, ['spec', field], 'error', 'vap.structure', `\`${field}\` is a list.`));
    return names;
  }
  list.forEach((item, i) => {
    const at = ['spec', field, i];
    if (!isRecord(item)) return out.push(vapFinding(ctx, at, 'error', 'vap.structure', `Each entry of \`${field}\` is a map with \`name\` and \`${exprField}\`.`));
    const nameKey = field === 'auditAnnotations' ? 'key' : 'name';
    const name = item[nameKey];
    if (typeof name !== 'string' || !name) out.push(vapFinding(ctx, at, 'error', 'vap.structure', `The entry needs a \`${nameKey}\`.`, 'key'));
    else {
      if (field === 'variables' && !CEL_IDENTIFIER.test(name)) out.push(vapFinding(ctx, [...at, nameKey], 'error', 'vap.structure', `Variable names are CEL identifiers (letters, digits, _): "${name}".`));
      if (names.includes(name)) out.push(vapFinding(ctx, [...at, nameKey], 'error', 'vap.structure', `\`${name}\` is defined twice in \`${field}\`.`));
      names.push(name);
    }
    if (typeof item[exprField] !== 'string') out.push(vapFinding(ctx, at, 'error', 'vap.structure', `The entry needs a CEL \`${exprField}\`.`, 'key'));
    else celAt(ctx, [...at, exprField], `${field}[${i}].${exprField}`, out);
  });
  return names;
}

export function checkPolicy(ctx: ObjectContext): { findings: Finding[]; info?: PolicyInfo } {
  const out: Finding[] = [];
  const v = ctx.object.value;
  if (!VAP_API_VERSIONS.includes(ctx.object.apiVersion)) out.push(vapFinding(ctx, ['apiVersion'], 'warning', 'vap.api-version', `Unknown apiVersion "${ctx.object.apiVersion}"; use admissionregistration.k8s.io/v1.`));
  const spec = v.spec;
  if (!isRecord(spec)) {
    out.push(vapFinding(ctx, ['spec'], 'error', 'vap.structure', 'A ValidatingAdmissionPolicy needs a `spec` with matchConstraints and validations.', 'key'));
    return { findings: out };
  }
  const info: PolicyInfo = { name: ctx.object.name ?? '', uri: ctx.file.uri, document: ctx.doc.index };
  if (spec.paramKind !== undefined) {
    const pk = spec.paramKind;
    if (!isRecord(pk) || typeof pk.apiVersion !== 'string' || typeof pk.kind !== 'string') out.push(vapFinding(ctx, ['spec', 'paramKind'], 'error', 'vap.structure', '`paramKind` needs `apiVersion` and `kind`.'));
    else info.paramKind = { apiVersion: pk.apiVersion, kind: pk.kind };
  }
  for (const p of checkMatchResources(spec.matchConstraints, ['spec', 'matchConstraints'], true)) out.push(vapFinding(ctx, p.path, p.severity ?? 'error', 'vap.match', p.message, p.part ?? 'value'));
  if (spec.failurePolicy !== undefined && spec.failurePolicy !== 'Fail' && spec.failurePolicy !== 'Ignore') out.push(vapFinding(ctx, ['spec', 'failurePolicy'], 'error', 'vap.structure', '`failurePolicy` is Fail or Ignore.'));
  const variables = checkNamedExpressions(ctx, spec, 'variables', 'expression', out);
  checkNamedExpressions(ctx, spec, 'matchConditions', 'expression', out);
  checkNamedExpressions(ctx, spec, 'auditAnnotations', 'valueExpression', out);
  const validations = spec.validations;
  if (validations === undefined && spec.auditAnnotations === undefined) out.push(vapFinding(ctx, ['spec'], 'error', 'vap.structure', 'The policy needs `validations` (or `auditAnnotations`).', 'key'));
  if (validations !== undefined && !Array.isArray(validations)) out.push(vapFinding(ctx, ['spec', 'validations'], 'error', 'vap.structure', '`validations` is a list of `{expression, message}`.'));
  if (Array.isArray(validations)) validations.forEach((val, i) => {
    const at = ['spec', 'validations', i];
    if (!isRecord(val)) return out.push(vapFinding(ctx, at, 'error', 'vap.structure', 'A validation is a map with a CEL `expression`.'));
    if (typeof val.expression !== 'string') out.push(vapFinding(ctx, at, 'error', 'vap.structure', 'The validation needs a CEL `expression`.', 'key'));
    else celAt(ctx, [...at, 'expression'], `validations[${i}].expression`, out);
    if (val.messageExpression !== undefined) {
      if (typeof val.messageExpression !== 'string') out.push(vapFinding(ctx, [...at, 'messageExpression'], 'error', 'vap.structure', '`messageExpression` is a CEL string expression.'));
      else celAt(ctx, [...at, 'messageExpression'], `validations[${i}].messageExpression`, out);
    }
    if (val.message !== undefined && typeof val.message !== 'string') out.push(vapFinding(ctx, [...at, 'message'], 'error', 'vap.structure', '`message` is a string.'));
    if (val.reason !== undefined && !REASONS.includes(val.reason as string)) out.push(vapFinding(ctx, [...at, 'reason'], 'error', 'vap.structure', `\`reason\` is one of ${REASONS.join(', ')}.`));
  });
  // Variables and params as the expressions use them.
  const exprPaths: { path: (string | number)[]; text: string }[] = [];
  for (const field of ['validations', 'variables', 'matchConditions', 'auditAnnotations']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (!isRecord(item)) return;
      for (const k of ['expression', 'messageExpression', 'valueExpression']) if (typeof item[k] === 'string') exprPaths.push({ path: ['spec', field, i, k], text: item[k] as string });
    });
  }
  for (const { path, text } of exprPaths) {
    for (const ref of referencedVariables(text)) {
      if (!variables.includes(ref.name)) out.push(vapFinding(ctx, path, 'error', 'vap.variables', `\`variables.${ref.name}\` is not defined in spec.variables${variables.length ? ` (defined: ${variables.join(', ')})` : ''}.`));
    }
    if (usesParams(text) && !info.paramKind) out.push(vapFinding(ctx, path, 'warning', 'vap.params', 'The expression reads `params`, but the policy has no `paramKind`, so params is always null.'));
  }
  return { findings: out, info };
}

export function checkBinding(ctx: ObjectContext, policies: Map<string, PolicyInfo[]>, params: ParamObject[]): Finding[] {
  const out: Finding[] = [];
  const v = ctx.object.value;
  if (!VAP_API_VERSIONS.includes(ctx.object.apiVersion)) out.push(vapFinding(ctx, ['apiVersion'], 'warning', 'vap.api-version', `Unknown apiVersion "${ctx.object.apiVersion}"; use admissionregistration.k8s.io/v1.`));
  const spec = v.spec;
  if (!isRecord(spec)) {
    out.push(vapFinding(ctx, ['spec'], 'error', 'vap.structure', 'A binding needs a `spec` with `policyName` and `validationActions`.', 'key'));
    return out;
  }
  const policyName = spec.policyName;
  let policy: PolicyInfo | undefined;
  if (typeof policyName !== 'string' || !policyName) out.push(vapFinding(ctx, ['spec'], 'error', 'vap.structure', 'The binding needs `policyName`.', 'key'));
  else {
    policy = policies.get(policyName)?.[0];
    if (!policy) out.push(vapFinding(ctx, ['spec', 'policyName'], 'warning', 'vap.unknown-policy', `No ValidatingAdmissionPolicy named "${policyName}" in the workspace.`));
  }
  const actions = spec.validationActions;
  if (actions === undefined) out.push(vapFinding(ctx, ['spec'], 'error', 'vap.binding', '`validationActions` is required: Deny, Warn and/or Audit.', 'key'));
  else if (!Array.isArray(actions) || actions.length === 0) out.push(vapFinding(ctx, ['spec', 'validationActions'], 'error', 'vap.binding', '`validationActions` is a non-empty list of Deny, Warn, Audit.'));
  else {
    actions.forEach((a, i) => {
      if (!ACTIONS.includes(a as string)) out.push(vapFinding(ctx, ['spec', 'validationActions', i], 'error', 'vap.binding', `Validation actions are ${ACTIONS.join(', ')}.`));
    });
    if (actions.includes('Deny') && actions.includes('Warn')) out.push(vapFinding(ctx, ['spec', 'validationActions'], 'error', 'vap.binding', 'Deny and Warn cannot be used together (Deny already tells the client).'));
    if (new Set(actions).size !== actions.length) out.push(vapFinding(ctx, ['spec', 'validationActions'], 'error', 'vap.binding', 'An action is listed twice.'));
  }
  for (const p of checkMatchResources(spec.matchResources, ['spec', 'matchResources'], false)) out.push(vapFinding(ctx, p.path, p.severity ?? 'error', 'vap.match', p.message, p.part ?? 'value'));
  const ref = spec.paramRef;
  if (ref !== undefined) {
    if (!isRecord(ref)) out.push(vapFinding(ctx, ['spec', 'paramRef'], 'error', 'vap.binding', '`paramRef` is a map with `name` or `selector`.'));
    else {
      if (ref.name !== undefined && ref.selector !== undefined) out.push(vapFinding(ctx, ['spec', 'paramRef'], 'error', 'vap.binding', '`paramRef` takes `name` or `selector`, not both.', 'key'));
      if (ref.name === undefined && ref.selector === undefined) out.push(vapFinding(ctx, ['spec', 'paramRef'], 'error', 'vap.binding', '`paramRef` needs `name` or `selector`.', 'key'));
      if (ref.parameterNotFoundAction !== undefined && ref.parameterNotFoundAction !== 'Allow' && ref.parameterNotFoundAction !== 'Deny') out.push(vapFinding(ctx, ['spec', 'paramRef', 'parameterNotFoundAction'], 'error', 'vap.binding', '`parameterNotFoundAction` is Allow or Deny.'));
      if (ref.parameterNotFoundAction === undefined && VAP_API_VERSIONS[0] === ctx.object.apiVersion) out.push(vapFinding(ctx, ['spec', 'paramRef'], 'error', 'vap.binding', '`paramRef.parameterNotFoundAction` (Allow or Deny) is required.', 'key'));
      if (ref.selector !== undefined) {
        const probs: MatchProblem[] = [];
        checkSelector(ref.selector, ['spec', 'paramRef', 'selector'], probs);
        for (const p of probs) out.push(vapFinding(ctx, p.path, 'error', 'vap.binding', p.message, p.part ?? 'value'));
      }
      if (policy && !policy.paramKind) out.push(vapFinding(ctx, ['spec', 'paramRef'], 'error', 'vap.params', `Policy ${policy.name} has no paramKind, so it takes no parameters.`, 'key'));
      if (policy?.paramKind && typeof ref.name === 'string') {
        const pk = policy.paramKind;
        const ns = typeof ref.namespace === 'string' ? ref.namespace : undefined;
        const found = params.some((p) => p.kind === pk.kind && p.apiVersion === pk.apiVersion && p.name === ref.name && (ns === undefined || (p.namespace ?? 'default') === ns));
        if (!found) out.push(vapFinding(ctx, ['spec', 'paramRef', 'name'], 'warning', 'vap.param-not-found', `No ${pk.kind} (${pk.apiVersion}) named "${ref.name}"${ns ? ` in namespace ${ns}` : ''} in the workspace.`));
      }
    }
  } else if (policy?.paramKind) {
    out.push(vapFinding(ctx, ['spec'], 'error', 'vap.params', `Policy ${policy.name} takes parameters (${policy.paramKind.kind}); the binding needs a \`paramRef\`.`, 'key'));
  }
  return out;
}
