import { isMap, isPair, isScalar, isSeq } from 'yaml';
import { kubeObjects, type KubeObject } from '../documents/classify';
import type { ParsedDocument, ParsedFile } from '../documents/parse';
import { rangeOfPath, rangeOfTarget, resolvePath, type JsonPath } from '../documents/paths';
import type { Finding, Fix, Range, ResourceRef } from '../types';
import { podViewOf } from './pss/evaluate';
import type { PssLevel } from './pss/types';
import { parsePssVersion } from './pss/version';
import { KUBERNETES_RULES } from './rules';
import type { KubernetesRule, KubernetesWorkspaceView, RuleContext, RuleHit } from './rules/types';
import { applyIgnores, readIgnoreAnnotation, suppressionFix } from './suppression';
import { levelFromLabels, networkPolicyNamespace, versionFromLabels } from './workspaceView';

export interface KubernetesCheckOptions {
  /** Pod security level where no Namespace label says otherwise (`--pod-security`, config, setting). */
  level?: PssLevel | 'privileged';
  /** Pod security policy version (`v1.34`, `latest`). */
  pssVersion?: string;
  workspace?: KubernetesWorkspaceView;
  /** The rules to run (default: the whole pack). */
  rules?: readonly KubernetesRule[];
  /** Rule ids switched off by configuration. */
  disabled?: ReadonlySet<string>;
}

/** One object checked, for summaries and hovers: the object, its applicable rules and its findings. */
export interface CheckedObject {
  doc: ParsedDocument;
  object: KubeObject;
  resource: ResourceRef;
  level: PssLevel | 'privileged';
  /** Pod security policy version (minor) in force for the object. */
  version: number;
  rules: KubernetesRule[];
  findings: Finding[];
}

export interface KubernetesCheckResult {
  findings: Finding[];
  objects: CheckedObject[];
}

const LEVEL_ORDER: Record<PssLevel | 'privileged', number> = { privileged: 0, baseline: 1, restricted: 2 };

/** Whether `rule` runs on `object` under `level`. */
export function ruleApplies(rule: KubernetesRule, object: KubeObject, hasPod: boolean, level: PssLevel | 'privileged', version: number): boolean {
  if (rule.appliesTo === 'pod' ? !hasPod : !rule.appliesTo.includes(object.kind)) return false;
  if (rule.pss) {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[rule.pss.level]) return false;
    if ((rule.pss.since ?? 0) > version) return false;
  }
  return true;
}

function resourceOf(doc: ParsedDocument, object: KubeObject): ResourceRef {
  return { kind: object.kind, name: object.name, namespace: object.namespace, document: doc.index };
}

/**
 * Where a hit shows in the editor: a wrong scalar's `key: value`, a list item itself, or, for something
 * missing, the key of the map that lacks it (a container shows by its `name`).
 */
export function rangeOfHit(file: ParsedFile, doc: ParsedDocument, path: JsonPath): Range {
  const target = resolvePath(doc, path);
  if (!target.exact) return rangeOfTarget(file, doc, target, 'key');
  const node = target.node as unknown;
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    if (isMap(node)) {
      const named = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'name');
      if (named) return rangeOfPath(file, doc, [...path, 'name'], 'pair');
      const first = node.items[0];
      if (first && isScalar(first.key)) return rangeOfPath(file, doc, [...path, String(first.key.value)], 'key');
    }
    return rangeOfTarget(file, doc, target, 'value');
  }
  if (path.length === 0) return rangeOfTarget(file, doc, target, 'key');
  if (isMap(node) || isSeq(node)) return rangeOfTarget(file, doc, target, 'key');
  return rangeOfTarget(file, doc, target, 'pair');
}

/** Namespaces' levels and NetworkPolicies declared in this very file count as part of the workspace. */
function localView(file: ParsedFile, workspace: KubernetesWorkspaceView): KubernetesWorkspaceView {
  let levels: Map<string, PssLevel | 'privileged'> | undefined;
  let versions: Map<string, string> | undefined;
  let policies: Set<string> | undefined;
  for (const doc of file.documents) {
    for (const o of kubeObjects(doc.value)) {
      if (o.kind === 'Namespace' && o.name) {
        const level = levelFromLabels(o.value);
        if (level) (levels ??= new Map(workspace.namespaceLevels ?? [])).set(o.name, level);
        const version = versionFromLabels(o.value);
        if (version) (versions ??= new Map(workspace.namespaceVersions ?? [])).set(o.name, version);
      }
      const ns = networkPolicyNamespace(o);
      if (ns && workspace.networkPolicyNamespaces) (policies ??= new Set(workspace.networkPolicyNamespaces)).add(ns);
    }
  }
  if (!levels && !versions && !policies) return workspace;
  return {
    namespaceLevels: levels ?? workspace.namespaceLevels,
    namespaceVersions: versions ?? workspace.namespaceVersions,
    networkPolicyNamespaces: policies ?? workspace.networkPolicyNamespaces,
  };
}

