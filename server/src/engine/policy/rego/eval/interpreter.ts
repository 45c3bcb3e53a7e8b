/**
 * A Rego interpreter for the language Gatekeeper policies are written in: rules (complete, partial
 * sets and objects, defaults, else), functions with pattern arguments, unification, refs that iterate,
 * `not`, `some`, `every`, `in`, comprehensions, `with input`, and the built-ins in `builtins.ts`.
 * Evaluation is top-down with backtracking over generators, memoised per rule and per call, and bounded
 * by a step budget so that no policy can hang the editor.
 */
import type { Body, Literal, Module, Rule, Term } from '../ast';
import { builtin, BuiltinError, regoString } from './builtins';
import { compare, equal, isObject, objectKey, RegoSet, type RegoObject, type Value } from './values';

export class RegoEvalError extends Error {}

const UNBOUND = Symbol('unbound');
/**
 * An argument that evaluated to nothing. OPA binds function parameters by unification, so an undefined
 * argument still matches a `_` or a parameter the body never reads; only reading it is undefined.
 */
const UNDEFINED_ARG = Symbol('undefined argument');
type Arg = Value | typeof UNDEFINED_ARG;
type Slot = Value | typeof UNBOUND | typeof UNDEFINED_ARG;
type Env = Map<string, Slot>;
type Gen<T> = Generator<T, void, undefined>;

interface ModuleCtx {
  module: Module;
  pkg: string[];
  pkgKey: string;
  /** Import name → absolute path (`['data', 'lib', 'x']`, `['input', 'review']`). */
  imports: Map<string, string[]>;
}

interface PackageRules {
  rules: Map<string, { rule: Rule; ctx: ModuleCtx }[]>;
}

export interface EvalLimits {
  /** Upper bound on evaluation steps (literal evaluations and iterations). */
  maxSteps?: number;
}

const EMPTY_ENV: Env = new Map();

export class RegoInterpreter {
  private readonly packages = new Map<string, PackageRules>();
  private input: Value = null;
  private data: RegoObject = {};
  private steps = 0;
  private maxSteps = 2_000_000;
  private ruleMemo = new Map<string, Value | undefined>();
  private callMemo = new Map<string, Value | undefined>();
  private readonly inProgress = new Set<string>();
  private identities = new WeakMap<object, number>();
  private nextIdentity = 0;

  constructor(modules: Module[]) {
    for (const module of modules) {
      const pkg = module.package?.path ?? [];
      const ctx: ModuleCtx = { module, pkg, pkgKey: pkg.join('.'), imports: new Map() };
      for (const imp of module.imports) {
        if (imp.path[0] === 'future' || imp.path[0] === 'rego') continue;
        ctx.imports.set(imp.alias ?? imp.path[imp.path.length - 1], imp.path);
      }
      let entry = this.packages.get(ctx.pkgKey);
      if (!entry) this.packages.set(ctx.pkgKey, (entry = { rules: new Map() }));
      for (const rule of module.rules) {
        const list = entry.rules.get(rule.head.name) ?? [];
        list.push({ rule, ctx });
        entry.rules.set(rule.head.name, list);
      }
    }
  }

  /** The value of rule `name` of package `pkg` for this input; undefined when the rule is undefined. */
  evaluate(pkg: string[], name: string, input: Value, data: RegoObject = {}, limits: EvalLimits = {}): Value | undefined {
    this.input = input;
    this.data = data;
    this.steps = 0;
    this.maxSteps = limits.maxSteps ?? 2_000_000;
    this.ruleMemo = new Map();
    this.callMemo = new Map();
    return this.ruleValue(pkg.join('.'), name);
  }

  private step(): void {
    if (++this.steps > this.maxSteps) throw new RegoEvalError(`evaluation exceeded ${this.maxSteps} steps`);
  }

  // ---- rules

