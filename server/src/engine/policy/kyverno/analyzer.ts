/** Kyverno in the engine: policy files are linted, and every workspace policy is evaluated on every manifest. */
import type { AnalysisContext, CodeLensAnswer, FileAnalyzer, RuleHelp } from '../../analysis';
import type { Evidence } from '../../coverage/evidence';
import type { KubeObject } from '../../documents/classify';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import { rangeOfPath, resolvePath } from '../../documents/paths';
import { readControlAnnotations } from '../../mapping/annotations';
import type { Finding, Severity } from '../../types';
import { evaluateKyvernoPolicy, policyName } from './engine';
import { lintKyvernoDocument, isKyvernoPolicy } from './lint';
import { kyvernoCompletion, kyvernoHover } from './editor';
import { pssControlsOf } from './pssControls';
import { evaluateValidatingPolicy, isValidatingPolicy } from './validatingPolicy';
import { isObj, type EvaluationOptions, type Obj, type RuleResult } from './types';
import { contentKey, sharingKey } from '../../documents/contentKey';

interface WorkspacePolicy {
  uri: string;
  document: number;
  name: string;
  value: Obj;
  controls: string[];
  ruleControls: Map<string, string[]>;
  severity?: Severity;
}

interface WorkspaceKyverno {
  policies: WorkspacePolicy[];
}

/** The workspace's Namespace objects, which policies' namespace selectors read, and a key of their content. */
interface WorkspaceNamespaces {
  namespaces: Record<string, Obj>;
  key: string;
}

const SEVERITY: Record<string, Severity> = { critical: 'error', high: 'error', medium: 'warning', low: 'information', info: 'information' };

function severityOf(policy: Obj): Severity | undefined {
  const meta = isObj(policy.metadata) ? policy.metadata : {};
  const ann = isObj(meta.annotations) ? meta.annotations : {};
  const s = ann['policies.kyverno.io/severity'];
  return typeof s === 'string' ? SEVERITY[s.toLowerCase()] : undefined;
}

/**
 * Policies and namespaces are kept apart: typing in a manifest changes the Kubernetes family, and with it the
 * namespaces' memo, but not the policies, and the namespaces' key stays the same unless a Namespace changed; so
 * the evaluations cached per resource content survive the keystroke (see evaluationsOf).
 */
function workspaceKyverno(ctx: AnalysisContext): WorkspaceKyverno {
  return ctx.workspace.memo('policy.kyverno', ['kyverno'], () => {
    const policies: WorkspacePolicy[] = [];
    for (const entry of ctx.workspace.all()) {
      if (!entry.families.has('kyverno')) continue;
      for (const { doc, objects } of entry.documents) {
        for (const object of objects) {
          if (!isKyvernoPolicy(object.value)) continue;
          const mapping = readControlAnnotations(entry.file, doc, object, ctx.controls);
          const ruleControls = new Map<string, string[]>();
          for (const [rule, refs] of mapping.ruleControls) ruleControls.set(rule, refs.map((r) => r.id));
          const own = mapping.controls.map((r) => r.id);
          policies.push({
            uri: entry.file.uri,
            document: doc.index,
            name: policyName(object.value),
            value: object.value,
            // a policy that names no controls but enforces the Pod Security Standards maps to their controls
            controls: own.length ? own : pssControlsOf(object.value),
            ruleControls,
            severity: severityOf(object.value),
          });
        }
      }
    }
    return { policies };
  });
}

function workspaceNamespaces(ctx: AnalysisContext): WorkspaceNamespaces {
  return ctx.workspace.memo('policy.kyverno.namespaces', ['kubernetes'], () => {
    const namespaces: Record<string, Obj> = {};
    for (const entry of ctx.workspace.all()) {
      if (!entry.families.has('kubernetes')) continue;
      for (const { objects } of entry.documents) {
        for (const object of objects) if (object.kind === 'Namespace' && object.name) namespaces[object.name] = object.value;
      }
    }
    return { namespaces, key: sharingKey(namespaces) };
  });
}

function failureSeverity(policy: WorkspacePolicy, result: RuleResult): Severity {
  if (result.status === 'warn') return 'warning';
  if (policy.severity) return policy.severity;
  const spec = isObj(policy.value.spec) ? policy.value.spec : {};
  const action = String(spec.validationFailureAction ?? '');
  const actions = Array.isArray(spec.validationActions) ? spec.validationActions.map(String) : [];
  return action.toLowerCase() === 'enforce' || actions.includes('Deny') ? 'error' : 'warning';
}

function evaluate(policy: WorkspacePolicy, object: KubeObject, options: EvaluationOptions): RuleResult[] {
  try {
    return isValidatingPolicy(policy.value) ? evaluateValidatingPolicy(policy.value, object.value, options) : evaluateKyvernoPolicy(policy.value, object.value, options);
  } catch {
    // a policy that breaks the evaluator says nothing about the resource; its own file shows the problem
    return [];
  }
}

function ruleLabel(result: RuleResult): string {
  return result.sourceRule || result.rule || 'validate';
}

