import type { JsonPath } from '../../documents/paths';

export type RuleStatus = 'pass' | 'fail' | 'skip' | 'warn' | 'error';

export type RuleType = 'validation' | 'mutation' | 'generation' | 'verifyImages';

/** The outcome of one rule of one policy on one resource. */
export interface RuleResult {
  policy: string;
  /** The rule as evaluated: `autogen-<rule>` / `autogen-cronjob-<rule>` for rules generated for pod controllers. */
  rule: string;
  /** The rule as written in the policy. */
  sourceRule: string;
  ruleType: RuleType;
  status: RuleStatus;
  message: string;
  /** Where the pattern says the resource fails, relative to the resource. */
  path?: JsonPath;
}

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Inputs Kyverno takes from the admission request or, in the CLI, from a values file. */
export interface EvaluationOptions {
  /** Admission operation; the CLI uses CREATE. */
  operation?: string;
  username?: string;
  groups?: string[];
  roles?: string[];
  clusterRoles?: string[];
  /** Namespace objects by name (for namespaceObject and namespaceSelector). */
  namespaces?: Record<string, Obj>;
  /** ValidatingPolicy's namespaceObject only from `namespaces` (as the CLI does), never made up from a name. */
  onlyGivenNamespaces?: boolean;
  /** Labels of namespaces by name, when only labels are known. */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** Values to put in the JSON context, keyed by dotted name (`request.operation`, a context entry's name, ...). */
  values?: Record<string, unknown>;
  /** Per rule values, keyed by rule name. */
  ruleValues?: Record<string, Record<string, unknown>>;
  /** Per rule, values for foreach context entries by element index (`foreachValues` in a values file). */
  foreachValues?: Record<string, Record<string, unknown[]>>;
  /** PolicyException documents (kyverno.io and policies.kyverno.io) in play. */
  exceptions?: Obj[];
  /** Bound on the time one expression may take. */
  expressionTimeoutMs?: number;
}
