import { valueAt } from '../../documents/paths';
import { asRecord, containersOf, podLocation, type Obj } from '../podSpec';
import { checksFor } from './registry';
import type { PodView, PssLevel, PssOptions, PssViolation } from './types';
import { parsePssVersion } from './version';

/** The pod of a Pod or of any workload's template, or undefined when the object runs no pods. */
export function podViewOf(object: Obj, version: number): PodView | undefined {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const loc = podLocation(kind);
  if (!loc) return undefined;
  const spec = asRecord(valueAt(object, loc.specPath));
  if (!spec) return undefined;
  const metadata = asRecord(valueAt(object, loc.metadataPath)) ?? {};
  return { metadata, spec, metadataPath: loc.metadataPath, specPath: loc.specPath, containers: containersOf(spec), version };
}

/**
 * Evaluates an object against the Pod Security Standards at `level`, as the Pod Security Admission
 * would. Works on Pods and on every workload with a pod template; other kinds give no violations.
 */
export function evaluatePodSecurity(object: Record<string, unknown>, level: PssLevel, options: PssOptions = {}): PssViolation[] {
  const version = parsePssVersion(options.version);
  const pod = podViewOf(object, version);
  if (!pod) return [];
  const out: PssViolation[] = [];
  for (const check of checksFor(level, version, options.overrides)) out.push(...check.evaluate(pod));
  const images = new Map(pod.containers.map((c) => [c.name, c.value.image]));
  for (const v of out) {
    const image = v.container !== undefined ? images.get(v.container) : undefined;
    if (typeof image === 'string') v.image = image;
  }
  return out;
}
