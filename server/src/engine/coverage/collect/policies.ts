/**
 * The workspace's policies and the controls they are mapped to (`control-lens.dev/controls` on the policy,
 * `control-lens.dev/rule-controls.<rule>` on one rule, Rego METADATA `custom.controls`). Also which kinds each
 * rule matches, so that coverage can count the resources a policy checks.
 */
import type { ControlDirectory } from '../../analysis';
import { parseControlId } from '../../controls/ids';
import type { KubeObject } from '../../documents/classify';
import type { ParsedFile } from '../../documents/parse';
import { readControlAnnotations, type ControlReference } from '../../mapping/annotations';
import type { Range } from '../../types';
import type { IndexedFile } from '../../workspace/index';
import type { Evidence } from '../evidence';

export type PolicyEngine = 'kyverno' | 'gatekeeper' | 'vap' | 'rego';

export interface PolicyRule {
  name: string;
  controls: ControlReference[];
  /** Kinds the rule's match selects (`*` for any); empty when unknown. */
  kinds: string[];
  /** Only validating rules produce passes and failures. */
  validates: boolean;
}

export interface PolicyInfo {
  engine: PolicyEngine;
  kind: string;
  name: string;
  uri: string;
  document: number;
  /** Set for namespaced policies (Kyverno `Policy`): they apply to that namespace only. */
  namespace?: string;
  /** Where to point when the policy as a whole is meant (its name, or the file's first line). */
  range: Range;
  controls: ControlReference[];
  rules: PolicyRule[];
}

/** Controls of one rule: its own mapping, else the policy's. */
export function ruleControls(policy: PolicyInfo, rule: PolicyRule | undefined): string[] {
  const refs = rule?.controls.length ? rule.controls : policy.controls;
  return unique(refs.map((r) => r.id));
}

export function policyCheckId(name: string): string {
  return `policy:${name}`;
}