  private ruleValue(pkgKey: string, name: string): Value | undefined {
    const memoKey = `${pkgKey}\0${name}`;
    if (this.ruleMemo.has(memoKey)) return this.ruleMemo.get(memoKey);
    // Ref-head rules (`a.b.c := 1`) are not evaluated: Gatekeeper policies do not use them.
    const defs = (this.packages.get(pkgKey)?.rules.get(name) ?? []).filter((d) => d.rule.head.path.length === 1 || d.rule.kind === 'partial-set' || d.rule.kind === 'partial-object');
    if (!defs.length || defs.some((d) => d.rule.head.args)) return undefined;
    if (this.inProgress.has(memoKey)) return undefined; // recursion is not Rego; answer undefined rather than loop
    this.inProgress.add(memoKey);
    try {
      const value = this.computeRule(defs);
      this.ruleMemo.set(memoKey, value);
      return value;
    } finally {
      this.inProgress.delete(memoKey);
    }
  }

  private computeRule(defs: { rule: Rule; ctx: ModuleCtx }[]): Value | undefined {
    const kind = defs.find((d) => d.rule.kind !== 'default')?.rule.kind ?? 'default';
    if (kind === 'partial-set') {
      const out = new RegoSet();
      for (const { rule, ctx } of defs) {
        for (const env of this.ruleBodies(rule, EMPTY_ENV, ctx)) {
          for (const [k] of this.evalTerm(rule.head.key!, env, ctx)) out.add(k);
        }
      }
      return out;
    }
    if (kind === 'partial-object') {
      const out: RegoObject = {};
      for (const { rule, ctx } of defs) {
        if (rule.head.ref.type !== 'ref' || rule.head.ref.args.length !== 1) continue;
        for (const env of this.ruleBodies(rule, EMPTY_ENV, ctx)) {
          for (const [k, e2] of this.evalTerm(rule.head.key!, env, ctx)) {
            const vals = rule.head.value ? this.evalTerm(rule.head.value, e2, ctx) : [[true, e2] as [Value, Env]];
            for (const [v] of vals) {
              out[objectKey(k)] = v;
              break;
            }
          }
        }
      }
      return out;
    }
    for (const { rule, ctx } of defs) {
      if (rule.default) continue;
      const v = this.completeValue(rule, EMPTY_ENV, ctx);
      if (v !== undefined) return v;
    }
    const dflt = defs.find((d) => d.rule.default);
    if (dflt?.rule.head.value) for (const [v] of this.evalTerm(dflt.rule.head.value, EMPTY_ENV, dflt.ctx)) return v;
    return undefined;
  }

  /** The value of a complete rule or function definition (with its else chain) in `env`. */
  private completeValue(rule: Rule, env: Env, ctx: ModuleCtx): Value | undefined {
    for (const e of this.ruleBodies(rule, env, ctx)) {
      if (!rule.head.value) return true;
      for (const [v] of this.evalTerm(rule.head.value, e, ctx)) return v;
    }
    for (const clause of rule.elses) {
      const bodies = clause.body ? this.evalBody(clause.body.literals, 0, env, ctx) : [env];
      for (const e of bodies) {
        if (!clause.value) return true;
        for (const [v] of this.evalTerm(clause.value, e, ctx)) return v;
      }
    }
    return undefined;
  }

  /** Every solution of a rule's bodies (a rule without body has one, empty, solution). */
  private *ruleBodies(rule: Rule, env: Env, ctx: ModuleCtx): Gen<Env> {
    if (rule.bodies.length === 0) {
      yield env;
      return;
    }
    for (const b of rule.bodies) yield* this.evalBody(b.literals, 0, env, ctx);
  }

  private functionDefs(pkgKey: string, name: string): { rule: Rule; ctx: ModuleCtx }[] {
    return (this.packages.get(pkgKey)?.rules.get(name) ?? []).filter((d) => d.rule.head.args);
  }

  private callFunction(defs: { rule: Rule; ctx: ModuleCtx }[], args: Arg[]): Value | undefined {
    const memoKey = `${defs[0].ctx.pkgKey}\0${defs[0].rule.head.name}\0${args.map((a) => this.argKey(a)).join('\0')}`;
    if (this.callMemo.has(memoKey)) return this.callMemo.get(memoKey);
    if (this.inProgress.has(memoKey)) return undefined;
    this.inProgress.add(memoKey);
    try {
      let result: Value | undefined;
      outer: for (const { rule, ctx } of defs) {
        const params = rule.head.args!;
        if (params.length !== args.length) continue;
        for (const env of this.unifyAll(params, args, 0, EMPTY_ENV, ctx)) {
          const v = this.completeValue(rule, env, ctx);
          if (v !== undefined) {
            result = v;
            break outer;
          }
        }
      }
      this.callMemo.set(memoKey, result);
      return result;
    } finally {
      this.inProgress.delete(memoKey);
    }
  }

