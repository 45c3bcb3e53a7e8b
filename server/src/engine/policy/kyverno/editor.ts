import type { CompletionAnswer, HoverAnswer } from '../../analysis';
import type { ParsedFile } from '../../documents/parse';
import { documentAt, pathAtOffset, rangeOfPath, valueAt } from '../../documents/paths';
import { isScalar } from 'yaml';
import { CONDITION_OPERATORS } from './conditions';
import { describeSpec, isKyvernoPolicy, specAt } from './lint';
import { isObj } from './types';

/** Editor help for Kyverno policy files: hovers on fields and completion of field names and known values. */

const FIELD_DOCS: Record<string, string> = {
  rules: 'The rules of the policy; each matches resources and then validates, mutates, generates or verifies images.',
  validationFailureAction: 'What a failed validation does at admission: `Audit` reports it, `Enforce` blocks the request.',
  background: 'Whether the policy also runs on existing resources, in background scans.',
  match: 'Which resources the rule applies to: `any` (one filter suffices) or `all` (every filter must hold).',
  exclude: 'Resources the rule leaves alone, written like `match`.',
  any: 'A list of filters of which at least one must hold.',
  all: 'A list of filters that must all hold.',
  resources: 'Filters on the resource itself: kinds, names, namespaces, labels, annotations, operations.',
  kinds: 'Kinds to match: `Pod`, `apps/v1/Deployment`, `*`; a rule for `Pod` also applies to pod controllers (autogen).',
  names: 'Resource names to match; `*` and `?` are wildcards.',
  namespaces: 'Namespaces to match; `*` and `?` are wildcards.',
  selector: 'A label selector the resource must satisfy.',
  namespaceSelector: 'A label selector the resource\'s namespace must satisfy.',
  operations: 'Admission operations to match: CREATE, UPDATE, DELETE, CONNECT.',
  context: 'Variables the rule loads first: from JMESPath over the request, or from the cluster (ConfigMaps, API calls, registries).',
  preconditions: 'Conditions that must hold for the rule to run; when they do not, the rule is skipped.',
  celPreconditions: 'CEL expressions that must all be true for the rule to run.',
  validate: 'The check: a pattern, anyPattern, deny conditions, foreach, podSecurity or CEL expressions.',
  message: 'The message shown when the check fails; may use `{{ }}` variables.',
  pattern: 'A pattern the resource must match; anchors such as `=(key)`, `(key)`, `X(key)` and `^(key)` shape how it applies.',
  anyPattern: 'Patterns of which the resource must match at least one.',
  deny: 'Conditions under which the request is denied.',
  conditions: 'Conditions as `any`/`all` lists of key, operator and value.',
  foreach: 'Runs the check for each element of a list; `element` and `elementIndex` name the current one.',
  list: 'A JMESPath expression giving the list to iterate over.',
  elementScope: 'Whether patterns apply to the element (default for maps) or to the whole resource.',
  podSecurity: 'Checks the Pod Security Standards at a level and version, with exclusions.',
  level: 'The Pod Security Standards level: privileged, baseline or restricted.',
  version: 'The Pod Security Standards version, such as `v1.29`, or `latest`.',
  cel: 'CEL expressions over `object`, `oldObject`, `request` and `namespaceObject`.',
  expressions: 'CEL expressions that must all be true.',
  expression: 'A CEL expression.',
  messageExpression: 'A CEL expression giving the failure message.',
  variables: 'Named CEL expressions, used as `variables.<name>`.',
  mutate: 'Changes made to the resource at admission (strategic merge or JSON patches).',
  generate: 'A resource Kyverno creates when this one is admitted.',
  verifyImages: 'Image signature and attestation checks.',
  key: 'The left side of the condition; usually a `{{ }}` variable.',
  operator: 'How key and value compare: Equals, NotEquals, AnyIn, AllIn, AnyNotIn, AllNotIn, GreaterThan, LessThan, ...',
  value: 'The right side of the condition.',
  validationActions: 'What a failed validation does: Deny, Audit and/or Warn.',
  matchConstraints: 'The resources and operations the policy applies to.',
  matchConditions: 'CEL expressions that must all be true for the policy to apply.',
  validations: 'CEL validations, each with an expression and a message.',
};

const VALUE_CHOICES: Record<string, string[]> = {
  operator: [...CONDITION_OPERATORS],
  validationFailureAction: ['Audit', 'Enforce'],
  failureAction: ['Audit', 'Enforce'],
  level: ['privileged', 'baseline', 'restricted'],
  background: ['true', 'false'],
  elementScope: ['true', 'false'],
  applyRules: ['All', 'One'],
  failurePolicy: ['Fail', 'Ignore'],
};

function docAndPolicy(file: ParsedFile, offset: number): { doc: NonNullable<ReturnType<typeof documentAt>>; value: Record<string, unknown> } | undefined {
  const doc = documentAt(file, offset);
  if (!doc || !isKyvernoPolicy(doc.value)) return undefined;
  return { doc, value: doc.value as Record<string, unknown> };
}

export function kyvernoHover(file: ParsedFile, offset: number): HoverAnswer | undefined {
  const found = docAndPolicy(file, offset);
  if (!found) return undefined;
  const at = pathAtOffset(found.doc, offset);
  const key = at.path[at.path.length - 1];
  if (!at.onKey || typeof key !== 'string') return undefined;
  const spec = specAt(found.value, at.path);
  const doc = FIELD_DOCS[key];
  if (!doc && !spec) return undefined;
  const lines = [`**\`${key}\`**${spec ? ` (${describeSpec(spec)})` : ''}`];
  if (doc) lines.push(doc);
  return { markdown: lines.join('\n\n'), range: rangeOfPath(file, found.doc, at.path, 'key') };
}

export function kyvernoCompletion(file: ParsedFile, offset: number): CompletionAnswer[] {
  const found = docAndPolicy(file, offset);
  if (!found) return [];
  const at = pathAtOffset(found.doc, offset);
  let parent = at.path;
  let valueFor: string | undefined;
  if (at.onKey) parent = at.path.slice(0, -1);
  else if (at.node && isScalar(at.node) && at.path.length) {
    // a scalar on the key's own line is its value; one on a later line is a key being typed into the map below it
    const keyLine = rangeOfPath(file, found.doc, at.path, 'key').start.line;
    const here = file.lines.positionAt(offset).line;
    if (here === keyLine) valueFor = String(at.path[at.path.length - 1]);
  }
  if (valueFor !== undefined) {
    return (VALUE_CHOICES[valueFor] ?? []).map((v) => ({ label: v, kind: 'value' as const }));
  }
  const spec = specAt(found.value, parent);
  if (!spec || typeof spec !== 'object' || !('keys' in spec)) return [];
  const existing = valueAt(found.value, parent);
  const present = new Set(isObj(existing) ? Object.keys(existing) : []);
  return Object.entries(spec.keys)
    .filter(([k]) => !present.has(k))
    .map(([k, sub]) => ({ label: k, kind: 'field' as const, detail: describeSpec(sub), documentation: FIELD_DOCS[k], insertText: `${k}: ` }));
}
