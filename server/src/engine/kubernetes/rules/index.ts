import allowPrivilegeEscalation from './pss/allowPrivilegeEscalation';
import appArmorProfile from './pss/appArmorProfile';
import capabilitiesBaseline from './pss/capabilitiesBaseline';
import capabilitiesRestricted from './pss/capabilitiesRestricted';
import hostNamespaces from './pss/hostNamespaces';
import hostPathVolumes from './pss/hostPathVolumes';
import hostPorts from './pss/hostPorts';
import hostProbesAndHostLifecycle from './pss/hostProbesAndHostLifecycle';
import privileged from './pss/privileged';
import procMount from './pss/procMount';
import procMountRestricted from './pss/procMountRestricted';
import restrictedVolumes from './pss/restrictedVolumes';
import runAsNonRoot from './pss/runAsNonRoot';
import runAsUser from './pss/runAsUser';
import seccompProfileBaseline from './pss/seccompProfileBaseline';
import seccompProfileRestricted from './pss/seccompProfileRestricted';
import seLinuxOptions from './pss/seLinuxOptions';
import sysctls from './pss/sysctls';
import windowsHostProcess from './pss/windowsHostProcess';
import automountServiceAccountToken from './k8s/automountServiceAccountToken';
import clusterAdminBinding from './k8s/clusterAdminBinding';
import defaultServiceAccount from './k8s/defaultServiceAccount';
import imageDigest from './k8s/imageDigest';
import imagePullPolicy from './k8s/imagePullPolicy';
import imageTag from './k8s/imageTag';
import ingressTls from './k8s/ingressTls';
import networkPolicy from './k8s/networkPolicy';
import probes from './k8s/probes';
import rbacWildcard from './k8s/rbacWildcard';
import readOnlyRootFilesystem from './k8s/readOnlyRootFilesystem';
import resources from './k8s/resources';
import secretInEnv from './k8s/secretInEnv';
import serviceExposure from './k8s/serviceExposure';
import type { KubernetesRule } from './types';

/** The Kubernetes rule pack: every Pod Security Standards check, then the other k8s.* rules. */
export const KUBERNETES_RULES: readonly KubernetesRule[] = [
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
  resources,
  imageTag,
  imageDigest,
  imagePullPolicy,
  readOnlyRootFilesystem,
  automountServiceAccountToken,
  defaultServiceAccount,
  probes,
  secretInEnv,
  rbacWildcard,
  clusterAdminBinding,
  serviceExposure,
  ingressTls,
  networkPolicy,
];

const BY_ID = new Map(KUBERNETES_RULES.map((r) => [r.id, r]));

export function kubernetesRule(id: string): KubernetesRule | undefined {
  return BY_ID.get(id);
}

export type { KubernetesRule, KubernetesWorkspaceView, RuleCase, RuleContext, RuleFix, RuleHit } from './types';
