/**
 * Runs `gator verify` suites with the built-in Rego interpreter: each case's object is wrapped in an
 * admission review, matched against the constraint, and the template's `violation` rule is evaluated;
 * the count (of messages matching an assertion's pattern) is compared with the assertion.
 */
import { parseAllDocuments } from 'yaml';
import type { JsonPath } from '../../documents/paths';
import { walkRule, type Module } from '../rego/ast';
import { builtin } from '../rego/eval/builtins';
import { RegoEvalError, RegoInterpreter } from '../rego/eval/interpreter';
import { fromJson, isObject as isRegoObject, RegoSet, type RegoObject, type Value } from '../rego/eval/values';
import { parseRego, type RegoVersion } from '../rego/parser';
import { goRegExp, isRecord } from './common';
import type { SuiteFiles } from './suite';

export interface CaseResult {
  test: string;
  case: string;
  /** Path of the case in the suite document. */
  path: JsonPath;
  ok: boolean;
  /** What the assertion asked and what the evaluation found, for messages. */
  detail: string;
  messages: string[];
  error?: string;
}

type Obj = Record<string, unknown>;

function firstDocument(text: string): Obj | undefined {
  for (const d of parseAllDocuments(text)) {
    if (!('toJS' in d)) continue;
    const v = d.toJS({ maxAliasCount: 100 }) as unknown;
    if (isRecord(v)) return v;
  }
  return undefined;
}

function documents(text: string): Obj[] {
  const out: Obj[] = [];
  for (const d of parseAllDocuments(text)) {
    if (!('toJS' in d)) continue;
    const v = d.toJS({ maxAliasCount: 100 }) as unknown;
    if (isRecord(v)) out.push(v);
  }
  return out;
}

/** The template's Rego: the Rego engine's main module (with its libraries), parsed. */
export function templateModules(template: Obj): { modules: Module[]; main?: string[]; errors: string[] } {
  const spec = isRecord(template.spec) ? template.spec : {};
  const target = Array.isArray(spec.targets) && isRecord(spec.targets[0]) ? spec.targets[0] : undefined;
  const sources: { text: string; version: RegoVersion }[] = [];
  if (target && typeof target.rego === 'string') {
    sources.push({ text: target.rego, version: 'v0' });
    if (Array.isArray(target.libs)) for (const l of target.libs) if (typeof l === 'string') sources.push({ text: l, version: 'v0' });
  } else if (target && Array.isArray(target.code)) {
    const rego = target.code.find((c) => isRecord(c) && c.engine === 'Rego');
    const src = isRecord(rego) && isRecord(rego.source) ? rego.source : undefined;
    const version: RegoVersion = src?.version === 'v1' ? 'v1' : 'v0';
    if (src && typeof src.rego === 'string') sources.push({ text: src.rego, version });
    if (src && Array.isArray(src.libs)) for (const l of src.libs) if (typeof l === 'string') sources.push({ text: l, version });
  }
  const errors: string[] = [];
  const modules: Module[] = [];
  for (const s of sources) {
    const r = parseRego(s.text, { version: s.version });
    errors.push(...r.errors.map((e) => e.message));
    modules.push(r.module);
  }
  return { modules, main: modules[0]?.package?.path, errors };
}

function splitApiVersion(apiVersion: unknown): { group: string; version: string } {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  const i = s.indexOf('/');
  return i < 0 ? { group: '', version: s } : { group: s.slice(0, i), version: s.slice(i + 1) };
}

/**
 * The review Gatekeeper hands the policy: an AdmissionReview's request, or for a plain object what audit
 * and `gator` build (an admission request without operation or user: the JSON of an empty Go struct).
 */
export function reviewOf(object: Obj): Obj {
  if (object.kind === 'AdmissionReview' && isRecord(object.request)) return object.request;
  const meta = isRecord(object.metadata) ? object.metadata : {};
  const { group, version } = splitApiVersion(object.apiVersion);
  const review: Obj = {
    uid: '',
    kind: { group, version, kind: object.kind },
    resource: { group: '', version: '', resource: '' },
    object,
    operation: '',
    userInfo: {},
  };
  if (typeof meta.name === 'string') review.name = meta.name;
  if (typeof meta.namespace === 'string') review.namespace = meta.namespace;
  return review;
}