function codeOf(policy: WorkspacePolicy, result: RuleResult): string {
  return `policy.${policy.name}/${ruleLabel(result)}`;
}

/** The resource's range for a result: the failing field when the pattern tells it, else the object's name. */
function rangeFor(file: ParsedFile, doc: ParsedDocument, object: KubeObject, result: RuleResult): Finding['range'] {
  if (result.path?.length) {
    const target = resolvePath(doc, [...object.path, ...result.path]);
    if (target.path.length > object.path.length) return rangeOfPath(file, doc, [...object.path, ...result.path], 'value');
  }
  return rangeOfPath(file, doc, [...object.path, 'metadata', 'name']);
}

/**
 * Ranges of one file's findings: many policies fail one object at its name or at the same field, and each
 * lookup walks the syntax tree. Every finding gets its own copy.
 */
function rangeCache(file: ParsedFile): (doc: ParsedDocument, object: KubeObject, result: RuleResult) => Finding['range'] {
  const byObject = new Map<KubeObject, Map<string, Finding['range']>>();
  return (doc, object, result) => {
    let ranges = byObject.get(object);
    if (!ranges) byObject.set(object, (ranges = new Map()));
    const key = result.path?.length ? JSON.stringify(result.path) : '';
    let range = ranges.get(key);
    if (!range) ranges.set(key, (range = rangeFor(file, doc, object, result)));
    return { start: { ...range.start }, end: { ...range.end } };
  };
}

function manifestObjects(ctxFile: { documents: { doc: ParsedDocument; objects: KubeObject[] }[] }): { doc: ParsedDocument; object: KubeObject }[] {
  const out: { doc: ParsedDocument; object: KubeObject }[] = [];
  for (const { doc, objects } of ctxFile.documents) {
    for (const object of objects) if (object.classification.family === 'kubernetes') out.push({ doc, object });
  }
  return out;
}

/**
 * The results of the workspace's policies on each content of resource, for as long as the workspace's policies
 * (the memo gives a new WorkspaceKyverno when they change) and namespaces (by key) stay the same. Results are
 * only read.
 */
interface Evaluations {
  namespacesKey: string;
  options: EvaluationOptions;
  /** Per content key, the policies (by index in `policies`) that gave results, with their results. */
  byContent: Map<string, { policy: number; results: RuleResult[] }[]>;
}

const evaluationsByWorkspace = new WeakMap<WorkspaceKyverno, Evaluations>();

function evaluationsOf(ws: WorkspaceKyverno, ns: WorkspaceNamespaces): Evaluations {
  let e = evaluationsByWorkspace.get(ws);
  if (!e || e.namespacesKey !== ns.key) {
    e = { namespacesKey: ns.key, options: { namespaces: ns.namespaces, operation: 'CREATE' }, byContent: new Map() };
    evaluationsByWorkspace.set(ws, e);
  }
  return e;
}

function evaluateAll(ws: WorkspaceKyverno, object: KubeObject, options: EvaluationOptions): { policy: number; results: RuleResult[] }[] {
  const out: { policy: number; results: RuleResult[] }[] = [];
  ws.policies.forEach((policy, i) => {
    const results = evaluate(policy, object, options);
    if (results.length) out.push({ policy: i, results });
  });
  return out;
}

function resultsFor(entry: Parameters<FileAnalyzer['analyze']>[0], ctx: AnalysisContext): { doc: ParsedDocument; object: KubeObject; policy: WorkspacePolicy; result: RuleResult }[] {
  const ws = workspaceKyverno(ctx);
  if (ws.policies.length === 0) return [];
  const { options, byContent } = evaluationsOf(ws, workspaceNamespaces(ctx));
  const out: { doc: ParsedDocument; object: KubeObject; policy: WorkspacePolicy; result: RuleResult }[] = [];
  for (const { doc, object } of manifestObjects(entry)) {
    const key = contentKey(object.value);
    let evaluated = key === undefined ? undefined : byContent.get(key);
    if (!evaluated) {
      evaluated = evaluateAll(ws, object, options);
      if (key !== undefined) byContent.set(key, evaluated);
    }
    for (const { policy, results } of evaluated) {
      for (const result of results) out.push({ doc, object, policy: ws.policies[policy], result });
    }
  }
  return out;
}

