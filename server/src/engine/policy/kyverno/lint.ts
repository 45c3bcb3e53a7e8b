import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import { offsetsOfPath, rangeOfPath, type JsonPath } from '../../documents/paths';
import type { Finding, Severity } from '../../types';
import { checkJmesPath } from '../jmespath';
import { compileCel } from '../cel';
import { variablesIn } from './variables';
import { isConditionOperator, CONDITION_OPERATORS } from './conditions';
import { parseAnchor } from './anchor';
import { operatorOf } from './patternValue';
import { parseQuantity } from './quantity';
import { isValidatingPolicy } from './validatingPolicy';
import { isObj, type Obj } from './types';

/**
 * Structural diagnostics for Kyverno policy documents: unknown fields, wrong types, duplicate rule names, invalid
 * failure actions, JMESPath and CEL syntax errors at their exact position inside the YAML string, and patterns that
 * can never match. Codes are `kyverno.<check>`.
 */

export type Shape = { keys: Record<string, Spec>; open?: boolean };
export type Spec = 'string' | 'boolean' | 'number' | 'any' | 'list' | 'map' | Shape | { list: Spec };

const S = 'string' as const;
const B = 'boolean' as const;
const A = 'any' as const;
const shape = (keys: Record<string, Spec>): Shape => ({ keys });

const RESOURCE_DESC = shape({ kinds: { list: S }, name: S, names: { list: S }, namespaces: { list: S }, annotations: 'map', selector: 'map', namespaceSelector: 'map', operations: { list: S } });
const FILTER = shape({ resources: RESOURCE_DESC, subjects: { list: 'map' }, roles: { list: S }, clusterRoles: { list: S } });
const MATCH = shape({ any: { list: FILTER }, all: { list: FILTER }, resources: RESOURCE_DESC, subjects: { list: 'map' }, roles: { list: S }, clusterRoles: { list: S } });
const CONTEXT = shape({ name: S, variable: 'map', configMap: 'map', apiCall: 'map', imageRegistry: 'map', globalReference: 'map' });
const CEL_EXPR = shape({ expression: S, message: S, messageExpression: S, reason: S, fieldPath: S });
const CEL_VAR = shape({ name: S, expression: S });
const CEL = shape({ expressions: { list: CEL_EXPR }, variables: { list: CEL_VAR }, paramKind: 'map', paramRef: 'map', auditAnnotations: { list: 'map' }, generate: B });
const PSS = shape({ level: S, version: S, exclude: { list: shape({ controlName: S, images: { list: S }, restrictedField: S, values: { list: S } }) } });
const FOREACH: Shape = shape({ list: S, context: { list: CONTEXT }, preconditions: A, elementScope: B, pattern: A, anyPattern: 'list', deny: shape({ conditions: A }), foreach: 'list' });
const VALIDATE = shape({
  message: S, pattern: A, anyPattern: 'list', deny: shape({ conditions: A }), foreach: { list: FOREACH }, podSecurity: PSS, cel: CEL,
  manifests: 'map', failureAction: S, failureActionOverrides: 'list', allowExistingViolations: B, assert: 'map',
});
const RULE = shape({
  name: S, match: MATCH, exclude: MATCH, context: { list: CONTEXT }, preconditions: A, celPreconditions: { list: CEL_VAR },
  validate: VALIDATE, mutate: 'map', generate: 'map', verifyImages: 'list', imageExtractors: 'map', skipBackgroundRequests: B, reportProperties: 'map',
});
const POLICY_SPEC = shape({
  rules: { list: RULE }, validationFailureAction: S, validationFailureActionOverrides: 'list', background: B, failurePolicy: S,
  webhookTimeoutSeconds: 'number', mutateExistingOnPolicyUpdate: B, generateExisting: B, generateExistingOnPolicyUpdate: B,
  useServerSideApply: B, schemaValidation: B, admission: B, applyRules: S, emitWarning: B, webhookConfiguration: 'map',
});
const VPOL_SPEC = shape({
  validationActions: { list: S }, evaluation: 'map', matchConstraints: 'map', matchConditions: { list: CEL_VAR }, variables: { list: CEL_VAR },
  validations: { list: CEL_EXPR }, auditAnnotations: { list: 'map' }, failurePolicy: S, webhookConfiguration: 'map', autogen: 'map', paramKind: 'map',
});
const TOP = shape({ apiVersion: S, kind: S, metadata: 'map', spec: A, status: A });

