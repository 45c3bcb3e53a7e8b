import type { JsonPath } from '../../documents/paths';
import { asRecord, type ContainerRef, type Obj } from '../podSpec';
import type { PodView } from './types';

export function securityContextOf(c: ContainerRef): Obj | undefined {
  return asRecord(c.value.securityContext);
}

export function podSecurityContext(pod: PodView): Obj | undefined {
  return asRecord(pod.spec.securityContext);
}

/** Path relative to the object of a field inside the pod spec. */
export function specPath(pod: PodView, ...rest: JsonPath): JsonPath {
  return [...pod.specPath, ...rest];
}

/** Path relative to the object of a field inside a container. */
export function containerPath(pod: PodView, c: ContainerRef, ...rest: JsonPath): JsonPath {
  return [...pod.specPath, ...c.path, ...rest];
}

/** Kyverno's wildcard form of a container field (`spec.initContainers[*].securityContext.privileged`). */
export function containerField(c: ContainerRef, rest: string): string {
  return `spec.${c.field}[*].${rest}`;
}

/** Windows pods are exempt from the Linux-only restricted checks (callers apply it from policy v1.25). */
export function isWindowsPod(pod: PodView): boolean {
  return asRecord(pod.spec.os)?.name === 'windows';
}

/** Pods in a user namespace (`hostUsers: false`). */
export function usesUserNamespace(pod: PodView): boolean {
  return pod.spec.hostUsers === false;
}

export function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
}

export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}