  /** Scalars by value, composites by identity: cheap keys for the call memo (a miss only costs a recomputation). */
  private argKey(a: Arg): string {
    if (a === UNDEFINED_ARG) return 'u';
    if (a === null || typeof a !== 'object') return regoString(a);
    let id = this.identities.get(a);
    if (id === undefined) this.identities.set(a, (id = this.nextIdentity++));
    return `#${id}`;
  }

  private *unifyAll(terms: Term[], values: Arg[], i: number, env: Env, ctx: ModuleCtx): Gen<Env> {
    if (i === terms.length) {
      yield env;
      return;
    }
    for (const e of this.unifyTermValue(terms[i], values[i], env, ctx)) yield* this.unifyAll(terms, values, i + 1, e, ctx);
  }

  // ---- bodies and literals

  private *evalBody(lits: Literal[], i: number, env: Env, ctx: ModuleCtx): Gen<Env> {
    if (i === lits.length) {
      yield env;
      return;
    }
    for (const e of this.evalLiteral(lits[i], env, ctx)) yield* this.evalBody(lits, i + 1, e, ctx);
  }

  private *evalLiteral(lit: Literal, env: Env, ctx: ModuleCtx): Gen<Env> {
    this.step();
    if (lit.withs.length) {
      yield* this.withModifiers(lit, env, ctx);
      return;
    }
    if (lit.type === 'some') {
      const e = new Map(env);
      for (const s of lit.symbols) {
        if (s.type === 'var') e.set(s.name, UNBOUND);
        else if (s.type === 'in') {
          for (const t of [s.key, s.value]) if (t) for (const v of varsOf(t)) e.set(v, UNBOUND);
        }
      }
      const member = lit.symbols.find((s) => s.type === 'in');
      if (!member) {
        yield e;
        return;
      }
      for (const [, e2] of this.evalTerm(member, e, ctx)) yield e2;
      return;
    }
    if (lit.type === 'every') {
      for (const [coll, e1] of this.evalTerm(lit.domain, env, ctx)) {
        let ok = true;
        for (const [k, v] of entries(coll)) {
          const e2 = new Map(e1);
          if (lit.key) e2.set(lit.key.name, k);
          e2.set(lit.value.name, v);
          if (this.evalBody(lit.body.literals, 0, e2, ctx).next().done) {
            ok = false;
            break;
          }
        }
        if (ok) yield e1;
      }
      return;
    }
    const expr = lit.expr;
    if (lit.negated) {
      if (this.evalExpr(expr, env, ctx).next().done) yield env;
      return;
    }
    yield* this.evalExpr(expr, env, ctx);
  }

  private *withModifiers(lit: Literal, env: Env, ctx: ModuleCtx): Gen<Env> {
    const saved = { input: this.input, rules: this.ruleMemo, calls: this.callMemo };
    let replaced = false;
    for (const w of lit.withs) {
      if (w.target.type === 'var' && w.target.name === 'input') {
        for (const [v] of this.evalTerm(w.value, env, ctx)) {
          this.input = v;
          replaced = true;
          break;
        }
      }
    }
    if (replaced) {
      this.ruleMemo = new Map();
      this.callMemo = new Map();
    }
    try {
      const results = [...this.evalLiteral({ ...lit, withs: [] } as Literal, env, ctx)];
      yield* results;
    } finally {
      this.input = saved.input;
      this.ruleMemo = saved.rules;
      this.callMemo = saved.calls;
    }
  }

  /** A body expression: unification/assignment binds, anything else must be defined and not false. */
  private *evalExpr(expr: Term, env: Env, ctx: ModuleCtx): Gen<Env> {
    if (expr.type === 'infix' && (expr.op === '=' || expr.op === ':=')) {
      let e = env;
      if (expr.op === ':=') {
        e = new Map(env);
        for (const v of varsOf(expr.left)) e.set(v, UNBOUND);
      }
      yield* this.unify(expr.left, expr.right, e, ctx);
      return;
    }
    for (const [v, e] of this.evalTerm(expr, env, ctx)) if (v !== false) yield e;
  }

