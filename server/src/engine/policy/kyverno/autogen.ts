/**
 * Autogen (pkg/autogen/v1): a rule written for Pods also applies to the pod controllers, rewritten so its patterns and
 * expressions address the pod template (`spec.template`, or `spec.jobTemplate.spec.template` for CronJobs). Whether
 * a policy gets autogen rules is decided for the whole policy, as Kyverno does.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const POD_CONTROLLERS = ['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'CronJob'];
/** Kept for callers that list the default controllers. */
export const DEFAULT_CONTROLLERS = POD_CONTROLLERS;
export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

function filtersOf(block: unknown): Obj[] {
  if (!isObj(block)) return [];
  const out: Obj[] = [];
  for (const k of ['any', 'all']) if (Array.isArray(block[k])) out.push(...(block[k] as unknown[]).filter(isObj));
  out.push(block);
  return out;
}

function descOf(filter: Obj): Obj {
  return isObj(filter.resources) ? filter.resources : {};
}

function kindsOf(filter: Obj): string[] {
  const d = descOf(filter);
  return Array.isArray(d.kinds) ? (d.kinds as unknown[]).map(String) : [];
}

/** kubeutils.ContainsKind: `Pod` written bare or with a group/version. */
function containsKind(kinds: string[], kind: string): boolean {
  return kinds.some((k) => k === kind || k.endsWith(`/${kind}`) || k === '*');
}

function blockKinds(block: unknown): string[] {
  return filtersOf(block).flatMap(kindsOf);
}

/** CanAutoGen: no generate or JSON patches anywhere, no names/selectors/annotations, no Pod mixed with other kinds. */
function canAutogen(rules: Obj[]): boolean {
  let needed = false;
  const podKinds = new Set(['Pod', ...POD_CONTROLLERS]);
  for (const rule of rules) {
    if (rule.generate !== undefined) return false;
    if (isObj(rule.mutate)) {
      if (rule.mutate.patchesJson6902) return false;
      if (Array.isArray(rule.mutate.foreach) && rule.mutate.foreach.some((f) => isObj(f) && f.patchesJson6902)) return false;
    }
    for (const f of [...filtersOf(rule.match), ...filtersOf(rule.exclude)]) {
      const d = descOf(f);
      const kinds = kindsOf(f);
      if (d.name || (Array.isArray(d.names) && d.names.length) || d.selector || d.annotations) return false;
      if (kinds.length > 1 && containsKind(kinds, 'Pod')) return false;
      if (kinds.some((k) => podKinds.has(k.slice(k.lastIndexOf('/') + 1)))) needed = true;
    }
  }
  return needed;
}

/** The controllers autogen targets: the annotation when set (`none` turns it off), all pod controllers otherwise. */
export function controllersOf(policy: Obj): string[] | undefined {
  const spec = isObj(policy.spec) ? policy.spec : {};
  const rules = Array.isArray(spec.rules) ? spec.rules.filter(isObj) : [];
  if (!canAutogen(rules)) return undefined;
  const meta = isObj(policy.metadata) ? policy.metadata : {};
  const ann = isObj(meta.annotations) ? meta.annotations : {};
  const v = ann[AUTOGEN_ANNOTATION];
  if (typeof v !== 'string') return POD_CONTROLLERS;
  if (v.trim() === 'none') return undefined;
  if (v.trim() === 'all') return POD_CONTROLLERS;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function replaceKinds(block: unknown, kinds: string[], onlyPodFilters: boolean): unknown {
  if (!isObj(block)) return block;
  const fix = (f: Obj): Obj => {
    const d = descOf(f);
    if (!Array.isArray(d.kinds) || d.kinds.length === 0) return f;
    if (onlyPodFilters && !containsKind(kindsOf(f), 'Pod')) return f;
    return { ...f, resources: { ...d, kinds } };
  };
  const out: Obj = { ...block };
  if (Array.isArray(block.any) && block.any.length) out.any = (block.any as unknown[]).map((f) => (isObj(f) ? fix(f) : f));
  else if (Array.isArray(block.all) && block.all.length) out.all = (block.all as unknown[]).map((f) => (isObj(f) ? fix(f) : f));
  else if (isObj(block.resources)) return fix(out);
  return out;
}

type Rewrites = [string, string][];
const POD_JMES: Rewrites = [
  ['request.object.spec', 'request.object.spec.template.spec'],
  ['request.oldObject.spec', 'request.oldObject.spec.template.spec'],
  ['request.object.metadata', 'request.object.spec.template.metadata'],
  ['request.oldObject.metadata', 'request.oldObject.spec.template.metadata'],
];
const POD_CEL: Rewrites = [
  ['object.spec', 'object.spec.template.spec'],
  ['oldObject.spec', 'oldObject.spec.template.spec'],
  ['object.metadata', 'object.spec.template.metadata'],
  ['oldObject.metadata', 'oldObject.spec.template.metadata'],
];
const CRON_JMES: Rewrites = [
  ['request.object.spec', 'request.object.spec.jobTemplate.spec.template.spec'],
  ['request.oldObject.spec', 'request.oldObject.spec.jobTemplate.spec.template.spec'],
  ['request.object.metadata', 'request.object.spec.jobTemplate.spec.template.metadata'],
  ['request.oldObject.metadata', 'request.oldObject.spec.jobTemplate.spec.template.metadata'],
];
const CRON_CEL: Rewrites = [
  ['object.spec', 'object.spec.jobTemplate.spec.template.spec'],
  ['oldObject.spec', 'oldObject.spec.jobTemplate.spec.template.spec'],
  ['object.metadata', 'object.spec.jobTemplate.spec.template.metadata'],
  ['oldObject.metadata', 'oldObject.spec.jobTemplate.spec.template.metadata'],
];

/** Plain substring replacement over every string (keys too), in order, as Kyverno does on the rule's JSON. */
function rewriteStrings(value: unknown, rewrites: Rewrites, depth = 0): unknown {
  if (depth > 200) return value;
  if (typeof value === 'string') return rewrites.reduce((s, [from, to]) => s.split(from).join(to), value);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, rewrites, depth + 1));
  if (isObj(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[rewriteStrings(k, rewrites, depth + 1) as string] = rewriteStrings(v, rewrites, depth + 1);
    return out;
  }
  return value;
}

