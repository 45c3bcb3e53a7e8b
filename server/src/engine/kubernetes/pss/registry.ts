import { allowPrivilegeEscalation } from './checks/allowPrivilegeEscalation';
import { appArmorProfile } from './checks/appArmorProfile';
import { capabilitiesBaseline } from './checks/capabilitiesBaseline';
import { capabilitiesRestricted } from './checks/capabilitiesRestricted';
import { hostNamespaces } from './checks/hostNamespaces';
import { hostPathVolumes } from './checks/hostPathVolumes';
import { hostPorts } from './checks/hostPorts';
import { hostProbesAndHostLifecycle } from './checks/hostProbesAndHostLifecycle';
import { privileged } from './checks/privileged';
import { procMount, procMountRestricted } from './checks/procMount';
import { restrictedVolumes } from './checks/restrictedVolumes';
import { runAsNonRoot } from './checks/runAsNonRoot';
import { runAsUser } from './checks/runAsUser';
import { seccompProfileBaseline } from './checks/seccompProfileBaseline';
import { seccompProfileRestricted } from './checks/seccompProfileRestricted';
import { seLinuxOptions } from './checks/seLinuxOptions';
import { sysctls } from './checks/sysctls';
import { windowsHostProcess } from './checks/windowsHostProcess';
import type { PssCheck, PssCheckId, PssLevel } from './types';

/** Every check of the Pod Security Admission, baseline first, in the order the standard lists them. */
export const PSS_CHECKS: readonly PssCheck[] = [
  windowsHostProcess,
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];

const BY_ID = new Map<PssCheckId, PssCheck>(PSS_CHECKS.map((c) => [c.id, c]));

export function pssCheck(id: PssCheckId): PssCheck | undefined {
  return BY_ID.get(id);
}

/**
 * The checks that apply at `level`. Restricted runs every baseline check too, including the ones the
 * admission controller replaces by a stricter variant (capabilities, seccomp, hostPath): a file shows
 * both the baseline reason and the restricted one, so fixing to baseline first is visible.
 */
export function checksFor(level: PssLevel, version: number, overrides = false): PssCheck[] {
  const active = PSS_CHECKS.filter((c) => (level === 'restricted' || c.level === 'baseline') && (c.since ?? 0) <= version);
  if (!overrides || level !== 'restricted') return active;
  const replaced = new Set(active.flatMap((c) => c.overrides ?? []));
  return active.filter((c) => !replaced.has(c.id));
}