  // ---- unification

  private isUnboundVar(t: Term, env: Env, ctx: ModuleCtx): boolean {
    if (t.type !== 'var') return false;
    if (t.name === '_') return true;
    const slot = env.get(t.name);
    if (slot === UNBOUND) return true;
    if (slot !== undefined) return false;
    return !this.isGlobal(t.name, ctx);
  }

  private isGlobal(name: string, ctx: ModuleCtx): boolean {
    return name === 'input' || name === 'data' || ctx.imports.has(name) || !!this.packages.get(ctx.pkgKey)?.rules.has(name);
  }

  /** Whether the term still has variables to bind (then it is a pattern, not a value). */
  private hasUnbound(t: Term, env: Env, ctx: ModuleCtx): boolean {
    switch (t.type) {
      case 'var':
        return this.isUnboundVar(t, env, ctx);
      case 'array':
      case 'set':
        return t.items.some((i) => this.hasUnbound(i, env, ctx));
      case 'object':
        return t.items.some((i) => this.hasUnbound(i.value, env, ctx));
      default:
        return false;
    }
  }

  private *unify(a: Term, b: Term, env: Env, ctx: ModuleCtx): Gen<Env> {
    if (this.hasUnbound(a, env, ctx)) {
      for (const [vb, e] of this.evalTerm(b, env, ctx)) yield* this.unifyTermValue(a, vb, e, ctx);
      return;
    }
    for (const [va, e] of this.evalTerm(a, env, ctx)) yield* this.unifyTermValue(b, va, e, ctx);
  }

  /** Matches a term (a pattern with unbound variables, or a value) against a value, binding variables. */
  private *unifyTermValue(t: Term, value: Arg, env: Env, ctx: ModuleCtx): Gen<Env> {
    this.step();
    if (value === UNDEFINED_ARG) {
      if (t.type === 'var' && this.isUnboundVar(t, env, ctx)) yield t.name === '_' ? env : new Map(env).set(t.name, UNDEFINED_ARG);
      return;
    }
    if (t.type === 'var' && this.isUnboundVar(t, env, ctx)) {
      if (t.name === '_') yield env;
      else yield new Map(env).set(t.name, value);
      return;
    }
    if (t.type === 'array' && this.hasUnbound(t, env, ctx)) {
      if (!Array.isArray(value) || value.length !== t.items.length) return;
      yield* this.unifyAll(t.items, value, 0, env, ctx);
      return;
    }
    if (t.type === 'object' && this.hasUnbound(t, env, ctx)) {
      if (!isObject(value) || Object.keys(value).length !== t.items.length) return;
      yield* this.unifyObject(t.items, 0, value, env, ctx);
      return;
    }
    for (const [v, e] of this.evalTerm(t, env, ctx)) if (equal(v, value)) yield e;
  }

  private *unifyObject(items: { key: Term; value: Term }[], i: number, value: RegoObject, env: Env, ctx: ModuleCtx): Gen<Env> {
    if (i === items.length) {
      yield env;
      return;
    }
    for (const [k, e] of this.evalTerm(items[i].key, env, ctx)) {
      const key = objectKey(k);
      if (!(key in value)) continue;
      for (const e2 of this.unifyTermValue(items[i].value, value[key], e, ctx)) yield* this.unifyObject(items, i + 1, value, e2, ctx);
    }
  }

  // ---- terms