function namespaceMatches(patterns: unknown, ns: string): boolean {
  if (!Array.isArray(patterns)) return false;
  return patterns.some((p) => {
    if (typeof p !== 'string') return false;
    if (p.endsWith('*')) return ns.startsWith(p.slice(0, -1));
    if (p.startsWith('*')) return ns.endsWith(p.slice(1));
    return p === ns;
  });
}

function labelsMatch(selector: unknown, labels: Obj): boolean {
  if (!isRecord(selector)) return true;
  const ml = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isRecord(e)) return false;
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = key in labels;
    if (e.operator === 'In' && !(has && values.includes(String(labels[key])))) return false;
    if (e.operator === 'NotIn' && has && values.includes(String(labels[key]))) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Whether the constraint's `spec.match` selects the reviewed object. */
export function constraintMatches(constraint: Obj, review: Obj): boolean {
  const spec = isRecord(constraint.spec) ? constraint.spec : {};
  const match = isRecord(spec.match) ? spec.match : {};
  const object = isRecord(review.object) ? review.object : isRecord(review.oldObject) ? review.oldObject : {};
  const kind = isRecord(review.kind) ? review.kind : {};
  if (Array.isArray(match.kinds) && match.kinds.length) {
    const hit = match.kinds.some((k) => {
      if (!isRecord(k)) return false;
      const groups = Array.isArray(k.apiGroups) ? k.apiGroups : ['*'];
      const kinds = Array.isArray(k.kinds) ? k.kinds : [];
      return (groups.includes('*') || groups.includes(kind.group ?? '')) && (kinds.includes('*') || kinds.includes(kind.kind));
    });
    if (!hit) return false;
  }
  const meta = isRecord(object.metadata) ? object.metadata : {};
  const ns = typeof review.namespace === 'string' ? review.namespace : typeof meta.namespace === 'string' ? meta.namespace : undefined;
  if (match.scope === 'Cluster' && ns) return false;
  if (match.scope === 'Namespaced' && !ns) return false;
  if (ns !== undefined) {
    if (match.namespaces !== undefined && !namespaceMatches(match.namespaces, ns)) return false;
    if (match.excludedNamespaces !== undefined && namespaceMatches(match.excludedNamespaces, ns)) return false;
  }
  if (typeof match.name === 'string' && !namespaceMatches([match.name], String(meta.name ?? ''))) return false;
  if (match.labelSelector !== undefined && !labelsMatch(match.labelSelector, isRecord(meta.labels) ? meta.labels : {})) return false;
  return true;
}

function inventoryOf(objects: Obj[]): RegoObject {
  const cluster: Obj = {};
  const namespace: Obj = {};
  for (const o of objects) {
    const meta = isRecord(o.metadata) ? o.metadata : {};
    const apiVersion = String(o.apiVersion ?? '');
    const kind = String(o.kind ?? '');
    const name = String(meta.name ?? '');
    const root = typeof meta.namespace === 'string' ? (((namespace[meta.namespace] ??= {}) as Obj)) : cluster;
    (((root[apiVersion] ??= {}) as Obj)[kind] ??= {} as Obj);
    ((root[apiVersion] as Obj)[kind] as Obj)[name] = o;
  }
  return { inventory: fromJson({ cluster, namespace }) };
}

/** Violation messages of a template for one object under one constraint. */
export function violationsFor(interp: RegoInterpreter, pkg: string[], constraint: Obj, object: Obj, inventory: Obj[] = []): string[] {
  const review = reviewOf(object);
  if (!constraintMatches(constraint, review)) return [];
  const spec = isRecord(constraint.spec) ? constraint.spec : {};
  const input = fromJson({ review, parameters: spec.parameters ?? {} });
  const result = interp.evaluate(pkg, 'violation', input, inventoryOf(inventory), { maxSteps: 5_000_000 });
  if (!(result instanceof RegoSet)) return [];
  return result.values().map((v: Value) => (isRegoObject(v) && typeof v.msg === 'string' ? v.msg : ''));
}

