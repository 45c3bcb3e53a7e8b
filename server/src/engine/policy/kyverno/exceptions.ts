import { blockMatches, type AdmissionInfo } from './match';
import { evaluateConditionBlock } from './conditionBlock';
import { runCel } from './celRule';
import type { CelActivation } from '../cel';
import { wildcardMatch } from './wildcard';
import { isObj, type Obj } from './types';

/**
 * Policy exceptions: a kyverno.io PolicyException names policies and rules and the resources they do not apply to
 * (its rules are then skipped, or for podSecurity rules, more controls excluded); a policies.kyverno.io
 * PolicyException names CEL policies and the CEL conditions under which they are skipped.
 */

export interface ExceptionHit {
  name: string;
  /** podSecurity exclusions the exception adds instead of skipping the rule. */
  podSecurity?: Obj[];
}

function qualifiedName(o: Obj): string {
  const meta = isObj(o.metadata) ? o.metadata : {};
  return meta.namespace ? `${String(meta.namespace)}/${String(meta.name ?? '')}` : String(meta.name ?? '');
}

function isKyvernoException(o: Obj): boolean {
  return o.kind === 'PolicyException' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('kyverno.io/');
}

/** The exception that applies to this rule of this policy on this resource, if any. */
export function kyvernoException(
  exceptions: Obj[] | undefined,
  policyRef: string,
  ruleNames: string[],
  resource: Obj,
  info: AdmissionInfo,
  ctx: Obj,
): ExceptionHit | undefined {
  for (const ex of exceptions ?? []) {
    if (!isKyvernoException(ex) || !isObj(ex.spec)) continue;
    const spec = ex.spec;
    const entries = Array.isArray(spec.exceptions) ? spec.exceptions.filter(isObj) : [];
    const named = entries.some(
      (e) =>
        (e.policyName === policyRef || wildcardMatch(String(e.policyName ?? ''), policyRef)) &&
        Array.isArray(e.ruleNames) &&
        e.ruleNames.some((r) => ruleNames.some((n) => wildcardMatch(String(r), n))),
    );
    if (!named) continue;
    if (!blockMatches(spec.match, resource, info, false)) continue;
    if (spec.conditions !== undefined) {
      try {
        if (!evaluateConditionBlock(spec.conditions, ctx).holds) continue;
      } catch {
        continue;
      }
    }
    return { name: qualifiedName(ex), podSecurity: Array.isArray(spec.podSecurity) ? spec.podSecurity.filter(isObj) : undefined };
  }
  return undefined;
}

/** A CEL PolicyException for this ValidatingPolicy whose match conditions hold. */
export function celPolicyException(exceptions: Obj[] | undefined, policyName: string, kind: string, activation: Record<string, unknown> | CelActivation): string | undefined {
  for (const ex of exceptions ?? []) {
    if (ex.kind !== 'PolicyException' || typeof ex.apiVersion !== 'string' || !ex.apiVersion.startsWith('policies.kyverno.io/') || !isObj(ex.spec)) continue;
    const refs = Array.isArray(ex.spec.policyRefs) ? ex.spec.policyRefs.filter(isObj) : [];
    if (!refs.some((r) => r.name === policyName && (!r.kind || r.kind === kind))) continue;
    const conditions = Array.isArray(ex.spec.matchConditions) ? ex.spec.matchConditions.filter(isObj) : [];
    let holds = true;
    for (const c of conditions) {
      try {
        if (runCel(String(c.expression ?? ''), activation) !== true) holds = false;
      } catch {
        holds = false;
      }
      if (!holds) break;
    }
    if (holds) return qualifiedName(ex);
  }
  return undefined;
}