  private *evalTerm(t: Term, env: Env, ctx: ModuleCtx): Gen<[Value, Env]> {
    switch (t.type) {
      case 'null':
        yield [null, env];
        return;
      case 'boolean':
        yield [t.value as boolean, env];
        return;
      case 'number':
        yield [t.value as number, env];
        return;
      case 'string':
        yield [t.value as string, env];
        return;
      case 'var': {
        const v = this.varValue(t.name, env, ctx);
        if (v !== undefined) yield [v, env];
        return;
      }
      case 'template': {
        let out = t.segments[0] ?? '';
        let e = env;
        for (let i = 0; i < t.parts.length; i++) {
          const first = this.evalTerm(t.parts[i], e, ctx).next();
          out += first.done ? '<undefined>' : typeof first.value[0] === 'string' ? first.value[0] : regoString(first.value[0]);
          if (!first.done) e = first.value[1];
          out += t.segments[i + 1] ?? '';
        }
        yield [out, e];
        return;
      }
      case 'array':
        for (const [items, e] of this.evalList(t.items, 0, env, ctx)) yield [items, e];
        return;
      case 'set':
        for (const [items, e] of this.evalList(t.items, 0, env, ctx)) yield [new RegoSet(items), e];
        return;
      case 'object': {
        const flat = t.items.flatMap((i) => [i.key, i.value]);
        for (const [vals, e] of this.evalList(flat, 0, env, ctx)) {
          const obj: RegoObject = {};
          for (let i = 0; i < vals.length; i += 2) obj[objectKey(vals[i])] = vals[i + 1];
          yield [obj, e];
        }
        return;
      }
      case 'arraycompr':
      case 'setcompr':
      case 'objectcompr': {
        const items: Value[] = [];
        const obj: RegoObject = {};
        for (const e of this.evalBody(t.body.literals, 0, env, ctx)) {
          for (const [h] of this.evalTerm(t.head, e, ctx)) {
            if (t.type === 'objectcompr') {
              for (const [v] of this.evalTerm(t.value!, e, ctx)) {
                obj[objectKey(h)] = v;
                break;
              }
            } else items.push(h);
            break;
          }
        }
        yield [t.type === 'objectcompr' ? obj : t.type === 'setcompr' ? new RegoSet(items) : items, env];
        return;
      }
      case 'ref':
        yield* this.evalRef(t, env, ctx);
        return;
      case 'call':
        yield* this.evalCall(t, env, ctx);
        return;
      case 'unary':
        for (const [v, e] of this.evalTerm(t.operand, env, ctx)) if (typeof v === 'number') yield [-v, e];
        return;
      case 'in':
        yield* this.evalIn(t, env, ctx);
        return;
      case 'infix':
        yield* this.evalInfix(t.op, t.left, t.right, env, ctx);
        return;
      default:
        return;
    }
  }

  private *evalList(items: Term[], i: number, env: Env, ctx: ModuleCtx): Gen<[Value[], Env]> {
    if (i === items.length) {
      yield [[], env];
      return;
    }
    for (const [v, e] of this.evalTerm(items[i], env, ctx)) {
      for (const [rest, e2] of this.evalList(items, i + 1, e, ctx)) yield [[v, ...rest], e2];
    }
  }

  /** Like evalList, but an argument without any value is passed as UNDEFINED_ARG instead of failing. */
  private *evalArgs(items: Term[], i: number, env: Env, ctx: ModuleCtx): Gen<[Arg[], Env]> {
    if (i === items.length) {
      yield [[], env];
      return;
    }
    let any = false;
    for (const [v, e] of this.evalTerm(items[i], env, ctx)) {
      any = true;
      for (const [rest, e2] of this.evalArgs(items, i + 1, e, ctx)) yield [[v, ...rest], e2];
    }
    if (!any) for (const [rest, e2] of this.evalArgs(items, i + 1, env, ctx)) yield [[UNDEFINED_ARG, ...rest], e2];
  }

  private varValue(name: string, env: Env, ctx: ModuleCtx): Value | undefined {
    const slot = env.get(name);
    if (slot === UNBOUND || slot === UNDEFINED_ARG) return undefined;
    if (slot !== undefined) return slot;
    if (name === 'input') return this.input;
    if (name === 'data') return this.data;
    if (this.packages.get(ctx.pkgKey)?.rules.has(name)) return this.ruleValue(ctx.pkgKey, name);
    const imp = ctx.imports.get(name);
    if (imp) return this.absolute(imp);
    return undefined;
  }

  /** The value at an absolute path (`data.lib.x.rule`, `input.review`). */
  private absolute(path: string[]): Value | undefined {
    if (path[0] === 'input') return index(this.input, path.slice(1));
    if (path[0] !== 'data') return undefined;
    const segs = path.slice(1);
    for (let n = segs.length; n >= 0; n--) {
      const pkgKey = segs.slice(0, n).join('.');
      const pkg = this.packages.get(pkgKey);
      if (!pkg || n === segs.length) continue;
      if (!pkg.rules.has(segs[n])) continue;
      return index(this.ruleValue(pkgKey, segs[n]), segs.slice(n + 1));
    }
    return index(this.data, segs);
  }

