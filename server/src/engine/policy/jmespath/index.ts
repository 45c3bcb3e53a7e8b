import { compile, tokenize, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import { withBudget, JmesPathLimitError } from './bounds';
import { registerKyvernoFunctions, JmesPathFunctionError } from './kyvernoFunctions';

/** JMESPath for Kyverno: a maintained library, Kyverno's functions, syntax errors with offsets, bounded evaluation. */

export { JmesPathLimitError, JmesPathFunctionError };
export { re2 } from './kyvernoFunctions';

export interface JmesPathSyntaxError {
  message: string;
  /** Offset of the offending character inside the expression. */
  offset: number;
  length: number;
}

export interface JmesPathLimits {
  maxSteps?: number;
  timeoutMs?: number;
  /**
   * Kyverno's interpreter fails a field lookup on a map that lacks the key ("Unknown key"), and the failure
   * reaches the caller through plain paths (`a.b[0].c`) only; everything else (`||`, pipes, projections, function
   * arguments, comparisons) reads it as null. With this set, such a miss throws JmesPathNotFoundError.
   */
  unknownKeyIsError?: boolean;
}

export class JmesPathNotFoundError extends Error {
  override name = 'JmesPathNotFoundError';
  constructor(readonly key: string) {
    super(`Unknown key "${key}" in path`);
  }
}

/**
 * A miss is an answer, not a bug: foreach lists and conditions over resources that lack a field meet it all the
 * time, so it is thrown without the stack trace that costs more than the rest of the evaluation.
 */
function notFound(key: string): JmesPathNotFoundError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new JmesPathNotFoundError(key);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

type Interpreter = { search(node: unknown, value: unknown): unknown };

const MAX_EXPRESSION_LENGTH = 10_000;
const DEFAULT_STEPS = 200_000;
const DEFAULT_TIMEOUT = 250;

const compiled = new Map<string, ReturnType<typeof compile> | JmesPathSyntaxError>();

function isSyntaxError(v: unknown): v is JmesPathSyntaxError {
  return typeof v === 'object' && v !== null && 'offset' in v && 'message' in v;
}

/** Checks an expression; undefined when it is valid. */
export function checkJmesPath(expression: string): JmesPathSyntaxError | undefined {
  const c = compileCached(expression);
  return isSyntaxError(c) ? c : undefined;
}

function compileCached(expression: string): ReturnType<typeof compile> | JmesPathSyntaxError {
  const hit = compiled.get(expression);
  if (hit) return hit;
  let result: ReturnType<typeof compile> | JmesPathSyntaxError;
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    result = { message: `expression longer than ${MAX_EXPRESSION_LENGTH} characters`, offset: 0, length: 1 };
  } else {
    registerKyvernoFunctions();
    try {
      result = compile(expression);
    } catch (e) {
      result = locateError(expression, (e as Error).message);
    }
  }
  if (compiled.size > 2000) compiled.clear();
  compiled.set(expression, result);
  return result;
}

/**
 * The library reports no position, so the error is located by re-parsing growing prefixes, token by token: the first
 * prefix that fails for a reason other than running out of input ends at the offending token.
 */
function locateError(expression: string, message: string): JmesPathSyntaxError {
  const clean = message.replace(/^Syntax error:\s*/i, '');
  let tokens: { start: number; value?: unknown; type?: string }[];
  try {
    tokens = tokenize(expression) as unknown as { start: number }[];
  } catch (e) {
    const m = /position (\d+)|at (\d+)/.exec((e as Error).message);
    const offset = m ? Number(m[1] ?? m[2]) : firstBadChar(expression);
    return { message: clean, offset: Math.min(offset, expression.length), length: 1 };
  }
  const starts = tokens.map((t) => t.start).filter((s) => typeof s === 'number');
  const limit = Math.min(starts.length, 200);
  for (let i = 1; i < limit; i++) {
    const end = starts[i + 1] ?? expression.length;
    const prefix = expression.slice(0, end);
    try {
      compile(prefix);
    } catch (e) {
      const msg = (e as Error).message;
      if (!/EOF/.test(msg)) return { message: clean, offset: starts[i], length: Math.max(1, end - starts[i]) };
    }
  }
  if (/EOF/.test(message)) return { message: 'unexpected end of expression', offset: expression.length, length: 0 };
  return { message: clean, offset: starts[0] ?? 0, length: 1 };
}

function firstBadChar(expression: string): number {
  for (let i = 0; i < expression.length; i++) {
    if (!/[\w.\s[\]{}()@&|!=<>,:*?'`"$\\/+%-]/.test(expression[i])) return i;
  }
  const q = expression.search(/['`"]/);
  return q >= 0 ? q : expression.length;
}

export class JmesPathError extends Error {
  override name = 'JmesPathError';
}

/** Evaluates an expression over plain JSON data; throws JmesPathError / JmesPathLimitError / JmesPathFunctionError. */
export function evaluateJmesPath(expression: string, data: unknown, limits: JmesPathLimits = {}): unknown {
  const c = compileCached(expression);
  if (isSyntaxError(c)) throw new JmesPathError(`invalid JMESPath ${JSON.stringify(expression)}: ${c.message} at ${c.offset}`);
  try {
    return withBudget(limits.maxSteps ?? DEFAULT_STEPS, limits.timeoutMs ?? DEFAULT_TIMEOUT, () => {
      // the compiled tree, not the text: the library's search() would parse the expression again on every call
      const result = (TreeInterpreter as unknown as Interpreter).search(c, data as JSONValue);
      if (result === null && limits.unknownKeyIsError) {
        const missing = missingKey(c as unknown as AstNode, data, 0);
        if (missing.key !== undefined) throw notFound(missing.key);
      }
      return result;
    });
  } catch (e) {
    if (e instanceof JmesPathNotFoundError) throw e;
    if (e instanceof JmesPathLimitError || e instanceof JmesPathFunctionError) throw e;
    throw new JmesPathError(`JMESPath query ${JSON.stringify(expression)} failed: ${(e as Error).message}`);
  }
}

interface AstNode {
  type: string;
  name?: string;
  value?: unknown;
  left?: AstNode;
  right?: AstNode;
}

const isMapValue = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows Kyverno's interpreter along a plain path to find the key whose absence it reports. */
function missingKey(node: AstNode, value: unknown, depth: number): { key?: string; value: unknown } {
  if (depth > 200) return { value: null };
  switch (node.type) {
    case 'Field': {
      const name = String(node.name);
      if (!isMapValue(value)) return { value: null };
      if (!Object.prototype.hasOwnProperty.call(value, name)) return { key: name, value: null };
      return { value: value[name] };
    }
    case 'Subexpression':
    case 'IndexExpression': {
      const left = missingKey(node.left!, value, depth + 1);
      if (left.key !== undefined || left.value === null || left.value === undefined) return left;
      return missingKey(node.right!, left.value, depth + 1);
    }
    case 'Index': {
      if (!Array.isArray(value)) return { value: null };
      const i = Number(node.value);
      return { value: value[i < 0 ? value.length + i : i] ?? null };
    }
    case 'Current':
    case 'Identity':
      return { value };
    default:
      // any other node reads a miss as null; its value is what the library computes
      try {
        return { value: (TreeInterpreter as unknown as Interpreter).search(node, value) };
      } catch {
        return { value: null };
      }
  }
}
