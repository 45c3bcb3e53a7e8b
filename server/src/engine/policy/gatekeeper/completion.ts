/**
 * Completion in constraints: the kinds the workspace's templates define (at `kind:`), and parameter
 * names and enum values from the template's schema (under `spec.parameters`).
 */
import type { CompletionAnswer } from '../../analysis';
import { groupOf } from '../../documents/classify';
import type { ParsedFile } from '../../documents/parse';
import { documentAt, pathAtOffset, valueAt, type JsonPath } from '../../documents/paths';
import { isRecord } from './common';
import type { TemplateIndex } from './constraint';

/** The schema node for `path` below a schema, following properties, items and additionalProperties. */
function schemaAt(schema: unknown, path: JsonPath): Record<string, unknown> | undefined {
  let s: unknown = schema;
  for (const step of path) {
    if (!isRecord(s)) return undefined;
    if (typeof step === 'number') s = s.items;
    else if (isRecord(s.properties) && step in s.properties) s = s.properties[step];
    else if (isRecord(s.additionalProperties)) s = s.additionalProperties;
    else return undefined;
  }
  return isRecord(s) ? s : undefined;
}

function typeLabel(s: Record<string, unknown>): string {
  if (typeof s.type === 'string') return s.type === 'array' && isRecord(s.items) && typeof s.items.type === 'string' ? `array of ${s.items.type}` : s.type;
  return 'any';
}

export function constraintCompletion(file: ParsedFile, offset: number, templates: TemplateIndex): CompletionAnswer[] {
  const doc = documentAt(file, offset);
  if (!doc || !isRecord(doc.value)) return [];
  const apiVersion = doc.value.apiVersion;
  if (typeof apiVersion !== 'string' || groupOf(apiVersion) !== 'constraints.gatekeeper.sh') return [];
  const at = pathAtOffset(doc, offset);
  const path = at.path;
  if (path.length === 1 && path[0] === 'kind') {
    return [...templates.values()].flat().map((t) => ({
      label: t.kind,
      kind: 'value' as const,
      detail: `ConstraintTemplate ${t.name}`,
      documentation: t.title ?? t.description,
    }));
  }
  if (path[0] !== 'spec' || path[1] !== 'parameters') return [];
  const template = templates.get(String(doc.value.kind ?? ''))?.[0];
  if (!template?.schema) return [];
  const rel = path.slice(2);
  const value = valueAt(doc.value, path);
  let parentPath: JsonPath;
  if (at.onKey) parentPath = rel.slice(0, -1);
  else {
    const node = schemaAt(template.schema, rel);
    if (node && Array.isArray(node.enum)) {
      return node.enum.map((v) => ({ label: String(v), kind: 'value' as const, detail: typeLabel(node), documentation: typeof node.description === 'string' ? node.description : undefined }));
    }
    // A map, an empty value, or a plain word where a key is being typed: complete that map's keys.
    if (!(value === null || value === undefined || typeof value === 'string' || isRecord(value))) return [];
    parentPath = rel;
  }
  const node = schemaAt(template.schema, parentPath);
  if (!node || !isRecord(node.properties)) return [];
  const present = valueAt(doc.value, ['spec', 'parameters', ...parentPath]);
  const existing = isRecord(present) ? new Set(Object.keys(present)) : new Set<string>();
  return Object.entries(node.properties)
    .filter(([name]) => !existing.has(name) || (at.onKey && name === path[path.length - 1]))
    .map(([name, sub]) => {
      const s = isRecord(sub) ? sub : {};
      return {
        label: name,
        kind: 'field' as const,
        detail: typeLabel(s),
        documentation: typeof s.description === 'string' ? s.description : undefined,
        insertText: at.onKey ? name : `${name}: `,
      };
    });
}

/** Hover on a parameter key of a constraint: its type, allowed values and description from the template schema. */
export function constraintParameterHover(file: ParsedFile, offset: number, templates: TemplateIndex): { markdown: string; start: number; end: number } | undefined {
  const doc = documentAt(file, offset);
  if (!doc || !isRecord(doc.value)) return undefined;
  const apiVersion = doc.value.apiVersion;
  if (typeof apiVersion !== 'string' || groupOf(apiVersion) !== 'constraints.gatekeeper.sh') return undefined;
  const at = pathAtOffset(doc, offset);
  if (!at.onKey || at.path[0] !== 'spec' || at.path[1] !== 'parameters' || at.path.length < 3 || !at.node?.range) return undefined;
  const template = templates.get(String(doc.value.kind ?? ''))?.[0];
  const node = template ? schemaAt(template.schema, at.path.slice(2)) : undefined;
  if (!template || !node) return undefined;
  const lines = [`**${String(at.path[at.path.length - 1])}**: ${typeLabel(node)} (parameter of ${template.kind})`];
  if (Array.isArray(node.enum)) lines.push(`One of: ${node.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (typeof node.description === 'string') lines.push(node.description);
  return { markdown: lines.join('\n\n'), start: doc.base + at.node.range[0], end: doc.base + at.node.range[1] };
}