function ruleErrorFinding(file: ParsedFile, doc: ParsedDocument, object: KubeObject, rule: KubernetesRule, e: unknown): Finding {
  return {
    range: rangeOfPath(file, doc, object.path, 'key'),
    severity: 'information',
    code: 'k8s.rule-error',
    message: `Rule ${rule.id} could not check this ${object.kind}: ${e instanceof Error ? e.message : String(e)}`,
    controls: [],
    source: 'kubernetes',
    resource: resourceOf(doc, object),
  };
}

/** Runs the rule pack over every Kubernetes object of a parsed file. */
export function checkKubernetesObjects(file: ParsedFile, options: KubernetesCheckOptions = {}): KubernetesCheckResult {
  const rules = (options.rules ?? KUBERNETES_RULES).filter((r) => !options.disabled?.has(r.id));
  const workspace = localView(file, options.workspace ?? {});
  const defaultLevel = options.level ?? 'restricted';
  const result: KubernetesCheckResult = { findings: [], objects: [] };
  for (const doc of file.documents) {
    let objects: KubeObject[];
    try {
      objects = kubeObjects(doc.value).filter((o) => o.classification.family === 'kubernetes');
    } catch {
      continue;
    }
    for (const object of objects) {
      const resource = resourceOf(doc, object);
      const level = (object.namespace && workspace.namespaceLevels?.get(object.namespace)) || defaultLevel;
      const version = parsePssVersion((object.namespace && workspace.namespaceVersions?.get(object.namespace)) || options.pssVersion);
      const pod = podViewOf(object.value, version);
      const ctx: RuleContext = { file, doc, object, pod, level, pssVersion: version, workspace };
      const applicable = rules.filter((r) => ruleApplies(r, object, pod !== undefined, level, version) && (r.canRun?.(ctx) ?? true));
      const findings: Finding[] = [];
      const ignores = readIgnoreAnnotation(file, doc, object);
      for (const rule of applicable) {
        let hits: RuleHit[];
        try {
          hits = rule.check(ctx);
        } catch (e) {
          findings.push(ruleErrorFinding(file, doc, object, rule, e));
          continue;
        }
        for (const hit of hits) findings.push(toFinding(ctx, rule, hit, resource, ignores));
      }
      if (ignores) findings.push(...applyIgnores(ignores, findings, resource));
      result.findings.push(...findings);
      result.objects.push({ doc, object, resource, level, version, rules: applicable, findings });
    }
  }
  return result;
}

function toFinding(ctx: RuleContext, rule: KubernetesRule, hit: RuleHit, resource: ResourceRef, ignores: ReturnType<typeof readIgnoreAnnotation>): Finding {
  const finding: Finding = {
    range: rangeOfHit(ctx.file, ctx.doc, [...ctx.object.path, ...hit.path]),
    severity: rule.severity,
    code: rule.id,
    message: hit.message,
    // A copy: consumers may sort or extend a finding's controls without touching the rule.
    controls: [...rule.controls],
    source: 'kubernetes',
    resource,
  };
  // Fixes are built when first asked for (a code action, fix-all): a repository check reports tens of thousands
  // of findings whose fixes nobody reads, and building them up front cost most of the rule pack's time and memory.
  Object.defineProperty(finding, LAZY_FIXES, { value: { ctx, rule, hit, ignores } satisfies LazyFixes });
  Object.defineProperty(finding, 'fixes', LAZY_FIXES_PROPERTY);
  return finding;
}

const LAZY_FIXES = Symbol('lazyFixes');

interface LazyFixes {
  ctx: RuleContext;
  rule: KubernetesRule;
  hit: RuleHit;
  ignores: ReturnType<typeof readIgnoreAnnotation>;
  built?: Fix[];
}

type LazyFixFinding = Finding & { [LAZY_FIXES]: LazyFixes };

/**
 * One accessor pair shared by every finding: own accessors made of fresh closures give each finding a shape of its
 * own, which V8 stores as a dictionary (about 0.5 KB a finding, most of a large repository's findings memory).
 */
const LAZY_FIXES_PROPERTY: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: LazyFixFinding): Fix[] {
    const lazy = this[LAZY_FIXES];
    return (lazy.built ??= buildFixes(lazy.ctx, lazy.rule, lazy.hit, lazy.ignores));
  },
  set(this: LazyFixFinding, value: Fix[] | undefined) {
    this[LAZY_FIXES].built = value;
  },
};

function buildFixes(ctx: RuleContext, rule: KubernetesRule, hit: RuleHit, ignores: ReturnType<typeof readIgnoreAnnotation>): Fix[] {
  const fixes: Fix[] = [];
  try {
    (rule.fixes?.(ctx, hit) ?? []).forEach((f, i) => fixes.push({ title: f.title, edits: f.edits, kind: 'quickfix', safe: f.safe, isPreferred: i === 0 }));
  } catch {
    // A fix that cannot be computed is left out; the finding itself still stands.
  }
  const suppress = suppressionFix(ctx.file, ctx.doc, ctx.object, rule.id, ignores);
  if (suppress) fixes.push(suppress);
  return fixes;
}

/** The entry point for the analyser: findings with exact ranges, controls, fixes and suppressions. */
export function checkKubernetesFile(file: ParsedFile, options: KubernetesCheckOptions = {}): Finding[] {
  return checkKubernetesObjects(file, options).findings;
}