  /** Resolves a ref's static prefix to a package function, when it names one. */
  private functionAt(fn: Term, ctx: ModuleCtx): { rule: Rule; ctx: ModuleCtx }[] | undefined {
    const path = staticPath(fn);
    if (!path) return undefined;
    let abs: string[] | undefined;
    if (path[0] === 'data') abs = path;
    else if (ctx.imports.has(path[0])) abs = [...ctx.imports.get(path[0])!, ...path.slice(1)];
    else if (path.length === 1) abs = ['data', ...ctx.pkg, path[0]];
    if (!abs || abs[0] !== 'data') return undefined;
    const pkgKey = abs.slice(1, -1).join('.');
    const defs = this.functionDefs(pkgKey, abs[abs.length - 1]);
    return defs.length ? defs : undefined;
  }

  private *evalCall(t: Extract<Term, { type: 'call' }>, env: Env, ctx: ModuleCtx): Gen<[Value, Env]> {
    const defs = this.functionAt(t.fn, ctx);
    if (defs) {
      const arity = defs[0].rule.head.args!.length;
      const output = t.args.length === arity + 1 ? t.args[arity] : undefined;
      for (const [args, e] of this.evalArgs(t.args.slice(0, arity), 0, env, ctx)) {
        const v = this.callFunction(defs, args);
        if (v === undefined) continue;
        if (output) for (const e2 of this.unifyTermValue(output, v, e, ctx)) yield [true, e2];
        else yield [v, e];
      }
      return;
    }
    const name = staticPath(t.fn)?.join('.');
    const b = name ? builtin(name) : undefined;
    if (!b) return; // an unknown function: undefined, as OPA's compiler would have refused it
    const output = b.arity >= 0 && t.args.length === b.arity + 1 ? t.args[b.arity] : undefined;
    const inputs = output ? t.args.slice(0, b.arity) : t.args;
    for (const [args, e] of this.evalList(inputs, 0, env, ctx)) {
      let v: Value | undefined;
      try {
        v = b.fn(args);
      } catch (err) {
        if (err instanceof BuiltinError) continue;
        throw err;
      }
      if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
      if (output) for (const e2 of this.unifyTermValue(output, v, e, ctx)) yield [true, e2];
      else yield [v, e];
    }
  }

  private *evalRef(t: Extract<Term, { type: 'ref' }>, env: Env, ctx: ModuleCtx): Gen<[Value, Env]> {
    // `data.pkg.rule...` and imported names resolve their static prefix first.
    let start = 0;
    let bases: Gen<[Value, Env]> | [Value, Env][];
    const head = t.head;
    if (head.type === 'var' && !env.has(head.name) && (head.name === 'data' || (ctx.imports.has(head.name) && !this.packages.get(ctx.pkgKey)?.rules.has(head.name)))) {
      const path = head.name === 'data' ? ['data'] : [...ctx.imports.get(head.name)!];
      while (start < t.args.length) {
        const a = t.args[start];
        if (a.kind === 'dot') path.push(a.name);
        else if (a.term.type === 'string') path.push(String(a.term.value));
        else break;
        start++;
      }
      const v = this.absolute(path);
      bases = v === undefined ? [] : [[v, env]];
    } else {
      bases = this.evalTerm(head, env, ctx);
    }
    for (const [base, e] of bases) yield* this.walkRef(base, t.args, start, e, ctx);
  }

  private *walkRef(value: Value, args: Extract<Term, { type: 'ref' }>['args'], i: number, env: Env, ctx: ModuleCtx): Gen<[Value, Env]> {
    if (i === args.length) {
      yield [value, env];
      return;
    }
    this.step();
    const a = args[i];
    if (a.kind === 'dot') {
      const v = isObject(value) && a.name in value ? value[a.name] : undefined;
      if (v !== undefined) yield* this.walkRef(v, args, i + 1, env, ctx);
      return;
    }
    const key = a.term;
    if (!this.hasUnbound(key, env, ctx)) {
      for (const [k, e] of this.evalTerm(key, env, ctx)) {
        const v = lookup(value, k);
        if (v !== undefined) yield* this.walkRef(v, args, i + 1, e, ctx);
      }
      return;
    }
    for (const [k, v] of entries(value)) {
      for (const e of this.unifyTermValue(key, k, env, ctx)) yield* this.walkRef(v, args, i + 1, e, ctx);
    }
  }

