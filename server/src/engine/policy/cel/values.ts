/**
 * Conversion between plain JSON-like values (YAML/JSON documents) and the values the CEL library works with:
 * CEL has distinct int and double types, so whole numbers become bigint on the way in and numbers on the way out.
 */
/** Marks objects whose properties are computed on access (lazy variables): passed through untouched. */
export const LAZY = Symbol('lazy');

export function toCel(value: unknown, depth = 0): unknown {
  if (value && typeof value === 'object' && LAZY in value) return value;
  if (depth > 200) throw new Error('value nested too deeply for CEL');
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((v) => toCel(v, depth + 1));
  if (value instanceof Map) return value;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCel(v, depth + 1);
    return out;
  }
  return value;
}

export function fromCel(value: unknown, depth = 0): unknown {
  if (depth > 200) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map((v) => fromCel(v, depth + 1));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = fromCel(v, depth + 1);
    return out;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromCel(v, depth + 1);
    return out;
  }
  if (value && typeof value === 'object' && 'valueOf' in value && typeof (value as { valueOf(): unknown }).valueOf() === 'number') {
    return (value as { valueOf(): number }).valueOf();
  }
  return value;
}

/** The largest list or map size anywhere in a value: the fan-out a comprehension over the input can reach. */
export function maxFanOut(value: unknown, depth = 0): number {
  if (depth > 100 || value === null || typeof value !== 'object' || LAZY in value) return 0;
  if (Array.isArray(value)) {
    let m = value.length;
    for (const v of value) m = Math.max(m, maxFanOut(v, depth + 1));
    return m;
  }
  const entries = Object.values(value);
  let m = entries.length;
  for (const v of entries) m = Math.max(m, maxFanOut(v, depth + 1));
  return m;
}

/**
 * An activation value converted for CEL, with the fan-out it offers. Every expression of every policy reads the
 * same resource objects, so their conversion is kept per source object. That is sound because sources are never
 * changed (parsed documents; Kyverno contexts are built copy-on-write) and converted values are never handed out
 * (results go through fromCel, which copies).
 */
interface CelInput {
  value: unknown;
  fanOut: number;
  /** Levels of nesting below the value: a container of primitives has height 1. */
  height: number;
  /** Nodes in the value. */
  size: number;
}

/**
 * toCel (which refuses depth 200) and maxFanOut (which stops looking at depth 100) give the same answer wherever a
 * value this shallow sits at the top of an activation; deeper values take the uncached path on every use.
 */
const MAX_CACHED_HEIGHT = 98;
/**
 * Small values are cheaper to convert again than to keep: the parts of a request built for each rule (user info,
 * kind) and made-up namespace objects would otherwise fill the cache (and the collector's ephemeron tables) with
 * entries used once.
 */
const MIN_CACHED_SIZE = 12;
const converted = new WeakMap<object, CelInput>();
const TOO_DEEP: CelInput = { value: undefined, fanOut: 0, height: Infinity, size: 0 };

function isPlainContainer(value: object): boolean {
  return !(LAZY in value) && !(value instanceof Map) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

function celScalar(value: unknown): unknown {
  return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
}

/**
 * A plain container at the top of an activation (`topLevel`) or directly under one, converted once if it is worth
 * keeping.
 */
function cachedInput(value: object, topLevel: boolean): CelInput {
  const hit = converted.get(value);
  if (hit) return hit;
  const input = track(value, 0, topLevel);
  if (input.height > MAX_CACHED_HEIGHT) return TOO_DEEP;
  if (input.size >= MIN_CACHED_SIZE) converted.set(value, input);
  return input;
}

/**
 * toCel and maxFanOut in one walk. Containers directly under the root go through the cache, so a request built
 * afresh for each rule still reuses the conversion of the resource it holds.
 */
function track(value: object, depth: number, childrenViaCache: boolean): CelInput {
  if (depth > MAX_CACHED_HEIGHT) return TOO_DEEP;
  const isList = Array.isArray(value);
  const source = value as Record<string, unknown> & unknown[];
  const keys = isList ? undefined : Object.keys(value);
  const length = isList ? source.length : keys!.length;
  const out: Record<string, unknown> | unknown[] = isList ? new Array<unknown>(length) : {};
  let fanOut = length;
  let height = 0;
  let size = 1;
  for (let i = 0; i < length; i++) {
    const key = isList ? i : keys![i];
    const child: unknown = source[key];
    if (typeof child !== 'object' || child === null) {
      (out as Record<string | number, unknown>)[key] = celScalar(child);
      if (height < 1) height = 1;
      size++;
      continue;
    }
    let input: CelInput;
    if (!isPlainContainer(child)) {
      // lazy objects, maps, bytes and dates pass through toCel untouched
      input = { value: toCel(child, depth + 1), fanOut: maxFanOut(child, depth + 1), height: 0, size: 1 };
    } else {
      input = childrenViaCache ? cachedInput(child, false) : track(child, depth + 1, false);
      if (input === TOO_DEEP) return TOO_DEEP;
    }
    (out as Record<string | number, unknown>)[key] = input.value;
    if (input.fanOut > fanOut) fanOut = input.fanOut;
    if (input.height + 1 > height) height = input.height + 1;
    size += input.size;
  }
  return { value: out, fanOut, height, size };
}

/** An activation converted for CEL; values too deep for the cache are left for `finishCelActivation`. */
export interface StartedActivation {
  context: Record<string, unknown>;
  /** `Math.max(2, ...values.map(maxFanOut))`, when asked for. */
  fanOut: number;
  deep?: string[];
}

export function startCelActivation(activation: Record<string, unknown>, measureFanOut: boolean): StartedActivation {
  const context: Record<string, unknown> = {};
  let fanOut = 2;
  let deep: string[] | undefined;
  for (const key of Object.keys(activation)) {
    const value = activation[key];
    if (typeof value !== 'object' || value === null) {
      context[key] = celScalar(value);
      continue;
    }
    if (!isPlainContainer(value)) {
      // lazy objects, maps, bytes and dates: toCel passes them through without a look inside
      if (measureFanOut) fanOut = Math.max(fanOut, maxFanOut(value));
      context[key] = toCel(value);
      continue;
    }
    const input = cachedInput(value, true);
    if (input === TOO_DEEP) {
      if (measureFanOut) fanOut = Math.max(fanOut, maxFanOut(value));
      (deep ??= []).push(key);
      continue;
    }
    if (input.fanOut > fanOut) fanOut = input.fanOut;
    context[key] = input.value;
  }
  return { context, fanOut, deep };
}

/** Converts what `startCelActivation` left, after the cost estimate has been checked (as toCel did it, errors too). */
export function finishCelActivation(started: StartedActivation, activation: Record<string, unknown>): Record<string, unknown> {
  for (const key of started.deep ?? []) started.context[key] = toCel(activation[key]);
  return started.context;
}

/**
 * An activation converted once for all the expressions evaluated over it (a rule's variables, conditions,
 * validations and messages on one resource). Its values must not change while it is in use.
 */
export class CelActivation {
  private readonly started: StartedActivation;
  private context: Record<string, unknown> | undefined;

  constructor(readonly values: Record<string, unknown>) {
    this.started = startCelActivation(values, true);
  }

  get fanOut(): number {
    return this.started.fanOut;
  }

  /** The CEL values; those too deep for the cache are converted here, on first use, after the caller's cost check. */
  converted(): Record<string, unknown> {
    return (this.context ??= finishCelActivation(this.started, this.values));
  }
}
