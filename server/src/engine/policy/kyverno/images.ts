/** The `images` context variable: every container image of a pod or pod template, split into its parts. */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ImageInfo {
  registry: string;
  name: string;
  path: string;
  tag: string;
  digest: string;
  reference: string;
  referenceWithTag: string;
}

export function parseImage(image: string): ImageInfo {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry = 'docker.io';
  const first = rest.split('/')[0];
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(first.length + 1);
  } else if (!rest.includes('/')) {
    rest = `library/${rest}`;
  }
  if (!tag && !digest) tag = 'latest';
  const name = rest.slice(rest.lastIndexOf('/') + 1);
  const reference = `${registry}/${rest}${digest ? `@${digest}` : `:${tag}`}`;
  return { registry, name, path: rest, tag, digest, reference, referenceWithTag: `${registry}/${rest}:${tag}` };
}

function podSpecOf(resource: Obj): Obj | undefined {
  const spec = isObj(resource.spec) ? resource.spec : undefined;
  if (!spec) return undefined;
  if (resource.kind === 'Pod') return spec;
  if (resource.kind === 'CronJob') {
    const jt = isObj(spec.jobTemplate) ? spec.jobTemplate : {};
    const js = isObj(jt.spec) ? jt.spec : {};
    const t = isObj(js.template) ? js.template : {};
    return isObj(t.spec) ? t.spec : undefined;
  }
  const t = isObj(spec.template) ? spec.template : undefined;
  return t && isObj(t.spec) ? t.spec : undefined;
}

export function imagesOf(resource: Obj): Record<string, Record<string, ImageInfo>> {
  const spec = podSpecOf(resource);
  const out: Record<string, Record<string, ImageInfo>> = {};
  if (!spec) return out;
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = Array.isArray(spec[field]) ? (spec[field] as unknown[]) : [];
    for (const c of list) {
      if (!isObj(c) || typeof c.image !== 'string') continue;
      (out[field] ??= {})[String(c.name ?? '')] = parseImage(c.image);
    }
  }
  return out;
}
