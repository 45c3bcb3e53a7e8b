import { Environment } from '@marcbachmann/cel-js';
import { registerKubernetesLibrary, CLUSTER_FUNCTIONS, CelFunctionError } from './kubernetesLibrary';
import { registerExtraLibraries } from './extraLibraries';
import { toCel, fromCel, startCelActivation, finishCelActivation, CelActivation, LAZY } from './values';

/**
 * The shared CEL layer for Kyverno (validate.cel, ValidatingPolicy) and Kubernetes ValidatingAdmissionPolicy:
 * compile with the exact span of syntax errors, evaluate under a cost bound, Kubernetes extensions included.
 */

export { toCel, fromCel, CelFunctionError, CelActivation };

export interface CelSyntaxError {
  message: string;
  /** Offsets inside the expression text. */
  start: number;
  end: number;
}

export interface CelLimits {
  /** Upper bound on the estimated number of comprehension steps (like the API server's cost limit). */
  maxCost?: number;
  /** Upper bound on the number of expression nodes evaluated. */
  maxSteps?: number;
  timeoutMs?: number;
}

export class CelEvalError extends Error {
  override name = 'CelEvalError';
  constructor(
    message: string,
    readonly start?: number,
    readonly end?: number,
  ) {
    super(message);
  }
}

/**
 * A compiled expression: run it with an activation of plain JSON values (converted to CEL values on the way in), or
 * with a CelActivation when several expressions run over the same values.
 */
export interface CelProgram {
  expression: string;
  /** Nesting depth of comprehension macros, used for the static cost estimate. */
  comprehensionDepth: number;
  evaluate(activation: Record<string, unknown> | CelActivation, limits?: CelLimits): unknown;
}

export type CelCompileResult = { ok: true; program: CelProgram } | { ok: false; error: CelSyntaxError };

const MAX_EXPRESSION_LENGTH = 20_000;
const DEFAULT_MAX_COST = 10_000_000;
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter', 'transformList', 'transformMap', 'sortBy']);

let sharedEnv: Environment | undefined;

function env(): Environment {
  if (!sharedEnv) {
    sharedEnv = new Environment({
      unlistedVariablesAreDyn: true,
      enableOptionalTypes: true,
      homogeneousAggregateLiterals: false,
      limits: { maxAstNodes: 20_000, maxDepth: 120, maxListElements: 5_000, maxMapEntries: 5_000, maxCallArguments: 32 },
    });
    registerKubernetesLibrary(sharedEnv);
    registerExtraLibraries(sharedEnv);
  }
  return sharedEnv;
}

interface AstNode {
  op: string;
  args: unknown;
  start?: number;
  end?: number;
}

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'args' in v;
}

function children(n: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const visit = (a: unknown): void => {
    if (isNode(a)) out.push(a);
    else if (Array.isArray(a)) a.forEach(visit);
  };
  if (Array.isArray(n.args)) n.args.forEach(visit);
  else visit(n.args);
  return out;
}

/**
 * Walks the parsed tree once: `matches` is re-pointed at the RE2 implementation (the library's uses JS RegExp, which
 * can backtrack exponentially), cluster-only functions are found, and comprehension nesting is measured.
 */
function inspect(root: AstNode): { depth: number; clusterCall?: AstNode & { name: string } } {
  let clusterCall: (AstNode & { name: string }) | undefined;
  const walk = (n: AstNode, level: number): number => {
    let depth = level;
    let inner = level;
    if ((n.op === 'rcall' || n.op === 'call') && Array.isArray(n.args)) {
      const name = n.args[0] as string;
      if (name === 'matches') (n.args as unknown[])[0] = 're2Matches';
      if (COMPREHENSIONS.has(name)) inner = level + 1;
      if (n.op === 'rcall' && isNode(n.args[1]) && n.args[1].op === 'id' && CLUSTER_FUNCTIONS.includes(n.args[1].args as string)) {
        clusterCall ??= Object.assign(n, { name: `${n.args[1].args as string}.${name}` });
      }
    }
    if (n.op === 'id' && n.args === 'authorizer') clusterCall ??= Object.assign(n, { name: 'authorizer' });
    for (const c of children(n)) depth = Math.max(depth, walk(c, inner));
    return Math.max(depth, inner);
  };
  return { depth: walk(root, 0), clusterCall };
}

