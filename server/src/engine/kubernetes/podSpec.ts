import type { JsonPath } from '../documents/paths';

/** Where a workload keeps its pod: the path of the pod's metadata and spec relative to the object. */
export interface PodLocation {
  metadataPath: JsonPath;
  specPath: JsonPath;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** The pod (or pod template) of an object of `kind`, or undefined for kinds that run no pods. */
export function podLocation(kind: string): PodLocation | undefined {
  if (kind === 'Pod') return { metadataPath: ['metadata'], specPath: ['spec'] };
  if (TEMPLATE_KINDS.has(kind)) return { metadataPath: ['spec', 'template', 'metadata'], specPath: ['spec', 'template', 'spec'] };
  if (kind === 'CronJob') {
    return { metadataPath: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'], specPath: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] };
  }
  if (kind === 'PodTemplate') return { metadataPath: ['template', 'metadata'], specPath: ['template', 'spec'] };
  return undefined;
}

export function isPodBearing(kind: string): boolean {
  return podLocation(kind) !== undefined;
}

export type ContainerField = 'initContainers' | 'containers' | 'ephemeralContainers';

/** The order Pod Security Admission visits containers in. */
export const CONTAINER_FIELDS: readonly ContainerField[] = ['initContainers', 'containers', 'ephemeralContainers'];

export interface ContainerRef {
  field: ContainerField;
  index: number;
  name: string;
  value: Record<string, unknown>;
  /** Path of the container relative to the pod spec. */
  path: JsonPath;
}

export type Obj = Record<string, unknown>;

export function isRecord(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asRecord(v: unknown): Obj | undefined {
  return isRecord(v) ? v : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Every container of a pod spec, skipping entries that are not objects (half-typed files). */
export function containersOf(spec: Obj): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of CONTAINER_FIELDS) {
    asArray(spec[field]).forEach((c, index) => {
      if (!isRecord(c)) return;
      const name = typeof c.name === 'string' && c.name ? c.name : `${field}[${index}]`;
      out.push({ field, index, name, value: c, path: [field, index] });
    });
  }
  return out;
}

export function describeContainer(c: ContainerRef): string {
  const noun = c.field === 'initContainers' ? 'Init container' : c.field === 'ephemeralContainers' ? 'Ephemeral container' : 'Container';
  return `${noun} "${c.name}"`;
}