/** Lints Kyverno policy documents and offers a code lens on Kyverno CLI test files. */
export const kyvernoPolicyAnalyzer: FileAnalyzer = {
  id: 'kyverno',
  families: ['kyverno'],
  analyze(entry) {
    return entry.documents.flatMap(({ doc }) => lintKyvernoDocument(entry.file, doc));
  },
  evidence(entry, ctx) {
    const out: Evidence[] = [];
    for (const policy of workspaceKyverno(ctx).policies.filter((p) => p.uri === entry.file.uri)) {
      const doc = entry.documents.find((d) => d.doc.index === policy.document)?.doc;
      if (!doc) continue;
      const controls = [...new Set([...policy.controls, ...[...policy.ruleControls.values()].flat()])];
      if (!controls.length) continue;
      out.push({
        kind: 'policy',
        controls,
        uri: entry.file.uri,
        range: rangeOfPath(entry.file, doc, ['metadata', 'name']),
        detail: `Kyverno policy ${policy.name}`,
        check: `kyverno:${policy.name}`,
        resource: { kind: String(policy.value.kind), name: policy.name, document: doc.index },
      });
    }
    return out;
  },
  codeLenses(entry) {
    const out: CodeLensAnswer[] = [];
    for (const { doc, classification } of entry.documents) {
      if (classification.type !== 'Test' || !String(classification.apiVersion ?? '').startsWith('cli.kyverno.io/')) continue;
      out.push({ range: rangeOfPath(entry.file, doc, ['kind']), title: 'Run Kyverno test', command: 'controlLens.runKyvernoTest', arguments: [entry.file.uri] });
    }
    return out;
  },
  describeRule(code) {
    return KYVERNO_RULES[code.replace(/^kyverno\./, '')];
  },
  hover(entry, offset) {
    return kyvernoHover(entry.file, offset);
  },
  completion(entry, offset) {
    return kyvernoCompletion(entry.file, offset);
  },
};

/** Evaluates the workspace's Kyverno policies on each manifest: a violation is `policy.<policy>/<rule>`. */
export const kyvernoWorkspaceAnalyzer: FileAnalyzer = {
  id: 'kyverno-policies',
  families: ['kubernetes'],
  dependsOn: ['kyverno', 'kubernetes'],
  // Exactly what the findings read from elsewhere: the policies, and the Namespaces their selectors match on.
  dependencyKey: (ctx) =>
    workspaceKyverno(ctx).policies.length ? ctx.workspace.memo('policy.kyverno.key', ['kyverno', 'kubernetes'], () => `${ctx.workspace.generation('kyverno')}|${workspaceNamespaces(ctx).key}`) : 'no-policies',
  analyze(entry, ctx) {
    const findings: Finding[] = [];
    const rangeOf = rangeCache(entry.file);
    for (const { doc, object, policy, result } of resultsFor(entry, ctx)) {
      if (result.status !== 'fail' && result.status !== 'warn') continue;
      findings.push({
        range: rangeOf(doc, object, result),
        severity: failureSeverity(policy, result),
        code: codeOf(policy, result),
        message: result.message || `violates Kyverno policy ${policy.name}`,
        controls: [...new Set([...policy.controls, ...(policy.ruleControls.get(ruleLabel(result)) ?? [])])],
        source: 'policy',
        resource: { kind: object.kind, name: object.name, namespace: object.namespace, document: doc.index },
      });
    }
    return findings;
  },
  evidence(entry, ctx) {
    const out: Evidence[] = [];
    for (const { doc, object, policy, result } of resultsFor(entry, ctx)) {
      if (result.status !== 'pass') continue;
      const controls = [...new Set([...policy.controls, ...(policy.ruleControls.get(ruleLabel(result)) ?? [])])];
      out.push({
        kind: 'pass',
        controls,
        uri: entry.file.uri,
        range: rangeOfPath(entry.file, doc, [...object.path, 'metadata', 'name']),
        detail: `${object.kind} ${object.name ?? ''} passes Kyverno ${policy.name}/${ruleLabel(result)}`,
        check: codeOf(policy, result),
        resource: { kind: object.kind, name: object.name, namespace: object.namespace, document: doc.index },
      });
    }
    return out;
  },
};

const KYVERNO_RULES: Record<string, RuleHelp> = {
  'unknown-field': { title: 'Unknown field in a Kyverno policy', help: 'Kyverno ignores or rejects fields it does not know; a misspelt field silently does nothing.' },
  'wrong-type': { title: 'Field has the wrong type', help: 'The field must hold the kind of value the Kyverno schema asks for.' },
  'duplicate-rule': { title: 'Duplicate rule name', help: 'Rule names identify results and exceptions; two rules with one name cannot be told apart.' },
  'invalid-failure-action': { title: 'Invalid failure action', help: 'Use Audit or Enforce (Deny, Audit or Warn for ValidatingPolicy actions).' },
  'jmespath-syntax': { title: 'JMESPath syntax error', help: 'The expression inside {{ }} does not parse, so the rule errors at admission.' },
  'cel-syntax': { title: 'CEL syntax error', help: 'The CEL expression does not parse, so the policy cannot be evaluated.' },
  'unknown-operator': { title: 'Unknown condition operator', help: 'Conditions take Equals, NotEquals, AnyIn, AllIn, AnyNotIn, AllNotIn, GreaterThan, LessThan and the other documented operators.' },
  'pattern-never-matches': { title: 'Pattern can never match', help: 'No resource can satisfy this part of the pattern, so the rule always fails (or never applies).' },
  'mutate-anchor': { title: 'Mutate-only anchor in a validate pattern', help: 'The +() anchor adds a field in mutate rules; validate patterns read it as a plain key.' },
  'missing-field': { title: 'Required field missing' },
  'conflicting-rule-types': { title: 'Rule mixes rule types', help: 'A rule has exactly one of validate, mutate, generate and verifyImages.' },
  'no-rules': { title: 'Policy without rules' },
  'invalid-value': { title: 'Invalid value' },
};
