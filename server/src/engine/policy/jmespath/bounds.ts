import { TreeInterpreter } from '@jmespath-community/jmespath';

/**
 * A step and time budget for JMESPath evaluation. The library has no hook for this, so the interpreter's `visit`
 * (shared by every scope it creates) is wrapped once; the active budget is module state, which is safe because
 * evaluation is synchronous.
 */
export class JmesPathLimitError extends Error {
  override name = 'JmesPathLimitError';
}

interface Budget {
  steps: number;
  maxSteps: number;
  deadline: number;
}

let active: Budget | undefined;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const proto = Object.getPrototypeOf(TreeInterpreter) as { visit: (node: unknown, value: unknown) => unknown };
  const original = proto.visit;
  proto.visit = function visit(this: unknown, node: unknown, value: unknown): unknown {
    const b = active;
    if (b) {
      b.steps++;
      if (b.steps > b.maxSteps) throw new JmesPathLimitError(`JMESPath evaluation exceeded ${b.maxSteps} steps`);
      if ((b.steps & 1023) === 0 && Date.now() > b.deadline) throw new JmesPathLimitError('JMESPath evaluation timed out');
    }
    return original.call(this, node, value);
  };
}

export function withBudget<T>(maxSteps: number, timeoutMs: number, run: () => T): T {
  install();
  const previous = active;
  active = { steps: 0, maxSteps, deadline: Date.now() + timeoutMs };
  try {
    return run();
  } finally {
    active = previous;
  }
}
