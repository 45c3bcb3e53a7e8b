import { parse as parseYaml } from 'yaml';
import { parseAnchor } from './anchor';
import { matchPattern } from './pattern';
import { evaluateConditionBlock } from './conditionBlock';
import { createSubstituter, substituteAll, substituteString } from './variables';
import { evaluateJmesPath } from '../jmespath';
import { isObj, type Obj, type RuleStatus } from './types';

/**
 * Mutate rules are judged, not applied: Kyverno reports a mutation that changes the resource as pass and one that
 * changes nothing (its conditions do not hold, or the resource already has what it adds) as skip. That is decided
 * here by walking the patch against the resource with Kyverno's anchors and strategic-merge list keys.
 */

interface Outcome {
  status: RuleStatus;
  message: string;
}

const PASS: Outcome = { status: 'pass', message: 'mutate rule applies; the patched resource is not compared' };
const NO_CHANGE: Outcome = { status: 'skip', message: 'mutation changes nothing: its conditions do not hold or the resource already has what it adds' };
const MAX_ELEMENTS = 10_000;

export function evaluateMutate(mutate: unknown, resource: Obj, ctx: Obj): Outcome {
  if (!isObj(mutate)) return { status: 'error', message: 'mutate must be a map' };
  if (Array.isArray(mutate.foreach)) return mutateForeach(mutate.foreach, resource, ctx);
  if (mutate.targets !== undefined) return { status: 'pass', message: 'mutation of existing resources applies; its targets are not checked' };
  return changes(mutate, resource, ctx) ? PASS : NO_CHANGE;
}

function changes(m: Obj, resource: Obj, ctx: Obj): boolean {
  const sub = createSubstituter(ctx, 'strict');
  if (m.patchStrategicMerge !== undefined) {
    const patch = substituteAll(m.patchStrategicMerge, sub);
    const conditions = conditionalPart(patch);
    if (conditions !== undefined && matchPattern(resource, conditions)) return false;
    if (mergeChanges(resource, patch, 0)) return true;
  }
  if (typeof m.patchesJson6902 === 'string') {
    const text = substituteString(m.patchesJson6902, sub);
    const ops = typeof text === 'string' ? (parseYaml(text, { maxAliasCount: 100 }) as unknown) : text;
    if (!Array.isArray(ops)) throw new Error('patchesJson6902 must be a list of operations');
    const patched = applyJsonPatch(structuredClone(resource), ops);
    if (!deepEqual(patched, resource)) return true;
  }
  return false;
}

function mutateForeach(list: unknown[], resource: Obj, ctx: Obj): Outcome {
  for (const fe of list.filter(isObj)) {
    if (typeof fe.list !== 'string') continue;
    let items: unknown;
    try {
      const expr = substituteString(fe.list, createSubstituter(ctx, 'strict'));
      items = typeof expr === 'string' ? evaluateJmesPath(expr, ctx, { unknownKeyIsError: true }) : expr;
    } catch {
      continue;
    }
    const elements = Array.isArray(items) ? items : [items];
    for (let i = 0; i < elements.length && i < MAX_ELEMENTS; i++) {
      const el = elements[i];
      if (el === null || el === undefined) continue;
      const ectx: Obj = { ...ctx, element: el, elementIndex: i, element0: el, elementIndex0: i };
      if (!evaluateConditionBlock(fe.preconditions, ectx).holds) continue;
      if (Array.isArray(fe.foreach)) {
        if (mutateForeach(fe.foreach, resource, ectx).status === 'pass') return PASS;
        continue;
      }
      if (changes(fe, resource, ectx)) return PASS;
    }
  }
  return NO_CHANGE;
}

