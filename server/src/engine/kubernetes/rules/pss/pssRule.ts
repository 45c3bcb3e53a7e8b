import { pssCheck } from '../../pss/registry';
import type { PssCheckId } from '../../pss/types';
import type { KubernetesRule, RuleReferences } from '../types';

export type PssRuleDefinition = Pick<KubernetesRule, 'title' | 'rationale' | 'controls' | 'fields' | 'fixes' | 'cases'> & {
  check: PssCheckId;
  references?: Omit<RuleReferences, 'pss'>;
};

/** A rule module for one Pod Security Admission check: the standard's logic, with Control Lens's metadata and fixes. */
export function pssRule(def: PssRuleDefinition): KubernetesRule {
  const check = pssCheck(def.check);
  if (!check) throw new Error(`Unknown PSS check ${def.check}`);
  return {
    id: `pss.${def.check}`,
    title: def.title,
    // A violation is what the admission controller would reject at the level in force.
    severity: 'error',
    rationale: def.rationale,
    controls: def.controls,
    references: { ...def.references, pss: check.controlName },
    appliesTo: 'pod',
    pss: { check: check.id, level: check.level, since: check.since },
    fields: def.fields,
    check(ctx) {
      if (!ctx.pod) return [];
      return check.evaluate(ctx.pod).map((v) => ({ path: v.path, missing: v.missing, message: v.message, container: v.container, data: { violation: v } }));
    },
    fixes: def.fixes,
    cases: def.cases,
  };
}
