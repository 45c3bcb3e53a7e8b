import { parseAnchor, hasNestedAnchor } from './anchor';
import { validateValue } from './patternValue';
import { wildcardMatch, hasWildcard } from './wildcard';
import type { JsonPath } from '../../documents/paths';

/**
 * Kyverno's structural pattern validation (pkg/engine/validate): walks pattern and resource together, evaluating
 * anchors before plain keys. A conditional or global anchor that does not hold makes the rule not apply (skip);
 * a negation anchor that finds its key fails the rule; anything else that does not match fails at a path.
 */

export type PatternErrorKind = 'conditional' | 'global' | 'negation' | 'mismatch';

export class PatternError {
  constructor(
    readonly kind: PatternErrorKind,
    readonly message: string,
    readonly path: JsonPath,
    /** Kyverno gives no path when an anchor key of the pattern was missing from the resource: an error, not a failure. */
    readonly pathless = false,
  ) {}
  get skip(): boolean {
    return this.kind === 'conditional' || this.kind === 'global';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_DEPTH = 200;

/** Kyverno's path notation: `/spec/containers/0/image/`. */
export function kyvernoPath(path: JsonPath): string {
  return '/' + path.map((p) => `${p}/`).join('');
}

/**
 * Conditional and existence anchor keys met during one match, and whether the resource ever had them. A plain
 * mismatch in a pattern whose anchors found nothing to hold on to has no path, which Kyverno reports as an error
 * rather than a failure (its AnchorMap.KeysAreMissing). Module state: matching is synchronous and not re-entered.
 */
let anchorKeys: Map<string, boolean> | undefined;

export function matchPattern(resource: unknown, pattern: unknown): PatternError | undefined {
  const previous = anchorKeys;
  anchorKeys = new Map();
  try {
    const err = validateElement(resource, pattern, [], 0);
    if (err && err.kind === 'mismatch' && [...anchorKeys.values()].some((found) => !found)) {
      return new PatternError('mismatch', err.message, err.path, true);
    }
    return err;
  } finally {
    anchorKeys = previous;
  }
}

function recordAnchors(pattern: Obj, resource: Obj): void {
  if (!anchorKeys) return;
  for (const key of Object.keys(pattern)) {
    const a = parseAnchor(key);
    if (!a || (a.kind !== 'condition' && a.kind !== 'existence')) continue;
    if (anchorKeys.get(key)) continue;
    anchorKeys.set(key, Object.prototype.hasOwnProperty.call(resource, a.key));
  }
}

function validateElement(resource: unknown, pattern: unknown, path: JsonPath, depth: number): PatternError | undefined {
  if (depth > MAX_DEPTH) return new PatternError('mismatch', 'pattern nested too deeply', path);
  if (isObj(pattern)) {
    if (!isObj(resource)) {
      return new PatternError('mismatch', `pattern and resource have different structures at path ${kyvernoPath(path)}`, path);
    }
    recordAnchors(pattern, resource);
    return validateMap(resource, pattern, path, depth);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) {
      return new PatternError('mismatch', `pattern and resource have different structures at path ${kyvernoPath(path)}`, path);
    }
    return validateArray(resource, pattern, path, depth);
  }
  if (Array.isArray(resource)) {
    for (const r of resource) {
      if (!validateValue(r, pattern)) return mismatch(resource, pattern, path);
    }
    return undefined;
  }
  return validateValue(resource, pattern) ? undefined : mismatch(resource, pattern, path);
}

function mismatch(resource: unknown, pattern: unknown, path: JsonPath): PatternError {
  return new PatternError('mismatch', `resource value ${show(resource)} does not match ${show(pattern)} at path ${kyvernoPath(path)}`, path);
}

function show(v: unknown): string {
  if (v === undefined) return '<nil>';
  const s = typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** The pattern key for `name`, plain or behind an anchor (`=(metadata)`), with the anchor stripped. */
function keyFor(pattern: Obj, name: string): string | undefined {
  return Object.keys(pattern).find((k) => k === name || parseAnchor(k)?.key === name);
}

/** Wildcard keys under metadata.labels/annotations stand for every resource key they match. */
function expandMetadataWildcards(pattern: Obj, resource: Obj): Obj {
  const metaKey = keyFor(pattern, 'metadata');
  const meta = metaKey === undefined ? undefined : pattern[metaKey];
  if (!isObj(meta) || !isObj(resource.metadata)) return pattern;
  const rmeta = resource.metadata;
  let changed = false;
  const newMeta: Obj = { ...meta };
  for (const field of ['labels', 'annotations']) {
    const fieldKey = keyFor(meta, field);
    const pm = fieldKey === undefined ? undefined : meta[fieldKey];
    const rm = rmeta[field];
    if (!isObj(pm)) continue;
    const out: Obj = {};
    for (const [k, v] of Object.entries(pm)) {
      const anchor = parseAnchor(k);
      const bare = anchor ? anchor.key : k;
      if (!hasWildcard(bare)) {
        out[k] = v;
        continue;
      }
      const hits = isObj(rm) ? Object.keys(rm).filter((rk) => wildcardMatch(bare, rk)) : [];
      if (hits.length === 0) out[k] = v;
      for (const h of hits) out[anchor ? k.replace(bare, h) : h] = v;
      changed = true;
    }
    newMeta[fieldKey!] = out;
  }
  return changed ? { ...pattern, [metaKey!]: newMeta } : pattern;
}

/** The order a map pattern is checked in: anchors by key, then plain keys (anchors stripped). */
interface MapPlan {
  anchors: [string, unknown][];
  plain: [string, unknown][];
}

/** Plans of the patterns policies hold, made once: patterns are read, never changed. */
const plans = new WeakMap<Obj, MapPlan>();

function planOf(pattern: Obj): MapPlan {
  const anchors: [string, unknown][] = [];
  const plain: [string, unknown, number][] = [];
  for (const [k, v] of Object.entries(pattern)) {
    const a = parseAnchor(k);
    if (a && a.kind !== 'addIfNotPresent') anchors.push([k, v]);
    else plain.push([a ? a.key : k, v, Number(hasNestedAnchor(v))]);
  }
  anchors.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // keys whose value holds anchors go first, so a failing condition skips before a plain mismatch fails
  plain.sort(([, , a], [, , b]) => b - a);
  return { anchors, plain: plain.map(([k, v]) => [k, v]) };
}

function validateMap(resource: Obj, patternIn: Obj, path: JsonPath, depth: number): PatternError | undefined {
  const pattern = expandMetadataWildcards(patternIn, resource);
  let plan = pattern === patternIn ? plans.get(pattern) : undefined;
  if (!plan) {
    plan = planOf(pattern);
    if (pattern === patternIn) plans.set(pattern, plan);
  }
  for (const [k, v] of plan.anchors) {
    const err = handleAnchor(k, v, resource, path, depth);
    if (err) return err;
  }
  for (const [key, v] of plan.plain) {
    const err = handleDefault(key, v, resource, path, depth);
    if (err) return err;
  }
  return undefined;
}

function handleDefault(key: string, pattern: unknown, resource: Obj, path: JsonPath, depth: number): PatternError | undefined {
  const value = resource[key];
  if (pattern === '*') {
    if (value !== undefined && value !== null) return undefined;
    return new PatternError('mismatch', `${kyvernoPath(path)}${key} not found`, path);
  }
  return validateElement(value, pattern, [...path, key], depth + 1);
}

function handleAnchor(anchorKey: string, pattern: unknown, resource: Obj, path: JsonPath, depth: number): PatternError | undefined {
  const anchor = parseAnchor(anchorKey)!;
  const key = anchor.key;
  const present = Object.prototype.hasOwnProperty.call(resource, key);
  const value = resource[key];
  const here = [...path, key];
  switch (anchor.kind) {
    case 'negation':
      return present ? new PatternError('negation', `${kyvernoPath(here)} is not allowed`, here) : undefined;
    case 'equality':
      return present ? validateElement(value, pattern, here, depth + 1) : undefined;
    case 'condition':
      if (!present) return new PatternError('conditional', `conditional anchor key ${key} doesn't exist in the resource`, here);
      return asKind('conditional', validateElement(value, pattern, here, depth + 1));
    case 'global':
      // an absent key does not trigger a global anchor; a present one that does not match skips the rule
      return present ? asKind('global', validateElement(value, pattern, here, depth + 1)) : undefined;
    case 'existence': {
      if (!present) return undefined;
      if (!Array.isArray(value)) {
        return new PatternError('mismatch', `existence anchor ^(${key}) can be used only on a list in the resource`, here);
      }
      if (!Array.isArray(pattern)) {
        return new PatternError('mismatch', `existence anchor ^(${key}) needs a list pattern`, here);
      }
      for (const p of pattern) {
        if (!isObj(p)) return new PatternError('mismatch', `existence anchor ^(${key}) needs a list of maps`, here);
        const found = value.some((el, i) => validateElement(el, p, [...here, i], depth + 1) === undefined);
        if (!found) return new PatternError('mismatch', `existence anchor validation failed at path ${kyvernoPath(here)}`, here);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function asKind(kind: PatternErrorKind, err: PatternError | undefined): PatternError | undefined {
  return err ? new PatternError(kind, err.message, err.path) : undefined;
}

function validateArray(resource: unknown[], pattern: unknown[], path: JsonPath, depth: number): PatternError | undefined {
  if (pattern.length === 0) return new PatternError('mismatch', `empty pattern list at path ${kyvernoPath(path)}`, path);
  const first = pattern[0];
  if (isObj(first)) {
    let applied = 0;
    const skips: PatternError[] = [];
    for (let i = 0; i < resource.length; i++) {
      const err = validateElement(resource[i], first, [...path, i], depth + 1);
      if (err) {
        if (err.skip) {
          skips.push(err);
          continue;
        }
        return err;
      }
      applied++;
    }
    if (applied === 0 && skips.length > 0) return new PatternError(skips[0].kind, skips[0].message, path);
    return undefined;
  }
  if (!Array.isArray(first) && (first === null || typeof first !== 'object')) {
    // a scalar first element is a pattern for every element of the resource list
    return validateElement(resource, first, path, depth + 1);
  }
  if (resource.length < pattern.length) {
    return new PatternError('mismatch', `list at path ${kyvernoPath(path)} has ${resource.length} items, the pattern expects ${pattern.length}`, path);
  }
  let applied = 0;
  const skips: PatternError[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const err = validateElement(resource[i], pattern[i], [...path, i], depth + 1);
    if (err) {
      if (!err.skip) return err;
      skips.push(err);
      continue;
    }
    applied++;
  }
  if (applied === 0 && skips.length > 0) return new PatternError(skips[0].kind, skips[0].message, path);
  return undefined;
}
