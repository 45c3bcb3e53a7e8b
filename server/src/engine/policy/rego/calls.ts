/**
 * Calls to the workspace's own functions, checked as OPA's compiler does: the callee must be a function
 * (not a rule) and take as many arguments as given, or one fewer (the last one then receives the result).
 * Built-ins and names no module defines are left alone.
 */
import { walkRule, type Rule, type Term } from './ast';
import type { RegoModuleInfo, RegoProblem } from './module';
import { localDeclaration, ruleKey } from './navigation';

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

/** Rules by package and name, built once per check so each call is a map lookup. */
function indexRules(modules: RegoModuleInfo[]): Map<string, Rule[]> {
  const index = new Map<string, Rule[]>();
  for (const m of modules) {
    const pkg = m.module.package?.path.join('.') ?? '';
    for (const rule of m.module.rules) {
      if (rule.head.path.length !== 1) continue;
      const key = `${pkg}\0${rule.head.name}`;
      const list = index.get(key);
      if (list) list.push(rule);
      else index.set(key, [rule]);
    }
  }
  return index;
}

export function callProblems(modules: RegoModuleInfo[], mod: RegoModuleInfo): RegoProblem[] {
  const out: RegoProblem[] = [];
  const index = indexRules(modules);
  for (const rule of mod.module.rules) {
    let locals: Map<string, boolean> | undefined;
    const isLocal = (name: string): boolean => {
      locals ??= new Map();
      let v = locals.get(name);
      if (v === undefined) locals.set(name, (v = localDeclaration(rule, name) !== undefined));
      return v;
    };
    walkRule(rule, (t) => {
      if (t.type !== 'call') return;
      const path = calleePath(t.fn);
      if (!path || (path.length === 1 && isLocal(path[0]))) return;
      const key = ruleKey(mod, path);
      const defs = key ? index.get(key) : undefined;
      if (!defs?.length) return;
      const name = path[path.length - 1];
      const fns = defs.filter((r) => r.head.args);
      if (fns.length === 0) {
        out.push({ message: `\`${name}\` is a rule, not a function; refer to it without parentheses`, start: t.fn.start, end: t.fn.end, code: 'rego.call', severity: 'error' });
        return;
      }
      const arities = new Set(fns.map((r) => r.head.args!.length));
      const n = t.args.length;
      if (arities.has(n) || arities.has(n - 1)) return;
      const expected = [...arities].sort().join(' or ');
      out.push({ message: `function \`${name}\` takes ${expected} argument${expected === '1' ? '' : 's'}, but this call gives ${n}`, start: t.start, end: t.end, code: 'rego.arity', severity: 'error' });
    });
  }
  return out;
}
