import type { JsonPath } from '../../documents/paths';
import type { ContainerRef, Obj } from '../podSpec';

export type PssLevel = 'baseline' | 'restricted';

/** Check ids of the Pod Security Admission, lower-cased as finding codes use them (`pss.<id>`). */
export type PssCheckId =
  | 'hostnamespaces'
  | 'privileged'
  | 'capabilities_baseline'
  | 'hostpathvolumes'
  | 'hostports'
  | 'apparmorprofile'
  | 'selinuxoptions'
  | 'procmount'
  | 'seccompprofile_baseline'
  | 'sysctls'
  | 'windowshostprocess'
  | 'hostprobesandhostlifecycle'
  | 'restrictedvolumes'
  | 'allowprivilegeescalation'
  | 'runasnonroot'
  | 'runasuser'
  | 'seccompprofile_restricted'
  | 'capabilities_restricted'
  | 'procmount_restricted';

export interface PssViolation {
  check: PssCheckId;
  /** The standard's control name, as Kyverno's `podSecurity.exclude[].controlName` spells it. */
  controlName: string;
  /** JSON path, relative to the object, of the offending field (or of the container/spec that lacks one). */
  path: JsonPath;
  /** True when `path` points at what lacks a required field rather than at a wrong value. */
  missing?: boolean;
  container?: string;
  /** The container's image, for exclusions that match on images. */
  image?: string;
  /** Kyverno-style restricted field, always pod-relative (`spec.containers[*].securityContext.privileged`). */
  restrictedField?: string;
  values?: unknown[];
  message: string;
}

export interface PssOptions {
  /**
   * Policy version as a Kubernetes minor (`'v1.34'`, `'1.35'`, `'latest'`). Versions change a few checks
   * (sysctl allow-list, user-namespace relaxations); older than v1.19 is read as v1.19.
   */
  version?: string;
  /**
   * Apply the admission controller's overrides at restricted: a restricted check replaces the baseline check
   * it tightens (hostPathVolumes, capabilities_baseline, seccompProfile_baseline, procMount), so each problem
   * is reported once, under the restricted control. Kyverno's `validate.podSecurity` works this way; the
   * editor leaves it off so the baseline reason stays visible next to the restricted one.
   */
  overrides?: boolean;
}

/** What every check sees: one pod, wherever it sits in the object. */
export interface PodView {
  metadata: Obj;
  spec: Obj;
  metadataPath: JsonPath;
  specPath: JsonPath;
  containers: ContainerRef[];
  /** Policy version as a minor number (34 for v1.34). */
  version: number;
}

export interface PssCheck {
  id: PssCheckId;
  /** The check id as the Pod Security Admission spells it. */
  psaId: string;
  level: PssLevel;
  controlName: string;
  /** First policy version (minor) the check exists in. */
  since?: number;
  /** Baseline checks this restricted check replaces in the admission controller. */
  overrides?: PssCheckId[];
  evaluate(pod: PodView): PssViolation[];
}