  private *evalIn(t: Extract<Term, { type: 'in' }>, env: Env, ctx: ModuleCtx): Gen<[Value, Env]> {
    const binding = this.hasUnbound(t.value, env, ctx) || (t.key !== undefined && this.hasUnbound(t.key, env, ctx));
    for (const [coll, e] of this.evalTerm(t.collection, env, ctx)) {
      if (!binding) {
        for (const [v, e2] of this.evalTerm(t.value, e, ctx)) {
          let found = false;
          for (const [k, x] of entries(coll)) {
            if (!equal(x, v)) continue;
            if (t.key) {
              for (const [kv] of this.evalTerm(t.key, e2, ctx)) if (equal(kv, k)) found = true;
            } else found = true;
            if (found) break;
          }
          yield [found, e2];
        }
        continue;
      }
      for (const [k, x] of entries(coll)) {
        for (const e2 of this.unifyTermValue(t.value, x, e, ctx)) {
          if (t.key) for (const e3 of this.unifyTermValue(t.key, k, e2, ctx)) yield [true, e3];
          else yield [true, e2];
        }
      }
    }
  }

  private *evalInfix(op: string, left: Term, right: Term, env: Env, ctx: ModuleCtx): Gen<[Value, Env]> {
    if (op === '=' || op === ':=') {
      for (const e of this.unify(left, right, env, ctx)) yield [true, e];
      return;
    }
    for (const [a, e1] of this.evalTerm(left, env, ctx)) {
      for (const [b, e2] of this.evalTerm(right, e1, ctx)) {
        const v = binary(op, a, b);
        if (v !== undefined) yield [v, e2];
      }
    }
  }
}

function binary(op: string, a: Value, b: Value): Value | undefined {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return compare(a, b) < 0;
    case '>':
      return compare(a, b) > 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>=':
      return compare(a, b) >= 0;
    default:
      break;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? undefined : a / b;
      case '%':
        return b === 0 || !Number.isInteger(a) || !Number.isInteger(b) ? undefined : a % b;
      default:
        return undefined;
    }
  }
  if (a instanceof RegoSet && b instanceof RegoSet) {
    switch (op) {
      case '-':
        return new RegoSet(a.values().filter((v) => !b.has(v)));
      case '|':
        return new RegoSet([...a.values(), ...b.values()]);
      case '&':
        return new RegoSet(a.values().filter((v) => b.has(v)));
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Key/value pairs of a collection: array indices, object keys, set members (key and value alike). */
function entries(v: Value | undefined): [Value, Value][] {
  if (Array.isArray(v)) return v.map((x, i) => [i, x]);
  if (v instanceof RegoSet) return v.values().map((x) => [x, x]);
  if (isObject(v)) return Object.entries(v);
  return [];
}

function lookup(v: Value, k: Value): Value | undefined {
  if (Array.isArray(v)) return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < v.length ? v[k] : undefined;
  if (v instanceof RegoSet) return v.has(k) ? k : undefined;
  if (isObject(v)) {
    const key = objectKey(k);
    return key in v ? v[key] : undefined;
  }
  return undefined;
}

function index(v: Value | undefined, path: string[]): Value | undefined {
  let cur = v;
  for (const p of path) {
    if (cur === undefined) return undefined;
    cur = lookup(cur, p);
  }
  return cur;
}

function staticPath(t: Term): string[] | undefined {
  if (t.type === 'var') return [t.name];
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const out = [t.head.name];
  for (const a of t.args) {
    if (a.kind === 'dot') out.push(a.name);
    else if (a.term.type === 'string') out.push(String(a.term.value));
    else return undefined;
  }
  return out;
}

function varsOf(t: Term): string[] {
  const out: string[] = [];
  const visit = (x: Term): void => {
    if (x.type === 'var') out.push(x.name);
    else if (x.type === 'array' || x.type === 'set') x.items.forEach(visit);
    else if (x.type === 'object') x.items.forEach((i) => visit(i.value));
  };
  visit(t);
  return out;
}

export type { Body };
