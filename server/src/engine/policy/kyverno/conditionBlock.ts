import { evaluateOperator, isConditionOperator } from './conditions';
import { createSubstituter, substituteAll } from './variables';
import { isObj, type Obj } from './types';

/**
 * A `preconditions` / `deny.conditions` block: a plain list (all must hold) or `{any, all}`. Variables resolve with
 * Kyverno's precondition resolver, where an unresolvable reference reads as an empty string.
 */
export interface ConditionOutcome {
  holds: boolean;
  /** The message of the first condition that decided the outcome, when it has one. */
  message?: string;
}

export function evaluateConditionBlock(block: unknown, ctx: Obj): ConditionOutcome {
  const sub = createSubstituter(ctx, 'conditions');
  const one = (c: unknown): boolean => {
    if (!isObj(c)) throw new Error('a condition must be a map with key, operator and value');
    if (!isConditionOperator(c.operator)) throw new Error(`unknown condition operator ${JSON.stringify(c.operator)}`);
    const key = substituteAll(c.key, sub);
    const value = substituteAll(c.value, sub);
    return evaluateOperator(String(c.operator), key, value);
  };
  if (block === undefined || block === null) return { holds: true };
  if (Array.isArray(block)) return { holds: block.every(one) };
  if (!isObj(block)) throw new Error('conditions must be a list or a map with any/all');
  const any = Array.isArray(block.any) ? block.any : [];
  const all = Array.isArray(block.all) ? block.all : [];
  let anyHolds = true;
  let message: string | undefined;
  if (any.length) {
    anyHolds = false;
    for (const c of any) {
      if (one(c)) {
        anyHolds = true;
        break;
      }
      if (isObj(c) && typeof c.message === 'string') message ??= c.message;
    }
  }
  if (!anyHolds) return { holds: false, message };
  for (const c of all) {
    if (!one(c)) return { holds: false, message: isObj(c) && typeof c.message === 'string' ? c.message : undefined };
  }
  return { holds: true };
}