const FAILURE_ACTIONS = ['Audit', 'Enforce', 'audit', 'enforce'];

/** The schema spec expected at a path of a policy document, as far as it is known. */
export function specAt(policy: unknown, path: (string | number)[]): Spec | undefined {
  if (!isObj(policy)) return undefined;
  let spec: Spec = TOP;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (i === 0 && step === 'spec') {
      spec = isValidatingPolicy(policy) ? VPOL_SPEC : POLICY_SPEC;
      continue;
    }
    if (typeof spec === 'object' && 'list' in spec) {
      if (typeof step !== 'number') return undefined;
      spec = spec.list;
      continue;
    }
    if (typeof spec === 'object' && 'keys' in spec && typeof step === 'string') {
      const next: Spec | undefined = spec.keys[step];
      if (next === undefined) return undefined;
      spec = next;
      continue;
    }
    return undefined;
  }
  return spec;
}

export function describeSpec(spec: Spec): string {
  if (typeof spec === 'string') return spec === 'any' ? 'any value' : spec;
  if ('list' in spec) return `list of ${describeSpec(spec.list)}`;
  return 'map';
}

export function isKyvernoPolicy(value: unknown): value is Obj {
  if (!isObj(value) || typeof value.apiVersion !== 'string') return false;
  if (value.apiVersion.startsWith('kyverno.io/') && (value.kind === 'ClusterPolicy' || value.kind === 'Policy')) return true;
  return isValidatingPolicy(value);
}

class Linter {
  readonly findings: Finding[] = [];
  constructor(
    private readonly file: ParsedFile,
    private readonly doc: ParsedDocument,
  ) {}

  report(path: JsonPath, code: string, message: string, severity: Severity = 'error', part: 'key' | 'value' = 'value'): void {
    this.findings.push({ range: rangeOfPath(this.file, this.doc, path, part), severity, code: `kyverno.${code}`, message, controls: [], source: 'kyverno' });
  }

  reportAt(start: number, end: number, code: string, message: string, severity: Severity = 'error'): void {
    this.findings.push({ range: this.file.lines.range(start, Math.max(start, end)), severity, code: `kyverno.${code}`, message, controls: [], source: 'kyverno' });
  }

  /** Maps an offset inside a string value to the file: exact when the text appears verbatim in the source. */
  locate(path: JsonPath, value: string, offset: number, length: number): [number, number] | undefined {
    const span = offsetsOfPath(this.doc, path, 'value');
    if (!span) return undefined;
    const src = this.file.text.slice(span[0], span[1]);
    const lineStart = value.lastIndexOf('\n', offset - 1) + 1;
    const lineEndRaw = value.indexOf('\n', offset);
    const line = value.slice(lineStart, lineEndRaw < 0 ? value.length : lineEndRaw);
    const candidates: [string, number][] = [[value, offset], [line, offset - lineStart]];
    // a window around the offset survives folding of other lines
    const a = Math.max(lineStart, offset - 12);
    candidates.push([value.slice(a, Math.min(value.length, offset + Math.max(length, 12))), offset - a]);
    for (const [needle, at] of candidates) {
      if (!needle.trim()) continue;
      const i = src.indexOf(needle);
      if (i >= 0 && src.indexOf(needle, i + 1) < 0) return [span[0] + i + at, span[0] + i + at + Math.max(length, 1)];
    }
    return span;
  }

