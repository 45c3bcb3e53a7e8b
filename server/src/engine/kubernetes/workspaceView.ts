import { kubeObjects, type KubeObject } from '../documents/classify';
import type { ParsedFile } from '../documents/parse';
import { asRecord } from './podSpec';
import type { PssLevel } from './pss/types';
import type { KubernetesWorkspaceView } from './rules/types';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/** A Namespace's enforced pod security level, from its `pod-security.kubernetes.io/enforce` label. */
export function levelFromLabels(namespace: Record<string, unknown>): PssLevel | 'privileged' | undefined {
  const value = asRecord(asRecord(namespace.metadata)?.labels)?.[ENFORCE_LABEL];
  return value === 'baseline' || value === 'restricted' || value === 'privileged' ? value : undefined;
}

/** A Namespace's pinned policy version (`v1.30`, `latest`), from its enforce-version label. */
export function versionFromLabels(namespace: Record<string, unknown>): string | undefined {
  const value = asRecord(asRecord(namespace.metadata)?.labels)?.[ENFORCE_VERSION_LABEL];
  return typeof value === 'string' && value ? value : undefined;
}

/** The namespace a NetworkPolicy protects (undefined for other kinds or when it names none). */
export function networkPolicyNamespace(o: KubeObject): string | undefined {
  return o.kind === 'NetworkPolicy' ? o.namespace : undefined;
}

/** Builds the workspace view the rule pack needs from every parsed file of the workspace. */
export function buildWorkspaceView(files: Iterable<ParsedFile>): Required<KubernetesWorkspaceView> {
  const namespaceLevels = new Map<string, PssLevel | 'privileged'>();
  const namespaceVersions = new Map<string, string>();
  const networkPolicyNamespaces = new Set<string>();
  for (const file of files) {
    for (const doc of file.documents) {
      for (const o of kubeObjects(doc.value)) {
        if (o.kind === 'Namespace' && o.name) {
          const level = levelFromLabels(o.value);
          if (level) namespaceLevels.set(o.name, level);
          const version = versionFromLabels(o.value);
          if (version) namespaceVersions.set(o.name, version);
        }
        const ns = networkPolicyNamespace(o);
        if (ns) networkPolicyNamespaces.add(ns);
      }
    }
  }
  return { namespaceLevels, namespaceVersions, networkPolicyNamespaces };
}