/**
 * cel-go's `orValue` hands back a receiver that is not optional (`list.orValue([])` is the list); the library's
 * macro rejects it, and policies rely on cel-go's reading. Calls outside string literals are re-pointed at a
 * function with that behaviour. Done on the text because the macro is bound while parsing.
 */
function lenientOrValue(expression: string): string {
  if (!expression.includes('.orValue(')) return expression;
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (c === '"' || c === "'") {
      const triple = expression.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < expression.length && !expression.startsWith(close, j)) j += expression[j] === '\\' ? 2 : 1;
      out += expression.slice(i, j + close.length);
      i = j + close.length;
      continue;
    }
    if (expression.startsWith('.orValue(', i)) {
      out += '.lenientOrValue(';
      i += '.orValue('.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

interface Budget {
  steps: number;
  maxSteps: number;
  deadline: number;
}
/** The evaluation under way (evaluation is synchronous, so one at a time). */
let budget: Budget | undefined;
const DEFAULT_MAX_STEPS = 1_000_000;
const DEFAULT_TIMEOUT_MS = 250;

type NodeEvaluate = (ev: unknown, ast: unknown, ctx: unknown) => unknown;

/** Time is looked at once every this many steps (a power of two: the check is a mask). */
const STEP_CHECK_INTERVAL = 1024;

/** Called on every 1024th step and past the step limit: throws when the budget is spent. */
function overBudget(b: Budget): void {
  if (b.steps > b.maxSteps) throw new CelEvalError(`evaluation exceeded ${b.maxSteps} steps`);
  if (Date.now() > b.deadline) throw new CelEvalError('evaluation timed out');
}

/** The nodes instrument() would count (it stops at 50,000). */
function nodeCount(root: AstNode): number {
  const seen = new Set<AstNode>();
  const visit = (n: AstNode): void => {
    if (seen.has(n) || seen.size > 50_000) return;
    seen.add(n);
    for (const c of children(n)) visit(c);
  };
  visit(root);
  return seen.size;
}

/**
 * Counts node evaluations against the active budget. The library specialises a node's `evaluate` on first use by
 * assigning it; an accessor keeps that working while every call goes through the counter, so comprehensions that
 * run away are stopped by steps or time.
 */
function instrument(root: AstNode): void {
  const seen = new Set<AstNode>();
  const visit = (n: AstNode): void => {
    if (seen.has(n) || seen.size > 50_000) return;
    seen.add(n);
    let inner = (Object.getPrototypeOf(n) as { evaluate: NodeEvaluate }).evaluate;
    // the library always calls evaluate(evaluator, node, context): fixed parameters spare an arguments array per node
    const wrapper = function (this: unknown, ev: unknown, ast: unknown, ctx: unknown): unknown {
      const b = budget;
      if (b !== undefined && (++b.steps > b.maxSteps || (b.steps & (STEP_CHECK_INTERVAL - 1)) === 0)) overBudget(b);
      return inner.call(this, ev, ast, ctx);
    };
    Object.defineProperty(n, 'evaluate', {
      configurable: true,
      get: () => wrapper,
      set: (fn: NodeEvaluate) => {
        inner = fn;
      },
    });
    for (const c of children(n)) visit(c);
  };
  visit(root);
}

const cache = new Map<string, CelCompileResult>();

export function compileCel(expression: string): CelCompileResult {
  const hit = cache.get(expression);
  if (hit) return hit;
  const result = compileUncached(expression);
  if (cache.size > 2000) cache.clear();
  cache.set(expression, result);
  return result;
}

function compileUncached(expression: string): CelCompileResult {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, error: { message: `expression longer than ${MAX_EXPRESSION_LENGTH} characters`, start: 0, end: 1 } };
  }
  // the environment is built outside the try: a broken library registration must fail loudly, not read as a syntax error
  const environment = env();
  let parsed: ReturnType<Environment['parse']>;
  const lenient = lenientOrValue(expression);
  try {
    parsed = environment.parse(expression);
    if (lenient !== expression) parsed = environment.parse(lenient);
  } catch (e) {
    const err = e as { range?: { start: number; end: number }; summary?: string; message: string };
    const start = err.range?.start ?? 0;
    return {
      ok: false,
      error: { message: err.summary ?? err.message.split('\n')[0], start, end: Math.max(err.range?.end ?? start + 1, start) },
    };
  }
  const { depth, clusterCall } = inspect(parsed.ast as unknown as AstNode);
  // Without comprehensions every node is evaluated at most once (counted twice the first time, when the library
  // specialises it), so an expression this small can reach neither the step at which time is checked nor, unless
  // maxSteps is below that, the step limit: it runs without the counting wrapper. A counted copy is made if a caller
  // ever asks for fewer steps.
  const maxCountedSteps = 2 * nodeCount(parsed.ast as unknown as AstNode);
  const uncounted = depth === 0 && maxCountedSteps < STEP_CHECK_INTERVAL ? parsed : undefined;
  let counted = uncounted ? undefined : parsed;
  const countedProgram = (): typeof parsed => {
    if (!counted) {
      counted = environment.parse(lenient);
      inspect(counted.ast as unknown as AstNode);
      instrument(counted.ast as unknown as AstNode);
    }
    return counted;
  };
  if (counted) instrument(counted.ast as unknown as AstNode);
  const program: CelProgram = {
    expression,
    comprehensionDepth: depth,
    evaluate(activation, limits = {}) {
      if (clusterCall) {
        throw new CelEvalError(`${clusterCall.name} needs a live cluster, which is not available here`, clusterCall.start, clusterCall.end);
      }
      // without comprehensions the estimate is 1 whatever the input, so the input is not measured
      const prepared = activation instanceof CelActivation ? activation : undefined;
      const started = prepared ? undefined : startCelActivation(activation as Record<string, unknown>, depth > 0);
      const cost = depth === 0 ? 1 : (prepared ?? started!).fanOut ** depth;
      const maxCost = limits.maxCost ?? DEFAULT_MAX_COST;
      if (cost > maxCost) throw new CelEvalError(`estimated cost ${cost} exceeds the limit ${maxCost}`);
      const ctx = prepared ? prepared.converted() : finishCelActivation(started!, activation as Record<string, unknown>);
      const maxSteps = limits.maxSteps ?? DEFAULT_MAX_STEPS;
      const run = uncounted && maxCountedSteps <= maxSteps ? uncounted : countedProgram();
      const previous = budget;
      if (run !== uncounted) budget = { steps: 0, maxSteps, deadline: Date.now() + (limits.timeoutMs ?? DEFAULT_TIMEOUT_MS) };
      try {
        return fromCel(run(ctx));
      } catch (e) {
        if (e instanceof CelEvalError) throw e;
        const err = e as { range?: { start: number; end: number }; summary?: string; message: string };
        throw new CelEvalError(err.summary ?? err.message.split('\n')[0], err.range?.start, err.range?.end);
      } finally {
        budget = previous;
      }
    },
  };
  return { ok: true, program };
}

/** Lazily evaluated named variables (`variables.x`), as the API server does: each at most once, errors kept. */
export function lazyVariables(
  defs: { name: string; expression: string }[],
  evaluate: (expression: string, variables: Record<string, unknown>) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = { [LAZY]: true } as Record<string, unknown>;
  const state = new Map<string, { done: boolean; value?: unknown; error?: unknown; busy?: boolean }>();
  for (const d of defs) {
    Object.defineProperty(out, d.name, {
      enumerable: true,
      get() {
        let s = state.get(d.name);
        if (s?.done) {
          if (s.error) throw s.error;
          return s.value;
        }
        if (s?.busy) throw new CelEvalError(`variable ${d.name} refers to itself`);
        s = { done: false, busy: true };
        state.set(d.name, s);
        try {
          s.value = toCel(evaluate(d.expression, out));
        } catch (e) {
          s.error = e;
        }
        s.done = true;
        s.busy = false;
        if (s.error) throw s.error;
        return s.value;
      },
    });
  }
  return out;
}
