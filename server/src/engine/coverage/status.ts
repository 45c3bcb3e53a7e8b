/**
 * One verdict per control from all its evidence. Precedence, strongest first: a failing resource outweighs
 * everything (it is what needs fixing); an exception is next (it needs an auditor's eye); then resources
 * that pass; then policies that would enforce the control but have nothing to check yet; then paperwork only.
 */
import { resourceKey, type Evidence } from './evidence';

export type CoverageStatus = 'failing' | 'excepted' | 'validated' | 'enforced' | 'implemented' | 'uncovered';

/** Strongest first: the verdict is the first status whose evidence exists. */
export const STATUS_PRECEDENCE: readonly CoverageStatus[] = ['failing', 'excepted', 'validated', 'enforced', 'implemented', 'uncovered'];

export const STATUS_LABEL: Record<CoverageStatus, string> = {
  failing: 'Failing',
  excepted: 'Excepted',
  validated: 'Validated',
  enforced: 'Enforced',
  implemented: 'Implemented',
  uncovered: 'Uncovered',
};

/** Counts a person reads beside a control: `2 policies · 14 resources · 1 failing`. */
export interface ControlCounts {
  implemented: number;
  /** Distinct workspace policies (Kyverno, Gatekeeper, VAP, Rego) that bear on the control. */
  policies: number;
  /** Distinct built-in rules (`pss.*`, `k8s.*`) that checked resources for the control. */
  rules: number;
  /** Distinct resources checked for the control. */
  resources: number;
  /** Distinct resources with an active failure. */
  failing: number;
  /** Distinct resources passing every check they got. */
  passing: number;
  exceptions: number;
}

/**
 * Counts of one file's evidence for a control, kept with it so that a control's counts are a merge over files
 * (resources are per file, so they add up; policies and rules are named, so they are united).
 */
export interface PartialCounts {
  status: CoverageStatus;
  implemented: number;
  exceptions: number;
  resources: number;
  failing: number;
  policies: Set<string>;
  rules: Set<string>;
}

export function partialCounts(evidence: readonly Evidence[]): PartialCounts {
  const policies = new Set<string>();
  const rules = new Set<string>();
  const resources = new Set<string>();
  const failing = new Set<string>();
  let implemented = 0;
  let exceptions = 0;
  for (const e of evidence) {
    switch (e.kind) {
      case 'implemented':
        implemented++;
        break;
      case 'policy':
        policies.add(e.check ? policyOfCheck(e.check) : `${e.uri}#${e.range.start.line}`);
        break;
      case 'pass':
      case 'fail':
      case 'exception':
        if (e.kind === 'exception') exceptions++;
        else resources.add(resourceKey(e));
        if (e.kind === 'fail') failing.add(resourceKey(e));
        if (e.check) (isBuiltinCheck(e.check) ? rules : policies).add(policyOfCheck(e.check));
        break;
    }
  }
  return { status: verdict(evidence), implemented, exceptions, resources: resources.size, failing: failing.size, policies, rules };
}

/** Merges per-file partial counts into a control's verdict and counts. */
export function mergeCounts(parts: readonly PartialCounts[]): { status: CoverageStatus; counts: ControlCounts } {
  const policies = new Set<string>();
  const rules = new Set<string>();
  let best = STATUS_PRECEDENCE.length - 1;
  const c: ControlCounts = { implemented: 0, policies: 0, rules: 0, resources: 0, failing: 0, passing: 0, exceptions: 0 };
  for (const p of parts) {
    best = Math.min(best, STATUS_PRECEDENCE.indexOf(p.status));
    c.implemented += p.implemented;
    c.exceptions += p.exceptions;
    c.resources += p.resources;
    c.failing += p.failing;
    for (const x of p.policies) policies.add(x);
    for (const x of p.rules) rules.add(x);
  }
  c.policies = policies.size;
  c.rules = rules.size;
  c.passing = c.resources - c.failing;
  return { status: STATUS_PRECEDENCE[best], counts: c };
}

/** The counts of one control's whole evidence: the per-file counting, over a single part. */
export function countEvidence(evidence: readonly Evidence[]): ControlCounts {
  return mergeCounts([partialCounts(evidence)]).counts;
}

/** Built-in rule codes, as opposed to a workspace policy's. */
export function isBuiltinCheck(check: string): boolean {
  return /^(pss|k8s)\./.test(check);
}

/**
 * The policy a check belongs to, so that a policy's own `policy` evidence and its rules' passes and failures
 * count once: `policy.require-labels/check-team`, `kyverno:require-labels` and `policy:require-labels` are one.
 */
export function policyOfCheck(check: string): string {
  const m = /^(?:policy\.([^/]+)(?:\/.*)?|(?:kyverno|vap|policy):(.+))$/.exec(check);
  return m ? `policy:${m[1] ?? m[2]}` : check;
}

export function verdict(evidence: readonly Evidence[]): CoverageStatus {
  let best = STATUS_PRECEDENCE.length - 1;
  for (const e of evidence) {
    const s = statusOfKind(e.kind);
    const i = STATUS_PRECEDENCE.indexOf(s);
    if (i < best) best = i;
    if (best === 0) break;
  }
  return STATUS_PRECEDENCE[best];
}

function statusOfKind(kind: Evidence['kind']): CoverageStatus {
  switch (kind) {
    case 'fail':
      return 'failing';
    case 'exception':
      return 'excepted';
    case 'pass':
      return 'validated';
    case 'policy':
      return 'enforced';
    case 'implemented':
      return 'implemented';
  }
}

/** `2 policies · 14 resources · 1 failing`, leaving out what is zero. */
export function describeCounts(c: ControlCounts): string {
  const parts: string[] = [];
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  if (c.implemented) parts.push(n(c.implemented, 'statement', 'statements'));
  if (c.policies) parts.push(n(c.policies, 'policy', 'policies'));
  if (c.rules) parts.push(n(c.rules, 'rule', 'rules'));
  if (c.resources) parts.push(n(c.resources, 'resource', 'resources'));
  if (c.failing) parts.push(`${c.failing} failing`);
  if (c.exceptions) parts.push(n(c.exceptions, 'exception', 'exceptions'));
  return parts.join(' · ');
}