const POD_CONTROLLERS = ['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'CronJob'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** `apps/v1/Deployment`, `Deployment`, `*`: the kind part. */
function kindName(k: string): string {
  const i = k.lastIndexOf('/');
  return i < 0 ? k : k.slice(i + 1);
}

function kyvernoKinds(rule: Record<string, unknown>, policyAnnotations: Record<string, unknown>): string[] {
  const kinds: string[] = [];
  const match = isRecord(rule.match) ? rule.match : {};
  const blocks = [match, ...asArray(match.any), ...asArray(match.all)].filter(isRecord);
  for (const b of blocks) {
    const resources = isRecord(b.resources) ? b.resources : undefined;
    for (const k of asArray(resources?.kinds)) if (typeof k === 'string') kinds.push(kindName(k));
  }
  // Kyverno writes Pod rules for the pod controllers too, unless told not to.
  const autogen = policyAnnotations['pod-policies.kyverno.io/autogen-controllers'];
  if (kinds.includes('Pod') && autogen !== 'none') {
    const controllers = typeof autogen === 'string' ? autogen.split(',').map((s) => s.trim()) : POD_CONTROLLERS;
    kinds.push(...controllers);
  }
  return unique(kinds);
}

function celPolicyKinds(spec: Record<string, unknown>): string[] {
  const mc = isRecord(spec.matchConstraints) ? spec.matchConstraints : {};
  const kinds: string[] = [];
  for (const rr of asArray(mc.resourceRules)) {
    if (!isRecord(rr)) continue;
    for (const r of asArray(rr.resources)) if (typeof r === 'string') kinds.push(r === '*' ? '*' : `resource:${r.split('/')[0]}`);
  }
  return unique(kinds);
}

function gatekeeperKinds(spec: Record<string, unknown>): string[] {
  const match = isRecord(spec.match) ? spec.match : {};
  const kinds: string[] = [];
  for (const k of asArray(match.kinds)) if (isRecord(k)) for (const n of asArray(k.kinds)) if (typeof n === 'string') kinds.push(n);
  return unique(kinds);
}

function engineOf(object: KubeObject): PolicyEngine | undefined {
  const f = object.classification.family;
  if (f === 'kyverno') return object.kind === 'Test' || object.apiVersion.startsWith('cli.kyverno.io') ? undefined : 'kyverno';
  if (f === 'gatekeeper') return object.apiVersion.startsWith('test.gatekeeper.sh') ? undefined : 'gatekeeper';
  if (f === 'vap') return 'vap';
  return undefined;
}


/** The policies declared in one file (Kubernetes-style policies and Rego modules). */
export function policiesOfFile(entry: IndexedFile, controls: ControlDirectory): PolicyInfo[] {
  const file = entry.file;
  if (file.format === 'rego') {
    const rego = regoPolicy(file);
    return rego ? [rego] : [];
  }
  const out: PolicyInfo[] = [];
  for (const { doc, objects } of entry.documents) {
    for (const object of objects) {
      const engine = engineOf(object);
      if (!engine) continue;
      const mapping = readControlAnnotations(file, doc, object, controls);
      const metadata = isRecord(object.value.metadata) ? object.value.metadata : {};
      const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
      const spec = isRecord(object.value.spec) ? object.value.spec : {};
      const rules: PolicyRule[] = [];
      if (engine === 'kyverno' && Array.isArray(spec.rules)) {
        for (const r of spec.rules) {
          if (!isRecord(r) || typeof r.name !== 'string') continue;
          rules.push({
            name: r.name,
            controls: mapping.ruleControls.get(r.name) ?? [],
            kinds: kyvernoKinds(r, annotations),
            validates: isRecord(r.validate) || Array.isArray(r.verifyImages),
          });
        }
      } else if (engine === 'kyverno' || engine === 'vap') {
        // CEL policies (ValidatingPolicy, ValidatingAdmissionPolicy): one rule, named after the policy.
        rules.push({ name: object.name ?? '', controls: [], kinds: celPolicyKinds(spec), validates: object.kind.startsWith('Validating') });
      } else if (engine === 'gatekeeper' && object.apiVersion.startsWith('constraints.gatekeeper.sh')) {
        rules.push({ name: object.name ?? '', controls: [], kinds: gatekeeperKinds(spec), validates: true });
      }
      for (const [ruleName, refs] of mapping.ruleControls) {
        if (!rules.some((r) => r.name === ruleName)) rules.push({ name: ruleName, controls: refs, kinds: [], validates: false });
      }
      const fallback = file.lines.range(doc.start, doc.start);
      out.push({
        engine,
        kind: object.kind,
        name: object.name ?? '(unnamed)',
        uri: file.uri,
        document: doc.index,
        range: mapping.controls[0]?.range ?? fallback,
        namespace: object.kind === 'Policy' ? (object.namespace ?? 'default') : undefined,
        controls: mapping.controls,
        rules,
      });
    }
  }
  return out;
}

const ENGINE_LABEL: Record<PolicyEngine, string> = { kyverno: 'Kyverno', gatekeeper: 'Gatekeeper', vap: 'ValidatingAdmissionPolicy', rego: 'Rego' };

/** `policy` evidence: each control a policy (or one of its rules) is mapped to. */
export function policyEvidence(policy: PolicyInfo): Evidence[] {
  const out: Evidence[] = [];
  const check = policyCheckId(policy.name);
  const label = policy.engine === 'rego' ? `Rego package ${policy.name}` : `${ENGINE_LABEL[policy.engine]} ${policy.kind} ${policy.name}`;
  for (const ref of policy.controls) {
    out.push({ kind: 'policy', controls: [ref.id], uri: policy.uri, range: ref.range, detail: `${label} enforces it`, check });
  }
  for (const rule of policy.rules) {
    for (const ref of rule.controls) {
      out.push({ kind: 'policy', controls: [ref.id], uri: policy.uri, range: ref.range, detail: `${label}, rule ${rule.name}, enforces it`, check });
    }
  }
  return out;
}

/**
 * A Rego module's controls from its METADATA comment blocks (`custom: {controls: [AC-6]}`), read as the
 * YAML they are. Annotations on rules and on the package count alike: the module is the policy.
 */
export function regoPolicy(file: ParsedFile): PolicyInfo | undefined {
  const lines = file.text.split(/\r?\n/);
  let pkg: string | undefined;
  const refs: ControlReference[] = [];
  for (let i = 0; i < lines.length; i++) {
    const p = /^\s*package\s+([A-Za-z0-9_.]+)/.exec(lines[i]);
    if (p && !pkg) pkg = p[1];
    if (!/^\s*#\s*METADATA\s*$/.test(lines[i])) continue;
    let inControls = false;
    let indent = -1;
    for (let j = i + 1; j < lines.length && /^\s*#/.test(lines[j]); j++) {
      const body = lines[j].replace(/^\s*# ?/, '');
      const key = /^(\s*)controls\s*:\s*(.*)$/.exec(body);
      if (key) {
        inControls = true;
        indent = key[1].length;
        collectIds(key[2], j, lines[j].length - body.length + body.indexOf(key[2]), refs);
        continue;
      }
      if (!inControls) continue;
      const item = /^(\s*)-\s*(.*)$/.exec(body);
      if (item && item[1].length >= indent) {
        collectIds(item[2], j, lines[j].length - body.length + item[1].length + body.slice(item[1].length).indexOf(item[2]), refs);
      } else {
        inControls = false;
      }
    }
  }
  if (!pkg && !refs.length) return undefined;
  const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { engine: 'rego', kind: 'module', name: pkg ?? file.uri, uri: file.uri, document: 0, range: refs[0]?.range ?? zero, controls: refs, rules: [] };
}

function collectIds(text: string, line: number, column: number, out: ControlReference[]): void {
  for (const m of text.matchAll(/[A-Za-z]{2}-\d{1,3}(?:\s*\(\s*\d{1,3}\s*\)|\.\d{1,3})?/g)) {
    const parsed = parseControlId(m[0]);
    if (!parsed) continue;
    const start = column + (m.index ?? 0);
    out.push({ id: parsed.id, text: m[0], range: { start: { line, character: start }, end: { line, character: start + m[0].length } } });
  }
}