/** The part of a strategic merge patch made of conditional and global anchors and the maps that lead to them. */
function conditionalPart(patch: unknown, depth = 0): unknown {
  if (depth > 50) return undefined;
  if (Array.isArray(patch)) {
    const parts = patch.map((p) => conditionalPart(p, depth + 1)).filter((p) => p !== undefined);
    return parts.length ? parts : undefined;
  }
  if (!isObj(patch)) return undefined;
  const out: Obj = {};
  for (const [k, v] of Object.entries(patch)) {
    const a = parseAnchor(k);
    // in a mutation a global anchor only holds where its key is present: it is checked as a condition
    if (a && a.kind === 'condition') out[k] = conditionOnly(v);
    else if (a && a.kind === 'global') out[`(${a.key})`] = conditionOnly(v);
    else {
      const inner = conditionalPart(v, depth + 1);
      if (inner !== undefined) out[a?.kind === 'addIfNotPresent' ? a.key : k] = inner;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/** What a condition's value asks of the resource: its add-if-absent keys are additions, not conditions. */
function conditionOnly(v: unknown, depth = 0): unknown {
  if (depth > 50 || !isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (parseAnchor(k)?.kind !== 'addIfNotPresent') out[k] = conditionOnly(x, depth + 1);
  return out;
}

const isCondition = (k: string): boolean => {
  const a = parseAnchor(k);
  return !!a && a.kind !== 'addIfNotPresent';
};

/** Whether the anchors written at this level of the patch hold for this element of the resource. */
function conditionsHold(resource: unknown, patch: Obj): boolean {
  const conds: Obj = {};
  for (const [k, v] of Object.entries(patch)) if (isCondition(k)) conds[k] = conditionOnly(v);
  return Object.keys(conds).length === 0 || matchPattern(resource, conds) === undefined;
}

/** Whether merging the patch into the resource would change it. */
function mergeChanges(resource: unknown, patch: unknown, depth: number): boolean {
  if (depth > 100) return true;
  if (isObj(patch)) {
    if (!conditionsHold(resource, patch)) return false;
    const res = isObj(resource) ? resource : undefined;
    for (const [k, v] of Object.entries(patch)) {
      if (k === '$patch') return true;
      const a = parseAnchor(k);
      if (a && a.kind !== 'addIfNotPresent') {
        // a condition that holds is merged too, with its anchors taken off (`(emptyDir): {+(sizeLimit): 1Gi}`)
        if ((a.kind === 'condition' || a.kind === 'equality') && isObj(v) && res && isObj(res[a.key]) && mergeChanges(res[a.key], v, depth + 1)) return true;
        continue;
      }
      const key = a ? a.key : k;
      const present = !!res && Object.prototype.hasOwnProperty.call(res, key);
      if (a) {
        if (!present) return true;
        continue;
      }
      if (!present) {
        // a key that only holds conditions adds nothing
        if (isObj(v) && Object.keys(v).length > 0 && Object.keys(v).every(isCondition)) continue;
        return true;
      }
      if (mergeChanges(res![key], v, depth + 1)) return true;
    }
    return false;
  }
  if (Array.isArray(patch)) {
    const list = Array.isArray(resource) ? resource : [];
    if (!patch.every(isObj)) return !deepEqual(resource, patch);
    for (const p of patch as Obj[]) {
      const plain = Object.keys(p).filter((k) => !isCondition(k));
      if (plain.length === 0) continue;
      if (Object.keys(p).some(isCondition)) {
        // applies to every element its anchors select
        if (list.some((r) => conditionsHold(r, p) && mergeChanges(r, p, depth + 1))) return true;
        continue;
      }
      // strategic merge matches list elements by their name
      if (typeof p.name === 'string') {
        const r = list.find((x) => isObj(x) && x.name === p.name);
        if (!r || mergeChanges(r, p, depth + 1)) return true;
        continue;
      }
      if (!list.some((r) => !mergeChanges(r, p, depth + 1))) return true;
    }
    return false;
  }
  return !deepEqual(resource, patch);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * RFC 6902 on plain JSON, enough to tell whether a patch changes anything; with the options Kyverno applies patches
 * with: an add creates missing parents, a remove of a missing path is not an error.
 */
function applyJsonPatch(doc: unknown, ops: unknown[]): unknown {
  const parse = (path: unknown): string[] => {
    if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) throw new Error(`invalid JSON pointer ${JSON.stringify(path)}`);
    return path === '' ? [] : path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  };
  const parentOf = (root: unknown, tokens: string[], create: boolean): { parent: Obj | unknown[]; key: string } => {
    let cur = root;
    for (const t of tokens.slice(0, -1)) {
      if (Array.isArray(cur)) cur = cur[t === '-' ? cur.length - 1 : Number(t)];
      else if (isObj(cur)) {
        if (!(t in cur) && create) cur[t] = {};
        cur = cur[t];
      } else throw new Error('path does not exist');
    }
    if (!isObj(cur) && !Array.isArray(cur)) throw new Error('path does not exist');
    return { parent: cur, key: tokens[tokens.length - 1] };
  };
  const get = (root: unknown, tokens: string[]): unknown => tokens.reduce<unknown>((c, t) => (Array.isArray(c) ? c[Number(t)] : isObj(c) ? c[t] : undefined), root);
  let root = doc;
  for (const op of ops) {
    if (!isObj(op)) throw new Error('a JSON patch operation must be a map');
    const tokens = parse(op.path);
    const put = (value: unknown, insert: boolean): void => {
      if (tokens.length === 0) {
        root = value;
        return;
      }
      const { parent, key } = parentOf(root, tokens, true);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (insert) parent.splice(i, 0, value);
        else parent[i] = value;
      } else parent[key] = value;
    };
    const remove = (t: string[]): unknown => {
      let target: { parent: Obj | unknown[]; key: string };
      try {
        target = parentOf(root, t, false);
      } catch {
        return undefined;
      }
      const { parent, key } = target;
      if (Array.isArray(parent)) return parent.splice(Number(key), 1)[0];
      const v = parent[key];
      delete parent[key];
      return v;
    };
    switch (op.op) {
      case 'add':
        put(structuredClone(op.value), true);
        break;
      case 'replace':
        put(structuredClone(op.value), false);
        break;
      case 'remove':
        remove(tokens);
        break;
      case 'copy':
        put(structuredClone(get(root, parse(op.from))), true);
        break;
      case 'move':
        put(remove(parse(op.from)), true);
        break;
      case 'test':
        if (!deepEqual(get(root, tokens), op.value)) throw new Error(`JSON patch test failed at ${String(op.path)}`);
        break;
      default:
        throw new Error(`unknown JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return root;
}