export function rewriteCelForController(expression: string, cronJob: boolean): string {
  return rewriteStrings(expression, cronJob ? CRON_CEL : POD_CEL) as string;
}

function wrap(target: unknown, tplKey: string): Obj {
  return { spec: { [tplKey]: target } };
}

/** generateRule: the rule's match kinds, pattern wrapping; undefined when the rule has nothing autogen handles. */
function generateRule(rule: Obj, name: string, tplKey: string, kinds: string[], onlyPodFilters: boolean): Obj | undefined {
  const out: Obj = { ...rule, name };
  out.match = replaceKinds(rule.match, kinds, onlyPodFilters);
  if (isObj(rule.exclude)) out.exclude = replaceKinds(rule.exclude, kinds, onlyPodFilters);
  if (isObj(rule.mutate)) {
    if (rule.mutate.patchStrategicMerge !== undefined) {
      out.mutate = { patchStrategicMerge: wrap(rule.mutate.patchStrategicMerge, tplKey) };
      return out;
    }
    if (Array.isArray(rule.mutate.foreach) && rule.mutate.foreach.length) {
      out.mutate = {
        foreach: rule.mutate.foreach.filter(isObj).map((f) => ({ list: f.list, context: f.context, preconditions: f.preconditions, patchStrategicMerge: wrap(f.patchStrategicMerge, tplKey) })),
      };
      return out;
    }
  }
  if (isObj(rule.validate)) {
    const v = rule.validate;
    const keep = { message: v.message, failureAction: v.failureAction, failureActionOverrides: v.failureActionOverrides, allowExistingViolations: v.allowExistingViolations };
    if (v.pattern !== undefined) return { ...out, validate: { ...keep, pattern: wrap(v.pattern, tplKey) } };
    if (v.deny !== undefined) return { ...out, validate: { ...keep, deny: v.deny } };
    if (v.podSecurity !== undefined) return { ...out, validate: { ...keep, podSecurity: v.podSecurity } };
    if (Array.isArray(v.anyPattern)) return { ...out, validate: { ...keep, anyPattern: v.anyPattern.map((p) => wrap(p, tplKey)) } };
    if (Array.isArray(v.foreach) && v.foreach.length) return { ...out, validate: { ...keep, foreach: v.foreach } };
    if (v.cel !== undefined) return out;
    if (v.assert !== undefined) return out;
  }
  if (rule.verifyImages !== undefined) return out;
  return undefined;
}

/** The 63-character limit Kubernetes names put on rule names. */
function autogenName(prefix: string, name: string): string {
  return `${prefix}-${name}`.slice(0, 63);
}

export interface AutogenRule {
  rule: Obj;
  /** The rule written by the author that this one was generated from. */
  source: string;
}

/** The rules Kyverno would add for pod controllers (`autogen-<name>`, `autogen-cronjob-<name>`). */
// A policy's autogen rules depend on the policy alone; workspace evaluation runs each policy on every resource,
// so build them once per policy object.
const autogenCache = new WeakMap<Obj, AutogenRule[]>();

export function autogenRules(policy: Obj): AutogenRule[] {
  let rules = autogenCache.get(policy);
  if (!rules) {
    rules = buildAutogenRules(policy);
    autogenCache.set(policy, rules);
  }
  return rules;
}

function buildAutogenRules(policy: Obj): AutogenRule[] {
  const controllers = controllersOf(policy);
  if (!controllers) return [];
  const spec = isObj(policy.spec) ? policy.spec : {};
  const rules = Array.isArray(spec.rules) ? spec.rules.filter(isObj) : [];
  const out: AutogenRule[] = [];
  const plain = POD_CONTROLLERS.filter((c) => c !== 'CronJob' && controllers.includes(c)).sort();
  for (const rule of rules) {
    const name = String(rule.name ?? '');
    if (name.startsWith('autogen-')) continue;
    const excludeKinds = blockKinds(rule.exclude);
    if (!containsKind(blockKinds(rule.match), 'Pod') || (excludeKinds.length && !containsKind(excludeKinds, 'Pod'))) continue;
    const cel = isObj(rule.validate) && rule.validate.cel !== undefined;
    if (plain.length) {
      const r = generateRule(rule, autogenName('autogen', name), 'template', plain, true);
      if (r) out.push({ rule: rewriteStrings(r, cel ? POD_CEL : POD_JMES) as Obj, source: name });
    }
    if (controllers.includes('CronJob')) {
      const base = generateRule(rule, autogenName('autogen', name), 'template', plain.length ? plain : ['CronJob'], true);
      const r = base && generateRule(base, autogenName('autogen-cronjob', name), 'jobTemplate', ['CronJob'], false);
      if (r) out.push({ rule: rewriteStrings(r, cel ? CRON_CEL : CRON_JMES) as Obj, source: name });
    }
  }
  return out;
}
