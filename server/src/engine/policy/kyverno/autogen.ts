/**
 * Autogen (pkg/autogen): a rule written for Pods also applies to the pod controllers, rewritten so its patterns and
 * expressions address the pod template (`spec.template`, or `spec.jobTemplate.spec.template` for CronJobs).
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const DEFAULT_CONTROLLERS = ['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'CronJob'];
export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

function filtersOf(block: unknown): Obj[] {
  if (!isObj(block)) return [];
  const out: Obj[] = [];
  for (const k of ['any', 'all']) if (Array.isArray(block[k])) out.push(...(block[k] as unknown[]).filter(isObj));
  if (isObj(block.resources)) out.push(block);
  return out;
}

function descOf(filter: Obj): Obj {
  return isObj(filter.resources) ? filter.resources : {};
}

/** Controllers the policy's annotation asks for; undefined when autogen is off. */
export function controllersOf(policy: Obj): string[] | undefined {
  const meta = isObj(policy.metadata) ? policy.metadata : {};
  const ann = isObj(meta.annotations) ? meta.annotations : {};
  const v = ann[AUTOGEN_ANNOTATION];
  if (typeof v !== 'string') return DEFAULT_CONTROLLERS;
  if (v.trim() === 'none' || v.trim() === '') return undefined;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function canAutogen(rule: Obj): boolean {
  if (rule.generate || rule.mutate && isObj(rule.mutate) && rule.mutate.patchesJson6902) return false;
  let needed = false;
  for (const f of [...filtersOf(rule.match), ...filtersOf(rule.exclude)]) {
    const d = descOf(f);
    const kinds = Array.isArray(d.kinds) ? (d.kinds as unknown[]).map(String) : [];
    if (d.name || (Array.isArray(d.names) && d.names.length) || d.selector || d.annotations) return false;
    if (kinds.length > 1 && kinds.some(isPodKind)) return false;
    if (kinds.some(isPodKind)) needed = true;
  }
  return needed;
}

function isPodKind(k: string): boolean {
  return k === 'Pod' || k.endsWith('/Pod');
}

function replaceKinds(block: unknown, kinds: string[]): unknown {
  if (!isObj(block)) return block;
  const fix = (f: Obj): Obj => {
    const d = descOf(f);
    if (!Array.isArray(d.kinds)) return f;
    return { ...f, resources: { ...d, kinds } };
  };
  const out: Obj = { ...block };
  for (const k of ['any', 'all']) if (Array.isArray(block[k])) out[k] = (block[k] as unknown[]).map((f) => (isObj(f) ? fix(f) : f));
  if (isObj(block.resources)) return fix(out);
  return out;
}

const JMES_REWRITES: [RegExp, string][] = [
  [/request\.object\.spec/g, 'request.object.spec.template.spec'],
  [/request\.oldObject\.spec/g, 'request.oldObject.spec.template.spec'],
  [/request\.object\.metadata/g, 'request.object.spec.template.metadata'],
  [/request\.oldObject\.metadata/g, 'request.oldObject.spec.template.metadata'],
];
const CEL_REWRITES: [RegExp, string][] = [
  [/(?<![\w.])object\.spec(?!\w)/g, 'object.spec.template.spec'],
  [/(?<![\w.])oldObject\.spec(?!\w)/g, 'oldObject.spec.template.spec'],
  [/(?<![\w.])object\.metadata(?!\w)/g, 'object.spec.template.metadata'],
  [/(?<![\w.])oldObject\.metadata(?!\w)/g, 'oldObject.spec.template.metadata'],
];

function rewriteStrings(value: unknown, rewrites: [RegExp, string][]): unknown {
  if (typeof value === 'string') return rewrites.reduce((s, [re, to]) => s.replace(re, to), value);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, rewrites));
  if (isObj(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k] = rewriteStrings(v, rewrites);
    return out;
  }
  return value;
}

/** `spec.template` → `spec.jobTemplate.spec.template`, applied to an already controller-shaped rule. */
function toCronJob(value: unknown, cel: boolean): unknown {
  const rewrites: [RegExp, string][] = cel
    ? [[/(?<![\w.])(object|oldObject)\.spec\.template(?!\w)/g, '$1.spec.jobTemplate.spec.template']]
    : [[/request\.(object|oldObject)\.spec\.template/g, 'request.$1.spec.jobTemplate.spec.template']];
  return rewriteStrings(value, rewrites);
}

export function rewriteCelForController(expression: string, cronJob: boolean): string {
  const s = rewriteStrings(expression, CEL_REWRITES) as string;
  return cronJob ? (toCronJob(s, true) as string) : s;
}

function wrapPattern(pattern: unknown, cronJob: boolean): unknown {
  return cronJob ? { spec: { jobTemplate: { spec: { template: pattern } } } } : { spec: { template: pattern } };
}

function convertValidate(validate: Obj, cronJob: boolean): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(validate)) {
    if (k === 'pattern') out[k] = wrapPattern(v, cronJob);
    else if (k === 'anyPattern' && Array.isArray(v)) out[k] = v.map((p) => wrapPattern(p, cronJob));
    else if (k === 'cel') out[k] = rewriteCelBlock(v, cronJob);
    else if (k === 'podSecurity') out[k] = v;
    else {
      const r = rewriteStrings(v, JMES_REWRITES);
      out[k] = cronJob ? toCronJob(r, false) : r;
    }
  }
  return out;
}

function rewriteCelBlock(block: unknown, cronJob: boolean): unknown {
  const rewrite = (v: unknown): unknown => {
    const r = rewriteStrings(v, CEL_REWRITES);
    return cronJob ? toCronJob(r, true) : r;
  };
  if (!isObj(block)) return block;
  const out: Obj = { ...block };
  for (const k of ['expressions', 'variables', 'auditAnnotations']) if (block[k] !== undefined) out[k] = rewrite(block[k]);
  return out;
}

export interface AutogenRule {
  rule: Obj;
  /** The rule written by the author that this one was generated from. */
  source: string;
}

/** The rules Kyverno would add for pod controllers (`autogen-<name>`, `autogen-cronjob-<name>`). */
export function autogenRules(policy: Obj): AutogenRule[] {
  const controllers = controllersOf(policy);
  if (!controllers) return [];
  const spec = isObj(policy.spec) ? policy.spec : {};
  const rules = Array.isArray(spec.rules) ? spec.rules.filter(isObj) : [];
  const out: AutogenRule[] = [];
  const plain = controllers.filter((c) => c !== 'CronJob');
  for (const rule of rules) {
    if (!canAutogen(rule)) continue;
    const name = String(rule.name ?? '');
    const build = (kinds: string[], cronJob: boolean, prefix: string): Obj => {
      const r: Obj = {};
      for (const [k, v] of Object.entries(rule)) {
        if (k === 'name') r[k] = `${prefix}${name}`;
        else if (k === 'match' || k === 'exclude') r[k] = replaceKinds(v, kinds);
        else if (k === 'validate' && isObj(v)) r[k] = convertValidate(v, cronJob);
        else if (k === 'celPreconditions') {
          const x = rewriteStrings(v, CEL_REWRITES);
          r[k] = cronJob ? toCronJob(x, true) : x;
        }
        else {
          const x = rewriteStrings(v, JMES_REWRITES);
          r[k] = cronJob ? toCronJob(x, false) : x;
        }
      }
      return r;
    };
    if (plain.length) out.push({ rule: build(plain, false, 'autogen-'), source: name });
    if (controllers.includes('CronJob')) out.push({ rule: build(['CronJob'], true, 'autogen-cronjob-'), source: name });
  }
  return out;
}