  checkShape(value: unknown, spec: Spec, path: JsonPath): void {
    if (spec === A) return;
    if (typeof spec === 'string') {
      const ok =
        spec === 'string' ? typeof value === 'string' :
        spec === 'boolean' ? typeof value === 'boolean' :
        spec === 'number' ? typeof value === 'number' :
        spec === 'list' ? Array.isArray(value) :
        isObj(value);
      if (!ok && value !== null) this.report(path, 'wrong-type', `${String(path[path.length - 1])} must be a ${spec}, not ${describe(value)}`);
      return;
    }
    if ('list' in spec) {
      if (!Array.isArray(value)) {
        if (value !== null) this.report(path, 'wrong-type', `${String(path[path.length - 1])} must be a list, not ${describe(value)}`);
        return;
      }
      value.forEach((v, i) => this.checkShape(v, spec.list, [...path, i]));
      return;
    }
    if (!isObj(value)) {
      if (value !== null) this.report(path, 'wrong-type', `${String(path[path.length - 1] ?? 'document')} must be a map, not ${describe(value)}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      const sub = spec.keys[k];
      if (sub === undefined) {
        if (!spec.open) this.report([...path, k], 'unknown-field', `unknown field ${JSON.stringify(k)}${suggest(k, Object.keys(spec.keys))}`, 'warning', 'key');
        continue;
      }
      this.checkShape(v, sub, [...path, k]);
    }
  }

  checkJmes(value: unknown, path: JsonPath, depth = 0): void {
    if (depth > 60) return;
    if (typeof value === 'string') {
      const unclosed = unclosedVariable(value);
      if (unclosed !== undefined) {
        const loc = this.locate(path, value, unclosed, 2);
        if (loc) this.reportAt(loc[0], loc[1], 'jmespath-syntax', 'variable opened with {{ is never closed with }}');
      }
      for (const ref of variablesIn(value)) {
        const err = checkJmesPath(ref.expression.trim());
        if (!err) continue;
        const lead = ref.expression.length - ref.expression.trimStart().length;
        const at = ref.start + 2 + lead + err.offset;
        const loc = this.locate(path, value, at, err.length);
        if (loc) this.reportAt(loc[0], loc[1], 'jmespath-syntax', `JMESPath syntax error in {{${ref.expression}}}: ${err.message}`);
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => this.checkJmes(v, [...path, i], depth + 1));
    else if (isObj(value)) for (const [k, v] of Object.entries(value)) this.checkJmes(v, [...path, k], depth + 1);
  }

  checkJmesExpression(value: unknown, path: JsonPath): void {
    if (typeof value !== 'string' || variablesIn(value).length) return this.checkJmes(value, path);
    const err = checkJmesPath(value.trim());
    if (!err) return;
    const lead = value.length - value.trimStart().length;
    const loc = this.locate(path, value, lead + err.offset, err.length);
    if (loc) this.reportAt(loc[0], loc[1], 'jmespath-syntax', `JMESPath syntax error: ${err.message}`);
  }

  checkCel(value: unknown, path: JsonPath): void {
    if (typeof value !== 'string') return;
    const r = compileCel(value);
    if (r.ok) return;
    const loc = this.locate(path, value, r.error.start, Math.max(1, r.error.end - r.error.start));
    if (loc) this.reportAt(loc[0], loc[1], 'cel-syntax', `CEL syntax error: ${r.error.message}`);
  }

  checkConditions(block: unknown, path: JsonPath): void {
    const each = (list: unknown, p: JsonPath): void => {
      if (!Array.isArray(list)) return;
      list.forEach((c, i) => {
        if (!isObj(c)) return this.report([...p, i], 'wrong-type', 'a condition must be a map with key, operator and value');
        if (!isConditionOperator(c.operator)) {
          this.report([...p, i, 'operator'], 'unknown-operator', `unknown operator ${JSON.stringify(c.operator)}; one of ${CONDITION_OPERATORS.join(', ')}`);
        }
        for (const k of Object.keys(c)) if (!['key', 'operator', 'value', 'message'].includes(k)) this.report([...p, i, k], 'unknown-field', `unknown field ${JSON.stringify(k)} in a condition`, 'warning', 'key');
      });
    };
    if (Array.isArray(block)) each(block, path);
    else if (isObj(block)) {
      each(block.any, [...path, 'any']);
      each(block.all, [...path, 'all']);
      for (const k of Object.keys(block)) if (k !== 'any' && k !== 'all') this.report([...path, k], 'unknown-field', `conditions take any and all, not ${JSON.stringify(k)}`, 'warning', 'key');
    }
  }

  checkPattern(pattern: unknown, path: JsonPath, depth = 0): void {
    if (depth > 60) return;
    if (Array.isArray(pattern)) {
      if (pattern.length === 0) this.report(path, 'pattern-never-matches', 'an empty list in a pattern never matches');
      pattern.forEach((p, i) => this.checkPattern(p, [...path, i], depth + 1));
      return;
    }
    if (isObj(pattern)) {
      for (const [k, v] of Object.entries(pattern)) {
        const anchor = parseAnchor(k);
        if (anchor?.kind === 'addIfNotPresent') this.report([...path, k], 'mutate-anchor', `the add-if-not-present anchor +() belongs in mutate rules; in a validate pattern it is a plain key`, 'warning', 'key');
        if (anchor?.kind === 'existence' && !(Array.isArray(v) && v.every(isObj))) {
          this.report([...path, k], 'pattern-never-matches', `the existence anchor ^(${anchor.key}) needs a list of maps`);
        }
        this.checkPattern(v, [...path, k], depth + 1);
      }
      return;
    }
    if (typeof pattern === 'string') {
      for (const alt of pattern.split('|').map((s) => s.trim())) {
        const op = operatorOf(alt);
        if (op === 'range' || op === '!range') {
          const m = /^(.+?)!?-(.+)$/.exec(alt.replace(/^([-+]?\d)/, '$1'));
          const [lo, hi] = m ? [parseQuantity(m[1]), parseQuantity(m[2])] : [undefined, undefined];
          if (lo !== undefined && hi !== undefined && lo > hi) {
            this.report(path, 'pattern-never-matches', `the range ${alt} is empty: its lower bound is above its upper bound`, op === 'range' ? 'error' : 'warning');
          }
        }
        const parts = alt.split('&').map((s) => s.trim());
        let low = -Infinity;
        let high = Infinity;
        for (const p of parts) {
          const o = operatorOf(p);
          const n = parseQuantity(p.slice(o.length).trim());
          if (n === undefined) continue;
          if (o === '>') low = Math.max(low, n + Number.EPSILON);
          if (o === '>=') low = Math.max(low, n);
          if (o === '<') high = Math.min(high, n - Number.EPSILON);
          if (o === '<=') high = Math.min(high, n);
        }
        if (low > high) this.report(path, 'pattern-never-matches', `no value satisfies ${alt}`);
      }
    }
  }
}

/** Offset of a `{{` that no `}}` closes (escaped `\\{{` aside). */
function unclosedVariable(text: string): number | undefined {
  let i = text.indexOf('{{');
  while (i >= 0) {
    if (i > 0 && text[i - 1] === '\\') {
      i = text.indexOf('{{', i + 2);
      continue;
    }
    const close = text.indexOf('}}', i + 2);
    if (close < 0) return i;
    i = text.indexOf('{{', close + 2);
  }
  return undefined;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'a map' : `a ${typeof v}`;
}

function suggest(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const hit = known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => distance(k.toLowerCase(), lower) <= 2);
  return hit ? `; did you mean ${JSON.stringify(hit)}?` : '';
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/** Lints one document of a file when it is a Kyverno policy; other documents give no findings. */
export function lintKyvernoDocument(file: ParsedFile, doc: ParsedDocument): Finding[] {
  const value = doc.value;
  if (!isKyvernoPolicy(value)) return [];
  const l = new Linter(file, doc);
  l.checkShape(value, TOP, []);
  const spec = value.spec;
  if (!isObj(spec)) {
    l.report(['spec'], 'wrong-type', 'a policy needs a spec map');
    return l.findings;
  }
  if (isValidatingPolicy(value)) {
    lintValidatingPolicy(l, spec);
    return l.findings;
  }
  l.checkShape(spec, POLICY_SPEC, ['spec']);
  if (spec.validationFailureAction !== undefined && !FAILURE_ACTIONS.includes(String(spec.validationFailureAction))) {
    l.report(['spec', 'validationFailureAction'], 'invalid-failure-action', `validationFailureAction must be Audit or Enforce, not ${JSON.stringify(spec.validationFailureAction)}`);
  }
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (!Array.isArray(spec.rules) || rules.length === 0) l.report(['spec'], 'no-rules', 'the policy has no rules', 'warning', 'key');
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!isObj(rule)) return;
    const p: JsonPath = ['spec', 'rules', i];
    if (typeof rule.name !== 'string' || !rule.name) l.report(p, 'missing-field', 'every rule needs a name');
    else if (seen.has(rule.name)) l.report([...p, 'name'], 'duplicate-rule', `rule name ${JSON.stringify(rule.name)} is already used by rule ${seen.get(rule.name)! + 1}`);
    else seen.set(rule.name, i);
    if (rule.match === undefined) l.report(p, 'missing-field', 'a rule needs a match block', 'error', 'value');
    const kinds = ['validate', 'mutate', 'generate', 'verifyImages'].filter((k) => rule[k] !== undefined);
    if (kinds.length === 0) l.report(p, 'missing-field', 'a rule needs one of validate, mutate, generate or verifyImages');
    if (kinds.length > 1) l.report(p, 'conflicting-rule-types', `a rule has exactly one of validate, mutate, generate, verifyImages, not ${kinds.join(' and ')}`);
    l.checkConditions(rule.preconditions, [...p, 'preconditions']);
    l.checkJmes(rule.preconditions, [...p, 'preconditions']);
    l.checkJmes(rule.context, [...p, 'context']);
    if (Array.isArray(rule.context)) {
      rule.context.forEach((c, ci) => {
        if (isObj(c) && isObj(c.variable) && typeof c.variable.jmesPath === 'string') l.checkJmesExpression(c.variable.jmesPath, [...p, 'context', ci, 'variable', 'jmesPath']);
      });
    }
    if (Array.isArray(rule.celPreconditions)) rule.celPreconditions.forEach((c, ci) => isObj(c) && l.checkCel(c.expression, [...p, 'celPreconditions', ci, 'expression']));
    if (isObj(rule.validate)) lintValidate(l, rule.validate, [...p, 'validate']);
    if (rule.mutate !== undefined) l.checkJmes(rule.mutate, [...p, 'mutate']);
    if (rule.generate !== undefined) l.checkJmes(rule.generate, [...p, 'generate']);
  });
  return l.findings;
}

function lintValidate(l: Linter, v: Obj, p: JsonPath): void {
  const kinds = ['pattern', 'anyPattern', 'deny', 'foreach', 'podSecurity', 'cel', 'manifests', 'assert'].filter((k) => v[k] !== undefined);
  if (kinds.length === 0) l.report(p, 'missing-field', 'validate needs one of pattern, anyPattern, deny, foreach, podSecurity or cel');
  if (kinds.length > 1) l.report(p, 'conflicting-rule-types', `validate takes one of ${kinds.join(', ')}`);
  if (v.failureAction !== undefined && !FAILURE_ACTIONS.includes(String(v.failureAction))) {
    l.report([...p, 'failureAction'], 'invalid-failure-action', `failureAction must be Audit or Enforce, not ${JSON.stringify(v.failureAction)}`);
  }
  l.checkJmes(v.message, [...p, 'message']);
  if (v.pattern !== undefined) {
    l.checkPattern(v.pattern, [...p, 'pattern']);
    l.checkJmes(v.pattern, [...p, 'pattern']);
  }
  if (Array.isArray(v.anyPattern)) {
    if (v.anyPattern.length === 0) l.report([...p, 'anyPattern'], 'pattern-never-matches', 'an empty anyPattern never matches');
    v.anyPattern.forEach((x, i) => l.checkPattern(x, [...p, 'anyPattern', i]));
    l.checkJmes(v.anyPattern, [...p, 'anyPattern']);
  }
  if (isObj(v.deny)) {
    l.checkConditions(v.deny.conditions, [...p, 'deny', 'conditions']);
    l.checkJmes(v.deny.conditions, [...p, 'deny', 'conditions']);
  }
  if (Array.isArray(v.foreach)) lintForeach(l, v.foreach, [...p, 'foreach'], 0);
  if (isObj(v.podSecurity)) {
    const level = v.podSecurity.level;
    if (!['privileged', 'baseline', 'restricted'].includes(String(level))) l.report([...p, 'podSecurity', 'level'], 'invalid-value', `podSecurity.level must be privileged, baseline or restricted, not ${JSON.stringify(level)}`);
  }
  if (isObj(v.cel)) {
    const cel = v.cel;
    if (Array.isArray(cel.expressions)) {
      cel.expressions.forEach((e, i) => {
        if (!isObj(e)) return;
        l.checkCel(e.expression, [...p, 'cel', 'expressions', i, 'expression']);
        l.checkCel(e.messageExpression, [...p, 'cel', 'expressions', i, 'messageExpression']);
      });
    }
    if (Array.isArray(cel.variables)) cel.variables.forEach((e, i) => isObj(e) && l.checkCel(e.expression, [...p, 'cel', 'variables', i, 'expression']));
  }
}

function lintForeach(l: Linter, list: unknown[], p: JsonPath, depth: number): void {
  if (depth > 10) return;
  list.forEach((fe, i) => {
    if (!isObj(fe)) return;
    const q = [...p, i];
    if (typeof fe.list !== 'string') l.report(q, 'missing-field', 'foreach needs a list expression');
    else l.checkJmesExpression(fe.list, [...q, 'list']);
    l.checkConditions(fe.preconditions, [...q, 'preconditions']);
    l.checkJmes(fe.preconditions, [...q, 'preconditions']);
    if (fe.pattern !== undefined) l.checkPattern(fe.pattern, [...q, 'pattern']);
    if (isObj(fe.deny)) {
      l.checkConditions(fe.deny.conditions, [...q, 'deny', 'conditions']);
      l.checkJmes(fe.deny.conditions, [...q, 'deny', 'conditions']);
    }
    if (Array.isArray(fe.foreach)) lintForeach(l, fe.foreach, [...q, 'foreach'], depth + 1);
  });
}

function lintValidatingPolicy(l: Linter, spec: Obj): void {
  l.checkShape(spec, VPOL_SPEC, ['spec']);
  for (const field of ['validations', 'variables', 'matchConditions', 'auditAnnotations']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((e, i) => {
      if (!isObj(e)) return;
      for (const k of ['expression', 'messageExpression', 'valueExpression']) if (typeof e[k] === 'string') l.checkCel(e[k], ['spec', field, i, k]);
    });
  }
  if (Array.isArray(spec.validationActions)) {
    spec.validationActions.forEach((a, i) => {
      if (!['Deny', 'Audit', 'Warn'].includes(String(a))) l.report(['spec', 'validationActions', i], 'invalid-failure-action', `validation actions are Deny, Audit and Warn, not ${JSON.stringify(a)}`);
    });
  }
  if (!Array.isArray(spec.validations) || spec.validations.length === 0) l.report(['spec'], 'no-rules', 'the policy has no validations', 'warning', 'key');
}
