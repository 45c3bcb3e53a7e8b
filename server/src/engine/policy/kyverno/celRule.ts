import { compileCel, lazyVariables, CelEvalError, CelActivation } from '../cel';
import { isObj, type EvaluationOptions, type Obj, type RuleStatus } from './types';
import { namespaceOf, requestField } from './context';

/** `validate.cel` of a ClusterPolicy rule: variables, expressions and messages, as a ValidatingAdmissionPolicy would. */

export interface CelOutcome {
  status: RuleStatus;
  message: string;
}

export function runCel(expression: string, activation: Record<string, unknown> | CelActivation, timeoutMs?: number): unknown {
  const c = compileCel(expression);
  if (!c.ok) throw new CelEvalError(`CEL syntax error at ${c.error.start}: ${c.error.message}`);
  return c.program.evaluate(activation, { timeoutMs });
}

export function namespaceObjectFor(resource: Obj, options: EvaluationOptions, onlyGiven = false): Obj | null {
  if (resource.kind === 'Namespace') return null;
  const ns = namespaceOf(resource);
  const known = options.namespaces?.[ns];
  if (known) return known;
  // for CEL policies the CLI has no namespace object it was not given (ClusterPolicy rules get one built from the name)
  if (onlyGiven && options.onlyGivenNamespaces) return null;
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: options.namespaceLabels?.[ns] ?? {} } };
}

export function evaluateCelRule(cel: unknown, resource: Obj, ctx: Obj, options: EvaluationOptions): CelOutcome {
  if (!isObj(cel)) return { status: 'error', message: 'cel must be a map' };
  if (cel.paramKind !== undefined || cel.paramRef !== undefined) {
    return { status: 'error', message: 'CEL parameters (paramKind/paramRef) are read from a live cluster, which is not available here' };
  }
  const base: Record<string, unknown> = {
    object: requestField(ctx, 'object'),
    oldObject: requestField(ctx, 'oldObject'),
    request: ctx.request,
    namespaceObject: namespaceObjectFor(resource, options),
    params: null,
  };
  const defs = (Array.isArray(cel.variables) ? cel.variables : []).filter(isObj).map((v) => ({ name: String(v.name), expression: String(v.expression ?? '') }));
  // variables are evaluated over the activation they belong to: one conversion of the inputs for the whole rule
  const variables = lazyVariables(defs, (expr) => runCel(expr, activation, options.expressionTimeoutMs));
  const activation = new CelActivation({ ...base, variables });
  const expressions = Array.isArray(cel.expressions) ? cel.expressions.filter(isObj) : [];
  for (const e of expressions) {
    let ok: unknown;
    try {
      ok = runCel(String(e.expression ?? ''), activation, options.expressionTimeoutMs);
    } catch (err) {
      return { status: 'error', message: `CEL expression ${JSON.stringify(e.expression)} failed: ${(err as Error).message}` };
    }
    if (typeof ok !== 'boolean') return { status: 'error', message: `CEL expression ${JSON.stringify(e.expression)} did not give a boolean` };
    if (!ok) {
      let message = typeof e.message === 'string' ? e.message : `failed expression: ${String(e.expression)}`;
      if (typeof e.messageExpression === 'string') {
        try {
          const m = runCel(e.messageExpression, activation, options.expressionTimeoutMs);
          if (typeof m === 'string' && m.trim()) message = m;
        } catch {
          // the static message stands when the message expression fails, as in the API server
        }
      }
      return { status: 'fail', message };
    }
  }
  return { status: 'pass', message: 'validation rule passed' };
}
