/**
 * `pass` evidence: a check ran on a resource and found nothing. Findings only say what failed, so passes are
 * worked out here from what each check applies to, and only for checks an analyser really runs (a policy
 * whose engine has no evaluator proves nothing by its silence):
 * - workspace policies: every validating rule, on each resource of a kind its match selects (namespaced
 *   `Policy` objects only in their namespace); match conditions beyond kinds and namespaces are not weighed;
 * - built-in rules (the Kubernetes rule pack): where the pack itself says a rule applies (kind, pod, the
 *   namespace's pod security level).
 * Analysers that know better report passes themselves through `FileAnalyzer.evidence`.
 */
import type { KubeObject } from '../../documents/classify';
import { rangeOfPath } from '../../documents/paths';
import { ruleApplies, type KubernetesRule } from '../../kubernetes';
import { podViewOf } from '../../kubernetes/pss/evaluate';
import type { PssLevel } from '../../kubernetes/pss/types';
import type { Finding, Range, ResourceRef } from '../../types';
import type { IndexedFile } from '../../workspace/index';
import { evaluationKey, type Evidence } from '../evidence';
import { describeResource } from './findings';
import { ruleControls, type PolicyEngine, type PolicyInfo } from './policies';

export interface PassContext {
  /** Policy engines that have an evaluator among the analysers. */
  evaluated: ReadonlySet<PolicyEngine>;
  policies: readonly PolicyInfo[];
  /** Built-in rules an analyser runs (and configuration leaves on). */
  builtinRules: readonly KubernetesRule[];
  /** Policy rule codes configuration switched off (`policy.<p>/<r>` with severity `off`). */
  isOff(code: string): boolean;
  /** Pod security level per namespace (a Namespace's enforce label), else `defaultLevel`. */
  namespaceLevels: ReadonlyMap<string, PssLevel | 'privileged'>;
  defaultLevel: PssLevel | 'privileged';
  pssVersion: number;
}

function refOf(object: KubeObject, document: number): ResourceRef {
  return { kind: object.kind, name: object.name, namespace: object.namespace, document };
}

/** `deployments` for `Deployment`, `networkpolicies` for `NetworkPolicy`: how CEL match rules name resources. */
function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

function ruleMatches(kinds: string[], object: KubeObject): boolean {
  return kinds.some((k) => k === '*' || k === object.kind || k === `resource:${pluralOf(object.kind)}` || k === 'resource:*');
}

function policyApplies(policy: PolicyInfo, object: KubeObject): boolean {
  if (policy.namespace === undefined) return true;
  return (object.namespace ?? 'default') === policy.namespace;
}

/** The codes a policy rule's findings carry: `policy.<policy>/<rule>` (CEL and Gatekeeper: `policy.<policy>`...). */
function failedCodes(findings: readonly Finding[], resource: ResourceRef): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    const r = f.resource;
    if (r && (r.document !== resource.document || r.kind !== resource.kind || (r.name ?? '') !== (resource.name ?? ''))) continue;
    out.add(f.code);
  }
  return out;
}

function hasFailure(codes: Set<string>, policy: PolicyInfo, ruleName: string): boolean {
  const exact = `policy.${policy.name}/${ruleName}`;
  if (codes.has(exact)) return true;
  if (policy.engine === 'kyverno' && policy.kind === 'ClusterPolicy') return false;
  for (const c of codes) if (c === `policy.${policy.name}` || c.startsWith(`policy.${policy.name}/`)) return true;
  return false;
}

function objectRange(entry: IndexedFile, document: number, object: KubeObject): Range {
  const doc = entry.file.documents[document];
  return rangeOfPath(entry.file, doc, [...object.path, 'metadata', 'name'], 'value');
}

export function passEvidence(entry: IndexedFile, findings: readonly Finding[], ctx: PassContext): Evidence[] {
  const out: Evidence[] = [];
  for (const { doc, objects } of entry.documents) {
    for (const object of objects) {
      if (object.classification.family !== 'kubernetes') continue;
      const resource = refOf(object, doc.index);
      // Findings on this resource, judged by position when the finding names no resource.
      const mine = findings.filter((f) => (f.resource ? true : entry.file.lines.offsetAt(f.range.start) >= doc.start && entry.file.lines.offsetAt(f.range.start) <= doc.end));
      const codes = failedCodes(mine, resource);
      let range: Range | undefined;
      const where = () => (range ??= objectRange(entry, doc.index, object));
      for (const policy of ctx.policies) {
        if (!ctx.evaluated.has(policy.engine) || !policyApplies(policy, object)) continue;
        for (const rule of policy.rules) {
          if (!rule.validates || !ruleMatches(rule.kinds, object)) continue;
          const controls = ruleControls(policy, rule);
          const check = `policy.${policy.name}/${rule.name}`;
          if (!controls.length || hasFailure(codes, policy, rule.name) || ctx.isOff(check)) continue;
          out.push({ kind: 'pass', controls, uri: entry.file.uri, range: where(), detail: `${describeResource(resource)} passes ${policy.name}/${rule.name}`, check, resource });
        }
      }
      if (!ctx.builtinRules.length) continue;
      const level = (object.namespace && ctx.namespaceLevels.get(object.namespace)) || ctx.defaultLevel;
      let hasPod: boolean;
      try {
        hasPod = podViewOf(object.value, ctx.pssVersion) !== undefined;
      } catch {
        continue;
      }
      for (const rule of ctx.builtinRules) {
        if (!rule.controls.length || codes.has(rule.id) || !ruleApplies(rule, object, hasPod, level, ctx.pssVersion)) continue;
        out.push({ kind: 'pass', controls: rule.controls, uri: entry.file.uri, range: where(), detail: `${describeResource(resource)} passes ${rule.id}`, check: rule.id, resource });
      }
    }
  }
  return out;
}

/** Drops passes contradicted by a failure or exception of the same check on the same resource, and repeats. */
export function reconcile(evidence: Evidence[]): Evidence[] {
  const judged = new Set(evidence.filter((e) => e.kind === 'fail' || e.kind === 'exception').map(evaluationKey));
  const seen = new Set<string>();
  return evidence.filter((e) => {
    if (e.kind !== 'pass') return true;
    const key = evaluationKey(e);
    if (judged.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