/** Functions the modules call that are neither theirs nor built-ins the interpreter knows. */
export function unsupportedCalls(modules: Module[]): string[] {
  const own = new Set<string>();
  for (const m of modules) for (const r of m.rules) if (r.head.args) own.add(r.head.name);
  const out = new Set<string>();
  for (const m of modules) {
    for (const r of m.rules) {
      walkRule(r, (t) => {
        if (t.type !== 'call') return;
        const path = t.fn.type === 'var' ? [t.fn.name] : t.fn.head.type === 'var' ? [t.fn.head.name, ...t.fn.args.map((a) => (a.kind === 'dot' ? a.name : '?'))] : ['?'];
        const name = path.join('.');
        if (own.has(path[path.length - 1]) || builtin(name)) return;
        out.add(name);
      });
    }
  }
  return [...out];
}

/** Runs every case of a suite document. */
export function runSuite(suite: Obj, files: SuiteFiles & { read(path: string): string | undefined }): CaseResult[] {
  const out: CaseResult[] = [];
  const tests = Array.isArray(suite.tests) ? suite.tests : [];
  tests.forEach((t, i) => {
    if (!isRecord(t)) return;
    const name = String(t.name ?? `test ${i}`);
    const fail = (caseName: string, path: JsonPath, error: string): void => void out.push({ test: name, case: caseName, path, ok: false, detail: error, messages: [], error });
    const templateText = typeof t.template === 'string' ? files.read(files.resolve(t.template)) : undefined;
    const constraintText = typeof t.constraint === 'string' ? files.read(files.resolve(t.constraint)) : undefined;
    const template = templateText !== undefined ? documents(templateText).find((d) => d.kind === 'ConstraintTemplate') : undefined;
    const constraint = constraintText !== undefined ? firstDocument(constraintText) : undefined;
    if (!template || !constraint) return fail('', ['tests', i], 'the template or constraint file cannot be read');
    const { modules, main, errors } = templateModules(template);
    // Nothing to run: a CEL-only template, a broken one (its own diagnostics say why), a skipped test, or
    // a namespaceSelector that needs the cluster's namespaces.
    if (errors.length || !main || t.skip === true) return;
    const match = isRecord(constraint.spec) && isRecord(constraint.spec.match) ? constraint.spec.match : {};
    if (match.namespaceSelector !== undefined) return;
    if (unsupportedCalls(modules).length) return;
    const interp = new RegoInterpreter(modules);
    const cases = Array.isArray(t.cases) ? t.cases : [];
    cases.forEach((c, j) => {
      if (!isRecord(c) || c.skip === true) return;
      const caseName = String(c.name ?? `case ${j}`);
      const path: JsonPath = ['tests', i, 'cases', j];
      const objectText = typeof c.object === 'string' ? files.read(files.resolve(c.object)) : undefined;
      const object = objectText !== undefined ? firstDocument(objectText) : undefined;
      if (!object) return fail(caseName, path, 'the object file cannot be read');
      const inventory = (Array.isArray(c.inventory) ? c.inventory : []).flatMap((p) => {
        const text = typeof p === 'string' ? files.read(files.resolve(p)) : undefined;
        return text === undefined ? [] : documents(text);
      });
      let messages: string[];
      try {
        messages = violationsFor(interp, main, constraint, object, inventory);
      } catch (e) {
        if (e instanceof RegoEvalError) return fail(caseName, path, e.message);
        throw e;
      }
      const assertions = Array.isArray(c.assertions) ? c.assertions.filter(isRecord) : [];
      const problems: string[] = [];
      for (const a of assertions) {
        let count = messages.length;
        if (typeof a.message === 'string') {
          let re: RegExp;
          try {
            re = goRegExp(a.message);
          } catch {
            problems.push(`invalid message pattern ${JSON.stringify(a.message)}`);
            continue;
          }
          count = messages.filter((m) => re.test(m)).length;
        }
        const want = a.violations ?? 'yes';
        const ok = want === 'yes' ? count > 0 : want === 'no' ? count === 0 : count === want;
        if (!ok) problems.push(`expected ${String(want)} violation${want === 1 ? '' : 's'}${typeof a.message === 'string' ? ` matching ${JSON.stringify(a.message)}` : ''}, got ${count}`);
      }
      out.push({ test: name, case: caseName, path, ok: problems.length === 0, detail: problems.join('; ') || `${messages.length} violation(s) as expected`, messages });
    });
  });
  return out;
}
