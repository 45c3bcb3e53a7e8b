import { OSCAL_MODELS, type OscalModel as OscalModelName } from '../documents/classify';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface OscalRoot {
  model: OscalModelName;
  content: Record<string, unknown>;
  /** Other top-level keys besides the model and `$schema` (each one is an error). */
  extraKeys: string[];
}

/**
 * Finds the OSCAL model of a document. Unlike `classify`, a `$schema` key beside the model (which the
 * official schemas allow) and stray extra keys still make it OSCAL, so that they can be reported.
 */
export function oscalRoot(value: unknown): OscalRoot | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const models = keys.filter((k) => (OSCAL_MODELS as readonly string[]).includes(k) && isRecord(value[k]));
  if (models.length !== 1) return undefined;
  const model = models[0] as OscalModelName;
  return { model, content: value[model] as Record<string, unknown>, extraKeys: keys.filter((k) => k !== model && k !== '$schema') };
}
