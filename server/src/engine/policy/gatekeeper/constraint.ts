/**
 * Constraint checks: the kind is a template of the workspace, `parameters` fit the template's schema
 * (ajv, errors at the offending parameter), `match` is well formed, the enforcement action is known.
 */
import type { ErrorObject } from 'ajv';
import type { Finding } from '../../types';
import { DNS_SUBDOMAIN, findingAt, isRecord, pointerToPath, typeName, type ObjectContext } from './common';
import { checkMatch } from './match';
import { preservesUnknownFields, validateAgainst } from './schema';
import type { TemplateInfo } from './template';

const ACTIONS = ['deny', 'dryrun', 'warn', 'scoped'];
const SCOPED_ACTIONS = ['deny', 'warn'];
const ENFORCEMENT_POINTS = ['validation.gatekeeper.sh', 'audit.gatekeeper.sh', 'gator.gatekeeper.sh', 'vap.k8s.io', '*'];

/** Templates of the workspace by the constraint kind they define. */
export type TemplateIndex = Map<string, TemplateInfo[]>;

export function checkConstraint(ctx: ObjectContext, templates: TemplateIndex): Finding[] {
  const out: Finding[] = [];
  const v = ctx.object.value;
  const kind = ctx.object.kind;
  const defs = templates.get(kind) ?? [];
  const template = defs[0];
  const controls = [...new Set([...ctx.controls, ...(template?.controls ?? [])])];
  const c: ObjectContext = { ...ctx, controls };

  if (!template) {
    const near = [...templates.keys()].find((k) => k.toLowerCase() === kind.toLowerCase());
    out.push(
      findingAt(c, ['kind'], 'warning', 'gatekeeper.unknown-template', near
        ? `No ConstraintTemplate defines kind ${kind}; did you mean ${near}?`
        : `No ConstraintTemplate in the workspace defines kind ${kind}.`, 'value',
        near ? [{ title: `Change the kind to ${near}`, kind: 'quickfix', isPreferred: true, edits: [{ range: findingAt(c, ['kind'], 'hint', '', '').range, newText: near }] }] : undefined),
    );
  }
  const name = ctx.object.name;
  if (name === undefined) out.push(findingAt(c, ['metadata'], 'error', 'gatekeeper.constraint-name', 'A constraint needs `metadata.name`.', 'key'));
  else if (!DNS_SUBDOMAIN.test(name) || name.length > 253) out.push(findingAt(c, ['metadata', 'name'], 'error', 'gatekeeper.constraint-name', `"${name}" is not a valid object name: lower-case letters, digits, '-' and '.'.`));

  const spec = v.spec;
  if (spec === undefined) return out;
  if (!isRecord(spec)) {
    out.push(findingAt(c, ['spec'], 'error', 'gatekeeper.structure', `\`spec\` must be a map (it is ${typeName(spec)}).`));
    return out;
  }
  if ('match' in spec) {
    for (const p of checkMatch(spec.match, ['spec', 'match'])) out.push(findingAt(c, p.path, p.severity ?? 'error', 'gatekeeper.match', p.message, p.part ?? 'value'));
  }
  checkEnforcement(c, spec, out);
  if (template && 'parameters' in spec) out.push(...checkParameters(c, spec.parameters, template));
  return out;
}

