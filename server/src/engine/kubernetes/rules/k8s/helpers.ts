import type { JsonPath } from '../../../documents/paths';
import type { ContainerField, ContainerRef } from '../../podSpec';
import type { RuleContext } from '../types';

/** The pod's containers of the given kinds, with paths relative to the object. */
export function containersIn(ctx: RuleContext, fields: readonly ContainerField[] = ['initContainers', 'containers']): { c: ContainerRef; path: JsonPath }[] {
  if (!ctx.pod) return [];
  const specPath = ctx.pod.specPath;
  return ctx.pod.containers.filter((c) => fields.includes(c.field)).map((c) => ({ c, path: [...specPath, ...c.path] }));
}

export interface ImageRef {
  name: string;
  tag?: string;
  digest?: string;
}

/** Splits `registry:5000/repo/name:tag@sha256:...` into its parts. */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

/** Pod template snippet for cases: a Deployment whose single container is `container` (YAML lines at 6 spaces). */
export function deployment(container: string, extraSpec = ''): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n${extraSpec}      containers:\n      - name: app\n${container}`;
}
