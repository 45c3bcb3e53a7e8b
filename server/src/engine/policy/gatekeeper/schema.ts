/**
 * The parameters schema of a ConstraintTemplate (an OpenAPI v3 schema, as Kubernetes CRDs carry):
 * checked against the JSON Schema meta-schema with ajv, and compiled once per schema to validate
 * constraints' `parameters`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false, addUsedSchema: false });

// Kubernetes CRD schemas accept only these types; JSON Schema's `null` and type lists are not structural.
const OPENAPI_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

export interface SchemaProblem {
  /** Pointer into the schema. */
  pointer: string;
  message: string;
}

/** Problems that make the schema invalid (meta-schema errors, non-OpenAPI types, uncompilable parts). */
export function checkSchema(schema: unknown): SchemaProblem[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [{ pointer: '', message: 'openAPIV3Schema must be a map (a JSON schema)' }];
  }
  const problems: SchemaProblem[] = [];
  if (!ajv.validateSchema(schema as object)) {
    for (const e of ajv.errors ?? []) {
      if (/\/type(\/\d+)?$/.test(e.instancePath)) continue; // reported below with a better message
      problems.push({ pointer: e.instancePath, message: `invalid schema: ${e.instancePath || 'root'} ${e.message ?? ''}`.trim() });
    }
  }
  walkTypes(schema, '', problems, 0);
  if (problems.length === 0) {
    try {
      ajv.compile(schema as object);
    } catch (err) {
      problems.push({ pointer: '', message: `schema does not compile: ${(err as Error).message}` });
    }
  }
  return dedupe(problems);
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = p.pointer + '\0' + p.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SUBSCHEMAS = ['items', 'additionalProperties', 'not'];

function walkTypes(schema: unknown, pointer: string, out: SchemaProblem[], depth: number): void {
  if (depth > 64 || typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  const s = schema as Record<string, unknown>;
  if ('type' in s) {
    const t = s.type;
    if (typeof t !== 'string' || !OPENAPI_TYPES.has(t)) {
      out.push({ pointer: `${pointer}/type`, message: `type must be one of ${[...OPENAPI_TYPES].join(', ')} (got ${JSON.stringify(t)})` });
    }
  }
  for (const k of SUBSCHEMA_MAPS) {
    const m = s[k];
    if (typeof m === 'object' && m !== null && !Array.isArray(m)) {
      for (const [name, sub] of Object.entries(m)) walkTypes(sub, `${pointer}/${k}/${escape(name)}`, out, depth + 1);
    }
  }
  for (const k of SUBSCHEMA_LISTS) {
    const l = s[k];
    if (Array.isArray(l)) l.forEach((sub, i) => walkTypes(sub, `${pointer}/${k}/${i}`, out, depth + 1));
  }
  for (const k of SUBSCHEMAS) walkTypes(s[k], `${pointer}/${k}`, out, depth + 1);
}

function escape(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

const compiled = new WeakMap<object, ValidateFunction | null>();

/** Validates `value` against `schema`; undefined when the schema itself is unusable. */
export function validateAgainst(schema: unknown, value: unknown): ErrorObject[] | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  let fn = compiled.get(schema);
  if (fn === undefined) {
    try {
      fn = ajv.compile(schema);
    } catch {
      fn = null;
    }
    compiled.set(schema, fn);
  }
  if (!fn) return undefined;
  return fn(value) ? [] : [...(fn.errors ?? [])];
}

/** Whether the schema keeps fields it does not list (otherwise Kubernetes prunes them). */
export function preservesUnknownFields(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return true;
  const s = schema as Record<string, unknown>;
  return s['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties !== undefined || !('properties' in s);
}
