import type { JsonPath } from './paths';

export const OSCAL_MODELS = [
  'catalog',
  'profile',
  'component-definition',
  'system-security-plan',
  'assessment-plan',
  'assessment-results',
  'plan-of-action-and-milestones',
  'mapping-collection',
] as const;
export type OscalModel = (typeof OSCAL_MODELS)[number];

export type DocumentFamily = 'oscal' | 'kyverno' | 'gatekeeper' | 'vap' | 'kubernetes' | 'none';

export interface Classification {
  family: DocumentFamily;
  /** The OSCAL model, or the Kubernetes kind (`ClusterPolicy`, `Test`, `ConstraintTemplate`, `Deployment`, ...). */
  type: string;
  apiVersion?: string;
}

export const NONE: Classification = { family: 'none', type: '' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Recognises what one parsed document is; anything unrecognised is left alone (`none`). */
export function classify(value: unknown): Classification {
  if (!isRecord(value)) return NONE;
  // An OSCAL document has one model key; the official schemas also allow a `$schema` key beside it.
  const keys = Object.keys(value).filter((k) => k !== '$schema');
  if (keys.length === 1 && (OSCAL_MODELS as readonly string[]).includes(keys[0]) && isRecord(value[keys[0]])) {
    return { family: 'oscal', type: keys[0] };
  }
  const apiVersion = value.apiVersion;
  const kind = value.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) return NONE;
  const group = groupOf(apiVersion);
  const base = { type: kind, apiVersion };
  if (group === 'kyverno.io' && (kind === 'ClusterPolicy' || kind === 'Policy')) return { family: 'kyverno', ...base };
  if (group === 'policies.kyverno.io') return { family: 'kyverno', ...base };
  if (group === 'cli.kyverno.io') return { family: 'kyverno', ...base };
  if (group === 'templates.gatekeeper.sh' || group === 'constraints.gatekeeper.sh' || group === 'test.gatekeeper.sh' || group === 'mutations.gatekeeper.sh' || group === 'expansion.gatekeeper.sh') {
    return { family: 'gatekeeper', ...base };
  }
  if (group === 'admissionregistration.k8s.io' && (kind === 'ValidatingAdmissionPolicy' || kind === 'ValidatingAdmissionPolicyBinding')) {
    return { family: 'vap', ...base };
  }
  return { family: 'kubernetes', ...base };
}

export interface KubeObject {
  /** Path of the object inside its document (`[]`, or `['items', 3]` inside a List). */
  path: JsonPath;
  value: Record<string, unknown>;
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  classification: Classification;
}

/** Every Kubernetes object in a document: the document itself, or each item of a `*List`. */
export function kubeObjects(value: unknown): KubeObject[] {
  const c = classify(value);
  if (c.family === 'none' || c.family === 'oscal' || !isRecord(value)) return [];
  if (c.type.endsWith('List') && Array.isArray(value.items)) {
    const out: KubeObject[] = [];
    value.items.forEach((item, i) => {
      const ic = classify(item);
      if (ic.family !== 'none' && ic.family !== 'oscal' && isRecord(item)) out.push(toObject(item, ['items', i], ic));
    });
    return out;
  }
  return [toObject(value, [], c)];
}

function toObject(value: Record<string, unknown>, path: JsonPath, c: Classification): KubeObject {
  const meta = isRecord(value.metadata) ? value.metadata : {};
  return {
    path,
    value,
    apiVersion: c.apiVersion ?? '',
    kind: c.type,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    classification: c,
  };
}
