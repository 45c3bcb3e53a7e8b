import type { KubeObject } from '../../documents/classify';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import type { JsonPath } from '../../documents/paths';
import type { Severity, TextEdit } from '../../types';
import type { PodView, PssCheckId, PssLevel } from '../pss/types';

/** What the rest of the workspace says about namespaces (computed by the caller, see workspaceView.ts). */
export interface KubernetesWorkspaceView {
  /** Pod security level per namespace, from a Namespace's `pod-security.kubernetes.io/enforce` label. */
  namespaceLevels?: ReadonlyMap<string, PssLevel | 'privileged'>;
  /** Pinned policy version per namespace, from `pod-security.kubernetes.io/enforce-version` (`v1.30`, `latest`). */
  namespaceVersions?: ReadonlyMap<string, string>;
  /** Namespaces that have at least one NetworkPolicy somewhere in the workspace. Absent: rule not run. */
  networkPolicyNamespaces?: ReadonlySet<string>;
}

export interface RuleContext {
  file: ParsedFile;
  doc: ParsedDocument;
  object: KubeObject;
  /** The object's pod, for Pods and workloads with a pod template. */
  pod?: PodView;
  /** The pod security level in force for this object (its namespace's label, else the setting). */
  level: PssLevel | 'privileged';
  pssVersion: number;
  workspace: KubernetesWorkspaceView;
}

export interface RuleHit {
  /** JSON path relative to the object of the offending field, or of what lacks a required one. */
  path: JsonPath;
  missing?: boolean;
  message: string;
  container?: string;
  /** Rule-specific facts the fix needs (which container, which list item, ...). */
  data?: Record<string, unknown>;
}

export interface RuleFix {
  title: string;
  edits: TextEdit[];
  /** Safe to apply unreviewed (source.fixAll). */
  safe: boolean;
}

export interface RuleCase {
  name: string;
  /** One or more YAML documents. */
  yaml: string;
  level?: PssLevel;
  /** Pod security policy version (`v1.35`); default latest. */
  pssVersion?: string;
  workspace?: KubernetesWorkspaceView;
}

export interface InvalidRuleCase extends RuleCase {
  /** How many findings of this rule the case must produce (default: at least one). */
  count?: number;
  /** Text every finding's message must contain. */
  message?: string;
  /** Whether applying the preferred fix must clear the finding (default: when the rule has a fix). */
  fixable?: boolean;
}

export interface RuleReferences {
  /** CIS Kubernetes Benchmark recommendation numbers (v1.9). */
  cis?: string[];
  /** Sections of the NSA/CISA Kubernetes Hardening Guide (v1.2). */
  nsa?: string[];
  /** Pod Security Standards control name. */
  pss?: string;
}

export interface KubernetesRule {
  /** Finding code: `pss.<check>` or `k8s.<rule>`. */
  id: string;
  title: string;
  severity: Severity;
  /** Why the rule matters, for hovers and docs. */
  rationale: string;
  /** Canonical NIST SP 800-53 rev5 control ids. */
  controls: string[];
  references: RuleReferences;
  /** `pod` for rules on pods and pod templates, otherwise the kinds the rule reads. */
  appliesTo: 'pod' | string[];
  /** The PSS check behind a `pss.*` rule, and the lowest level it belongs to. */
  pss?: { check: PssCheckId; level: PssLevel; since?: number };
  /**
   * Field patterns the rule concerns, relative to the pod spec for pod rules (`containers[*].securityContext.privileged`)
   * or to the object otherwise (`rules[*].verbs`). `*` matches one step; a pattern also matches what lies below it.
   */
  fields: string[];
  check(ctx: RuleContext): RuleHit[];
  /**
   * Whether the rule can judge this object at all (it may need facts the caller did not give). A rule that
   * cannot run neither passes nor fails, so it proves nothing in summaries and coverage.
   */
  canRun?(ctx: RuleContext): boolean;
  /** The mending edits for one hit, best first; none where no safe mechanical fix exists. */
  fixes?(ctx: RuleContext, hit: RuleHit): RuleFix[];
  cases: { valid: RuleCase[]; invalid: InvalidRuleCase[] };
}
