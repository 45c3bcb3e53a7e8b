/**
 * Evidence: one fact in the repository that says something about a control. Coverage is nothing but
 * evidence grouped by control; every item points at a file and range so a person (or an auditor) can go
 * and look.
 */
import type { Range, ResourceRef, Severity } from '../types';

export type EvidenceKind =
  /** An OSCAL SSP or component-definition implemented-requirement for the control. */
  | 'implemented'
  /** A workspace policy (Kyverno, Gatekeeper, VAP, Rego) mapped to the control. */
  | 'policy'
  /** A check (built-in rule or workspace policy rule) ran on a resource and found nothing wrong. */
  | 'pass'
  /** A check found a resource in breach; an active finding. */
  | 'fail'
  /** A finding suppressed by `control-lens.dev/ignore` with a reason. */
  | 'exception';

export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['implemented', 'policy', 'pass', 'fail', 'exception'];

export interface Evidence {
  kind: EvidenceKind;
  /** Canonical control ids (`ac-6`, `cm-7.1`). */
  controls: string[];
  uri: string;
  range: Range;
  /** One line a person reads: what the evidence is. */
  detail: string;
  /**
   * What produced it: the finding code of a check (`pss.privileged`, `policy.require-labels/check-team`), or
   * the policy's own id (`kyverno:require-labels`) for `policy` evidence. Passes and failures of the same check
   * on the same resource are matched on this.
   */
  check?: string;
  resource?: ResourceRef;
  /** For `fail` evidence: the finding's severity (the command's `--fail-on` weighs it). */
  severity?: Severity;
}

/** Identity of a (check, resource) evaluation: a pass and a failure with the same key are the same evaluation. */
export function evaluationKey(e: Pick<Evidence, 'check' | 'uri' | 'resource' | 'range'>): string {
  const r = e.resource;
  // Namespace left out on purpose: a finding may carry the effective namespace where the manifest has none.
  const where = r ? `${r.document}/${r.kind}/${r.name ?? ''}` : `${e.range.start.line}:${e.range.start.character}`;
  return `${e.check ?? ''}\u0000${e.uri}\u0000${where}`;
}

/** Identity of a resource across checks (for "14 resources"). */
export function resourceKey(e: Pick<Evidence, 'uri' | 'resource' | 'range'>): string {
  const r = e.resource;
  return r ? `${e.uri}#${r.document}/${r.kind}/${r.name ?? ''}` : `${e.uri}#${e.range.start.line}`;
}
