/**
 * Calls to the workspace's own functions, checked as OPA's compiler does: the callee must be a function
 * (not a rule) and take as many arguments as given, or one fewer (the last one then receives the result).
 * Built-ins and names no module defines are left alone.
 */
import { walkRule, type Term } from './ast';
import type { RegoModuleInfo, RegoProblem } from './module';
import { localDeclaration, resolveRules } from './navigation';

function calleePath(fn: Term): string[] | undefined {
  if (fn.type === 'var') return [fn.name];
  if (fn.type !== 'ref' || fn.head.type !== 'var') return undefined;
  const path = [fn.head.name];
  for (const a of fn.args) {
    if (a.kind === 'dot') path.push(a.name);
    else if (a.term.type === 'string') path.push(String(a.term.value));
    else return undefined;
  }
  return path;
}

export function callProblems(modules: RegoModuleInfo[], mod: RegoModuleInfo): RegoProblem[] {
  const out: RegoProblem[] = [];
  for (const rule of mod.module.rules) {
    walkRule(rule, (t) => {
      if (t.type !== 'call') return;
      const path = calleePath(t.fn);
      if (!path || (path.length === 1 && localDeclaration(rule, path[0]))) return;
      const name = path[path.length - 1];
      const defs = resolveRules(modules, mod, path).filter((d) => d.rule && d.rule.head.path.length === 1 && d.rule.head.name === name);
      if (defs.length === 0) return;
      const fns = defs.filter((d) => d.rule!.head.args);
      if (fns.length === 0) {
        out.push({ message: `\`${name}\` is a rule, not a function; refer to it without parentheses`, start: t.fn.start, end: t.fn.end, code: 'rego.call', severity: 'error' });
        return;
      }
      const arities = new Set(fns.map((d) => d.rule!.head.args!.length));
      const n = t.args.length;
      if (arities.has(n) || arities.has(n - 1)) return;
      const expected = [...arities].sort().join(' or ');
      out.push({ message: `function \`${name}\` takes ${expected} argument${expected === '1' ? '' : 's'}, but this call gives ${n}`, start: t.start, end: t.end, code: 'rego.arity', severity: 'error' });
    });
  }
  return out;
}