function checkEnforcement(c: ObjectContext, spec: Record<string, unknown>, out: Finding[]): void {
  const action = spec.enforcementAction;
  if (action !== undefined && !ACTIONS.includes(action as string)) {
    out.push(findingAt(c, ['spec', 'enforcementAction'], 'error', 'gatekeeper.enforcement-action', `\`enforcementAction\` is one of ${ACTIONS.join(', ')}.`));
  }
  const scoped = spec.scopedEnforcementActions;
  if (action === 'scoped' && !Array.isArray(scoped)) {
    out.push(findingAt(c, ['spec', 'enforcementAction'], 'error', 'gatekeeper.enforcement-action', '`enforcementAction: scoped` needs `scopedEnforcementActions`.'));
  }
  if (scoped !== undefined) {
    if (action !== 'scoped') out.push(findingAt(c, ['spec', 'scopedEnforcementActions'], 'warning', 'gatekeeper.enforcement-action', '`scopedEnforcementActions` applies only with `enforcementAction: scoped`.', 'key'));
    if (!Array.isArray(scoped)) out.push(findingAt(c, ['spec', 'scopedEnforcementActions'], 'error', 'gatekeeper.enforcement-action', '`scopedEnforcementActions` is a list of `{action, enforcementPoints}`.'));
    else scoped.forEach((s, i) => {
      const at = ['spec', 'scopedEnforcementActions', i];
      if (!isRecord(s)) return out.push(findingAt(c, at, 'error', 'gatekeeper.enforcement-action', 'Each scoped action is a map with `action` and `enforcementPoints`.'));
      if (!SCOPED_ACTIONS.includes(s.action as string)) out.push(findingAt(c, [...at, 'action'], 'error', 'gatekeeper.enforcement-action', `A scoped \`action\` is one of ${SCOPED_ACTIONS.join(', ')}.`, 'action' in s ? 'value' : 'key'));
      if (Array.isArray(s.enforcementPoints)) s.enforcementPoints.forEach((p, j) => {
        const pname = isRecord(p) ? p.name : undefined;
        if (typeof pname !== 'string' || !ENFORCEMENT_POINTS.includes(pname)) out.push(findingAt(c, [...at, 'enforcementPoints', j], 'warning', 'gatekeeper.enforcement-action', `Unknown enforcement point; known points are ${ENFORCEMENT_POINTS.join(', ')}.`));
      });
    });
  }
}

function ajvMessage(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return `missing required parameter \`${(e.params as { missingProperty: string }).missingProperty}\``;
    case 'enum':
      return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'type':
      return `must be ${(e.params as { type: string }).type}`;
    case 'additionalProperties':
      return `unknown parameter \`${(e.params as { additionalProperty: string }).additionalProperty}\``;
    default:
      return e.message ?? 'invalid';
  }
}

function checkParameters(c: ObjectContext, parameters: unknown, template: TemplateInfo): Finding[] {
  const out: Finding[] = [];
  const schema = template.schema;
  if (schema === undefined) return out;
  const errors = validateAgainst(schema, parameters);
  if (!errors) return out; // the template's own check reports an unusable schema
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    let path = ['spec', 'parameters', ...pointerToPath(e.instancePath, parameters)];
    let part: 'key' | 'value' = 'value';
    if (e.keyword === 'additionalProperties') {
      path = [...path, (e.params as { additionalProperty: string }).additionalProperty];
      part = 'key';
    }
    const where = e.instancePath ? `\`${e.instancePath.slice(1).replace(/\//g, '.')}\`` : '`parameters`';
    const message = e.keyword === 'required' || e.keyword === 'additionalProperties' ? `Parameter ${where}: ${ajvMessage(e)} (template ${template.name}).` : `Parameter ${where} ${ajvMessage(e)} (template ${template.name}).`;
    const key = path.join('/') + message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(findingAt(c, path, 'error', 'gatekeeper.parameters', message, e.keyword === 'required' && path.length === 2 ? 'key' : part));
  }
  unknownFields(c, schema, parameters, ['spec', 'parameters'], out, 0);
  return out;
}

/** Fields the schema does not list are pruned by Kubernetes: almost always a typo. */
function unknownFields(c: ObjectContext, schema: unknown, value: unknown, path: (string | number)[], out: Finding[], depth: number): void {
  if (depth > 32 || !isRecord(schema)) return;
  if (isRecord(value)) {
    const props = isRecord(schema.properties) ? schema.properties : undefined;
    if (props && !preservesUnknownFields(schema)) {
      for (const key of Object.keys(value)) {
        if (!(key in props)) {
          const near = Object.keys(props).find((p) => p.toLowerCase() === key.toLowerCase());
          out.push(findingAt(c, [...path, key], 'warning', 'gatekeeper.parameters', `Unknown parameter \`${key}\`${near ? ` (did you mean \`${near}\`?)` : ''}; the template's schema does not list it and Kubernetes drops it.`, 'key'));
        }
      }
    }
    if (props) for (const [k, sub] of Object.entries(props)) if (k in value) unknownFields(c, sub, value[k], [...path, k], out, depth + 1);
  } else if (Array.isArray(value) && isRecord(schema.items)) {
    value.forEach((item, i) => unknownFields(c, schema.items, item, [...path, i], out, depth + 1));
  }
}
